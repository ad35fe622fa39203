/**
 * The lab's backend as one plain-Node object (no Electron imports): it owns the single RunStore
 * writer, runs trainings in worker threads through `runTraining` (several at once) and turns
 * their progress into contract events. Electron IPC and the browser-mode HTTP server are thin
 * transports over it (see ../ipc/handlers.ts).
 */
import { validateRunConfig } from '../../core/config/index';
import { RunStore } from '../../core/store/index';
import { runTraining, TrainingFailedError, type TrainingProgress } from '../../core/train/run-training';
import { WorkerError } from '../../core/train/worker-host';
import { bytesToBase64 } from '../../shared/codec';
import type {
  DatasetInfo,
  LabEventListener,
  LabEventName,
  LabMethods,
  LabStatus,
  PresetSummary,
  RunFilter,
  SnapshotData,
  StartRunOptions,
  Unsubscribe,
  VersionInfo,
} from '../../shared/lab-api';
import type { RunConfig, RunDetail, RunSummary } from '../../shared/run-config';
import { checkRunConfig, datasetInfos, presetSummaries } from './catalog';
import { LabEventEmitter, type AnyLabEventListener } from './emitter';
import { LabStateError } from './errors';

export interface LabServiceOptions {
  /** the run database; created if missing */
  dbPath: string;
  /** the app's version for getVersion() (Electron: the build-time version, server: package.json) */
  appVersion: string;
  /** live positions of training spatial runs at most this often (default 250 ms, about 4/s) */
  livePositionsMs?: number;
  /** how long a stopped run may take to finish its batch before its worker is terminated (default 10 s) */
  stopGraceMs?: number;
}

/** What to train: a new config or the id of a run to resume. */
interface Launch {
  config?: RunConfig;
  resumeId?: string;
  name?: string;
  tags?: string[];
}

/** Implements every `LabMethods` method; push events via `on`/`onAny`. */
export class LabService implements LabMethods {
  private readonly events = new LabEventEmitter();
  /** runs training now (their run exists in the store) -> their stop switch */
  private readonly active = new Map<string, AbortController>();
  /** every training this service started, including those not 'ready' yet, for close() */
  private readonly trainings = new Map<Promise<void>, AbortController>();
  private backend: string | null = null;
  private closing: Promise<void> | null = null;

  /** Prefer {@link LabService.open}; the service takes ownership of `store` (close() closes it). */
  constructor(
    private readonly store: RunStore,
    private readonly options: Omit<LabServiceOptions, 'dbPath'>,
  ) {}

  /**
   * Opens (or creates) the run database and returns a service over it. Runs a previous process
   * left 'running' are marked interrupted by the store on open.
   * @throws StoreError when the file is not a SEN Lab database, is newer, or cannot be opened
   */
  static open(options: LabServiceOptions): LabService {
    return new LabService(RunStore.open(options.dbPath), options);
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
    return { app: this.options.appVersion, electron: process.versions['electron'] ?? null, node: process.versions.node };
  }

  /**
   * The backend is the one the latest run of this process reported: the worker threads pick it,
   * and initialising TensorFlow.js in this (main) process just to name it would cost memory.
   */
  async getStatus(): Promise<LabStatus> {
    return { backend: this.backend, dbPath: this.store.path, activeRunIds: [...this.active.keys()] };
  }

  async listPresets(): Promise<PresetSummary[]> {
    return presetSummaries();
  }

  async listDatasets(): Promise<DatasetInfo[]> {
    return datasetInfos();
  }

  async checkConfig(config: RunConfig): Promise<{ params: number }> {
    return { params: checkRunConfig(config).params };
  }

  /** Resolves once the run is in the store; rejects (storing nothing) if the worker fails before. */
  async startRun(config: RunConfig, options: StartRunOptions = {}): Promise<RunSummary> {
    this.assertOpen();
    return this.launch({ config: validateRunConfig(config), name: options.name, tags: options.tags });
  }

  async stopRun(id: string): Promise<void> {
    const runId = this.store.resolveId(id);
    const controller = this.active.get(runId);
    if (!controller) {
      const { status } = this.store.getRun(runId);
      throw new LabStateError(`run ${runId} is not training in this lab (status: ${status})`);
    }
    controller.abort();
  }

  async resumeRun(id: string): Promise<RunSummary> {
    this.assertOpen();
    const runId = this.store.resolveId(id);
    if (this.active.has(runId)) throw new LabStateError(`run ${runId} is already training`);
    return this.launch({ resumeId: runId });
  }

  async listRuns(filter: RunFilter = {}): Promise<RunSummary[]> {
    const { search, status, tag, includeArchived, limit } = filter;
    return this.store.listRuns({ search, status, tag, includeArchived, limit });
  }

  async getRun(id: string): Promise<RunDetail> {
    return this.store.getRun(id);
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

  /** Refuses runs that are training, here or in another process (its writer would fail). */
  async deleteRun(id: string): Promise<void> {
    const run = this.store.getRun(id);
    if (this.active.has(run.id)) throw new LabStateError(`run ${run.id} is training; stop it before deleting it`);
    if (run.status === 'running') {
      throw new LabStateError(`run ${run.id} is training in another process; stop it there before deleting it`);
    }
    this.store.deleteRun(run.id);
  }

  async getSnapshotEpochs(id: string): Promise<number[]> {
    return this.store.getSnapshotEpochs(id);
  }

  async getSnapshot(id: string, epoch: number): Promise<SnapshotData> {
    const runId = this.store.resolveId(id);
    return { runId, epoch, blob: bytesToBase64(this.store.getSnapshot(runId, epoch)) };
  }

  /**
   * Stops every training (each ends 'interrupted' with its finished epochs kept, resumable), waits
   * for them, then closes the store. Idempotent; later calls fail with clear errors.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const controller of this.trainings.values()) controller.abort();
      await Promise.allSettled([...this.trainings.keys()]);
      this.store.close();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new LabStateError('the lab is shutting down; no new runs');
  }

  /** Starts one training; the promise settles at 'ready' (the run exists) or when it fails before. */
  private launch(what: Launch): Promise<RunSummary> {
    const controller = new AbortController();
    let runId: string | null = null;
    return new Promise<RunSummary>((resolve, reject) => {
      const onProgress = (p: TrainingProgress): void => {
        if (p.type !== 'ready') return this.forward(p);
        runId = p.runId;
        this.backend = p.backend;
        this.active.set(runId, controller);
        this.events.emit('run/status', { runId, status: 'running' });
        try {
          resolve(summaryOf(this.store.getRun(runId)));
        } catch (err) {
          reject(err); // the store failed under us; the run goes on (or fails) and is reported by events
        }
      };
      const training = runTraining({
        store: this.store,
        ...what,
        signal: controller.signal,
        livePositionsMs: this.options.livePositionsMs ?? 250,
        stopGraceMs: this.options.stopGraceMs ?? 10_000,
        onProgress,
      })
        .then((result) => {
          this.active.delete(result.runId);
          this.events.emit('run/status', { runId: result.runId, status: result.status });
        })
        .catch((err: unknown) => {
          if (runId === null) return reject(err); // nothing stored: the caller gets the reason
          this.active.delete(runId);
          this.reportFailure(runId, err);
        })
        .finally(() => this.trainings.delete(training));
      this.trainings.set(training, controller);
    });
  }

  /** Batch, epoch and positions progress -> contract events. */
  private forward(p: TrainingProgress): void {
    if (p.type === 'batch') {
      const { runId, epoch, epochs, batch, batchesPerEpoch, loss, samplesPerSec, elapsedMs } = p;
      this.events.emit('run/progress', { runId, epoch, epochs, batch, batchesPerEpoch, loss, samplesPerSec, elapsedMs });
    } else if (p.type === 'epoch') {
      this.events.emit('run/epoch', { runId: p.runId, epochs: p.epochs, metrics: p.metrics });
    } else if (p.type === 'positions') {
      this.events.emit('run/positions', { runId: p.runId, epoch: p.epoch, batch: p.batch, blob: bytesToBase64(p.snapshot) });
    }
  }

  /**
   * A started run failed (runTraining stored it as 'failed'). A worker that reported its own error
   * is an ordinary failure; a worker that died (crash, out of memory) or a failure outside the
   * worker is also pushed as 'lab/error', since nothing else would explain it.
   */
  private reportFailure(runId: string, err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    this.events.emit('run/status', { runId, status: 'failed', error: e.message });
    const cause = e instanceof TrainingFailedError ? e.cause : e;
    if (!(cause instanceof WorkerError) || cause.name === 'WorkerCrash') {
      this.events.emit('lab/error', { runId, message: `training of run ${runId} failed: ${e.message}` });
    }
  }
}

/** A RunDetail without its config and epochs. */
function summaryOf(detail: RunDetail): RunSummary {
  const { config: _config, epochs: _epochs, ...summary } = detail;
  return summary;
}
