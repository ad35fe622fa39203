/**
 * Row-range entry points for kernels whose output rows are independent, so Arena.split can hand each
 * thread a range of rows [r0, r1) (assembled like ./wasm-kernel.ts). Each `${name}_rows` takes the
 * kernel's own arguments plus r0, r1 and calls it on its rows: the row-count argument becomes r1 - r0
 * and every row-indexed pointer moves by r0 rows. A row is computed by one call with the same ops as
 * before, so the results do not depend on the split.
 *
 *   narrow_fwd_rows(a, rows, nInBytes, w16, out16, r0, r1)    a += r0 nInBytes, out16 += r0 * 64
 *   narrow_back_rows(dz16, rows, wt, nInBytes, out, r0, r1)   dz16 += r0 * 64, out += r0 nInBytes
 */
import { ADD, get, I32, i32c, MUL, SUB, uleb } from './wasm-asm';
import type { FnDef } from './wasm-lif';

/** How a kernel's arguments move with the first row: per argument, null (unchanged), 'count', or the row stride
 * (a byte count, or the index of the argument holding it when negative: -1 - index). */
type Shift = null | 'count' | number;

const ROW_KERNELS: Record<string, Shift[]> = {
  narrow_fwd: [-1 - 2, 'count', null, null, 64],
  narrow_back: [64, 'count', null, null, -1 - 3],
};

/** The `_rows` entry points; `indexOf` gives the module's function index of a kernel by name. */
export function rowFunctions(indexOf: (name: string) => number): FnDef[] {
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
