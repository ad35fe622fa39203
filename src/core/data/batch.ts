/**
 * Assembling mini-batches from a split. Called once per training step, so it copies whole images
 * with typed-array `set` (a native memcpy) instead of touching pixels one by one.
 */
import type { Split } from './types';

/** A mini-batch: `x` holds size * pixels values (images back to back), `y` the labels. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
}

/**
 * Copy the samples `indices[start .. start + size)` of `split` into a contiguous batch.
 *
 * When `out` is given and big enough its buffers are reused (no allocation): the result is `out`
 * itself when the sizes match exactly, otherwise views on the front of its buffers (e.g. for the
 * last, shorter batch of an epoch). A too-small `out` is ignored and fresh buffers are allocated.
 * @throws RangeError when the index range or an index is out of bounds
 */
export function makeBatch(split: Split, indices: ArrayLike<number>, start: number, size: number, out?: Batch): Batch {
  checkRange(indices.length, start, size);
  const pixels = split.count > 0 ? split.images.length / split.count : 0;
  const batch = batchBuffers(size, pixels, out);
  const { images, labels, count } = split;
  for (let b = 0; b < size; b++) {
    const i = indices[start + b];
    if (!(i >= 0 && i < count && Number.isInteger(i))) {
      throw new RangeError(`makeBatch: index ${i} at position ${start + b} is outside the split (0..${count - 1})`);
    }
    batch.x.set(images.subarray(i * pixels, (i + 1) * pixels), b * pixels);
    batch.y[b] = labels[i];
  }
  return batch;
}

function checkRange(length: number, start: number, size: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(size) || start < 0 || size < 0 || start + size > length) {
    throw new RangeError(`makeBatch: samples ${start}..${start + size} are outside the ${length} indices`);
  }
}

function batchBuffers(size: number, pixels: number, out: Batch | undefined): Batch {
  const xLen = size * pixels;
  if (!out || out.x.length < xLen || out.y.length < size) {
    return { x: new Float32Array(xLen), y: new Int32Array(size) };
  }
  if (out.x.length === xLen && out.y.length === size) return out;
  return { x: out.x.subarray(0, xLen), y: out.y.subarray(0, size) };
}
