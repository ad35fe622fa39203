import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/core/data';
import { presetConfig } from '../../src/core/model/presets';
import { estimateCost, plannedTrainings } from '../../src/core/reproduce/estimate';
import { PRUNING, TABLE1 } from '../../src/core/reproduce/experiments';

describe('reproduce --dry-run', () => {
  it('counts every training of the protocol: rows x seeds, and pruning models x seeds x (baseline + one per rate)', () => {
    const groups = plannedTrainings([TABLE1, PRUNING], [1, 2, 3], {});
    const table = groups.filter((g) => g.experiment === 'table1');
    expect(table.map((g) => g.model)).toEqual(TABLE1.rows.map((r) => r.id));
    expect(table.every((g) => g.count === 3 && g.epochs === 300 && g.trainImages === 60000)).toBe(true);
    const pruning = groups.filter((g) => g.experiment === 'pruning');
    expect(pruning.map((g) => g.count)).toEqual([21, 21, 21]);
    const short = plannedTrainings([TABLE1], [1], { epochs: 2, trainSize: 1000 });
    expect(short.every((g) => g.count === 1 && g.epochs === 2 && g.trainImages === 1000)).toBe(true);
  });

  it('turns a measured speed into hours: trainings x epochs x images / (samples/s)', async () => {
    loadDataset({ name: 'mnist', trainSize: 10, testSize: 10 }); // the data set is there
    const config = presetConfig('quick');
    const [line] = await estimateCost([
      { experiment: 'x', model: 'quick', count: 2, epochs: 3, trainImages: 60000, config },
    ]);
    expect(line.samplesPerSec).toBeGreaterThan(0);
    expect(line.hours).toBeCloseTo((2 * 3 * 60000) / line.samplesPerSec / 3600, 9);
    expect(line.cpuHours).toBeCloseTo(line.hours * line.threads, 9);
  });
});
