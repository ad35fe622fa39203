/** Sweeps through the lab's contract (the handlers both transports use): plan, start, read, refuse. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabHandlers, invokeHandler } from '../../src/main/ipc/handlers';
import type { LabHandlers } from '../../src/main/ipc/types';
import { LabService } from '../../src/main/services/lab-service';
import type { SweepDetail, SweepPlanPreview, SweepSummary } from '../../src/shared/sweep';
import { tempDir } from './helpers';

const tmp = tempDir('sen-lab-sweeps-api-');
let service: LabService;
let handlers: LabHandlers;

beforeAll(() => {
  service = LabService.open({ dbPath: tmp.db, appVersion: '0.0.0-test' });
  handlers = createLabHandlers(service);
});
afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

const SPEC = {
  name: 'api sweep',
  set: { 'model.layers': [784, 16, 10], 'training.epochs': 1, 'dataset.trainSize': 300, 'dataset.testSize': 100 },
  grid: { 'training.learningRate': [0.005, 0.01] },
};

describe('sweeps through the lab contract', () => {
  it('plans a spec (size and estimate) without storing anything', async () => {
    const plan = (await invokeHandler(handlers, 'planSweep', [SPEC])) as SweepPlanPreview;
    expect(plan.trainings.map((t) => t.values)).toEqual([
      { 'training.learningRate': 0.005 },
      { 'training.learningRate': 0.01 },
    ]);
    expect(plan.estimate).toMatchObject({ known: 0, unknown: 2 });
    expect(await invokeHandler(handlers, 'listSweeps', [])).toEqual([]);
  });

  it('refuses a bad spec naming the entry, and bad executor options', async () => {
    await expect(invokeHandler(handlers, 'planSweep', [{ grid: { 'training.epochs': [0] } }])).rejects.toThrow(
      /grid\["training.epochs"\]\[0\]/,
    );
    await expect(invokeHandler(handlers, 'startSweep', [SPEC, { executor: 'cloud' }])).rejects.toThrow(/executor/);
    await expect(
      invokeHandler(handlers, 'startSweep', [SPEC, { executor: 'slurm', slurm: { qos: 'x' } }]),
    ).rejects.toThrow(/qos: unknown field/);
  });

  it('starts a local sweep in the background; getSweep shows its trainings linked to runs with their configs', async () => {
    const started = (await invokeHandler(handlers, 'startSweep', [
      SPEC,
      { executor: 'local', maxParallel: 2 },
    ])) as SweepSummary;
    expect(started).toMatchObject({ status: 'running', total: 2, executor: 'local' });
    let sweep = (await invokeHandler(handlers, 'getSweep', [started.id])) as SweepDetail;
    for (let i = 0; i < 600 && sweep.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      sweep = (await invokeHandler(handlers, 'getSweep', [started.id])) as SweepDetail;
    }
    expect(sweep).toMatchObject({ status: 'completed', completed: 2, failed: 0 });
    for (const t of sweep.trainings) {
      const run = await service.getRun(t.runId!);
      expect(run.config.training.learningRate).toBe(t.config.training.learningRate);
      expect(run.tags).toContain(`sweep:${sweep.id}`);
    }
    expect(((await invokeHandler(handlers, 'listSweeps', [])) as SweepSummary[]).map((s) => s.id)).toEqual([sweep.id]);
  });
});
