/** Pruning studies: planning, running (find or train runs, prune, record) and summarising. */
export {
  executeStudy,
  prepareStudy,
  runStudy,
  type ExecuteStudyOptions,
  type PreparedStudy,
  type RunStudyOptions,
  type TrainRequest,
  type TrainRun,
} from './run-study';
export { planStudy, DEFAULT_STUDY_RATES, STUDY_LIMITS, type StudyPlan, type PlannedModel } from './spec';
export { canonicalJson, configKey, duringConfig, findReusableRun, studyTag, type ReusableRun } from './configs';
export { achievedSparsity, evaluateInThread, testOnly, type PruneEvaluator, type PruneJob } from './evaluate';
export { PruneWorker } from './prune-host';
export { aggregateResults, studyCsv, type StudyPoint } from './aggregate';
