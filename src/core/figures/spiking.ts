/**
 * Spike recordings for figures, through the spiking engine's `recordSpikes` (src/core/snn). Loaded
 * lazily: non-spiking figures never start TensorFlow.js, and a build without the engine reports
 * "not available" for the spiking kinds only.
 */
import type { NamedArray } from '../../shared/codec';
import type { ModelSpec, SpatialModelSpec } from '../../shared/model-spec';

/** One recorded layer, [T, n] for a single image. */
export interface RecordedLayer {
  layer: number;
  n: number;
  spikes: Float32Array;
}

export interface SingleRecording {
  timeSteps: number;
  layers: RecordedLayer[];
  logits: Float32Array;
}

/** Run a spiking model on one image and record every spiking layer (tensors are all released). */
export async function recordOne(spec: ModelSpec, arrays: NamedArray[], image: Float32Array): Promise<SingleRecording> {
  let recordSpikes: typeof import('../snn/record').recordSpikes;
  try {
    ({ recordSpikes } = await import('../snn/record'));
  } catch (err) {
    throw new Error(
      `spike recordings are not available yet: the spiking engine (src/core/snn/record) did not load (${(err as Error).message})`,
      { cause: err },
    );
  }
  const [{ initBackend }, { Network }] = await Promise.all([import('../train/backend'), import('../model/network')]);
  await initBackend();
  const net = Network.fromArrays(spec, arrays);
  try {
    const rec = recordSpikes(net, [Array.from(image)]);
    // batch is 1, so [T, 1, n] is [T, n] as it is
    return {
      timeSteps: rec.timeSteps,
      layers: rec.layers.map((l) => ({ layer: l.layer, n: l.shape[2], spikes: l.spikes })),
      logits: rec.logits,
    };
  } finally {
    net.dispose();
  }
}

/**
 * Values for the embedding of a spiking model: the input layer passes mask_i * x_i (direct
 * coding's constant current; a rate-coded pixel fires at rate x_i), hidden neurons mask_i * rate_i
 * (spikes per step), the output layer its decoded output.
 */
export async function spikingEmbeddingValues(
  spec: SpatialModelSpec,
  arrays: NamedArray[],
  image: Float32Array,
): Promise<{ values: Float32Array[] }> {
  const { layerGeometry } = await import('../../shared/geometry');
  const geom = layerGeometry(spec, arrays);
  const rec = await recordOne(spec, arrays, image);
  const L = spec.layers.length;
  const values: Float32Array[] = [image.map((v, i) => v * (geom.layers[0].mask as Float32Array)[i])];
  for (let l = 1; l < L; l++) {
    if (l === L - 1) {
      values.push(Float32Array.from(rec.logits));
      continue;
    }
    const layer = rec.layers.find((r) => r.layer === l);
    if (!layer) throw new Error(`spike recording has no layer ${l}`);
    const mask = geom.layers[l].mask as Float32Array;
    const rate = new Float32Array(layer.n);
    for (let t = 0; t < rec.timeSteps; t++)
      for (let i = 0; i < layer.n; i++) rate[i] += layer.spikes[t * layer.n + i] / rec.timeSteps;
    values.push(rate.map((r, i) => r * mask[i]));
  }
  return { values };
}
