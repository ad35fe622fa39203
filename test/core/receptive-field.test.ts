import { describe, expect, it } from 'vitest';
import { layerGeometry, synapse } from '../../src/shared/geometry';
import { receptiveField } from '../../src/shared/receptive-field';
import { initialParams } from '../../src/core/model/init';
import { spatialSpec } from '../../src/core/model/presets';
import { Rng } from '../../src/core/util/rng';

describe('receptive field of a hidden neuron', () => {
  const spec = spatialSpec([16, 5, 3], {
    initSpread: 3,
    distance: 'exponential',
    distanceScale: 1.5,
    learnDistance: true,
  });
  const arrays = initialParams(spec, Rng.fromSeed(8));
  const geom = layerGeometry(spec, arrays);

  it('holds the weights of every input into neuron j (kernel included) and its nearest inputs', () => {
    const rf = receptiveField(geom, 2, 4);
    expect(rf.weights).toHaveLength(16);
    for (let i = 0; i < 16; i++) expect(rf.weights[i]).toBeCloseTo(synapse(geom, 0, i, 2).weight, 6);
    const byDistance = Array.from({ length: 16 }, (_, i) => [i, synapse(geom, 0, i, 2).distance] as const).sort(
      (a, b) => a[1] - b[1],
    );
    expect(rf.nearest).toEqual(byDistance.slice(0, 4).map(([i]) => i));
    expect(rf.nearestDistances[0]).toBeCloseTo(byDistance[0][1], 6);
  });

  it('uses the kernel: exponential weights are mask * exp(-d / lambda)', () => {
    const s = synapse(geom, 0, 3, 1);
    const v = arrays.find((a) => a.name === 'inhib.0')!.data[3];
    expect(s.weight).toBeCloseTo(Math.tanh((5 * v) / 2) * Math.exp(-s.distance / 1.5), 6);
  });

  it('rejects a neuron outside the hidden layer', () => {
    expect(() => receptiveField(geom, 5)).toThrow(/no hidden neuron 5/);
  });
});
