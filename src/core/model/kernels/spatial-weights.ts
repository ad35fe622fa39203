import * as tf from '@tensorflow/tfjs-core';
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
 */
export interface SpatialWeightInputs {
  pIn: tf.Tensor2D;
  pOut: tf.Tensor2D;
  zIn: tf.Tensor1D;
  zOut: tf.Tensor1D;
  mask: tf.Tensor1D;
  eps: number;
}

/**
 * Computes W'_ij = mask_i / dist_ij, differentiable in every input. Implementations are
 * interchangeable and checked against each other in the tests.
 */
export type SpatialWeightsKernel = (inputs: SpatialWeightInputs) => tf.Tensor2D;

/** Reference implementation from plain tfjs ops; gradients come from tfjs autodiff. */
export const tfjsSpatialWeights: SpatialWeightsKernel = ({ pIn, pOut, zIn, zOut, mask, eps }) =>
  tf.tidy(() => {
    const diff = tf.sub(tf.expandDims(pIn, 1), tf.expandDims(pOut, 0)); // [nIn, nOut, c]
    const dz = tf.sub(tf.expandDims(zOut, 0), tf.expandDims(zIn, 1)); // [nIn, nOut]
    const sq = tf.add(tf.add(tf.sum(tf.square(diff), 2), tf.square(dz)), eps * eps);
    return tf.mul(tf.rsqrt(sq), tf.expandDims(mask, 1)) as tf.Tensor2D;
  });

export const SPATIAL_KERNELS: Record<SpatialKernelName, SpatialWeightsKernel> = {
  fused: fusedSpatialWeights,
  tfjs: tfjsSpatialWeights,
  // a tfjs Network of a 'simd' run (evaluation, figures) builds W' with the same typed-array kernel
  simd: fusedSpatialWeights,
};
