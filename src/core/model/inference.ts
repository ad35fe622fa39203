import * as tf from '@tensorflow/tfjs-core';
import { decodeArrays } from '../../shared/codec';
import type { ModelSpec } from '../../shared/model-spec';
import { initBackend } from '../train/backend';
import { Network } from './network';

/** A trained model ready to compute logits. */
export interface InferenceModel {
  spec: ModelSpec;
  /** logits for n images (n * pixels values, row-major), n * outputs values */
  predict(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

interface ModelMeta {
  kind: 'model';
  spec: ModelSpec;
}

/** Loads a final model (encodeArrays() bytes with meta { kind: 'model', spec }) from the run store. */
export async function loadModelForInference(bytes: Uint8Array): Promise<InferenceModel> {
  await initBackend();
  const { meta, arrays } = decodeArrays<ModelMeta>(bytes);
  if (!meta || meta.kind !== 'model' || !meta.spec) throw new Error('not a SEN Lab model (meta.kind must be "model")');
  const net = Network.fromArrays(meta.spec, arrays);
  const inputs = meta.spec.layers[0];
  return {
    spec: meta.spec,
    predict(x, n) {
      if (x.length !== n * inputs) throw new Error(`predict: expected ${n} x ${inputs} inputs, got ${x.length} values`);
      const logits = tf.tidy(() => net.forward(tf.tensor2d(x, [n, inputs])));
      const out = logits.dataSync() as Float32Array;
      logits.dispose();
      return out;
    },
    dispose: () => net.dispose(),
  };
}
