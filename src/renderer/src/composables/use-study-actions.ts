/** Stop and delete for pruning studies, shared by the list and the study view; failures become toasts. */
import { shallowRef } from 'vue';
import { host } from '../host';
import { attempt } from '../stores/toasts';

export function useStudyActions() {
  const lab = host();
  /** ids with a call in flight */
  const pending = shallowRef(new Set<string>());

  async function track(id: string, title: string, run: () => Promise<void>): Promise<boolean> {
    pending.value = new Set(pending.value).add(id);
    try {
      return (await attempt(title, async () => (await run(), true))) ?? false;
    } finally {
      const s = new Set(pending.value);
      s.delete(id);
      pending.value = s;
    }
  }

  return {
    pending,
    stop: (id: string) => track(id, 'Stop study', () => lab.stopStudy(id)),
    remove: (id: string) => track(id, 'Delete study', () => lab.deleteStudy(id)),
  };
}
