/**
 * `getSpikes` of the lab service: a spiking run's final model on one test image, recorded by
 * the spiking engine (src/core/snn/record.ts) in the figure worker thread (TensorFlow.js never
 * runs on the Electron main thread; a 784-16-10 model with T = 25 records in a few ms, the data
 * set is read from disk on each call).
 */
import type { RunStore } from '../../core/store/index';
import { testOnly } from '../../core/study/index';
import { bytesToBase64 } from '../../shared/codec';
import type { SpikeData, SpikeRequest } from '../../shared/lab-api';
import { LabValidationError } from '../../shared/schema/errors';
import { LabStateError } from './errors';
import type { FigureJobRunner } from './figure-host';

/**
 * Records run `id` on test image `testIndex` (default 0).
 * @throws LabValidationError for a non-spiking run or an index outside the run's test set,
 *         LabStateError when the run has no final model yet
 */
export async function storedRunSpikes(
  store: RunStore,
  run: FigureJobRunner,
  id: string,
  request: SpikeRequest,
): Promise<SpikeData> {
  const detail = store.getRun(id);
  if (!detail.config.model.spiking) {
    throw new LabValidationError(
      `run ${detail.id} is not a spiking run (model.spiking is not set); spike trains exist only for spiking models`,
    );
  }
  const testIndex = request.testIndex ?? 0;
  const own = detail.config.dataset.testSize;
  if (own !== undefined && testIndex >= own) {
    throw new LabValidationError(
      `testIndex: run ${detail.id} is tested on ${own} images (0..${own - 1}); got ${testIndex}`,
    );
  }
  const model = store.getFinalModel(detail.id);
  if (!model)
    throw new LabStateError(
      `run ${detail.id} has no final model (status: ${detail.status}); spikes need a finished run`,
    );
  // only the images up to the one shown are read
  const r = await run({ type: 'spikes', model, dataset: testOnly(detail.config.dataset, testIndex + 1), testIndex });
  return {
    runId: detail.id,
    testIndex,
    label: r.label,
    prediction: r.prediction,
    timeSteps: r.timeSteps,
    layers: r.layers.map((l) => ({
      layer: l.layer,
      n: l.n,
      spikes: bytesToBase64(l.spikes),
      membrane: bytesToBase64(f32Bytes(l.membrane)),
    })),
    ...(r.inputSpikes ? { inputSpikes: bytesToBase64(f32Bytes(r.inputSpikes)) } : {}),
    image: { rows: r.rows, cols: r.cols, pixels: bytesToBase64(r.image) },
    ...(r.classNames ? { classNames: r.classNames } : {}),
  };
}

function f32Bytes(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
