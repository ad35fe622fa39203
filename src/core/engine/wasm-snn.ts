/**
 * Fused SIMD128 kernels for a spiking hidden layer with a constant input current (direct coding) feeding
 * a narrow output layer (at most 16 outputs): the whole time loop of a row runs in cache, so neither
 * U nor S of every step goes through memory (see ./snn-fused.ts for the math and the callers).
 * Byte addresses and byte counts (multiples of 16) throughout; n = n1 * 4 is a hidden row in bytes.
 *
 *   snn_fwd_{sub,zero}(cur, n, w16, out, state, outT, T, beta, thr, b0, b1)
 *     for rows b in [b0, b1), t < T: U = beta U + cur - S thr  (zero: beta (1 - S) U + cur), S = U > thr
 *     (S of the previous step is recomputed from the stored U: state [rows, n1] holds U only), and
 *     out[t * outT + b * 64 + k] = sum_i S[b, i] w16[i, k] in order of i (a W row added per spike)
 *   snn_bwd_{atan,fast}_{sub,zero}_k{K}(cur, n, wt, dI, traj, carry, acc, g16, rows, dT, T, beta, thr, p1, p2, i0, i1)
 *     for hidden bytes [i0, i1) and every row b: the trajectory U[0..T-1] is recomputed into
 *     traj[(t + 1) * n] (row 0 stays zero: U[-1]), then for t = T-1 … 0, with dI = dI[t * dT + b * 64]:
 *       dS = sum_{k<K} dI[k] wt[i, k]   (wt interleaved as ./wasm-narrow.ts's narrow_back)
 *       d = carry + dS g(U - thr);  acc[b] += d;  carry = d beta (zero: * (1 - S[t-1]));  g16[i] += dI if S[t]
 * The ops and their order per element are those of lif_fwd / narrow_fwd / narrow_back / lif_bwd, so
 * the forward pass has the same bits as the unfused one. Each output element is written by one thread
 * (rows split in the forward pass, hidden units in the backward pass): the bits do not depend on the
 * thread count.
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
  LT_U,
  MUL,
  set,
  SPLAT,
  SUB,
  tee,
  V128,
  VABS,
  VADD,
  VAND,
  VDIV,
  VGT,
  VMUL,
  VSUB,
  v128load,
  v128store,
  whileLess,
} from './wasm-asm';
import type { FnDef, LifReset } from './wasm-lif';

const I32_LANE = (k: number) => [0xfd, 0x1b, k];

/** U of the next step from U (local u) and the current at address `cur`: the lif_fwd formulas, S from U > thr. */
function nextU(reset: LifReset, u: number, cur: number[], vb: number, vt: number, one: number): number[] {
  const spiked = [...get(u), ...get(vt), ...VGT];
  return reset === 'sub'
    ? [...get(u), ...get(vb), ...VMUL, ...cur, ...v128load(0), ...VADD, ...spiked, ...get(vt), ...VAND, ...VSUB]
    : [
        ...get(one),
        ...spiked,
        ...get(one),
        ...VAND,
        ...VSUB,
        ...get(u),
        ...VMUL,
        ...get(vb),
        ...VMUL,
        ...cur,
        ...v128load(0),
        ...VADD,
      ];
}

/** For each lane k of the mask in local `m` that is set: `onLane(k)` (the whole group skipped when none is). */
function perSpike(m: number, onLane: (k: number) => number[]): number[] {
  const lanes = [0, 1, 2, 3].flatMap((k) => [...get(m), ...I32_LANE(k), ...IF, ...onLane(k), ...END]);
  return [...get(m), ...ANY_TRUE, ...IF, ...lanes, ...END];
}

function fwd(reset: LifReset): FnDef {
  // params: 0 cur, 1 n, 2 w16, 3 out, 4 state, 5 outT, 6 T (i32), 7 beta, 8 thr (f32), 9 b0, 10 b1 (i32)
  // locals: 11 b, 12 t, 13 i, 14 rowC, 15 rowS, 16 wrow (i32); 17 vb, 18 vt, 19 one, 20 u, 21 m, 22-25 r0-r3 (v128)
  const at = (row: number) => [...get(row), ...get(13), ...ADD];
  const wrow = (k: number) => [...get(2), ...get(13), ...i32c(16), ...MUL, ...ADD, ...i32c(64 * k), ...ADD];
  const onLane = (k: number) => [
    ...wrow(k),
    ...set(16),
    ...[0, 1, 2, 3].flatMap((j) => [...get(22 + j), ...get(16), ...v128load(16 * j), ...VADD, ...set(22 + j)]),
  ];
  const group = [
    ...at(15),
    ...at(15),
    ...v128load(0),
    ...set(20),
    ...nextU(reset, 20, at(14), 17, 18, 19),
    ...tee(20),
    ...v128store(0),
    ...get(20),
    ...get(18),
    ...VGT,
    ...set(21),
    ...perSpike(21, onLane),
  ];
  const outAt = [...get(3), ...get(12), ...get(5), ...MUL, ...ADD, ...get(11), ...i32c(64), ...MUL, ...ADD];
  const step = [
    ...[0, 1, 2, 3].flatMap((j) => [...V128ZERO, ...set(22 + j)]),
    ...i32c(0),
    ...set(13),
    ...whileLess(13, 1, 16, group),
    ...[0, 1, 2, 3].flatMap((j) => [...outAt, ...get(22 + j), ...v128store(16 * j)]),
  ];
  const zeroState = [...at(15), ...V128ZERO, ...v128store(0)];
  const row = [
    ...get(0),
    ...get(11),
    ...get(1),
    ...MUL,
    ...ADD,
    ...set(14),
    ...get(4),
    ...get(11),
    ...get(1),
    ...MUL,
    ...ADD,
    ...set(15),
    ...i32c(0),
    ...set(13),
    ...whileLess(13, 1, 16, zeroState),
    ...i32c(0),
    ...set(12),
    ...whileLess(12, 6, 1, step),
  ];
  return {
    name: `snn_fwd_${reset}`,
    params: [I32, I32, I32, I32, I32, I32, I32, F32, F32, I32, I32],
    locals: [
      [6, I32],
      [9, V128],
    ],
    code: [
      ...splat(7, 17),
      ...splat(8, 18),
      ...F32CONST(1),
      ...SPLAT,
      ...set(19),
      ...get(9),
      ...set(11),
      ...whileLess(11, 10, 1, row),
    ],
  };
}

const splat = (param: number, local: number) => [...get(param), ...SPLAT, ...set(local)];

/**
 * Hidden bytes per block of the backward kernel: every row and step of a block runs before the next
 * block, so the block's slice of W^T (16 v128 per 4 units), of the trajectory and of dW stay in L1.
 */
const BWD_BLOCK = 256;
const SELECT = [0x1b];

export type FusedSurrogate = 'atan' | 'fast';

function bwd(surrogate: FusedSurrogate, reset: LifReset, K: number): FnDef {
  // params: 0 cur, 1 n, 2 wt, 3 dI, 4 traj, 5 carry, 6 acc, 7 g16, 8 rows, 9 dT, 10 T (i32),
  //         11 beta, 12 thr, 13 p1, 14 p2 (f32), 15 i0, 16 i1 (i32)
  // locals: 17 b, 18 k, 19 i, 20 rowC, 21 rowA, 22 dp, 23 tp, 24 wp, 25 grow (i32);
  //         26 vb, 27 vt, 28 v1, 29 v2, 30 one, 31 u, 32 d, 33 x, 34 m, 35-38 unused, 39 … 39+K-1 dI splats (v128);
  //         ib = 39 + K, ie = 40 + K (i32): the block of hidden bytes [ib, ie) in work
  const ib = 39 + K;
  const ie = 40 + K;
  const at = (base: number) => [...get(base), ...get(19), ...ADD];
  const load = (base: number) => [...at(base), ...v128load(0)];
  // pass A: U[0..T-1] of 4 units into traj rows 1..T
  const trajStep = [
    ...get(23),
    ...get(19),
    ...ADD,
    ...nextU(reset, 31, at(20), 26, 27, 30),
    ...tee(31),
    ...v128store(0),
    ...get(23),
    ...get(1),
    ...ADD,
    ...set(23),
  ];
  const recompute = [
    ...V128ZERO,
    ...set(31),
    ...get(4),
    ...get(1),
    ...ADD,
    ...set(23),
    ...i32c(0),
    ...set(18),
    ...whileLess(18, 10, 1, trajStep),
    ...at(5),
    ...V128ZERO,
    ...v128store(0),
    ...at(21),
    ...V128ZERO,
    ...v128store(0),
  ];
  // pass B, one group of 4 units at step t (tp = traj row t + 1, dp = dI row of (t, b))
  const dS = [
    ...get(2),
    ...get(19),
    ...i32c(16),
    ...MUL,
    ...ADD,
    ...set(24),
    ...get(39),
    ...get(24),
    ...v128load(0),
    ...VMUL,
    ...Array.from({ length: K - 1 }, (_, m) => [
      ...get(40 + m),
      ...get(24),
      ...v128load((m + 1) * 16),
      ...VMUL,
      ...VADD,
    ]).flat(),
  ];
  const x = [...get(31), ...get(27), ...VSUB];
  const g =
    surrogate === 'atan'
      ? [...get(28), ...get(30), ...x, ...get(29), ...VMUL, ...tee(33), ...get(33), ...VMUL, ...VADD, ...VDIV]
      : [...get(30), ...x, ...VABS, ...get(28), ...VMUL, ...get(30), ...VADD, ...tee(33), ...get(33), ...VMUL, ...VDIV];
  const prevOpen = [...get(30), ...get(23), ...get(1), ...SUB, ...get(19), ...ADD, ...v128load(0), ...get(27)];
  const carry =
    reset === 'sub'
      ? [...get(32), ...get(26), ...VMUL]
      : [...get(32), ...get(26), ...VMUL, ...prevOpen, ...VGT, ...get(30), ...VAND, ...VSUB, ...VMUL];
  const onLane = (k: number) => [
    ...get(7),
    ...get(19),
    ...i32c(16),
    ...MUL,
    ...ADD,
    ...i32c(64 * k),
    ...ADD,
    ...set(25),
    ...[0, 1, 2, 3].flatMap((j) => [
      ...get(25),
      ...get(25),
      ...v128load(16 * j),
      ...get(22),
      ...v128load(16 * j),
      ...VADD,
      ...v128store(16 * j),
    ]),
  ];
  const group = [
    ...load(23),
    ...set(31),
    ...load(5),
    ...dS,
    ...g,
    ...VMUL,
    ...VADD,
    ...set(32),
    ...at(21),
    ...load(21),
    ...get(32),
    ...VADD,
    ...v128store(0),
    ...at(5),
    ...carry,
    ...v128store(0),
    ...get(31),
    ...get(27),
    ...VGT,
    ...set(34),
    ...perSpike(34, onLane),
  ];
  // step k of pass B is t = T-1-k: tp = traj + (T - k) n, dp = dI + (T-1-k) dT + b 64
  const backStep = [
    ...get(4),
    ...get(10),
    ...get(18),
    ...SUB,
    ...get(1),
    ...MUL,
    ...ADD,
    ...set(23),
    ...get(3),
    ...get(10),
    ...get(18),
    ...SUB,
    ...i32c(1),
    ...SUB,
    ...get(9),
    ...MUL,
    ...ADD,
    ...get(17),
    ...i32c(64),
    ...MUL,
    ...ADD,
    ...set(22),
    ...Array.from({ length: K }, (_, m) => [...get(22), ...f32load(4 * m), ...SPLAT, ...set(39 + m)]).flat(),
    ...get(ib),
    ...set(19),
    ...whileLess(19, ie, 16, group),
  ];
  const row = [
    ...get(0),
    ...get(17),
    ...get(1),
    ...MUL,
    ...ADD,
    ...set(20),
    ...get(6),
    ...get(17),
    ...get(1),
    ...MUL,
    ...ADD,
    ...set(21),
    ...get(ib),
    ...set(19),
    ...whileLess(19, ie, 16, recompute),
    ...i32c(0),
    ...set(18),
    ...whileLess(18, 10, 1, backStep),
  ];
  return {
    name: `snn_bwd_${surrogate}_${reset}_k${K}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, I32, I32],
    locals: [
      [9, I32],
      [13 + K, V128],
      [2, I32],
    ],
    code: [
      ...splat(11, 26),
      ...splat(12, 27),
      ...splat(13, 28),
      ...splat(14, 29),
      ...F32CONST(1),
      ...SPLAT,
      ...set(30),
      ...get(15),
      ...set(ib),
      ...whileLess(ib, 16, BWD_BLOCK, [
        ...[...get(ib), ...i32c(BWD_BLOCK), ...ADD],
        ...get(16),
        ...[...get(ib), ...i32c(BWD_BLOCK), ...ADD, ...get(16), ...LT_U],
        ...SELECT,
        ...set(ie),
        ...i32c(0),
        ...set(17),
        ...whileLess(17, 8, 1, row),
      ]),
    ],
  };
}

/** Every fused kernel, in a fixed order: forward per reset, backward per surrogate, reset and output count 1-16. */
export function snnFunctions(): FnDef[] {
  const out: FnDef[] = [fwd('sub'), fwd('zero')];
  for (const s of ['atan', 'fast'] as const)
    for (const r of ['sub', 'zero'] as const) for (let k = 1; k <= 16; k++) out.push(bwd(s, r, k));
  return out;
}
