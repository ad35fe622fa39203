/**
 * Sweeps: a spec that expands into a plan of trainings, run by an executor (here or on Slurm).
 * Types shared by the engine, the CLI, the API and the renderer.
 */
import type { RunConfig } from './run-config';

/** A random distribution of one config field (sampled with the sweep's `randomSeed`). */
export type SweepDistribution =
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'loguniform'; min: number; max: number }
  | { dist: 'int'; min: number; max: number }
  | { dist: 'choice'; values: unknown[] };

/** What a user writes (JSON or YAML). Paths are dotted RunConfig paths, e.g. "training.learningRate". */
export interface SweepSpec {
  name?: string;
  /** base preset (default 'quick' when no config is given) */
  preset?: string;
  /** base config, a partial RunConfig merged over the preset */
  config?: Record<string, unknown>;
  /** fixed overrides */
  set?: Record<string, unknown>;
  /** cartesian product of these values */
  grid?: Record<string, unknown[]>;
  /** `count` random draws of these fields (each draw combined with every grid point) */
  random?: Record<string, SweepDistribution>;
  count?: number;
  randomSeed?: number;
  /** every planned config once per seed (`training.seed`) */
  seeds?: number[];
}

/** One training of a plan: its config and a stable key (a hash of the normalised config). */
export interface PlannedTraining {
  index: number;
  /** 16 hex characters of sha256 of the canonical config (without its name): equal key = same training */
  key: string;
  config: RunConfig;
  /** the values the spec chose for this training, by dotted path (grid, random, seed) */
  values: Record<string, unknown>;
}

export type SweepExecutorKind = 'local' | 'slurm';

/** `sbatch` options of a Slurm sweep. */
export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  gres?: string;
  account?: string;
  /** passed to sbatch verbatim, after the options above */
  extraArgs?: string[];
  /** folder every node sees (job file, bundles, logs) */
  sharedDir?: string;
  /** TensorFlow.js backend on the nodes (SEN_LAB_BACKEND), e.g. 'tensorflow' with tfjs-node(-gpu) */
  backend?: string;
}

/** How a sweep runs. */
export interface SweepExecutorOptions {
  executor: SweepExecutorKind;
  /** at most this many trainings at once (local: worker threads; Slurm: the array's `%N`) */
  maxParallel?: number;
  slurm?: SlurmOptions;
}

export type SweepStatus = 'running' | 'completed' | 'failed' | 'interrupted' | 'cancelled';

/** queued: not started; pending: waiting in Slurm's queue; running; done; failed (incl. cancelled, timeout). */
export type SweepTrainingState = 'queued' | 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** One training of a stored sweep with its live state. */
export interface SweepTraining extends PlannedTraining {
  state: SweepTrainingState;
  runId: string | null;
  /** a completed run already in the store was used instead of training */
  reused: boolean;
  /** Slurm: `JOBID_INDEX` of the array task */
  slurmJobId: string | null;
  /** Slurm's last state name (PENDING, RUNNING, CANCELLED, TIMEOUT, ...) */
  slurmState: string | null;
  error: string | null;
}

export interface SweepSummary {
  id: string;
  name: string;
  status: SweepStatus;
  executor: SweepExecutorKind;
  createdAt: string;
  finishedAt: string | null;
  total: number;
  completed: number;
  failed: number;
  error: string | null;
}

export interface SweepDetail extends SweepSummary {
  spec: SweepSpec;
  options: SweepExecutorOptions;
  trainings: SweepTraining[];
}

/** A spec's plan and its estimated cost, before anything runs (`LabApi.planSweep`). */
export interface SweepPlanPreview {
  trainings: PlannedTraining[];
  estimate: {
    cpuHours: number;
    known: number;
    unknown: number;
    seconds: (number | null)[];
  };
}
