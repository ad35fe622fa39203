import * as tf from '@tensorflow/tfjs-core';
import type { DistanceKernelName } from '../../../shared/model-spec';
import type { SpatialKernelName } from '../../../shared/run-config';
import { fusedSpatialWeights } from './fused-spatial-weights';

/**
 * Inputs of one spatial layer's weight matrix (layer l -> l+1).
 *   pIn  [nIn, c]   learned coordinates of the presynaptic neurons (c = d - 1)
 *   pOut [nOut, c]  learned coordinates of the postsynaptic neurons
 *   zIn  [nIn]      layer-fixed coordinate of each presynaptic neuron
 *   zOut [nOut]     layer-fixed coordinate of each postsynaptic neuron
 *   mask [nIn]      inhibition sign of each presynaptic neuron, in (-1, 1)
 *   eps             softening: dist = sqrt(||pIn_i - pOut_j||^2 + (zOut_j - zIn_i)^2 + eps^2)
 *   kernel          distance kernel K and its parameter theta (p, lambda or sigma; a scalar tensor, a
 *                   variable when learned); absent: the paper's K = 1/d
 */
export interface SpatialWeightInputs {
  pIn: tf.Tensor2D;
  pOut: tf.Tensor2D;
  zIn: tf.Tensor1D;
  zOut: tf.Tensor1D;
  mask: tf.Tensor1D;
  eps: number;
  kernel?: { name: DistanceKernelName; theta: tf.Tensor };
}

/**
 * Computes W'_ij = mask_i * K(dist_ij) (K = 1/d by default), differentiable in every input. Implementations are
 * interchangeable and checked against each other in the tests.
 */
export type SpatialWeightsKernel = (inputs: SpatialWeightInputs) => tf.Tensor2D;

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
