/**
 * Validation of complete run configurations coming from anywhere untrusted (JSON config files,
 * IPC from the renderer, HTTP): the schema of src/shared/schema/run-config.ts, under the names the
 * engine's modules use. Optional model fields get their documented defaults.
 */
import type { ModelSpec } from '../../shared/model-spec';
import type { RunConfig } from '../../shared/run-config';
import { parseOrThrow } from '../../shared/schema/fields';
import { LayersSchema, ModelSchema, parseRunConfig, PruningSchema } from '../../shared/schema/run-config';
import type { PruningConfig } from '../../shared/run-config';

export { LIMITS } from '../../shared/model-defaults';
export { ACTIVATIONS, KERNELS, MODEL_KINDS, Z_MODES } from '../../shared/schema/enums';

/**
 * Check an untrusted value and return a complete, normalised RunConfig.
 * @throws ConfigError naming the offending field (dotted path, e.g. "training.epochs")
 */
export function validateRunConfig(raw: unknown): RunConfig {
  return parseRunConfig(raw);
}

/** Pruning during training: rate in [0, 1), scope and schedule with their defaults. */
export function validatePruning(raw: unknown): PruningConfig {
  return parseOrThrow(PruningSchema, raw, 'pruning');
}

/** Check an untrusted model spec (spatial or dense); optional fields get defaults. */
export function validateModel(raw: unknown): ModelSpec {
  return parseOrThrow(ModelSchema, raw, 'model');
}

/** `layers` must be an array of at least two positive integers. */
export function validateLayers(v: unknown, path = 'model.layers'): number[] {
  return parseOrThrow(LayersSchema, v, path);
}
