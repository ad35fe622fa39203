/**
 * "What will this cost here?" before Start: the trainings a form asks for and their estimated time
 * on this machine (`LabApi.estimateCost`, `sen-lab reproduce --dry-run`; core/cost/estimate.ts).
 */

/** Trainings of one network (same model, batch size, engine and data set). */
export interface CostGroup {
  /** the network, e.g. "spatial 784-128-10" */
  model: string;
  count: number;
  /** epochs per training (the largest, when they differ) */
  epochs: number;
  /** images per epoch */
  trainImages: number;
  /** training images per second here */
  samplesPerSec: number;
  /** 'recorded': median speed of this store's completed runs of the network; 'measured': a few batches trained now */
  source: 'recorded' | 'measured';
  /** training time of the group's trainings one after another (evaluation not counted) */
  seconds: number;
}

export interface CostEstimate {
  trainings: number;
  /** all trainings one after another, seconds */
  seconds: number;
  groups: CostGroup[];
}
