import type { InkScale } from '../../../../shared/ink-scale';
/** Public types of the embedding plot (framework-free; the Vue view wraps it). */

export type EmbeddingMode = 'planes' | 'stacked';
export type ConnectionMode = 'none' | 'strongest' | 'threshold' | 'all';
export type ColorBy = 'inhibition' | 'activation';
export type Theme = 'dark' | 'light';

export interface EmbeddingOptions {
  /** 'planes': one x-y panel per layer (Fig. 6); 'stacked': tilted parallel planes (Fig. 1) */
  mode: EmbeddingMode;
  /** which connections the stacked view draws (the planes view draws none: see README.md) */
  connections: ConnectionMode;
  /** 'strongest': how many (default 50,000) */
  k: number;
  /** 'threshold': draw |w| >= threshold */
  threshold: number;
  /** upper bound on drawn lines in 'threshold' and 'all' modes (the strongest ones are kept) */
  maxLines: number;
  /**
   * in every connection mode, consider only connections with distance d <= maxDistance (one value
   * for all layer pairs, or one per pair l -> l+1): exactly the set distance pruning keeps, of
   * which the mode then draws the strongest k / those above the threshold / all (up to maxLines).
   * null: no limit
   */
  maxDistance: number | readonly number[] | null;
  /** neuron colour: the presynaptic sign (mask) or a per-neuron value from `activations` */
  colorBy: ColorBy;
  /** per-layer values for colorBy 'activation' (e.g. masked activation of an average digit) */
  activations: Float32Array[] | null;
  /** rotation of the stack about the vertical axis, degrees */
  yawDeg: number;
  /** tilt of the planes towards the viewer, degrees */
  pitchDeg: number;
  /** distance between consecutive planes, in plane widths per mean gap (z is exaggerated for legibility) */
  layerSpacing: number;
  /** line colour: 'ink' (monochrome, darker = closer, like the paper) or 'sign' (red excitatory, blue inhibitory) */
  lineColor: 'ink' | 'sign';
  /**
   * opacity of the strongest drawn line when at most 1,500 are drawn (x 1500 / lines beyond, so
   * dense bundles keep a gradient); the others scale with |w| / max|w|
   */
  lineAlpha: number;
  /**
   * how lines are drawn: 'gpu' (one GL line mesh), 'cpu' (rasterised in a worker, one texture), or
   * 'auto': cpu on software WebGL (SwiftShader, llvmpipe), where GL lines are ~6x slower per pixel
   */
  lineRenderer: 'auto' | 'gpu' | 'cpu';
  /** dot radius in CSS pixels */
  pointRadius: number;
  theme: Theme;
  /** planes mode: draw the output neurons as labelled x markers on the other panels (as in Fig. 6) */
  overlayOutputs: boolean;
  /** the output markers' labels (class names, e.g. Fashion-MNIST's); null: class numbers */
  classNames: readonly string[] | null;
  /**
   * a run is training and snapshots stream in: draw at most `liveMaxLines` lines (the strongest),
   * and rasterise CPU lines at reduced resolution without the full-resolution refinement pass, so
   * the page leaves the CPU to the training. Turning it off redraws the full view.
   */
  live: boolean;
  /** the line cap while `live` */
  liveMaxLines: number;
}

export const DEFAULT_OPTIONS: EmbeddingOptions = {
  mode: 'stacked',
  connections: 'strongest',
  k: 50_000,
  threshold: 0.5,
  maxLines: 250_000,
  maxDistance: null,
  colorBy: 'inhibition',
  activations: null,
  yawDeg: -32,
  pitchDeg: 18,
  layerSpacing: 1.1,
  lineColor: 'ink',
  lineAlpha: 0.35,
  lineRenderer: 'auto',
  live: false,
  liveMaxLines: 15_000,
  pointRadius: 2.5,
  theme: 'light',
  overlayOutputs: true,
  classNames: null,
};

export interface NeuronInfo {
  kind: 'neuron';
  layer: number;
  index: number;
  /** first two learned coordinates and z */
  x: number;
  y: number;
  z: number;
  /** every learned coordinate (d - 1 of them) */
  coords: number[];
  /** inhibition sign in (-1, 1); absent for output neurons */
  mask?: number;
  /** the colorBy 'activation' value, when given */
  value?: number;
  /** position in CSS pixels relative to the canvas */
  screenX: number;
  screenY: number;
}

export interface SynapseInfo {
  kind: 'synapse';
  /** presynaptic layer; the postsynaptic neuron is in layer + 1 */
  layer: number;
  i: number;
  j: number;
  distance: number;
  /** mask_i / distance */
  weight: number;
  mask: number;
  /** 'hover': the pointer is near a drawn line; 'pick': two neurons were clicked */
  source: 'hover' | 'pick';
  screenX: number;
  screenY: number;
}

export type HoverInfo = NeuronInfo | SynapseInfo | null;

/** Timing of the last data update, for benchmarks and the UI. */
export interface UpdateStats {
  /** strongest-k / threshold selection over all connections */
  selectMs: number;
  /** the whole setSnapshot / setOptions update (geometry, selection, buffers) */
  updateMs: number;
  /** lines drawn */
  lines: number;
  /** connections in the network */
  connections: number;
  /** 'gpu' or 'cpu' (see EmbeddingOptions.lineRenderer) */
  lineRenderer: 'gpu' | 'cpu';
  /** lines dropped by maxLines */
  capped: boolean;
  /** largest |w| in the network (scale of the threshold slider) */
  maxAbsWeight: number;
  /** the live line cap (options.liveMaxLines) when it lowered the line count, else 0 */
  liveCap?: number;
  /** strength-to-ink mapping of the drawn lines (null: no lines), for the legend */
  ink?: InkScale | null;
  /** bounding box [x0, y0, x1, y1] of each layer's plane / panel in CSS px (zoom 1, no pan) */
  panels?: number[][];
}
