/**
 * Turning reproduction options into concrete run configs: the epoch budget (`--budget F` or
 * `--epochs N`), data-set size overrides, and the labels that say a result is shortened.
 * Configs are built exactly as `sen-lab train --preset ... --seed ... --epochs ...` builds them,
 * so runs trained by hand or by a pruning study with the same settings are found and reused.
 */
import type { RunConfig } from '../../shared/run-config';
import { buildRunConfig } from '../config/index';
import { countParams } from '../model/param-count';
import { presetConfig } from '../model/presets';
import type { AccuracyRow } from './experiments';

/** MNIST's full sizes (the paper's 60k/10k). */
export const FULL_TRAIN_SIZE = 60000;
export const FULL_TEST_SIZE = 10000;

/** How long and on how much data every run trains. */
export interface Budget {
  /** scale every preset's epochs by this fraction (0 < F <= 1) */
  fraction?: number;
  /** train every run for exactly this many epochs (wins over `fraction`) */
  epochs?: number;
  trainSize?: number;
  testSize?: number;
}

/**
 * The epochs a run trains for under `budget`: `epochs` outright, else max(1, round(F × presetEpochs)),
 * else the preset's own.
 * @throws RangeError for a fraction outside (0, 1] or epochs below 1
 */
export function scaledEpochs(presetEpochs: number, budget: Budget): number {
  if (budget.epochs !== undefined) {
    if (!Number.isInteger(budget.epochs) || budget.epochs < 1)
      throw new RangeError(`epochs must be an integer >= 1, got ${budget.epochs}`);
    return budget.epochs;
  }
  const f = budget.fraction;
  if (f === undefined) return presetEpochs;
  if (!(f > 0 && f <= 1)) throw new RangeError(`budget must be a fraction in (0, 1], got ${f}`);
  return Math.max(1, Math.round(f * presetEpochs));
}

/** True when the budget changes what the paper did (fewer epochs or less data). */
export function isShortened(budget: Budget, paperEpochs: readonly number[]): boolean {
  return deviations(budget, paperEpochs).length > 0;
}

/**
 * Human-readable differences from the paper's setup, e.g.
 * "shortened: 3 epochs instead of 300/200" and "trained on the first 1,000 of 60,000 training images".
 * Empty for a full reproduction.
 */
export function deviations(budget: Budget, paperEpochs: readonly number[]): string[] {
  const out: string[] = [];
  const paper = [...new Set(paperEpochs)].sort((a, b) => b - a);
  const ours = [...new Set(paper.map((e) => scaledEpochs(e, budget)))];
  if (ours.some((e, i) => e !== paper[i]) || ours.length !== paper.length) {
    const unit = ours.length === 1 && ours[0] === 1 ? 'epoch' : 'epochs';
    out.push(`shortened: ${ours.join('/')} ${unit} instead of ${paper.join('/')}`);
  }
  if (budget.trainSize !== undefined && budget.trainSize < FULL_TRAIN_SIZE) {
    out.push(`shortened: trained on the first ${fmt(budget.trainSize)} of ${fmt(FULL_TRAIN_SIZE)} training images`);
  }
  if (budget.testSize !== undefined && budget.testSize < FULL_TEST_SIZE) {
    out.push(`shortened: tested on the first ${fmt(budget.testSize)} of ${fmt(FULL_TEST_SIZE)} test images`);
  }
  return out;
}

/**
 * The config of one row and seed: the row's preset with the seed, the scaled epochs, the data
 * sizes and (for parameter-matched baselines) its dense layer sizes.
 */
export function rowConfig(row: AccuracyRow, seed: number, budget: Budget): RunConfig {
  const epochs = scaledEpochs(presetConfig(row.preset).training.epochs, budget);
  return buildRunConfig({
    preset: row.preset,
    overrides: {
      seed,
      epochs,
      ...(row.layers ? { layers: row.layers } : {}),
      ...(budget.trainSize !== undefined ? { trainSize: budget.trainSize } : {}),
      ...(budget.testSize !== undefined ? { testSize: budget.testSize } : {}),
    },
  });
}

/** The exact trainable parameter count of a row's model. */
export function rowParams(row: AccuracyRow): number {
  return countParams(rowConfig(row, 1, {}).model);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
