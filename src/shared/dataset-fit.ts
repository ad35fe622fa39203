/**
 * Checks that depend on the data set, in plain words: the first layer has one neuron per pixel, the
 * last at least one per class, a subset is not larger than the split. One function for the New Run
 * form (live, on the field) and the backend (checkConfig, the training worker, the CLI), so both
 * say the same thing.
 */

/** What the checks need to know about a data set (read from its IDX headers and labels). */
export interface DatasetShape {
  /** how the data set is named to the user: "MNIST", "Fashion-MNIST", a folder's name */
  label: string;
  rows: number;
  cols: number;
  classes: number;
  trainCount: number;
  testCount: number;
}

/** A problem and the config field it is about ("model.layers[0]", "dataset.trainSize", ...). */
export interface FitProblem {
  field: string;
  message: string;
}

/** The part of a run config the checks read. */
export interface FitConfig {
  model: { layers: readonly number[] };
  dataset: { trainSize?: number; testSize?: number };
}

const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** Every mismatch between `config` and the data set, first layer first; [] when it fits. */
export function datasetFitProblems(config: FitConfig, data: DatasetShape): FitProblem[] {
  const out: FitProblem[] = [];
  const layers = config.model.layers;
  const pixels = data.rows * data.cols;
  if (layers.length && layers[0] !== pixels) {
    out.push({
      field: 'model.layers[0]',
      message:
        `the first layer must have ${count(pixels)} neurons, one per pixel of ${data.label} ` +
        `(${data.rows}x${data.cols} images); it has ${count(layers[0])}`,
    });
  }
  const last = layers.length - 1;
  if (last > 0 && layers[last] < data.classes) {
    out.push({
      field: `model.layers[${last}]`,
      message:
        `the last layer must have at least ${data.classes} neurons, one per class of ${data.label}; ` +
        `it has ${count(layers[last])}`,
    });
  }
  const subset = (field: string, n: number | undefined, available: number, split: string): void => {
    if (n !== undefined && n > available) {
      out.push({
        field,
        message: `${data.label} has ${count(available)} ${split} images: the ${split} subset can be at most ${count(available)}, not ${count(n)}`,
      });
    }
  };
  subset('dataset.trainSize', config.dataset.trainSize, data.trainCount, 'training');
  subset('dataset.testSize', config.dataset.testSize, data.testCount, 'test');
  return out;
}
