export { connectionMagnitudes, layerDistances, paramMap } from './magnitudes';
export { evaluatePruned, type PostTrainingOptions, type PrunedEvaluation } from './post-training';
export { kthSmallest, pruneByRate, pruneByThreshold, type KeepMasks, type PruneScope } from './select';
export { pruningRateAt } from './schedule';
