/**
 * Pruning benchmark (npm run bench:prune [-- --json]): time to prune a paper-sized network
 * (784-2048-10, 1.6 M connections) and evaluate it on the 10k MNIST test set, and the cost of one
 * distance-slider update (threshold mask + accuracy on a 2k subset), both in this process (one
 * core) and along the app's path: a PruneWorker (worker threads, as the Electron main process
 * uses) with one worker and with the default split over two. Never part of npm test.
 */
import { encodeArrays } from '../src/shared/codec';
import { loadDataset } from '../src/core/data/index';
import { Network } from '../src/core/model/network';
import { presetConfig } from '../src/core/model/presets';
import { connectionMagnitudes, evaluatePruned, paramMap, pruneByThreshold } from '../src/core/prune/index';
import { initBackend } from '../src/core/train/backend';
import { evaluate } from '../src/core/train/evaluate';
import { PruneWorker, defaultPruneThreads } from '../src/core/study/prune-host';
import { Rng } from '../src/core/util/rng';

const json = process.argv.includes('--json');
const backend = await initBackend();
const spec = presetConfig('paper-3d').model;
const net = Network.create(spec, Rng.fromSeed(1));
const arrays = net.toArrays();
const model = encodeArrays(arrays, { kind: 'model', spec });

const full = loadDataset({ name: 'mnist', trainSize: 1 });
await evaluatePruned({ model, data: full, rates: [0.5] }); // warm-up
const t0 = performance.now();
const [r] = await evaluatePruned({ model, data: full, rates: [0.8] });
const evalMs = performance.now() - t0;

const subset = loadDataset({ name: 'mnist', trainSize: 1, testSize: 2000 });
const magnitudes = connectionMagnitudes(spec, paramMap(arrays));
const times: number[] = [];
for (const d of [30, 20, 15, 12, 10, 8]) {
  const t = performance.now();
  const masks = pruneByThreshold(magnitudes, 1 / d);
  net.setPruning({ kind: 'fixed', keep: masks.keep });
  evaluate(net, subset.test);
  times.push(performance.now() - t);
}
net.dispose();
const sliderMs = times.slice(1).reduce((a, b) => a + b, 0) / (times.length - 1);

// The app's path: pruneRun -> PruneWorker.evaluate (model bytes posted to the worker(s) per job).
const distances = [30, 20, 15, 12, 10, 8];
const dataset = { name: 'mnist' as const, trainSize: 1, testSize: 2000 };
async function hostSlider(threads: number): Promise<{ ms: number; results: unknown[] }> {
  const host = new PruneWorker(60_000, threads);
  try {
    const results: unknown[] = [];
    const ts: number[] = [];
    await host.evaluate({ model, dataset, maxDistances: [40] }); // start the workers, load the data
    for (const d of distances) {
      const t = performance.now();
      results.push(...(await host.evaluate({ model, dataset, maxDistances: [d] })));
      ts.push(performance.now() - t);
    }
    return { ms: ts.slice(1).reduce((a, b) => a + b, 0) / (ts.length - 1), results };
  } finally {
    await host.close();
  }
}
const one = await hostSlider(1);
const split = await hostSlider(defaultPruneThreads());
const identical = JSON.stringify(one.results) === JSON.stringify(split.results);
const out = {
  bench: 'prune',
  model: 'paper-3d',
  connections: r.total,
  backend,
  pruneAndEvaluate10kMs: Math.round(evalMs),
  sliderUpdate2kMs: Math.round(sliderMs),
  appSliderUpdate2kMs1Worker: Math.round(one.ms),
  appSliderUpdate2kMs: Math.round(split.ms),
  appWorkers: defaultPruneThreads(),
  appSplitIdentical: identical,
};
if (json) console.log(JSON.stringify(out));
else {
  console.log(`pruning benchmark (${backend}), ${spec.layers.join('-')}, ${r.total.toLocaleString()} connections`);
  console.log(`  prune 80% + evaluate on 10k test images: ${out.pruneAndEvaluate10kMs} ms`);
  console.log(`  distance-slider update (mask + accuracy on 2k images), in process: ${out.sliderUpdate2kMs} ms`);
  console.log(`  same via the app's PruneWorker, 1 worker: ${out.appSliderUpdate2kMs1Worker} ms`);
  console.log(
    `  same via the app's PruneWorker, ${out.appWorkers} workers: ${out.appSliderUpdate2kMs} ms` +
      ` (results ${identical ? 'identical to' : 'DIFFER from'} 1 worker)`,
  );
}
