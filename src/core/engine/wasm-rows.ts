/**
 * Row-range entry points for kernels whose output rows are independent, so Arena.split can hand each
 * thread a range of rows [r0, r1) (assembled like ./wasm-kernel.ts). Each `${name}_rows` takes the
 * kernel's own arguments plus r0, r1 and calls it on its rows: the row-count argument becomes r1 - r0
 * and every row-indexed pointer moves by r0 rows. A row is computed by one call with the same ops as
 * before, so the results do not depend on the split.
 *
 *   narrow_fwd_rows(a, rows, nInBytes, w16, out16, r0, r1)    a += r0 nInBytes, out16 += r0 * 64
 *   narrow_back_rows(dz16, rows, wt, nInBytes, out, r0, r1)   dz16 += r0 * 64, out += r0 nInBytes
 *
 * and narrow_grad_chunks(a, rows, nInBytes, dz16, parts, chunkRows, partBytes, c0, c1): for each chunk c
 * in [c0, c1) of chunkRows rows, narrow_grad of those rows into parts + c partBytes (zeroed by the
 * caller, who adds the chunks' sums in chunk order: the chunks, not the threads, fix the rounding).
 */
import { ADD, get, I32, i32c, LT_U, MUL, set, SUB, tee, uleb, whileLess } from './wasm-asm';
import type { FnDef } from './wasm-lif';

/** How a kernel's arguments move with the first row: per argument, null (unchanged), 'count', or the row stride
 * (a byte count, or the index of the argument holding it when negative: -1 - index). */
type Shift = null | 'count' | number;

const ROW_KERNELS: Record<string, Shift[]> = {
  narrow_fwd: [-1 - 2, 'count', null, null, 64],
  narrow_back: [64, 'count', null, null, -1 - 3],
};

/** narrow_grad_chunks (see above); `grad` is narrow_grad's function index. */
function gradChunks(grad: number): FnDef {
  // params 0 a, 1 rows, 2 nInBytes, 3 dz16, 4 parts, 5 chunkRows, 6 partBytes, 7 c0, 8 c1; locals 9 c, 10 r, 11 n
  const [C, R, N] = [9, 10, 11];
  const body = [
    // r = c chunkRows; n = min(rows - r, chunkRows)
    ...[...get(C), ...get(5), ...MUL, ...tee(R), ...get(1), ...get(R), ...SUB, ...set(N)],
    ...[...get(N), ...get(5), ...get(N), ...get(5), ...LT_U, 0x1b, ...set(N)],
    ...[...get(0), ...get(R), ...get(2), ...MUL, ...ADD, ...get(N), ...get(2)],
    ...[...get(3), ...get(R), ...i32c(64), ...MUL, ...ADD, ...get(4), ...get(C), ...get(6), ...MUL, ...ADD],
    ...[0x10, ...uleb(grad)],
  ];
  return {
    name: 'narrow_grad_chunks',
    params: Array.from({ length: 9 }, () => I32),
    locals: [[3, I32]],
    code: [...get(7), ...set(C), ...whileLess(C, 8, 1, body)],
  };
}

/** The `_rows` entry points and narrow_grad_chunks; `indexOf` gives a kernel's function index by name. */
export function rowFunctions(indexOf: (name: string) => number): FnDef[] {
  return [gradChunks(indexOf('narrow_grad')), ...rowEntries(indexOf)];
}

function rowEntries(indexOf: (name: string) => number): FnDef[] {
  return Object.entries(ROW_KERNELS).map(([name, shifts]) => {
    const [r0, r1] = [shifts.length, shifts.length + 1];
    const args = shifts.flatMap((shift, k) => {
      if (shift === null) return get(k);
      if (shift === 'count') return [...get(r1), ...get(r0), ...SUB];
      const stride = shift < 0 ? get(-1 - shift) : i32c(shift);
      return [...get(k), ...get(r0), ...stride, ...MUL, ...ADD];
    });
    return {
      name: `${name}_rows`,
      params: [...shifts.map(() => I32), I32, I32],
      locals: [],
      code: [...args, 0x10, ...uleb(indexOf(name))],
    };
  });
}
