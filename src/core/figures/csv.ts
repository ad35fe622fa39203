/**
 * CSV text (RFC 4180): the one writer of every CSV the lab writes (figure data, `runs export
 * --format csv`, the study CSV). NaN, infinities, null and undefined are empty cells; a cell
 * holding a comma, a quote, a newline or a carriage return is quoted.
 */

export type CsvValue = string | number | null | undefined;

export interface CsvOptions {
  /** significant digits of numbers (default 7: float32 precision, what a figure's data holds); null: as stored */
  significantDigits?: number | null;
}

function cell(v: CsvValue, digits: number | null): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    return digits === null ? String(v) : String(Number(v.toPrecision(digits)));
  }
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Header plus rows, one line each, ending in a newline. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly CsvValue[])[],
  opts: CsvOptions = {},
): string {
  const digits = opts.significantDigits === undefined ? 7 : opts.significantDigits;
  return [header, ...rows].map((r) => r.map((v) => cell(v, digits)).join(',')).join('\n') + '\n';
}
