import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { benchMain, measuredBatches } from '../../bench/run-bench';
import { median, torchShape } from '../../bench/torch-compare';
import { presetConfig } from '../../src/core/model/presets';

/** The reference command a preset maps to (what --compare-torch runs next to it). */
const shape = (preset: string) => torchShape(presetConfig(preset), 6000);

async function bench(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; err: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  err.on('data', (d: Buffer) => (text += d.toString()));
  try {
    const code = await benchMain(argv, out, err);
    return { code, err: text };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('bench --compare-torch', () => {
  it('times at least 6,000 images by default (60 batches of 100, 10 of 600); --batches overrides', () => {
    expect(measuredBatches(null, presetConfig('quick').training.batchSize)).toBe(60);
    expect(measuredBatches(null, presetConfig('paper-3d').training.batchSize)).toBe(10);
    expect(measuredBatches(null, 10_000)).toBe(10);
    expect(measuredBatches(5, 100)).toBe(5);
  });

  it('maps each paper network to its PyTorch reference with the same width, batch and steps', () => {
    expect(shape('quick')).toEqual({
      script: 'torch_reference_train.py',
      args: [
        '--model',
        'sen',
        '--hidden',
        '128',
        '--batch',
        '100',
        '--train',
        '6000',
        '--test',
        '100',
        '--epochs',
        '2',
        '--lr',
        '0.005',
      ],
    });
    expect(shape('paper-3d')?.args.slice(0, 6)).toEqual(['--model', 'sen', '--hidden', '2048', '--batch', '600']);
    expect(shape('paper-fixed-gap')?.args).toContain('--fixed-gap');
    expect(shape('baseline-2048')?.args.slice(0, 4)).toEqual(['--model', 'dense', '--hidden', '2048']);
    expect(shape('paper-snn-3d')).toMatchObject({ script: 'torch_reference_snn.py' });
    expect(shape('paper-snn-3d')?.args.slice(-2)).toEqual(['--steps', '25']);
    expect(shape('snn-baseline-2048')).toBeNull(); // the SNN reference is spatial only
  });

  it('refuses --pairs without --compare-torch and an unknown kernel (usage errors)', async () => {
    expect((await bench(['--pairs', '2'])).code).toBe(2);
    const bad = await bench(['--kernel', 'avx']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('fused, tfjs or simd');
  });

  it('says clearly when the reference scripts are missing (exit 1, nothing run)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-torch-'));
    const r = await bench(['--compare-torch', '--presets', 'quick'], { SEN_LAB_TORCH_BENCH: empty });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PyTorch references .* were not found/);
  });

  it('ratios are medians of the pairs', () => {
    expect(median([2.1, 1.9, 2.5])).toBe(2.1);
    expect(median([1, 3])).toBe(2);
  });
});
