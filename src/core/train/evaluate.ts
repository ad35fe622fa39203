import * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../data/types';
import type { Network } from '../model/network';
import { evaluationSpikeRng } from '../snn/encoding';
import type { Rng } from '../util/rng';

/** A model that evaluates plain arrays itself (the WebAssembly engine's EngineModel). */
export interface BatchEvaluator {
  /** loss sum (sum of -log softmax(logits)[label]) and correct predictions of `rows` images */
  evaluateBatch(x: Float32Array, y: Int32Array, rows: number, rng: Rng): { lossSum: number; correct: number };
}

export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Mean cross-entropy and accuracy of `net` on a whole split, in chunks of `chunk` images. */
export function evaluate(net: Network | BatchEvaluator, split: Split, chunk = 1000): Evaluation {
  return finishEvaluation([evaluatePartial(net, split, 0, split.count, chunk)]);
}

/**
 * Raw sums of an evaluation over images [start, end) of a split: one float32 loss sum per chunk
 * (chunks start at `start`), the number of correct predictions and the image count. Partials over
 * consecutive ranges that start on multiples of `chunk` combine with `finishEvaluation` to exactly
 * the result of `evaluate` on the whole split (same chunks, same order of additions) — except for
 * spiking networks, whose rate coding draws from one random stream across chunks (evaluate those
 * as a single range from 0).
 */
export interface EvaluationPartial {
  lossSums: number[];
  correct: number;
  count: number;
}

export function evaluatePartial(
  net: Network | BatchEvaluator,
  split: Split,
  start: number,
  end: number,
  chunk = 1000,
): EvaluationPartial {
  const pixels = split.images.length / split.count;
  const lossSums: number[] = [];
  let correct = 0;
  const rng = evaluationSpikeRng(); // rate-coded spiking inputs: a fixed seed, so evaluation is deterministic
  if ('evaluateBatch' in net) return evaluateArrays(net, split, start, end, chunk);
  for (let s = start; s < end; s += chunk) {
    const n = Math.min(chunk, end - s);
    const [l, c] = tf.tidy((): [tf.Scalar, tf.Scalar] => {
      const x = tf.tensor2d(split.images.subarray(s * pixels, (s + n) * pixels), [n, pixels]);
      const y = tf.tensor1d(split.labels.subarray(s, s + n), 'int32');
      const logits = net.forward(x, { rng });
      return [tf.sum(crossEntropyPerSample(logits, y)), countCorrect(logits, y)];
    });
    lossSums.push(l.dataSync()[0]);
    correct += c.dataSync()[0];
    tf.dispose([l, c]);
  }
  return { lossSums, correct, count: Math.max(0, end - start) };
}

function evaluateArrays(
  net: BatchEvaluator,
  split: Split,
  start: number,
  end: number,
  chunk: number,
): EvaluationPartial {
  const pixels = split.images.length / split.count;
  const lossSums: number[] = [];
  let correct = 0;
  const labels = new Int32Array(chunk);
  const rng = evaluationSpikeRng(); // one stream across the chunks, as the tfjs path draws it
  for (let s = start; s < end; s += chunk) {
    const n = Math.min(chunk, end - s);
    for (let i = 0; i < n; i++) labels[i] = split.labels[s + i];
    const r = net.evaluateBatch(split.images.subarray(s * pixels, (s + n) * pixels), labels, n, rng);
    lossSums.push(Math.fround(r.lossSum));
    correct += r.correct;
  }
  return { lossSums, correct, count: Math.max(0, end - start) };
}

/** Mean loss and accuracy from partials over consecutive ranges, in order (see evaluatePartial). */
export function finishEvaluation(parts: EvaluationPartial[]): Evaluation {
  let lossSum = 0;
  let correct = 0;
  let count = 0;
  for (const p of parts) {
    for (const l of p.lossSums) lossSum += l;
    correct += p.correct;
    count += p.count;
  }
  return { loss: lossSum / count, accuracy: correct / count };
}

/** -log softmax(logits)[label] per sample (the output layer may have more neurons than the data has classes). */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(labels, logits.shape[1])), 1)) as tf.Tensor1D;
}

export function countCorrect(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')) as tf.Scalar;
}
