/**
 * THE figure requests of the app (`renderFigure`, `renderStudyFigure`) and the file it saves
 * (`saveFile`), declared once; types derived here, re-exported by src/shared/lab-api.ts. Ranges
 * follow the engine's journal presets (src/core/figures/presets.ts), with the DPI narrowed to what a
 * journal asks for.
 */
import * as v from 'valibot';
import { RunIdSchema } from './api';
import { APP_RUN_FIGURE_KINDS, FIGURE_FORMATS, PRUNE_SCOPES } from './enums';
import { bool, int, list, must, num, numberOk, oneOf, record, show, text } from './fields';

/** PNG resolution accepted from the app (the engine allows 50..2400; above 1200 nobody needs it). */
export const DPI_LIMITS = [72, 1200] as const;
/** Figure width in mm (the engine's WIDTH_RANGE_MM). */
export const WIDTH_LIMITS_MM = [30, 400] as const;
/** Base font size in pt (the engine's figureStyle range). */
export const FONT_LIMITS_PT = [4, 24] as const;

/** 'single' (88 mm), 'double' (180 mm) or a width in mm. */
const FigureWidthSchema = v.custom<'single' | 'double' | number>(
  (x) => x === 'single' || x === 'double' || numberOk(x, { min: WIDTH_LIMITS_MM[0], max: WIDTH_LIMITS_MM[1] }),
  must(`'single', 'double' or a width in mm from ${WIDTH_LIMITS_MM[0]} to ${WIDTH_LIMITS_MM[1]}`),
);

/** The style options every figure request takes. */
const style = {
  format: oneOf(FIGURE_FORMATS),
  width: v.optional(FigureWidthSchema),
  fontSize: v.optional(num({ min: FONT_LIMITS_PT[0], max: FONT_LIMITS_PT[1] })),
  /** PNG resolution (default 300) */
  dpi: v.optional(int(DPI_LIMITS[0], DPI_LIMITS[1])),
  transparent: v.optional(bool()),
};

/** A run figure: known kind and format, sane sizes, a digit 0..9, at most 20 extra runs. */
export const FigureRequestSchema = record({
  kind: oneOf(APP_RUN_FIGURE_KINDS),
  ...style,
  /** embedding/raster: the class whose average image (or first test image) is shown */
  digit: v.optional(int(0, 9)),
  /** curves: more runs to overlay */
  otherRunIds: v.optional(list(RunIdSchema, 'a list of at most 20 run ids', 0, 20)),
  /** pruning: overlay the paper's values */
  paper: v.optional(bool()),
  /** pruning: evaluate on the first N test images */
  testSize: v.optional(int(1, 1_000_000)),
  /** histograms: pruning rate in [0, 1) and its scope */
  rate: v.optional(num({ min: 0, max: 0.999 })),
  scope: v.optional(oneOf(PRUNE_SCOPES)),
  /** membrane: the test image and the neurons drawn (at most 8) */
  testIndex: v.optional(int(0, 1_000_000)),
  neurons: v.optional(
    list(record({ layer: int(1, 64), index: int(0, 1_000_000) }), 'a list of at most 8 neurons', 0, 8),
  ),
});
export type FigureRequest = v.InferOutput<typeof FigureRequestSchema>;

/** A pruning study's accuracy vs sparsity: kind 'study', the style options and the paper overlay (Fig. 3). */
export const StudyFigureRequestSchema = record({
  kind: oneOf(['study'] as const),
  ...style,
  paper: v.optional(bool()),
});
export type StudyFigureRequest = v.InferOutput<typeof StudyFigureRequestSchema>;

/** 50 MB of file as base64 (4 characters per 3 bytes). */
export const MAX_SAVE_BYTES = 50 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_SAVE_BYTES / 3) * 4;

/** Base64 text of at most 50 MB of bytes. */
export const FileBase64Schema = v.custom<string>(
  (x) =>
    typeof x === 'string' && x.length <= MAX_BASE64_CHARS && /^[A-Za-z0-9+/]*={0,2}$/.test(x) && x.length % 4 === 0,
  (issue) =>
    typeof issue.input !== 'string'
      ? ` must be a base64 string, got ${show(issue.input)}`
      : issue.input.length > MAX_BASE64_CHARS
        ? `: file larger than ${MAX_SAVE_BYTES / 1024 / 1024} MB`
        : ': not valid base64',
);

/** A file name without folders (the dialog only suggests it): no separators, no control characters. */
export const FileNameSchema = v.pipe(
  text(200, true),
  v.check(
    // eslint-disable-next-line no-control-regex
    (name) => !/[/\\\u0000-\u001f]/.test(name) && name !== '.' && name !== '..',
    (issue) => ` must be a plain file name (no folders), got ${show(issue.input)}`,
  ),
);
