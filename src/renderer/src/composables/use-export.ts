/**
 * Exporting a publication figure: the backend renders it (`renderFigure`), then it is saved —
 * in Electron through the native save dialog (`saveFile`), in the browser as a download (a Blob
 * behind an object URL and an `<a download>`; downloads need no CSP entry). Optionally the data
 * behind the figure is saved next to it as CSV.
 */
import { ref } from 'vue';
import type { FigureFile, FigureKindName, FigureRequest, StudyFigureRequest } from '../../../shared/lab-api';
import { host, hostKind } from '../host';
import { errorMessage } from '../lib/errors';
import { notify, reportError } from '../stores/toasts';

/** What the export menu lets the user choose. */
export interface ExportChoice {
  kind: FigureKindName;
  format: FigureRequest['format'];
  width: 'single' | 'double';
  fontSize: number;
  dpi: number;
  transparent: boolean;
  /** embedding/raster only */
  digit?: number;
  /** pruning and study only: overlay the paper's values */
  paper?: boolean;
  /** histograms: pruning rate and scope */
  rate?: number;
  scope?: 'global' | 'per-layer';
  /** membrane: test image and neurons */
  testIndex?: number;
  neurons?: { layer: number; index: number }[];
  /** also save the figure's data as CSV */
  csv: boolean;
}

export const EXPORT_DEFAULTS = {
  format: 'svg',
  width: 'single',
  fontSize: 8,
  dpi: 300,
  transparent: false,
  csv: false,
} as const;

/** The request `renderFigure` gets for a choice (DPI only for PNG, digit/paper only where used). */
export function figureRequest(choice: ExportChoice, otherRunIds: readonly string[] = []): FigureRequest {
  const { kind, format, width, fontSize, dpi, transparent, digit, paper, rate, scope, testIndex, neurons } = choice;
  if (kind === 'study') throw new Error('a study figure is rendered by renderStudyFigure (see studyFigureRequest)');
  return {
    kind,
    format,
    width,
    fontSize,
    transparent,
    ...(format === 'png' ? { dpi } : {}),
    ...((kind === 'embedding' || kind === 'raster') && digit !== undefined ? { digit } : {}),
    ...(kind === 'pruning' && paper !== undefined ? { paper } : {}),
    ...(kind === 'histograms' ? { rate: rate ?? 0.5, scope: scope ?? 'global' } : {}),
    ...(kind === 'membrane'
      ? {
          testIndex: testIndex ?? 0,
          neurons: (neurons ?? []).slice(0, 8).map((n) => ({ layer: n.layer, index: n.index })),
        }
      : {}),
    ...(kind === 'curves' && otherRunIds.length ? { otherRunIds: [...otherRunIds] } : {}),
  };
}

/** The request `renderStudyFigure` gets for a choice (DPI only for PNG). */
export function studyFigureRequest(choice: ExportChoice): StudyFigureRequest {
  const { format, width, fontSize, dpi, transparent, paper } = choice;
  return {
    kind: 'study',
    format,
    width,
    fontSize,
    transparent,
    ...(format === 'png' ? { dpi } : {}),
    ...(paper !== undefined ? { paper } : {}),
  };
}

/** What an export menu draws: runs (`renderFigure`) or a pruning study (`renderStudyFigure`). */
export type ExportTarget = { runId: string; otherRunIds?: readonly string[] } | { studyId: string };

/** `<name>.csv` next to `<name>.<ext>`. */
export function csvName(fileName: string): string {
  return fileName.replace(/\.[a-z]+$/i, '') + '.csv';
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Browser mode: hands the bytes to the browser's download manager. */
export function downloadBytes(fileName: string, mime: string, bytes: Uint8Array<ArrayBuffer> | string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the download has started; give slow browsers a moment before the URL goes
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Saves a rendered figure (and its CSV if asked); resolves with where it went, null if cancelled. */
async function saveFigure(file: FigureFile, withCsv: boolean): Promise<string | null> {
  if (hostKind() === 'browser') {
    downloadBytes(file.fileName, file.mime, base64Bytes(file.base64));
    if (withCsv) downloadBytes(csvName(file.fileName), 'text/csv', file.csv);
    return file.fileName;
  }
  const lab = host();
  const path = await lab.saveFile(file.fileName, file.base64);
  if (path === null) return null;
  if (withCsv) await lab.saveFile(csvName(path.split(/[\\/]/).pop() ?? file.fileName), utf8Base64(file.csv));
  return path;
}

/**
 * Saves a text file (a report): a download in the browser, the native save dialog in Electron;
 * resolves with where it went (the file name in the browser), null if cancelled.
 */
export async function saveTextFile(fileName: string, mime: string, text: string): Promise<string | null> {
  if (hostKind() === 'browser') {
    downloadBytes(fileName, mime, text);
    return fileName;
  }
  return host().saveFile(fileName, utf8Base64(text));
}

/** State and action of one export menu. */
export function useExport() {
  const busy = ref(false);
  const error = ref<string | null>(null);
  /** where the last export went (a path in Electron, the file name in the browser) */
  const saved = ref<string | null>(null);

  async function exportFigure(target: ExportTarget, choice: ExportChoice): Promise<string | null> {
    busy.value = true;
    error.value = null;
    try {
      const file =
        'studyId' in target
          ? await host().renderStudyFigure(target.studyId, studyFigureRequest(choice))
          : await host().renderFigure(target.runId, figureRequest(choice, target.otherRunIds ?? []));
      const where = await saveFigure(file, choice.csv);
      saved.value = where;
      if (where) notify('Figure exported', hostKind() === 'browser' ? `${where} (downloaded)` : where);
      return where;
    } catch (err) {
      error.value = errorMessage(err);
      reportError('Export figure', err);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { busy, error, saved, exportFigure };
}
