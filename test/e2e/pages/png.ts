/** Enough PNG to compare Chromium screenshots: 8-bit RGB/RGBA, non-interlaced. */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export function decodePng(png: Buffer): Pixels {
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 6;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      [width, height, colorType] = [data.readUInt32BE(0), data.readUInt32BE(4), data[9]];
      if (data[8] !== 8 || data[12] !== 0 || (colorType !== 2 && colorType !== 6))
        throw new Error('decodePng: only 8-bit non-interlaced RGB/RGBA');
    }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * bpp);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= bpp ? out[y * stride + x - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter];
      out[y * stride + x] = (v + pred) & 255;
    }
  }
  if (bpp === 4) return { width, height, rgba: out };
  const rgba = new Uint8Array(width * height * 4);
  for (let q = 0; q < width * height; q++) rgba.set([out[3 * q], out[3 * q + 1], out[3 * q + 2], 255], 4 * q);
  return { width, height, rgba };
}

/** Fraction of pixels whose colour differs (any channel by more than `tolerance`); 1 when sizes differ. */
export function pixelDifference(a: Buffer, b: Buffer, tolerance = 8): number {
  const pa = decodePng(a);
  const pb = decodePng(b);
  if (pa.width !== pb.width || pa.height !== pb.height) return 1;
  let differ = 0;
  for (let q = 0; q < pa.rgba.length; q += 4) {
    if (
      Math.abs(pa.rgba[q] - pb.rgba[q]) > tolerance ||
      Math.abs(pa.rgba[q + 1] - pb.rgba[q + 1]) > tolerance ||
      Math.abs(pa.rgba[q + 2] - pb.rgba[q + 2]) > tolerance
    ) {
      differ++;
    }
  }
  return differ / (pa.width * pa.height);
}

/** Fraction of pixels that are not (near) white: something is drawn. */
export function inkShare(png: Buffer): number {
  const { rgba } = decodePng(png);
  let ink = 0;
  for (let q = 0; q < rgba.length; q += 4) if (rgba[q] + rgba[q + 1] + rgba[q + 2] < 720) ink++;
  return ink / (rgba.length / 4);
}
