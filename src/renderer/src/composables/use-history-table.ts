/**
 * Search, filters, sorting and selection of the History table, all client-side over the runs
 * store (1,000 runs filter and sort in a few milliseconds; no request per keystroke).
 */
import { computed, reactive, ref, type Ref } from 'vue';
import type { RunStatus, RunSummary } from '../../../shared/run-config';
import { formatDataset, formatLayers } from '../lib/format';

/** a built-in column or any table column key (e.g. 'config.training.learningRate') */
export type SortKey = string;

export interface HistoryFilters {
  search: string;
  status: RunStatus | '';
  tag: string;
  showArchived: boolean;
}

const STATUS_ORDER: Record<RunStatus, number> = { queued: -1, running: 0, interrupted: 1, failed: 2, completed: 3 };

function sortValue(
  r: RunSummary,
  key: SortKey,
  other?: (r: RunSummary, key: string) => string | number | null,
): string | number | null {
  switch (key) {
    case 'model':
      return `${r.modelKind} ${r.layers.map((n) => String(n).padStart(6, '0')).join('-')}`;
    case 'status':
      return STATUS_ORDER[r.status];
    case 'dataset':
      return formatDataset(r.dataset).toLowerCase();
    case 'name':
      return r.name.toLowerCase();
    case 'params':
    case 'testAccuracy':
    case 'createdAt':
    case 'durationMs':
    case 'trainLoss':
      return r[key];
    default:
      return other ? other(r, key) : null;
  }
}

/**
 * `valueOf`: the value of any other column (config fields, ...) for sorting; `only`: when set,
 * just these run ids pass the filters (the parallel-coordinates brush).
 */
export function useHistoryTable(
  runs: Ref<readonly RunSummary[]>,
  valueOf?: (r: RunSummary, key: string) => string | number | null,
  only?: Ref<ReadonlySet<string> | null>,
) {
  const filters = reactive<HistoryFilters>({ search: '', status: '', tag: '', showArchived: false });
  const sortKey = ref<SortKey>('createdAt');
  const sortDesc = ref(true);
  const selected = ref(new Set<string>());

  /** lower-case text each search term is matched against, built once per runs change */
  const haystacks = computed(() => {
    const m = new Map<string, string>();
    for (const r of runs.value) {
      const text = [
        r.id,
        r.name,
        r.preset ?? '',
        r.tags.join(' '),
        r.notes,
        r.modelKind,
        formatLayers(r.layers),
        r.dataset,
        r.status,
      ];
      m.set(r.id, text.join('\n').toLowerCase());
    }
    return m;
  });

  // ordered like the Name column (lower-cased, plain comparison): no ICU collator, whose set-up in a
  // fresh page would cost tens of ms on the way to the first painted rows
  const allTags = computed(() =>
    [...new Set(runs.value.flatMap((r) => r.tags))]
      .map((t) => ({ t, k: t.toLowerCase() }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.t < b.t ? -1 : 1))
      .map((x) => x.t),
  );
  const archivedCount = computed(() => runs.value.reduce((n, r) => n + (r.archived ? 1 : 0), 0));

  const filtered = computed(() => {
    const terms = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
    const hay = haystacks.value;
    return runs.value.filter((r) => {
      if (!filters.showArchived && r.archived) return false;
      if (filters.status && r.status !== filters.status) return false;
      if (filters.tag && !r.tags.includes(filters.tag)) return false;
      if (only?.value && !only.value.has(r.id)) return false;
      const h = hay.get(r.id) ?? '';
      return terms.every((t) => h.includes(t));
    });
  });

  const rows = computed(() => {
    const key = sortKey.value;
    const dir = sortDesc.value ? -1 : 1;
    return filtered.value
      .map((r) => ({ r, v: sortValue(r, key, valueOf) }))
      .sort((a, b) => {
        if (a.v === b.v) return 0;
        if (a.v === null) return 1; // nulls last in both directions
        if (b.v === null) return -1;
        return (a.v < b.v ? -1 : 1) * dir;
      })
      .map((x) => x.r);
  });

  function sortBy(key: SortKey): void {
    if (sortKey.value === key) sortDesc.value = !sortDesc.value;
    else {
      sortKey.value = key;
      sortDesc.value = key !== 'name' && key !== 'dataset' && key !== 'model';
    }
  }

  function toggle(id: string): void {
    const s = new Set(selected.value);
    if (s.has(id)) s.delete(id);
    else s.add(id);
    selected.value = s;
  }

  const allVisibleSelected = computed(() => rows.value.length > 0 && rows.value.every((r) => selected.value.has(r.id)));
  function toggleAllVisible(): void {
    const s = new Set(selected.value);
    if (allVisibleSelected.value) for (const r of rows.value) s.delete(r.id);
    else for (const r of rows.value) s.add(r.id);
    selected.value = s;
  }

  function forget(id: string): void {
    if (!selected.value.has(id)) return;
    const s = new Set(selected.value);
    s.delete(id);
    selected.value = s;
  }

  /** selected ids in table order (drops ids that no longer exist) */
  const selectedIds = computed(() => runs.value.filter((r) => selected.value.has(r.id)).map((r) => r.id));

  return {
    filters,
    sortKey,
    sortDesc,
    sortBy,
    rows,
    allTags,
    archivedCount,
    selected,
    selectedIds,
    toggle,
    toggleAllVisible,
    allVisibleSelected,
    forget,
  };
}
