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

/** A run's life: 'running' while a writer holds it, then one of the three ends. */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
