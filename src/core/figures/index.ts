/**
 * Publication figures (issue 6): a small vector scene model, SVG/PDF/PNG writers with journal
 * presets and an embedded font, and the figure kinds of the paper (Fig. 1, 3, 4b, 6) plus training
 * curves and spike rasters. Used by `sen-lab figure` and, through the backend, by the app.
 */
import type { RunStore } from '../store/index';
import { buildFigure, type FigureKind, type FigureRequest } from './load';
import { renderFigure, writeFileAtomic, type FigureFormat, type RenderOptions } from './render';

export * from './model';
export {
  COLUMN_WIDTHS_MM,
  DEFAULT_FONT_SIZE,
  DPI_RANGE,
  figureStyle,
  widthMm,
  type ColumnPreset,
  type FigureStyle,
  type StyleOptions,
} from './presets';
export { BLUE_GREY_RED, TOL_BRIGHT, TOL_BURD, TOL_MUTED, categorical, divergingColor } from './palettes';
export { formatTick, layoutPlot, linearScale, niceStep, niceTicks, type Ticks } from './axes';
export { colorBar, legend, legendRow, type LegendEntry } from './legend';
export { toSvg } from './writers/svg';
export { toPdf } from './writers/pdf';
export { pixelSize, toPng } from './writers/png';
export {
  FIGURE_FORMATS,
  renderFigure,
  writeFileAtomic,
  type FigureFormat,
  type RenderedFigure,
  type RenderOptions,
} from './render';
export { FIGURE_KINDS, buildFigure, type FigureKind, type FigureRequest } from './load';
export { curvesFigure, type CurvesData } from './kinds/curves';
export { embeddingFigure, type EmbeddingData } from './kinds/embedding';
export { PAPER_PRUNING, PAPER_RATES, pruningFigure, type PruningData } from './kinds/pruning';
export { rasterFigure, type RasterData } from './kinds/raster';
export { studyFigure, studyPoints, type StudyFigureOptions, type StudyPoint } from './kinds/study';
export { DEFAULT_EDGES, stackedFigure, type StackedData } from './kinds/stacked';
export { zHistogramFigure, type ZHistogramData } from './kinds/z-histogram';
export { averageImage, spatialActivations } from './activations';

export interface ExportFigureOptions extends FigureRequest, Omit<RenderOptions, 'format'> {
  format: FigureFormat;
  /** the figure file */
  out: string;
  /** also write the data behind the figure as CSV here */
  csv?: string;
}

/** What was written (the CLI prints it with --json). */
export interface ExportFigureResult {
  out: string;
  format: FigureFormat;
  kind: FigureKind;
  widthMm: number;
  heightMm: number;
  pixels?: [number, number];
  csv?: string;
}

/**
 * Build, render and write a figure (and optionally its CSV), each file atomically. Nothing is
 * written unless the figure rendered completely.
 */
export async function exportFigure(store: RunStore, opts: ExportFigureOptions): Promise<ExportFigureResult> {
  const { figure, csv } = await buildFigure(store, opts);
  const r = await renderFigure(figure, opts);
  writeFileAtomic(opts.out, r.bytes);
  if (opts.csv) writeFileAtomic(opts.csv, csv);
  return {
    out: opts.out,
    format: r.format,
    kind: opts.kind,
    widthMm: r.widthMm,
    heightMm: r.heightMm,
    ...(r.pixels ? { pixels: r.pixels } : {}),
    ...(opts.csv ? { csv: opts.csv } : {}),
  };
}
