/**
 * Training-throughput benchmark: for each preset, train a few warm-up batches, then time a fixed
 * number of batches of the preset's batch size on real MNIST (in-process `trainModel`).
 *
 * Each preset runs in its own child process (`bin/bench.mjs --child NAME`), so peak RSS and the
 * TensorFlow.js backend state belong to that model alone. Never part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { SpatialKernelName } from '../src/shared/run-config';

/** One benchmark line. */
export interface BenchResult {
  preset: string;
  samplesPerSec: number;
  msPerStep: number;
  backend: string;
  peakRssMB: number;
  /** the spatial weight kernel; null for dense models */
  kernel: SpatialKernelName | null;
  /** simulation steps per image of a spiking model; null for non-spiking models */
  timeSteps: number | null;
  params: number;
  batchSize: number;
  batches: number;
}

export interface BenchOptions {
  presets: string[];
  /** measured batches (default 10) */
  batches: number;
  /** warm-up batches, trained and discarded first (default 2) */
  warmup: number;
  kernel?: SpatialKernelName;
}

export const DEFAULT_PRESETS = ['quick', 'paper-3d', 'baseline-2048', 'snn-quick', 'paper-snn-3d'];

const USAGE = `Usage: npm run bench -- [--presets a,b] [--batches N] [--warmup N] [--kernel fused|tfjs] [--json]
       sen-lab bench [same options]

Measures training throughput (samples/s, ms per step) per preset on MNIST, each preset in a
fresh process. Default presets: ${DEFAULT_PRESETS.join(', ')}. SEN_LAB_BACKEND=wasm|cpu forces a backend.
`;

/** Train `preset` in this process and measure it. */
export async function benchPreset(preset: string, opts: Omit<BenchOptions, 'presets'>): Promise<BenchResult> {
  const [{ presetConfig }, { countParams }, { loadDataset }, { trainModel }] = await Promise.all([
    import('../src/core/model/presets'),
    import('../src/core/model/param-count'),
    import('../src/core/data/index'),
    import('../src/core/train/trainer'),
  ]);
  const config = presetConfig(preset);
  if (opts.kernel) config.kernel = opts.kernel;
  const bs = config.training.batchSize;
  const data = loadDataset({ name: config.dataset.name, trainSize: bs * (opts.warmup + opts.batches), testSize: 100 });
  const subset = (batches: number): typeof data => ({
    ...data,
    train: {
      count: batches * bs,
      images: data.train.images.subarray(0, batches * bs * data.rows * data.cols),
      labels: data.train.labels.subarray(0, batches * bs),
    },
  });
  const oneEpoch = { ...config, training: { ...config.training, epochs: 1 }, snapshotEvery: 1_000_000 };
  if (opts.warmup > 0) await trainModel({ config: oneEpoch, data: subset(opts.warmup) });
  const result = await trainModel({ config: oneEpoch, data: subset(opts.batches) });
  const ms = result.epochs[0].durationMs; // training time of the epoch, evaluation excluded
  return {
    preset,
    samplesPerSec: round((opts.batches * bs * 1000) / ms, 1),
    msPerStep: round(ms / opts.batches, 2),
    backend: result.backend,
    peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
    kernel: config.model.kind === 'spatial' ? config.kernel : null,
    timeSteps: config.model.spiking?.timeSteps ?? null,
    params: countParams(config.model),
    batchSize: bs,
    batches: opts.batches,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Run one preset in a child process and parse its JSON line. */
function benchInChild(preset: string, opts: Omit<BenchOptions, 'presets'>): Promise<BenchResult> {
  const bin = fileURLToPath(new URL('../bin/bench.mjs', import.meta.url));
  const args = [bin, '--child', preset, '--batches', String(opts.batches), '--warmup', String(opts.warmup)];
  if (opts.kernel) args.push('--kernel', opts.kernel);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`benchmark of ${preset} failed (exit ${code})`));
      else resolvePromise(JSON.parse(line) as BenchResult);
    });
  });
}

function printTable(results: BenchResult[], out: NodeJS.WritableStream): void {
  const header = ['PRESET', 'PARAMS', 'BATCH', 'T', 'BACKEND', 'KERNEL', 'SAMPLES/S', 'MS/STEP', 'PEAK RSS'];
  const rows = results.map((r) => [
    r.preset,
    r.params.toLocaleString('en-US'),
    String(r.batchSize),
    r.timeSteps === null ? '-' : String(r.timeSteps),
    r.backend,
    r.kernel ?? '-',
    r.samplesPerSec.toLocaleString('en-US', { maximumFractionDigits: 0 }),
    r.msPerStep.toFixed(1),
    `${r.peakRssMB.toFixed(0)} MB`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const cells of [header, ...rows]) out.write(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ') + '\n');
}

/**
 * Command-line entry (bin/bench.mjs and `sen-lab bench`). Resolves with the exit status.
 */
export async function benchMain(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        presets: { type: 'string' },
        batches: { type: 'string' },
        warmup: { type: 'string' },
        kernel: { type: 'string' },
        json: { type: 'boolean' },
        child: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    err.write(`bench: ${(e as Error).message.split('\n')[0]}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.write(USAGE);
    return 0;
  }
  const opts = parseOptions(values, err);
  if (!opts) return 2;
  const { findPreset, PRESETS } = await import('../src/core/model/presets');
  const unknown = [...opts.presets, ...(typeof values.child === 'string' ? [values.child] : [])].filter((p) => !findPreset(p));
  if (unknown.length) {
    err.write(`bench: unknown preset ${unknown.join(', ')}; known: ${PRESETS.map((p) => p.name).join(', ')}\n`);
    return 2;
  }
  if (typeof values.child === 'string') {
    out.write(JSON.stringify(await benchPreset(values.child, opts)) + '\n');
    return 0;
  }
  const results: BenchResult[] = [];
  for (const preset of opts.presets) {
    if (!values.json) err.write(`benchmarking ${preset} (${opts.warmup} warm-up + ${opts.batches} batches)...\n`);
    const r = await benchInChild(preset, opts);
    results.push(r);
    if (values.json) out.write(JSON.stringify(r) + '\n');
  }
  if (!values.json) printTable(results, out);
  return 0;
}

function parseOptions(v: Record<string, string | boolean | undefined>, err: NodeJS.WritableStream): BenchOptions | null {
  const intOf = (name: string, fallback: number, min: number): number | null => {
    const raw = v[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) {
      err.write(`bench: invalid --${name}: expected an integer >= ${min}, got '${String(raw)}'\n\n${USAGE}`);
      return null;
    }
    return n;
  };
  const batches = intOf('batches', 10, 1);
  const warmup = intOf('warmup', 2, 0);
  if (batches === null || warmup === null) return null;
  const kernel = v.kernel as SpatialKernelName | undefined;
  if (kernel !== undefined && kernel !== 'fused' && kernel !== 'tfjs') {
    err.write(`bench: invalid --kernel: expected fused or tfjs, got '${kernel}'\n\n${USAGE}`);
    return null;
  }
  const presets = typeof v.presets === 'string' ? v.presets.split(',').map((s) => s.trim()).filter(Boolean) : DEFAULT_PRESETS;
  return { presets, batches, warmup, kernel };
}
