/**
 * SIMD128 kernels of the spatial weights for the paper's kernel K = 1/d (math on
 * ../model/kernels/fused-spatial-weights.ts), assembled like ./wasm-kernel.ts, one pair per number of
 * learned coordinates c (1-4). Columns are v128 lanes, so nOut must be a multiple of 4. `cols` holds
 * pOut transposed, then zOut: [c + 1][nOut]; pIn [nIn, c], zIn and mask [nIn]; all byte addresses.
 *
 *   sw_fwd_c{c}(cols, pIn, zIn, mask, w, nOut, eps2, i0, i1), rows i in [i0, i1):
 *     w_ij = mask_i * (1 / sqrt((zOut_j - zIn_i)^2 + eps2 + sum_k (pIn_ik - pOut_jk)^2))
 *
 *   sw_bwd_c{c}(cols, pIn, zIn, mask, g, part, dcols, nIn, nOut, eps2, b0, b1), column blocks [b0, b1)
 *   of SPATIAL_BLOCK columns, every row i, with f = 1/d and c_ij = -g_ij m_i f^3:
 *     dcols[k][j] -= c_ij (pIn_ik - pOut_jk)    dcols[c][j] += c_ij (zOut_j - zIn_i)   (summed over i in order)
 *     part[b][i] = (sum_j c_ij (pIn_ik - pOut_jk) for each k, -sum_j c_ij dz_ij, sum_j g_ij f_ij)
 *   over the block's columns j. The blocks do not depend on the thread count, and the caller sums the
 *   partials over blocks in a fixed order: the gradients are the same whatever the thread count.
 */
import { ADD, F32, F32CONST, get, I32, i32c, LT_U, MUL, set, SPLAT, tee, V128 } from './wasm-asm';
import { VADD, VDIV, VMUL, VSUB, v128load, v128store, whileLess } from './wasm-asm';
import type { FnDef } from './wasm-lif';

/** Columns per block of the backward kernel (its partial sums are per block and row). */
export const SPATIAL_BLOCK = 256;
/** The coordinate counts c that have kernels. */
export const SPATIAL_COORDS = [1, 2, 3, 4];

const VSQRT = [0xfd, 0xe3, 0x01];
const V128ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const SELECT = [0x1b];
const f32load = (off: number) => [0x2a, 2, off];
const f32store = (off: number) => [0x38, 2, off];
const lane = (k: number) => [0xfd, 0x1f, k];
const F32ADDS = [0x92];
const F32NEG = [0x8c];

/** (v0 + v1) + (v2 + v3) of a v128 local, as f32. */
function hsum(v: number): number[] {
  return [...get(v), ...lane(0), ...get(v), ...lane(1), ...F32ADDS, ...get(v), ...lane(2), ...get(v), ...lane(3)]
    .concat(F32ADDS)
    .concat(F32ADDS);
}

/** Splat of the float at byte address base + 4 * (index local * count + k). */
function splatAt(base: number, index: number, count: number, k: number): number[] {
  return [...get(base), ...get(index), ...i32c(4 * count), ...MUL, ...ADD, ...f32load(4 * k), ...SPLAT];
}

/** s = (zcol[j] - zi)^2 + eps2 + sum_k (pi_k - col_k[j])^2 into local s; dz and dx_k kept in locals. */
function distance2(c: number, at: (base: number) => number[], L: Record<string, number>): number[] {
  const out = [...at(L.col + c), ...v128load(0), ...get(L.zi), ...VSUB, ...tee(L.dz), ...get(L.dz), ...VMUL]
    .concat(get(L.eps))
    .concat(VADD);
  for (let k = 0; k < c; k++)
    out.push(
      ...get(L.pi + k),
      ...at(L.col + k),
      ...v128load(0),
      ...VSUB,
      ...tee(L.dx + k),
      ...get(L.dx + k),
      ...VMUL,
      ...VADD,
    );
  return [...out, ...set(L.s)];
}

/**
 * Locals of a kernel whose parameters end at `first`: i32 i, jb, col[c + 1] and `ints`; v128 eps, one, zi,
 * mi, s, dz, pi[c], dx[c] and `vecs` (arrays of c where the name ends in []); returns indices and counts.
 */
function kernelLocals(c: number, first: number, ints: string[], vecs: string[]) {
  let next = first;
  const L: Record<string, number> = {};
  const take = (names: string[]) => {
    for (const n of names) {
      const many = n.endsWith('[]') ? (n === 'col[]' || n === 'dcol[]' ? c + 1 : c) : 1;
      L[n.replace('[]', '')] = next;
      next += many;
    }
  };
  take(['i', 'jb', 'col[]', ...ints]);
  const nI32 = next - first;
  take(['eps', 'one', 'zi', 'mi', 's', 'dz', 'pi[]', 'dx[]', ...vecs]);
  return {
    L,
    locals: [
      [nI32, I32],
      [next - first - nI32, V128],
    ],
  };
}

/** rowB = nOut * 4, eps and one splatted, the column bases of `cols` (parameter 0). */
function setupCommon(c: number, L: Record<string, number>, nOut: number, eps2: number): number[] {
  return [...get(nOut), ...i32c(4), ...MUL, ...set(L.rowB), ...get(eps2), ...SPLAT, ...set(L.eps)]
    .concat([...F32CONST(1), ...SPLAT, ...set(L.one)])
    .concat(columnBases(c, 0, L.col, L.rowB));
}

/** zi, pi_k splatted from row i (parameters 1 pIn, 2 zIn); out = base + i * rowB. */
function rowSetup(c: number, L: Record<string, number>, base: number, out: number): number[] {
  return [
    ...splatAt(2, L.i, 1, 0),
    ...set(L.zi),
    ...Array.from({ length: c }, (_, k) => [...splatAt(1, L.i, c, k), ...set(L.pi + k)]).flat(),
    ...[...get(base), ...get(L.i), ...get(L.rowB), ...MUL, ...ADD, ...set(out)],
  ];
}

function forward(c: number): FnDef {
  // params: 0 cols, 1 pIn, 2 zIn, 3 mask, 4 w, 5 nOut (i32), 6 eps2 (f32), 7 i0, 8 i1 (i32)
  const { L, locals } = kernelLocals(c, 9, ['rowB', 'wrow'], []);
  const at = (base: number) => [...get(base), ...get(L.jb), ...ADD];
  const row = [
    ...rowSetup(c, L, 4, L.wrow),
    ...splatAt(3, L.i, 1, 0),
    ...set(L.mi),
    ...[...i32c(0), ...set(L.jb)],
    ...whileLess(L.jb, L.rowB, 16, [
      ...distance2(c, at, L),
      ...at(L.wrow),
      ...get(L.mi),
      ...get(L.one),
      ...get(L.s),
      ...VSQRT,
      ...VDIV,
      ...VMUL,
      ...v128store(0),
    ]),
  ];
  return {
    name: `sw_fwd_c${c}`,
    params: [I32, I32, I32, I32, I32, I32, F32, I32, I32],
    locals,
    code: [...setupCommon(c, L, 5, 6), ...get(7), ...set(L.i), ...whileLess(L.i, 8, 1, row)],
  };
}

/** col[k] = base + k * stride for k in [0, c] (the rows of a [c + 1][nOut] table). */
function columnBases(c: number, base: number, first: number, stride: number): number[] {
  return Array.from({ length: c + 1 }, (_, k) => [...get(base), ...i32c(k), ...get(stride), ...MUL, ...ADD]).flatMap(
    (addr, k) => [...addr, ...set(first + k)],
  );
}

function backward(c: number): FnDef {
  // params: 0 cols, 1 pIn, 2 zIn, 3 mask, 4 g, 5 part, 6 dcols, 7 nIn, 8 nOut (i32), 9 eps2 (f32), 10 b0, 11 b1
  const ints = ['dcol[]', 'rowB', 'grow', 'j0', 'j1', 'b', 'p'];
  const { L, locals } = kernelLocals(c, 12, ints, ['f', 'cij', 't', 'accM', 'accZ', 'acc[]']);
  const at = (base: number) => [...get(base), ...get(L.jb), ...ADD];
  const setup = [...setupCommon(c, L, 8, 9), ...columnBases(c, 6, L.dcol, L.rowB)];
  const zero = (v: number) => [...V128ZERO, ...set(v)];
  /** dcol[k][j] += sign * t with t = c_ij * x */
  const scatter = (k: number, x: number, acc: number, subtract: boolean) => [
    ...get(L.cij),
    ...get(x),
    ...VMUL,
    ...tee(L.t),
    ...get(acc),
    ...VADD,
    ...set(acc),
    ...at(L.dcol + k),
    ...at(L.dcol + k),
    ...v128load(0),
    ...get(L.t),
    ...(subtract ? VSUB : VADD),
    ...v128store(0),
  ];
  const inner = [
    ...distance2(c, at, L),
    ...[...get(L.one), ...get(L.s), ...VSQRT, ...VDIV, ...set(L.f)],
    // accM += g f;  c_ij = ((g * -m_i) * f) * (f * f)
    ...[...at(L.grow), ...v128load(0), ...tee(L.t), ...get(L.f), ...VMUL, ...get(L.accM), ...VADD, ...set(L.accM)],
    ...[...get(L.t), ...get(L.mi), ...VMUL, ...get(L.f), ...VMUL, ...get(L.f), ...get(L.f), ...VMUL, ...VMUL],
    ...set(L.cij),
    ...scatter(c, L.dz, L.accZ, false),
    ...Array.from({ length: c }, (_, k) => scatter(k, L.dx + k, L.acc + k, true)).flat(),
  ];
  const store = (k: number, value: number[]) => [...get(L.p), ...value, ...f32store(4 * k)];
  const row = [
    ...rowSetup(c, L, 4, L.grow),
    // mi holds -m_i
    ...[...get(3), ...get(L.i), ...i32c(4), ...MUL, ...ADD, ...f32load(0), ...F32NEG, ...SPLAT],
    ...set(L.mi),
    ...zero(L.accM),
    ...zero(L.accZ),
    ...Array.from({ length: c }, (_, k) => zero(L.acc + k)).flat(),
    ...[...get(L.j0), ...set(L.jb)],
    ...whileLess(L.jb, L.j1, 16, inner),
    // part[b][i] = (acc_0 .. acc_{c-1}, -accZ, accM)
    ...[...get(5), ...get(L.b), ...get(7), ...MUL, ...get(L.i), ...ADD, ...i32c(4 * (c + 2)), ...MUL, ...ADD],
    ...set(L.p),
    ...Array.from({ length: c }, (_, k) => store(k, hsum(L.acc + k))).flat(),
    ...store(c, [...hsum(L.accZ), ...F32NEG]),
    ...store(c + 1, hsum(L.accM)),
  ];
  const block = [
    // j0 = b * BLOCK * 4; j1 = min(j0 + BLOCK * 4, nOut * 4)
    ...[...get(L.b), ...i32c(SPATIAL_BLOCK * 4), ...MUL, ...tee(L.j0), ...i32c(SPATIAL_BLOCK * 4), ...ADD],
    ...[...tee(L.j1), ...get(L.rowB), ...get(L.j1), ...get(L.rowB), ...LT_U, ...SELECT, ...set(L.j1)],
    ...[...i32c(0), ...set(L.i)],
    ...whileLess(L.i, 7, 1, row),
  ];
  return {
    name: `sw_bwd_c${c}`,
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, I32, I32],
    locals,
    code: [...setup, ...get(10), ...set(L.b), ...whileLess(L.b, 11, 1, block)],
  };
}

export function spatialFunctions(): FnDef[] {
  return SPATIAL_COORDS.flatMap((c) => [forward(c), backward(c)]);
}
