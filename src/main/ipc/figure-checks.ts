/**
 * Argument checks of `figures/*`, `snn/*` and `files/*` (kept apart from ./checks.ts, which holds
 * the run and study checks). Ranges follow core's figure presets (src/core/figures/presets.ts),
 * with the DPI narrowed to what a journal asks for.
 */
import type { FigureRequest, RunFigureKindName, SpikeRequest, StudyFigureRequest } from '../../shared/lab-api';
import {
  arrayOf,
  boolean,
  finite,
  integer,
  LabValidationError,
  object,
  oneOf,
  optional,
  string,
  type Check,
} from '../../shared/validate';
import { PRUNE_SCOPES } from '../../shared/schema/enums';
import { runId } from './checks';

const KINDS = [
  'embedding',
  'stacked',
  'curves',
  'pruning',
  'raster',
  'z-histogram',
  'histograms',
  'membrane',
] as const satisfies readonly RunFigureKindName[];

/** PNG resolution accepted from the app (core allows 50..2400; above 1200 nobody needs it). */
export const DPI_LIMITS = [72, 1200] as const;
/** Figure width in mm (core's WIDTH_RANGE_MM). */
export const WIDTH_LIMITS_MM = [30, 400] as const;
/** Base font size in pt (core's figureStyle range). */
export const FONT_LIMITS_PT = [4, 24] as const;

/** 'single', 'double' or a width in mm. */
const figureWidth: Check<'single' | 'double' | number> = (v, path) => {
  if (v === 'single' || v === 'double') return v;
  const mm = finite(v, path);
  if (mm < WIDTH_LIMITS_MM[0] || mm > WIDTH_LIMITS_MM[1]) {
    throw new LabValidationError(
      `${path}: expected 'single', 'double' or a width in mm in [${WIDTH_LIMITS_MM.join(', ')}], got ${mm}`,
    );
  }
  return mm;
};

const inRange =
  ([min, max]: readonly [number, number], unit: string): Check<number> =>
  (v, path) => {
    const x = finite(v, path);
    if (x < min || x > max) throw new LabValidationError(`${path}: expected ${min}..${max} ${unit}, got ${x}`);
    return x;
  };

/** A figure request: known kind and format, sane sizes, a digit 0..9, at most 20 extra runs. */
export const figureRequest: Check<FigureRequest> = object<FigureRequest>({
  kind: oneOf(...KINDS),
  format: oneOf('svg', 'pdf', 'png'),
  width: optional(figureWidth),
  fontSize: optional(inRange(FONT_LIMITS_PT, 'pt')),
  dpi: optional(integer(DPI_LIMITS[0], DPI_LIMITS[1])),
  transparent: optional(boolean),
  digit: optional(integer(0, 9)),
  otherRunIds: optional(arrayOf(runId, 20)),
  paper: optional(boolean),
  testSize: optional(integer(1, 1_000_000)),
  rate: optional(inRange([0, 0.999], '(fraction)')),
  scope: optional(oneOf(...PRUNE_SCOPES)),
  testIndex: optional(integer(0, 1_000_000)),
  neurons: optional(
    arrayOf(object<{ layer: number; index: number }>({ layer: integer(1, 64), index: integer(0, 1_000_000) }), 8),
  ),
});

/** A study figure request: kind 'study' only, the style options and the paper overlay (nothing run-specific). */
export const studyFigureRequest: Check<StudyFigureRequest> = object<StudyFigureRequest>({
  kind: oneOf('study'),
  format: oneOf('svg', 'pdf', 'png'),
  width: optional(figureWidth),
  fontSize: optional(inRange(FONT_LIMITS_PT, 'pt')),
  dpi: optional(integer(DPI_LIMITS[0], DPI_LIMITS[1])),
  transparent: optional(boolean),
  paper: optional(boolean),
});

export const spikeRequest: Check<SpikeRequest> = object<SpikeRequest>({
  testIndex: optional(integer(0, 1_000_000)),
});

/** 50 MB of file as base64 (4 characters per 3 bytes). */
export const MAX_SAVE_BYTES = 50 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_SAVE_BYTES / 3) * 4;

/** Base64 text of at most 50 MB of bytes. */
export const fileBase64: Check<string> = (v, path) => {
  if (typeof v !== 'string')
    throw new LabValidationError(`${path}: expected a base64 string, got ${v === null ? 'null' : typeof v}`);
  if (v.length > MAX_BASE64_CHARS)
    throw new LabValidationError(`${path}: file larger than ${MAX_SAVE_BYTES / 1024 / 1024} MB`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0)
    throw new LabValidationError(`${path}: not valid base64`);
  return v;
};

/** A file name without folders (the dialog only suggests it): no separators, no control characters. */
export const suggestedFileName: Check<string> = (v, path) => {
  const name = string(200)(v, path);
  // eslint-disable-next-line no-control-regex
  if (name.trim() === '' || /[/\\\u0000-\u001f]/.test(name) || name === '.' || name === '..') {
    throw new LabValidationError(
      `${path}: expected a plain file name (no folders), got ${JSON.stringify(name.slice(0, 40))}`,
    );
  }
  return name;
};
