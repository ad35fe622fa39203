/**
 * The list of every run (archived included), shared by History, Compare and the shell. Loaded
 * once, patched in place by `run/epoch`, refreshed (debounced) on `run/status`, and updated from
 * the summaries that rename/tag/notes/archive calls return.
 */
import { computed, shallowRef } from 'vue';
import type { RunEpochEvent, RunStatusEvent } from '../../../shared/lab-api';
import type { RunSummary } from '../../../shared/run-config';
import { subscribeLabEvent } from '../composables/use-lab-event';
import { host } from '../host';
import { errorMessage } from '../lib/errors';

const runs = shallowRef<RunSummary[]>([]);
const loaded = shallowRef(false);
const loading = shallowRef(false);
const error = shallowRef<string>();
const byId = computed(() => new Map(runs.value.map((r) => [r.id, r])));

let started = false;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

async function refresh(): Promise<void> {
  const mine = ++generation;
  loading.value = true;
  try {
    const list = await host().listRuns({ includeArchived: true });
    if (mine !== generation) return;
    runs.value = list;
    error.value = undefined;
    loaded.value = true;
  } catch (err) {
    if (mine === generation) error.value = errorMessage(err);
  } finally {
    if (mine === generation) loading.value = false;
  }
}

function scheduleRefresh(delayMs = 250): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), delayMs);
}

/** Replaces (or adds) one run's summary, e.g. with what `renameRun` returned. */
function upsert(summary: RunSummary): void {
  const i = runs.value.findIndex((r) => r.id === summary.id);
  runs.value = i < 0 ? [summary, ...runs.value] : runs.value.map((r, j) => (j === i ? summary : r));
}

function remove(id: string): void {
  runs.value = runs.value.filter((r) => r.id !== id);
}

function patch(id: string, change: Partial<RunSummary>): boolean {
  const current = byId.value.get(id);
  if (!current) return false;
  upsert({ ...current, ...change });
  return true;
}

function onEpoch(e: RunEpochEvent): void {
  const m = e.metrics;
  const known = patch(e.runId, {
    epochsDone: m.epoch,
    epochsPlanned: e.epochs,
    testAccuracy: m.testAccuracy,
    trainLoss: m.trainLoss,
  });
  if (!known) scheduleRefresh();
}

function onStatus(e: RunStatusEvent): void {
  patch(e.runId, { status: e.status, error: e.error ?? null });
  scheduleRefresh();
}

function start(): void {
  if (started) return;
  started = true;
  // the request first: opening the event stream (on the first subscription) takes a while in a
  // fresh page, and no event can arrive before this task ends either way
  void refresh();
  subscribeLabEvent('run/epoch', onEpoch);
  subscribeLabEvent('run/status', onStatus);
}

export function useRunsStore() {
  start();
  return { runs, byId, loaded, loading, error, refresh, upsert, remove };
}
