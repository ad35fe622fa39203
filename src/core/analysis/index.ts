import type { EpochAnalysis } from '../../shared/analysis';
import type { Dataset } from '../data/types';
import type { Network } from '../model/network';
import { topography } from './topography';
import { wiringMetrics } from './wiring';

/** The per-epoch wiring and topography of a spatial network (undefined for dense models). */
export function epochAnalysis(net: Network, data: Dataset, epoch: number): EpochAnalysis | undefined {
  if (net.spec.kind !== 'spatial') return undefined;
  const t = topography(net, data.test, data.classes, epoch);
  return { wiring: wiringMetrics(net.spec, net.paramValues(), epoch), ...(t ? { topography: t } : {}) };
}

export { topography } from './topography';
export { wiringMetrics } from './wiring';
