/**
 * Which connections are drawn. Selection (strongest k / threshold, optionally only among the
 * connections within a distance cut-off) runs in a
 * worker (select.worker.ts), one job at a time; while one runs only the newest request waits, so
 * slow machines skip intermediate snapshots instead of queueing. While snapshots stream in, the
 * strongest set is re-selected at most every SELECT_INTERVAL_MS; snapshots in between only
 * re-measure the current edges (refreshEdges), so lines still move with every snapshot. Without
 * worker support it selects on the main thread.
 */
import {
  refreshEdges,
  strongestConnections,
  type EdgeList,
  type EmbeddingGeometry,
  type SelectionWorkspace,
} from '../../../../shared/geometry';
import type { SelectJob, SelectResult } from './select.worker';
import { LatestJob } from './worker-fallback';

const SELECT_INTERVAL_MS = 300;

export interface SelectionParams {
  k?: number;
  threshold?: number;
  /** only connections with d <= maxDistance (per layer pair when an array); see strongestConnections */
  maxDistance?: number | number[];
}

export class EdgeSource {
  /** the edges to draw (null: none) */
  edges: EdgeList | null = null;
  /** duration of the last selection */
  selectMs = 0;
  private readonly jobs: LatestJob<SelectJob, SelectResult>;
  private nextId = 1;
  /** results with an id below this are stale */
  private validFrom = 1;
  private lastRequestAt = -Infinity;
  private dueTimer = 0;
  private readonly workspace: SelectionWorkspace = {};

  /**
   * @param onEdges new edges arrived (asynchronously)
   * @param onDue a postponed re-selection is due: call update() again
   */
  constructor(
    private readonly onEdges: () => void,
    private readonly onDue: () => void,
  ) {
    this.jobs = new LatestJob<SelectJob, SelectResult>(
      () => new Worker(new URL('./select.worker.ts', import.meta.url), { type: 'module', name: 'embedding-select' }),
      (worker, job) => worker.postMessage(job), // structured clone: the worker gets a snapshot of the geometry
      (job) => {
        const t0 = performance.now();
        const edges = strongestConnections(job.geom, {
          k: job.k,
          threshold: job.threshold,
          maxDistance: job.maxDistance,
          workspace: this.workspace,
        });
        return { id: job.id, edges, selectMs: performance.now() - t0 };
      },
      (_job, r) => {
        if (r.id < this.validFrom) return;
        this.edges = r.edges;
        this.selectMs = r.selectMs;
        this.onEdges();
      },
    );
  }

  /** A selection whose result will be used is computing or waiting. */
  get pending(): boolean {
    const current = this.jobs.current;
    return (current !== null && current.id >= this.validFrom) || this.jobs.hasWaiting;
  }

  /**
   * New geometry or options. `params` null: no edges. `urgent` (options or model changed):
   * select now. Returns true when `edges` changed right away (cleared or re-measured); otherwise
   * onEdges follows.
   */
  update(geom: EmbeddingGeometry, params: SelectionParams | null, urgent: boolean): boolean {
    clearTimeout(this.dueTimer);
    if (!params) {
      this.drop();
      this.edges = null;
      return true;
    }
    const now = performance.now();
    const since = now - this.lastRequestAt;
    if (!urgent && this.edges && since < SELECT_INTERVAL_MS) {
      refreshEdges(geom, this.edges);
      this.dueTimer = window.setTimeout(this.onDue, SELECT_INTERVAL_MS - since);
      return true;
    }
    this.lastRequestAt = now;
    this.jobs.submit({ id: this.nextId++, geom, ...params });
    return false;
  }

  /** New model: forget the edges and any work in flight. */
  reset(): void {
    clearTimeout(this.dueTimer);
    this.drop();
    this.edges = null;
    this.lastRequestAt = -Infinity;
  }

  private drop(): void {
    this.validFrom = this.nextId;
    this.jobs.dropWaiting();
  }

  destroy(): void {
    clearTimeout(this.dueTimer);
    this.jobs.destroy();
  }
}
