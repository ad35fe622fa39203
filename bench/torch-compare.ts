/**
 * `npm run bench -- --compare-torch`: the same presets trained by the shared PyTorch references
 * (torch_reference_train.py / torch_reference_snn.py, CPU, 2 threads) in the same run, paired and
 * interleaved with ours (ours, torch, ours, torch, ...), so both see the same machine load; the
 * ratio per preset is the median over the pairs of ours / torch samples per second.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * The folder holding the PyTorch reference scripts: $SEN_LAB_TORCH_BENCH, else `shared/bench` in the
 * repository's parent or any folder above it (CI: ../shared; a worktree: ../../shared). Null if none.
 */
export function findTorchBench(): string | null {
  const fromEnv = process.env.SEN_LAB_TORCH_BENCH;
  if (fromEnv) return existsSync(join(fromEnv, 'torch_reference_train.py')) ? resolve(fromEnv) : null;
  let dir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'bench');
    if (existsSync(join(candidate, 'torch_reference_train.py'))) return resolve(candidate);
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Null when `python -c "import torch"` works, else why not. */
export function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} could not run (${r.error.message})`;
  if (r.status !== 0)
    return `${PYTHON} has no torch (apt-get install python3-torch): ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

/** What a preset looks like to the references (hidden width, batch, spiking T, dense or spatial). */
export interface TorchShape {
  script: 'torch_reference_train.py' | 'torch_reference_snn.py';
  args: string[];
}

/**
 * The reference command for a preset's network, or null when there is none (the references have one
 * hidden layer, MNIST, 2D positions + a gap; spiking: spatial, direct coding, subtract reset).
 * The reference trains `images` images per epoch for 2 epochs (the first one warms up, like our warm-up batches).
 */
export function torchShape(
  config: {
    model: { kind: string; layers: number[]; zMode?: string; spiking?: { timeSteps: number } };
    training: { batchSize: number; learningRate: number };
    dataset: { name: string };
  },
  images: number,
): TorchShape | null {
  const { model, training } = config;
  if (config.dataset.name !== 'mnist' || model.layers.length !== 3) return null;
  const common = [
    '--hidden',
    String(model.layers[1]),
    '--batch',
    String(training.batchSize),
    '--train',
    String(images),
    '--test',
    '100',
    '--epochs',
    '2',
  ];
  if (model.spiking) {
    if (model.kind !== 'spatial') return null;
    return { script: 'torch_reference_snn.py', args: [...common, '--steps', String(model.spiking.timeSteps)] };
  }
  const kind =
    model.kind === 'dense'
      ? ['--model', 'dense']
      : ['--model', 'sen', ...(model.zMode === 'fixed-gap' ? ['--fixed-gap'] : [])];
  return { script: 'torch_reference_train.py', args: [...kind, ...common, '--lr', String(training.learningRate)] };
}

/** Runs one reference and returns its samples/s of the last epoch. */
export function runTorch(dir: string, dataDir: string, shape: TorchShape): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, [join(dir, shape.script), dataDir, ...shape.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const all = [...out.matchAll(/samples_per_s (\d+(?:\.\d+)?)/g)];
      if (code !== 0 || all.length === 0) {
        reject(new Error(`${shape.script} failed (exit ${code}): ${err.trim().split('\n').pop() ?? ''}`));
      } else resolvePromise(Number(all[all.length - 1][1]));
    });
  });
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
