/**
 * Text measurement for DejaVu Sans (the font every writer uses), without opening the font file:
 * layout (margins, legend boxes, label placement) must be a pure function of the text.
 * Advance widths of printable ASCII in font units (2048 per em), read from DejaVu Sans 2.37;
 * kerning is left out (under 1.5 % of a label's width; test/figures/axes.test.ts checks both
 * against the shipped TTF).
 */

const UNITS_PER_EM = 2048;

// prettier-ignore
const REGULAR = [651,821,942,1716,1303,1946,1597,563,799,799,1024,1716,651,739,651,690,1303,1303,1303,1303,1303,1303,1303,1303,1303,1303,690,690,1716,1716,1716,1087,2048,1401,1405,1430,1577,1294,1178,1587,1540,604,604,1343,1141,1767,1532,1612,1235,1612,1423,1300,1251,1499,1401,2025,1403,1251,1403,799,690,799,1716,1024,1024,1255,1300,1126,1300,1260,721,1300,1298,569,569,1186,569,1995,1298,1253,1300,1300,842,1067,803,1298,1212,1675,1212,1212,1075,1303,690,1303,1716];
// prettier-ignore
const BOLD = [713,934,1067,1716,1425,2052,1786,627,936,936,1071,1716,778,850,778,748,1425,1425,1425,1425,1425,1425,1425,1425,1425,1425,819,819,1716,1716,1716,1188,2048,1585,1561,1503,1700,1399,1399,1681,1714,762,762,1587,1305,2038,1714,1741,1501,1741,1577,1475,1397,1663,1585,2259,1579,1483,1485,936,748,936,1716,1024,1024,1382,1466,1214,1466,1389,891,1466,1458,702,702,1362,702,2134,1458,1407,1466,1466,1010,1219,979,1458,1335,1892,1321,1335,1192,1458,748,1458,1716];

/** The non-ASCII characters figures use: [regular, bold]. */
const EXTRA: Record<string, [number, number]> = {
  '−': [1716, 1716],
  '–': [1024, 1024],
  '×': [1716, 1716],
  μ: [1303, 1507],
  Δ: [1401, 1585],
  '≈': [1716, 1716],
  '·': [651, 778],
  '°': [1024, 1024],
};

/** Cap height of DejaVu Sans as a fraction of the font size (1493 / 2048). */
export const CAP_HEIGHT = 0.729;

/** Advance width of `text` in pt at `size` pt. Unknown characters count as a digit's width. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 32;
    if (code >= 32 && code < 127) units += table[code - 32];
    else units += EXTRA[ch]?.[bold ? 1 : 0] ?? table[16];
  }
  return (units / UNITS_PER_EM) * size;
}

/**
 * Offset from the requested y to the alphabetic baseline: 'middle' centres capitals and digits
 * on y, 'top' hangs them below y. Writers place every text on its baseline, because
 * `dominant-baseline` is rendered differently (or not at all) by SVG viewers and PDF has none.
 */
export function baselineShift(baseline: 'alphabetic' | 'middle' | 'top' | undefined, size: number): number {
  if (baseline === 'middle') return (CAP_HEIGHT / 2) * size;
  if (baseline === 'top') return CAP_HEIGHT * size;
  return 0;
}

/** Greedy word wrap of `text` into lines no wider than `maxWidth` pt (a longer single word stays whole). */
export function wrapText(text: string, size: number, maxWidth: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The first of `candidates` (longest first) that fits in `maxWidth` pt, else the last. */
export function fitText(candidates: readonly string[], size: number, maxWidth: number): string {
  return candidates.find((c) => textWidth(c, size) <= maxWidth) ?? candidates[candidates.length - 1];
}
