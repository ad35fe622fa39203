/**
 * Products with a narrow side (at most 16 outputs, e.g. the 10 classes), where one kernel row-update
 * per nonzero (./wasm-kernel.ts) would spend more on its work list than on arithmetic. Both scan A
 * [rows, nIn] (nIn a multiple of 4) in place, 4 values at a time, skipping all-zero groups with one
 * test (spike trains, ReLU zeros), and keep the 16-wide side in four v128 registers:
 *
 *   narrow_fwd(a, rows, nInBytes, w16, out16):   out16[b, :] = sum_i a[b, i] * w16[i, :]
 *   narrow_grad(a, rows, nInBytes, dz16, g16):   g16[i, :] += a[b, i] * dz16[b, :]   for every b
 *   narrow_back(dz16, rows, wt, nInBytes, out):  out[b, i] = sum_k dz16[b, k] * W[i, k]   (dZ W^T)
 *     with W^T interleaved: wt[(i / 4) * 64 + k * 4 + i % 4] = W[i, k] (16 v128 per 4 inputs), so the 16
 *     products of 4 outputs are one load each at fixed offsets and one store
 *
 * w16, out16, dz16, g16 are padded to 16 float columns (64 bytes per row). Sums run over i (fwd) or b
 * (grad) in order, on one thread: the same bits whatever the engine's thread count.
 */
import {
  ADD,
  ANY_TRUE,
  IF,
  V128ZERO,
  END,
  F32,
  F32CONST,
  f32load,
  get,
  I32,
  i32c,
  MUL,
  set,
  SPLAT,
  tee,
  V128,
  VADD,
  VMUL,
  v128load,
  v128store,
  whileLess,
} from './wasm-asm';
import type { FnDef } from './wasm-lif';
import { snnFunctions } from './wasm-snn';

const F32NE = [0x5c];
const lane = (k: number) => [0xfd, 0x1f, k];

/**
 * The shared skeleton: for b < rows { pre; for i < nInBytes step 16 { x4 = a[row + i]; if any(x4)
 * for k < 4 { v = x4[k]; if v != 0 { lane(k) } } } post; row += nInBytes }.
 * Locals: 5 b, 6 row, 7 i, 8 end (i32); 9 v (f32); 10-13 r0-r3, 14 x4, 15 vv (v128).
 */
function scan(name: string, pre: number[], onValue: (k: number) => number[], post: number[]): FnDef {
  const perLane = (k: number) => [
    ...get(14),
    ...lane(k),
    ...tee(9),
    ...F32CONST(0),
    ...F32NE,
    ...IF,
    ...get(9),
    ...SPLAT,
    ...set(15),
    ...onValue(k),
    ...END,
  ];
  const inner = [
    ...get(6),
    ...get(7),
    ...ADD,
    ...v128load(0),
    ...tee(14),
    ...ANY_TRUE,
    ...IF,
    ...perLane(0),
    ...perLane(1),
    ...perLane(2),
    ...perLane(3),
    ...END,
  ];
  const outer = [
    ...pre,
    ...i32c(0),
    ...set(7),
    ...whileLess(7, 2, 16, inner),
    ...post,
    ...get(6),
    ...get(2),
    ...ADD,
    ...set(6),
  ];
  return {
    name,
    params: [I32, I32, I32, I32, I32],
    locals: [
      [4, I32],
      [1, F32],
      [6, V128],
    ],
    code: [...get(0), ...set(6), ...i32c(0), ...set(5), ...whileLess(5, 1, 1, outer)],
  };
}

/** address of the 64-byte row of element (i + 4k) / 4 of the current A row in the 16-wide matrix at param p */
const wideRow = (p: number, k: number) => [...get(p), ...get(7), ...i32c(4 * k), ...ADD, ...i32c(16), ...MUL, ...ADD];
const outRow = (p: number) => [...get(p), ...get(5), ...i32c(64), ...MUL, ...ADD];

/** The narrow kernels, then the fused spiking ones of ./wasm-snn.ts. */
export function narrowFunctions(): FnDef[] {
  const fwd = scan(
    'narrow_fwd',
    [0, 1, 2, 3].flatMap((j) => [...V128ZERO, ...set(10 + j)]),
    (k) =>
      [0, 1, 2, 3].flatMap((j) => [
        ...get(10 + j),
        ...wideRow(3, k),
        ...v128load(16 * j),
        ...get(15),
        ...VMUL,
        ...VADD,
        ...set(10 + j),
      ]),
    [0, 1, 2, 3].flatMap((j) => [...outRow(4), ...get(10 + j), ...v128store(16 * j)]),
  );
  const grad = scan(
    'narrow_grad',
    [0, 1, 2, 3].flatMap((j) => [...outRow(3), ...v128load(16 * j), ...set(10 + j)]),
    (k) =>
      [0, 1, 2, 3].flatMap((j) => [
        ...wideRow(4, k),
        ...wideRow(4, k),
        ...v128load(16 * j),
        ...get(10 + j),
        ...get(15),
        ...VMUL,
        ...VADD,
        ...v128store(16 * j),
      ]),
    [],
  );
  return [fwd, grad, back(), ...snnFunctions()];
}

function back(): FnDef {
  // params: 0 dz16, 1 rows, 2 wt, 3 nInBytes, 4 out; locals: 5 b, 6 c, 7 wp, 8 op, 9 dzp (i32); 10-25 splats, 26 acc (v128)
  const splats = Array.from({ length: 16 }, (_, k) => [...get(9), ...f32load(k * 4), ...SPLAT, ...set(10 + k)]).flat();
  const sum = [
    ...get(10),
    ...get(7),
    ...v128load(0),
    ...VMUL,
    ...Array.from({ length: 15 }, (_, m) => [
      ...get(11 + m),
      ...get(7),
      ...v128load((m + 1) * 16),
      ...VMUL,
      ...VADD,
    ]).flat(),
  ];
  const inner = [...get(8), ...get(6), ...ADD, ...sum, ...v128store(0), ...get(7), ...i32c(256), ...ADD, ...set(7)];
  const outer = [
    ...splats,
    ...i32c(0),
    ...set(6),
    ...get(2),
    ...set(7),
    ...whileLess(6, 3, 16, inner),
    ...get(8),
    ...get(3),
    ...ADD,
    ...set(8),
    ...get(9),
    ...i32c(64),
    ...ADD,
    ...set(9),
  ];
  return {
    name: 'narrow_back',
    params: [I32, I32, I32, I32, I32],
    locals: [
      [5, I32],
      [17, V128],
    ],
    code: [...get(4), ...set(8), ...get(0), ...set(9), ...i32c(0), ...set(5), ...whileLess(5, 1, 1, outer)],
  };
}
