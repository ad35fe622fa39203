import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import type { SpikingSpec } from '../../shared/model-spec';

export interface LifStepOptions {
  reset: SpikingSpec['reset'];
  learnBeta: boolean;
  learnThreshold: boolean;
}

/**
 * One leaky integrate-and-fire membrane update (snnTorch's `Leaky`, reset_delay on), fused into a
 * single op that saves only what its gradient reads (in the default setting: nothing but beta),
 * where the plain tfjs ops would keep four [batch, n] tensors per step for the backward pass:
 *   subtract: U[t] = beta * U[t-1] + I[t] - S[t-1] * threshold
 *   zero:     U[t] = beta * (1 - S[t-1]) * U[t-1] + I[t]
 * S[t-1] (the previous step's spike = snnTorch's `reset`) is detached: no gradient flows through
 * the reset signal, exactly as snnTorch's `mem_reset` (`.clone().detach()`). The threshold factor
 * of the subtractive reset is not detached, so a learned threshold gets -sum(dL/dU * S[t-1]) from it.
 * Gradients:
 *   dL/dU[t-1] = beta * dL/dU[t]                (zero: beta * (1 - S[t-1]) * dL/dU[t])
 *   dL/dI[t]   = dL/dU[t]
 *   dL/dbeta   = sum(dL/dU[t] * U[t-1])         (zero: sum(dL/dU[t] * (1 - S[t-1]) * U[t-1]); only when learned)
 * `beta` and `threshold` are scalar tensors (shape [] or [1]); beta is already clamped to [0, 1].
 */
export function lifStep(
  uPrev: tf.Tensor2D,
  sPrev: tf.Tensor2D,
  current: tf.Tensor2D,
  beta: tf.Tensor,
  threshold: tf.Tensor,
  o: LifStepOptions,
): tf.Tensor2D {
  // sPrev is captured, not an input of the op: the tape sees no path through the reset signal (detached)
  const zero = o.reset === 'zero';
  // save only what the gradient reads: on wasm every saved tensor is a full copy
  const needU = o.learnBeta;
  const needS = zero || o.learnThreshold;
  const op = tf.customGrad(((u: tf.Tensor, i: tf.Tensor, b: tf.Tensor, thr: tf.Tensor, save: tf.GradSaveFunc) => {
    save([b, ...(needU ? [u] : []), ...(needS ? [sPrev] : [])]);
    const kept = zero ? tf.mul(tf.sub(1, sPrev), u) : u;
    const leak = tf.add(tf.mul(kept, b), i);
    return {
      value: zero ? leak : tf.sub(leak, tf.mul(sPrev, thr)),
      // tidy: tfjs keeps every tensor a gradFunc creates until the whole backward pass ends
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sb, ...rest] = saved;
          const su = needU ? rest.shift()! : null;
          const ss = needS ? rest.shift()! : null;
          const open = zero ? tf.mul(dy, tf.sub(1, ss!)) : dy; // dL/dU[t] where the membrane was kept
          const dU = tf.mul(open, sb);
          const dBeta = su ? tf.reshape(tf.sum(tf.mul(open, su)), sb.shape) : tf.zerosLike(sb);
          const dThr =
            o.learnThreshold && !zero ? tf.reshape(tf.neg(tf.sum(tf.mul(dy, ss!))), thr.shape) : tf.zerosLike(thr);
          // dL/dI = dy itself, not a copy: dy is read once (by this node) before tfjs may dispose it
          return [dU, dy, dBeta, dThr];
        }),
    };
  }) as unknown as CustomGradientFunc<tf.Tensor>);
  return op(uPrev, current, beta, threshold) as tf.Tensor2D;
}
