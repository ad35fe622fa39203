/**
 * PNG writer: the SVG rasterised by resvg (Rust, prebuilt binary shipped in an npm package) with
 * DejaVu Sans loaded from its file and no system fonts, so pixels match on every machine.
 * Size: round(width_mm / 25.4 * dpi) x round(height_mm / 25.4 * dpi); a pHYs chunk records the dpi
 * so LaTeX and office programs place the image at its physical size.
 */
import { Resvg } from '@resvg/resvg-js';
import { crc32 } from 'node:zlib';
import { ptToMm, type Figure } from '../model';
import { fontFile } from '../fonts';
import { DPI_RANGE } from '../presets';
import { toSvg } from './svg';

export interface PngOptions {
  /** dots per inch (default 300) */
  dpi?: number;
  /** keep the page transparent (RGBA with alpha 0 where nothing is drawn) */
  transparent?: boolean;
}

/** Pixel size of a figure at a resolution. */
export function pixelSize(fig: Figure, dpi: number): [number, number] {
  const px = (pt: number) => Math.max(1, Math.round((ptToMm(pt) / 25.4) * dpi));
  return [px(fig.widthPt), px(fig.heightPt)];
}

/** Render a figure as PNG bytes at `dpi`. */
export function toPng(fig: Figure, opts: PngOptions = {}): { png: Uint8Array; width: number; height: number } {
  const dpi = opts.dpi ?? 300;
  if (!(dpi >= DPI_RANGE[0] && dpi <= DPI_RANGE[1]))
    throw new RangeError(`dpi must be between ${DPI_RANGE[0]} and ${DPI_RANGE[1]}, got ${dpi}`);
  const [width, height] = pixelSize(fig, dpi);
  // width/height in pixels + preserveAspectRatio="none": exactly the computed size, no rounding drift
  const svg = toSvg(fig, { size: { width: String(width), height: String(height) }, transparent: opts.transparent });
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'original' },
    font: {
      fontFiles: [fontFile('regular'), fontFile('bold')],
      loadSystemFonts: false,
      defaultFontFamily: 'DejaVu Sans',
    },
    shapeRendering: 2, // geometricPrecision: anti-aliased edges
    textRendering: 1, // optimizeLegibility
  });
  const image = resvg.render();
  if (image.width !== width || image.height !== height) {
    throw new Error(`rasteriser produced ${image.width}x${image.height} px, expected ${width}x${height}`);
  }
  return { png: withDpi(new Uint8Array(image.asPng()), dpi), width, height };
}

/** Insert a pHYs chunk (pixels per metre, both axes) right after IHDR. */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array {
  const ppm = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, ppm);
  view.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)) >>> 0);
  const afterIhdr = 8 + 8 + 13 + 4; // signature + IHDR length/type + data + crc
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, afterIhdr), 0);
  out.set(chunk, afterIhdr);
  out.set(png.subarray(afterIhdr), afterIhdr + chunk.length);
  return out;
}
