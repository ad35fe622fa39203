/**
 * A data set's shape (image size, classes, split sizes) without loading its pixels: the image
 * files' IDX headers and the (small) label files. What the data-dependent config checks need
 * (src/shared/dataset-fit.ts), cached per file version so the New Run form can ask on every change.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetShape } from '../../shared/dataset-fit';
import { resolveDataset } from './datasets';
import { DatasetError, readIdx } from './idx';

const LABELS: Record<string, string> = { mnist: 'MNIST', 'fashion-mnist': 'Fashion-MNIST' };

const cache = new Map<string, DatasetShape>();

/** The name the user knows a data set by: "MNIST", "Fashion-MNIST", or its folder's name. */
export function datasetLabel(name: string): string {
  return LABELS[name] ?? basename(name.replace(/[\\/]+$/, ''));
}

/**
 * @param name 'mnist', 'fashion-mnist' or a folder of IDX files
 * @throws DatasetError when the data set is missing or a file is not IDX
 */
export function datasetShape(name: string): DatasetShape {
  const { files } = resolveDataset(name);
  const paths: string[] = [files.trainImages, files.trainLabels, files.testImages, files.testLabels];
  const key = paths
    .map((f) => {
      const s = statSync(f);
      return `${f}:${s.size}:${s.mtimeMs}`;
    })
    .join('|');
  const hit = cache.get(key);
  if (hit) return hit;
  const train = imageDims(files.trainImages);
  const test = imageDims(files.testImages);
  const trainLabels = readIdx(files.trainLabels).data;
  const testLabels = readIdx(files.testLabels).data;
  let max = 0;
  for (const labels of [trainLabels, testLabels])
    for (let i = 0; i < labels.length; i++) max = Math.max(max, labels[i]);
  const shape: DatasetShape = {
    label: datasetLabel(name),
    rows: train[1],
    cols: train[2],
    classes: max + 1,
    trainCount: train[0],
    testCount: test[0],
  };
  cache.set(key, shape);
  return shape;
}

/** [count, rows, cols] from an image file's header (the whole file only when it is gzipped). */
function imageDims(file: string): number[] {
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  const dims =
    head[0] === 0x1f && head[1] === 0x8b
      ? readIdx(file).dims
      : head[3] === 3
        ? [head.readUInt32BE(4), head.readUInt32BE(8), head.readUInt32BE(12)]
        : readIdx(file).dims; // not a 3-d header: let the full reader name the problem
  if (dims.length !== 3)
    throw new DatasetError(file, `expected 3 dimensions (count x rows x cols), got ${dims.length}`);
  return dims;
}
