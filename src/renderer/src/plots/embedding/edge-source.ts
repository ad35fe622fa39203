/**
 * Runs connection selection in a worker (select.worker.ts), one job at a time; while one runs only
 * the newest request waits, so slow machines skip intermediate snapshots instead of queueing.
 * Results of requests made before the last reset() / request(null) are dropped. Without worker
 * support it selects on the main thread.
 */
import { strongestConnections, type EdgeList, type EmbeddingGeometry, type SelectionWorkspace } from '../../../../shared/geometry';
import type { SelectJob, SelectResult } from './select.worker';

export type EdgesListener = (edges: EdgeList | null, selectMs: number) => void;

export class EdgeSource {
  private worker: Worker | null = null;
  private inFlight: SelectJob | null = null;
  private waiting: SelectJob | null = null;
  private nextId = 1;
  /** results with an id below this are stale */
  private validFrom = 1;
  private readonly workspace: SelectionWorkspace = {};

  constructor(private readonly listener: EdgesListener) {
    try {
      this.worker = new Worker(new URL('./select.worker.ts', import.meta.url), { type: 'module', name: 'embedding-select' });
      this.worker.onmessage = (e: MessageEvent<SelectResult>) => this.receive(e.data);
      this.worker.onerror = () => {
        this.worker?.terminate();
        this.worker = null;
        const job = this.inFlight;
        this.inFlight = null;
        if (job) this.submit(job);
      };
    } catch {
      this.worker = null;
    }
  }

  /** Selects from a copy of geom; `null` means no edges (answered at once). */
  request(geom: EmbeddingGeometry | null, options: { k?: number; threshold?: number } = {}): void {
    if (!geom) {
      this.reset();
      this.listener(null, 0);
      return;
    }
    this.submit({ id: this.nextId++, geom, ...options });
  }

  /** Forgets pending work (new model). */
  reset(): void {
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
    const edges = strongestConnections(job.geom, { k: job.k, threshold: job.threshold, workspace: this.workspace });
    const selectMs = performance.now() - t0;
    queueMicrotask(() => this.receive({ id: job.id, edges, selectMs }));
  }

  private receive(r: SelectResult): void {
    this.inFlight = null;
    const next = this.waiting;
    this.waiting = null;
    if (next) this.submit(next);
    if (r.id >= this.validFrom) this.listener(r.edges, r.selectMs);
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
    this.waiting = null;
  }
}
