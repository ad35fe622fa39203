/**
 * LatestJob (src/renderer/src/plots/embedding/worker-fallback.ts): the one-job-at-a-time queue of the
 * embedding's line rasteriser and edge selection, with a fake worker (no browser needed).
 */
import { describe, expect, it } from 'vitest';
import { LatestJob } from '../../src/renderer/src/plots/embedding/worker-fallback';

interface Job {
  id: number;
}
interface Result {
  id: number;
  where: 'worker' | 'here';
}

/** a stand-in for a DOM Worker: records what is posted; the test answers or fails it */
class FakeWorker {
  posted: Job[] = [];
  terminated = false;
  onmessage: ((e: { data: Result }) => void) | null = null;
  onerror: (() => void) | null = null;
  postMessage(job: Job): void {
    this.posted.push(job);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(id: number): void {
    this.onmessage?.({ data: { id, where: 'worker' } });
  }
}

function queue(worker: FakeWorker | null) {
  const results: [number, Result][] = [];
  const jobs = new LatestJob<Job, Result>(
    () => {
      if (!worker) throw new Error('workers are blocked');
      return worker as unknown as Worker;
    },
    (w, job) => w.postMessage(job),
    (job) => ({ id: job.id, where: 'here' }),
    (job, r) => results.push([job.id, r]),
  );
  return { jobs, results };
}

describe('LatestJob', () => {
  it('keeps one job in flight and only the newest waiting one; the waiting job is sent when the result arrives', () => {
    const w = new FakeWorker();
    const { jobs, results } = queue(w);
    jobs.submit({ id: 1 });
    jobs.submit({ id: 2 });
    jobs.submit({ id: 3 });
    expect(w.posted.map((j) => j.id)).toEqual([1]);
    expect(jobs.busy).toBe(true);
    expect(jobs.hasWaiting).toBe(true);
    w.answer(1);
    expect(w.posted.map((j) => j.id)).toEqual([1, 3]); // 2 was skipped
    expect(results).toEqual([[1, { id: 1, where: 'worker' }]]);
    expect(jobs.current).toEqual({ id: 3 });
    w.answer(3);
    expect(results.map(([id]) => id)).toEqual([1, 3]);
    expect(jobs.busy).toBe(false);
  });

  it('a job submitted from the result handler is newer than the one that was waiting', () => {
    const w = new FakeWorker();
    const order: number[] = [];
    const jobs: LatestJob<Job, Result> = new LatestJob<Job, Result>(
      () => w as unknown as Worker,
      (worker, job) => worker.postMessage(job),
      (job) => ({ id: job.id, where: 'here' }),
      (job) => {
        order.push(job.id);
        if (job.id === 1) jobs.submit({ id: 9 });
      },
    );
    jobs.submit({ id: 1 });
    jobs.submit({ id: 2 });
    w.answer(1); // sends 2, then the handler submits 9: 9 waits behind 2
    w.answer(2);
    expect(w.posted.map((j) => j.id)).toEqual([1, 2, 9]);
    expect(order).toEqual([1, 2]);
  });

  it('dropWaiting forgets the waiting job, the one in flight still reports', () => {
    const w = new FakeWorker();
    const { jobs, results } = queue(w);
    jobs.submit({ id: 1 });
    jobs.submit({ id: 2 });
    jobs.dropWaiting();
    w.answer(1);
    expect(w.posted.map((j) => j.id)).toEqual([1]);
    expect(results.map(([id]) => id)).toEqual([1]);
  });

  it('computes here when no worker starts, and redoes the job in flight here when the worker fails', async () => {
    const blocked = queue(null);
    blocked.jobs.submit({ id: 1 });
    await Promise.resolve();
    expect(blocked.results).toEqual([[1, { id: 1, where: 'here' }]]);

    const w = new FakeWorker();
    const failing = queue(w);
    failing.jobs.submit({ id: 5 });
    failing.jobs.submit({ id: 6 });
    w.onerror?.();
    expect(w.terminated).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(failing.results).toEqual([
      [5, { id: 5, where: 'here' }],
      [6, { id: 6, where: 'here' }],
    ]);
    failing.jobs.destroy();
  });
});
