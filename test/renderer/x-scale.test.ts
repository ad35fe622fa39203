import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../src/shared/run-config';
import type { StepPoint } from '../../src/shared/step-history';
import {
  clockTime,
  compactTick,
  compareXScale,
  interpolate,
  runAnchors,
  runXScale,
  type ScaleRun,
} from '../../src/renderer/src/plots/x-scale';

/** a run of 10 batches of 50 images per epoch, each batch taking 0.5 s, a point every 5 steps */
function points(epochs: number): StepPoint[] {
  const out: StepPoint[] = [];
  for (let step = 5; step <= epochs * 10; step += 5) {
    const epoch = Math.ceil(step / 10);
    out.push({
      step,
      epoch,
      batch: step - (epoch - 1) * 10,
      samples: step * 50,
      timeMs: step * 500,
      loss: 1,
      accuracy: 0.5,
    });
  }
  return out;
}

const metrics = (epoch: number, durationMs: number): EpochMetrics => ({
  epoch,
  trainLoss: 1,
  trainAccuracy: 0.5,
  testLoss: 1,
  testAccuracy: 0.5,
  durationMs,
  samplesPerSec: 100,
});

describe('interpolate', () => {
  const anchors: [number, number][] = [
    [1, 10],
    [2, 30],
  ];
  it('is linear from (0, 0) to the first anchor and between anchors', () => {
    expect(interpolate(anchors, 0.5)).toBe(5);
    expect(interpolate(anchors, 1.5)).toBe(20);
    expect(interpolate(anchors, 2)).toBe(30);
  });
  it('extrapolates past the last anchor with the mean rate so far (30 per 2 epochs)', () => {
    expect(interpolate(anchors, 4)).toBe(60);
  });
  it('is the identity without anchors', () => {
    expect(interpolate([], 3.5)).toBe(3.5);
  });
});

describe('runXScale', () => {
  const run: ScaleRun = { points: points(2), batches: 10, epochs: [], imagesPerEpoch: 500 };
  it('epoch: identity, the planned epochs as the right end', () => {
    const s = runXScale('epoch', run, 3);
    expect(s.map(1.5)).toBe(1.5);
    expect(s.max).toBe(3);
    expect(s.label(2)).toBe('epoch 2');
  });
  it('step, samples and time read the step history (epoch 1.5 = step 15 = 750 images = 7.5 s)', () => {
    expect(runXScale('step', run, 3).map(1.5)).toBe(15);
    expect(runXScale('samples', run, 3).map(1.5)).toBe(750);
    expect(runXScale('time', run, 3).map(1.5)).toBe(7.5);
  });
  it('step and samples end at the planned training; time fits the data (unknown ahead)', () => {
    expect(runXScale('step', run, 3).max).toBe(30);
    expect(runXScale('samples', run, 3).max).toBe(1500);
    expect(runXScale('time', run, 3).max).toBeNull();
  });
  it('an epoch-end point past the last step point is extrapolated at the mean rate', () => {
    const early: ScaleRun = { ...run, points: points(2).slice(0, 3) }; // up to step 15 (7.5 s)
    expect(runXScale('time', early, 3).map(2)).toBe(10);
  });
  it('without a step history the epochs give the anchors (time: summed durations)', () => {
    const old: ScaleRun = {
      points: [],
      batches: 10,
      epochs: [metrics(1, 4000), metrics(2, 6000)],
      imagesPerEpoch: 500,
    };
    expect(runAnchors('time', old.points, old.batches, old.epochs, old.imagesPerEpoch)).toEqual([
      [1, 4],
      [2, 10],
    ]);
    expect(runXScale('time', old, 2).map(1.5)).toBe(7);
    expect(runXScale('samples', old, 2).map(2)).toBe(1000);
  });
  it('labels say the unit', () => {
    expect(runXScale('step', run, 3).label(1234)).toBe('step 1,234');
    expect(runXScale('samples', run, 3).label(12000)).toBe('12,000 images seen');
    expect(runXScale('time', run, 3).label(65)).toBe('training time 1:05');
  });
});

describe('compareXScale', () => {
  it('maps each series with its own run (series id "<run>:<kind>")', () => {
    const runs = new Map<string, ScaleRun>([
      ['a', { points: [], batches: 10, epochs: [metrics(1, 1000)], imagesPerEpoch: 500 }],
      ['b', { points: [], batches: 600, epochs: [metrics(1, 9000)], imagesPerEpoch: 60000 }],
    ]);
    const step = compareXScale('step', runs);
    expect(step.map(1, 'a:test')).toBe(10);
    expect(step.map(1, 'b:train')).toBe(600);
    expect(compareXScale('time', runs).map(1, 'b:test')).toBe(9);
    expect(step.max).toBeNull();
  });
});

describe('tick formats', () => {
  it('compacts large counts and writes times as a clock', () => {
    expect(compactTick(950)).toBe('950');
    expect(compactTick(12000)).toBe('12k');
    expect(compactTick(1500000)).toBe('1.5M');
    expect(clockTime(4.25)).toBe('4.3s');
    expect(clockTime(42)).toBe('42s');
    expect(clockTime(3723)).toBe('1:02:03');
  });
});
