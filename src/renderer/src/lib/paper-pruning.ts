/**
 * The paper's pruning results (Fig. 3): test accuracy against pruning rate for the 3D MLP and the
 * dense baselines 784-14-10 and 784-2048-10, pruned after training (no fine-tuning) and during
 * training (fixed rate from the first step).
 *
 * Source: Erb, Boccato, Vasilache, Becker, Toschi, "Training Neural Networks by Optimizing Neuron
 * Positions", arXiv 2506.13410 (2025), Fig. 3; values as read from the plot in
 * docs/paper-spec.md ("Pruning"), std 0.001-0.09 (not tabulated).
 */

export type PaperModel = '3D' | 'B14' | 'B2048';
export type PruneMode = 'post' | 'during';

export const PAPER_SOURCE = 'Erb et al., arXiv 2506.13410 (2025), Fig. 3 (values read from the plot)';

/** Pruning rates of Fig. 3 (fractions of connections removed). */
export const PAPER_RATES: readonly number[] = [0.2, 0.4, 0.6, 0.8, 0.9, 0.95];

export interface PaperCurve {
  model: PaperModel;
  mode: PruneMode;
  /** test accuracy at each of PAPER_RATES */
  accuracy: readonly number[];
}

export const PAPER_PRUNING: readonly PaperCurve[] = [
  { model: '3D', mode: 'post', accuracy: [0.803, 0.727, 0.687, 0.605, 0.511, 0.362] },
  { model: 'B14', mode: 'post', accuracy: [0.94, 0.909, 0.751, 0.434, 0.168, 0.094] },
  { model: 'B2048', mode: 'post', accuracy: [0.973, 0.97, 0.956, 0.832, 0.55, 0.272] },
  { model: '3D', mode: 'during', accuracy: [0.917, 0.917, 0.919, 0.922, 0.895, 0.826] },
  { model: 'B14', mode: 'during', accuracy: [0.941, 0.936, 0.926, 0.867, 0.641, 0.414] },
  { model: 'B2048', mode: 'during', accuracy: [0.972, 0.971, 0.97, 0.967, 0.965, 0.958] },
];

/** The paper's unpruned accuracies of the same models (its results table). */
export const PAPER_UNPRUNED: Readonly<Record<PaperModel, number>> = { '3D': 0.9217, B14: 0.9429, B2048: 0.9745 };

export const PAPER_MODEL_NAMES: Readonly<Record<PaperModel, string>> = {
  '3D': '3D MLP',
  B14: 'Baseline 14',
  B2048: 'Baseline 2048',
};

/** Which of the paper's models a lab preset reproduces (null: none). */
export function paperModelOf(preset: string | null | undefined): PaperModel | null {
  if (preset === 'paper-3d') return '3D';
  if (preset === 'baseline-14') return 'B14';
  if (preset === 'baseline-2048') return 'B2048';
  return null;
}
