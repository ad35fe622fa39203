/**
 * The paper's experiments as data (Erb et al., arXiv 2506.13410; numbers from
 * docs/paper-spec.md): per table, the models to train (a preset, or a preset with other dense
 * layer sizes), the accuracy the paper reports (mean ± std over 3 seeds) and, where it states one,
 * its parameter count. `reproduce()` trains (or reuses) every row and sets ours next to these.
 */
import { REPRODUCTION_EXPERIMENTS, type ReproductionExperiment } from '../../shared/schema/enums';

/** The paper's reported test accuracy; `std` is absent where the paper gives only a mean ("~0.940"). */
export interface PaperValue {
  mean: number;
  std?: number;
}

/** One model of an accuracy table. */
export interface AccuracyRow {
  /** unique within the table; `--models` filters on it (e.g. 'paper-3d', 'baseline-20') */
  id: string;
  /** the paper's name for the model */
  label: string;
  /** the preset the config is built from */
  preset: string;
  /** dense layer sizes replacing the preset's (parameter-matched baselines that have no preset) */
  layers?: number[];
  paper: PaperValue;
  /** the parameter count the paper states (absent where it states none) */
  paperParams?: number;
  /** id of the row this one is parameter-matched with (the dimension table's baselines) */
  matchedTo?: string;
  /** draw the paper's Fig. 6 embedding of this row's first run */
  embedding?: boolean;
}

/** A results table of test accuracies (Table 1, the embedding dimensions, the SNN table). */
export interface AccuracyExperiment {
  kind: 'accuracy';
  id: string;
  title: string;
  /** the epochs the paper trained for (300 MLPs, 200 SNNs) */
  paperEpochs: number;
  rows: AccuracyRow[];
}

/** One model of the pruning figure, with the paper's accuracies at each rate (read from its plot). */
export interface PruningModel {
  label: string;
  preset: string;
  paper: { post: number[]; during: number[] };
}

/** The paper's Fig. 3: accuracy vs pruning rate, after training ('post') and during training. */
export interface PruningExperiment {
  kind: 'pruning';
  id: string;
  title: string;
  paperEpochs: number;
  rates: number[];
  models: PruningModel[];
}

export type Experiment = AccuracyExperiment | PruningExperiment;

/** The ids `--experiments` accepts, in the order they run. */
export const EXPERIMENT_IDS = REPRODUCTION_EXPERIMENTS;
export type ExperimentId = ReproductionExperiment;

/** A Table 1 dense baseline that has its own preset. */
const dense = (h: number, mean: number, std: number, paperParams: number): AccuracyRow => ({
  id: `baseline-${h}`,
  label: `MLP Baseline ${h}`,
  preset: `baseline-${h}`,
  paper: { mean, std },
  paperParams,
});

/** Table 1 of the paper: spatial MLPs against dense baselines (300 epochs). */
export const TABLE1: AccuracyExperiment = {
  kind: 'accuracy',
  id: 'table1',
  title: 'Table 1: spatially embedded MLPs vs dense baselines (MNIST test accuracy)',
  paperEpochs: 300,
  rows: [
    {
      id: 'paper-3d',
      label: '3D MLP (2048 hidden)',
      preset: 'paper-3d',
      paper: { mean: 0.9217, std: 0.0024 },
      paperParams: 10576,
      embedding: true,
    },
    {
      id: 'paper-fixed-gap',
      label: '3D MLP, fixed gap',
      preset: 'paper-fixed-gap',
      paper: { mean: 0.9018, std: 0.0042 },
      paperParams: 10574,
    },
    {
      id: 'paper-relaxed',
      label: 'Relaxed 3D MLP',
      preset: 'paper-relaxed',
      paper: { mean: 0.9337, std: 0.004 },
      paperParams: 13416,
    },
    dense(14, 0.9429, 0.0028, 11140),
    dense(17, 0.9507, 0.0011, 13525),
    dense(2048, 0.9745, 0.0003, 1628170),
  ],
};

/** A parameter-matched dense 784-h-10 baseline of the dimension table (no preset: baseline-14 with other layers). */
function matched(h: number, mean: number, to: string): AccuracyRow {
  return {
    id: `baseline-${h}`,
    label: `MLP Baseline ${h}`,
    preset: 'baseline-14',
    layers: [784, h, 10],
    paper: { mean },
    matchedTo: to,
  };
}

/** The embedding-dimension results ("Fig. 5"): d = 5, 8, 16, 32 against parameter-matched dense MLPs. */
export const DIMS: AccuracyExperiment = {
  kind: 'accuracy',
  id: 'dims',
  title: 'Embedding dimension (Fig. 5): d-dimensional SEN vs parameter-matched dense MLPs',
  paperEpochs: 300,
  rows: [
    { id: 'paper-5d', label: '5D MLP', preset: 'paper-5d', paper: { mean: 0.94 } },
    matched(20, 0.953, 'paper-5d'),
    { id: 'paper-8d', label: '8D MLP', preset: 'paper-8d', paper: { mean: 0.952 } },
    matched(32, 0.961, 'paper-8d'),
    { id: 'paper-16d', label: '16D MLP', preset: 'paper-16d', paper: { mean: 0.958 } },
    matched(60, 0.967, 'paper-16d'),
    { id: 'paper-32d', label: '32D MLP', preset: 'paper-32d', paper: { mean: 0.957 } },
    matched(117, 0.971, 'paper-32d'),
  ],
};

/** The paper's spiking results (LIF, 200 epochs). */
export const SNN: AccuracyExperiment = {
  kind: 'accuracy',
  id: 'snn',
  title: 'Spiking networks (LIF, snnTorch-style): 3D SNN vs spiking dense baselines',
  paperEpochs: 200,
  rows: [
    {
      id: 'paper-snn-3d',
      label: '3D SNN',
      preset: 'paper-snn-3d',
      paper: { mean: 0.9216, std: 0.0052 },
      paperParams: 10576,
    },
    {
      id: 'paper-snn-fixed-gap',
      label: '3D SNN, fixed gap',
      preset: 'paper-snn-fixed-gap',
      paper: { mean: 0.9187, std: 0.0027 },
      paperParams: 10574,
    },
    {
      id: 'snn-baseline-14',
      label: 'SNN Baseline 14',
      preset: 'snn-baseline-14',
      paper: { mean: 0.9031, std: 0.0088 },
      paperParams: 11140,
    },
    {
      id: 'snn-baseline-2048',
      label: 'SNN Baseline 2048',
      preset: 'snn-baseline-2048',
      paper: { mean: 0.9525, std: 0.0013 },
      paperParams: 1628170,
    },
  ],
};

/** The paper's Fig. 3 (values read from its plot; std 0.001-0.09). */
export const PRUNING: PruningExperiment = {
  kind: 'pruning',
  id: 'pruning',
  title: 'Pruning (Fig. 3): accuracy vs fraction of longest connections removed',
  paperEpochs: 300,
  rates: [0.2, 0.4, 0.6, 0.8, 0.9, 0.95],
  models: [
    {
      label: '3D',
      preset: 'paper-3d',
      paper: { post: [0.803, 0.727, 0.687, 0.605, 0.511, 0.362], during: [0.917, 0.917, 0.919, 0.922, 0.895, 0.826] },
    },
    {
      label: 'B14',
      preset: 'baseline-14',
      paper: { post: [0.94, 0.909, 0.751, 0.434, 0.168, 0.094], during: [0.941, 0.936, 0.926, 0.867, 0.641, 0.414] },
    },
    {
      label: 'B2048',
      preset: 'baseline-2048',
      paper: { post: [0.973, 0.97, 0.956, 0.832, 0.55, 0.272], during: [0.972, 0.971, 0.97, 0.967, 0.965, 0.958] },
    },
  ],
};

/** Every experiment of the paper, in the order `reproduce` runs them. */
export const EXPERIMENTS: readonly Experiment[] = [TABLE1, DIMS, SNN, PRUNING];

/** The experiment with this id. */
export function findExperiment(id: string): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}
