/** Small text formatting helpers for human-readable CLI output. */
import { formatDuration } from '../../shared/format';

/** 12345 -> "12,345". */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 0.9123 -> "91.23%"; null -> "-". */
export function percent(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`;
}

/** Fixed decimals or "-". */
export function fixed(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);
}

/** Milliseconds -> "1h 02m", "3m 05s", "12.3s", "850ms" (the lab's one formatter, '-' when unknown). */
export function duration(ms: number): string {
  return formatDuration(ms, '-');
}

/** "784-128-10". */
export function layersText(layers: readonly number[]): string {
  return layers.join('-');
}

/** Render rows as a left-aligned text table with a header row (numbers right-aligned). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+%?$|^-$/.test(r[i] ?? '')));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Shorten to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}
