/**
 * Per-epoch measurements of a spatial network beyond accuracy (stored with every epoch; `runs show
 * --json` keys `wiring` and `topography`). Types only.
 */

/** Wiring of the connections from layer `layer` to `layer + 1`. */
export interface WiringLayer {
  layer: number;
  /** connections n_l * n_{l+1} */
  connections: number;
  /** sum of d_ij over the connections */
  totalLength: number;
  /** sum of |w_ij| d_ij (w = mask_i * K(d_ij), the weight the forward pass uses before pruning) */
  weightedLength: number;
  meanLength: number;
  /** 90th percentile of d_ij */
  p90Length: number;
  /** z distance between the layers: the learned gap, 1 for fixed-gap, mean z_{l+1} - mean z_l for relaxed */
  gap: number;
  /** share of sum |w| carried by the shortest 10 % of this layer's connections */
  shortShare: number;
  /** the learned kernel parameter (p, lambda or sigma) when the model learns it */
  kernelParam?: number;
}

export interface WiringEpoch {
  epoch: number;
  totalLength: number;
  weightedLength: number;
  /** share of sum |w| carried by the shortest 10 % of all connections */
  shortShare: number;
  layers: WiringLayer[];
}

/** How strongly neurons of one hidden layer with the same preferred class sit together in the plane. */
export interface TopographyLayer {
  /** layer index (1 .. L-2) */
  layer: number;
  /** neighbours per neuron in the k-nearest-neighbour graph of the learned coordinates */
  k: number;
  /** Moran's I of class selectivity over that graph, averaged over classes (0: no spatial structure) */
  moranI: number;
  /** mean and standard deviation of the same I over random permutations of the neurons' places */
  baselineMean: number;
  baselineStd: number;
  /** (moranI - baselineMean) / baselineStd */
  z: number;
  /** one-sided permutation p-value, (1 + #{I_perm >= I}) / (1 + permutations) */
  p: number;
  permutations: number;
  /** preferred class of every neuron (arg-max of its mean activation per class), -1 when silent on the probe */
  preferred: number[];
}

export interface TopographyEpoch {
  epoch: number;
  /** test images the class means were computed on */
  probe: number;
  layers: TopographyLayer[];
}

/** What an epoch stores beyond its metrics (absent parts: not measured, e.g. dense or spiking models). */
export interface EpochAnalysis {
  wiring?: WiringEpoch;
  topography?: TopographyEpoch;
}
