/** Number, time and size formatting for tables and headers (en-US, tabular-friendly). */

// Built on first need: the first Intl object in a fresh page sets up ICU, tens of ms that should
// not sit on the way to History's first rows (integers are grouped without it, below).
let intFormat: Intl.NumberFormat | undefined;

/** 10576 -> "10,576" */
export function formatInt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const r = Math.round(n);
  // en-US grouping of a safe integer by hand (the same text Intl gives); Intl for the rest (-0, huge)
  if (Number.isSafeInteger(r) && !Object.is(r, -0)) return String(r).replace(/\B(?=(\d{3})+$)/g, ',');
  intFormat ??= new Intl.NumberFormat('en-US');
  return intFormat.format(r);
}

/** 0.9812 -> "98.12%" */
export function formatPercent(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** A loss or other real value with 4 significant digits. */
export function formatValue(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  return abs >= 1e4 || abs < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

/** Durations and dates: the lab's one formatter (src/shared/format.ts). */
export { formatDate, formatDuration } from '../../../shared/format';

/** 1234.5 samples/s -> "1,235/s" */
export function formatRate(perSec: number | null | undefined): string {
  return perSec === null || perSec === undefined || !Number.isFinite(perSec) ? '—' : `${formatInt(perSec)}/s`;
}

/** [784, 128, 10] -> "784-128-10" */
export function formatLayers(layers: readonly number[]): string {
  return layers.join('-');
}

/** 'mnist' -> 'MNIST'; a folder path -> its last segment */
export function formatDataset(name: string): string {
  if (name === 'mnist') return 'MNIST';
  if (name === 'fashion-mnist') return 'Fashion-MNIST';
  const parts = name.split(/[\\/]/).filter(Boolean);
  return parts.length ? `…/${parts[parts.length - 1]}` : name;
}
