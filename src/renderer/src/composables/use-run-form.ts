/**
 * State of the New Run form: presets and data sets from the backend, client-side validation on
 * every keystroke, a debounced server `checkConfig` (parameter count, or the field it rejects),
 * and `start()`.
 */
import { computed, onScopeDispose, reactive, shallowRef, watch } from 'vue';
import type { ConfigMemoryInfo, DatasetInfo, PresetSummary } from '../../../shared/lab-api';
import { datasetFitProblems } from '../../../shared/dataset-fit';
import type { RunConfig, RunSummary } from '../../../shared/run-config';
import { host } from '../host';
import { errorMessage } from '../lib/errors';
import {
  configToForm,
  defaultEpsilon,
  defaultSurrogateSlope,
  fieldOfPath,
  FOLDER_DATASET,
  formToConfig,
  parseTags,
  type FieldErrors,
  type FieldKey,
  type RunForm,
} from '../lib/run-form';

const CHECK_DELAY_MS = 250;

/** A message from the server, attached to a field when it names one. */
export interface ServerProblem {
  field?: FieldKey;
  message: string;
}

const SAME_RUN_FIELDS: FieldKey[] = ['name', 'tags', 'preset'];

export function useRunForm() {
  const lab = host();
  const presets = shallowRef<PresetSummary[]>([]);
  const datasets = shallowRef<DatasetInfo[]>([]);
  const loadError = shallowRef<string>();
  const ready = shallowRef(false);
  const form = reactive<RunForm>(configToForm(fallbackConfig()));

  const params = shallowRef<number>();
  /** the server's memory estimate of the config (peak training memory vs the lab's limit) */
  const memory = shallowRef<ConfigMemoryInfo>();
  const checking = shallowRef(false);
  const serverProblem = shallowRef<ServerProblem>();
  /** why the last start failed; unlike a check problem it does not block another try */
  const startProblem = shallowRef<ServerProblem>();
  const starting = shallowRef(false);

  const client = computed(() => formToConfig(form));
  /**
   * the data-dependent checks (layer sizes, subsets vs the data set) on the field as the user types,
   * in the backend's words (src/shared/dataset-fit.ts); a folder's shape is known to the server only
   */
  const fit = computed<FieldErrors>(() => {
    const config = client.value.config;
    const shape = datasets.value.find((d) => d.name === config?.dataset.name)?.shape;
    const out: FieldErrors = {};
    if (!config || !shape) return out;
    for (const p of datasetFitProblems(config, shape)) {
      const field = fieldOfPath(p.field);
      if (field && !out[field]) out[field] = p.message;
    }
    return out;
  });
  const errors = computed<FieldErrors>(() => {
    const all: FieldErrors = { ...client.value.errors, ...fit.value };
    for (const p of [serverProblem.value, startProblem.value]) {
      // a bad folder is reported on `dataset.name`; show it at the path the user typed
      const field = p?.field === 'dataset' && form.dataset === FOLDER_DATASET ? 'datasetPath' : p?.field;
      if (p && field && !all[field]) all[field] = p.message;
    }
    return all;
  });
  /** a problem the server reported that no field shows */
  const formError = computed(() => [serverProblem.value, startProblem.value].find((p) => p && !p.field)?.message);
  /** every field passes the client-side checks */
  const valid = computed(() => !!client.value.config && !Object.keys(fit.value).length);
  const canStart = computed(
    () =>
      ready.value &&
      !!client.value.config &&
      !Object.keys(fit.value).length &&
      !serverProblem.value &&
      !checking.value &&
      !starting.value,
  );

  const selectedPreset = computed(() => presets.value.find((p) => p.name === form.preset));
  const modified = computed(() => {
    const p = selectedPreset.value;
    if (!p) return false;
    const base = configToForm(p.config);
    return (Object.keys(base) as FieldKey[]).some((k) => !SAME_RUN_FIELDS.includes(k) && base[k] !== form[k]);
  });

  async function load(fromRun?: string): Promise<void> {
    try {
      const [p, d, from] = await Promise.all([
        lab.listPresets(),
        lab.listDatasets(),
        fromRun ? lab.getRun(fromRun) : undefined,
      ]);
      presets.value = p;
      datasets.value = d;
      const start = from?.config ?? p.find((x) => x.name === 'quick')?.config ?? p[0]?.config;
      if (start)
        Object.assign(form, configToForm(start), {
          name: from ? `${from.name} (copy)` : '',
          tags: from?.tags.join(', ') ?? '',
        });
      ready.value = true;
    } catch (err) {
      loadError.value = errorMessage(err);
    }
  }

  function applyPreset(name: string): void {
    const p = presets.value.find((x) => x.name === name);
    if (!p) return;
    const keep = { name: form.name, tags: form.tags };
    Object.assign(form, configToForm(p.config), keep);
  }

  // switching zMode moves a default epsilon along with it (the engine does the same)
  watch(
    () => form.zMode,
    (now, before) => {
      if (before && Number(form.distanceEpsilon) === defaultEpsilon(before))
        form.distanceEpsilon = String(defaultEpsilon(now));
    },
  );

  // likewise a default surrogate slope follows the surrogate (atan 2, fast sigmoid 25)
  watch(
    () => form.surrogate,
    (now, before) => {
      if (before && Number(form.surrogateSlope) === defaultSurrogateSlope(before))
        form.surrogateSlope = String(defaultSurrogateSlope(now));
    },
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  watch(
    // a config the data-fit check already refuses is not sent (the field says why)
    () => (client.value.config && !Object.keys(fit.value).length ? JSON.stringify(client.value.config) : ''),
    (json) => {
      clearTimeout(timer);
      serverProblem.value = undefined;
      startProblem.value = undefined;
      const mine = ++generation;
      if (!json) {
        checking.value = false;
        return;
      }
      checking.value = true;
      timer = setTimeout(() => void check(JSON.parse(json) as RunConfig, mine), CHECK_DELAY_MS);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearTimeout(timer));

  async function check(config: RunConfig, mine: number): Promise<void> {
    try {
      const result = await lab.checkConfig(config);
      if (mine === generation) {
        params.value = result.params;
        memory.value = result.memory;
      }
    } catch (err) {
      if (mine === generation) {
        serverProblem.value = problem(err);
        params.value = undefined;
        memory.value = undefined;
      }
    } finally {
      if (mine === generation) checking.value = false;
    }
  }

  async function start(): Promise<RunSummary | undefined> {
    const config = client.value.config;
    if (!config || !canStart.value) return undefined;
    starting.value = true;
    startProblem.value = undefined;
    try {
      const name = form.name.trim();
      return await lab.startRun(config, { name: name || undefined, tags: parseTags(form.tags) });
    } catch (err) {
      startProblem.value = problem(err);
      return undefined;
    } finally {
      starting.value = false;
    }
  }

  return {
    form,
    /** the config the form describes now, or null while a field is invalid */
    config: computed(() => client.value.config ?? null),
    /** the config when it also fits the data set (what is worth an estimate), else null */
    fittingConfig: computed(() => (Object.keys(fit.value).length ? null : (client.value.config ?? null))),
    presets,
    datasets,
    loadError,
    ready,
    errors,
    formError,
    params,
    memory,
    checking,
    starting,
    canStart,
    valid,
    selectedPreset,
    modified,
    load,
    applyPreset,
    start,
  };
}

function problem(err: unknown): ServerProblem {
  const message = errorMessage(err);
  return { field: fieldOfPath((err as { field?: string } | undefined)?.field), message };
}

/** What the form shows before the presets arrive (the 'quick' preset's shape). */
function fallbackConfig(): RunConfig {
  return {
    model: {
      kind: 'spatial',
      layers: [784, 128, 10],
      dim: 3,
      zMode: 'learned-gap',
      inhibitionSteepness: 5,
      distanceEpsilon: 0,
      initSpread: 10,
      initInhibition: 0.5,
      hiddenActivation: 'relu',
    },
    dataset: { name: 'mnist' },
    training: { epochs: 5, batchSize: 100, learningRate: 0.005, seed: 1 },
    kernel: 'simd',
    snapshotEvery: 1,
  };
}
