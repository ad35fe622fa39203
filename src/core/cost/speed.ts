/**
 * Training speed of a network on this machine, in images per second: recorded (the median over the
 * last epochs of recent completed runs of the same network in this store) or measured (a few
 * batches trained here, now). The one speed source of every cost estimate: the New run, study,
 * sweep and reproduce forms (LabApi.estimateCost), `sen-lab sweep --dry-run` and `sen-lab reproduce --dry-run`.
 */
import type { RunConfig } from '../../shared/run-config';
import { loadDataset } from '../data/index';
import type { Dataset } from '../data/types';
import type { RunStore } from '../store/index';
import { trainModel } from '../train/trainer';

/** What makes two trainings equally fast per image: the network, batch size and spiking time steps. */
export function shapeKey(c: RunConfig): string {
  return JSON.stringify([c.model.kind, c.model.layers, c.model.spiking ?? null, c.training.batchSize]);
}

/** Median samples/s over the last epochs of up to 5 recent completed runs of the same shape, or null. */
export function recordedSpeed(store: RunStore, config: RunConfig): number | null {
  const want = shapeKey(config);
  const runs = store
    .listRunConfigs(['completed'], config.model.layers)
    .filter((r) => shapeKey(r.config) === want)
    .slice(0, 5);
  const speeds = runs
    .flatMap((r) => store.getRun(r.id).epochs.map((e) => e.samplesPerSec))
    .filter((v) => Number.isFinite(v) && v > 0);
  if (speeds.length === 0) return null;
  speeds.sort((a, b) => a - b);
  return speeds[Math.floor(speeds.length / 2)];
}

/** Training samples per second of `config`'s network here: `batches` batches after one warm-up batch. */
export async function measureSpeed(config: RunConfig, data: Dataset, batches = 2): Promise<number> {
  const bs = config.training.batchSize;
  const pixels = data.rows * data.cols;
  const part = (n: number): Dataset => ({
    ...data,
    train: {
      count: n * bs,
      images: data.train.images.subarray(0, n * bs * pixels),
      labels: data.train.labels.subarray(0, n * bs),
    },
    test: { count: 10, images: data.test.images.subarray(0, 10 * pixels), labels: data.test.labels.subarray(0, 10) },
  });
  const one = { ...config, training: { ...config.training, epochs: 1 }, snapshotEvery: 1_000_000 };
  await trainModel({ config: one, data: part(1) });
  const r = await trainModel({ config: one, data: part(batches) });
  return (batches * bs * 1000) / r.epochs[0].durationMs;
}

/** Measures a network's training speed (samples/s): here (measureLocally) or in a worker (SpeedWorker). */
export type MeasureSpeed = (config: RunConfig) => Promise<number>;

let sample: { name: string; data: Dataset } | undefined;

/** `config`'s network trained for a few batches in this thread, on its data set's first images. */
export const measureLocally: MeasureSpeed = async (config) => {
  const name = config.dataset.name;
  // the last data set is kept: a plan measures many networks on one data set
  if (sample?.name !== name) sample = { name, data: loadDataset({ name, trainSize: 2 * 600, testSize: 10 }) };
  return measureSpeed(config, sample.data);
};

/** measured speeds of this process, by network (model, batch size, engine, data set) */
const measured = new Map<string, number>();

/**
 * The speed of `config`'s network: recorded in `store` when it has one, else measured now with
 * `measure` (once per network and process; `onMeasure` is told before a measurement).
 */
export async function trainingSpeed(
  config: RunConfig,
  store?: RunStore,
  onMeasure?: () => void,
  measure: MeasureSpeed = measureLocally,
): Promise<{ samplesPerSec: number; source: 'recorded' | 'measured' }> {
  const recorded = store ? recordedSpeed(store, config) : null;
  if (recorded !== null) return { samplesPerSec: recorded, source: 'recorded' };
  const key = JSON.stringify([config.model, config.training.batchSize, config.kernel, config.dataset.name]);
  let speed = measured.get(key);
  if (speed === undefined) {
    onMeasure?.();
    speed = await measure(config);
    measured.set(key, speed);
  }
  return { samplesPerSec: speed, source: 'measured' };
}
