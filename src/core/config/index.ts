/** Run configuration: building from presets/files/flags and validating untrusted input. */
export { ConfigError } from './errors';
export { buildRunConfig, mergeConfig, readConfigFile, datasetPath, OVERRIDE_FIELDS } from './build-config';
export type { BuildConfigOptions, ConfigOverrides } from './build-config';
export {
  validateRunConfig,
  validateModel,
  validateLayers,
  Z_MODES,
  ACTIVATIONS,
  KERNELS,
  MODEL_KINDS,
  LIMITS,
} from './validate';
