/**
 * The History run table in the manner of W&B's: any config field or metric as a column, grouping
 * by any column (or by the study / reproduction / sweep a run belongs to, or a tag) with mean ± std
 * over each group's numeric columns. Pure functions over runs and their configs.
 */
import type { RunConfig, RunSummary } from '../../../shared/run-config';
import { meanStd } from '../../../shared/study-stats';
import { formatDataset, formatDuration, formatInt, formatLayers, formatPercent } from './format';

export type CellValue = string | number | null;

export interface TableColumn {
  /** 'name', 'testAccuracy', ... for run fields; 'config.<dotted path>' for config fields */
  key: string;
  label: string;
  numeric: boolean;
  /** the run's value (configs by run id) */
  value(r: RunSummary, config: RunConfig | undefined, now: number): CellValue;
  /** the cell text */
  format(v: CellValue): string;
}

const plain = (v: CellValue): string =>
  v === null ? '—' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : v;

/** The data a run used: "MNIST 10k/60k" for a subset, "MNIST" for all of it. */
export function dataLabel(r: RunSummary, config: RunConfig | undefined): string {
  const name = formatDataset(r.dataset);
  const n = config?.dataset.trainSize;
  return n ? `${name} ${compact(n)}/${knownSize(r.dataset) ?? '…'}` : name;
}

const compact = (n: number): string =>
  n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
const knownSize = (dataset: string): string | null =>
  dataset === 'mnist' || dataset === 'fashion-mnist' ? '60k' : null;

/** "spatial 784-128-10" or, for a spiking network, "spatial 784-128-10 · spiking, T = 10". */
export function modelLabel(r: Pick<RunSummary, 'modelKind' | 'layers'>, config: RunConfig | undefined): string {
  const spiking = config?.model.spiking;
  return `${r.modelKind} ${formatLayers(r.layers)}${spiking ? ` · spiking, T = ${spiking.timeSteps}` : ''}`;
}

/** How long a run has trained: finished runs their stored duration, running ones up to now. */
export function runDuration(r: RunSummary, now: number): number {
  if (r.status !== 'running') return r.durationMs;
  return Math.max(r.durationMs, now - Date.parse(r.createdAt));
}

/** The built-in columns (always offered), in their default order. */
export const BASE_COLUMNS: TableColumn[] = [
  { key: 'name', label: 'Name', numeric: false, value: (r) => r.name, format: plain },
  { key: 'status', label: 'Status', numeric: false, value: (r) => r.status, format: plain },
  { key: 'model', label: 'Model', numeric: false, value: (r, c) => modelLabel(r, c), format: plain },
  { key: 'dataset', label: 'Data', numeric: false, value: (r, c) => dataLabel(r, c), format: plain },
  {
    key: 'params',
    label: 'Params',
    numeric: true,
    value: (r) => r.params,
    format: (v) => (v === null ? '—' : formatInt(Number(v))),
  },
  {
    key: 'testAccuracy',
    label: 'Test acc.',
    numeric: true,
    value: (r) => r.testAccuracy,
    format: (v) => formatPercent(v === null ? null : Number(v)),
  },
  {
    key: 'trainLoss',
    label: 'Train loss',
    numeric: true,
    value: (r) => r.trainLoss,
    format: (v) => (v === null ? '—' : Number(v).toFixed(4)),
  },
  { key: 'epochs', label: 'Epochs', numeric: true, value: (r) => r.epochsDone, format: plain },
  {
    key: 'createdAt',
    label: 'Started',
    numeric: false,
    value: (r) => r.createdAt,
    format: (v) => (v === null ? '—' : String(v).slice(0, 16).replace('T', ' ')),
  },
  {
    key: 'durationMs',
    label: 'Duration',
    numeric: true,
    value: (r, _c, now) => runDuration(r, now),
    format: (v) => formatDuration(v === null ? undefined : Number(v)),
  },
];

export const DEFAULT_COLUMNS = ['name', 'status', 'model', 'dataset', 'testAccuracy', 'durationMs'];

/** Every leaf of a config as dotted path -> value (arrays as "784,128,10"). */
export function flattenConfig(
  config: unknown,
  prefix = '',
  out: Record<string, CellValue> = {},
): Record<string, CellValue> {
  if (config === null || config === undefined) return out;
  if (Array.isArray(config)) out[prefix] = config.join(',');
  else if (typeof config === 'object') {
    for (const [k, v] of Object.entries(config as Record<string, unknown>))
      flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof config === 'number' || typeof config === 'string') out[prefix] = config;
  else if (typeof config === 'boolean') out[prefix] = String(config);
  return out;
}

/** Config columns: every path any run has, those whose value differs between runs first. */
export function configColumns(configs: ReadonlyMap<string, RunConfig>): TableColumn[] {
  const flat = new Map<string, Record<string, CellValue>>();
  for (const [id, c] of configs) flat.set(id, flattenConfig(c));
  const values = new Map<string, Set<string>>();
  const numeric = new Map<string, boolean>();
  for (const f of flat.values()) {
    for (const [k, v] of Object.entries(f)) {
      if (!values.has(k)) values.set(k, new Set());
      values.get(k)!.add(String(v));
      numeric.set(k, (numeric.get(k) ?? true) && typeof v === 'number');
    }
  }
  const paths = [...values.keys()].sort(
    (a, b) => Number(values.get(b)!.size > 1) - Number(values.get(a)!.size > 1) || a.localeCompare(b),
  );
  return paths.map((p) => ({
    key: `config.${p}`,
    label: p,
    numeric: numeric.get(p) ?? false,
    value: (_r: RunSummary, c: RunConfig | undefined) => (c ? (flattenConfig(c)[p] ?? null) : null),
    format: plain,
  }));
}

/** Group keys derived from tags: the study, reproduction or sweep a run belongs to. */
export const MEMBERSHIP_GROUPS = ['study', 'reproduction', 'sweep', 'tag'] as const;
export type MembershipGroup = (typeof MEMBERSHIP_GROUPS)[number];

/** A run's study / reproduction / sweep (named when `names` knows the id), or its first tag. */
export function membership(r: RunSummary, kind: MembershipGroup, names: ReadonlyMap<string, string>): string {
  if (kind === 'tag') return r.tags[0] ?? '(no tag)';
  if (kind === 'reproduction') return r.tags.includes('reproduce') ? 'reproduction' : '(none)';
  const tag = r.tags.find((t) => t.startsWith(`${kind}:`));
  return tag ? tagLabel(tag, names) : '(none)';
}

/** "study:s34ihuon3z" -> "study: <its name>" when known. */
export function tagLabel(tag: string, names: ReadonlyMap<string, string>): string {
  const m = /^(study|sweep):(.+)$/.exec(tag);
  if (!m) return tag;
  const name = names.get(m[2]);
  return name ? `${m[1]}: ${name}` : tag;
}

export interface GroupRow {
  key: string;
  runs: RunSummary[];
  /** per numeric column key: mean and sample std over the group's runs that have a value, and n */
  stats: Record<string, { mean: number; std: number; n: number }>;
}

/** Rows grouped by `groupKey(run)`, in first-seen order, with mean ± std of the numeric columns. */
export function groupRows(
  rows: readonly RunSummary[],
  groupKey: (r: RunSummary) => string,
  columns: readonly TableColumn[],
  configs: ReadonlyMap<string, RunConfig>,
  now: number,
): GroupRow[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of rows) {
    const k = groupKey(r);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups].map(([key, runs]) => {
    const stats: GroupRow['stats'] = {};
    for (const c of columns) {
      if (!c.numeric) continue;
      const xs = runs
        .map((r) => c.value(r, configs.get(r.id), now))
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (xs.length) stats[c.key] = { ...meanStd(xs), n: xs.length };
    }
    return { key, runs, stats };
  });
}

/** "97.1% ± 0.3% (n = 3)"; one value: just it and "n = 1" (no std). */
export function formatStat(c: TableColumn, s: { mean: number; std: number; n: number } | undefined): string {
  if (!s) return '—';
  if (s.n === 1) return `${c.format(s.mean)} (n = 1)`;
  const std = c.key === 'testAccuracy' ? `${(s.std * 100).toFixed(2)} pt` : c.format(s.std);
  return `${c.format(s.mean)} ± ${std} (n = ${s.n})`;
}
