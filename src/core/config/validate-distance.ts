/** Validation of the spatial model's distance kernel fields (model.distance*, see docs/model-format.md). */
import type { SpatialModelSpec } from '../../shared/model-spec';
import { DISTANCE_DEFAULTS, DISTANCE_KERNELS } from '../model/kernels/distance';
import { ConfigError } from './errors';
import { enumField, numberField, show, type Obj } from './fields';

type DistanceFields = Pick<SpatialModelSpec, 'distance' | 'distancePower' | 'distanceScale' | 'learnDistance'>;

/**
 * The kernel fields of a spatial model, normalised: nothing when `distance` is absent (the paper's
 * inverse kernel, as every config written before kernels existed); otherwise the kernel, its parameter
 * (default p = 2, lambda = sigma = 1) and learnDistance. A field that the kernel does not use is an error.
 */
export function validateDistance(o: Obj): DistanceFields {
  const given = ['distancePower', 'distanceScale', 'learnDistance'].filter((k) => o[k] !== undefined);
  if (o.distance === undefined) {
    if (given.length) throw misplaced(given[0], 'inverse (the default)');
    return {};
  }
  const name = enumField(o, 'distance', 'model', DISTANCE_KERNELS);
  const uses =
    name === 'power'
      ? ['distancePower', 'learnDistance']
      : name === 'inverse'
        ? []
        : ['distanceScale', 'learnDistance'];
  const wrong = given.find((k) => !uses.includes(k));
  if (wrong) throw misplaced(wrong, name);
  const learn = o.learnDistance ?? false;
  if (typeof learn !== 'boolean') {
    throw new ConfigError(`model.learnDistance must be true or false, got ${show(learn)}`, {
      field: 'model.learnDistance',
    });
  }
  if (name === 'inverse') return { distance: name };
  if (name === 'power') {
    const p = numberField(o, 'distancePower', 'model', { min: -16, max: 16 }, DISTANCE_DEFAULTS.power);
    return { distance: name, distancePower: p, learnDistance: learn };
  }
  const scale = numberField(o, 'distanceScale', 'model', { above: 0 }, DISTANCE_DEFAULTS.scale);
  return { distance: name, distanceScale: scale, learnDistance: learn };
}

function misplaced(field: string, kernel: string): ConfigError {
  const what =
    field === 'distancePower'
      ? "the 'power' kernel"
      : field === 'distanceScale'
        ? "the 'exponential' and 'gaussian' kernels"
        : 'the power, exponential and gaussian kernels';
  return new ConfigError(`model.${field} applies only to ${what}, but model.distance is ${kernel}`, {
    field: `model.${field}`,
  });
}
