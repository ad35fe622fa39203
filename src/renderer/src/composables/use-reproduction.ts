/**
 * The reproduction of this lab process (`getReproduction`), kept current by `reproduce/progress`
 * events: the summary is patched in place, the recent messages are kept, and the results
 * (`getReproductionResults`) are loaded when it ends and whenever an experiment finished.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type {
  ReproductionProgressEvent,
  ReproductionRequest,
  ReproductionResults,
  ReproductionSummary,
} from '../../../shared/lab-api';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { attempt } from '../stores/toasts';
import { useLabEvent } from './use-lab-event';

const MAX_MESSAGES = 200;

export function useReproduction() {
  const lab = host();
  const summary = shallowRef<ReproductionSummary | null>(null);
  const results = shallowRef<ReproductionResults | null>(null);
  /** progress messages of the current reproduction, oldest first */
  const messages = shallowRef<string[]>([]);
  const loaded = shallowRef(false);
  const error = shallowRef<string>();
  const starting = shallowRef(false);
  const stopping = shallowRef(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastExperiment: string | undefined;

  async function loadResults(): Promise<void> {
    try {
      results.value = await lab.getReproductionResults();
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function refresh(): Promise<void> {
    try {
      summary.value = await lab.getReproduction();
      error.value = undefined;
      loaded.value = true;
      if (summary.value) {
        if (!messages.value.length) messages.value = [summary.value.message];
        await loadResults();
      }
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  function scheduleResults(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void loadResults(), 150);
  }

  function onProgress(e: ReproductionProgressEvent): void {
    const s = summary.value;
    if (!s || s.id !== e.id) {
      void refresh();
      messages.value = [e.message];
      return;
    }
    summary.value = {
      ...s,
      status: e.status,
      message: e.message,
      ...(e.done !== undefined && e.total !== undefined ? { done: e.done, total: e.total } : {}),
      ...(e.status !== 'running' && !s.finishedAt ? { finishedAt: new Date().toISOString() } : {}),
    };
    messages.value = [...messages.value, e.message].slice(-MAX_MESSAGES);
    // results.json is rewritten after every experiment: reload when the experiment changes and at the end
    if (e.status !== 'running' || (e.experiment && lastExperiment && e.experiment !== lastExperiment))
      scheduleResults();
    if (e.experiment) lastExperiment = e.experiment;
  }

  async function start(request: ReproductionRequest): Promise<boolean> {
    starting.value = true;
    try {
      const s = await attempt('Start reproduction', () => lab.startReproduction(request));
      if (!s) return false;
      lastExperiment = undefined;
      results.value = null;
      if (summary.value?.id !== s.id) messages.value = [s.message];
      summary.value = s;
      return true;
    } finally {
      starting.value = false;
    }
  }

  async function stop(): Promise<void> {
    stopping.value = true;
    try {
      await attempt('Stop reproduction', () => lab.stopReproduction());
    } finally {
      stopping.value = false;
    }
  }

  useLabEvent('reproduce/progress', onProgress);
  onScopeDispose(() => clearTimeout(timer));
  void refresh();
  return { summary, results, messages, loaded, error, starting, stopping, start, stop, refresh };
}
