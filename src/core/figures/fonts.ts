/**
 * The one font every writer uses: DejaVu Sans 2.37 from the npm package dejavu-fonts-ttf (pinned),
 * so PDFs and PNGs are identical on every machine whatever fonts it has installed.
 * Licence: Bitstream Vera / DejaVu (permissive), node_modules/dejavu-fonts-ttf/LICENSE.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** Absolute path of the TTF of a weight; throws a clear error when the package is missing. */
export function fontFile(weight: FontWeight = 'regular'): string {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
  } catch {
    throw new Error("the npm package 'dejavu-fonts-ttf' (the figure font) is not installed; run npm install");
  }
  const file = join(dir, 'ttf', FILES[weight]);
  if (!existsSync(file)) throw new Error(`figure font missing: ${file}`);
  return file;
}
