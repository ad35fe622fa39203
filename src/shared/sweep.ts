/**
 * Sweeps: a spec that expands into a plan of trainings, run by an executor (here or on Slurm).
 * Types shared by the engine, the CLI, the API and the renderer.
 */
import type { RunConfig } from './run-config';
import type { SweepExecutorKind, SweepStatus } from './schema/enums';
import type { SweepExecutorOptions, SweepSpec } from './schema/sweep';

// The spec and options are derived from their schemas (./schema/sweep.ts), declared there once.
export type { SlurmOptions, SweepDistribution, SweepExecutorOptions, SweepSpec } from './schema/sweep';
export type { SweepExecutorKind, SweepStatus } from './schema/enums';

/** One training of a plan: its config and a stable key (a hash of the normalised config). */
export interface PlannedTraining {
  index: number;
  /** 16 hex characters of sha256 of the canonical config (without its name): equal key = same training */
  key: string;
  config: RunConfig;
  /** the values the spec chose for this training, by dotted path (grid, random, seed) */
  values: Record<string, unknown>;
}

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
