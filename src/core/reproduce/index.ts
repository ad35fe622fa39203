/**
 * Reproducing the paper's results tables and figures (`sen-lab reproduce`): the experiment list,
 * budgets, the runner (AbortSignal + progress callback, for the CLI and services) and the report.
 */
export { EXPERIMENTS, EXPERIMENT_IDS, TABLE1, DIMS, SNN, PRUNING, findExperiment } from './experiments';
export type {
  AccuracyExperiment,
  AccuracyRow,
  Experiment,
  ExperimentId,
  PaperValue,
  PruningExperiment,
  PruningModel,
} from './experiments';
export {
  deviations,
  isShortened,
  rowConfig,
  rowParams,
  scaledEpochs,
  FULL_TEST_SIZE,
  FULL_TRAIN_SIZE,
  type Budget,
} from './plan';
export { reproduce, selectExperiments, seedStats, REPRODUCE_TAG, type ReproduceOptions } from './run';
export { reportHtml, reportMarkdown, writeReport } from './report';
export { FIGURE_DIR, writeFigures } from './figures';
export type * from './types';
