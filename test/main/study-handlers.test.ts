/**
 * Argument checks of the pruning and study channels (`prune/run`, `studies/*`) in front of a stub
 * service: valid calls pass through unchanged, bad ones never reach the service.
 */
import { describe, expect, it } from 'vitest';
import { createLabHandlers, invokeHandler } from '../../src/main/ipc/handlers';
import { LAB_CHANNELS, LAB_METHODS, type LabMethod, type LabMethods } from '../../src/shared/lab-api';

const calls: [string, unknown[]][] = [];
const service = Object.fromEntries(
  LAB_METHODS.map((m) => [m, async (...a: unknown[]) => (calls.push([m, a]), `${m}-result`)]),
) as unknown as LabMethods;
const handlers = createLabHandlers(service);
const call = (method: LabMethod, ...raw: unknown[]): Promise<unknown> => invokeHandler(handlers, method, raw);

describe('pruning and study handlers', () => {
  it('use the domain/action channels of the contract', () => {
    expect([LAB_CHANNELS.pruneRun, LAB_CHANNELS.startStudy, LAB_CHANNELS.getStudy]).toEqual([
      'prune/run',
      'studies/start',
      'studies/get',
    ]);
  });

  it('pass valid arguments through', async () => {
    const request = { rates: [0, 0.5, 0.95], maxDistances: [1.5], scope: 'per-layer', testSize: 2000 };
    await expect(call('pruneRun', 'r123', request)).resolves.toBe('pruneRun-result');
    expect(calls.at(-1)).toEqual(['pruneRun', ['r123', request]]);
    await call('pruneRun', 'r123', {});
    expect(calls.at(-1)).toEqual(['pruneRun', ['r123', {}]]);
    const spec = {
      name: 'n',
      models: [{ preset: 'paper-3d', label: '3D' }, { runId: 'rabc' }],
      rates: [0.2],
      modes: ['post', 'during'],
      seeds: [1, 2],
      epochs: 3,
      trainSize: 100,
      testSize: 50,
      scope: 'global',
    };
    await call('startStudy', spec);
    expect(calls.at(-1)).toEqual(['startStudy', [spec]]);
    for (const m of ['stopStudy', 'getStudy', 'deleteStudy'] as const) {
      await call(m, 'sabcd');
      expect(calls.at(-1)).toEqual([m, ['sabcd']]);
    }
    await call('listStudies');
    expect(calls.at(-1)).toEqual(['listStudies', []]);
  });

  it('refuse bad arguments, naming where they are wrong', async () => {
    const n = calls.length;
    await expect(call('pruneRun', 'r1')).rejects.toThrow(/arg1 is required/);
    await expect(call('pruneRun', 'r1', { rates: [1] })).rejects.toThrow(
      /arg1\.rates\[0\] must be a fraction in \[0, 1\) \(0\.9 = 90 % removed\), got 1/,
    );
    await expect(call('pruneRun', 'r1', { rates: ['0.5'] })).rejects.toThrow(/arg1\.rates\[0\] must be a fraction/);
    await expect(call('pruneRun', 'r1', { maxDistances: [0] })).rejects.toThrow(
      /arg1\.maxDistances\[0\] must be a number > 0, got 0/,
    );
    await expect(call('pruneRun', 'r1', { scope: 'layer' })).rejects.toThrow(/arg1\.scope/);
    await expect(call('pruneRun', 'r1', { testSize: 0 })).rejects.toThrow(/arg1\.testSize/);
    await expect(call('pruneRun', 'r1', { rate: 0.5 })).rejects.toThrow(/arg1\.rate: unknown field/);
    await expect(call('startStudy', {})).rejects.toThrow(/arg0\.models is required/);
    await expect(call('startStudy', { models: [] })).rejects.toThrow(
      /arg0\.models must be a non-empty list of at most 50 models, got \[\]/,
    );
    await expect(call('startStudy', { models: [{ preset: 3 }] })).rejects.toThrow(/arg0\.models\[0\]\.preset/);
    await expect(call('startStudy', { models: [{}] })).rejects.toThrow(
      /arg0\.models\[0\]: give exactly one of preset or runId/,
    );
    const models = [{ preset: 'quick' }];
    await expect(call('startStudy', { models, modes: ['both'] })).rejects.toThrow(
      /arg0\.modes\[0\] must be one of 'post', 'during', got "both"/,
    );
    await expect(call('startStudy', { models, seeds: [0.5] })).rejects.toThrow(
      /arg0\.seeds\[0\] must be an integer, got 0\.5/,
    );
    await expect(call('startStudy', { models, epochs: 0 })).rejects.toThrow(/arg0\.epochs/);
    await expect(call('startStudy', { models, colour: 'red' })).rejects.toThrow(/arg0\.colour: unknown field/);
    await expect(call('getStudy', '')).rejects.toThrow(/arg0 must be a study id/);
    await expect(call('listStudies', 'x')).rejects.toThrow(/at most 0 argument/);
    expect(calls.length).toBe(n);
  });
});
