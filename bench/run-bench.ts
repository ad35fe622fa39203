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
  /** the spatial weight kernel, or 'simd' for the WebAssembly engine; null for dense models on tfjs */
  kernel: SpatialKernelName | null;
  /** threads the training used (the simd engine's worker threads + the caller; 1 for tfjs) */
  threads: number;
  /** simulation steps per image of a spiking model; null for non-spiking models */
  timeSteps: number | null;
  params: number;
  batchSize: number;
  batches: number;
}

export interface BenchOptions {
  presets: string[];
  /** measured batches; null: measuredBatches' default (enough for MIN_IMAGES images, at least 10) */
  batches: number | null;
  /** warm-up batches, trained and discarded first (default 2) */
  warmup: number;
  kernel?: SpatialKernelName;
  /** also run the PyTorch references, paired and interleaved, `pairs` times (0: off) */
  pairs: number;
}

/**
 * Images a measurement trains at the least by default: 10 batches of 100 (quick) take ~0.1 s, too short
 * to time against a process's start-up and the first, slower steps; 10 batches of 600 are 6,000.
 */
export const MIN_IMAGES = 6000;

/** The batches to time for a batch size: `batches` when given, else enough for MIN_IMAGES images (>= 10). */
export function measuredBatches(batches: number | null, batchSize: number): number {
  return batches ?? Math.max(10, Math.ceil(MIN_IMAGES / batchSize));
}

export const DEFAULT_PRESETS = ['quick', 'paper-3d', 'baseline-2048', 'snn-quick', 'paper-snn-3d'];

const USAGE = `Usage: npm run bench -- [--presets a,b] [--batches N] [--warmup N] [--kernel fused|tfjs|simd] [--json]
                           [--compare-torch [--pairs N]]
       sen-lab bench [same options]

Measures training throughput (samples/s, ms per step) per preset on MNIST, each preset in a
fresh process: --warmup batches (default 2) untimed, then --batches timed (default: enough for
${MIN_IMAGES} images and at least 10 batches: 60 of 100 for quick, 10 of 600 for the paper networks).
Default presets: ${DEFAULT_PRESETS.join(', ')}. SEN_LAB_BACKEND=wasm|cpu forces a tfjs backend;
SEN_LAB_THREADS=N sets the simd engine's threads (default min(2, cores)).
--compare-torch also trains the same networks with the PyTorch references
(../shared/bench/torch_reference_*.py, found above the repository or at $SEN_LAB_TORCH_BENCH; needs
/usr/bin/python3 with torch) in the same run, ours and PyTorch alternating, N pairs (default 3),
and prints ours/PyTorch as the median of the pair ratios.
Where the optional @tensorflow/tfjs-node loads (native TensorFlow), every preset is measured a second
time on it (the TensorFlow.js engine, kernel fused) and both lines are printed, ratios included;
--kernel measures that kernel only.
`;

/** Train `preset` in this process and measure it. */
export async function benchPreset(preset: string, opts: Omit<BenchOptions, 'presets'>): Promise<BenchResult> {
  const [{ presetConfig }, { countParams }, { loadDataset }, { trainModel }, { usesSimdEngine }, { engineThreads }] =
    await Promise.all([
      import('../src/core/model/presets'),
      import('../src/core/model/param-count'),
      import('../src/core/data/index'),
      import('../src/core/train/trainer'),
      import('../src/core/train/engines'),
      import('../src/core/engine/model'),
    ]);
  const config = presetConfig(preset);
  if (opts.kernel) config.kernel = opts.kernel;
  const bs = config.training.batchSize;
  const batches = measuredBatches(opts.batches, bs);
  const data = loadDataset({ name: config.dataset.name, trainSize: bs * (opts.warmup + batches), testSize: 100 });
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
  const result = await trainModel({ config: oneEpoch, data: subset(batches) });
  const ms = result.epochs[0].durationMs; // training time of the epoch, evaluation excluded
  return {
    preset,
    samplesPerSec: round((batches * bs * 1000) / ms, 1),
    msPerStep: round(ms / batches, 2),
    backend: result.backend,
    peakRssMB: round(process.resourceUsage().maxRSS / 1024, 1),
    kernel: config.model.kind === 'spatial' || usesSimdEngine(config) ? config.kernel : null,
    threads: usesSimdEngine(config) ? engineThreads() : 1,
    timeSteps: config.model.spiking?.timeSteps ?? null,
    params: countParams(config.model),
    batchSize: bs,
    batches,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** What one benchmark child trains with: our default engine, or TensorFlow.js on native TensorFlow. */
interface Variant {
  label: string;
  kernel?: SpatialKernelName;
  env?: Record<string, string>;
}
const OURS: Variant = { label: 'ours' };
/** the tfjs engine (kernel 'fused') on @tensorflow/tfjs-node, benchmarked beside ours where it loads */
const NATIVE: Variant = { label: 'tfjs-node', kernel: 'fused', env: { SEN_LAB_BACKEND: 'tensorflow' } };

/**
 * Whether native TensorFlow (@tensorflow/tfjs-node, an optional dependency that needs libtensorflow
 * downloaded at install) loads here; checked in a child so this process stays light.
 */
function nativeTfjsLoads(): Promise<boolean> {
  const code = "import('@tensorflow/tfjs-node').then(() => process.exit(0), () => process.exit(1))";
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
      stdio: 'ignore',
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    child.on('error', () => resolvePromise(false));
    child.on('close', (c) => resolvePromise(c === 0));
  });
}

/** The variants to measure: ours, and tfjs-node too where it loads (unless --kernel chose one). */
async function variants(opts: BenchOptions, err: NodeJS.WritableStream): Promise<Variant[]> {
  if (opts.kernel) return [OURS];
  if (await nativeTfjsLoads()) return [OURS, NATIVE];
  err.write(
    "bench: native TensorFlow (@tensorflow/tfjs-node, optional) does not load here: only SEN Lab's engine is measured\n",
  );
  return [OURS];
}

/** Run one preset in a child process and parse its JSON line. */
function benchInChild(
  preset: string,
  opts: Omit<BenchOptions, 'presets'>,
  variant: Variant = OURS,
): Promise<BenchResult> {
  const bin = fileURLToPath(new URL('../bin/bench.mjs', import.meta.url));
  const args = [bin, '--child', preset, '--warmup', String(opts.warmup)];
  if (opts.batches !== null) args.push('--batches', String(opts.batches));
  const kernel = variant.kernel ?? opts.kernel;
  if (kernel) args.push('--kernel', kernel);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...variant.env },
    });
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
  for (const cells of [header, ...rows])
    out.write(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ') + '\n');
}

/**
 * Command-line entry (bin/bench.mjs and `sen-lab bench`). Resolves with the exit status.
 */
export async function benchMain(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
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
        'compare-torch': { type: 'boolean' },
        pairs: { type: 'string' },
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
  const { findPreset, PRESETS, presetConfig } = await import('../src/core/model/presets');
  const batchesOf = (preset: string): number => measuredBatches(opts.batches, presetConfig(preset).training.batchSize);
  const unknown = [...opts.presets, ...(typeof values.child === 'string' ? [values.child] : [])].filter(
    (p) => !findPreset(p),
  );
  if (unknown.length) {
    err.write(`bench: unknown preset ${unknown.join(', ')}; known: ${PRESETS.map((p) => p.name).join(', ')}\n`);
    return 2;
  }
  if (typeof values.child === 'string') {
    out.write(JSON.stringify(await benchPreset(values.child, opts)) + '\n');
    return 0;
  }
  if (opts.pairs > 0) return compareTorch(opts, Boolean(values.json), out, err);
  const results: BenchResult[] = [];
  const kinds = await variants(opts, err);
  for (const preset of opts.presets) {
    for (const v of kinds) {
      if (!values.json)
        err.write(`benchmarking ${preset}, ${v.label} (${opts.warmup} warm-up + ${batchesOf(preset)} batches)...\n`);
      const r = await benchInChild(preset, opts, v);
      results.push(r);
      if (values.json) out.write(JSON.stringify(r) + '\n');
    }
  }
  if (!values.json) printTable(results, out);
  return 0;
}

function parseOptions(
  v: Record<string, string | boolean | undefined>,
  err: NodeJS.WritableStream,
): BenchOptions | null {
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
  const batches = v.batches === undefined ? null : intOf('batches', 10, 1);
  const warmup = intOf('warmup', 2, 0);
  const pairs = v['compare-torch'] ? intOf('pairs', 3, 1) : 0;
  if ((v.batches !== undefined && batches === null) || warmup === null || pairs === null) return null;
  if (v.pairs !== undefined && !v['compare-torch']) {
    err.write(`bench: --pairs needs --compare-torch\n\n${USAGE}`);
    return null;
  }
  const kernel = v.kernel as SpatialKernelName | undefined;
  if (kernel !== undefined && kernel !== 'fused' && kernel !== 'tfjs' && kernel !== 'simd') {
    err.write(`bench: invalid --kernel: expected fused, tfjs or simd, got '${kernel}'\n\n${USAGE}`);
    return null;
  }
  const presets =
    typeof v.presets === 'string'
      ? v.presets
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : DEFAULT_PRESETS;
  return { presets, batches, warmup, kernel, pairs };
}

/** One preset's paired comparison with PyTorch. */
interface TorchPair {
  preset: string;
  ours: BenchResult[];
  torch: number[];
  /** the tfjs-node engine's figures of the same rounds, where it loads */
  native: BenchResult[];
}

/**
 * --compare-torch: for each of `pairs` rounds, every preset once with our engine then once with its
 * PyTorch reference (same images per epoch), then the table of medians and ratios.
 */
async function compareTorch(
  opts: BenchOptions,
  json: boolean,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const { findTorchBench, torchMissing, torchShape, runTorch, median, PYTHON } = await import('./torch-compare');
  const { presetConfig } = await import('../src/core/model/presets');
  const { mnistDir } = await import('../src/core/data/datasets');
  const dir = findTorchBench();
  if (!dir) {
    err.write(
      'bench: --compare-torch: the PyTorch references (shared/bench/torch_reference_train.py) were not found above the repository; set SEN_LAB_TORCH_BENCH to their folder\n',
    );
    return 1;
  }
  const missing = torchMissing();
  if (missing) {
    err.write(`bench: --compare-torch: ${missing}\n`);
    return 1;
  }
  const kinds = await variants(opts, err);
  const rows: TorchPair[] = opts.presets.map((preset) => ({ preset, ours: [], torch: [], native: [] }));
  for (let round = 1; round <= opts.pairs; round++) {
    for (const row of rows) {
      const config = presetConfig(row.preset);
      const shape = torchShape(
        config,
        config.training.batchSize * measuredBatches(opts.batches, config.training.batchSize),
      );
      err.write(
        `pair ${round}/${opts.pairs}: ${row.preset} (ours${shape ? ', then PyTorch' : '; no PyTorch reference'})...\n`,
      );
      const r = await benchInChild(row.preset, opts);
      row.ours.push(r);
      if (json) out.write(JSON.stringify({ ...r, pair: round }) + '\n');
      if (kinds.includes(NATIVE)) {
        const n = await benchInChild(row.preset, opts, NATIVE);
        row.native.push(n);
        if (json) out.write(JSON.stringify({ ...n, pair: round }) + '\n');
      }
      if (!shape) continue;
      const t = await runTorch(dir, mnistDir(), shape);
      row.torch.push(t);
      if (json)
        out.write(
          JSON.stringify({
            preset: row.preset,
            reference: 'pytorch',
            script: shape.script,
            samplesPerSec: t,
            pair: round,
          }) + '\n',
        );
    }
  }
  const header = [
    'PRESET',
    'KERNEL',
    'THREADS',
    'OURS SAMPLES/S',
    'PYTORCH SAMPLES/S',
    'RATIO (MEDIAN OF PAIRS)',
    'PAIR RATIOS',
  ];
  // one line per preset and engine; each ratio is against PyTorch's figure of the same round
  const line = (row: TorchPair, runs: BenchResult[], label: string): string[] => {
    const ratios = row.torch.map((t, i) => runs[i].samplesPerSec / t);
    return [
      row.preset,
      label,
      String(runs[0].threads),
      median(runs.map((r) => r.samplesPerSec)).toFixed(0),
      row.torch.length ? median(row.torch).toFixed(0) : '-',
      ratios.length ? `${median(ratios).toFixed(2)}x` : '-',
      ratios.map((x) => x.toFixed(2)).join(' '),
    ];
  };
  const table = rows.flatMap((row) => [
    line(row, row.ours, row.ours[0].kernel ?? '-'),
    ...(row.native.length ? [line(row, row.native, `fused (${row.native[0].backend})`)] : []),
  ]);
  const sink = json ? err : out;
  sink.write(
    `PyTorch: ${PYTHON} ${dir}/torch_reference_*.py (2 threads); ${opts.pairs} pairs, ${opts.batches ?? `>= ${MIN_IMAGES} images (>= 10 batches)`} each\n`,
  );
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const cells of [header, ...table])
    sink.write(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ') + '\n');
  return 0;
}
