/**
 * A pruning study end to end, in plain Node (CLI, Electron main, HTTP server, tests): for every
 * model x seed, find or train the unpruned base run, prune it after training at every rate
 * ('post'), and train one run per rate with pruning from the first step ('during'). Every point
 * is stored as it is measured; trainings run one after another.
 *
 * "Runs what is missing": a completed run whose config equals the one wanted is reused, and an
 * interrupted run an earlier study started is resumed, so rerunning a spec trains nothing twice.
 */
import type { StudyDetail, StudyProgressEvent, StudySpec, StudySummary } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import type { RunStore } from '../store/index';
import {
  runTraining,
  TrainingAbortedError,
  TrainingFailedError,
  type RunTrainingResult,
  type TrainingProgress,
} from '../train/run-training';
import { duringConfig, findReusableRun, studyTag } from './configs';
import { achievedSparsity, evaluateInThread, testOnly, type PruneEvaluator } from './evaluate';
import { planStudy, type PlannedModel, type StudyPlan } from './spec';

/** What a study asks of a training: a new config, or an interrupted run to resume. */
export interface TrainRequest {
  config?: RunConfig;
  resumeId?: string;
  name?: string;
  tags?: string[];
  signal?: AbortSignal;
  onProgress?: (p: TrainingProgress) => void;
}

/** Trains one run to its end (default: `runTraining` on the study's store). */
export type TrainRun = (req: TrainRequest) => Promise<Pick<RunTrainingResult, 'runId' | 'status'>>;

/** Options of {@link executeStudy}. */
export interface ExecuteStudyOptions {
  store: RunStore;
  /** abort = stop the current training after its batch; the study ends 'interrupted' */
  signal?: AbortSignal;
  onProgress?: (e: StudyProgressEvent) => void;
  /** progress of the study's trainings (batches, epochs), e.g. for a progress bar */
  onTraining?: (p: TrainingProgress) => void;
  trainRun?: TrainRun;
  /** where pruned models are evaluated (default: this thread) */
  evaluate?: PruneEvaluator;
}

/** Options of {@link runStudy}: the spec to check, plan, store and run. */
export interface RunStudyOptions extends ExecuteStudyOptions {
  spec: StudySpec;
}

/** A checked study stored with status 'running', ready for {@link executeStudy}. */
export interface PreparedStudy {
  summary: StudySummary;
  plan: StudyPlan;
}

/** The study ended early on purpose (abort, or one of its trainings was stopped). */
class StudyStopped extends Error {}

/**
 * Checks the spec and runs the whole study. Resolves with the stored study whatever its ending
 * ('completed', 'interrupted' after `signal`, 'failed' with the message).
 * @throws ConfigError naming the spec field (nothing stored); store errors
 */
export async function runStudy(opts: RunStudyOptions): Promise<StudyDetail> {
  return executeStudy(prepareStudy(opts.store, opts.spec), opts);
}

/**
 * Checks `spec` (see planStudy) and stores the study as 'running' with the results it plans.
 * @throws ConfigError naming the field; nothing is stored then
 */
export function prepareStudy(store: RunStore, spec: unknown): PreparedStudy {
  const plan = planStudy(spec, store);
  const summary = store.createStudy({ name: plan.spec.name, spec: plan.spec, total: plan.total });
  return { summary, plan };
}

/** Runs a prepared study to its end and returns it as stored. Throws only if the store fails. */
export async function executeStudy(prepared: PreparedStudy, opts: ExecuteStudyOptions): Promise<StudyDetail> {
  const runner = new StudyRunner(prepared, opts);
  const id = prepared.summary.id;
  try {
    runner.progress('starting');
    for (const model of prepared.plan.models) {
      for (const base of model.bases) await runner.modelSeed(model, base.seed, base.config);
    }
    opts.store.finishStudy(id, 'completed');
    runner.progress('completed');
  } catch (err) {
    const stopped = err instanceof StudyStopped || err instanceof TrainingAbortedError || opts.signal?.aborted;
    const message = err instanceof Error ? err.message : String(err);
    opts.store.finishStudy(
      id,
      stopped ? 'interrupted' : 'failed',
      stopped && opts.signal?.aborted ? undefined : message,
    );
    runner.progress(stopped ? 'interrupted' : `failed: ${message}`);
  }
  return opts.store.getStudy(id);
}

/** The state of one study while it runs. */
class StudyRunner {
  private readonly store: RunStore;
  private readonly id: string;
  private readonly plan: StudyPlan;
  private readonly trainRun: TrainRun;
  private readonly evaluate: PruneEvaluator;

  constructor(
    prepared: PreparedStudy,
    private readonly opts: ExecuteStudyOptions,
  ) {
    this.store = opts.store;
    this.id = prepared.summary.id;
    this.plan = prepared.plan;
    this.trainRun = opts.trainRun ?? ((req) => runTraining({ store: opts.store, ...req }));
    this.evaluate = opts.evaluate ?? evaluateInThread;
  }

  /** Emits a progress event with the stored counts. */
  progress(message: string): void {
    const s = this.store.getStudy(this.id);
    this.opts.onProgress?.({ studyId: this.id, done: s.done, total: s.total, status: s.status, message });
  }

  /** Base run, baseline, then the 'post' and 'during' points of one model and seed. */
  async modelSeed(model: PlannedModel, seed: number, base: RunConfig): Promise<void> {
    const { label } = model;
    const baseId =
      model.runId ?? (await this.ensureRun(base, `${label} seed ${seed}`, `training ${label} seed ${seed} (unpruned)`));
    const baseRun = this.store.getRun(baseId);
    this.store.recordStudyBaseline(this.id, { model: label, seed, runId: baseId, testAccuracy: accuracyOf(baseRun) });
    const { rates, modes, scope } = this.plan.spec;
    if (modes.includes('post')) {
      this.checkStop();
      this.progress(`evaluating ${label} seed ${seed} pruned after training (${rates.length} rates)`);
      const model = this.store.getFinalModel(baseId);
      if (!model) throw new Error(`run ${baseId} has no final model`);
      const points = await this.evaluate({ model, dataset: testOnly(base.dataset), rates, scope });
      for (const p of points) {
        const rate = p.rate ?? 0;
        this.record({
          model: label,
          mode: 'post',
          rate,
          seed,
          runId: baseId,
          sparsity: p.sparsity,
          testAccuracy: p.testAccuracy,
        });
      }
      this.progress(`${label} seed ${seed}: pruned after training at ${rates.length} rates`);
    }
    if (!modes.includes('during')) return;
    for (const rate of rates) {
      const pct = `${+(rate * 100).toFixed(2)}%`;
      const config = duringConfig(base, rate, scope);
      const name = `${label} seed ${seed} pruned ${pct} during training`;
      const runId = await this.ensureRun(config, name, `training ${label} seed ${seed} (during, ${pct})`);
      const run = this.store.getRun(runId);
      const finalModel = this.store.getFinalModel(runId);
      if (!finalModel) throw new Error(`run ${runId} has no final model`);
      const sparsity = achievedSparsity(finalModel, rate, scope);
      this.record({ model: label, mode: 'during', rate, seed, runId, sparsity, testAccuracy: accuracyOf(run) });
      this.progress(`${label} seed ${seed}: pruned ${pct} during training`);
    }
  }

  /** A completed run with exactly `config`: reused, resumed (interrupted by an earlier study) or trained. */
  private async ensureRun(config: RunConfig, name: string, message: string): Promise<string> {
    this.checkStop();
    const found = findReusableRun(this.store, config);
    if (found?.status === 'completed') return found.id;
    const tag = studyTag(this.id);
    if (found) this.store.addTag(found.id, tag);
    this.progress(found ? `${message}, resuming run ${found.id}` : message);
    const req: TrainRequest = found
      ? { resumeId: found.id }
      : { config, name: `${this.plan.spec.name}: ${name}`.slice(0, 200), tags: [tag] };
    let result: Pick<RunTrainingResult, 'runId' | 'status'>;
    try {
      result = await this.trainRun({ ...req, signal: this.opts.signal, onProgress: this.opts.onTraining });
    } catch (err) {
      if (err instanceof TrainingFailedError)
        throw new Error(`training run ${err.runId} failed: ${err.message}`, { cause: err });
      throw err;
    }
    if (result.status !== 'completed') throw new StudyStopped(`run ${result.runId} was stopped before it completed`);
    return result.runId;
  }

  private record(r: Parameters<RunStore['recordStudyResult']>[1]): void {
    this.store.recordStudyResult(this.id, r);
  }

  private checkStop(): void {
    if (this.opts.signal?.aborted) throw new StudyStopped('stopped');
  }
}

function accuracyOf(run: { id: string; testAccuracy: number | null }): number {
  if (run.testAccuracy === null || !Number.isFinite(run.testAccuracy))
    throw new Error(`run ${run.id} has no test accuracy`);
  return run.testAccuracy;
}
