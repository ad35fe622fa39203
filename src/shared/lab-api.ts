/**
 * The one typed contract between the main process (or, later, the browser-mode server) and the
 * renderer. Exposed to the renderer as `window.lab` by the preload.
 *
 * Adding a request/response method:
 *   1. add it to `LabMethods` (must return a Promise of structured-clonable data),
 *   2. add its channel to `LAB_CHANNELS` (the compiler insists, `domain/action` naming),
 *   3. declare its arguments as schemas in `src/shared/schema` (api.ts, figures.ts, sweep.ts; types derived
 *      there) and implement it in `src/main/ipc/<domain>.ts` with `args(...)` of those schemas (the compiler
 *      insists).
 * The preload and the renderer's host pick it up from `LAB_CHANNELS` without changes.
 *
 * Adding a main -> renderer event: add it to `LabEvents` and `LAB_EVENTS`, push it with
 * `sendLabEvent` (src/main/ipc/events.ts), listen with `host.on(name, listener)`.
 */

import type { CostEstimate } from './cost';
import type { DatasetShape } from './dataset-fit';
import type { StepPoint } from './step-history';
import type { SweepDetail, SweepExecutorOptions, SweepPlanPreview, SweepSpec, SweepSummary } from './sweep';
import type { EpochMetrics, RunConfig, RunDetail, RunStatus, RunSummary } from './run-config';
import type { APP_RUN_FIGURE_KINDS, StopMode, StudyMode, StudyStatus } from './schema/enums';
import type {
  CostRequest,
  PruneRequest,
  ReproductionRequest,
  RunFilter,
  SpikeRequest,
  StartRunOptions,
  StudySpec,
} from './schema/api';
import type { FigureRequest, StudyFigureRequest } from './schema/figures';

// The argument types are derived from their schemas (src/shared/schema), declared there once.
export type { CostRequest, PruneRequest, ReproductionRequest, RunFilter, SpikeRequest, StartRunOptions, StudySpec };
export type { StudyModel } from './schema/api';
export type { FigureRequest, StudyFigureRequest } from './schema/figures';
export {
  REPRODUCTION_EXPERIMENTS,
  STOP_MODES,
  STUDY_MODES,
  type PruneScope,
  type ReproductionExperiment,
  type StopMode,
  type StudyMode,
  type StudyStatus,
} from './schema/enums';

export interface VersionInfo {
  app: string;
  /** null when not running inside Electron (browser mode) */
  electron: string | null;
  node: string;
}

export interface PresetSummary {
  name: string;
  description: string;
  /** the full config the preset stands for (the New Run form starts from it) */
  config: RunConfig;
  /** exact trainable parameter count of the preset's model */
  params: number;
}

/** A data set the lab can train on. */
export interface DatasetInfo {
  /** what goes into DatasetSpec.name: 'mnist', 'fashion-mnist' or a folder path */
  name: string;
  label: string;
  available: boolean;
  /** where it comes from, or why it is unavailable */
  detail: string;
  /** image size, classes and split sizes (available data sets): the form's live data checks */
  shape?: DatasetShape;
}

/** One line of a memory estimate. */
export interface MemoryPartInfo {
  label: string;
  bytes: number;
}

/** checkConfig's memory estimate of a config's training, judged against the lab's limit. */
export interface ConfigMemoryInfo {
  /** estimated peak resident memory of the training, bytes */
  bytes: number;
  parts: MemoryPartInfo[];
  /** the limit (default half of physical memory) */
  limitBytes: number;
  fits: boolean;
  /** why it does not fit (estimate and limit), else null; startRun refuses it unless ignoreMemoryLimit */
  problem: string | null;
}

/** checkConfig's answer. */
export interface ConfigCheck {
  params: number;
  /** absent from older backends and mocks */
  memory?: ConfigMemoryInfo;
}

/**
 * A position snapshot (positions, z, gaps, inhibition values) as base64 of the encodeArrays()
 * bytes (src/shared/codec.ts), decoded in the renderer with `decodeSnapshot`.
 */
export interface SnapshotData {
  runId: string;
  epoch: number;
  /** batch within the epoch for live snapshots; absent for stored epoch snapshots */
  batch?: number;
  blob: string;
}

/** One pruned copy of a model, evaluated on the test set (mirrors core's PrunedEvaluation). */
export interface PruneResult {
  rate: number | null;
  maxDistance: number | null;
  /** achieved fraction of connections removed */
  sparsity: number;
  pruned: number;
  total: number;
  prunedPerLayer: number[];
  testAccuracy: number;
  testLoss: number;
}

export interface StudySummary {
  id: string;
  name: string;
  status: StudyStatus;
  createdAt: string;
  finishedAt: string | null;
  /** results stored / results planned */
  done: number;
  total: number;
  error: string | null;
}

/** One measured point: a model at a rate in a mode for a seed, linked to the run it came from. */
export interface StudyResult {
  model: string;
  mode: StudyMode;
  rate: number;
  seed: number;
  runId: string;
  sparsity: number;
  testAccuracy: number;
}

export interface StudyDetail extends StudySummary {
  spec: StudySpec;
  results: StudyResult[];
  /** unpruned test accuracy per model label (mean over seeds) */
  baselines: { model: string; testAccuracy: number; runIds: string[] }[];
}

export interface StudyProgressEvent {
  studyId: string;
  done: number;
  total: number;
  status: StudyStatus;
  /** what it is doing now, e.g. "training paper-3d seed 2 (during, 80%)" */
  message: string;
}

/** One spiking layer's activity for one image: spikes and membrane potentials, [T, n] row-major. */
export interface SpikeLayer {
  /** layer index l (1 = first hidden) */
  layer: number;
  n: number;
  /** base64 of a Uint8Array [T * n] of 0/1 */
  spikes: string;
  /** base64 of a Float32Array [T * n] */
  membrane: string;
}

export interface SpikeData {
  runId: string;
  testIndex: number;
  label: number;
  prediction: number;
  timeSteps: number;
  layers: SpikeLayer[];
  /** base64 of a Float32Array [T * n_0] of input spikes (rate coding) or absent (direct current) */
  inputSpikes?: string;
  /** the test image shown to the network: base64 of rows * cols grey levels 0..255, row by row */
  image?: { rows: number; cols: number; pixels: string };
  /** the data set's class names in label order (Fashion-MNIST, a folder's classes.txt); absent: digits */
  classNames?: string[];
}

/** The kinds drawn from runs (`renderFigure`); 'study' is drawn from a pruning study (`renderStudyFigure`). */
export type RunFigureKindName = (typeof APP_RUN_FIGURE_KINDS)[number];
export type FigureKindName = RunFigureKindName | 'study';

export interface FigureFile {
  fileName: string;
  mime: string;
  /** base64 of the file's bytes */
  base64: string;
  /** the data behind the figure as CSV */
  csv: string;
  widthMm: number;
  heightMm: number;
}

/** A reproduction's life (like a stored run's). */
export type ReproductionStatus = StudyStatus;

/** The reproduction running (or last run) in this process. */
export interface ReproductionSummary {
  id: string;
  status: ReproductionStatus;
  /** where report.md, report.html, results.json and figures/ go */
  outDir: string;
  startedAt: string;
  finishedAt: string | null;
  /** the latest progress message, or the error */
  message: string;
  /** accuracy trainings finished or reused / planned (pruning studies report in `message`) */
  done: number;
  total: number;
  request: ReproductionRequest;
}

export interface ReproductionProgressEvent {
  id: string;
  status: ReproductionStatus;
  message: string;
  done?: number;
  total?: number;
  /** the experiment the message is about */
  experiment?: string;
}

export interface ReproductionStats {
  mean: number;
  /** sample std over seeds; null for one seed (undefined for n = 1) */
  std: number | null;
  n: number;
}

/** One model of an accuracy table, paper against ours (subset of the core's RowResult). */
export interface ReproductionRow {
  id: string;
  label: string;
  params: number;
  paperParams?: number;
  paper: { mean: number; std?: number };
  ours: ReproductionStats | null;
  difference: number | null;
  runs: { seed: number; runId: string; testAccuracy: number; reused: boolean }[];
  errors: { seed: number; message: string; runId?: string }[];
}

export interface ReproductionAccuracyTable {
  kind: 'accuracy';
  id: string;
  title: string;
  paperEpochs: number;
  epochs: number;
  rows: ReproductionRow[];
}

export interface ReproductionPruningTable {
  kind: 'pruning';
  id: string;
  title: string;
  paperEpochs: number;
  epochs: number;
  studyId: string | null;
  points: {
    model: string;
    mode: StudyMode;
    rate: number;
    paper: number | null;
    ours: ReproductionStats | null;
  }[];
  error?: string;
}

/** results.json of a reproduction as far as the app shows it (the file holds more). */
export interface ReproductionResults {
  status: 'completed' | 'interrupted';
  shortened: boolean;
  deviations: string[];
  seeds: number[];
  outDir: string;
  experiments: (ReproductionAccuracyTable | ReproductionPruningTable)[];
  figures: { file: string; kind: string; caption: string; experiment: string }[];
  reusedRuns: string[];
  trainedRuns: string[];
}

/** One reproduction report folder (`listReproductions`): earlier reproductions stay listed. */
export interface ReproductionListItem {
  /** the report folder's name, e.g. sen-lab-report-2026-12-05-2 (what `getReproductionReport` takes) */
  id: string;
  outDir: string;
  /** 'running' for the reproduction in progress; else results.json's status */
  status: ReproductionStatus;
  createdAt: string | null;
  finishedAt: string | null;
  shortened: boolean;
  seeds: number[];
  experiments: string[];
}

/** A reproduction's report: the parsed results.json and report.html with its figures embedded. */
export interface ReproductionReport {
  id: string;
  results: ReproductionResults;
  /** report.html, self-contained (figures inlined as data: URLs), to show or download */
  html: string;
  /** report.md as written */
  markdown: string;
}

/** The engine side of the lab: backend, where runs are stored, which runs are training now. */
export interface LabStatus {
  backend: string | null;
  dbPath: string;
  activeRunIds: string[];
  /** trainings waiting for a free slot, in the order they will start */
  queuedRunIds?: string[];
  /** trainings this lab runs at once */
  maxTrainings?: number;
}

/** Request/response methods (renderer -> main). */
export interface LabMethods {
  getVersion(): Promise<VersionInfo>;
  getStatus(): Promise<LabStatus>;
  listPresets(): Promise<PresetSummary[]>;
  listDatasets(): Promise<DatasetInfo[]>;
  /** checks a config without running it; resolves with the parameter count or rejects naming the field */
  checkConfig(config: RunConfig): Promise<ConfigCheck>;
  /** resolves once the run exists in the store (data loaded, backend up); training goes on in a worker */
  startRun(config: RunConfig, options?: StartRunOptions): Promise<RunSummary>;
  /**
   * asks a training run to stop: 'now' (default) after its current batch, keeping the unfinished
   * epoch as a mid-epoch checkpoint that resume continues from exactly; 'epoch' once the epoch in
   * progress is finished. It ends 'interrupted' and can be resumed.
   */
  stopRun(id: string, mode?: StopMode): Promise<void>;
  resumeRun(id: string): Promise<RunSummary>;
  listRuns(filter?: RunFilter): Promise<RunSummary[]>;
  getRun(id: string): Promise<RunDetail>;
  /** every stored run's config, for the History table's config columns and grouping */
  getRunConfigs(): Promise<{ id: string; config: RunConfig }[]>;
  /** the run's step history (running train loss / accuracy every N steps; empty for older runs) */
  getRunSteps(id: string): Promise<StepPoint[]>;
  renameRun(id: string, name: string): Promise<RunSummary>;
  setTags(id: string, tags: string[]): Promise<RunSummary>;
  setNotes(id: string, notes: string): Promise<RunSummary>;
  setArchived(id: string, archived: boolean): Promise<RunSummary>;
  deleteRun(id: string): Promise<void>;
  getSnapshotEpochs(id: string): Promise<number[]>;
  getSnapshot(id: string, epoch: number): Promise<SnapshotData>;
  /** post-training pruning of a run's final model (by rates and/or distance thresholds); the run is not changed */
  pruneRun(id: string, options: PruneRequest): Promise<PruneResult[]>;
  /** runs a pruning study in the background; resolves once it is stored (progress via 'study/progress') */
  startStudy(spec: StudySpec): Promise<StudySummary>;
  stopStudy(id: string): Promise<void>;
  listStudies(): Promise<StudySummary[]>;
  getStudy(id: string): Promise<StudyDetail>;
  deleteStudy(id: string): Promise<void>;
  /** spike trains and membrane potentials of a spiking run's final model for one test image */
  getSpikes(id: string, request: SpikeRequest): Promise<SpikeData>;
  /** runs the paper's experiments in the background, one reproduction at a time (progress via 'reproduce/progress') */
  startReproduction(request: ReproductionRequest): Promise<ReproductionSummary>;
  /** the reproduction running now, or the last one of this process; null if none */
  getReproduction(): Promise<ReproductionSummary | null>;
  /** stops the running reproduction after its current training's batch; it ends 'interrupted' with a report of what finished */
  stopReproduction(): Promise<void>;
  /** the current/last reproduction's results.json (written after every experiment); null before the first is written */
  getReproductionResults(): Promise<ReproductionResults | null>;
  /** every reproduction report folder (this process and earlier ones), newest first */
  listReproductions(): Promise<ReproductionListItem[]>;
  /** one report folder's results and report (HTML with its figures embedded, markdown) */
  getReproductionReport(id: string): Promise<ReproductionReport>;
  /** a publication figure of a run as a file's bytes (the renderer saves or downloads it) */
  renderFigure(id: string, request: FigureRequest): Promise<FigureFile>;
  /** a publication figure of a pruning study (accuracy vs sparsity) as a file's bytes */
  renderStudyFigure(studyId: string, request: StudyFigureRequest): Promise<FigureFile>;
  /** Electron only: asks where to save (a native dialog) and writes the file; null when cancelled */
  saveFile(suggestedName: string, base64: string): Promise<string | null>;
  /** a sweep spec's plan (each config validated) and its estimated CPU-hours; nothing is stored */
  planSweep(spec: SweepSpec, options?: SweepExecutorOptions): Promise<SweepPlanPreview>;
  /** stores the sweep and runs it in the background (local or Slurm); poll getSweep for its trainings */
  startSweep(spec: SweepSpec, options: SweepExecutorOptions): Promise<SweepSummary>;
  /** stops a sweep: local trainings after their batch, Slurm tasks scancelled */
  cancelSweep(id: string): Promise<void>;
  /** runs again only what is missing, failed or cancelled, continuing from checkpoints */
  resumeSweep(id: string): Promise<SweepSummary>;
  listSweeps(): Promise<SweepSummary[]>;
  /** a sweep with every training: config, chosen values, state, run id, Slurm job id and state */
  getSweep(id: string): Promise<SweepDetail>;

  /** how many trainings configs / a study / a reproduction mean and their estimated time here (shared/cost.ts) */
  estimateCost(request: CostRequest): Promise<CostEstimate>;
}

/** Channel name `domain/action` */
export type ChannelName = `${string}/${string}`;

/** Method -> IPC channel. `satisfies` makes a missing or extra method a compile error. */
export const LAB_CHANNELS = {
  getVersion: 'app/getVersion',
  getStatus: 'app/getStatus',
  listPresets: 'presets/list',
  listDatasets: 'datasets/list',
  checkConfig: 'runs/checkConfig',
  startRun: 'runs/start',
  stopRun: 'runs/stop',
  resumeRun: 'runs/resume',
  listRuns: 'runs/list',
  getRun: 'runs/get',
  getRunSteps: 'runs/steps',
  getRunConfigs: 'runs/configs',
  renameRun: 'runs/rename',
  setTags: 'runs/setTags',
  setNotes: 'runs/setNotes',
  setArchived: 'runs/setArchived',
  deleteRun: 'runs/delete',
  getSnapshotEpochs: 'snapshots/epochs',
  getSnapshot: 'snapshots/get',
  pruneRun: 'prune/run',
  startStudy: 'studies/start',
  stopStudy: 'studies/stop',
  listStudies: 'studies/list',
  getStudy: 'studies/get',
  deleteStudy: 'studies/delete',
  getSpikes: 'snn/spikes',
  startReproduction: 'reproduce/start',
  getReproduction: 'reproduce/get',
  stopReproduction: 'reproduce/stop',
  getReproductionResults: 'reproduce/results',
  listReproductions: 'reproduce/list',
  getReproductionReport: 'reproduce/report',
  renderFigure: 'figures/render',
  renderStudyFigure: 'figures/renderStudy',
  saveFile: 'files/save',
  planSweep: 'sweeps/plan',
  startSweep: 'sweeps/start',
  cancelSweep: 'sweeps/cancel',
  resumeSweep: 'sweeps/resume',
  listSweeps: 'sweeps/list',
  getSweep: 'sweeps/get',
  estimateCost: 'cost/estimate',
} as const satisfies { readonly [M in keyof LabMethods]: ChannelName };

export type LabMethod = keyof LabMethods;
export type LabChannel = (typeof LAB_CHANNELS)[LabMethod];
export type LabArgs<M extends LabMethod> = Parameters<LabMethods[M]>;
export type LabResult<M extends LabMethod> = Awaited<ReturnType<LabMethods[M]>>;

export const LAB_METHODS = Object.keys(LAB_CHANNELS) as LabMethod[];

/** Sends one call over some transport (IPC in the preload, HTTP in browser mode). */
export type LabTransport = (channel: LabChannel, args: unknown[]) => Promise<unknown>;

/** Builds every `LabMethods` method from `LAB_CHANNELS` on top of a transport. */
export function bindLabMethods(transport: LabTransport): LabMethods {
  const entries = LAB_METHODS.map((method) => {
    const channel = LAB_CHANNELS[method];
    return [method, (...args: unknown[]) => transport(channel, args)] as const;
  });
  // The one cast: result types are guaranteed by the server side (see src/main/ipc/types.ts).
  return Object.fromEntries(entries) as unknown as LabMethods;
}

/** Live progress inside an epoch, about 10 per second per run. */
export interface RunProgressEvent {
  runId: string;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  /** running mean training loss of this epoch */
  loss: number;
  samplesPerSec: number;
  elapsedMs: number;
}

export interface RunEpochEvent {
  runId: string;
  epochs: number;
  metrics: EpochMetrics;
}

/** A run changed status: started (running), completed, failed, interrupted. */
export interface RunStatusEvent {
  runId: string;
  status: RunStatus;
  error?: string;
}

/** Something went wrong outside any request (e.g. a training worker died). */
export interface LabErrorEvent {
  message: string;
  runId?: string;
}

/** Push events (main -> renderer): event name -> payload. */
export interface LabEvents {
  'run/progress': RunProgressEvent;
  'run/epoch': RunEpochEvent;
  /** new points of a training run's step history (as stored; see getRunSteps) */
  'run/steps': { runId: string; points: StepPoint[] };
  'run/status': RunStatusEvent;
  /** live positions while a spatial run trains, a few per second */
  'run/positions': SnapshotData;
  'lab/error': LabErrorEvent;
  'study/progress': StudyProgressEvent;
  'reproduce/progress': ReproductionProgressEvent;
}

export type LabEventName = keyof LabEvents;
export type LabEventListener<E extends LabEventName> = (payload: LabEvents[E]) => void;
export type Unsubscribe = () => void;

/** Every event name once; `satisfies` makes a missing or extra event a compile error. */
const EVENT_NAMES = {
  'run/progress': true,
  'run/epoch': true,
  'run/steps': true,
  'run/status': true,
  'run/positions': true,
  'lab/error': true,
  'study/progress': true,
  'reproduce/progress': true,
} as const satisfies { readonly [E in LabEventName]: true };
export const LAB_EVENTS = Object.keys(EVENT_NAMES) as LabEventName[];

export function isLabEventName(name: unknown): name is LabEventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_NAMES, name);
}

/** What the renderer sees: the methods plus event subscription. */
export interface LabApi extends LabMethods {
  on<E extends LabEventName>(event: E, listener: LabEventListener<E>): Unsubscribe;
}
