/**
 * `reproduce --dry-run`: how many trainings a protocol needs and what they cost on this machine,
 * from a measured speed of each distinct network (a few batches trained here, in this process).
 */
export { measureSpeed } from '../cost/speed';
import type { RunConfig } from '../../shared/run-config';
import { trainingSpeed } from '../cost/speed';
import { presetConfig } from '../model/presets';
import { usesSimdEngine } from '../train/engines';
import { engineThreads } from '../engine/model';
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

/** The plan with measured speeds (one measurement per distinct network, in plan order). */
export async function estimateCost(groups: PlannedGroup[], onMeasure?: (model: string) => void): Promise<CostLine[]> {
  const out: CostLine[] = [];
  for (const g of groups) {
    // the lab's one speed source (core/cost/speed.ts): measured here, once per network
    const speed = (await trainingSpeed(g.config, undefined, () => onMeasure?.(g.model))).samplesPerSec;
    const threads = usesSimdEngine(g.config) ? engineThreads() : 1;
    const hours = (g.count * g.epochs * g.trainImages) / speed / 3600;
    out.push({ ...g, samplesPerSec: speed, threads, hours, cpuHours: hours * threads });
  }
  return out;
}
