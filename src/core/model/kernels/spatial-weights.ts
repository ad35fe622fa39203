import * as tf from '@tensorflow/tfjs-core';
import type { SpatialKernelName } from '../../../shared/run-config';
import { fusedSpatialWeights } from './fused-spatial-weights';
import type { SpatialWeightsKernel } from './kernel-types';

export type { SpatialWeightInputs, SpatialWeightsKernel } from './kernel-types';

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
