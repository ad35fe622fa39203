/**
 * Register-blocked sparse products over column tiles (assembled like ./wasm-kernel.ts). A tiled matrix
 * M [rows, cols] (cols a multiple of TILE) is stored tile by tile: tile t is the [rows, TILE] block
 * M[:, t TILE .. (t + 1) TILE), row-major and contiguous (TILE * 4 bytes per row, `tileBytes` = rows *
 * TILE * 4 per tile), so a product walks one small contiguous block per tile and never strides by a
 * power of two (row strides of 8 KiB alias in the caches).
 *
 *   to_tiles(src, dst, rows, rowBytes, t0, t1): tiles [t0, t1) of the row-major src into the tiled dst
 *   axpy_tiles(trip, n, dst, src, tileBytes, j0, j1): for the triples (dOff, sOff, v) as axpy_rows, with
 *     sOff = source row * TILE * 4 and src tiled: dst[dOff + j] += v * src[row, j] for byte offsets j in
 *     [j0, j1) (multiples of TILE * 4). The tile of the destination row stays in eight v128 locals while
 *     consecutive triples share dOff (triples grouped by destination row), so a term costs one load
 *     and one multiply-add (fused where the engine has relaxed SIMD: `fma`) instead of two loads, a
 *     multiply, an add and a store. Terms are added in the triples' order, so the result does not
 *     depend on how the tiles are split among threads.
 */
import { ADD, get, I32, i32c, i32load, f32load, MUL, set, SPLAT, tee, V128 } from './wasm-asm';
import { VADD, VMUL, v128load, v128store, whileLess } from './wasm-asm';
import { setFlagsFromString } from 'node:v8';
import { wasm } from './wasm-api';
import type { FnDef } from './wasm-lif';

/** Floats per column tile (eight v128 accumulators). */
export const TILE = 32;
const TB = TILE * 4;
const NE = [0x47];
const IF = [0x04, 0x40];
const END = [0x0b];
const SHR_U = [0x76];
/** f32x4.relaxed_madd: a * b + c */
const MADD = [0xfd, 0x85, 0x02];

function axpyTiles(fma: boolean): FnDef {
  // params 0 trip, 1 n, 2 dst, 3 src, 4 tileBytes, 5 j0, 6 j1; locals 7 end, 8 jt, 9 t, 10 cur, 11 d, 12 s,
  // 13 srcTile (i32); 14 v, 15-22 acc (v128)
  const [DST, SRC, TBYTES, J0, J1] = [2, 3, 4, 5, 6];
  const [E, JT, T, CUR, D, S, ST] = [7, 8, 9, 10, 11, 12, 13];
  const [VV, ACC] = [14, 15];
  const ACCS = Array.from({ length: TILE / 4 }, (_, k) => k);
  const at = (base: number, k: number) => [...get(base), ...v128load(16 * k)];
  const flush = ACCS.flatMap((k) => [...get(D), ...get(ACC + k), ...v128store(16 * k)]);
  const reload = ACCS.flatMap((k) => [...at(D, k), ...set(ACC + k)]);
  const term = ACCS.flatMap((k) =>
    fma
      ? [...get(VV), ...at(S, k), ...get(ACC + k), ...MADD, ...set(ACC + k)]
      : [...get(ACC + k), ...get(VV), ...at(S, k), ...VMUL, ...VADD, ...set(ACC + k)],
  );
  const ifStarted = (body: number[]) => [...get(CUR), ...i32c(-1), ...NE, ...IF, ...body, ...END];
  const triple = [
    // a new destination row: store the finished one (none yet when cur = -1), load the next
    ...[...get(T), ...i32load(0), ...get(CUR), ...NE, ...IF, ...ifStarted(flush)],
    ...[...get(T), ...i32load(0), ...tee(CUR), ...get(DST), ...ADD, ...get(JT), ...ADD, ...set(D), ...reload, ...END],
    ...[...get(ST), ...get(T), ...i32load(4), ...ADD, ...set(S)],
    ...[...get(T), ...f32load(8), ...SPLAT, ...set(VV), ...term],
  ];
  const tile = [
    // srcTile = src + (jt / TB) * tileBytes
    ...[...get(SRC), ...get(JT), ...i32c(7), ...SHR_U, ...get(TBYTES), ...MUL, ...ADD, ...set(ST)],
    ...[...get(0), ...set(T), ...i32c(-1), ...set(CUR)],
    ...whileLess(T, E, 12, triple),
    ...ifStarted(flush),
  ];
  return {
    name: 'axpy_tiles',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [
      [7, I32],
      [1 + TILE / 4, V128],
    ],
    code: [
      ...[...get(0), ...get(1), ...i32c(12), ...MUL, ...ADD, ...set(E)],
      ...[...get(J0), ...set(JT)],
      ...whileLess(JT, J1, TB, tile),
    ],
  };
}

function toTiles(): FnDef {
  // params 0 src, 1 dst, 2 rows, 3 rowBytes, 4 t0, 5 t1; locals 6 t, 7 r, 8 s, 9 d
  const copy = Array.from({ length: TILE / 4 }, (_, k) => [
    ...get(9),
    ...get(8),
    ...v128load(16 * k),
    ...v128store(16 * k),
  ]);
  const row = [...copy.flat(), ...[...get(8), ...get(3), ...ADD, ...set(8), ...get(9), ...i32c(TB), ...ADD, ...set(9)]];
  const tile = [
    // s = src + t * TB; d = dst + t * rows * TB
    ...[...get(0), ...get(6), ...i32c(TB), ...MUL, ...ADD, ...set(8)],
    ...[...get(1), ...get(6), ...get(2), ...MUL, ...i32c(TB), ...MUL, ...ADD, ...set(9)],
    ...[...i32c(0), ...set(7)],
    ...whileLess(7, 2, 1, row),
  ];
  return {
    name: 'to_tiles',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [[4, I32]],
    code: [...get(4), ...set(6), ...whileLess(6, 5, 1, tile)],
  };
}

/** The tile kernels; `fma`: multiply-adds as relaxed SIMD's f32x4.relaxed_madd (only where it validates). */
export function tileFunctions(fma: boolean): FnDef[] {
  return [axpyTiles(fma), toTiles()];
}

/** (func (param v128 v128 v128) (result v128) f32x4.relaxed_madd): validates where relaxed SIMD is on. */
const MADD_PROBE = Uint8Array.from([
  0,
  97,
  115,
  109,
  1,
  0,
  0,
  0,
  1,
  8,
  1,
  0x60,
  3,
  0x7b,
  0x7b,
  0x7b,
  1,
  0x7b,
  3,
  2,
  1,
  0,
  10,
  13,
  1,
  11,
  0,
  0x20,
  0,
  0x20,
  1,
  0x20,
  2,
  ...MADD,
  0x0b,
]);

/**
 * Whether the kernels may use relaxed SIMD's fused multiply-add: on in Electron's V8, behind a flag in
 * Node 20's (switched on here, before any module using it compiles). SEN_LAB_FMA=0 turns it off. The
 * results of one machine do not change from run to run; a machine without FMA units rounds twice.
 */
export function relaxedSimd(): boolean {
  if (process.env.SEN_LAB_FMA === '0') return false;
  if (wasm.validate(MADD_PROBE)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return wasm.validate(MADD_PROBE);
}
