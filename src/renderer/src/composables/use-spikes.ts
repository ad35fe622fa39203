/**
 * Spike trains of a spiking run's final model for one test image (`getSpikes`), decoded to typed
 * arrays, plus the playback state the Spikes tab shares: the time step shown, play / pause, and
 * the neurons whose membrane potential is plotted.
 */
import { computed, onScopeDispose, shallowRef, type Ref } from 'vue';
import { base64ToBytes } from '../../../shared/codec';
import type { SpikeData } from '../../../shared/lab-api';
import { host } from '../host';
import { errorMessage } from '../lib/errors';

export interface DecodedSpikeLayer {
  /** layer index l (1 = first hidden) */
  layer: number;
  n: number;
  /** [T * n] 0/1, row-major by time step */
  spikes: Uint8Array;
  /** [T * n] membrane potential */
  membrane: Float32Array;
  /** mean spikes per neuron per step */
  rate: number;
  /** spikes of each neuron over all steps */
  counts: Uint32Array;
}

export interface DecodedSpikes {
  testIndex: number;
  label: number;
  prediction: number;
  timeSteps: number;
  layers: DecodedSpikeLayer[];
  /** [T * n_0] input spikes (rate coding) */
  input?: Float32Array;
  /** the test image, grey levels 0..255 row by row */
  image?: { rows: number; cols: number; pixels: Uint8Array };
  /** class names in label order (absent: digits) */
  classNames?: string[];
}

/** a neuron whose membrane potential is plotted */
export interface NeuronRef {
  layer: number;
  index: number;
}

const PLAY_MS = 180;
const MAX_SELECTED = 8;

export function decodeSpikes(d: SpikeData): DecodedSpikes {
  const T = d.timeSteps;
  const layers = d.layers.map((l) => {
    const spikes = base64ToBytes(l.spikes);
    const membrane = new Float32Array(aligned(base64ToBytes(l.membrane)));
    const counts = new Uint32Array(l.n);
    let total = 0;
    for (let k = 0; k < spikes.length; k++) {
      if (spikes[k]) {
        counts[k % l.n]++;
        total++;
      }
    }
    return { layer: l.layer, n: l.n, spikes, membrane, counts, rate: total / Math.max(1, T * l.n) };
  });
  const input = d.inputSpikes ? new Float32Array(aligned(base64ToBytes(d.inputSpikes))) : undefined;
  return {
    testIndex: d.testIndex,
    label: d.label,
    prediction: d.prediction,
    timeSteps: T,
    layers,
    ...(input ? { input } : {}),
    ...(d.image ? { image: { rows: d.image.rows, cols: d.image.cols, pixels: base64ToBytes(d.image.pixels) } } : {}),
    ...(d.classNames ? { classNames: d.classNames } : {}),
  };
}

/** the bytes as their own ArrayBuffer (a Float32Array view needs a 4-byte aligned offset) */
function aligned(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : bytes.slice().buffer;
}

/** Per model layer, the values at step t (layer 0: input spikes under rate coding, else empty = neutral). */
export function activationsAt(
  data: DecodedSpikes,
  inputSize: number,
  t: number,
  what: 'spikes' | 'membrane',
): Float32Array[] {
  const input = data.input ? data.input.subarray(t * inputSize, (t + 1) * inputSize) : new Float32Array(0);
  return [
    input,
    ...data.layers.map((l) =>
      what === 'spikes'
        ? Float32Array.from(l.spikes.subarray(t * l.n, (t + 1) * l.n))
        : l.membrane.slice(t * l.n, (t + 1) * l.n),
    ),
  ];
}

/** The `count` most active neurons of a layer (ties: lower index first). */
export function mostActive(layer: DecodedSpikeLayer, count: number): number[] {
  return Array.from(layer.counts.keys())
    .sort((a, b) => layer.counts[b] - layer.counts[a] || a - b)
    .slice(0, count);
}

export function useSpikes(runId: Ref<string>) {
  const lab = host();
  const testIndex = shallowRef(0);
  const data = shallowRef<DecodedSpikes>();
  const loading = shallowRef(false);
  const error = shallowRef<string>();
  const step = shallowRef(0);
  const playing = shallowRef(false);
  const selected = shallowRef<NeuronRef[]>([]);
  let generation = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const lastStep = computed(() => Math.max(0, (data.value?.timeSteps ?? 1) - 1));

  /** Loads test image `index`; a slower earlier answer never overwrites a later choice. */
  async function load(index: number): Promise<void> {
    const mine = ++generation;
    testIndex.value = index;
    loading.value = true;
    try {
      const d = decodeSpikes(await lab.getSpikes(runId.value, { testIndex: index }));
      if (mine !== generation) return;
      data.value = d;
      error.value = undefined;
      if (step.value > d.timeSteps - 1) step.value = d.timeSteps - 1;
      if (selected.value.length === 0 && d.layers[0])
        selected.value = mostActive(d.layers[0], 3).map((index) => ({ layer: d.layers[0].layer, index }));
    } catch (err) {
      if (mine === generation) error.value = errorMessage(err);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  function toggleNeuron(n: NeuronRef): void {
    const has = selected.value.some((s) => s.layer === n.layer && s.index === n.index);
    if (has) selected.value = selected.value.filter((s) => s.layer !== n.layer || s.index !== n.index);
    else selected.value = [...selected.value, n].slice(-MAX_SELECTED);
  }

  function pause(): void {
    clearInterval(timer);
    timer = undefined;
    playing.value = false;
  }

  function play(): void {
    if (playing.value) return;
    if (step.value >= lastStep.value) step.value = 0;
    playing.value = true;
    timer = setInterval(() => {
      if (step.value >= lastStep.value) return pause();
      step.value++;
    }, PLAY_MS);
  }

  onScopeDispose(pause);

  return { testIndex, data, loading, error, step, lastStep, playing, selected, load, toggleNeuron, play, pause };
}
