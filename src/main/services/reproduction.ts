/**
 * The lab service's reproduction of the paper (`sen-lab reproduce` in the app): one at a time, in
 * the background, stoppable (AbortController), reporting `reproduce/progress` events. It calls the
 * core's `reproduce` with the service's own training launcher and prune worker, so its trainings
 * run in worker threads and show up live like any run (and are stopped with the lab on close).
 * Reports go to `<folder of the db>/reports/sen-lab-report-<YYYY-MM-DD>[-N]`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reproduce, scaledEpochs, selectExperiments, type Budget, type Experiment } from '../../core/reproduce/index';
import type { RunStore } from '../../core/store/index';
import type { PruneEvaluator, TrainRun } from '../../core/study/index';
import type {
  ReproductionListItem,
  ReproductionReport,
  ReproductionProgressEvent,
  ReproductionRequest,
  ReproductionResults,
  ReproductionSummary,
} from '../../shared/lab-api';
import type { LabEventEmitter } from './emitter';
import { listReports, readReport } from './reproduction-reports';
import { LabStateError } from './errors';

export interface ReproductionServiceDeps {
  store: RunStore;
  events: LabEventEmitter;
  trainRun: TrainRun;
  evaluate: PruneEvaluator;
  /** where report folders go (default: `<folder of the db>/reports`) */
  reportsDir?: string;
  /** test hook: these experiments instead of the paper's (ids still have to be known names) */
  experimentList?: readonly Experiment[];
  /** the clock (tests) */
  now?: () => Date;
}

/** The budget of a request in the core's terms. */
export function requestBudget(r: ReproductionRequest): Budget {
  return {
    ...(r.epochs !== undefined ? { epochs: r.epochs } : r.budget !== undefined ? { fraction: r.budget } : {}),
    ...(r.trainSize !== undefined ? { trainSize: r.trainSize } : {}),
    ...(r.testSize !== undefined ? { testSize: r.testSize } : {}),
  };
}

/** A fresh folder name under `root`: sen-lab-report-<date>, then -2, -3, ... (earlier reports stay). */
export function reportDir(root: string, date: Date): string {
  const base = join(root, `sen-lab-report-${date.toISOString().slice(0, 10)}`);
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

export class ReproductionService {
  private current: ReproductionSummary | null = null;
  private controller: AbortController | null = null;
  private work: Promise<void> | null = null;
  private count = 0;

  constructor(private readonly deps: ReproductionServiceDeps) {}

  get running(): boolean {
    return this.current?.status === 'running';
  }

  /**
   * Starts a reproduction in the background; returns its summary ('running').
   * @throws LabStateError while one runs; Error / RangeError for unknown experiments or a bad budget
   */
  start(request: ReproductionRequest): ReproductionSummary {
    if (this.running) throw new LabStateError(`reproduction ${this.current!.id} is running; stop it first`);
    const { store, events, trainRun, evaluate, experimentList } = this.deps;
    const budget = requestBudget(request);
    // checked here so a bad request rejects the call instead of failing in the background
    const chosen = selectExperiments({
      ...(request.experiments ? { experiments: request.experiments } : {}),
      ...(experimentList ? { experimentList } : {}),
    });
    for (const e of chosen) scaledEpochs(e.paperEpochs, budget);
    const now = this.deps.now ?? (() => new Date());
    const started = now();
    const outDir = reportDir(this.reportsRoot, started);
    const id = `rp${started.getTime().toString(36)}${++this.count}`;
    const summary: ReproductionSummary = {
      id,
      status: 'running',
      outDir,
      startedAt: started.toISOString(),
      finishedAt: null,
      message: 'starting',
      done: 0,
      total: 0,
      request: structuredClone(request),
    };
    const controller = new AbortController();
    const emit = (e: Omit<ReproductionProgressEvent, 'id' | 'status'>): void => {
      Object.assign(summary, { message: e.message, ...(e.done !== undefined ? { done: e.done, total: e.total } : {}) });
      events.emit('reproduce/progress', { id, status: summary.status, ...e });
    };
    const finish = (status: ReproductionSummary['status'], message: string): void => {
      summary.status = status;
      summary.finishedAt = now().toISOString();
      emit({ message, done: summary.done, total: summary.total });
    };
    this.current = summary;
    this.controller = controller;
    events.emit('reproduce/progress', {
      id,
      status: 'running',
      message: `started; report in ${outDir}`,
      done: 0,
      total: 0,
    });
    const running = reproduce({
      store,
      outDir,
      ...(request.experiments ? { experiments: request.experiments } : {}),
      ...(experimentList ? { experimentList } : {}),
      ...(request.seeds ? { seeds: request.seeds } : {}),
      budget,
      signal: controller.signal,
      trainRun,
      evaluate,
      onProgress: (p) =>
        emit({ message: `${p.experiment}: ${p.message}`, done: p.done, total: p.total, experiment: p.experiment }),
    });
    const done = running
      .then((r) => {
        // the core reports progress before each training; count what finished for the last event
        summary.done = r.experiments.reduce(
          (n, e) =>
            n + (e.kind === 'accuracy' ? e.rows.reduce((k, row) => k + row.runs.length + row.errors.length, 0) : 0),
          0,
        );
        const runs = `${r.trainedRuns.length} trained, ${r.reusedRuns.length} reused`;
        finish(
          r.status,
          r.status === 'completed'
            ? `completed (${runs}); report in ${outDir}`
            : `stopped (${runs}); report of what finished in ${outDir}`,
        );
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        finish('failed', `failed: ${message}`);
        events.emit('lab/error', { message: `reproduction ${id} failed: ${message}` });
      })
      .finally(() => {
        if (this.work === done) this.work = null;
        if (this.controller === controller) this.controller = null;
      });
    this.work = done;
    return structuredClone(summary);
  }

  /** The running or last reproduction of this process (a copy), or null. */
  get(): ReproductionSummary | null {
    return this.current ? structuredClone(this.current) : null;
  }

  /** Asks the running reproduction to stop after the current training's batch. */
  stop(): void {
    if (!this.running || !this.controller) {
      throw new LabStateError(
        this.current
          ? `reproduction ${this.current.id} is not running (status: ${this.current.status})`
          : 'no reproduction is running',
      );
    }
    this.controller.abort();
  }

  /** results.json of the current/last reproduction (written after every experiment), or null. */
  results(): ReproductionResults | null {
    if (!this.current) return null;
    const file = join(this.current.outDir, 'results.json');
    if (!existsSync(file)) return null;
    return JSON.parse(readFileSync(file, 'utf8')) as ReproductionResults;
  }

  /** where report folders go */
  private get reportsRoot(): string {
    return this.deps.reportsDir ?? join(dirname(this.deps.store.path), 'reports');
  }

  /** Every report folder (earlier processes' too), newest first. */
  list(): ReproductionListItem[] {
    return listReports(this.reportsRoot, this.current);
  }

  /** One report folder's results.json and report (HTML with its figures inlined). */
  report(id: string): ReproductionReport {
    return readReport(this.reportsRoot, id);
  }

  stopAll(): void {
    this.controller?.abort();
  }

  /** Resolves once the background work has ended. */
  async settled(): Promise<void> {
    await this.work;
  }
}
