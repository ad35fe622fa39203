/**
 * `renderFigure` of the lab service: reads what the figure shows from the store (main thread,
 * cheap), maps the contract's request onto core's (src/core/figures), and has a FigureJobRunner
 * (normally the figure worker thread) build and render it. The PDF/PNG writers and the
 * TensorFlow.js figures (embedding, raster, pruning) take about a second; none of it runs on the
 * Electron main thread.
 */
import type { FigureRequest as CoreFigureRequest } from '../../core/figures/index';
import type { RunStore } from '../../core/store/index';
import { bytesToBase64 } from '../../shared/codec';
import type { FigureFile, FigureRequest, StudyFigureRequest } from '../../shared/lab-api';
import type { FigureJob, RunData } from './figure-jobs';
import type { FigureJobRunner } from './figure-host';

const MIME = { svg: 'image/svg+xml', pdf: 'application/pdf', png: 'image/png' } as const;

/**
 * Renders a figure of run `id` (plus `otherRunIds` for curves). The request is assumed validated
 * (src/main/ipc/figures.ts); what depends on the runs (spatial, spiking, relaxed, finished) is
 * checked by core's buildFigure, whose errors name the run.
 */
export async function renderStoredFigure(
  store: RunStore,
  run: FigureJobRunner,
  id: string,
  request: FigureRequest,
): Promise<FigureFile> {
  const ids = [store.resolveId(id), ...(request.otherRunIds ?? []).map((o) => store.resolveId(o))];
  const runIds = [...new Set(ids)];
  const runs = runIds.map((r) => readRun(store, r, request.kind));
  const job: FigureJob = {
    type: 'figure',
    request: coreRequest(request, runIds),
    format: request.format,
    ...(request.dpi !== undefined ? { dpi: request.dpi } : {}),
    ...(request.transparent !== undefined ? { transparent: request.transparent } : {}),
    runs,
  };
  const r = await run(job);
  return {
    fileName: figureFileName(runs[0].run.name, request.kind, request.format),
    mime: MIME[request.format],
    base64: bytesToBase64(r.bytes),
    csv: r.csv,
    widthMm: r.widthMm,
    heightMm: r.heightMm,
  };
}

/**
 * Renders the accuracy-vs-sparsity figure of study `studyId` (id or unique prefix; the store's
 * not-found error names it). The request is assumed validated (src/shared/schema/figures.ts).
 */
export async function renderStoredStudyFigure(
  store: RunStore,
  run: FigureJobRunner,
  studyId: string,
  request: StudyFigureRequest,
): Promise<FigureFile> {
  if (request.kind !== 'study') throw new Error(`renderStudyFigure draws kind 'study', not '${String(request.kind)}'`);
  const study = store.getStudy(studyId);
  const { format, width, fontSize, paper, dpi, transparent } = request;
  const job: FigureJob = {
    type: 'figure',
    request: {
      kind: 'study',
      studyId: study.id,
      ...(width !== undefined ? { width } : {}),
      ...(fontSize !== undefined ? { fontSize } : {}),
      ...(paper !== undefined ? { paper } : {}),
    },
    format,
    ...(dpi !== undefined ? { dpi } : {}),
    ...(transparent !== undefined ? { transparent } : {}),
    runs: [],
    study,
  };
  const r = await run(job);
  return {
    fileName: figureFileName(study.name, 'study', format),
    mime: MIME[format],
    base64: bytesToBase64(r.bytes),
    csv: r.csv,
    widthMm: r.widthMm,
    heightMm: r.heightMm,
  };
}

/** The contract's request in core's terms (`runIds` first, then the style options). */
export function coreRequest(request: FigureRequest, runIds: string[]): CoreFigureRequest {
  const { kind, width, fontSize, digit, paper, testSize, rate, scope, testIndex, neurons } = request;
  return {
    kind,
    runIds: kind === 'curves' ? runIds : runIds.slice(0, 1),
    ...(width !== undefined ? { width } : {}),
    ...(fontSize !== undefined ? { fontSize } : {}),
    ...(digit !== undefined ? { digit } : {}),
    ...(paper !== undefined ? { paper } : {}),
    ...(testSize !== undefined ? { testSize } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(testIndex !== undefined ? { testIndex } : {}),
    ...(neurons !== undefined ? { neurons: neurons.map((n) => ({ layer: n.layer, index: n.index })) } : {}),
  };
}

/** Only what the kind reads: curves need the run record, stacked its first and last snapshot. */
function readRun(store: RunStore, id: string, kind: FigureRequest['kind']): RunData {
  const run = store.getRun(id);
  const data: RunData = { run, finalModel: null, snapshotEpochs: [], snapshots: {} };
  if (kind === 'curves') return data;
  data.finalModel = store.getFinalModel(id);
  if (kind === 'stacked') {
    data.snapshotEpochs = store.getSnapshotEpochs(id);
    const wanted = new Set([data.snapshotEpochs[0], data.snapshotEpochs[data.snapshotEpochs.length - 1]]);
    for (const e of wanted) if (e !== undefined) data.snapshots[e] = store.getSnapshot(id, e);
  }
  return data;
}

/** `<run-name>-<kind>.<ext>` with only letters, digits, '.', '_' and '-' (others become '-'). */
export function figureFileName(runName: string, kind: string, ext: string): string {
  const safe = runName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents go, their letters stay
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${safe || 'run'}-${kind}.${ext}`;
}
