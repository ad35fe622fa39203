/**
 * Rendering a figure to bytes in one of the three formats, and writing files atomically
 * (temp file in the same folder + rename), so a crash or a full disk never leaves half a figure.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ptToMm, type Figure } from './model';
import type { FigureFormat } from './presets';
import { toPdf } from './writers/pdf';
import { toPng } from './writers/png';
import { toSvg } from './writers/svg';

export { FIGURE_FORMATS, type FigureFormat } from './presets';

export interface RenderOptions {
  format: FigureFormat;
  /** PNG resolution (default 300) */
  dpi?: number;
  /** no background: transparent PNG pixels, no background rectangle in SVG/PDF */
  transparent?: boolean;
}

export interface RenderedFigure {
  bytes: Uint8Array;
  format: FigureFormat;
  widthMm: number;
  heightMm: number;
  /** PNG only: [width, height] in pixels */
  pixels?: [number, number];
}

/** Render a figure in the requested format. */
export async function renderFigure(fig: Figure, opts: RenderOptions): Promise<RenderedFigure> {
  const size = { widthMm: round2(ptToMm(fig.widthPt)), heightMm: round2(ptToMm(fig.heightPt)) };
  if (opts.format === 'svg') return { bytes: new TextEncoder().encode(toSvg(fig, opts)), format: 'svg', ...size };
  if (opts.format === 'pdf') return { bytes: await toPdf(fig, opts), format: 'pdf', ...size };
  const png = toPng(fig, opts);
  return { bytes: png.png, format: 'png', ...size, pixels: [png.width, png.height] };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Write `data` to `path` atomically: a temporary sibling, then rename over the target. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
