import type { NamedArray } from '../../shared/codec';
import type { Arena, Buf } from './arena';
import { simd } from './mlp';

/**
 * Adam exactly as TensorFlow.js applies it (tf.train.adam: beta1 0.9, beta2 0.999, epsilon 1e-7,
 * float32 ops in its order), in place on buffers of the arena (the SIMD kernel `adam` of
 * ./wasm-elementwise.ts; the last n % 4 values here):
 *   m = m b1 + g (1 - b1)        v = v b2 + g^2 (1 - b2)
 *   p = ((m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)) (-lr) + p
 * with b1^t, b2^t float32 running products (tfjs's accBeta1/accBeta2) and t the updates so far.
 * The moments are kept in the order of the parameters (all first moments, then all second moments
 * in the checkpoint, as tfjs's optimizer.getWeights()), so checkpoints of both engines resume each other.
 */
export class Adam {
  readonly m: Buf[];
  readonly v: Buf[];
  iterations = 0;
  private acc1: number;
  private acc2: number;

  constructor(
    private readonly arena: Arena,
    readonly lr: number,
    sizes: number[],
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-7,
  ) {
    this.m = sizes.map((n) => arena.floats(n));
    this.v = sizes.map((n) => arena.floats(n));
    this.acc1 = Math.fround(beta1);
    this.acc2 = Math.fround(beta2);
  }

  /** One update of every parameter p[k] with its gradient g[k]. */
  step(p: Buf[], g: Buf[]): void {
    const f = Math.fround;
    const b1 = f(this.beta1);
    const b2 = f(this.beta2);
    const ob1 = f(1 - this.beta1);
    const ob2 = f(1 - this.beta2);
    const c1 = f(1 - this.acc1);
    const c2 = f(1 - this.acc2);
    const eps = f(this.eps);
    const nlr = f(-this.lr);
    for (let k = 0; k < p.length; k++) {
      const n = p[k].f.length;
      const from = simd(n, (bytes) =>
        this.arena.kernels.adam(
          p[k].ptr,
          g[k].ptr,
          this.m[k].ptr,
          this.v[k].ptr,
          bytes,
          b1,
          ob1,
          b2,
          ob2,
          nlr,
          c1,
          c2,
          eps,
        ),
      );
      const [pk, gk, m, v] = [p[k].f, g[k].f, this.m[k].f, this.v[k].f];
      for (let i = from; i < n; i++) {
        m[i] = f(f(m[i] * b1) + f(gk[i] * ob1));
        v[i] = f(f(v[i] * b2) + f(f(gk[i] * gk[i]) * ob2));
        pk[i] = f(f(f(f(m[i] / c1) / f(f(Math.sqrt(f(v[i] / c2))) + eps)) * nlr) + pk[i]);
      }
    }
    this.iterations++;
    this.acc1 = f(this.acc1 * b1);
    this.acc2 = f(this.acc2 * b2);
  }

  /** The moments as checkpoint arrays opt/0 … (first moments, then second moments). */
  moments(shapes: number[][]): NamedArray[] {
    return [...this.m, ...this.v].map((b, i) => ({
      name: `opt/${i}`,
      shape: shapes[i % shapes.length].slice(),
      data: Float32Array.from(b.f),
    }));
  }

  /** Restores the state saved by `moments` (a checkpoint of either engine); no moments: a fresh optimizer. */
  restore(iterations: number, arrays: NamedArray[]): void {
    if (arrays.length === 0) return;
    if (arrays.length !== this.m.length * 2)
      throw new Error(`checkpoint has ${arrays.length} optimizer arrays, expected ${this.m.length * 2}`);
    arrays.forEach((a, i) => {
      const dst = i < this.m.length ? this.m[i] : this.v[i - this.m.length];
      if (a.data.length !== dst.f.length)
        throw new Error(`optimizer array ${a.name} has ${a.data.length} values, expected ${dst.f.length}`);
      dst.f.set(a.data);
    });
    this.iterations = iterations;
    // beta^(iterations + 1) as the same float32 running product an uninterrupted run holds (exact resume)
    this.acc1 = Math.fround(this.beta1);
    this.acc2 = Math.fround(this.beta2);
    for (let t = 0; t < iterations; t++) {
      this.acc1 = Math.fround(this.acc1 * Math.fround(this.beta1));
      this.acc2 = Math.fround(this.acc2 * Math.fround(this.beta2));
    }
  }
}
