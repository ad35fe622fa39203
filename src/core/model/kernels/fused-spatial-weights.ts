import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import type { SpatialWeightInputs } from './kernel-types';

/**
 * Fused spatial-weight kernel: one pass in plain JavaScript builds W'_ij = m_i * r_ij with
 * r_ij = 1 / sqrt(||pIn_i - pOut_j||^2 + (zOut_j - zIn_i)^2 + eps^2), and one pass turns the
 * upstream gradient G = dL/dW' into gradients of every input:
 *
 *   c_ij       = -G_ij * m_i * r_ij^3
 *   dL/dpIn_i  =  sum_j c_ij (pIn_i - pOut_j)      dL/dpOut_j = -sum_i c_ij (pIn_i - pOut_j)
 *   dL/dzOut_j =  sum_i c_ij (zOut_j - zIn_i)       dL/dzIn_i  = -sum_j c_ij (zOut_j - zIn_i)
 *   dL/dm_i    =  sum_j G_ij r_ij
 *
 * It avoids materialising the [nIn, nOut, c] difference tensor and its backward pass, which cost
 * more than the matrix products themselves in tfjs.
 */
export function fusedSpatialWeights(inputs: SpatialWeightInputs): tf.Tensor2D {
  const { eps } = inputs;
  const op = tf.customGrad(
    ((pIn: tf.Tensor, pOut: tf.Tensor, zIn: tf.Tensor, zOut: tf.Tensor, mask: tf.Tensor, save: tf.GradSaveFunc) => {
      const [nIn, c] = pIn.shape as [number, number];
      const nOut = pOut.shape[0];
      const a = readInputs(pIn, pOut, zIn, zOut, mask);
      const r = new Float32Array(nIn * nOut);
      const w = new Float32Array(nIn * nOut);
      forward({ ...a, nIn, nOut, c, eps2: eps * eps, r, w });
      save([]);
      return {
        value: tf.tensor2d(w, [nIn, nOut]),
        gradFunc: (dy: tf.Tensor) => {
          const g = dy.dataSync() as Float32Array;
          const grads = backward({ ...a, nIn, nOut, c, r, g });
          return [
            tf.tensor2d(grads.pIn, [nIn, c]),
            tf.tensor2d(grads.pOut, [nOut, c]),
            tf.tensor1d(grads.zIn),
            tf.tensor1d(grads.zOut),
            tf.tensor1d(grads.mask),
          ];
        },
      };
    }) as unknown as CustomGradientFunc<tf.Tensor>,
  );
  return op(inputs.pIn, inputs.pOut, inputs.zIn, inputs.zOut, inputs.mask) as tf.Tensor2D;
}

/**
 * The typed-array halves of the kernel, shared with the WebAssembly engine (src/core/engine), which
 * builds W' and back-propagates into positions, z/gaps and masks with exactly this code.
 */
export { forward as spatialWeightsForward, backward as spatialWeightsBackward };
export type { LayerArrays as SpatialLayerArrays };

interface LayerArrays {
  pIn: Float32Array;
  pOut: Float32Array;
  zIn: Float32Array;
  zOut: Float32Array;
  mask: Float32Array;
}

function readInputs(...ts: tf.Tensor[]): LayerArrays {
  const [pIn, pOut, zIn, zOut, mask] = ts.map((t) => t.dataSync() as Float32Array);
  return { pIn, pOut, zIn, zOut, mask };
}

interface Shape {
  nIn: number;
  nOut: number;
  c: number;
}

function forward(o: LayerArrays & Shape & { eps2: number; r: Float32Array; w: Float32Array }): void {
  const { pIn, pOut, zIn, zOut, mask, nIn, nOut, c, eps2, r, w } = o;
  for (let i = 0; i < nIn; i++) {
    const zi = zIn[i];
    const mi = mask[i];
    const row = i * nOut;
    for (let j = 0; j < nOut; j++) {
      const dz = zOut[j] - zi;
      let s = dz * dz + eps2;
      for (let k = 0; k < c; k++) {
        const d = pIn[i * c + k] - pOut[j * c + k];
        s += d * d;
      }
      const rij = 1 / Math.sqrt(s);
      r[row + j] = rij;
      w[row + j] = mi * rij;
    }
  }
}

function backward(o: LayerArrays & Shape & { r: Float32Array; g: Float32Array }) {
  const { pIn, pOut, zIn, zOut, mask, nIn, nOut, c, r, g } = o;
  const dpIn = new Float32Array(nIn * c);
  const dpOut = new Float64Array(nOut * c);
  const dzIn = new Float32Array(nIn);
  const dzOut = new Float64Array(nOut);
  const dMask = new Float32Array(nIn);
  const acc = new Float64Array(c);
  for (let i = 0; i < nIn; i++) {
    const zi = zIn[i];
    const mi = mask[i];
    const row = i * nOut;
    acc.fill(0);
    let accZ = 0;
    let accM = 0;
    for (let j = 0; j < nOut; j++) {
      const rij = r[row + j];
      const gij = g[row + j];
      accM += gij * rij;
      const cij = -gij * mi * rij * rij * rij;
      const dz = zOut[j] - zi;
      dzOut[j] += cij * dz;
      accZ -= cij * dz;
      for (let k = 0; k < c; k++) {
        const d = pIn[i * c + k] - pOut[j * c + k];
        const t = cij * d;
        acc[k] += t;
        dpOut[j * c + k] -= t;
      }
    }
    for (let k = 0; k < c; k++) dpIn[i * c + k] = acc[k];
    dzIn[i] = accZ;
    dMask[i] = accM;
  }
  return { pIn: dpIn, pOut: Float32Array.from(dpOut), zIn: dzIn, zOut: Float32Array.from(dzOut), mask: dMask };
}
