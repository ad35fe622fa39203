/**
 * The CPU-heavy halves of `renderFigure` and `getSpikes`: plain functions over plain data (no
 * store handle, no Electron), run by the figure worker thread (./figure-worker.ts) or, in tests
 * and the CLI, in the calling thread. The main thread gathers what they need from the RunStore
 * (./figures.ts, ./spikes.ts) and posts it here, so SQLite stays single-owner.
 */
import type { FigureRequest as CoreFigureRequest } from '../../core/figures/index';
import type { RunStore } from '../../core/store/index';
import type { StudyDetail } from '../../shared/lab-api';
import type { DatasetSpec } from '../../shared/run-config';
import type { RunDetail } from '../../shared/run-config';

/** What a figure reads of one run, read from the store on the main thread. */
export interface RunData {
  run: RunDetail;
  finalModel: Uint8Array | null;
  /** every stored snapshot epoch (stacked only; otherwise empty) */
  snapshotEpochs: number[];
  /** snapshot bytes by epoch (stacked: the first and the last) */
  snapshots: Record<number, Uint8Array>;
}

export interface FigureJob {
  type: 'figure';
  request: CoreFigureRequest;
  format: 'svg' | 'pdf' | 'png';
  dpi?: number;
  transparent?: boolean;
  runs: RunData[];
  /** kind 'study': the study (results and baselines), read from the store on the main thread */
  study?: StudyDetail;
}

export interface FigureJobResult {
  bytes: Uint8Array;
  csv: string;
  widthMm: number;
  heightMm: number;
  pixels?: [number, number];
}

export interface SpikesJob {
  type: 'spikes';
  /** the final model's bytes (encodeArrays with meta { kind: 'model', spec }) */
  model: Uint8Array;
  /** the run's test set (trainSize 1) */
  dataset: DatasetSpec;
  testIndex: number;
}

/** SpikeData before base64: [T * n] per layer (batch 1). */
export interface SpikesJobResult {
  label: number;
  prediction: number;
  timeSteps: number;
  layers: { layer: number; n: number; spikes: Uint8Array; membrane: Float32Array }[];
  inputSpikes?: Float32Array;
  /** the test image, grey levels 0..255 row by row, and its size */
  image: Uint8Array;
  rows: number;
  cols: number;
  classNames?: string[];
}

export type FigureWorkerJob = FigureJob | SpikesJob;
export type FigureWorkerResult<J extends FigureWorkerJob> = J extends FigureJob ? FigureJobResult : SpikesJobResult;

/** The read-only part of RunStore that `buildFigure` uses, served from prefetched data. */
function storeView(runs: RunData[], study?: StudyDetail): RunStore {
  const byId = new Map(runs.map((r) => [r.run.id, r]));
  const get = (id: string): RunData => {
    const r = byId.get(id);
    if (!r) throw new Error(`run ${id} was not loaded for this figure`);
    return r;
  };
  const view = {
    getRun: (id: string) => get(id).run,
    getFinalModel: (id: string) => get(id).finalModel,
    getSnapshotEpochs: (id: string) => get(id).snapshotEpochs,
    getSnapshot: (id: string, epoch: number) => {
      const s = get(id).snapshots[epoch];
      if (!s) throw new Error(`run ${id}: snapshot of epoch ${epoch} was not loaded for this figure`);
      return s;
    },
    getStudy: (id: string) => {
      if (!study || study.id !== id) throw new Error(`study ${id} was not loaded for this figure`);
      return study;
    },
  };
  // buildFigure only calls the five readers above (src/core/figures/load.ts)
  return view as unknown as RunStore;
}

/** Builds and renders one figure; loads the figure code (and TensorFlow.js when needed) lazily. */
export async function runFigureJob(job: FigureJob): Promise<FigureJobResult> {
  const { buildFigure, renderFigure } = await import('../../core/figures/index');
  const { figure, csv } = await buildFigure(storeView(job.runs, job.study), job.request);
  const r = await renderFigure(figure, { format: job.format, dpi: job.dpi, transparent: job.transparent });
  return { bytes: r.bytes, csv, widthMm: r.widthMm, heightMm: r.heightMm, ...(r.pixels ? { pixels: r.pixels } : {}) };
}

/** Records one test image's spikes through the spiking engine (batch 1, so [T, 1, n] is [T, n]). */
export async function runSpikesJob(job: SpikesJob): Promise<SpikesJobResult> {
  const [{ decodeArrays }, { loadDataset }, { initBackend }, { Network }, { recordSpikes }] = await Promise.all([
    import('../../shared/codec'),
    import('../../core/data/index'),
    import('../../core/train/backend'),
    import('../../core/model/network'),
    import('../../core/snn/record'),
  ]);
  const { meta, arrays } = decodeArrays<{ kind: string; spec: import('../../shared/model-spec').ModelSpec }>(job.model);
  if (meta?.kind !== 'model') throw new Error('the stored final model is not a SEN Lab model');
  const data = loadDataset(job.dataset);
  if (job.testIndex >= data.test.count) {
    throw Object.assign(
      new Error(
        `testIndex: the run's test set has ${data.test.count} images (0..${data.test.count - 1}); got ${job.testIndex}`,
      ),
      {
        name: 'LabValidationError',
      },
    );
  }
  const pixels = data.rows * data.cols;
  const image = data.test.images.slice(job.testIndex * pixels, (job.testIndex + 1) * pixels);
  await initBackend();
  const net = Network.fromArrays(meta.spec, arrays);
  try {
    const rec = recordSpikes(net, [Array.from(image)]);
    return {
      label: data.test.labels[job.testIndex],
      prediction: argmax(rec.logits),
      timeSteps: rec.timeSteps,
      layers: rec.layers.map((l) => ({
        layer: l.layer,
        n: l.shape[2],
        spikes: Uint8Array.from(l.spikes),
        membrane: l.membrane,
      })),
      ...(rec.inputSpikes ? { inputSpikes: rec.inputSpikes } : {}),
      image: Uint8Array.from(image, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)),
      rows: data.rows,
      cols: data.cols,
      ...(data.classNames ? { classNames: data.classNames } : {}),
    };
  } finally {
    net.dispose();
  }
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Runs either kind of job in the calling thread. */
export function runJob(job: FigureWorkerJob): Promise<FigureJobResult | SpikesJobResult> {
  return job.type === 'figure' ? runFigureJob(job) : runSpikesJob(job);
}
