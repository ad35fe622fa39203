import { shallowRef, type ShallowRef } from 'vue';

export interface AsyncState<T> {
  data: ShallowRef<T | undefined>;
  error: ShallowRef<string | undefined>;
  loading: ShallowRef<boolean>;
  reload: () => Promise<void>;
}

/** Runs `load` now (and on `reload`), exposing data / error / loading as refs. */
export function useAsync<T>(load: () => Promise<T>): AsyncState<T> {
  const data = shallowRef<T>();
  const error = shallowRef<string>();
  const loading = shallowRef(false);
  const reload = async (): Promise<void> => {
    loading.value = true;
    error.value = undefined;
    try {
      data.value = await load();
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    } finally {
      loading.value = false;
    }
  };
  void reload();
  return { data, error, loading, reload };
}
