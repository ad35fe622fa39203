import type { EpochAnalysis } from '../../shared/analysis';
import type { NamedArray } from '../../shared/codec';
import type { ModelSpec } from '../../shared/model-spec';
import type { Dataset } from '../data/types';
import { Network } from '../model/network';
import { paramMap } from '../prune/magnitudes';
import { topography } from './topography';
import { wiringMetrics } from './wiring';

/**
 * The per-epoch wiring and topography of a spatial network from its parameters (undefined for dense
 * models), whichever engine trained it. The topography's forward pass runs on a temporary tfjs
 * Network without pruning.
 */
export function epochAnalysis(
  spec: ModelSpec,
  arrays: NamedArray[],
  data: Dataset,
  epoch: number,
): EpochAnalysis | undefined {
  if (spec.kind !== 'spatial') return undefined;
  const wiring = wiringMetrics(spec, paramMap(arrays), epoch);
  if (spec.spiking || spec.layers.length < 3) return { wiring };
  const net = Network.fromArrays(spec, arrays);
  try {
    const t = topography(net, data.test, data.classes, epoch);
    return { wiring, ...(t ? { topography: t } : {}) };
  } finally {
    net.dispose();
  }
}

export { topography } from './topography';
export { wiringMetrics } from './wiring';
