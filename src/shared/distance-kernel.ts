/**
 * Distance kernels K(d; theta), scalar form: how a connection's strength falls with its softened
 * length d = sqrt(||p_i - p_j||^2 + dz^2 + eps^2). Pure code shared by the engine, the renderer and
 * the CLI (typed-array forms and derivatives: src/core/model/kernels/distance.ts).
 *   inverse      K = 1 / d                      (the paper's; no parameter)
 *   power        K = d^(-p)                     theta = p
 *   exponential  K = exp(-d / lambda)           theta = lambda
 *   gaussian     K = exp(-d^2 / (2 sigma^2))    theta = sigma
 * The weight is W'_ij = mask_i * K(d_ij).
 */
import type { DistanceKernelName, ModelSpec, SpatialModelSpec } from './model-spec';

/** A kernel and the current value of its parameter (ignored by 'inverse'). */
export interface DistanceKernel {
  name: DistanceKernelName;
  theta: number;
}

import { DISTANCE_DEFAULTS } from './model-defaults';

export { DISTANCE_KERNELS } from './schema/enums';
export { DISTANCE_DEFAULTS };

/** The kernel name of a spec ('inverse' when the field is absent, as in every config before kernels existed). */
export function kernelName(spec: SpatialModelSpec): DistanceKernelName {
  return spec.distance ?? 'inverse';
}

/** Whether the spec learns one kernel parameter per layer pair (`dist.{l}`, shape [1]). */
export function learnsDistance(spec: SpatialModelSpec): boolean {
  return kernelName(spec) !== 'inverse' && spec.learnDistance === true;
}

/** dist.{l} for every layer pair when the spec learns its distance kernel's parameter, else none. */
export function distanceParamNames(spec: ModelSpec): string[] {
  if (spec.kind !== 'spatial' || !learnsDistance(spec)) return [];
  return spec.layers.slice(1).map((_, l) => `dist.${l}`);
}

/** The fixed (or initial, when learned) kernel parameter of a spec: p, lambda or sigma; 0 for inverse. */
export function kernelTheta(spec: SpatialModelSpec): number {
  const name = kernelName(spec);
  if (name === 'power') return spec.distancePower ?? DISTANCE_DEFAULTS.power;
  if (name === 'inverse') return 0;
  return spec.distanceScale ?? DISTANCE_DEFAULTS.scale;
}

/** K(d) for one distance. */
export function kernelValue(k: DistanceKernel, d: number): number {
  switch (k.name) {
    case 'inverse':
      return 1 / d;
    case 'power':
      return Math.pow(d, -k.theta);
    case 'exponential':
      return Math.exp(-d / k.theta);
    case 'gaussian':
      return Math.exp((-d * d) / (2 * k.theta * k.theta));
  }
}
