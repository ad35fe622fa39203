/**
 * The spatial-weight kernels' common types, apart from the kernel table (spatial-weights.ts) so
 * that each kernel module imports only this file and the table imports the kernels: no cycle.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { DistanceKernelName } from '../../../shared/model-spec';

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
