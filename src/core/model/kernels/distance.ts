/**
 * Distance kernels K(d; theta): how a connection's strength falls with its length. Pure typed-array
 * functions shared by every implementation of the spatial weights (fused JS, WASM, pruning, metrics).
 *
 * d is the softened distance sqrt(||p_i - p_j||^2 + dz^2 + eps^2), so eps applies to every kernel.
 *   inverse      K = 1 / d                      (the paper's; no parameter)
 *   power        K = d^(-p)                     theta = p
 *   exponential  K = exp(-d / lambda)           theta = lambda
 *   gaussian     K = exp(-d^2 / (2 sigma^2))    theta = sigma
 * The weight is W'_ij = mask_i * K(d_ij).
 */
import {
  DISTANCE_DEFAULTS,
  DISTANCE_KERNELS,
  distanceParamNames,
  kernelName,
  kernelTheta,
  kernelValue,
  learnsDistance,
  type DistanceKernel,
} from '../../../shared/distance-kernel';

export {
  DISTANCE_DEFAULTS,
  DISTANCE_KERNELS,
  distanceParamNames,
  kernelName,
  kernelTheta,
  kernelValue,
  learnsDistance,
};
export type { DistanceKernel };

/** f[i] = K(d[i]) for every distance (one branch per call, not per element). */
export function applyKernel(k: DistanceKernel, d: Float32Array | Float64Array, f: Float32Array | Float64Array): void {
  const t = k.theta;
  const n = d.length;
  if (k.name === 'inverse') for (let i = 0; i < n; i++) f[i] = 1 / d[i];
  else if (k.name === 'power') for (let i = 0; i < n; i++) f[i] = Math.pow(d[i], -t);
  else if (k.name === 'exponential') for (let i = 0; i < n; i++) f[i] = Math.exp(-d[i] / t);
  else {
    const c = -1 / (2 * t * t);
    for (let i = 0; i < n; i++) f[i] = Math.exp(c * d[i] * d[i]);
  }
}

/**
 * dK/dd divided by d, from d and f = K(d) (the form the position gradients need, since
 * dd/dp_i = (p_i - p_j) / d):
 *   inverse -1/d^3, power -p f/d^2, exponential -f/(lambda d), gaussian -f/sigma^2.
 */
export function slopeOverDistance(k: DistanceKernel, d: number, f: number): number {
  switch (k.name) {
    case 'inverse':
      return -f * f * f;
    case 'power':
      return (-k.theta * f) / (d * d);
    case 'exponential':
      return -f / (k.theta * d);
    case 'gaussian':
      return -f / (k.theta * k.theta);
  }
}

/**
 * dK/dtheta from d and f = K(d):
 *   power -ln(d) f, exponential f d / lambda^2, gaussian f d^2 / sigma^3 (inverse: 0).
 */
export function thetaSlope(k: DistanceKernel, d: number, f: number): number {
  switch (k.name) {
    case 'inverse':
      return 0;
    case 'power':
      return -Math.log(d) * f;
    case 'exponential':
      return (f * d) / (k.theta * k.theta);
    case 'gaussian':
      return (f * d * d) / (k.theta * k.theta * k.theta);
  }
}
