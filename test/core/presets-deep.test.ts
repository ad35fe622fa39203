import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../src/core/config/index';
import { matchedDense } from '../../src/core/model/matched-dense';
import { countParams } from '../../src/core/model/param-count';
import { presetConfig, PRESETS } from '../../src/core/model/presets';
import { runCli } from '../cli/helpers';

describe('parameter-matched dense baselines', () => {
  it("reproduces the paper's choices: B14 is the smallest dense net not below the 3D MLP, B17 the closest to the relaxed one", () => {
    const m3d = matchedDense(presetConfig('paper-3d').model);
    expect(m3d.target).toBe(10_576);
    expect(m3d.atLeast).toMatchObject({ width: 14, params: 11_140 });
    expect(m3d.closest).toMatchObject({ width: 13, params: 10_345 });
    expect(matchedDense(presetConfig('paper-relaxed').model).closest).toMatchObject({ width: 17, params: 13_525 });
  });

  it('every depth-N-dense preset is the closest match of depth-N, with N hidden layers', () => {
    for (const n of [1, 2, 3]) {
      const spatial = presetConfig(`depth-${n}`).model;
      const dense = presetConfig(`depth-${n}-dense`).model;
      expect(spatial.layers).toHaveLength(n + 2);
      expect(dense.kind).toBe('dense');
      expect(dense.layers).toEqual(matchedDense(spatial).closest.layers);
      const m = matchedDense(spatial);
      // no other width is closer
      for (const w of [m.closest.width - 1, m.closest.width + 1]) {
        const other = countParams({ kind: 'dense', layers: [784, ...Array(n).fill(w), 10], hiddenActivation: 'relu' });
        expect(Math.abs(other - m.target)).toBeGreaterThanOrEqual(Math.abs(m.closest.params - m.target));
      }
    }
  });

  it('Fashion-MNIST versions keep the model and training of the MNIST presets', () => {
    for (const name of [
      'quick',
      'paper-3d',
      'paper-fixed-gap',
      'paper-relaxed',
      'baseline-14',
      'baseline-17',
      'baseline-2048',
    ]) {
      const f = presetConfig(`fashion-${name}`);
      const m = presetConfig(name);
      expect(f.dataset.name).toBe('fashion-mnist');
      expect(f.model).toEqual(m.model);
      expect(f.training).toEqual(m.training);
    }
  });

  it('every new preset validates unchanged', () => {
    for (const p of PRESETS.filter((x) => /^(depth-|fashion-)/.test(x.name)))
      expect(validateRunConfig(p.config)).toEqual(p.config);
  });

  it('sen-lab params --matched-dense prints the widths (and --json the numbers)', async () => {
    const text = await runCli(['params', '--matched-dense', 'paper-3d']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/closest dense: hidden width 13 -> 784-13-10, 10,345 parameters/);
    expect(text.stdout).toMatch(/at least as many: hidden width 14 -> 784-14-10, 11,140/);
    const json = await runCli(['params', '--matched-dense', 'depth-2', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      target: 3409,
      hiddenLayers: 2,
      closest: { width: 4, layers: [784, 4, 4, 10] },
    });
    const bad = await runCli(['params', '--matched-dense', 'paper-3d', '--dim', '4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/drop --dim/);
  });
});
