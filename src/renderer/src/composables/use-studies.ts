/**
 * The list of pruning studies, kept current by `study/progress` events: progress is patched in
 * place, a status change or an unknown study triggers a (debounced) reload.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type { StudyProgressEvent, StudySummary } from '../../../shared/lab-api';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { useLabEvent } from './use-lab-event';

export function useStudies() {
  const studies = shallowRef<StudySummary[]>([]);
  const loaded = shallowRef(false);
  const error = shallowRef<string>();
  /** last progress message per running study */
  const messages = shallowRef(new Map<string, string>());
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    try {
      const list = await host().listStudies();
      if (mine !== generation) return;
      studies.value = list.slice().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      error.value = undefined;
      loaded.value = true;
    } catch (err) {
      if (mine === generation) error.value = errorMessage(err);
    }
  }

  function scheduleRefresh(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 200);
  }

  function onProgress(e: StudyProgressEvent): void {
    messages.value = new Map(messages.value).set(e.studyId, e.message);
    const current = studies.value.find((s) => s.id === e.studyId);
    if (!current || current.status !== e.status) scheduleRefresh();
    if (current)
      studies.value = studies.value.map((s) =>
        s.id === e.studyId ? { ...s, done: e.done, total: e.total, status: e.status } : s,
      );
  }

  function remove(id: string): void {
    studies.value = studies.value.filter((s) => s.id !== id);
  }

  useLabEvent('study/progress', onProgress);
  onScopeDispose(() => clearTimeout(timer));
  void refresh();
  return { studies, loaded, error, messages, refresh, remove };
}
