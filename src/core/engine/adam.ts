import type { NamedArray } from '../../shared/codec';

/**
 * Adam exactly as TensorFlow.js applies it (tf.train.adam, beta1 0.9, beta2 0.999, epsilon 1e-7),
 * in place on Float32Arrays; t counts the updates applied so far:
 *   m = b1 m + (1 - b1) g        v = b2 v + (1 - b2) g^2
 *   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * The moments are kept in the order of `params` (all first moments, then all second moments in the
 * checkpoint, as tfjs's optimizer.getWeights()), so checkpoints of both engines resume each other.
 */
export class Adam {
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  iterations = 0;

  constructor(
    readonly lr: number,
    sizes: number[],
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-7,
  ) {
    this.m = sizes.map((n) => new Float32Array(n));
    this.v = sizes.map((n) => new Float32Array(n));
  }

  /** One update of every parameter p[k] with its gradient g[k]. */
  step(p: Float32Array[], g: Float32Array[]): void {
    this.iterations++;
    const { beta1: b1, beta2: b2, eps, lr } = this;
    const c1 = 1 - b1 ** this.iterations;
    const c2 = 1 - b2 ** this.iterations;
    for (let k = 0; k < p.length; k++) {
      const pk = p[k];
      const gk = g[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < pk.length; i++) {
        const gi = gk[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        pk[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }

  /** The moments as checkpoint arrays opt/0 … (first moments, then second moments). */
  moments(shapes: number[][]): NamedArray[] {
    return [...this.m, ...this.v].map((data, i) => ({ name: `opt/${i}`, shape: shapes[i % shapes.length].slice(), data: Float32Array.from(data) }));
  }

  /** Restores the state saved by `moments` (a checkpoint of either engine); no moments: a fresh optimizer. */
  restore(iterations: number, arrays: NamedArray[]): void {
    if (arrays.length === 0) return;
    if (arrays.length !== this.m.length * 2) throw new Error(`checkpoint has ${arrays.length} optimizer arrays, expected ${this.m.length * 2}`);
    arrays.forEach((a, i) => {
      const dst = i < this.m.length ? this.m[i] : this.v[i - this.m.length];
      if (a.data.length !== dst.length) throw new Error(`optimizer array ${a.name} has ${a.data.length} values, expected ${dst.length}`);
      dst.set(a.data);
    });
    this.iterations = iterations;
  }
}
