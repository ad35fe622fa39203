/**
 * A ~1 GB run database for the quick_check benchmark: 400 runs x 50 epochs, each epoch with a
 * 50 kB snapshot (`npx tsx bench/store/make-big-store.ts FILE.db`).
 */
import { RunStore } from '../../src/core/store/index';
import { metrics, sampleConfig } from '../../test/store/helpers';

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/store/make-big-store.ts FILE.db');
const store = RunStore.open(file);
const blob = new Uint8Array(50_000).map((_, i) => (i * 7919) & 255);
for (let r = 0; r < 400; r++) {
  const run = store.createRun({ config: sampleConfig(), backend: 'wasm', params: 100 });
  for (let e = 1; e <= 50; e++)
    store.recordEpoch(run.id, metrics(e), { snapshot: blob, checkpoint: e === 50 ? blob : undefined });
  store.finishRun(run.id, 'completed', { finalModel: blob });
}
store.close();
