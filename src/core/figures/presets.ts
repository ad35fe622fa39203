/**
 * Journal presets: column widths, font size and line widths. Numbers follow common author
 * guidelines (Nature/Elsevier/IEEE/Springer: single column ~85-90 mm, double ~170-180 mm,
 * 5-9 pt text, lines >= 0.25 pt).
 */
import { mmToPt } from './model';

export { FIGURE_FORMATS, type FigureFormat } from '../../shared/schema/enums';

/** Accepted PNG resolutions: below 50 text is mush; above 2400 a double-column figure exceeds 250 MP. */
export const DPI_RANGE = [50, 2400] as const;

/** Named widths in mm. */
export const COLUMN_WIDTHS_MM = { single: 88, double: 180 } as const;

export type ColumnPreset = keyof typeof COLUMN_WIDTHS_MM;

/** Accepted figure widths in mm (below: unreadable; above: wider than any journal page). */
export const WIDTH_RANGE_MM = [30, 400] as const;

/** Everything a figure kind needs to size its text and lines. */
export interface FigureStyle {
  /** page width in pt */
  widthPt: number;
  /** labels, legends, titles (pt) */
  fontSize: number;
  /** tick labels and annotations, one step smaller (pt) */
  smallFontSize: number;
  /** axis lines and ticks (pt) */
  axisWidth: number;
  /** data lines (pt) */
  lineWidth: number;
  /** tick length (pt) */
  tickLength: number;
}

/** Options every figure kind accepts. */
export interface StyleOptions {
  /** 'single', 'double' or a width in mm (default: the kind's own) */
  width?: ColumnPreset | number;
  /** base font size in pt (default 8) */
  fontSize?: number;
}

export const DEFAULT_FONT_SIZE = 8;

/** Resolve a width option to mm; throws RangeError for unusable values. */
export function widthMm(width: ColumnPreset | number): number {
  const mm = typeof width === 'number' ? width : COLUMN_WIDTHS_MM[width];
  if (!(mm >= WIDTH_RANGE_MM[0] && mm <= WIDTH_RANGE_MM[1])) {
    throw new RangeError(
      `figure width must be between ${WIDTH_RANGE_MM[0]} and ${WIDTH_RANGE_MM[1]} mm, got ${String(width)}`,
    );
  }
  return mm;
}

/**
 * The style of a figure: the width from the options (else `defaultWidth`), line widths that scale
 * gently with the font size so a 6 pt figure does not get 8 pt-figure lines.
 */
export function figureStyle(opts: StyleOptions, defaultWidth: ColumnPreset): FigureStyle {
  const fontSize = opts.fontSize ?? DEFAULT_FONT_SIZE;
  if (!(fontSize >= 4 && fontSize <= 24))
    throw new RangeError(`font size must be between 4 and 24 pt, got ${fontSize}`);
  const k = fontSize / DEFAULT_FONT_SIZE;
  return {
    widthPt: mmToPt(widthMm(opts.width ?? defaultWidth)),
    fontSize,
    smallFontSize: Math.max(4, fontSize - 1),
    axisWidth: 0.5 * k,
    lineWidth: 1 * k,
    tickLength: 2.5 * k,
  };
}
