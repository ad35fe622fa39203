/**
 * The waiting line of a lab's trainings: at most N train at once (default: one per two cores,
 * since a training keeps about two threads busy: its worker and the store writes and events
 * around it); the rest wait as 'queued' and start in the order they came. A queued training
 * has its run id from the start but nothing stored until it runs, so cancelling one loses nothing.
 */
import os from 'node:os';
import { countParams } from '../../core/model/param-count';
import type { RunDetail, RunSummary } from '../../shared/run-config';

/** Environment variable with the number of trainings one lab runs at once. */
export const MAX_TRAININGS_ENV = 'SEN_LAB_MAX_TRAININGS';

/** Trainings at once: `explicit`, else $SEN_LAB_MAX_TRAININGS, else max(1, floor(cores / 2)). */
export function maxConcurrentTrainings(explicit?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (explicit !== undefined && Number.isSafeInteger(explicit) && explicit >= 1) return explicit;
  const fromEnv = Number(env[MAX_TRAININGS_ENV]);
  if (Number.isSafeInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

/** A training started while every slot was taken: cancelled before it ran, nothing stored. */
export class QueuedCancelledError extends Error {
  override name = 'QueuedCancelledError';
  constructor(runId: string, why: string) {
    super(`run ${runId} was cancelled while queued (${why}); nothing was stored`);
  }
}

/** A waiting training; `start` launches it (the caller wires its outcome). */
export interface Waiting {
  id: string;
  detail: RunDetail;
  start: () => void;
  cancel: (err: Error) => void;
}

/** What the lab shows for a queued new run: its config, no epochs, status 'queued'. */
export function queuedDetail(id: string, config: RunDetail['config'], name?: string, tags: string[] = []): RunDetail {
  return {
    id,
    name: name?.trim() || config.name?.trim() || `${config.preset ?? config.model.kind} (queued)`,
    status: 'queued',
    preset: config.preset ?? null,
    modelKind: config.model.kind,
    layers: [...config.model.layers],
    dataset: config.dataset.name,
    params: countParams(config.model),
    backend: '',
    epochsDone: 0,
    epochsPlanned: config.training.epochs,
    testAccuracy: null,
    trainLoss: null,
    createdAt: new Date().toISOString(),
    finishedAt: null,
    durationMs: 0,
    tags,
    notes: '',
    archived: false,
    error: null,
    config,
    epochs: [],
  };
}

/** First-come first-served waiting line. */
export class TrainingQueue {
  private readonly waiting: Waiting[] = [];

  get ids(): string[] {
    return this.waiting.map((w) => w.id);
  }

  get length(): number {
    return this.waiting.length;
  }

  push(w: Waiting): void {
    this.waiting.push(w);
  }

  /** The next waiting training (removed from the line), or undefined. */
  shift(): Waiting | undefined {
    return this.waiting.shift();
  }

  /** The waiting training with this id or unique prefix (>= 4 characters). */
  find(idOrPrefix: string): Waiting | undefined {
    const exact = this.waiting.find((w) => w.id === idOrPrefix);
    if (exact || idOrPrefix.length < 4) return exact;
    const hits = this.waiting.filter((w) => w.id.startsWith(idOrPrefix));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Removes and cancels one waiting training; false when it is not waiting. */
  cancel(idOrPrefix: string, why: string): boolean {
    const w = this.find(idOrPrefix);
    if (!w) return false;
    this.waiting.splice(this.waiting.indexOf(w), 1);
    w.cancel(new QueuedCancelledError(w.id, why));
    return true;
  }

  /** Cancels every waiting training. */
  cancelAll(why: string): void {
    for (const w of this.waiting.splice(0)) w.cancel(new QueuedCancelledError(w.id, why));
  }

  /** Summaries of the waiting trainings, in order. */
  summaries(): RunSummary[] {
    return this.waiting.map(({ detail: { config: _c, epochs: _e, ...summary } }) => summary);
  }
}
