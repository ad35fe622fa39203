/** One split of an image-classification data set, pixels scaled to [0, 1]. */
export interface Split {
  /** count * rows * cols values, row-major per image */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  /** 'mnist', 'fashion-mnist' or the folder it was read from */
  name: string;
  /** the folder the IDX files were read from */
  source: string;
  rows: number;
  cols: number;
  /** number of classes (max label + 1 over both splits, at least 2) */
  classes: number;
  /** class names in label order (classes.txt of the folder, or Fashion-MNIST's); absent: numbers */
  classNames?: string[];
  /** where the largest label is (file and sample index): named when it does not fit the model's output */
  largestLabel?: { file: string; index: number; label: number };
  train: Split;
  test: Split;
}
