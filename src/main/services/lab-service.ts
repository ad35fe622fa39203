/**
 * The lab's backend as one plain-Node object (no Electron imports): it owns the single RunStore
 * writer, runs trainings in worker threads through `runTraining` (several at once, ./trainings.ts),
 * pruning studies in the background (./studies.ts) and pruning evaluations in a worker thread
 * (./pruning.ts), reproductions of the paper in the background (./reproduction.ts), and turns their progress into contract events. Electron IPC and the
 * browser-mode HTTP server are thin transports over it (see ../ipc/handlers.ts).
 */
import { validateRunConfig } from '../../core/config/index';
import { folderClassNames } from '../../core/data/index';
import { isStoreError, RunStore, StoreError } from '../../core/store/index';
import { PruneWorker, type TrainRun } from '../../core/study/index';
import { bytesToBase64 } from '../../shared/codec';
import { assertFitsMemory, checkMemory } from '../../core/train/memory-limit';
import type {
  ConfigCheck,
  CostRequest,
  DatasetInfo,
  FigureFile,
  FigureRequest,
  LabEventListener,
  LabEventName,
  LabMethods,
  LabStatus,
  PresetSummary,
  PruneRequest,
  PruneResult,
  ReproductionRequest,
  ReproductionListItem,
  ReproductionReport,
  ReproductionResults,
  ReproductionSummary,
  RunFilter,
  SnapshotData,
  SpikeData,
  SpikeRequest,
  StartRunOptions,
  StudyDetail,
  StudyFigureRequest,
  StudySpec,
  StopMode,
  StudySummary,
  Unsubscribe,
  VersionInfo,
} from '../../shared/lab-api';
import type { RunConfig, RunDetail, RunSummary } from '../../shared/run-config';
import type { StepPoint } from '../../shared/step-history';
import { checkRunConfig, datasetInfos, presetSummaries } from './catalog';
import { estimateCost } from './cost';
import { SpeedWorker } from '../../core/cost/speed-host';
import type { CostEstimate } from '../../shared/cost';
import { LabEventEmitter, type AnyLabEventListener } from './emitter';
import { LabStateError } from './errors';
import { FigureWorker } from './figure-host';
import { renderStoredFigure, renderStoredStudyFigure } from './figures';
import { saveChosenFile, type AskSavePath } from './files';
import { pruneStoredRun } from './pruning';
import { storedRunSpikes } from './spikes';
import { StudyService } from './studies';
import { SweepService } from './sweeps';
import type { SweepDetail, SweepExecutorOptions, SweepPlanPreview, SweepSpec, SweepSummary } from '../../shared/sweep';
import { Trainings } from './trainings';
import { ReproductionService } from './reproduction';
import type { Experiment } from '../../core/reproduce/index';

export interface LabServiceOptions {
  /** the run database; created if missing */
  dbPath: string;
  /** the native better-sqlite3 addon to open it with (Electron: the copy built for its ABI); default: node_modules' own */
  nativeBinding?: string;
  /** the app's version for getVersion() (Electron: the build-time version, server: package.json) */
  appVersion: string;
  /** live positions of training spatial runs at most this often (default 500 ms, 2/s: live enough, cheap for the page) */
  livePositionsMs?: number;
  /** how long a stopped run may take to finish its batch before its worker is terminated (default 10 s) */
  stopGraceMs?: number;
  /** trainings at once, the rest wait as 'queued' (default: $SEN_LAB_MAX_TRAININGS, else one per two cores) */
  maxTrainings?: number;
  /** Electron: asks where to save (a native dialog); without it `saveFile` rejects (browser mode) */
  askSavePath?: AskSavePath;
  /** where reproduction reports go (default: `<folder of the db>/reports`) */
  reportsDir?: string;
  /** test hook: reproductions run these experiments instead of the paper's */
  reproduceExperimentList?: readonly Experiment[];
}

/** Implements every `LabMethods` method; push events via `on`/`onAny`. */
export class LabService implements LabMethods {
  private readonly events = new LabEventEmitter();
  private readonly trainings: Trainings;
  /** post-training evaluations run in this worker thread, never on the main thread */
  private readonly pruner = new PruneWorker();
  private readonly studies: StudyService;
  private readonly sweeps: SweepService;
  private readonly reproduction: ReproductionService;
  /** figures and spike recordings run in this worker thread (TensorFlow.js, PDF/PNG writers) */
  private readonly figures = new FigureWorker();
  /** measures a form's new network off this thread (estimateCost) */
  private readonly speeds = new SpeedWorker();
  private closing: Promise<void> | null = null;

  /** Prefer {@link LabService.open}; the service takes ownership of `store` (close() closes it). */
  constructor(
    private readonly store: RunStore,
    private readonly options: Omit<LabServiceOptions, 'dbPath'>,
  ) {
    this.trainings = new Trainings(store, this.events, options);
    const trainRun: TrainRun = (req) => {
      const { config, resumeId, name, tags, signal } = req;
      const { ready, done } = this.trainings.launch({ config, resumeId, name, tags }, signal);
      ready.catch(() => undefined); // the study learns the outcome from `done`
      return done;
    };
    this.studies = new StudyService({ store, events: this.events, trainRun, evaluate: this.pruner.evaluate });
    this.sweeps = new SweepService(store, this.events);
    this.reproduction = new ReproductionService({
      store,
      events: this.events,
      trainRun,
      evaluate: this.pruner.evaluate,
      ...(options.reportsDir ? { reportsDir: options.reportsDir } : {}),
      ...(options.reproduceExperimentList ? { experimentList: options.reproduceExperimentList } : {}),
    });
  }

  /**
   * Opens (or creates) the run database and returns a service over it. Runs a previous process
   * left 'running' are marked interrupted by the store on open.
   * @throws StoreError when the file is not a SEN Lab database, is newer, or cannot be opened
   */
  static open(options: LabServiceOptions): LabService {
    return new LabService(openLabStore(options.dbPath, options.nativeBinding), options);
  }

  /** Why this lab's store is read-only (damaged or read-only file), or null when it can be written. */
  get readOnlyReason(): string | null {
    return this.store.readOnlyReason;
  }

  /** Runs an earlier process left 'running', marked 'interrupted' when the store was opened. */
  get recoveredAtOpen(): readonly string[] {
    return this.store.recoveredAtOpen;
  }

  /** Subscribes to one push event. */
  on<E extends LabEventName>(event: E, listener: LabEventListener<E>): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** Subscribes to every push event (transports forwarding everything). */
  onAny(listener: AnyLabEventListener): Unsubscribe {
    return this.events.onAny(listener);
  }

  async getVersion(): Promise<VersionInfo> {
    return {
      app: this.options.appVersion,
      electron: process.versions['electron'] ?? null,
      node: process.versions.node,
    };
  }

  /**
   * The backend is the one the latest run of this process reported: the worker threads pick it,
   * and initialising TensorFlow.js in this (main) process just to name it would cost memory.
   */
  async getStatus(): Promise<LabStatus> {
    return {
      backend: this.trainings.backend,
      dbPath: this.store.path,
      activeRunIds: [...this.trainings.active.keys()],
      queuedRunIds: this.trainings.queue.ids,
      maxTrainings: this.trainings.maxTrainings,
    };
  }

  async listPresets(): Promise<PresetSummary[]> {
    return presetSummaries();
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    return datasetInfos();
  }

  /** The config's parameter count and memory estimate against the limit (a config that cannot fit is not an error here). */
  async checkConfig(config: RunConfig): Promise<ConfigCheck> {
    const { config: checked, params } = checkRunConfig(config);
    const { bytes, parts, limitBytes, fits, problem } = checkMemory(checked);
    return { params, memory: { bytes, parts, limitBytes, fits, problem } };
  }

  /** Resolves once the run is in the store; rejects (storing nothing) if the worker fails before. */
  async startRun(config: RunConfig, options: StartRunOptions = {}): Promise<RunSummary> {
    this.assertOpen();
    this.assertWritable();
    const { name, tags, ignoreMemoryLimit } = options;
    const checked = validateRunConfig(config);
    assertFitsMemory(checked, ignoreMemoryLimit); // refused now, also when it would have to wait
    const launched = this.trainings.launch({ config: checked, name, tags, ignoreMemoryLimit });
    return launched.queued ?? launched.ready;
  }

  /** Stops a training after its batch ('now') or after its epoch ('epoch'), or cancels a queued one (nothing of it is stored). */
  async stopRun(id: string, mode: StopMode = 'now'): Promise<void> {
    if (this.trainings.queue.cancel(id, 'cancelled by the user')) return;
    const runId = this.store.resolveId(id);
    const controller = (mode === 'epoch' ? this.trainings.afterEpoch : this.trainings.active).get(runId);
    if (!controller) {
      const { status } = this.store.getRun(runId);
      throw new LabStateError(`run ${runId} is not training in this lab (status: ${status})`);
    }
    controller.abort();
  }

  async resumeRun(id: string): Promise<RunSummary> {
    this.assertOpen();
    this.assertWritable();
    const runId = this.store.resolveId(id);
    if (this.trainings.queue.find(runId))
      throw new LabStateError(`run ${runId} is already queued to train in this lab`);
    if (this.trainings.holds(runId)) {
      throw new LabStateError(`run ${runId} is already being trained by this lab (pid ${process.pid})`);
    }
    // a completed run is refused now (409), not after waiting in the queue; the claim checks the rest when it starts
    const { status } = this.store.getRun(runId);
    if (status === 'completed') throw new LabStateError(`run ${runId} is already completed; nothing to resume`);
    const launched = this.trainings.launch({ resumeId: runId });
    return launched.queued ?? launched.ready;
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const { search, status, tag, includeArchived, limit } = filter;
    const queued = this.trainings.queue.summaries().filter((r) => matchesFilter(r, filter));
    const ids = new Set(queued.map((r) => r.id));
    if (status === 'queued') return queued;
    const stored = this.store.listRuns({ search, status, tag, includeArchived, limit }).filter((r) => !ids.has(r.id));
    return [...queued, ...stored].slice(0, limit ?? Infinity);
  }

  async getRun(id: string): Promise<RunDetail> {
    const queued = this.trainings.queue.find(id);
    const detail = queued ? structuredClone(queued.detail) : this.store.getRun(id);
    const { dataset, model } = detail.config;
    const classNames = folderClassNames(dataset.name, model.layers[model.layers.length - 1]);
    return classNames ? { ...detail, classNames } : detail;
  }

  async getRunConfigs(): Promise<{ id: string; config: RunConfig }[]> {
    return this.store.allRunConfigs();
  }

  async getRunSteps(id: string): Promise<StepPoint[]> {
    return this.store.getSteps(id);
  }

  async renameRun(id: string, name: string): Promise<RunSummary> {
    return this.store.renameRun(id, name);
  }

  async setTags(id: string, tags: string[]): Promise<RunSummary> {
    return this.store.setTags(id, tags);
  }

  async setNotes(id: string, notes: string): Promise<RunSummary> {
    return this.store.setNotes(id, notes);
  }

  async setArchived(id: string, archived: boolean): Promise<RunSummary> {
    return this.store.setArchived(id, archived);
  }

  /**
   * Refuses runs that are training, here or in another process whose writer is alive (the store
   * checks pid and host; StoreError 'conflict' naming the pid). A 'running' run whose writer is gone can go.
   */
  async deleteRun(id: string): Promise<void> {
    const run = this.store.getRun(id);
    if (this.trainings.active.has(run.id))
      throw new LabStateError(`run ${run.id} is training in this lab (pid ${process.pid}); stop it before deleting it`);
    if (this.trainings.queue.find(run.id))
      throw new LabStateError(`run ${run.id} is queued to train; cancel it (stop) before deleting it`);
    this.store.deleteRun(run.id);
  }

  async getSnapshotEpochs(id: string): Promise<number[]> {
    return this.store.getSnapshotEpochs(id);
  }

  async getSnapshot(id: string, epoch: number): Promise<SnapshotData> {
    const runId = this.store.resolveId(id);
    return { runId, epoch, blob: bytesToBase64(this.store.getSnapshot(runId, epoch)) };
  }

  /** Evaluated in a worker thread; resolves with one result per rate, then per distance. */
  async pruneRun(id: string, options: PruneRequest): Promise<PruneResult[]> {
    this.assertOpen();
    return pruneStoredRun(this.store, this.pruner.evaluate, id, options);
  }

  /** Resolves with the stored study at once; it runs in the background ('study/progress' events). */
  async startStudy(spec: StudySpec): Promise<StudySummary> {
    this.assertOpen();
    this.assertWritable();
    return this.studies.start(spec);
  }

  async stopStudy(id: string): Promise<void> {
    this.studies.stop(id);
  }

  async listStudies(): Promise<StudySummary[]> {
    return this.studies.list();
  }

  async getStudy(id: string): Promise<StudyDetail> {
    return this.studies.get(id);
  }

  /** Refuses a running study; its results go, the runs it trained stay. */
  async deleteStudy(id: string): Promise<void> {
    this.studies.delete(id);
  }

  async planSweep(spec: SweepSpec, options?: SweepExecutorOptions): Promise<SweepPlanPreview> {
    return this.sweeps.plan(spec, options);
  }

  /** Resolves with the stored sweep at once; it runs in the background (poll getSweep). */
  async startSweep(spec: SweepSpec, options: SweepExecutorOptions): Promise<SweepSummary> {
    this.assertOpen();
    this.assertWritable();
    return this.sweeps.start(spec, options);
  }

  async cancelSweep(id: string): Promise<void> {
    this.sweeps.cancel(id);
  }

  async resumeSweep(id: string): Promise<SweepSummary> {
    this.assertOpen();
    this.assertWritable();
    return this.sweeps.resume(id);
  }

  async listSweeps(): Promise<SweepSummary[]> {
    return this.sweeps.list();
  }

  async getSweep(id: string): Promise<SweepDetail> {
    return this.sweeps.get(id);
  }

  /**
   * Resolves at once with the reproduction's summary; it runs in the background
   * ('reproduce/progress' events), its trainings through this service's launcher.
   */
  async startReproduction(request: ReproductionRequest): Promise<ReproductionSummary> {
    this.assertOpen();
    this.assertWritable();
    return this.reproduction.start(request);
  }

  async getReproduction(): Promise<ReproductionSummary | null> {
    return this.reproduction.get();
  }

  async stopReproduction(): Promise<void> {
    this.reproduction.stop();
  }

  /** The trainings of configs / a study / a reproduction and their estimated time here (nothing is stored). */
  async estimateCost(request: CostRequest): Promise<CostEstimate> {
    return estimateCost(this.store, request, this.speeds.measure);
  }

  async getReproductionResults(): Promise<ReproductionResults | null> {
    return this.reproduction.results();
  }

  async listReproductions(): Promise<ReproductionListItem[]> {
    return this.reproduction.list();
  }

  async getReproductionReport(id: string): Promise<ReproductionReport> {
    return this.reproduction.report(id);
  }

  /** Recorded in the figure worker thread; rejects for runs that are not spiking or not finished. */
  async getSpikes(id: string, request: SpikeRequest): Promise<SpikeData> {
    this.assertOpen();
    return storedRunSpikes(this.store, this.figures.run, id, request);
  }

  /** Built and rendered in the figure worker thread; the store is read here. */
  async renderFigure(id: string, request: FigureRequest): Promise<FigureFile> {
    this.assertOpen();
    return renderStoredFigure(this.store, this.figures.run, id, request);
  }

  /** Built and rendered in the figure worker thread; the study is read here. */
  async renderStudyFigure(studyId: string, request: StudyFigureRequest): Promise<FigureFile> {
    this.assertOpen();
    return renderStoredStudyFigure(this.store, this.figures.run, studyId, request);
  }

  /** Electron only (a native dialog, then an atomic write); rejects with LabUnsupportedError otherwise. */
  async saveFile(suggestedName: string, base64: string): Promise<string | null> {
    return saveChosenFile(this.options.askSavePath, suggestedName, base64);
  }

  /**
   * Stops every study and training (each ends 'interrupted'; runs keep their finished epochs and
   * can be resumed), waits for them, then closes the store. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.reproduction.stopAll();
      this.studies.stopAll();
      this.sweeps.stopAll();
      this.trainings.stopAll();
      await this.reproduction.settled();
      await this.studies.settled();
      await this.sweeps.settled();
      await this.trainings.settled();
      await this.pruner.close();
      await this.figures.close();
      await this.speeds.close();
      this.store.close();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new LabStateError('the lab is shutting down; no new runs or studies');
  }

  /** A read-only lab refuses to start anything before a worker is spent on it. */
  private assertWritable(): void {
    const reason = this.store.readOnlyReason;
    if (reason)
      throw new StoreError('read-only', `${reason} (the lab opened it read-only; nothing can be trained or changed)`);
  }
}

/** A queued run against a list filter (status, search in name, tag); archived ones never wait. */
function matchesFilter(r: RunSummary, f: RunFilter): boolean {
  if (f.status !== undefined && f.status !== 'queued') return false;
  if (f.tag !== undefined && !r.tags.includes(f.tag)) return false;
  return f.search === undefined || r.name.toLowerCase().includes(f.search.toLowerCase()) || r.id.startsWith(f.search);
}

/**
 * The lab's store: a writer when possible; a damaged or read-only file is opened read-only
 * instead (runs can still be browsed) with the reason kept for every refused write.
 */
function openLabStore(dbPath: string, nativeBinding: string | undefined): RunStore {
  try {
    return RunStore.open(dbPath, { nativeBinding });
  } catch (e) {
    if (!isStoreError(e, 'damaged') && !isStoreError(e, 'read-only')) throw e;
    const store = RunStore.open(dbPath, { nativeBinding, readOnly: true });
    store.readOnlyReason = e.message;
    return store;
  }
}
