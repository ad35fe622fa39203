/**
 * Element-wise SIMD128 kernels of the LIF time loop (see ./snn.ts for the math), assembled like
 * ./wasm-kernel.ts. All pointers are byte addresses, n a byte count (a multiple of 16: callers do
 * the last 0-3 elements in JavaScript). Each op rounds to float32 as the tfjs ops do.
 *
 *   lif_fwd_{sub,zero}(up, sp, cur, uo, so, n, beta, thr):
 *     sub:  u = (up * beta + cur) - sp * thr        zero: u = ((1 - sp) * up) * beta + cur
 *     so = u > thr ? 1 : 0                          (t = 0: up = sp = 0 gives u = cur)
 *   lif_bwd_{mem,atan,fast}_{sub,zero}_{acc,noacc}(u, sp, up, carry, dI, acc, n, beta, thr, p1, p2):
 *     g = p1 (mem: 1/T) | p1 / (1 + (p2 (u - thr))^2) (atan: p1 = a/2, p2 = pi a / 2) | 1 / (p1 |u - thr| + 1)^2 (fast)
 *     d = carry + up * g;  dI = d;  acc += d (acc);  carry = d * beta (* (1 - sp) for zero)
 */
import {
  ADD,
  END,
  F32,
  F32CONST,
  get,
  I32,
  i32c,
  name,
  section,
  set,
  SPLAT,
  tee,
  uleb,
  V128,
  VABS,
  VADD,
  VAND,
  vec,
  VDIV,
  VGT,
  VMUL,
  VSUB,
  v128load,
  v128store,
  whileLess,
} from './wasm-asm';

export type LifSurrogate = 'mem' | 'atan' | 'fast';
export type LifReset = 'sub' | 'zero';

export interface FnDef {
  name: string;
  params: number[];
  locals: number[][];
  code: number[];
}

/** while (i < n) { body; i += 16 } with i in local `iLocal`, n in local `nLocal`. */
function loop16(iLocal: number, nLocal: number, body: number[]): number[] {
  return whileLess(iLocal, nLocal, 16, body);
}

function fwd(reset: LifReset): FnDef {
  // params: 0 up, 1 sp, 2 cur, 3 uo, 4 so, 5 n (i32), 6 beta, 7 thr (f32); locals: 8 i; 9 vb, 10 vt, 11 one, 12 u (v128)
  const at = (p: number) => [...get(p), ...get(8), ...ADD];
  const load = (p: number) => [...at(p), ...v128load(0)];
  const u =
    reset === 'sub'
      ? [...load(0), ...get(9), ...VMUL, ...load(2), ...VADD, ...load(1), ...get(10), ...VMUL, ...VSUB]
      : [...get(11), ...load(1), ...VSUB, ...load(0), ...VMUL, ...get(9), ...VMUL, ...load(2), ...VADD];
  const body = [
    ...at(3),
    ...u,
    ...tee(12),
    ...v128store(0),
    ...at(4),
    ...get(12),
    ...get(10),
    ...VGT,
    ...get(11),
    ...VAND,
    ...v128store(0),
  ];
  return {
    name: `lif_fwd_${reset}`,
    params: [I32, I32, I32, I32, I32, I32, F32, F32],
    locals: [
      [1, I32],
      [4, V128],
    ],
    code: [
      ...get(6),
      ...SPLAT,
      ...set(9),
      ...get(7),
      ...SPLAT,
      ...set(10),
      ...F32CONST(1),
      ...SPLAT,
      ...set(11),
      ...i32c(0),
      ...set(8),
      ...loop16(8, 5, body),
    ],
  };
}

function bwd(surrogate: LifSurrogate, reset: LifReset, acc: boolean): FnDef {
  // params: 0 u, 1 sp, 2 up, 3 carry, 4 dI, 5 acc, 6 n (i32), 7 beta, 8 thr, 9 p1, 10 p2 (f32)
  // locals: 11 i; 12 vb, 13 vt, 14 v1, 15 v2, 16 one, 17 d, 18 x (v128)
  const at = (p: number) => [...get(p), ...get(11), ...ADD];
  const load = (p: number) => [...at(p), ...v128load(0)];
  const g = {
    mem: [...get(14)],
    atan: [
      ...get(14),
      ...get(16),
      ...load(0),
      ...get(13),
      ...VSUB,
      ...get(15),
      ...VMUL,
      ...tee(18),
      ...get(18),
      ...VMUL,
      ...VADD,
      ...VDIV,
    ],
    fast: [
      ...get(16),
      ...load(0),
      ...get(13),
      ...VSUB,
      ...VABS,
      ...get(14),
      ...VMUL,
      ...get(16),
      ...VADD,
      ...tee(18),
      ...get(18),
      ...VMUL,
      ...VDIV,
    ],
  }[surrogate];
  const carry =
    reset === 'sub'
      ? [...get(17), ...get(12), ...VMUL]
      : [...get(17), ...get(12), ...VMUL, ...get(16), ...load(1), ...VSUB, ...VMUL];
  const body = [
    ...load(3),
    ...load(2),
    ...g,
    ...VMUL,
    ...VADD,
    ...set(17),
    ...at(4),
    ...get(17),
    ...v128store(0),
    ...(acc ? [...at(5), ...load(5), ...get(17), ...VADD, ...v128store(0)] : []),
    ...at(3),
    ...carry,
    ...v128store(0),
  ];
  return {
    name: `lif_bwd_${surrogate}_${reset}_${acc ? 'acc' : 'noacc'}`,
    params: [I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32],
    locals: [
      [1, I32],
      [7, V128],
    ],
    code: [
      ...get(7),
      ...SPLAT,
      ...set(12),
      ...get(8),
      ...SPLAT,
      ...set(13),
      ...get(9),
      ...SPLAT,
      ...set(14),
      ...get(10),
      ...SPLAT,
      ...set(15),
      ...F32CONST(1),
      ...SPLAT,
      ...set(16),
      ...i32c(0),
      ...set(11),
      ...loop16(11, 6, body),
    ],
  };
}

/** Every LIF kernel, in a fixed order. */
export function lifFunctions(): FnDef[] {
  const out: FnDef[] = [fwd('sub'), fwd('zero')];
  for (const s of ['mem', 'atan', 'fast'] as const)
    for (const r of ['sub', 'zero'] as const) for (const a of [true, false]) out.push(bwd(s, r, a));
  return out;
}

/** A module section list for functions `defs` (type, function, export and code entries), indices from `first`. */
export function functionSections(defs: FnDef[], first: number) {
  return {
    types: defs.map((d) => [0x60, ...vec(d.params.map((p) => [p])), 0]),
    funcs: defs.map((_, i) => [...uleb(first + i)]),
    exports: defs.map((d, i) => [...name(d.name), 0x00, ...uleb(first + i)]),
    bodies: defs.map((d) => {
      const body = [...vec(d.locals.map(([count, type]) => [...uleb(count), type])), ...d.code, ...END];
      return [...uleb(body.length), ...body];
    }),
  };
}

export { section };
