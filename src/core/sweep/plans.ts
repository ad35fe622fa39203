/**
 * Pruning studies and reproductions as sweeps: the trainings they need, as a plan an executor runs
 * (local worker threads or a Slurm job array). Once the plan's runs are in the store, the study or
 * reproduction itself runs as before and finds every training completed (reused by exact config),
 * so only the pruning evaluations and the report are computed by the driver.
 */
import type { StudySpec } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';
import type { SweepDetail, SweepExecutorOptions } from '../../shared/sweep';
import { rowConfig, scaledEpochs, type Budget } from '../reproduce/plan';
import { pruningStudySpec, selectExperiments, type ReproduceOptions } from '../reproduce/run';
import type { RunStore } from '../store/index';
import { duringConfig } from '../study/configs';
import { planStudy } from '../study/spec';
import type { SweepEvents } from './events';
import { createConfigSweep, driveSweep } from './run-sweep';

/** Every training a pruning study needs: the base runs of its preset models, and one per rate in 'during' mode. */
export function studyConfigs(store: RunStore, spec: StudySpec): RunConfig[] {
  const plan = planStudy(spec, store);
  const configs: RunConfig[] = [];
  for (const m of plan.models) {
    for (const base of m.bases) {
      if (m.runId === undefined) configs.push(base.config);
      if (plan.spec.modes.includes('during'))
        for (const rate of plan.spec.rates) configs.push(duringConfig(base.config, rate, plan.spec.scope));
    }
  }
  return configs;
}

/** Every training a reproduction needs (accuracy rows x seeds, and its pruning study's trainings). */
export function reproduceConfigs(
  store: RunStore,
  opts: Pick<ReproduceOptions, 'experiments' | 'models' | 'seeds' | 'budget'>,
): RunConfig[] {
  const experiments = selectExperiments(opts);
  const seeds = [...new Set(opts.seeds ?? [1, 2, 3])].sort((a, b) => a - b);
  const budget: Budget = opts.budget ?? {};
  const configs: RunConfig[] = [];
  for (const e of experiments) {
    scaledEpochs(e.paperEpochs, budget);
    if (e.kind === 'accuracy')
      for (const seed of seeds) for (const row of e.rows) configs.push(rowConfig(row, seed, budget));
    else configs.push(...studyConfigs(store, pruningStudySpec(e, seeds, budget)));
  }
  return configs;
}

/**
 * Runs `configs` as one sweep on the executor and waits for it.
 * @throws Error when a training did not complete (naming the sweep, so `sweep resume` can finish it)
 */
export async function trainOnExecutor(
  store: RunStore,
  name: string,
  configs: RunConfig[],
  options: SweepExecutorOptions,
  opts: { signal?: AbortSignal; events?: SweepEvents; cwd?: string } = {},
): Promise<SweepDetail> {
  const sweep = createConfigSweep(store, name, configs, options, opts.cwd);
  opts.events?.message(`sweep ${sweep.id}: ${sweep.total} trainings on ${options.executor}`);
  const done = await driveSweep(store, sweep.id, 'start', opts);
  if (done.status !== 'completed') {
    throw new Error(
      `sweep ${done.id} ended ${done.status} (${done.completed}/${done.total} trainings done); finish it with: sen-lab sweep resume ${done.id}`,
    );
  }
  return done;
}
