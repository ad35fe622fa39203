import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import { slopeOverDistance, thetaSlope, type DistanceKernel } from './distance';
import {
  distanceGradients,
  gradTensors,
  readInputs,
  spatialWeightsForward,
  type LayerArrays,
  type LayerGrads,
  type LayerShape,
} from './fused-spatial-weights';
import type { SpatialWeightInputs } from './spatial-weights';

/**
 * Wiring cost of one spatial layer, C = sum_ij |W'_ij| d_ij = sum_ij |m_i| K(d_ij) d_ij (seRNN-style:
 * strong long connections cost most), differentiable in every input:
 *   dC/dd_ij   = |m_i| (K(d_ij) + K'(d_ij) d_ij)      (0 for K = 1/d: then C = nOut sum_i |m_i|)
 *   dC/dm_i    = sign(m_i) sum_j K(d_ij) d_ij
 *   dC/dtheta  = sum_ij |m_i| d_ij dK/dtheta(d_ij)
 * and the coordinate gradients from dC/dd_ij as in distanceGradients.
 */
export function wiringCost(inputs: SpatialWeightInputs): tf.Scalar {
  const { eps } = inputs;
  const name = inputs.kernel?.name ?? 'inverse';
  const op = tf.customGrad(((
    pIn: tf.Tensor,
    pOut: tf.Tensor,
    zIn: tf.Tensor,
    zOut: tf.Tensor,
    mask: tf.Tensor,
    theta: tf.Tensor,
    save: tf.GradSaveFunc,
  ) => {
    const [nIn, c] = pIn.shape as [number, number];
    const a = readInputs(pIn, pOut, zIn, zOut, mask);
    const shape: LayerShape = { nIn, nOut: pOut.shape[0], c };
    const kernel: DistanceKernel = { name, theta: theta.dataSync()[0] };
    const fwd = spatialWeightsForward(a, shape, eps, kernel);
    save([]);
    return {
      value: tf.scalar(wiringValue(a.mask, shape, fwd)),
      gradFunc: (dy: tf.Tensor) => {
        return gradTensors(wiringGradients(a, shape, kernel, fwd, dy.dataSync()[0]), shape, theta.shape);
      },
    };
  }) as unknown as CustomGradientFunc<tf.Tensor>);
  const theta = inputs.kernel?.theta ?? tf.scalar(0);
  const out = op(inputs.pIn, inputs.pOut, inputs.zIn, inputs.zOut, inputs.mask, theta) as tf.Scalar;
  if (!inputs.kernel) theta.dispose();
  return out;
}

/** sum_ij |m_i| f_ij d_ij in float64. */
export function wiringValue(mask: Float32Array, s: LayerShape, fwd: { dist: Float32Array; f: Float32Array }): number {
  let total = 0;
  for (let i = 0; i < s.nIn; i++) {
    let row = 0;
    for (let j = 0; j < s.nOut; j++) row += fwd.f[i * s.nOut + j] * fwd.dist[i * s.nOut + j];
    total += Math.abs(mask[i]) * row;
  }
  return total;
}

/** Gradients of lambda * C given the forward buffers (gy = lambda); exported for the simd engine. */
export function wiringGradients(
  a: LayerArrays,
  s: LayerShape,
  kernel: DistanceKernel,
  fwd: { dist: Float32Array; f: Float32Array },
  gy: number,
): LayerGrads {
  const { nIn, nOut } = s;
  const { dist, f } = fwd;
  const cOverD = new Float32Array(nIn * nOut);
  const dMask = new Float32Array(nIn);
  let dTheta = 0;
  for (let i = 0; i < nIn; i++) {
    const m = Math.abs(a.mask[i]);
    let accM = 0;
    let accT = 0;
    for (let j = 0; j < nOut; j++) {
      const q = i * nOut + j;
      const d = dist[q];
      accM += f[q] * d;
      if (kernel.name !== 'inverse') accT += d * thetaSlope(kernel, d, f[q]);
      // (K + K' d) / d = f/d + s d with s = K'/d; exactly 0 for the inverse kernel
      cOverD[q] = kernel.name === 'inverse' ? 0 : gy * m * (f[q] / d + slopeOverDistance(kernel, d, f[q]) * d);
    }
    dMask[i] = gy * Math.sign(a.mask[i]) * accM;
    dTheta += gy * m * accT;
  }
  return { ...distanceGradients(a, s, cOverD), mask: dMask, theta: dTheta };
}
