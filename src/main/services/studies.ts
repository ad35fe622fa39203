/**
 * The lab service's pruning studies: each runs in the background (its trainings one after
 * another, through the service's own training machinery, so they show up like any run) and
 * reports `study/progress` events. Several studies may run at once.
 */
import { executeStudy, prepareStudy, type PruneEvaluator, type TrainRun } from '../../core/study/index';
import type { RunStore } from '../../core/store/index';
import type { StudyDetail, StudySpec, StudySummary } from '../../shared/lab-api';
import type { LabEventEmitter } from './emitter';
import { LabStateError } from './errors';

/** What the studies need from the lab service. */
export interface StudyServiceDeps {
  store: RunStore;
  events: LabEventEmitter;
  /** trains one run to its end (the service's launcher: events, stop, status) */
  trainRun: TrainRun;
  evaluate: PruneEvaluator;
}

/** Running and stored studies; the store stays the single writer. */
export class StudyService {
  /** studies running now -> their stop switch; removed as soon as a study reports its ending */
  private readonly running = new Map<string, AbortController>();
  /** every study's background work, until it has completely settled (for close()) */
  private readonly work = new Set<Promise<void>>();

  constructor(private readonly deps: StudyServiceDeps) {}

  /** Ids of the studies running in this service. */
  get activeIds(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Checks and stores the study, then runs it in the background; returns the stored summary.
   * @throws ConfigError naming the spec field (nothing stored)
   */
  start(spec: StudySpec): StudySummary {
    const { store, events, trainRun, evaluate } = this.deps;
    const prepared = prepareStudy(store, spec);
    const id = prepared.summary.id;
    const controller = new AbortController();
    const done: Promise<void> = executeStudy(prepared, {
      store,
      signal: controller.signal,
      trainRun,
      evaluate,
      onProgress: (e) => {
        if (e.status !== 'running') this.running.delete(id); // stop/delete see the ending at once
        events.emit('study/progress', e);
      },
    })
      .then((study) => {
        if (study.status === 'failed') events.emit('lab/error', { message: `study ${id} failed: ${study.error}` });
      })
      .catch((err: unknown) => {
        events.emit('lab/error', {
          message: `study ${id} failed: ${err instanceof Error ? err.message : String(err)}`,
        });
      })
      .finally(() => {
        this.running.delete(id);
        this.work.delete(done);
      });
    this.running.set(id, controller);
    this.work.add(done);
    return prepared.summary;
  }

  /** Stops a running study after its current training's batch; it ends 'interrupted'. */
  stop(id: string): void {
    const studyId = this.deps.store.resolveStudyId(id);
    const controller = this.running.get(studyId);
    if (!controller) {
      const { status } = this.deps.store.getStudy(studyId);
      throw new LabStateError(`study ${studyId} is not running in this lab (status: ${status})`);
    }
    controller.abort();
  }

  /** Every stored study, newest first (running ones included, here or in other processes). */
  list(): StudySummary[] {
    return this.deps.store.listStudies();
  }

  /** A stored study with its spec, results and baselines. */
  get(id: string): StudyDetail {
    return this.deps.store.getStudy(id);
  }

  /** Deletes a study and its results (its runs stay); refused while it runs, here or elsewhere. */
  delete(id: string): void {
    const studyId = this.deps.store.resolveStudyId(id);
    if (this.running.has(studyId)) throw new LabStateError(`study ${studyId} is running; stop it before deleting it`);
    const { status } = this.deps.store.getStudy(studyId);
    if (status === 'running')
      throw new LabStateError(`study ${studyId} is running in another process; stop it there first`);
    this.deps.store.deleteStudy(studyId);
  }

  /** Asks every running study to stop (each ends 'interrupted'). */
  stopAll(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  /** Resolves once every running study has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.work]);
  }
}
