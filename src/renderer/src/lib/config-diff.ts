/** Flattening of nested run configs into dotted keys, for config tables and the compare diff. */

export type FlatValue = string | number | boolean | null;

/** { model: { layers: [784, 10] } } -> { 'model.layers': '784,10' }; arrays of scalars stay one value. */
export function flattenConfig(
  value: unknown,
  prefix = '',
  out: Record<string, FlatValue> = {},
): Record<string, FlatValue> {
  if (value === null || value === undefined) {
    if (prefix) out[prefix] = null;
    return out;
  }
  if (Array.isArray(value)) {
    out[prefix] = value.every((v) => typeof v !== 'object' || v === null) ? value.join(',') : JSON.stringify(value);
    return out;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out[prefix] = value as FlatValue;
  return out;
}

/** Preferred order of top-level sections; keys inside a section keep their insertion order. */
const SECTION_ORDER = ['name', 'preset', 'model', 'dataset', 'training', 'kernel', 'snapshotEvery'];

function sectionRank(key: string): number {
  const i = SECTION_ORDER.indexOf(key.split('.')[0]);
  return i < 0 ? SECTION_ORDER.length : i;
}

export interface DiffRow {
  key: string;
  /** one value per config, undefined where a config lacks the key */
  values: (FlatValue | undefined)[];
  differs: boolean;
}

/** One row per key present in any of the configs; `differs` when the values are not all equal. */
export function diffConfigs(configs: readonly unknown[]): DiffRow[] {
  const flats = configs.map((c) => flattenConfig(c));
  const keys: string[] = [];
  for (const f of flats) for (const k of Object.keys(f)) if (!keys.includes(k)) keys.push(k);
  keys.sort((a, b) => sectionRank(a) - sectionRank(b));
  return keys.map((key) => {
    const values = flats.map((f) => (Object.hasOwn(f, key) ? f[key] : undefined));
    return { key, values, differs: values.some((v) => v !== values[0]) };
  });
}

export function formatFlat(v: FlatValue | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  return String(v);
}
