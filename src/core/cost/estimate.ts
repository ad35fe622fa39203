/**
 * The cost of a list of trainings on this machine: per network, its speed (core/cost/speed.ts)
 * times the images the trainings see (epochs x images per epoch). Test evaluation is not counted.
 */
import type { CostEstimate, CostGroup } from '../../shared/cost';
import type { RunConfig } from '../../shared/run-config';
import type { RunStore } from '../store/index';
import { FULL_TRAIN_SIZE } from '../reproduce/plan';
import { shapeKey, trainingSpeed, type MeasureSpeed } from './speed';

/**
 * seconds = Σ_trainings epochs x images / samplesPerSec, grouped by network in first-seen order.
 * @param onMeasure told before a network's speed is measured (nothing recorded for it)
 * @param measure how a network is measured (default: in this thread; the lab uses a worker)
 */
export async function estimateTrainings(
  configs: readonly RunConfig[],
  store?: RunStore,
  onMeasure?: (model: string) => void,
  measure?: MeasureSpeed,
): Promise<CostEstimate> {
  const groups = new Map<string, CostGroup>();
  for (const c of configs) {
    const key = `${shapeKey(c)}|${c.kernel ?? ''}|${c.dataset.name}`;
    const images = c.dataset.trainSize ?? FULL_TRAIN_SIZE;
    let g = groups.get(key);
    if (!g) {
      const model = `${c.model.kind} ${c.model.layers.join('-')}${c.model.spiking ? ` spiking T=${c.model.spiking.timeSteps}` : ''}`;
      const speed = await trainingSpeed(c, store, () => onMeasure?.(model), measure);
      g = { model, count: 0, epochs: 0, trainImages: images, ...speed, seconds: 0 };
      groups.set(key, g);
    }
    g.count++;
    g.epochs = Math.max(g.epochs, c.training.epochs);
    g.trainImages = Math.max(g.trainImages, images);
    g.seconds += (c.training.epochs * images) / g.samplesPerSec;
  }
  const list = [...groups.values()];
  return { trainings: configs.length, seconds: list.reduce((s, g) => s + g.seconds, 0), groups: list };
}
