import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import { applyKernel, slopeOverDistance, thetaSlope, type DistanceKernel } from './distance';
import type { SpatialWeightInputs } from './kernel-types';

/**
 * Fused spatial-weight kernel: one pass in plain JavaScript builds W'_ij = m_i * K(d_ij) with
 * d_ij = sqrt(||pIn_i - pOut_j||^2 + (zOut_j - zIn_i)^2 + eps^2) and K the distance kernel
 * (./distance.ts; the paper's K = 1/d by default), and one pass turns the upstream gradient
 * G = dL/dW' into gradients of every input. With s_ij = K'(d_ij) / d_ij:
 *
 *   c_ij       =  G_ij * m_i * s_ij                (inverse: -G_ij m_i / d_ij^3)
 *   dL/dpIn_i  =  sum_j c_ij (pIn_i - pOut_j)      dL/dpOut_j = -sum_i c_ij (pIn_i - pOut_j)
 *   dL/dzOut_j =  sum_i c_ij (zOut_j - zIn_i)       dL/dzIn_i  = -sum_j c_ij (zOut_j - zIn_i)
 *   dL/dm_i    =  sum_j G_ij K(d_ij)
 *   dL/dtheta  =  sum_ij G_ij m_i dK/dtheta(d_ij)   (the kernel's learned p / lambda / sigma)
 *
 * It avoids materialising the [nIn, nOut, c] difference tensor and its backward pass, which cost
 * more than the matrix products themselves in tfjs.
 */
export function fusedSpatialWeights(inputs: SpatialWeightInputs): tf.Tensor2D {
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
    const nOut = pOut.shape[0];
    const a = readInputs(pIn, pOut, zIn, zOut, mask);
    const kernel: DistanceKernel = { name, theta: theta.dataSync()[0] };
    const shape = { nIn, nOut, c };
    const { dist, f, w } = spatialWeightsForward(a, shape, eps, kernel);
    save([]);
    return {
      value: tf.tensor2d(w, [nIn, nOut]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        return gradTensors(spatialWeightsBackward(a, shape, kernel, { dist, f }, g), shape, theta.shape);
      },
    };
  }) as unknown as CustomGradientFunc<tf.Tensor>);
  const theta = inputs.kernel?.theta ?? tf.scalar(0);
  const out = op(inputs.pIn, inputs.pOut, inputs.zIn, inputs.zOut, inputs.mask, theta) as tf.Tensor2D;
  if (!inputs.kernel) theta.dispose();
  return out;
}

/** The gradients of (pIn, pOut, zIn, zOut, mask, theta) as tensors, in the op's input order. */
export function gradTensors(g: LayerGrads, s: LayerShape, thetaShape: number[]): tf.Tensor[] {
  return [
    tf.tensor2d(g.pIn, [s.nIn, s.c]),
    tf.tensor2d(g.pOut, [s.nOut, s.c]),
    tf.tensor1d(g.zIn),
    tf.tensor1d(g.zOut),
    tf.tensor1d(g.mask),
    tf.tensor(new Float32Array([g.theta]), thetaShape),
  ];
}

/** Gradients of one layer's inputs (typed arrays) and of the kernel parameter. */
export interface LayerGrads {
  pIn: Float32Array;
  pOut: Float32Array;
  zIn: Float32Array;
  zOut: Float32Array;
  mask: Float32Array;
  theta: number;
}

/** Outputs of spatialWeightsForward, [nIn * nOut] each; pass them in to reuse the memory (hot loops). */
export interface ForwardBuffers {
  dist: Float32Array;
  f: Float32Array;
  w: Float32Array;
}

/** The typed arrays of one spatial layer (see SpatialWeightInputs for their shapes). */
export interface LayerArrays {
  pIn: Float32Array;
  pOut: Float32Array;
  zIn: Float32Array;
  zOut: Float32Array;
  mask: Float32Array;
}

export interface LayerShape {
  nIn: number;
  nOut: number;
  /** learned coordinates per neuron (d - 1) */
  c: number;
}

/** pIn, pOut, zIn, zOut, mask as typed arrays (dataSync). */
export function readInputs(...ts: tf.Tensor[]): LayerArrays {
  const [pIn, pOut, zIn, zOut, mask] = ts.map((t) => t.dataSync() as Float32Array);
  return { pIn, pOut, zIn, zOut, mask };
}

/**
 * Softened distances d_ij, kernel values f_ij = K(d_ij) and weights w_ij = m_i f_ij, each
 * [nIn * nOut] row-major. `dist` and `f` are what the backward pass needs.
 */
export function spatialWeightsForward(
  a: LayerArrays,
  s: LayerShape,
  eps: number,
  kernel: DistanceKernel,
  out?: ForwardBuffers,
): ForwardBuffers {
  const { pIn, pOut, zIn, zOut, mask } = a;
  const { nIn, nOut, c } = s;
  const eps2 = eps * eps;
  const dist = out?.dist ?? new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    const zi = zIn[i];
    const row = i * nOut;
    for (let j = 0; j < nOut; j++) {
      const dz = zOut[j] - zi;
      let sum = dz * dz + eps2;
      for (let k = 0; k < c; k++) {
        const d = pIn[i * c + k] - pOut[j * c + k];
        sum += d * d;
      }
      dist[row + j] = Math.sqrt(sum);
    }
  }
  const f = out?.f ?? new Float32Array(nIn * nOut);
  applyKernel(kernel, dist, f);
  const w = out?.w ?? new Float32Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    const mi = mask[i];
    const row = i * nOut;
    for (let j = 0; j < nOut; j++) w[row + j] = mi * f[row + j];
  }
  return { dist, f, w };
}

/** Gradients of every input of spatialWeightsForward given G = dL/dW' (formulas on fusedSpatialWeights). */
export function spatialWeightsBackward(
  a: LayerArrays,
  s: LayerShape,
  kernel: DistanceKernel,
  fwd: { dist: Float32Array; f: Float32Array },
  g: Float32Array,
) {
  const { mask } = a;
  const { nIn, nOut } = s;
  const { dist, f } = fwd;
  const learned = kernel.name !== 'inverse';
  const dMask = new Float32Array(nIn);
  const gOverD = new Float32Array(nIn * nOut);
  let dTheta = 0;
  for (let i = 0; i < nIn; i++) {
    const mi = mask[i];
    const row = i * nOut;
    let accM = 0;
    let accT = 0;
    for (let j = 0; j < nOut; j++) {
      const q = row + j;
      accM += g[q] * f[q];
      if (learned) accT += g[q] * thetaSlope(kernel, dist[q], f[q]);
      gOverD[q] = g[q] * mi * slopeOverDistance(kernel, dist[q], f[q]);
    }
    dMask[i] = accM;
    dTheta += mi * accT;
  }
  return { ...distanceGradients(a, s, gOverD), mask: dMask, theta: dTheta };
}

/**
 * Gradients of the coordinates from c_ij = (dL/dd_ij) / d_ij, [nIn * nOut] row-major (d_ij depends
 * on them through dd_ij/dpIn_i = (pIn_i - pOut_j) / d_ij and dd_ij/dzOut_j = (zOut_j - zIn_i) / d_ij):
 *   dL/dpIn_i  =  sum_j c_ij (pIn_i - pOut_j)      dL/dpOut_j = -sum_i c_ij (pIn_i - pOut_j)
 *   dL/dzOut_j =  sum_i c_ij (zOut_j - zIn_i)       dL/dzIn_i  = -sum_j c_ij (zOut_j - zIn_i)
 */
export function distanceGradients(a: LayerArrays, s: LayerShape, cOverD: Float32Array) {
  const { pIn, pOut, zIn, zOut } = a;
  const { nIn, nOut, c } = s;
  const dpIn = new Float32Array(nIn * c);
  const dpOut = new Float64Array(nOut * c);
  const dzIn = new Float32Array(nIn);
  const dzOut = new Float64Array(nOut);
  const acc = new Float64Array(c);
  for (let i = 0; i < nIn; i++) {
    const zi = zIn[i];
    const row = i * nOut;
    acc.fill(0);
    let accZ = 0;
    for (let j = 0; j < nOut; j++) {
      const cij = cOverD[row + j];
      const dz = zOut[j] - zi;
      dzOut[j] += cij * dz;
      accZ -= cij * dz;
      for (let k = 0; k < c; k++) {
        const t = cij * (pIn[i * c + k] - pOut[j * c + k]);
        acc[k] += t;
        dpOut[j * c + k] -= t;
      }
    }
    for (let k = 0; k < c; k++) dpIn[i * c + k] = acc[k];
    dzIn[i] = accZ;
  }
  return { pIn: dpIn, pOut: Float32Array.from(dpOut), zIn: dzIn, zOut: Float32Array.from(dzOut) };
}
