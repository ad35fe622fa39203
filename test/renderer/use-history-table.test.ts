/** History's client-side search, filters, sorting and selection (use-history-table.ts), over plain refs. */
import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { useHistoryTable } from '../../src/renderer/src/composables/use-history-table';
import type { RunSummary } from '../../src/shared/run-config';

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status: 'completed',
    preset: null,
    modelKind: 'spatial',
    layers: [784, 128, 10],
    dataset: 'mnist',
    params: 1000,
    backend: 'wasm',
    epochsDone: 1,
    epochsPlanned: 1,
    testAccuracy: 0.9,
    trainLoss: 0.3,
    createdAt: '2026-12-01T00:00:00Z',
    finishedAt: null,
    durationMs: 1000,
    tags: [],
    notes: '',
    archived: false,
    error: null,
    ...over,
  };
}

const RUNS = [
  run('a1', { name: 'Beta', tags: ['paper', 'Sweep'], testAccuracy: 0.95, createdAt: '2026-12-03T00:00:00Z' }),
  run('b2', {
    name: 'alpha',
    status: 'failed',
    testAccuracy: null,
    modelKind: 'dense',
    layers: [784, 10],
    createdAt: '2026-12-02T00:00:00Z',
  }),
  run('c3', {
    name: 'gamma',
    status: 'running',
    notes: 'wide hidden layer',
    testAccuracy: 0.5,
    createdAt: '2026-12-04T00:00:00Z',
  }),
  run('d4', {
    name: 'delta',
    archived: true,
    tags: ['paper'],
    dataset: '/data/fashion',
    createdAt: '2026-12-01T00:00:00Z',
  }),
];

const ids = (rows: readonly RunSummary[]) => rows.map((r) => r.id);

describe('useHistoryTable', () => {
  it('lists unarchived runs newest first, archived ones on request', () => {
    const t = useHistoryTable(ref(RUNS));
    expect(ids(t.rows.value)).toEqual(['c3', 'a1', 'b2']);
    expect(t.archivedCount.value).toBe(1);
    t.filters.showArchived = true;
    expect(ids(t.rows.value)).toEqual(['c3', 'a1', 'b2', 'd4']);
  });

  it('matches every search term in id, name, tags, notes, model, layers, dataset or status', () => {
    const t = useHistoryTable(ref(RUNS));
    t.filters.search = 'WIDE layer';
    expect(ids(t.rows.value)).toEqual(['c3']);
    t.filters.search = '784-10 dense';
    expect(ids(t.rows.value)).toEqual(['b2']);
    t.filters.search = 'failed';
    expect(ids(t.rows.value)).toEqual(['b2']);
    t.filters.search = 'nothing-like-this';
    expect(t.rows.value).toEqual([]);
  });

  it('filters by status and tag; tags are offered sorted case-insensitively', () => {
    const t = useHistoryTable(ref(RUNS));
    expect(t.allTags.value).toEqual(['paper', 'Sweep']);
    t.filters.status = 'failed';
    expect(ids(t.rows.value)).toEqual(['b2']);
    t.filters.status = '';
    t.filters.tag = 'paper';
    expect(ids(t.rows.value)).toEqual(['a1']);
  });

  it('sorts by a column, toggles direction, keeps nulls last both ways', () => {
    const t = useHistoryTable(ref(RUNS));
    t.sortBy('testAccuracy'); // numbers start descending
    expect(ids(t.rows.value)).toEqual(['a1', 'c3', 'b2']);
    t.sortBy('testAccuracy');
    expect(ids(t.rows.value)).toEqual(['c3', 'a1', 'b2']);
    t.sortBy('name'); // text starts ascending, case-insensitive
    expect(ids(t.rows.value)).toEqual(['b2', 'a1', 'c3']);
    t.sortBy('status'); // running, interrupted, failed, completed (descending first)
    expect(ids(t.rows.value)).toEqual(['a1', 'b2', 'c3']);
  });

  it('selects, toggles all visible rows and forgets deleted runs', () => {
    const runs = ref(RUNS);
    const t = useHistoryTable(runs);
    t.toggle('a1');
    expect(t.selectedIds.value).toEqual(['a1']);
    t.toggleAllVisible();
    expect(t.allVisibleSelected.value).toBe(true);
    expect(t.selectedIds.value).toEqual(['a1', 'b2', 'c3']);
    t.toggleAllVisible();
    expect(t.selectedIds.value).toEqual([]);
    t.toggle('b2');
    t.toggle('c3');
    runs.value = RUNS.filter((r) => r.id !== 'c3');
    expect(t.selectedIds.value).toEqual(['b2']); // a deleted run drops out of the selection
    t.forget('b2');
    expect(t.selected.value.size).toBe(1); // only c3's stale id is left in the raw set
  });
});
