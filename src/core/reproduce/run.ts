/**
 * Reproducing the paper end to end in plain Node (CLI now, a service later): every accuracy
 * table row x seed is found in the store (a completed run with exactly the wanted config, see
 * `findReusableRun`) or trained with `runTraining`; the pruning figure goes through the pruning
 * study runner (`runStudy`), which reuses runs the same way. Figures and the report are written
 * after every experiment, so an abort (AbortSignal) keeps everything finished so far.
 */
import { plural } from '../../shared/format';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StudySpec } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import type { RunStore } from '../store/index';
import { aggregateResults } from '../study/aggregate';
import { configKey, findReusableRun } from '../study/configs';
import { runStudy, type TrainRun } from '../study/run-study';
import type { PruneEvaluator } from '../study/evaluate';
import { runTraining, TrainingAbortedError, TrainingFailedError, type TrainingProgress } from '../train/run-training';
import { EXPERIMENTS, type AccuracyExperiment, type Experiment, type PruningExperiment } from './experiments';
import { writeFigures } from './figures';
import { deviations, rowConfig, rowParams, scaledEpochs, type Budget } from './plan';
import { writeReport } from './report';
import type {
  AccuracyResult,
  ExperimentResult,
  PruningResult,
  ReproduceProgress,
  ReproduceResults,
  RowResult,
  SeedStats,
} from './types';
import { STUDY_MODES } from '../../shared/schema/enums';

/** The tag on every run a reproduction trained. */
export const REPRODUCE_TAG = 'reproduce';

export interface ReproduceOptions {
  store: RunStore;
  /** where report.md, report.html, results.json and the figures go (created if missing) */
  outDir: string;
  /** experiment ids to run (default: all, see EXPERIMENT_IDS) */
  experiments?: string[];
  /** test/embedding hook: run these experiments instead of the paper's list */
  experimentList?: readonly Experiment[];
  /** only these rows (accuracy row ids or presets, pruning model labels or presets) */
  models?: string[];
  /** default [1, 2, 3] (the paper's three seeds) */
  seeds?: number[];
  budget?: Budget;
  /** abort = stop the current training after its batch, keep and report what is done */
  signal?: AbortSignal;
  onProgress?: (p: ReproduceProgress) => void;
  /** progress of the current training (batches, epochs) */
  onTraining?: (p: TrainingProgress) => void;
  /** the date stamped into the results (default: now) */
  now?: () => Date;
  /**
   * trains one run to its end (default: `runTraining` on `store`); services pass their own launcher
   * so the trainings run in their workers and show up live like any run
   */
  trainRun?: TrainRun;
  /** where the pruning study evaluates pruned models (default: this thread) */
  evaluate?: PruneEvaluator;
}

/** Picks the experiments and restricts their rows to `models`. @throws Error naming an unknown id */
export function selectExperiments(
  opts: Pick<ReproduceOptions, 'experiments' | 'experimentList' | 'models'>,
): Experiment[] {
  const all = opts.experimentList ?? EXPERIMENTS;
  const ids = opts.experiments ?? all.map((e) => e.id);
  const chosen = ids.map((id) => {
    const e = all.find((x) => x.id === id);
    if (!e) throw new Error(`unknown experiment "${id}"; known: ${all.map((x) => x.id).join(', ')}`);
    return e;
  });
  if (!opts.models) return chosen;
  const want = new Set(opts.models);
  const filtered = chosen
    .map((e): Experiment =>
      e.kind === 'accuracy'
        ? { ...e, rows: e.rows.filter((r) => want.has(r.id) || want.has(r.preset)) }
        : { ...e, models: e.models.filter((m) => want.has(m.label) || want.has(m.preset)) },
    )
    .filter((e) => (e.kind === 'accuracy' ? e.rows.length : e.models.length) > 0);
  const known = new Set(
    chosen.flatMap((e) =>
      e.kind === 'accuracy' ? e.rows.flatMap((r) => [r.id, r.preset]) : e.models.flatMap((m) => [m.label, m.preset]),
    ),
  );
  const unknown = opts.models.filter((m) => !known.has(m));
  if (unknown.length)
    throw new Error(`unknown model "${unknown[0]}" for the chosen experiments; known: ${[...known].join(', ')}`);
  return filtered;
}

/** Mean and sample std (n - 1) of `xs` (std null for one value); null for none. */
export function seedStats(xs: readonly number[]): SeedStats | null {
  const n = xs.length;
  if (n === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  return { mean, std, n };
}

/**
 * Runs the chosen experiments and writes the report. Resolves with the results whatever happened
 * ('interrupted' after `signal`); failed trainings are listed in their row's `errors`.
 * @throws Error for unknown experiments/models or a bad budget (before anything runs); store errors
 */
export async function reproduce(opts: ReproduceOptions): Promise<ReproduceResults> {
  const experiments = selectExperiments(opts);
  const seeds = [...new Set(opts.seeds ?? [1, 2, 3])].sort((a, b) => a - b);
  const budget = opts.budget ?? {};
  for (const e of experiments) scaledEpochs(e.paperEpochs, budget); // validates the budget up front
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const now = opts.now ?? (() => new Date());
  const devs = deviations(
    budget,
    experiments.map((e) => e.paperEpochs),
  );
  const results: ReproduceResults = {
    version: 1,
    createdAt: now().toISOString(),
    finishedAt: now().toISOString(),
    status: 'completed',
    shortened: devs.length > 0,
    deviations: devs,
    budget,
    seeds,
    ...(opts.models ? { models: opts.models } : {}),
    experiments: [],
    figures: [],
    figureErrors: [],
    reusedRuns: [],
    trainedRuns: [],
    outDir,
  };
  const ctx: Ctx = { opts, seeds, budget, results, done: 0, total: countTrainings(experiments, seeds) };
  for (const e of experiments) {
    if (opts.signal?.aborted) break;
    const r = e.kind === 'accuracy' ? await runAccuracy(e, ctx) : await runPruning(e, ctx);
    results.experiments.push(r);
    await writeFigures(opts.store, r, e, results, budget);
    results.finishedAt = now().toISOString();
    writeReport(results);
  }
  if (opts.signal?.aborted) results.status = 'interrupted';
  results.finishedAt = now().toISOString();
  writeReport(results);
  return results;
}

interface Ctx {
  opts: ReproduceOptions;
  seeds: number[];
  budget: Budget;
  results: ReproduceResults;
  done: number;
  total: number;
}

function countTrainings(experiments: Experiment[], seeds: number[]): number {
  return experiments.reduce((n, e) => n + (e.kind === 'accuracy' ? e.rows.length * seeds.length : 0), 0);
}

function progress(ctx: Ctx, experiment: string, message: string): void {
  ctx.opts.onProgress?.({ done: ctx.done, total: ctx.total, experiment, message });
}

/** Seed-major (every model's seed 1 first), so a stopped reproduction has one run of each model. */
async function runAccuracy(e: AccuracyExperiment, ctx: Ctx): Promise<AccuracyResult> {
  const rows: RowResult[] = e.rows.map((r) => ({
    id: r.id,
    label: r.label,
    preset: r.preset,
    layers: rowConfig(r, 1, {}).model.layers,
    params: rowParams(r),
    ...(r.paperParams !== undefined ? { paperParams: r.paperParams } : {}),
    ...(r.matchedTo ? { matchedTo: r.matchedTo } : {}),
    paper: r.paper,
    ours: null,
    difference: null,
    runs: [],
    errors: [],
  }));
  for (const row of rows) {
    const to = row.matchedTo ? rows.find((x) => x.id === row.matchedTo) : undefined;
    if (to) row.paramRatio = row.params / to.params;
  }
  const result: AccuracyResult = {
    kind: 'accuracy',
    id: e.id,
    title: e.title,
    paperEpochs: e.paperEpochs,
    epochs: scaledEpochs(e.paperEpochs, ctx.budget),
    rows,
  };
  outer: for (const seed of ctx.seeds) {
    for (let i = 0; i < e.rows.length; i++) {
      if (ctx.opts.signal?.aborted) break outer;
      const row = rows[i];
      const config = rowConfig(e.rows[i], seed, ctx.budget);
      const outcome = await ensureRun(ctx, config, `reproduce ${e.id}: ${row.label} seed ${seed}`, e.id);
      if (outcome.kind === 'stopped') break outer;
      if (outcome.kind === 'failed')
        row.errors.push({ seed, message: outcome.message, ...(outcome.runId ? { runId: outcome.runId } : {}) });
      else {
        const run = ctx.opts.store.getRun(outcome.runId);
        ctx.results.backend ??= run.backend;
        row.runs.push({ seed, runId: run.id, testAccuracy: run.testAccuracy ?? NaN, reused: outcome.reused });
        row.ours = seedStats(row.runs.map((r) => r.testAccuracy));
        row.difference = row.ours ? row.ours.mean - row.paper.mean : null;
      }
      ctx.done++;
    }
  }
  return result;
}

type Outcome =
  | { kind: 'ok'; runId: string; reused: boolean }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string; runId?: string };

/** A completed run with exactly `config` (reused), an interrupted one of ours (resumed), or a new training. */
async function ensureRun(ctx: Ctx, config: RunConfig, name: string, experiment: string): Promise<Outcome> {
  const { store, signal } = ctx.opts;
  const found = findReusableRun(store, config);
  if (found?.status === 'completed') {
    ctx.results.reusedRuns.push(found.id);
    progress(ctx, experiment, `${name}: reusing completed run ${found.id}`);
    return { kind: 'ok', runId: found.id, reused: true };
  }
  const resumeId = found?.id ?? ownInterrupted(store, config);
  progress(
    ctx,
    experiment,
    resumeId ? `${name}: resuming run ${resumeId}` : `${name}: training (${plural(config.training.epochs, 'epoch')})`,
  );
  const train: TrainRun = ctx.opts.trainRun ?? ((req) => runTraining({ store, ...req }));
  try {
    const r = await train({
      ...(resumeId ? { resumeId } : { config, name, tags: [REPRODUCE_TAG] }),
      signal,
      onProgress: ctx.opts.onTraining,
    });
    if (r.status !== 'completed') return { kind: 'stopped' };
    ctx.results.trainedRuns.push(r.runId);
    return { kind: 'ok', runId: r.runId, reused: false };
  } catch (err) {
    if (err instanceof TrainingAbortedError || signal?.aborted) return { kind: 'stopped' };
    if (err instanceof TrainingFailedError) return { kind: 'failed', message: err.message, runId: err.runId };
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}

/** The newest interrupted run an earlier reproduction started with exactly this config. */
function ownInterrupted(store: RunStore, config: RunConfig): string | undefined {
  const key = configKey(config);
  if (key === null) return undefined;
  return store
    .listRunConfigs(['interrupted'], config.model.layers)
    .find((c) => c.tags.includes(REPRODUCE_TAG) && configKey(c.config) === key)?.id;
}

/** The pruning study of Fig. 3 under a budget: post and during at the paper's rates, every seed. */
export function pruningStudySpec(e: PruningExperiment, seeds: number[], budget: Budget): StudySpec {
  const epochs = scaledEpochs(e.paperEpochs, budget);
  return {
    name: `reproduce: ${e.title}`.slice(0, 200),
    models: e.models.map((m) => ({ label: m.label, preset: m.preset })),
    rates: e.rates,
    modes: [...STUDY_MODES],
    seeds,
    ...(epochs !== e.paperEpochs ? { epochs } : {}),
    ...(budget.trainSize !== undefined ? { trainSize: budget.trainSize } : {}),
    ...(budget.testSize !== undefined ? { testSize: budget.testSize } : {}),
  };
}

/** Fig. 3 through the pruning study runner: post and during at the paper's rates, every seed. */
async function runPruning(e: PruningExperiment, ctx: Ctx): Promise<PruningResult> {
  const epochs = scaledEpochs(e.paperEpochs, ctx.budget);
  const result: PruningResult = {
    kind: 'pruning',
    id: e.id,
    title: e.title,
    paperEpochs: e.paperEpochs,
    epochs,
    studyId: null,
    studyStatus: null,
    rates: e.rates,
    baselines: [],
    points: [],
  };
  const { budget } = ctx;
  progress(
    ctx,
    e.id,
    `pruning study: ${e.models.map((m) => m.label).join(', ')} x post, during x ${e.rates.length} rates x ${ctx.seeds.length} seeds`,
  );
  const study = await runStudy({
    store: ctx.opts.store,
    spec: pruningStudySpec(e, ctx.seeds, budget),
    signal: ctx.opts.signal,
    ...(ctx.opts.trainRun ? { trainRun: ctx.opts.trainRun } : {}),
    ...(ctx.opts.evaluate ? { evaluate: ctx.opts.evaluate } : {}),
    onProgress: (p) => progress(ctx, e.id, `[study ${p.done}/${p.total}] ${p.message}`),
    onTraining: ctx.opts.onTraining,
  });
  result.studyId = study.id;
  result.studyStatus = study.status;
  if (study.error) result.error = study.error;
  result.baselines = study.baselines;
  const agg = aggregateResults(study.results);
  for (const m of e.models) {
    for (const mode of STUDY_MODES) {
      e.rates.forEach((rate, k) => {
        const p = agg.find((a) => a.model === m.label && a.mode === mode && Math.abs(a.rate - rate) < 1e-9);
        result.points.push({
          model: m.label,
          mode,
          rate,
          paper: m.paper[mode][k] ?? null,
          ours: p ? { mean: p.mean, std: p.n > 1 ? p.std : null, n: p.n } : null,
        });
      });
    }
  }
  const ids = new Set([...study.results.map((r) => r.runId), ...study.baselines.flatMap((b) => b.runIds)]);
  for (const id of ids) {
    if (ctx.results.reusedRuns.includes(id) || ctx.results.trainedRuns.includes(id)) continue;
    // runs created after this reproduction started were trained by the study; older ones were reused
    const fresh = ctx.opts.store.getRun(id).createdAt >= ctx.results.createdAt;
    (fresh ? ctx.results.trainedRuns : ctx.results.reusedRuns).push(id);
  }
  return result;
}

export type { ExperimentResult };
