/**
 * The lab service's sweeps: planned and estimated before they start, then driven in the background
 * (local worker threads or a Slurm job array) by the same driver as `sen-lab sweep`. Their state
 * lives in the store, so the renderer polls `getSweep`; sweeps of other processes show up too.
 */
import type { RunStore } from '../../core/store/index';
import { estimateSweep } from '../../core/sweep/estimate';
import { cancelSweep, createSweep, driveSweep } from '../../core/sweep/run-sweep';
import { planSweep } from '../../core/sweep/spec';
import type { SweepDetail, SweepExecutorOptions, SweepPlanPreview, SweepSpec, SweepSummary } from '../../shared/sweep';
import type { LabEventEmitter } from './emitter';
import { LabStateError } from './errors';

export class SweepService {
  /** sweeps this service drives now -> their stop switch */
  private readonly running = new Map<string, AbortController>();
  private readonly work = new Set<Promise<void>>();

  constructor(
    private readonly store: RunStore,
    private readonly events: LabEventEmitter,
  ) {}

  /** The plan of a spec and its estimated cost; @throws ConfigError naming the spec entry */
  plan(spec: SweepSpec, options: SweepExecutorOptions = { executor: 'local' }): SweepPlanPreview {
    const plan = planSweep(spec);
    const estimate = estimateSweep(
      this.store,
      plan.trainings,
      options.executor === 'slurm' ? (options.slurm?.cpusPerTask ?? 1) : 1,
    );
    return { trainings: plan.trainings, estimate };
  }

  /** Stores the sweep and drives it in the background; resolves with it at once. */
  start(spec: SweepSpec, options: SweepExecutorOptions): SweepSummary {
    const sweep = createSweep(this.store, spec, options);
    this.drive(sweep.id, 'start');
    return this.summary(sweep.id);
  }

  /** Runs again what is missing, failed or cancelled (from checkpoints); @throws when this lab drives it already */
  resume(id: string): SweepSummary {
    const sweepId = this.store.resolveSweepId(id);
    if (this.running.has(sweepId)) throw new LabStateError(`sweep ${sweepId} is running in this lab`);
    this.drive(sweepId, 'resume');
    return this.summary(sweepId);
  }

  /** Cancels a sweep: its local trainings stop after their batch, its Slurm tasks are scancelled. */
  cancel(id: string): void {
    const sweepId = this.store.resolveSweepId(id);
    cancelSweep(this.store, sweepId);
    this.running.get(sweepId)?.abort();
  }

  list(): SweepSummary[] {
    return this.store.listSweeps();
  }

  get(id: string): SweepDetail {
    return this.store.getSweep(id);
  }

  /** Stops driving (local trainings stop after their batch; Slurm jobs keep running). */
  stopAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  async settled(): Promise<void> {
    await Promise.all([...this.work]);
  }

  private drive(sweepId: string, mode: 'start' | 'resume'): void {
    const controller = new AbortController();
    const done: Promise<void> = driveSweep(this.store, sweepId, mode, { signal: controller.signal })
      .then((s) => {
        if (s.status === 'failed') this.events.emit('lab/error', { message: `sweep ${sweepId}: ${s.error}` });
      })
      .catch((err: unknown) =>
        this.events.emit('lab/error', {
          message: `sweep ${sweepId} failed: ${err instanceof Error ? err.message : String(err)}`,
        }),
      )
      .finally(() => {
        this.running.delete(sweepId);
        this.work.delete(done);
      });
    this.running.set(sweepId, controller);
    this.work.add(done);
  }

  private summary(id: string): SweepSummary {
    const { trainings: _t, spec: _s, options: _o, ...summary } = this.store.getSweep(id);
    return summary;
  }
}
