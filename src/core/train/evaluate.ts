import * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../data/types';
import type { Network } from '../model/network';
import { evaluationSpikeRng } from '../snn/encoding';

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Mean cross-entropy and accuracy of `net` on a whole split, in chunks of `chunk` images. */
export function evaluate(net: Network, split: Split, chunk = 1000): Evaluation {
  const pixels = split.images.length / split.count;
  let lossSum = 0;
  let correct = 0;
  const rng = evaluationSpikeRng(); // rate-coded spiking inputs: a fixed seed, so evaluation is deterministic
  for (let start = 0; start < split.count; start += chunk) {
    const n = Math.min(chunk, split.count - start);
    const [l, c] = tf.tidy(() => {
      const x = tf.tensor2d(split.images.subarray(start * pixels, (start + n) * pixels), [n, pixels]);
      const y = tf.tensor1d(split.labels.subarray(start, start + n), 'int32');
      const logits = net.forward(x, { rng });
      return [tf.sum(crossEntropyPerSample(logits, y)), countCorrect(logits, y)];
    });
    lossSum += l.dataSync()[0];
    correct += c.dataSync()[0];
    tf.dispose([l, c]);
  }
  return { loss: lossSum / split.count, accuracy: correct / split.count };
}

/** -log softmax(logits)[label] per sample (the output layer may have more neurons than the data has classes). */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(labels, logits.shape[1])), 1)) as tf.Tensor1D;
}

export function countCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')) as tf.Scalar;
}
