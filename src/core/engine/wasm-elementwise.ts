/**
 * Element-wise SIMD128 kernels of the dense parts of a training step (n: a byte count, a multiple
 * of 16; callers do the last 0-3 elements in JavaScript). Every op rounds to float32, as the tfjs
 * ops they replace:
 *
 *   relu(x, n):             x = max(x, 0)
 *   relu_grad(da, a, n):    da = a > 0 ? da : 0
 *   adam(p, g, m, v, n, b1, b2, lr, c1, c2, eps):
 *     m = m b1 + g (1 - b1);  v = v b2 + g^2 (1 - b2);  p = ((m / c1) / (sqrt(v / c2) + eps)) (-lr) + p
 *   (c1 = 1 - b1^t, c2 = 1 - b2^t, in tf.train.adam's order of operations)
 *   add_into(dst, src, n):  dst += src
 *   col_sums(dst, m, rows, rowBytes, j0, j1):  dst[j] += m[b, j] for b = 0, 1, ... (bias gradients), byte
 *                                              columns j in [j0, j1) (multiples of 16)
 */
import {
  ADD,
  F32,
  get,
  I32,
  i32c,
  set,
  SPLAT,
  tee,
  V128,
  VADD,
  VAND,
  VDIV,
  VGT,
  VMUL,
  v128load,
  v128store,
  whileLess,
} from './wasm-asm';
import type { FnDef } from './wasm-lif';

const VMAX = [0xfd, 0xe9, 0x01];
const VSQRT = [0xfd, 0xe3, 0x01];
const V128ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];

function loop16(i: number, n: number, body: number[]): number[] {
  return [...i32c(0), ...set(i), ...whileLess(i, n, 16, body)];
}

export function elementwiseFunctions(): FnDef[] {
  // relu: 0 x, 1 n; locals 2 i, 3 zero
  const at = (p: number, i: number) => [...get(p), ...get(i), ...ADD];
  const relu: FnDef = {
    name: 'relu',
    params: [I32, I32],
    locals: [
      [1, I32],
      [1, V128],
    ],
    code: [
      ...V128ZERO,
      ...set(3),
      ...loop16(2, 1, [...at(0, 2), ...at(0, 2), ...v128load(0), ...get(3), ...VMAX, ...v128store(0)]),
    ],
  };
  // relu_grad: 0 da, 1 a, 2 n; locals 3 i, 4 zero
  const reluGrad: FnDef = {
    name: 'relu_grad',
    params: [I32, I32, I32],
    locals: [
      [1, I32],
      [1, V128],
    ],
    code: [
      ...V128ZERO,
      ...set(4),
      ...loop16(3, 2, [
        ...at(0, 3),
        ...at(1, 3),
        ...v128load(0),
        ...get(4),
        ...VGT,
        ...at(0, 3),
        ...v128load(0),
        ...VAND,
        ...v128store(0),
      ]),
    ],
  };
  // adam: 0 p, 1 g, 2 m, 3 v, 4 n (i32); 5 b1, 6 1-b1, 7 b2, 8 1-b2, 9 -lr, 10 c1, 11 c2, 12 eps (f32)
  // locals: 13 i; 14-21 the eight constants splatted, 22 g, 23 m, 24 v (v128)
  const constants = [5, 6, 7, 8, 9, 10, 11, 12].flatMap((from, k) => [...get(from), ...SPLAT, ...set(14 + k)]);
  const [B1, OB1, B2, OB2, NLR, C1, C2, EPS] = [14, 15, 16, 17, 18, 19, 20, 21];
  const adam: FnDef = {
    name: 'adam',
    params: [I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    locals: [
      [1, I32],
      [11, V128],
    ],
    code: [
      ...constants,
      ...loop16(13, 4, [
        ...at(1, 13),
        ...v128load(0),
        ...set(22),
        // m = m b1 + g (1 - b1)
        ...at(2, 13),
        ...at(2, 13),
        ...v128load(0),
        ...get(B1),
        ...VMUL,
        ...get(22),
        ...get(OB1),
        ...VMUL,
        ...VADD,
        ...tee(23),
        ...v128store(0),
        // v = v b2 + (g g) (1 - b2)
        ...at(3, 13),
        ...at(3, 13),
        ...v128load(0),
        ...get(B2),
        ...VMUL,
        ...get(22),
        ...get(22),
        ...VMUL,
        ...get(OB2),
        ...VMUL,
        ...VADD,
        ...tee(24),
        ...v128store(0),
        // p = ((m / c1) / (sqrt(v / c2) + eps)) (-lr) + p
        ...at(0, 13),
        ...get(23),
        ...get(C1),
        ...VDIV,
        ...get(24),
        ...get(C2),
        ...VDIV,
        ...VSQRT,
        ...get(EPS),
        ...VADD,
        ...VDIV,
        ...get(NLR),
        ...VMUL,
        ...at(0, 13),
        ...v128load(0),
        ...VADD,
        ...v128store(0),
      ]),
    ],
  };
  // col_sums: 0 dst, 1 m, 2 rows, 3 rowBytes, 4 j0, 5 j1; locals 6 b, 7 j, 8 row
  const colSums: FnDef = {
    name: 'col_sums',
    params: [I32, I32, I32, I32, I32, I32],
    locals: [[3, I32]],
    code: [
      ...[...get(1), ...set(8), ...i32c(0), ...set(6)],
      ...whileLess(6, 2, 1, [
        ...[...get(4), ...set(7)],
        ...whileLess(7, 5, 16, [
          ...[...at(0, 7), ...at(0, 7), ...v128load(0), ...at(8, 7), ...v128load(0), ...VADD, ...v128store(0)],
        ]),
        ...[...get(8), ...get(3), ...ADD, ...set(8)],
      ]),
    ],
  };
  // add_into: 0 dst, 1 src, 2 n; local 3 i
  const addIntoFn: FnDef = {
    name: 'add_into',
    params: [I32, I32, I32],
    locals: [[1, I32]],
    code: loop16(3, 2, [
      ...at(0, 3),
      ...at(0, 3),
      ...v128load(0),
      ...at(1, 3),
      ...v128load(0),
      ...VADD,
      ...v128store(0),
    ]),
  };
  return [relu, reluGrad, adam, colSums, addIntoFn];
}
