/** Shared helpers of the study tests: temporary databases, a tiny config, a trained base run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunConfig } from '../../src/core/config/index';
import type { RunStore } from '../../src/core/store/index';
import { runTraining } from '../../src/core/train/run-training';
import type { RunConfig } from '../../src/shared/run-config';

/** A fresh temporary folder with a db path inside; `cleanup` removes it. */
export function tempDir(prefix = 'sen-lab-study-'): { dir: string; db: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, db: join(dir, 'runs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Preset 'quick' shrunk to 784-16-10, 1 epoch on 1000 MNIST images, tested on 300: about a second. */
export function tinyConfig(seed = 1): RunConfig {
  return buildRunConfig({
    overrides: { layers: [784, 16, 10], epochs: 1, trainSize: 1000, testSize: 300, batchSize: 100, seed },
  });
}

/** Trains the tiny config into `store`; resolves with the completed run's id. */
export async function trainTiny(store: RunStore, seed = 1): Promise<string> {
  const result = await runTraining({ store, config: tinyConfig(seed), name: `tiny seed ${seed}` });
  if (result.status !== 'completed') throw new Error(`tiny training ended ${result.status}`);
  return result.runId;
}
