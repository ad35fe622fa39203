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
import { startWorker } from './worker-fallback';

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
  private worker: Worker | null = null;
  private inFlight: SelectJob | null = null;
  private waiting: SelectJob | null = null;
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
    this.worker = startWorker<SelectResult>(
      () => new Worker(new URL('./select.worker.ts', import.meta.url), { type: 'module', name: 'embedding-select' }),
      (r) => this.receive(r),
      () => {
        this.worker = null;
        const job = this.inFlight;
        this.inFlight = null;
        if (job) this.submit(job);
      },
    );
  }

  /** A selection whose result will be used is computing or waiting. */
  get pending(): boolean {
    return (this.inFlight !== null && this.inFlight.id >= this.validFrom) || this.waiting !== null;
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
    this.submit({ id: this.nextId++, geom, ...params });
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
    this.waiting = null;
  }

  private submit(job: SelectJob): void {
    if (this.inFlight) {
      this.waiting = job;
      return;
    }
    this.inFlight = job;
    if (this.worker) {
      this.worker.postMessage(job); // structured clone: the worker gets a snapshot of the geometry
      return;
    }
    const t0 = performance.now();
    const edges = strongestConnections(job.geom, {
      k: job.k,
      threshold: job.threshold,
      maxDistance: job.maxDistance,
      workspace: this.workspace,
    });
    const selectMs = performance.now() - t0;
    queueMicrotask(() => this.receive({ id: job.id, edges, selectMs }));
  }

  private receive(r: SelectResult): void {
    this.inFlight = null;
    const next = this.waiting;
    this.waiting = null;
    if (next) this.submit(next);
    if (r.id < this.validFrom) return;
    this.edges = r.edges;
    this.selectMs = r.selectMs;
    this.onEdges();
  }

  destroy(): void {
    clearTimeout(this.dueTimer);
    this.worker?.terminate();
    this.worker = null;
    this.waiting = null;
  }
}
