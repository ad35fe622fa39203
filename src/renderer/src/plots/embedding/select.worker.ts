/**
 * Worker entry: strongest-k / threshold selection over all connections (1.6 M for the paper's
 * network, ~10-30 ms), off the main thread so 10 Hz snapshots do not cost frames.
 */
import {
  strongestConnections,
  type EdgeList,
  type EmbeddingGeometry,
  type SelectionWorkspace,
} from '../../../../shared/geometry';

export interface SelectJob {
  id: number;
  geom: EmbeddingGeometry;
  k?: number;
  threshold?: number;
  maxDistance?: number | number[];
}

export interface SelectResult {
  id: number;
  edges: EdgeList;
  selectMs: number;
}

// typed locally: the renderer's tsconfig has the DOM lib, not WebWorker
const ctx = globalThis as unknown as {
  onmessage: ((e: MessageEvent<SelectJob>) => void) | null;
  postMessage(message: SelectResult, transfer: Transferable[]): void;
};
const workspace: SelectionWorkspace = {};

ctx.onmessage = (e) => {
  const { id, geom, k, threshold, maxDistance } = e.data;
  const t0 = performance.now();
  const edges = strongestConnections(geom, { k, threshold, maxDistance, workspace });
  const transfer = [edges.layer.buffer, edges.i.buffer, edges.j.buffer, edges.w.buffer, edges.d.buffer];
  ctx.postMessage({ id, edges, selectMs: performance.now() - t0 }, transfer);
};
