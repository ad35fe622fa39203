/**
 * The parameter-matched dense baseline of a model, as the paper chose B14 / B17 for its spatial
 * networks: the hidden width H for which a dense MLP with the same input, output and number of
 * hidden layers (all H wide) has the parameter count closest to the model's.
 */
import type { ModelSpec } from '../../shared/model-spec';
import { countParams } from './param-count';
import { denseSpec } from './presets';

export interface MatchedDense {
  /** parameters of the model being matched */
  target: number;
  hiddenLayers: number;
  /** the width with the closest count (the smaller width on a tie) */
  closest: { width: number; layers: number[]; params: number };
  /** the smallest width with at least as many parameters (the paper's B14 for its 3D MLP is this one) */
  atLeast: { width: number; layers: number[]; params: number };
}

/** Dense layers [n_0, H x hiddenLayers, n_L]. */
function denseLayers(model: ModelSpec, width: number, hidden: number): number[] {
  return [model.layers[0], ...Array.from({ length: hidden }, () => width), model.layers[model.layers.length - 1]];
}

/**
 * Scans H = 1, 2, ... until the dense count passes the target (counts grow with H), so the result
 * is exact. A spiking model is matched with a spiking dense model (same spiking spec).
 */
export function matchedDense(model: ModelSpec): MatchedDense {
  const target = countParams(model);
  const hidden = model.layers.length - 2;
  if (hidden < 1) throw new Error('a parameter-matched dense baseline needs a model with at least one hidden layer');
  const entry = (width: number) => {
    const layers = denseLayers(model, width, hidden);
    return { width, layers, params: countParams(denseSpec(layers, model.spiking)) };
  };
  let prev = entry(1);
  if (prev.params >= target) return { target, hiddenLayers: hidden, closest: prev, atLeast: prev };
  for (let w = 2; ; w++) {
    const cur = entry(w);
    if (cur.params >= target) {
      const closest = target - prev.params <= cur.params - target ? prev : cur;
      return { target, hiddenLayers: hidden, closest, atLeast: cur };
    }
    prev = cur;
  }
}
