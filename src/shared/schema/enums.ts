/**
 * Every closed list of names a config or an API argument may hold, declared once: the schemas,
 * the CLI's help, the New run form's choices and the error messages all read these.
 */

/** How the layer-fixed coordinate (z, the last of the d coordinates) is treated:
 * 'fixed-gap' consecutive layers exactly 1 apart; 'learned-gap' one learned gap per pair of
 * consecutive layers (the paper's "3D MLP"); 'relaxed' z learned per neuron, layers may interleave. */
export const Z_MODES = ['fixed-gap', 'learned-gap', 'relaxed'] as const;
export type ZMode = (typeof Z_MODES)[number];

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
export type HiddenActivation = (typeof ACTIVATIONS)[number];

export const MODEL_KINDS = ['spatial', 'dense'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Which implementation computes the spatial layer's weights (and their gradient); 'simd': SEN Lab's
 * own WebAssembly SIMD training engine (non-spiking models; spiking ones train on tfjs with 'fused'). */
export const KERNELS = ['fused', 'tfjs', 'simd'] as const;
export type SpatialKernelName = (typeof KERNELS)[number];

export const RESETS = ['subtract', 'zero'] as const;
export const SURROGATES = ['atan', 'fast-sigmoid'] as const;
export const ENCODINGS = ['direct', 'rate'] as const;
export const DECODINGS = ['membrane-sum', 'spike-count'] as const;

export const PRUNE_SCOPES = ['global', 'per-layer'] as const;
export type PruneScope = (typeof PRUNE_SCOPES)[number];
export const PRUNE_SCHEDULES = ['constant', 'gradual'] as const;

/** A run's life: 'queued' waiting for a training slot (shown, never stored), 'running' while a writer
 * holds it, then one of the three ends. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a stored run can have (the store's CHECK constraint). */
export const STORED_RUN_STATUSES = [
  'running',
  'completed',
  'failed',
  'interrupted',
] as const satisfies readonly RunStatus[];
export type StoredRunStatus = (typeof STORED_RUN_STATUSES)[number];

/** How a connection's strength falls with its (softened) length d (see docs/model-format.md):
 * inverse 1/d (the paper's), power d^-p, exponential exp(-d/lambda), gaussian exp(-d^2/(2 sigma^2)). */
export const DISTANCE_KERNELS = ['inverse', 'power', 'exponential', 'gaussian'] as const;
export type DistanceKernelName = (typeof DISTANCE_KERNELS)[number];

/** How spatial connections are ranked for pruning: by length (the paper's rule) or by the true |w| = |mask| * K(d). */
export const PRUNE_RANKS = ['length', 'weight'] as const;
export type PruneRank = (typeof PRUNE_RANKS)[number];

/** How a run is stopped: 'now' (within the current batch) or 'epoch' (at the end of the epoch). */
export const STOP_MODES = ['now', 'epoch'] as const;
export type StopMode = (typeof STOP_MODES)[number];

/** A pruning study's modes: 'post' prunes a trained model, 'during' trains with pruning from the first step. */
export const STUDY_MODES = ['post', 'during'] as const;
export type StudyMode = (typeof STUDY_MODES)[number];

/** The paper's experiments a reproduction can run, in the order they run (see docs/reproduce.md). */
export const REPRODUCTION_EXPERIMENTS = ['table1', 'dims', 'snn', 'pruning'] as const;
export type ReproductionExperiment = (typeof REPRODUCTION_EXPERIMENTS)[number];

/** Figure output formats: vector SVG and PDF, raster PNG. */
export const FIGURE_FORMATS = ['svg', 'pdf', 'png'] as const;
export type FigureFormat = (typeof FIGURE_FORMATS)[number];

/** Every figure kind the engine draws ('study' from a pruning study, the others from runs). */
export const FIGURE_KINDS = [
  'embedding',
  'stacked',
  'curves',
  'pruning',
  'raster',
  'z-histogram',
  'study',
  'histograms',
  'membrane',
  'wiring',
] as const;
export type FigureKind = (typeof FIGURE_KINDS)[number];
/** The run figures the app asks for (`renderFigure`); 'wiring' is CLI-only for now. */
export const APP_RUN_FIGURE_KINDS = FIGURE_KINDS.filter(
  (k): k is Exclude<FigureKind, 'study' | 'wiring'> => k !== 'study' && k !== 'wiring',
);

/** Where a sweep's trainings run: worker threads here, or a Slurm job array. */
export const SWEEP_EXECUTORS = ['local', 'slurm'] as const;
export type SweepExecutorKind = (typeof SWEEP_EXECUTORS)[number];

/** The TensorFlow.js backends, fastest first (SEN_LAB_BACKEND; a Slurm sweep's nodes may be told one). */
export const TFJS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

/** Random distributions of a sweep field: uniform in [min, max), log-uniform, integer in [min, max], or a choice. */
export const SWEEP_DISTRIBUTIONS = ['uniform', 'loguniform', 'int', 'choice'] as const;

/** A study's and a reproduction's life (like a stored run's). */
export const STUDY_STATUSES = STORED_RUN_STATUSES;
export type StudyStatus = StoredRunStatus;
/** A sweep's life: a stored run's, plus 'cancelled'. */
export const SWEEP_STATUSES = [...STORED_RUN_STATUSES, 'cancelled'] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];
