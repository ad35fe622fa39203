/**
 * The declarative experiment list against the paper (numbers copied from docs/paper-spec.md),
 * exact parameter counts, the parameter matching of the dimension table, and the budget math.
 */
import { describe, expect, it } from 'vitest';
import {
  DIMS,
  EXPERIMENTS,
  PRUNING,
  SNN,
  TABLE1,
  deviations,
  rowConfig,
  rowParams,
  scaledEpochs,
  selectExperiments,
  seedStats,
  type AccuracyExperiment,
} from '../../src/core/reproduce/index';

const row = (e: AccuracyExperiment, id: string) => {
  const r = e.rows.find((x) => x.id === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
};

describe('the paper experiment list', () => {
  it('has Table 1 with the paper values and exact parameter counts', () => {
    expect(TABLE1.rows.map((r) => r.id)).toEqual([
      'paper-3d',
      'paper-fixed-gap',
      'paper-relaxed',
      'baseline-14',
      'baseline-17',
      'baseline-2048',
    ]);
    expect(row(TABLE1, 'paper-3d').paper).toEqual({ mean: 0.9217, std: 0.0024 });
    expect(row(TABLE1, 'paper-fixed-gap').paper).toEqual({ mean: 0.9018, std: 0.0042 });
    expect(row(TABLE1, 'paper-relaxed').paper).toEqual({ mean: 0.9337, std: 0.004 });
    expect(row(TABLE1, 'baseline-2048').paper).toEqual({ mean: 0.9745, std: 0.0003 });
    const counts = {
      'paper-3d': 10576,
      'paper-fixed-gap': 10574,
      'paper-relaxed': 13416,
      'baseline-14': 11140,
      'baseline-17': 13525,
      'baseline-2048': 1628170,
    };
    for (const [id, n] of Object.entries(counts)) {
      expect(row(TABLE1, id).paperParams, id).toBe(n);
      expect(rowParams(row(TABLE1, id)), id).toBe(n);
    }
    expect(TABLE1.paperEpochs).toBe(300);
    expect(TABLE1.rows.filter((r) => r.embedding).map((r) => r.id)).toEqual(['paper-3d']);
  });

  it('has the SNN table with its values, counts and 200 epochs', () => {
    expect(SNN.paperEpochs).toBe(200);
    expect(row(SNN, 'paper-snn-3d').paper).toEqual({ mean: 0.9216, std: 0.0052 });
    expect(row(SNN, 'snn-baseline-14').paper).toEqual({ mean: 0.9031, std: 0.0088 });
    expect(row(SNN, 'snn-baseline-2048').paper).toEqual({ mean: 0.9525, std: 0.0013 });
    for (const r of SNN.rows) expect(rowParams(r), r.id).toBe(r.paperParams);
    expect(rowConfig(row(SNN, 'paper-snn-3d'), 1, {}).training.epochs).toBe(200);
  });

  it('has the embedding dimensions with parameter-matched dense baselines (within 3 %)', () => {
    const pairs: [string, number, string, number, number][] = [
      ['paper-5d', 0.94, 'baseline-20', 0.953, 20],
      ['paper-8d', 0.952, 'baseline-32', 0.961, 32],
      ['paper-16d', 0.958, 'baseline-60', 0.967, 60],
      ['paper-32d', 0.957, 'baseline-117', 0.971, 117],
    ];
    for (const [sen, senAcc, base, baseAcc, h] of pairs) {
      expect(row(DIMS, sen).paper.mean).toBe(senAcc);
      expect(row(DIMS, base).paper.mean).toBe(baseAcc);
      expect(row(DIMS, base).matchedTo).toBe(sen);
      const config = rowConfig(row(DIMS, base), 2, {});
      expect(config.model).toMatchObject({ kind: 'dense', layers: [784, h, 10] });
      expect(config.training).toMatchObject({ learningRate: 0.001, seed: 2, epochs: 300 });
      const ratio = rowParams(row(DIMS, base)) / rowParams(row(DIMS, sen));
      expect(Math.abs(ratio - 1), `${base} vs ${sen}: ${ratio}`).toBeLessThan(0.03);
    }
    // exact counts: d-1 learned coordinates for all 2842 neurons + 2058 biases + 2832 masks + 2 gaps
    expect([5, 8, 16, 32].map((d) => rowParams(row(DIMS, `paper-${d}d`)))).toEqual([16260, 24786, 47522, 92994]);
    expect([20, 32, 60, 117].map((h) => rowParams(row(DIMS, `baseline-${h}`)))).toEqual([15910, 25450, 47710, 93025]);
  });

  it('has Fig. 3 with the paper values at 20..95 %', () => {
    expect(PRUNING.rates).toEqual([0.2, 0.4, 0.6, 0.8, 0.9, 0.95]);
    expect(PRUNING.models.map((m) => [m.label, m.preset])).toEqual([
      ['3D', 'paper-3d'],
      ['B14', 'baseline-14'],
      ['B2048', 'baseline-2048'],
    ]);
    expect(PRUNING.models[0].paper.post[0]).toBe(0.803);
    expect(PRUNING.models[0].paper.during[5]).toBe(0.826);
    expect(PRUNING.models[1].paper.during[4]).toBe(0.641);
    expect(PRUNING.models[2].paper.post[5]).toBe(0.272);
    for (const m of PRUNING.models) expect([m.paper.post.length, m.paper.during.length]).toEqual([6, 6]);
    expect(EXPERIMENTS.map((e) => e.id)).toEqual(['table1', 'dims', 'snn', 'pruning']);
  });

  it('selects experiments and filters models, refusing unknown ones', () => {
    const [t] = selectExperiments({ experiments: ['table1'], models: ['baseline-14', 'paper-3d'] });
    expect(t.kind === 'accuracy' && t.rows.map((r) => r.id)).toEqual(['paper-3d', 'baseline-14']);
    expect(() => selectExperiments({ experiments: ['fig9'] })).toThrow(/unknown experiment "fig9"/);
    expect(() => selectExperiments({ experiments: ['table1'], models: ['nope'] })).toThrow(/unknown model "nope"/);
  });
});

describe('budget', () => {
  it('scales epochs to max(1, round(F x epochs)) or sets them outright', () => {
    expect(scaledEpochs(300, {})).toBe(300);
    expect(scaledEpochs(300, { fraction: 1 })).toBe(300);
    expect(scaledEpochs(300, { fraction: 0.01 })).toBe(3);
    expect(scaledEpochs(200, { fraction: 0.01 })).toBe(2);
    expect(scaledEpochs(300, { fraction: 0.005 })).toBe(2); // 1.5 rounds up
    expect(scaledEpochs(200, { fraction: 0.001 })).toBe(1); // never below 1
    expect(scaledEpochs(300, { fraction: 0.1 })).toBe(30);
    expect(scaledEpochs(300, { epochs: 7, fraction: 0.5 })).toBe(7);
    expect(() => scaledEpochs(300, { fraction: 0 })).toThrow(RangeError);
    expect(() => scaledEpochs(300, { fraction: 1.5 })).toThrow(RangeError);
    expect(() => scaledEpochs(300, { epochs: 0 })).toThrow(RangeError);
    expect(rowConfig(TABLE1.rows[0], 3, { fraction: 0.01, trainSize: 500 })).toMatchObject({
      training: { epochs: 3, seed: 3 },
      dataset: { name: 'mnist', trainSize: 500 },
    });
  });

  it('labels shortened results', () => {
    expect(deviations({}, [300, 200])).toEqual([]);
    expect(deviations({ fraction: 0.01 }, [300, 200])).toEqual(['shortened: 3/2 epochs instead of 300/200']);
    expect(deviations({ epochs: 1, trainSize: 1000, testSize: 10000 }, [300])).toEqual([
      'shortened: 1 epoch instead of 300',
      'shortened: trained on the first 1,000 of 60,000 training images',
    ]);
  });

  it('computes mean and sample std over seeds', () => {
    expect(seedStats([])).toBeNull();
    expect(seedStats([0.9])).toEqual({ mean: 0.9, std: null, n: 1 });
    const s = seedStats([0.9, 0.92, 0.94])!;
    expect(s.mean).toBeCloseTo(0.92, 12);
    expect(s.std).toBeCloseTo(0.02, 12);
    expect(s.n).toBe(3);
  });
});
