import * as tf from '@tensorflow/tfjs-core';
import type { SpatialKernelName } from '../../../shared/run-config';
import { fusedSpatialWeights } from './fused-spatial-weights';
import type { SpatialWeightInputs, SpatialWeightsKernel } from './kernel-types';

export type { SpatialWeightInputs, SpatialWeightsKernel } from './kernel-types';

/** Reference implementation from plain tfjs ops; gradients come from tfjs autodiff. */
export const tfjsSpatialWeights: SpatialWeightsKernel = ({ pIn, pOut, zIn, zOut, mask, eps, kernel }) =>
  tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(pIn, 1), tf.expandDims(pOut, 0)); // [nIn, nOut, c]
    const dz = tf.sub(tf.expandDims(zOut, 0), tf.expandDims(zIn, 1)); // [nIn, nOut]
    const sq = tf.add(tf.add(tf.sum(tf.square(diff), 2), tf.square(dz)), eps * eps); // d^2
    return tf.mul(kernelOfSquared(sq, kernel), tf.expandDims(mask, 1)) as tf.Tensor2D;
  });

/** K(d) from d^2 with tfjs ops (autodiff gives the gradient in theta too). */
function kernelOfSquared(sq: tf.Tensor, kernel: SpatialWeightInputs['kernel']): tf.Tensor {
  const name = kernel?.name ?? 'inverse';
  if (name === 'inverse' || !kernel) return tf.rsqrt(sq);
  const t = tf.reshape(kernel.theta, []);
  if (name === 'power') return tf.exp(tf.mul(tf.mul(tf.log(sq), -0.5), t)); // d^-p = exp(-p ln d)
  if (name === 'exponential') return tf.exp(tf.div(tf.neg(tf.sqrt(sq)), t));
  return tf.exp(tf.div(tf.neg(sq), tf.mul(tf.square(t), 2)));
}

export const SPATIAL_KERNELS: Record<SpatialKernelName, SpatialWeightsKernel> = {
  fused: fusedSpatialWeights,
  tfjs: tfjsSpatialWeights,
  // a tfjs Network of a 'simd' run (evaluation, figures) builds W' with the same typed-array kernel
  simd: fusedSpatialWeights,
};
