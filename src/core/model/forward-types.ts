/**
 * What a forward pass needs from a network, apart from the Network class itself: the spiking
 * simulation (src/core/snn) takes a `ForwardNetwork`, so network.ts can call it without the two
 * modules importing each other.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../shared/model-spec';
import type { Rng } from '../util/rng';

export interface ForwardOptions {
  /** randomness for stochastic forward passes (Poisson rate coding of spiking inputs) */
  rng?: Rng;
}

/** The parts of a Network a forward pass reads (Network implements it). */
export interface ForwardNetwork {
  readonly spec: ModelSpec;
  /** the tfjs variable of a named parameter (see docs/model-format.md) */
  param(name: string): tf.Variable;
  /** W'_l of every layer with the pruning masks applied */
  effectiveWeights(): tf.Tensor2D[];
}
