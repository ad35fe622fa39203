/**
 * Edits of a run's metadata (rename, tags, notes, archive, delete), shared by History and the
 * run detail. Each keeps the runs store in step and reports failures as toasts; each resolves the
 * updated summary, or undefined when the call failed.
 */
import { shallowRef } from 'vue';
import type { RunSummary } from '../../../shared/run-config';
import { host } from '../host';
import { useRunsStore } from '../stores/runs';
import { attempt } from '../stores/toasts';

export function useRunActions() {
  const store = useRunsStore();
  const lab = host();
  /** ids with a call in flight (rows show a busy state) */
  const pending = shallowRef(new Set<string>());

  async function track<T>(id: string, title: string, run: () => Promise<T>): Promise<T | undefined> {
    pending.value = new Set(pending.value).add(id);
    try {
      return await attempt(title, run);
    } finally {
      const s = new Set(pending.value);
      s.delete(id);
      pending.value = s;
    }
  }

  async function update(id: string, title: string, run: () => Promise<RunSummary>): Promise<RunSummary | undefined> {
    const summary = await track(id, title, run);
    if (summary) store.upsert(summary);
    return summary;
  }

  return {
    pending,
    rename: (id: string, name: string) => update(id, 'Rename run', () => lab.renameRun(id, name)),
    setTags: (id: string, tags: string[]) => update(id, 'Change tags', () => lab.setTags(id, tags)),
    setNotes: (id: string, notes: string) => update(id, 'Save notes', () => lab.setNotes(id, notes)),
    setArchived: (id: string, archived: boolean) =>
      update(id, archived ? 'Archive run' : 'Unarchive run', () => lab.setArchived(id, archived)),
    async remove(id: string): Promise<boolean> {
      const ok = await track(id, 'Delete run', async () => {
        await lab.deleteRun(id);
        return true;
      });
      if (ok) store.remove(id);
      return ok === true;
    },
  };
}
