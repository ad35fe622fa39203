/**
 * The results of a reproduction (written as results.json, printed by `--json`, and rendered into
 * report.md / report.html). Plain JSON data.
 */
import type { StudyMode, StudyStatus } from '../../shared/lab-api';
import type { Budget } from './plan';
import type { PaperValue } from './experiments';

/** Mean ± sample standard deviation over seeds. */
export interface SeedStats {
  mean: number;
  /**
   * sample std (n - 1); null for one seed (a sample std is undefined for n = 1: results.json stores
   * null there rather than a misleading 0)
   */
  std: number | null;
  n: number;
}

/** One seed's run of a row. */
export interface SeedRun {
  seed: number;
  runId: string;
  testAccuracy: number;
  /** true when an existing completed run with exactly this config was used instead of training */
  reused: boolean;
}

/** One model of an accuracy table, paper against ours. */
export interface RowResult {
  id: string;
  label: string;
  preset: string;
  layers: number[];
  /** our exact trainable parameter count */
  params: number;
  /** the count the paper states, if it states one */
  paperParams?: number;
  /** for parameter-matched baselines: the row matched and params / that row's params */
  matchedTo?: string;
  paramRatio?: number;
  paper: PaperValue;
  /** null until a seed finished */
  ours: SeedStats | null;
  /** ours.mean - paper.mean */
  difference: number | null;
  runs: SeedRun[];
  /** trainings that failed (the message, per seed) */
  errors: { seed: number; message: string; runId?: string }[];
}

export interface AccuracyResult {
  kind: 'accuracy';
  id: string;
  title: string;
  paperEpochs: number;
  /** what every run of the table trained for */
  epochs: number;
  rows: RowResult[];
}

/** One pruning point, paper against ours. */
export interface PruningPointResult {
  model: string;
  mode: StudyMode;
  rate: number;
  paper: number | null;
  ours: SeedStats | null;
}

export interface PruningResult {
  kind: 'pruning';
  id: string;
  title: string;
  paperEpochs: number;
  epochs: number;
  studyId: string | null;
  studyStatus: StudyStatus | null;
  rates: number[];
  /** unpruned accuracy per model (mean over seeds) and the base runs */
  baselines: { model: string; testAccuracy: number; runIds: string[] }[];
  points: PruningPointResult[];
  error?: string;
}

export type ExperimentResult = AccuracyResult | PruningResult;

/** A figure written next to the report (path relative to the output folder). */
export interface FigureEntry {
  file: string;
  kind: string;
  caption: string;
  experiment: string;
}

/** Everything a reproduction produced. */
export interface ReproduceResults {
  version: 1;
  createdAt: string;
  finishedAt: string;
  status: 'completed' | 'interrupted';
  /** true when epochs or data sizes differ from the paper's */
  shortened: boolean;
  /** the differences, e.g. "shortened: 3 epochs instead of 300/200" */
  deviations: string[];
  budget: Budget;
  seeds: number[];
  /** row ids / pruning labels the reproduction was restricted to (absent: all) */
  models?: string[];
  experiments: ExperimentResult[];
  figures: FigureEntry[];
  /** figures that could not be drawn, with the reason */
  figureErrors: { file: string; message: string }[];
  /** run ids used from the store without training, and run ids trained now */
  reusedRuns: string[];
  trainedRuns: string[];
  backend?: string;
  outDir: string;
}

/** Progress of a reproduction (stderr in the CLI, events in a service). */
export interface ReproduceProgress {
  /** accuracy trainings finished or reused so far / planned (pruning studies report in `message`) */
  done: number;
  total: number;
  experiment: string;
  message: string;
}
