/**
 * The engine's WebAssembly SIMD128 kernel, assembled here from its opcodes (no compiler, no build
 * step: the bytes exist as soon as this module loads, in Node and in Electron alike).
 *
 * One exported function, `axpy_rows(trip, n, dst, src, j0, j1)`, the only inner loop of training:
 * for each of the n triples (dOff, sOff, v) stored at byte address `trip` (12 bytes each),
 *
 *   dst[dOff + j] += v * src[sOff + j]      for every byte offset j in [j0, j1) step 4 (float32)
 *
 * 16 floats per iteration (four v128 lanes), then 4, then scalars for the tail. Each element is
 * updated in the triples' order, so results do not depend on how the columns are split among threads.
 * X @ W (rows of W added into H for each nonzero x), X^T dH (rows of dH into the weight gradient for
 * each nonzero x) and dH W^T are all this loop with different triples; zero entries never appear.
 * The memory is imported (shared, so worker threads run the same kernel on the same buffers).
 */

import {
  ADD,
  AND,
  BLOCK,
  END,
  F32,
  F32ADD,
  F32MUL,
  F32STORE,
  GE_U,
  I32,
  LOOP,
  MUL,
  SPLAT,
  SUB,
  V128,
  VADD,
  VMUL,
  br,
  brIf,
  f32load,
  get,
  i32c,
  i32load,
  name,
  section,
  set,
  uleb,
  v128load,
  v128store,
  vec,
  whileLess,
} from './wasm-asm';

import { functionSections, lifFunctions } from './wasm-lif';
import { tileFunctions } from './wasm-tiles';
import { rowFunctions } from './wasm-rows';
import { narrowFunctions } from './wasm-narrow';
import { elementwiseFunctions } from './wasm-elementwise';
import { spatialFunctions } from './wasm-spatial';

// parameters 0-5: trip, n, dst, src, j0, j1; locals: 6 end, 7 d, 8 s, 9 j, 10 e16, 11 e4, 12 a, 13 b (i32),
// 14 vs (f32), 15 v (v128)
const [TRIP, N, DST, SRC, J0, J1, END_, D, S, J, E16, E4, A, B, VS, V] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
];

/** a = d + j; b = s + j (the addresses of this iteration). */
const ADDRESSES = [...get(D), ...get(J), ...ADD, ...set(A), ...get(S), ...get(J), ...ADD, ...set(B)];

/** dst[a + off] += v * src[b + off] for one v128. */
function lane(off: number): number[] {
  return [
    ...get(A),
    ...get(A),
    ...v128load(off),
    ...get(B),
    ...v128load(off),
    ...get(V),
    ...VMUL,
    ...VADD,
    ...v128store(off),
  ];
}

/** A loop `while (j < end) { body; j += step }` (as block + loop). */
function whileJ(endLocal: number, step: number, body: number[]): number[] {
  return whileLess(J, endLocal, step, body);
}

function axpyRowsBody(): number[] {
  const locals = vec([
    [...uleb(8), I32],
    [1, F32],
    [1, V128],
  ]);
  const scalar = [
    ...ADDRESSES,
    ...get(A),
    ...get(A),
    ...f32load(0),
    ...get(B),
    ...f32load(0),
    ...get(VS),
    ...F32MUL,
    ...F32ADD,
    ...F32STORE,
  ];
  const code = [
    // end = trip + 12 n; e16 = j0 + ((j1 - j0) & ~63); e4 = j0 + ((j1 - j0) & ~15)
    ...get(TRIP),
    ...get(N),
    ...i32c(12),
    ...MUL,
    ...ADD,
    ...set(END_),
    ...get(J0),
    ...get(J1),
    ...get(J0),
    ...SUB,
    ...i32c(-64),
    ...AND,
    ...ADD,
    ...set(E16),
    ...get(J0),
    ...get(J1),
    ...get(J0),
    ...SUB,
    ...i32c(-16),
    ...AND,
    ...ADD,
    ...set(E4),
    ...BLOCK,
    ...LOOP,
    ...get(TRIP),
    ...get(END_),
    ...GE_U,
    ...brIf(1),
    ...get(DST),
    ...get(TRIP),
    ...i32load(0),
    ...ADD,
    ...set(D),
    ...get(SRC),
    ...get(TRIP),
    ...i32load(4),
    ...ADD,
    ...set(S),
    ...get(TRIP),
    ...f32load(8),
    ...set(VS),
    ...get(VS),
    ...SPLAT,
    ...set(V),
    ...get(J0),
    ...set(J),
    ...whileJ(E16, 64, [...ADDRESSES, ...lane(0), ...lane(16), ...lane(32), ...lane(48)]),
    ...whileJ(E4, 16, [...ADDRESSES, ...lane(0)]),
    ...whileJ(J1, 4, scalar),
    ...get(TRIP),
    ...i32c(12),
    ...ADD,
    ...set(TRIP),
    ...br(0),
    ...END,
    ...END,
    ...END,
  ];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/**
 * The module's bytes: imports env.memory (shared, up to `maxPages` 64 KiB pages); exports axpy_rows
 * (function 0) and the LIF kernels of ./wasm-lif.ts (type and function i + 1 each).
 */
export function kernelModuleBytes(maxPages: number, fma = false): Uint8Array {
  const defs = [
    ...lifFunctions(),
    ...narrowFunctions(),
    ...elementwiseFunctions(),
    ...spatialFunctions(),
    ...tileFunctions(fma),
  ];
  // function i + 1 is defs[i] (function 0: axpy_rows)
  defs.push(...rowFunctions((n) => 1 + defs.findIndex((d) => d.name === n)));
  const lif = functionSections(defs, 1);
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0], ...lif.types]));
  const imp = section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(maxPages)]]));
  const func = section(3, vec([[0], ...lif.funcs]));
  const exp = section(7, vec([[...name('axpy_rows'), 0x00, 0], ...lif.exports]));
  const code = section(10, vec([axpyRowsBody(), ...lif.bodies]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...imp, ...func, ...exp, ...code]);
}
