import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions, Network } from '../model/network';
import { simulateSpiking } from './spiking-forward';

/** One spiking layer's activity, row-major [T, batch, n] (t slowest, neuron fastest). */
export interface LayerActivity {
  /** layer index l (1 … L-1) */
  layer: number;
  /** [T, batch, n_l] */
  shape: [number, number, number];
  /** S_l[t, b, i] in {0, 1} */
  spikes: Float32Array;
  /** U_l[t, b, i], the membrane potential after the step's update (before the next step's reset) */
  membrane: Float32Array;
}

/** What `recordSpikes` returns: plain arrays, ready for a spike raster or membrane plot. */
export interface SpikeRecording {
  timeSteps: number;
  batch: number;
  layers: LayerActivity[];
  /** rate-coded input spikes [T, batch, n_0] (absent for direct coding: the input is x at every step) */
  inputSpikes?: Float32Array;
  /** the decoded output [batch, n_L-1] (what the loss sees) */
  logits: Float32Array;
}

/**
 * Run a spiking network on `x` [batch, n_0] and record every layer's spike trains S_l[t] and
 * membrane potentials U_l[t] (same dynamics as `spikingForward`, see there). Leaves no tensors.
 * @throws when the network is not spiking
 */
export function recordSpikes(net: Network, x: tf.Tensor2D | number[][], opts: ForwardOptions = {}): SpikeRecording {
  const spec = net.spec.spiking;
  if (!spec) throw new Error('recordSpikes: the network is not spiking (model.spiking is not set)');
  const L = net.spec.layers.length;
  // flat: logits, then spikes and membrane of layers 1 … L-1, then the input spikes (rate coding)
  const flat = tf.tidy(() => {
    const input = Array.isArray(x) ? tf.tensor2d(x) : x;
    const run = simulateSpiking(net, input, spec, opts, true);
    const out: tf.Tensor[] = [run.logits, ...run.traces!.flatMap((t) => [t.spikes, t.membrane])];
    if (run.inputSpikes) out.push(run.inputSpikes);
    return out;
  });
  try {
    const layers: LayerActivity[] = [];
    for (let l = 1; l < L; l++) {
      const [spikes, membrane] = [flat[2 * l - 1], flat[2 * l]];
      layers.push({
        layer: l,
        shape: spikes.shape as [number, number, number],
        spikes: Float32Array.from(spikes.dataSync()),
        membrane: Float32Array.from(membrane.dataSync()),
      });
    }
    const logits = flat[0];
    const rec: SpikeRecording = {
      timeSteps: spec.timeSteps,
      batch: logits.shape[0],
      layers,
      logits: Float32Array.from(logits.dataSync()),
    };
    if (flat.length > 2 * L - 1) rec.inputSpikes = Float32Array.from(flat[2 * L - 1].dataSync());
    return rec;
  } finally {
    tf.dispose(flat);
  }
}

/** Spike counts per neuron, summed over time and batch: [n_l] for each recorded layer. */
export function spikeCounts(a: LayerActivity): Float32Array {
  const [T, batch, n] = a.shape;
  const counts = new Float32Array(n);
  for (let r = 0; r < T * batch; r++) for (let i = 0; i < n; i++) counts[i] += a.spikes[r * n + i];
  return counts;
}
