/**
 * Geometry of a spatially embedded network, read from a parameter snapshot: where every neuron
 * sits, each presynaptic neuron's sign, and the weights w_ij = mask_i * K(dist_ij) that follow (K = 1/d,
 * the paper's, unless the model sets another distance kernel). The strongest-connection selection
 * ranks by |mask_i| / dist_ij for every kernel (each kernel falls with d, so within a neuron the order
 * is the same; across neurons of different |mask| it is an approximation for non-inverse kernels).
 * Pure code (no DOM, no Node) so the renderer, the CLI and tests share it.
 *
 * Conventions (the same as the engine, src/core/model/network.ts):
 *   pos.{l}   [n_l, c]  learned coordinates, c = d - 1
 *   z.{l}     [n_l]     per-neuron z (zMode 'relaxed')
 *   gap.{l}   [1]       learned gap between layers l and l+1 (zMode 'learned-gap'; 'fixed-gap' uses 1)
 *   inhib.{l} [n_l]     raw inhibition value v (l < L-1); mask = 2*sigmoid(k*v) - 1 = tanh(k*v/2)
 *   dist_ij = sqrt( sum_k (p_ik - p_jk)^2 + (z_j - z_i)^2 + eps^2 )
 * In the gap modes layer l sits at z_l = sum_{m<l} gap_m, so z_{l+1} - z_l = gap_l as in the engine.
 */
import type { DecodedArrays, NamedArray } from './codec';
import type { SpatialModelSpec } from './model-spec';
import { kernelName, kernelTheta, kernelValue, learnsDistance, type DistanceKernel } from './distance-kernel';

export interface LayerGeometry {
  /** neurons in this layer */
  n: number;
  /** learned coordinates per neuron (d - 1) */
  c: number;
  /** all learned coordinates, row-major [n, c]; distances use every one of them */
  coords: Float32Array;
  /** first learned coordinate (what a 2-D plot shows as x) */
  x: Float32Array;
  /** second learned coordinate, or 0 when d = 2 */
  y: Float32Array;
  /** z of every neuron (layer-constant in the gap modes) */
  z: Float32Array;
  /** inhibition sign in (-1, 1) of each presynaptic neuron; absent for the output layer */
  mask?: Float32Array;
  /** distance kernel of the connections to the next layer, when it is not the paper's 1/d */
  kernel?: DistanceKernel;
}

export interface EmbeddingGeometry {
  layers: LayerGeometry[];
  /** softening epsilon of the distance */
  eps: number;
  /** embedding dimension d */
  dim: number;
}

type Snapshot = NamedArray[] | DecodedArrays;

function lookup(arrays: Snapshot): (name: string) => NamedArray | undefined {
  const list = Array.isArray(arrays) ? arrays : arrays.arrays;
  const byName = new Map(list.map((a) => [a.name, a]));
  return (name) => byName.get(name);
}

function need(get: (name: string) => NamedArray | undefined, name: string, length: number): Float32Array {
  const a = get(name);
  if (!a) throw new Error(`snapshot: missing array "${name}"`);
  if (a.data.length !== length) throw new Error(`snapshot: "${name}" has ${a.data.length} values, expected ${length}`);
  return a.data;
}

/** Reuses `prev` when it has the right length, so a 10 Hz snapshot stream allocates nothing. */
function buffer(prev: Float32Array | undefined, length: number): Float32Array {
  return prev && prev.length === length ? prev : new Float32Array(length);
}

/**
 * Per-layer geometry of a spatial model from a snapshot.
 * mask_i = 2*sigmoid(k*v_i) - 1, computed as tanh(k*v_i/2) (same value, no overflow for large |k*v|).
 * Pass the previous result as `reuse` to update its typed arrays in place when the shapes match.
 */
export function layerGeometry(spec: SpatialModelSpec, arrays: Snapshot, reuse?: EmbeddingGeometry): EmbeddingGeometry {
  const get = lookup(arrays);
  const L = spec.layers.length;
  const c = spec.dim - 1;
  if (c < 1) throw new Error(`geometry: dim must be >= 2, got ${spec.dim}`);
  const k = spec.inhibitionSteepness;
  const layers: LayerGeometry[] = [];
  let zLayer = 0; // cumulative gap: the z of layer l in the gap modes
  for (let l = 0; l < L; l++) {
    const n = spec.layers[l];
    const prev = reuse?.layers[l];
    const pos = need(get, `pos.${l}`, n * c);
    const coords = buffer(prev?.coords, n * c);
    coords.set(pos);
    const x = buffer(prev?.x, n);
    const y = buffer(prev?.y, n);
    const z = buffer(prev?.z, n);
    for (let i = 0; i < n; i++) {
      x[i] = pos[i * c];
      y[i] = c > 1 ? pos[i * c + 1] : 0;
    }
    if (spec.zMode === 'relaxed') z.set(need(get, `z.${l}`, n));
    else z.fill(zLayer);
    let mask: Float32Array | undefined;
    let kernel: DistanceKernel | undefined;
    if (l + 1 < L) {
      const name = kernelName(spec);
      if (name !== 'inverse')
        kernel = { name, theta: learnsDistance(spec) ? need(get, `dist.${l}`, 1)[0] : kernelTheta(spec) };
      const v = need(get, `inhib.${l}`, n);
      mask = buffer(prev?.mask, n);
      for (let i = 0; i < n; i++) mask[i] = Math.tanh((k * v[i]) / 2);
      zLayer += spec.zMode === 'learned-gap' ? need(get, `gap.${l}`, 1)[0] : 1;
    }
    layers.push({ n, c, coords, x, y, z, mask, ...(kernel ? { kernel } : {}) });
  }
  return { layers, eps: spec.distanceEpsilon, dim: spec.dim };
}

/** dist_ij between neuron i of layer l and neuron j of layer l+1 (every learned coordinate, z, eps). */
function distance(a: LayerGeometry, b: LayerGeometry, i: number, j: number, eps2: number): number {
  const c = a.c;
  let s = eps2;
  for (let q = 0; q < c; q++) {
    const dq = a.coords[i * c + q] - b.coords[j * c + q];
    s += dq * dq;
  }
  const dz = b.z[j] - a.z[i];
  return Math.sqrt(s + dz * dz);
}

/** K(d) of the connections leaving layer a: 1/d unless a kernel is set. */
function strength(a: LayerGeometry, d: number): number {
  return a.kernel ? kernelValue(a.kernel, d) : 1 / d;
}

function checkPair(geom: EmbeddingGeometry, l: number): [LayerGeometry, LayerGeometry] {
  const a = geom.layers[l];
  const b = geom.layers[l + 1];
  if (!a || !b || !a.mask) throw new Error(`geometry: no connections from layer ${l} (${geom.layers.length} layers)`);
  return [a, b];
}

/**
 * The weight matrix of layer l -> l+1: out[i * n_{l+1} + j] = mask_i * K(dist_ij) (K = 1/d by default).
 * Coincident neurons with eps = 0 give +-Infinity, as the engine would.
 */
export function connectionWeights(geom: EmbeddingGeometry, l: number, out?: Float32Array): Float32Array {
  const [a, b] = checkPair(geom, l);
  const w = buffer(out, a.n * b.n);
  const eps2 = geom.eps * geom.eps;
  const mask = a.mask as Float32Array;
  for (let i = 0; i < a.n; i++) {
    for (let j = 0; j < b.n; j++) w[i * b.n + j] = mask[i] * strength(a, distance(a, b, i, j, eps2));
  }
  return w;
}

/** Distance and weight of one synapse: neuron i of layer l -> neuron j of layer l+1. */
export function synapse(
  geom: EmbeddingGeometry,
  l: number,
  i: number,
  j: number,
): { distance: number; weight: number; mask: number } {
  const [a, b] = checkPair(geom, l);
  if (!(i >= 0 && i < a.n && j >= 0 && j < b.n)) throw new Error(`geometry: no synapse ${l}:${i} -> ${l + 1}:${j}`);
  const d = distance(a, b, i, j, geom.eps * geom.eps);
  const mask = (a.mask as Float32Array)[i];
  return { distance: d, weight: mask * strength(a, d), mask };
}

/** A compact edge list (structure of arrays); entry e is layer[e]:i[e] -> layer[e]+1:j[e]. */
export interface EdgeList {
  count: number;
  layer: Uint8Array;
  i: Uint32Array;
  j: Uint32Array;
  /** signed weight mask_i / d */
  w: Float32Array;
  /** distance d */
  d: Float32Array;
  /** connections considered (sum n_l * n_{l+1}) */
  total: number;
  /** largest |w| over all connections (0 when there are none) */
  maxAbsWeight: number;
}

/** Scratch buffers reused across calls (1.6 M connections need a 6.4 MB |w| array). */
export interface SelectionWorkspace {
  /** |w|^2 of every connection */
  keys?: Float32Array;
  candidates?: Uint32Array;
}

export interface SelectionOptions {
  /** keep the k largest |w| (exactly min(k, eligible) edges) */
  k?: number;
  /** keep only edges whose float32 |w| >= threshold; with k as well, the k strongest of those */
  threshold?: number;
  /**
   * keep only edges whose float32 distance d is <= maxDistance (one value for every layer pair,
   * or one per pair l -> l+1; missing entries: no limit), i.e. exactly the connections distance
   * pruning keeps; with k (or threshold) as well, the k strongest of those by |w| = |mask_i| / d.
   * Infinity keeps every edge of a layer pair, -Infinity (or NaN) none.
   */
  maxDistance?: number | readonly number[];
  workspace?: SelectionWorkspace;
}

/** Histogram bins: the top 16 bits of a non-negative float32 (exponent + 7 mantissa bits, ~0.8 % wide). */
const HIST_BINS = 1 << 15;
/** Bit pattern of +Infinity; anything above it is NaN. */
const INF_BITS = 0x7f800000;

/**
 * Strongest connections over all layers, by |w| = |mask_i| / dist_ij.
 * Selection in O(N): one pass writes |w|^2, the next counts a histogram keyed on the float's bit
 * pattern (monotonic in the value for non-negative floats, so no range pass is needed); the bin
 * holding the k-th largest value is found from the top; a third pass keeps every edge above that
 * bin and gathers the bin's own members, from which a quickselect takes the few still needed.
 * A threshold keeps float32 |w| >= threshold; maxDistance keeps float32 d <= maxDistance (before
 * ranking: excluded edges never take part). NaN weights never qualify. The result is unsorted.
 * maxAbsWeight is over all connections, maxDistance or not (one colour scale for pruned views).
 */
export function strongestConnections(geom: EmbeddingGeometry, options: SelectionOptions = {}): EdgeList {
  const ws = options.workspace ?? {};
  const offsets: number[] = [0];
  for (let l = 0; l + 1 < geom.layers.length; l++) offsets.push(offsets[l] + geom.layers[l].n * geom.layers[l + 1].n);
  const total = offsets[offsets.length - 1];
  const key = (ws.keys = ws.keys && ws.keys.length >= total ? ws.keys : new Float32Array(total));
  const bits = new Uint32Array(key.buffer, key.byteOffset, total);
  const hist = new Uint32Array(HIST_BINS);
  fillSquaredWeights(geom, key, offsets);
  const excludedMax = options.maxDistance === undefined ? 0 : excludeLonger(geom, offsets, bits, options.maxDistance);
  const maxKey = new Float32Array(new Uint32Array([Math.max(excludedMax, histogram(bits, total, hist))]).buffer)[0];
  const k = options.k === undefined ? Infinity : Math.max(0, Math.floor(options.k));
  const t = options.threshold;
  const hasThreshold = t !== undefined && t > 0;
  // Squared float32 keys are off by a few ulps, so keys within GUARD ulps of t^2 get an exact check.
  const loBits = hasThreshold ? thresholdBits(t * t) : 0;
  const guardBits = hasThreshold ? Math.max(0, loBits - GUARD) : 0;
  const safeBin = hasThreshold ? ((loBits + GUARD) >>> 16) + 1 : 0; // bins >= safeBin pass for sure

  // walk down from +Infinity's bin until the bin holding the k-th largest key (or safeBin) is found
  let boundary = INF_BITS >>> 16;
  let above = 0;
  while (boundary > safeBin && above + hist[boundary] < k) above += hist[boundary--];
  const settled = above + hist[boundary] >= k;
  if (!settled) above += hist[boundary]; // every bin >= safeBin is taken whole
  // picked: every key >= pickBits; candidates: keys in [candBits, pickBits), decided below
  const pickBits = settled ? (boundary + 1) << 16 : boundary << 16;
  const candBits = settled ? boundary << 16 : guardBits;
  let nCand = settled ? hist[boundary] : 0;
  for (let b = candBits >>> 16; !settled && b < boundary; b++) nCand += hist[b];
  const cand = (ws.candidates =
    ws.candidates && ws.candidates.length >= nCand ? ws.candidates : new Uint32Array(nCand));
  const picked = new Uint32Array(Math.min(k, above + nCand));
  let count = 0;
  let nc = 0;
  for (let e = 0; k > 0 && e < total; e++) {
    const u = bits[e];
    if (u >= pickBits) {
      if (u <= INF_BITS) picked[count++] = e;
    } else if (u >= candBits) cand[nc++] = e;
  }
  if (hasThreshold && !settled) nc = keepAtLeast(geom, offsets, cand, nc, t);
  const need = Math.min(k - above, nc);
  if (need > 0 && need < nc) selectLargest(cand, nc, need, key);
  for (let q = 0; q < need; q++) picked[count++] = cand[q];
  return edgesFromIndices(geom, picked, count, offsets, total, Math.sqrt(maxKey));
}

/** Key bit pattern of an excluded edge: a quiet NaN, above every histogram bin the selection walks. */
const EXCLUDED_BITS = 0x7fc00000;

/** The distance cut-off of layer pair l (Infinity: none). */
export function layerMaxDistance(maxDistance: number | readonly number[] | undefined, l: number): number {
  if (maxDistance === undefined) return Infinity;
  if (typeof maxDistance === 'number') return maxDistance;
  return maxDistance[l] ?? Infinity;
}

/**
 * Marks every edge with float32 d > its layer's maxDistance as excluded (NaN key); returns the
 * largest finite key bit pattern among them (so maxAbsWeight still covers all connections).
 */
function excludeLonger(
  geom: EmbeddingGeometry,
  offsets: number[],
  bits: Uint32Array,
  maxDistance: number | readonly number[],
): number {
  const eps2 = geom.eps * geom.eps;
  let maxBits = 0;
  for (let l = 0; l + 1 < geom.layers.length; l++) {
    const cut = layerMaxDistance(maxDistance, l);
    if (cut === Infinity) continue;
    const a = geom.layers[l];
    const b = geom.layers[l + 1];
    let e = offsets[l];
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++, e++) {
        if (Math.fround(distance(a, b, i, j, eps2)) <= cut) continue;
        const u = bits[e];
        if (u > maxBits && u < INF_BITS) maxBits = u;
        bits[e] = EXCLUDED_BITS;
      }
    }
  }
  return maxBits;
}

/** Float32 ulps of |w|^2 treated as "near the threshold" (the squared key's rounding is ~2 ulps). */
const GUARD = 64;

/** Compacts cand[0..n) to the edges whose float32 |w| is >= threshold; returns the new length. */
function keepAtLeast(
  geom: EmbeddingGeometry,
  offsets: number[],
  cand: Uint32Array,
  n: number,
  threshold: number,
): number {
  const eps2 = geom.eps * geom.eps;
  let kept = 0;
  for (let q = 0; q < n; q++) {
    const { l, i, j } = locate(geom, offsets, cand[q]);
    const m = Math.abs((geom.layers[l].mask as Float32Array)[i]);
    if (Math.fround(m / distance(geom.layers[l], geom.layers[l + 1], i, j, eps2)) >= threshold) cand[kept++] = cand[q];
  }
  return kept;
}

/** Layer and neuron indices of flat connection index e. */
function locate(geom: EmbeddingGeometry, offsets: number[], e: number): { l: number; i: number; j: number } {
  let l = 0;
  while (e >= offsets[l + 1]) l++;
  const nB = geom.layers[l + 1].n;
  const local = e - offsets[l];
  const i = Math.floor(local / nB);
  return { l, i, j: local - i * nB };
}

/**
 * Recomputes d and w of an existing edge list from (moved) geometry, in place: O(edges). Lets a
 * live view move its lines every snapshot and re-select the strongest set less often.
 */
export function refreshEdges(geom: EmbeddingGeometry, edges: EdgeList): void {
  const eps2 = geom.eps * geom.eps;
  for (let q = 0; q < edges.count; q++) {
    const l = edges.layer[q];
    const a = geom.layers[l];
    const d = distance(a, geom.layers[l + 1], edges.i[q], edges.j[q], eps2);
    edges.d[q] = d;
    edges.w[q] = (a.mask as Float32Array)[edges.i[q]] * strength(a, d);
  }
}

/** The smallest float32 bit pattern whose value is >= threshold (0 when there is none or it is <= 0). */
function thresholdBits(threshold: number | undefined): number {
  if (threshold === undefined || !(threshold > 0)) return 0;
  if (threshold > 3.4028234663852886e38) return INF_BITS;
  const f = new Float32Array([threshold]);
  const u = new Uint32Array(f.buffer);
  if (f[0] < threshold) u[0]++; // rounded down: step to the next float up
  return u[0];
}

/**
 * Writes the ranking key |w|^2 = mask_i^2 / dist_ij^2 of every connection, layer after layer.
 * Squared weights rank identically and skip a sqrt and a division per connection (2x faster).
 */
function fillSquaredWeights(geom: EmbeddingGeometry, key: Float32Array, offsets: number[]): void {
  const eps2 = geom.eps * geom.eps;
  for (let l = 0; l + 1 < geom.layers.length; l++) {
    const a = geom.layers[l];
    const b = geom.layers[l + 1];
    const mask = a.mask as Float32Array;
    if (a.c === 2) fillPair2(a.coords, a.z, mask, b.coords, b.z, eps2, key, offsets[l]);
    else fillPairN(a, b, eps2, key, offsets[l]);
  }
}

/**
 * d = 3, the common case. Plain typed-array arguments and no histogram in this loop: V8 keeps it
 * tight (fusing the histogram in here measured 3x slower than a separate pass).
 */
function fillPair2(
  ac: Float32Array,
  az: Float32Array,
  mask: Float32Array,
  bc: Float32Array,
  bz: Float32Array,
  eps2: number,
  key: Float32Array,
  start: number,
): void {
  const nA = az.length;
  const nB = bz.length;
  let e = start;
  for (let i = 0; i < nA; i++) {
    const m2 = mask[i] * mask[i];
    const xi = ac[2 * i];
    const yi = ac[2 * i + 1];
    const zi = az[i];
    for (let j = 0; j < nB; j++, e++) {
      const dx = xi - bc[2 * j];
      const dy = yi - bc[2 * j + 1];
      const dz = bz[j] - zi;
      key[e] = m2 / (dx * dx + dy * dy + dz * dz + eps2);
    }
  }
}

function fillPairN(a: LayerGeometry, b: LayerGeometry, eps2: number, key: Float32Array, start: number): void {
  const mask = a.mask as Float32Array;
  let e = start;
  for (let i = 0; i < a.n; i++) {
    const m2 = mask[i] * mask[i];
    for (let j = 0; j < b.n; j++, e++) {
      const d = distance(a, b, i, j, eps2);
      key[e] = m2 / (d * d);
    }
  }
}

/** Counts every key's bin; returns the largest finite key's bit pattern (integer order = float order). */
function histogram(bits: Uint32Array, total: number, hist: Uint32Array): number {
  let maxBits = 0;
  for (let e = 0; e < total; e++) {
    const u = bits[e];
    hist[u >>> 16]++;
    if (u > maxBits && u < INF_BITS) maxBits = u;
  }
  return maxBits;
}

/**
 * Partially reorders idx[0..n) so that its first `need` entries are those with the largest key[idx]
 * (Hoare quickselect, median-of-three pivot; expected O(n)).
 */
function selectLargest(idx: Uint32Array, n: number, need: number, key: Float32Array): void {
  let left = 0;
  let right = n - 1;
  const target = need - 1; // position that must hold the need-th largest
  while (right > left) {
    const mid = (left + right) >>> 1;
    const pivot = median3(key[idx[left]], key[idx[mid]], key[idx[right]]);
    let i = left;
    let j = right;
    while (i <= j) {
      while (key[idx[i]] > pivot) i++;
      while (key[idx[j]] < pivot) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i++] = idx[j];
        idx[j--] = t;
      }
    }
    // now [left..j] >= pivot >= [i..right]; entries between j and i equal the pivot
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

function edgesFromIndices(
  geom: EmbeddingGeometry,
  picked: Uint32Array,
  count: number,
  offsets: number[],
  total: number,
  maxAbsWeight: number,
): EdgeList {
  const out: EdgeList = {
    count,
    layer: new Uint8Array(count),
    i: new Uint32Array(count),
    j: new Uint32Array(count),
    w: new Float32Array(count),
    d: new Float32Array(count),
    total,
    maxAbsWeight,
  };
  const eps2 = geom.eps * geom.eps;
  for (let q = 0; q < count; q++) {
    const { l, i, j } = locate(geom, offsets, picked[q]);
    const a = geom.layers[l];
    const b = geom.layers[l + 1];
    const d = distance(a, b, i, j, eps2);
    out.layer[q] = l;
    out.i[q] = i;
    out.j[q] = j;
    out.d[q] = d;
    out.w[q] = (a.mask as Float32Array)[i] * strength(a, d);
  }
  return out;
}
