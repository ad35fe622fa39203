/**
 * Hover and click picking: neuron under the pointer (grid), else the nearest drawn line; clicking
 * a neuron and then one in an adjacent layer pins that synapse (works in both modes, so the
 * synapse inspector does not depend on which lines happen to be drawn). Listeners get the hovered
 * item, or the pinned synapse when nothing is hovered.
 */
import { synapse, type EdgeList, type EmbeddingGeometry } from '../../../../shared/geometry';
import { nearestSegment, NeuronGrid } from './hit-grid';
import type { LineEnds } from './buffers';
import type { ViewTransform } from './interaction';
import type { Layout } from './layout';
import type { HoverInfo, NeuronInfo, SynapseInfo } from './types';

export interface PickData {
  geom: EmbeddingGeometry;
  layout: Layout;
  edges: EdgeList | null;
  ends: LineEnds;
  activations: Float32Array[] | null;
  pointRadius: number;
}

type Highlight = (points: [number, number][], segment: [number, number, number, number] | null) => void;
type Pair = { l: number; i: number; j: number };

export class Picker {
  private data: PickData | null = null;
  private readonly grid = new NeuronGrid();
  private view: ViewTransform = { zoom: 1, panX: 0, panY: 0 };
  private readonly listeners = new Set<(info: HoverInfo) => void>();
  private pointer: [number, number] | null = null;
  private hoverNeuron = -1;
  private hoverPair: Pair | null = null;
  private selected: number[] = [];
  private pinned: Pair | null = null;
  private highlight: Highlight = () => {};

  bindHighlight(fn: Highlight): void {
    this.highlight = fn;
  }

  listen(fn: (info: HoverInfo) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** New positions / edges: rebuild the grid and refresh what is shown for the pointer. */
  setData(data: PickData): void {
    const sameModel = this.data?.layout.start.join() === data.layout.start.join();
    this.data = data;
    this.grid.build(data.layout.px, data.layout.py);
    if (!sameModel) this.reset();
    this.refresh();
  }

  setView(t: ViewTransform): void {
    this.view = { ...t };
    this.refresh();
  }

  hover(x: number | null, y: number): void {
    this.pointer = x === null ? null : [x, y];
    this.refresh();
  }

  click(x: number, y: number): void {
    const n = this.neuronAt(x, y);
    const first = this.selected.length === 1 ? this.selected[0] : -1;
    this.pinned = null;
    if (n < 0) this.selected = [];
    else if (first >= 0 && this.data && Math.abs(this.layerOf(first) - this.layerOf(n)) === 1) {
      const [a, b] = this.layerOf(first) < this.layerOf(n) ? [first, n] : [n, first];
      const l = this.layerOf(a);
      const start = this.data.layout.start;
      this.pinned = { l, i: a - start[l], j: b - start[l + 1] };
      this.selected = [a, b];
    } else this.selected = [n];
    this.refresh();
  }

  reset(): void {
    this.selected = [];
    this.pinned = null;
    this.hoverNeuron = -1;
    this.hoverPair = null;
  }

  private toScreen(x: number, y: number): [number, number] {
    return [x * this.view.zoom + this.view.panX, y * this.view.zoom + this.view.panY];
  }

  private neuronAt(sx: number, sy: number): number {
    if (!this.data) return -1;
    const z = this.view.zoom;
    return this.grid.nearest((sx - this.view.panX) / z, (sy - this.view.panY) / z, (this.data.pointRadius + 4) / z);
  }

  private layerOf(n: number): number {
    const start = this.data?.layout.start ?? [0];
    let l = 0;
    while (l + 1 < start.length - 1 && n >= start[l + 1]) l++;
    return l;
  }

  private refresh(): void {
    const d = this.data;
    this.hoverNeuron = -1;
    this.hoverPair = null;
    if (d && this.pointer) {
      const [sx, sy] = this.pointer;
      this.hoverNeuron = this.neuronAt(sx, sy);
      if (this.hoverNeuron < 0 && d.edges && d.edges.count > 0) {
        const z = this.view.zoom;
        const e = nearestSegment(
          d.layout.px,
          d.layout.py,
          d.ends.from,
          d.ends.to,
          d.edges.count,
          (sx - this.view.panX) / z,
          (sy - this.view.panY) / z,
          4 / z,
        );
        if (e >= 0) this.hoverPair = { l: d.edges.layer[e], i: d.edges.i[e], j: d.edges.j[e] };
      }
    }
    this.drawHighlight();
    const info = this.info();
    for (const f of this.listeners) f(info);
  }

  private info(): HoverInfo {
    if (this.hoverNeuron >= 0) return this.neuronInfo(this.hoverNeuron);
    if (this.hoverPair) return this.synapseInfo(this.hoverPair, 'hover');
    if (this.pinned) return this.synapseInfo(this.pinned, 'pick');
    return null;
  }

  private neuronInfo(n: number): NeuronInfo | null {
    const d = this.data;
    if (!d) return null;
    const l = this.layerOf(n);
    const i = n - d.layout.start[l];
    const g = d.geom.layers[l];
    const [screenX, screenY] = this.toScreen(d.layout.px[n], d.layout.py[n]);
    const value = d.activations?.[l]?.[i];
    return {
      kind: 'neuron',
      layer: l,
      index: i,
      x: g.x[i],
      y: g.y[i],
      z: g.z[i],
      coords: Array.from(g.coords.subarray(i * g.c, (i + 1) * g.c)),
      ...(g.mask ? { mask: g.mask[i] } : {}),
      ...(value !== undefined ? { value } : {}),
      screenX,
      screenY,
    };
  }

  private synapseInfo(p: Pair, source: 'hover' | 'pick'): SynapseInfo | null {
    const d = this.data;
    if (!d) return null;
    const s = synapse(d.geom, p.l, p.i, p.j);
    const [a, b] = this.ends(p);
    return {
      kind: 'synapse',
      layer: p.l,
      i: p.i,
      j: p.j,
      ...s,
      source,
      screenX: (a[0] + b[0]) / 2,
      screenY: (a[1] + b[1]) / 2,
    };
  }

  private ends(p: Pair): [[number, number], [number, number]] {
    const { px, py, start } = (this.data as PickData).layout;
    const a = start[p.l] + p.i;
    const b = start[p.l + 1] + p.j;
    return [this.toScreen(px[a], py[a]), this.toScreen(px[b], py[b])];
  }

  private drawHighlight(): void {
    const d = this.data;
    if (!d) return this.highlight([], null);
    const ns = [...this.selected, ...(this.hoverNeuron >= 0 ? [this.hoverNeuron] : [])];
    const points = ns.map((n) => this.toScreen(d.layout.px[n], d.layout.py[n]));
    const pair = this.hoverPair ?? this.pinned;
    const seg = pair ? this.ends(pair) : null;
    this.highlight(points, seg ? [seg[0][0], seg[0][1], seg[1][0], seg[1][1]] : null);
  }
}
