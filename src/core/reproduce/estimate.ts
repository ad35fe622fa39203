/**
 * `reproduce --dry-run`: how many trainings a protocol needs and what they cost on this machine,
 * from a measured speed of each distinct network (a few batches trained here, in this process).
 */
import type { RunConfig } from '../../shared/run-config';
import { loadDataset } from '../data';
import type { Dataset } from '../data/types';
import { presetConfig } from '../model/presets';
import { usesSimdEngine } from '../train/engines';
import { engineThreads } from '../engine/model';
import { trainModel } from '../train/trainer';
import type { Experiment } from './experiments';
import { FULL_TRAIN_SIZE, rowConfig, scaledEpochs, type Budget } from './plan';

/** One line of the plan: `count` trainings of the same network for `epochs` epochs each. */
export interface PlannedGroup {
  experiment: string;
  model: string;
  count: number;
  epochs: number;
  trainImages: number;
  config: RunConfig;
}

export interface CostLine extends PlannedGroup {
  samplesPerSec: number;
  threads: number;
  /** wall-clock hours of the group's trainings, one after another */
  hours: number;
  cpuHours: number;
}

/**
 * Every training the protocol runs: each accuracy row once per seed; each pruning model once per seed
 * (the 'post' baseline) plus once per rate and seed ('during'). Evaluation time is not counted.
 */
export function plannedTrainings(experiments: Experiment[], seeds: number[], budget: Budget): PlannedGroup[] {
  const out: PlannedGroup[] = [];
  const images = budget.trainSize ?? FULL_TRAIN_SIZE;
  for (const e of experiments) {
    if (e.kind === 'accuracy') {
      for (const row of e.rows) {
        const config = rowConfig(row, seeds[0], budget);
        out.push({
          experiment: e.id,
          model: row.id,
          count: seeds.length,
          epochs: config.training.epochs,
          trainImages: images,
          config,
        });
      }
    } else {
      const epochs = scaledEpochs(e.paperEpochs, budget);
      for (const m of e.models) {
        const config = presetConfig(m.preset);
        out.push({
          experiment: e.id,
          model: m.label,
          count: seeds.length * (1 + e.rates.length),
          epochs,
          trainImages: images,
          config,
        });
      }
    }
  }
  return out;
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

/** The plan with measured speeds (one measurement per distinct network, in plan order). */
export async function estimateCost(groups: PlannedGroup[], onMeasure?: (model: string) => void): Promise<CostLine[]> {
  const speeds = new Map<string, number>();
  const data = new Map<string, Dataset>();
  const out: CostLine[] = [];
  for (const g of groups) {
    const key = JSON.stringify([g.config.model, g.config.training.batchSize, g.config.kernel, g.config.dataset.name]);
    let speed = speeds.get(key);
    if (speed === undefined) {
      onMeasure?.(g.model);
      const name = g.config.dataset.name;
      if (!data.has(name)) data.set(name, loadDataset({ name, trainSize: 2 * 600, testSize: 10 }));
      speed = await measureSpeed(g.config, data.get(name)!);
      speeds.set(key, speed);
    }
    const threads = usesSimdEngine(g.config) ? engineThreads() : 1;
    const hours = (g.count * g.epochs * g.trainImages) / speed / 3600;
    out.push({ ...g, samplesPerSec: speed, threads, hours, cpuHours: hours * threads });
  }
  return out;
}
