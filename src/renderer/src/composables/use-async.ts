import { shallowRef, type ShallowRef } from 'vue';
import { errorMessage } from '../lib/errors';

export interface AsyncState<T> {
  data: ShallowRef<T | undefined>;
  error: ShallowRef<string | undefined>;
  loading: ShallowRef<boolean>;
  reload: () => Promise<void>;
}

/** Runs `load` now (and on `reload`), exposing data / error / loading as refs. A stale load never overwrites a newer one. */
export function useAsync<T>(load: () => Promise<T>, opts: { immediate?: boolean } = {}): AsyncState<T> {
  const data = shallowRef<T>();
  const error = shallowRef<string>();
  const loading = shallowRef(false);
  let generation = 0;
  const reload = async (): Promise<void> => {
    const mine = ++generation;
    loading.value = true;
    error.value = undefined;
    try {
      const value = await load();
      if (mine === generation) data.value = value;
    } catch (err) {
      if (mine === generation) error.value = errorMessage(err);
    } finally {
      if (mine === generation) loading.value = false;
    }
  };
  if (opts.immediate !== false) void reload();
  return { data, error, loading, reload };
}
