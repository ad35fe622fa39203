/**
 * The array blob of stored models and checkpoints (src/shared/codec.ts) read from a damaged or
 * hand-made file: every lie in its header (absurd or negative dimensions, a shape that does not hold
 * the length, an array outside the payload, a header that is not JSON) is an error naming the
 * problem, never a RangeError, a silently short array or an attempt to allocate gigabytes.
 */
import { describe, expect, it } from 'vitest';
import { decodeArrays, encodeArrays } from '../../src/shared/codec';

/** A blob with `entries` as its header's array list and `values` float32 payload values. */
function blob(entries: unknown, values = 4, headerText?: string): Uint8Array {
  const header = new TextEncoder().encode(headerText ?? JSON.stringify({ version: 1, meta: null, arrays: entries }));
  const start = (8 + header.length + 3) & ~3;
  const out = new Uint8Array(start + values * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x414e4553, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  return out;
}

describe('decodeArrays of a damaged blob', () => {
  it('reads back what encodeArrays wrote', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const back = decodeArrays(encodeArrays([{ name: 'w', shape: [2, 3], data }], { kind: 'model' }));
    expect(back.arrays[0].shape).toEqual([2, 3]);
    expect(Array.from(back.arrays[0].data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses each lie with a message naming it', () => {
    const cases: [Uint8Array, RegExp][] = [
      [blob([{ name: 'w', shape: [2 ** 31, 2 ** 31], offset: 0, length: 2 ** 62 }]), /"w" has a damaged shape/],
      [blob([{ name: 'w', shape: [65536, 65536], offset: 0, length: 2 ** 32 }]), /truncated payload/],
      [blob([{ name: 'w', shape: [-2, 2], offset: 0, length: -4 }]), /"w" has a damaged shape/],
      [blob([{ name: 'w', shape: [3, 3], offset: 0, length: 4 }]), /shape \[3,3\] does not hold 4 values/],
      [blob([{ name: 'w', shape: [2], offset: 3, length: 2 }]), /"w" lies outside the payload/],
      [blob([{ name: 'w', shape: [1.5], offset: 0, length: 1.5 }]), /damaged shape/],
      [blob(null), /no array list/],
      [blob([], 0, '{"version":1,"arr'), /damaged header \(not JSON\)/],
      [blob([], 0, '{"version":7,"arrays":[]}'), /unsupported version 7/],
    ];
    for (const [bytes, message] of cases) expect(() => decodeArrays(bytes)).toThrow(message);
  });
});
