/**
 * Gathering what each figure kind shows from the run store (and, for activations and pruning,
 * the data set), then calling the kind's pure figure function.
 */
import { className } from '../../shared/class-names';
import { FigureRequestError, FigureStateError } from './errors';
import { decodeArrays, type NamedArray } from '../../shared/codec';
import { layerGeometry } from '../../shared/geometry';
import type { ModelSpec, SpatialModelSpec } from '../../shared/model-spec';
import type { RunDetail } from '../../shared/run-config';
import type { Dataset } from '../data/types';
import type { RunStore } from '../store/index';
import { averageImage, firstImage, spatialActivations } from './activations';
import { curvesFigure } from './kinds/curves';
import { wiringFigure } from './kinds/wiring';
import { binAllKept, histogramsFigure } from './kinds/histograms';
import { membraneFigure } from './kinds/membrane';
import { embeddingFigure, layerTitles } from './kinds/embedding';
import { PAPER_RATES, pruningFigure } from './kinds/pruning';
import { rasterFigure } from './kinds/raster';
import { stackedFigure } from './kinds/stacked';
import { studyFigure } from './kinds/study';
import { zHistogramFigure } from './kinds/z-histogram';
import type { FigureOutput } from './model';
import type { StyleOptions } from './presets';
import { recordOne, spikingEmbeddingValues } from './spiking';

import { FIGURE_KINDS, type FigureKind } from '../../shared/schema/enums';

export { FIGURE_KINDS, type FigureKind };

/** Kinds that draw several runs (one colour each). */
export const MULTI_RUN_KINDS: readonly FigureKind[] = ['curves', 'wiring'];

/** What to draw. `runIds` holds one run, or several for 'curves'; 'study' takes `studyId` instead. */
export interface FigureRequest extends StyleOptions {
  kind: FigureKind;
  runIds?: string[];
  /** study: the pruning study (id or unique prefix) */
  studyId?: string;
  /** embedding: class of the averaged test image; raster: class of the image shown (default 0) */
  digit?: number;
  /** embedding, pruning, raster: use the first N test images (default: the run's test set) */
  testSize?: number;
  /** stacked: connections drawn per panel (default 3000) */
  edges?: number;
  /** pruning, study: overlay the paper's curves */
  paper?: boolean;
  /** raster: neurons shown per layer (default 60) */
  maxNeurons?: number;
  /** histograms: pruning rate in [0, 1) and scope */
  rate?: number;
  scope?: 'global' | 'per-layer';
  /** membrane: test image index and neurons (at most 8) */
  testIndex?: number;
  neurons?: { layer: number; index: number }[];
}

/** Build the figure a request describes; the store is only read. */
export async function buildFigure(store: RunStore, req: FigureRequest): Promise<FigureOutput> {
  const runIds = req.runIds ?? [];
  if (req.kind === 'study') {
    if (!req.studyId) throw new FigureRequestError("figure kind 'study' needs a study id");
    if (runIds.length) throw new FigureRequestError("figure kind 'study' shows a study, not runs");
    return studyFigure(store.getStudy(req.studyId), req);
  }
  if (req.studyId !== undefined)
    throw new FigureRequestError(`figure kind '${req.kind}' shows runs; only 'study' takes a study id`);
  if (runIds.length === 0) throw new FigureRequestError('no run given');
  if (runIds.length > 1 && !MULTI_RUN_KINDS.includes(req.kind)) {
    throw new FigureRequestError(
      `figure kind '${req.kind}' shows one run; only ${MULTI_RUN_KINDS.join(' and ')} take several`,
    );
  }
  const runs = runIds.map((id) => store.getRun(id));
  if (req.kind === 'curves') return curvesFigure({ runs: runs.map((r) => ({ name: r.name, epochs: r.epochs })) }, req);
  if (req.kind === 'wiring') {
    return wiringFigure(
      { runs: runs.map((r) => ({ name: r.name, wiring: r.wiring ?? [], topography: r.topography ?? [] })) },
      req,
    );
  }
  const run = runs[0];
  switch (req.kind) {
    case 'embedding':
      return embedding(store, run, req);
    case 'stacked':
      return stacked(store, run, req);
    case 'pruning':
      return pruning(store, run, req);
    case 'z-histogram':
      return zHistogram(store, run, req);
    case 'raster':
      return raster(store, run, req);
    case 'histograms':
      return histograms(store, run, req);
    case 'membrane':
      return membrane(store, run, req);
  }
}

interface LoadedModel {
  spec: ModelSpec;
  arrays: NamedArray[];
  bytes: Uint8Array;
}

function finalModel(store: RunStore, run: RunDetail): LoadedModel {
  const bytes = store.getFinalModel(run.id);
  if (!bytes)
    throw new FigureStateError(`run ${run.id} has no final model (status ${run.status}); finish or resume it first`);
  const { meta, arrays } = decodeArrays<{ kind: string; spec: ModelSpec }>(bytes);
  if (meta?.kind !== 'model') throw new Error(`run ${run.id}: the stored final model is not a SEN Lab model`);
  return { spec: meta.spec, arrays, bytes };
}

function spatialOnly(run: RunDetail, spec: ModelSpec, kind: string): SpatialModelSpec {
  if (spec.kind !== 'spatial')
    throw new FigureRequestError(
      `figure '${kind}' needs a spatial model; run ${run.id} is a dense MLP (it has no neuron positions)`,
    );
  return spec;
}

async function testData(run: RunDetail, testSize: number | undefined): Promise<Dataset> {
  const { loadDataset } = await import('../data/index');
  const n = testSize ?? run.config.dataset.testSize;
  return loadDataset({ name: run.config.dataset.name, trainSize: 1, ...(n ? { testSize: n } : {}) });
}

/** the output neurons' labels: the data set's class names (Fashion-MNIST, a folder's classes.txt), else digits */
function classLabels(n: number, names?: readonly string[]): string[] {
  return Array.from({ length: n }, (_, j) => className(names, j));
}

function checkDigit(digit: number, classes: number): void {
  if (!(Number.isInteger(digit) && digit >= 0 && digit < classes))
    throw new FigureRequestError(`digit must be a class of the model, 0..${classes - 1}; got ${digit}`);
}

async function embedding(store: RunStore, run: RunDetail, req: FigureRequest): Promise<FigureOutput> {
  const m = finalModel(store, run);
  const spec = spatialOnly(run, m.spec, 'embedding');
  const digit = req.digit ?? 0;
  const classes = spec.layers[spec.layers.length - 1];
  checkDigit(digit, classes);
  const data = await testData(run, req.testSize);
  const avg = averageImage(data.test, digit, data.rows * data.cols);
  const base = {
    runName: run.name,
    digit,
    imagesAveraged: avg.count,
    classLabels: classLabels(classes, data.classNames),
  };
  if (spec.spiking) {
    const s = await spikingEmbeddingValues(spec, m.arrays, avg.image);
    return embeddingFigure(
      {
        ...base,
        geometry: layerGeometry(spec, m.arrays),
        values: s.values,
        valueLabel: 'mask × spike rate',
        outputLabel: 'decoded output',
      },
      req,
    );
  }
  const act = spatialActivations(spec, m.arrays, avg.image);
  return embeddingFigure(
    { ...base, geometry: act.geometry, values: act.masked, valueLabel: 'masked activation', outputLabel: 'logit' },
    req,
  );
}

function stacked(store: RunStore, run: RunDetail, req: FigureRequest): FigureOutput {
  const spec = spatialOnly(run, run.config.model, 'stacked');
  const epochs = store.getSnapshotEpochs(run.id);
  const geometryAt = (epoch: number) => layerGeometry(spec, decodeArrays(store.getSnapshot(run.id, epoch)));
  const bytes = store.getFinalModel(run.id);
  const last = epochs[epochs.length - 1];
  if (!bytes && last === undefined)
    throw new FigureStateError(`run ${run.id} has neither a final model nor a position snapshot yet`);
  // the final model when there is one; an interrupted run shows its latest snapshot
  const after = bytes
    ? { epoch: run.epochsDone, geometry: layerGeometry(spec, decodeArrays(bytes)) }
    : { epoch: last, geometry: geometryAt(last) };
  const before = epochs[0] === 0 && after.epoch !== 0 ? { epoch: 0, geometry: geometryAt(0) } : null;
  return stackedFigure({ runName: run.name, before, after }, req);
}

async function pruning(store: RunStore, run: RunDetail, req: FigureRequest): Promise<FigureOutput> {
  const m = finalModel(store, run);
  const data = await testData(run, req.testSize);
  const { evaluatePruned } = await import('../prune/index');
  const results = await evaluatePruned({ model: m.bytes, data, rates: [0, ...PAPER_RATES] });
  const points = results
    .filter((r) => r.rate !== null && r.rate > 0)
    .map((r) => ({ rate: r.rate as number, testAccuracy: r.testAccuracy }));
  return pruningFigure(
    { runName: run.name, unprunedAccuracy: results[0].testAccuracy, points, testImages: data.test.count },
    req,
  );
}

function zHistogram(store: RunStore, run: RunDetail, req: FigureRequest): FigureOutput {
  const m = finalModel(store, run);
  const spec = spatialOnly(run, m.spec, 'z-histogram');
  if (spec.zMode !== 'relaxed') {
    throw new FigureRequestError(
      `figure 'z-histogram' needs a relaxed run (z learned per neuron); run ${run.id} uses z mode '${spec.zMode}', where each layer has a single z`,
    );
  }
  const g = layerGeometry(spec, m.arrays);
  const titles = layerTitles(spec.layers).map((t) => t.replace(/ \(\d+\)$/, ''));
  return zHistogramFigure({ runName: run.name, layers: g.layers.map((l, i) => ({ name: titles[i], z: l.z })) }, req);
}

async function raster(store: RunStore, run: RunDetail, req: FigureRequest): Promise<FigureOutput> {
  const m = finalModel(store, run);
  if (!m.spec.spiking)
    throw new FigureRequestError(`figure 'raster' needs a spiking run (model.spiking); run ${run.id} is not spiking`);
  const classes = m.spec.layers[m.spec.layers.length - 1];
  const data = await testData(run, req.testSize);
  const pixels = data.rows * data.cols;
  let digit = req.digit ?? 0;
  let img: { index: number; image: Float32Array };
  if (req.testIndex !== undefined) {
    // one given test image (its label is the digit shown); validated against the run's test set
    const t = req.testIndex;
    if (!(Number.isInteger(t) && t >= 0 && t < data.test.count)) {
      throw new FigureRequestError(
        `testIndex must be 0..${data.test.count - 1} (the run's ${data.test.count} test images); got ${t}`,
      );
    }
    img = { index: t, image: data.test.images.slice(t * pixels, (t + 1) * pixels) };
    digit = data.test.labels[t];
  } else {
    checkDigit(digit, classes);
    img = firstImage(data.test, digit, pixels);
  }
  const rec = await recordOne(m.spec, m.arrays, img.image);
  const titles = layerTitles(m.spec.layers);
  const layers = rec.layers.map((l) => ({
    ...l,
    name: titles[l.layer],
    labels: l.layer === m.spec.layers.length - 1 ? classLabels(classes, data.classNames) : undefined,
  }));
  return rasterFigure({ runName: run.name, digit, imageIndex: img.index, timeSteps: rec.timeSteps, layers }, req);
}

async function histograms(store: RunStore, run: RunDetail, req: FigureRequest): Promise<FigureOutput> {
  const rate = req.rate;
  if (rate === undefined || !(rate >= 0 && rate < 1))
    throw new FigureRequestError(`figure 'histograms' needs a pruning rate in [0, 1); got ${rate}`);
  const scope = req.scope ?? 'global';
  if (scope !== 'global' && scope !== 'per-layer')
    throw new FigureRequestError(`figure 'histograms': scope must be 'global' or 'per-layer'; got ${String(scope)}`);
  const m = finalModel(store, run);
  const { connectionMagnitudes, layerDistances, paramMap, pruneByRate } = await import('../prune/index');
  const params = paramMap(m.arrays);
  const mags = connectionMagnitudes(m.spec, params);
  const masks = pruneByRate(mags, rate, scope);
  const spec = m.spec;
  const layers = mags.map((mg, l) => ({
    name: `${l}→${l + 1}`,
    sparsity: mg.length ? masks.prunedPerLayer[l] / mg.length : 0,
  }));
  const distance =
    spec.kind === 'spatial'
      ? binAllKept(
          mags.map((_, l) => layerDistances(spec, params, l)),
          masks.keep,
        )
      : null;
  return histogramsFigure(
    { runName: run.name, rate, scope, layers, distance, weight: binAllKept(mags, masks.keep) },
    req,
  );
}

async function membrane(store: RunStore, run: RunDetail, req: FigureRequest): Promise<FigureOutput> {
  const m = finalModel(store, run);
  if (!m.spec.spiking)
    throw new FigureRequestError(`figure 'membrane' needs a spiking run (model.spiking); run ${run.id} is not spiking`);
  const neurons = req.neurons ?? [];
  if (neurons.length === 0 || neurons.length > 8)
    throw new FigureRequestError(`figure 'membrane' needs 1..8 neurons; got ${neurons.length}`);
  const L = m.spec.layers.length;
  for (const n of neurons) {
    if (!(Number.isInteger(n.layer) && n.layer >= 1 && n.layer < L))
      throw new FigureRequestError(`membrane: layer must be 1..${L - 1}; got ${n.layer}`);
    if (!(Number.isInteger(n.index) && n.index >= 0 && n.index < m.spec.layers[n.layer]))
      throw new FigureRequestError(
        `membrane: neuron index of layer ${n.layer} must be 0..${m.spec.layers[n.layer] - 1}; got ${n.index}`,
      );
  }
  const testIndex = req.testIndex ?? 0;
  const data = await testData(run, req.testSize);
  if (!(Number.isInteger(testIndex) && testIndex >= 0 && testIndex < data.test.count))
    throw new FigureRequestError(`testIndex must be 0..${data.test.count - 1}; got ${testIndex}`);
  const pixels = data.rows * data.cols;
  const image = data.test.images.slice(testIndex * pixels, (testIndex + 1) * pixels);
  const [{ recordSpikes }, { initBackend }, { Network }] = await Promise.all([
    import('../snn/record'),
    import('../train/backend'),
    import('../model/network'),
  ]);
  await initBackend();
  const net = Network.fromArrays(m.spec, m.arrays);
  try {
    const rec = recordSpikes(net, [Array.from(image)]);
    const T = rec.timeSteps;
    const titles = layerTitles(m.spec.layers);
    const traces = neurons.map((n) => {
      const layer = rec.layers.find((r) => r.layer === n.layer);
      if (!layer) throw new Error(`spike recording has no layer ${n.layer}`);
      const width = layer.shape[2];
      return {
        layer: n.layer,
        index: n.index,
        name: `${titles[n.layer].replace(/ \(\d+\)$/, '')} #${n.index}`,
        values: Float32Array.from({ length: T }, (_, t) => layer.membrane[t * width + n.index]),
      };
    });
    return membraneFigure(
      {
        runName: run.name,
        testIndex,
        label: data.test.labels[testIndex],
        timeSteps: T,
        threshold: m.spec.spiking.threshold,
        traces,
      },
      req,
    );
  } finally {
    net.dispose();
  }
}
