/**
 * Model specifications shared by the engine, the store, the CLI and the renderer. The types are
 * derived from the config schema (./schema/run-config.ts), where each field is declared and
 * documented once; this module keeps the names every layer imports.
 */
export type { DistanceKernelName, HiddenActivation, ZMode } from './schema/enums';
export type { DenseModelSpec, ModelSpec, SpatialModelSpec, SpikingSpec } from './schema/run-config';
