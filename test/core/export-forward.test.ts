/**
 * Exports reproduce `predict`: for every model kind, zMode and spiking option, the logits of an
 * independent float64 forward pass written from docs/model-format.md (./oracle/from-export.ts,
 * which reads only the exported JSON) equal `sen-lab predict --json` to 1e-4 relative.
 * Models are freshly initialised networks with their learned scalars (gaps, beta, threshold) moved
 * away from their defaults, so a reader that ignored any exported parameter would disagree.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/core/cli/main';
import type { CliContext } from '../../src/core/cli/context';
import { presetConfig, spatialSpec, denseSpec } from '../../src/core/model/presets';
import { Network } from '../../src/core/model/network';
import { spikingSpec } from '../../src/core/snn/spec';
import { RunStore } from '../../src/core/store';
import { initBackend } from '../../src/core/train/backend';
import { Rng } from '../../src/core/util/rng';
import { encodeArrays, type NamedArray } from '../../src/shared/codec';
import type { ModelSpec, SpikingSpec } from '../../src/shared/model-spec';
import type { RunConfig } from '../../src/shared/run-config';
import { loadDataset } from '../../src/core/data';
import { trainModel } from '../../src/core/train/trainer';
import { writeIdx } from '../fixtures/idx';
import { exportLogits, lastSpikeStats, type ExportDoc } from './oracle/from-export';

const SIDE = 8; // 8 x 8 images: n_0 = 64
const COUNT = 6; // images per predict call (one batch)
const dir = mkdtempSync(join(tmpdir(), 'sen-export-'));
const db = join(dir, 'runs.db');
const data = join(dir, 'data');
let pixels: number[][];

/** Sparse pseudo-random images (about 60 % zeros), like digits on a dark background. */
function writeData(): number[][] {
  const rng = Rng.fromSeed(99);
  const images = (count: number) =>
    Array.from({ length: count }, () =>
      Array.from({ length: SIDE * SIDE }, () => (rng.next() < 0.6 ? 0 : 1 + rng.int(255))),
    );
  const write = (name: string, imgs: number[][]) => {
    writeIdx(join(data, `${name}-images-idx3-ubyte`), 'ubyte', [imgs.length, SIDE, SIDE], imgs.flat());
    writeIdx(
      join(data, `${name}-labels-idx1-ubyte`),
      'ubyte',
      [imgs.length],
      imgs.map((_, i) => i % 10),
    );
  };
  const test = images(COUNT + 2);
  mkdirSync(data, { recursive: true });
  write('train', images(4));
  write('t10k', test);
  return test;
}

function capture(): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    stdout: { write: (s: string) => ((out += s), true) },
    stderr: { write: (s: string) => ((err += s), true) },
    stdinIsTTY: false,
    confirm: async () => false,
    cwd: dir,
  };
  return { ctx, out: () => out, err: () => err };
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = capture();
  const code = await main([...args, '--db', db], c.ctx);
  return { code, stdout: c.out(), stderr: c.err() };
}

/** Stores a completed run whose final model is a fresh network of `spec`, with its learned scalars moved. */
function storeModel(spec: ModelSpec, seed: number): string {
  const net = Network.create(spec, Rng.fromSeed(seed));
  const arrays = net.toArrays();
  net.dispose();
  moveScalars(spec, arrays, seed);
  const config = presetConfig('quick');
  config.model = spec;
  config.dataset = { name: data };
  return storeRun(config, encodeArrays(arrays, { kind: 'model', spec, epoch: 1 }));
}

function moveScalars(spec: ModelSpec, arrays: NamedArray[], seed: number): void {
  const jitter = Rng.fromSeed(seed + 1000);
  for (const a of arrays) {
    const l = Number(a.name.split('.')[1]);
    // spiking: positive biases keep every layer (output included) firing now and then, so resets matter
    if (spec.spiking && a.name.startsWith('bias.')) a.data.forEach((_, k) => (a.data[k] = jitter.uniform(0.05, 0.45)));
    if (a.name.startsWith('gap.')) a.data[0] = 0.6 + 0.3 * l;
    if (a.name.startsWith('dist.')) a.data[0] = a.data[0] * (1.1 + 0.2 * l); // learned kernel parameters moved too
    if (a.name.startsWith('beta.')) a.data[0] = l === 1 ? 1.2 : 0.7; // 1.2: the forward pass clamps it to 1
    if (a.name.startsWith('threshold.')) a.data[0] = 0.5 + 0.25 * l;
  }
}

function storeRun(config: RunConfig, finalModel: Uint8Array): string {
  const store = RunStore.open(db);
  try {
    const id = store.createRun({ config, backend: 'cpu', params: 1 }).id;
    store.finishRun(id, 'completed', { finalModel });
    return id;
  } finally {
    store.close();
  }
}

/** export-model, predict --json and the independent forward of one stored run. */
async function exportAndPredict(id: string): Promise<{ doc: ExportDoc; engine: number[][]; ours: number[][] }> {
  const file = join(dir, `${id}.json`);
  const exported = await cli(['export-model', '--run', id, '--out', file]);
  expect(exported.stderr).toContain('wrote');
  expect(exported.code).toBe(0);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as ExportDoc;
  const predicted = await cli(['predict', '--run', id, '--count', String(COUNT), '--json']);
  expect(predicted.code, predicted.stderr).toBe(0);
  const engine = (JSON.parse(predicted.stdout) as { logits: number[][] }).logits;
  const x = pixels.slice(0, COUNT).map((img) => img.map((p) => Math.fround(p / 255)));
  return { doc, engine, ours: exportLogits(doc, x) };
}

/** Every logit within 1e-4 of the largest |logit| of its image. */
function expectClose(ours: number[][], engine: number[][]): void {
  expect(ours).toHaveLength(engine.length);
  for (let b = 0; b < engine.length; b++) {
    const scale = Math.max(...engine[b].map(Math.abs), 1e-6);
    for (let j = 0; j < engine[b].length; j++) {
      expect(
        Math.abs(ours[b][j] - engine[b][j]),
        `image ${b} class ${j}: ${ours[b][j]} vs ${engine[b][j]}`,
      ).toBeLessThanOrEqual(1e-4 * scale);
    }
  }
}

const spatial = (layers: number[], over: Parameters<typeof spatialSpec>[1]) => spatialSpec(layers, over);
const snn = (over: Partial<SpikingSpec>): SpikingSpec => spikingSpec({ timeSteps: 8, ...over });

const CASES: [string, ModelSpec][] = [
  ['spatial fixed-gap d=2 relu', spatial([64, 12, 8, 10], { dim: 2, zMode: 'fixed-gap', hiddenActivation: 'relu' })],
  ['spatial learned-gap d=3 tanh', spatial([64, 12, 10], { dim: 3, zMode: 'learned-gap', hiddenActivation: 'tanh' })],
  [
    'spatial relaxed d=4 eps sigmoid',
    spatial([64, 12, 8, 10], { dim: 4, zMode: 'relaxed', distanceEpsilon: 0.05, hiddenActivation: 'sigmoid' }),
  ],
  ['dense relu', { ...denseSpec([64, 12, 8, 10]), hiddenActivation: 'relu' }],
  ['spatial power kernel p=1.5, fixed', spatial([64, 12, 10], { distance: 'power', distancePower: 1.5 })],
  [
    'spatial power kernel, p learned',
    spatial([64, 12, 8, 10], { distance: 'power', distancePower: 1.5, learnDistance: true }),
  ],
  [
    'spatial exponential kernel, lambda learned, relaxed',
    spatial([64, 12, 10], {
      zMode: 'relaxed',
      distanceEpsilon: 0.05,
      initSpread: 1.5,
      distance: 'exponential',
      distanceScale: 2,
      learnDistance: true,
    }),
  ],
  [
    'spatial gaussian kernel sigma=2, fixed',
    spatial([64, 12, 10], { initSpread: 1.5, distance: 'gaussian', distanceScale: 2 }),
  ],
  [
    'spiking spatial exponential kernel, lambda learned',
    spatial([64, 12, 10], {
      initSpread: 1.5,
      distance: 'exponential',
      distanceScale: 2,
      learnDistance: true,
      spiking: snn({}),
    }),
  ],
  ['dense tanh, no hidden layer', { ...denseSpec([64, 10]), hiddenActivation: 'tanh' }],
  ['spiking spatial learned-gap: subtract, direct, membrane-sum', spatial([64, 12, 8, 10], { spiking: snn({}) })],
  [
    'spiking dense: zero, rate, spike-count',
    denseSpec([64, 12, 8, 10], snn({ reset: 'zero', encoding: 'rate', decoding: 'spike-count' })),
  ],
  [
    'spiking spatial relaxed: learned beta+threshold, subtract, rate, membrane-sum',
    spatial([64, 12, 8, 10], {
      zMode: 'relaxed',
      distanceEpsilon: 0.05,
      spiking: snn({ learnBeta: true, learnThreshold: true, encoding: 'rate' }),
    }),
  ],
  [
    'spiking dense: learned beta, zero, direct, membrane-sum',
    denseSpec([64, 12, 8, 10], snn({ learnBeta: true, reset: 'zero' })),
  ],
  [
    'spiking spatial fixed-gap: learned threshold, subtract, direct, spike-count',
    spatial([64, 12, 10], {
      zMode: 'fixed-gap',
      spiking: snn({ learnThreshold: true, decoding: 'spike-count', threshold: 0.8 }),
    }),
  ],
  [
    'spiking dense: learned beta+threshold, zero, rate, spike-count',
    denseSpec(
      [64, 12, 8, 10],
      snn({ learnBeta: true, learnThreshold: true, reset: 'zero', encoding: 'rate', decoding: 'spike-count' }),
    ),
  ],
];

beforeAll(async () => {
  await initBackend();
  pixels = writeData();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an independent forward pass from the export equals predict', () => {
  it.each(CASES.map((c, i) => [c[0], c[1], i] as const))('%s', async (_name, spec, i) => {
    const { engine, ours } = await exportAndPredict(storeModel(spec, 10 + i));
    expectClose(ours, engine);
    if (spec.spiking) {
      // not degenerate: in every layer (output included) some neurons spike, not all of them all the time
      lastSpikeStats.spikes.forEach((count, l) => {
        expect(count, `spikes of layer ${l + 1}`).toBeGreaterThan(0);
        expect(count, `spikes of layer ${l + 1}`).toBeLessThan(lastSpikeStats.slots[l]);
      });
    }
  });
});

describe('a model trained with pruning', () => {
  it('has no pruning masks in its final model: the export (every learned parameter, nothing else) equals predict', async () => {
    const config = presetConfig('quick');
    config.model = spatial([64, 12, 10], { zMode: 'learned-gap' });
    config.dataset = { name: data };
    config.training = { ...config.training, epochs: 1, batchSize: 2 };
    config.pruning = { rate: 0.5, scope: 'global', schedule: 'constant' };
    const trained = await trainModel({ config, data: loadDataset({ name: data }) });
    const id = storeRun(config, trained.finalModel);
    const { doc, engine, ours } = await exportAndPredict(id);
    expect(Object.keys(doc.params)).toEqual([
      'pos.0',
      'gap.0',
      'inhib.0',
      'pos.1',
      'gap.1',
      'inhib.1',
      'bias.1',
      'pos.2',
      'bias.2',
    ]);
    expectClose(ours, engine);
  });
});

describe('predict and export-model on bad input', () => {
  it('an unknown run id and a run without a final model give clear errors (exit 1)', async () => {
    for (const cmd of [
      ['predict', '--run', 'rnothere0'],
      ['export-model', '--run', 'rnothere0', '--out', join(dir, 'x.json')],
    ]) {
      const r = await cli(cmd);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("no run with id 'rnothere0'");
    }
    const store = RunStore.open(db);
    const config = presetConfig('quick');
    config.dataset = { name: data };
    config.model = denseSpec([64, 10]);
    const id = store.createRun({ config, backend: 'cpu', params: 1 }).id;
    store.finishRun(id, 'failed', { error: 'boom' });
    store.close();
    for (const cmd of [
      ['predict', '--run', id],
      ['export-model', '--run', id, '--out', join(dir, 'y.json')],
    ]) {
      const r = await cli(cmd);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`run ${id} has no final model (status failed)`);
    }
  });
});
