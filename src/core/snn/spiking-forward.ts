import type * as tf from '@tensorflow/tfjs-core';
import type { SpikingSpec } from '../../shared/model-spec';
import type { ForwardOptions, Network } from '../model/network';

/** Placeholder until the LIF forward pass lands (issue 5): spiking specs are rejected clearly. */
export function spikingForward(_net: Network, _x: tf.Tensor2D, _spec: SpikingSpec, _opts: ForwardOptions): tf.Tensor2D {
  throw new Error('spiking networks are not available yet');
}
