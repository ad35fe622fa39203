/**
 * One pruning study, live: `study/progress` events update its progress at once and reload its
 * results at most about once a second (and once more when it finishes), so the curves grow.
 */
import { onScopeDispose, shallowRef } from 'vue';
import type { StudyDetail } from '../../../shared/lab-api';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import { useLabEvent } from './use-lab-event';

const RELOAD_MS = 1000;

export function useStudy(id: string) {
  const study = shallowRef<StudyDetail>();
  const error = shallowRef<string>();
  const message = shallowRef('');
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastLoad = 0;

  async function reload(): Promise<void> {
    const mine = ++generation;
    lastLoad = Date.now();
    try {
      const detail = await host().getStudy(id);
      if (mine !== generation) return;
      study.value = detail;
      error.value = undefined;
    } catch (err) {
      if (mine === generation) error.value = errorMessage(err);
    }
  }

  function scheduleReload(now: boolean): void {
    clearTimeout(timer);
    const wait = now ? 0 : Math.max(0, RELOAD_MS - (Date.now() - lastLoad));
    timer = setTimeout(() => void reload(), wait);
  }

  useLabEvent('study/progress', (e) => {
    if (e.studyId !== id) return;
    message.value = e.message;
    const s = study.value;
    if (s) study.value = { ...s, done: e.done, total: e.total, status: e.status };
    scheduleReload(e.status !== 'running');
  });
  onScopeDispose(() => clearTimeout(timer));
  void reload();
  return { study, error, message, reload };
}
