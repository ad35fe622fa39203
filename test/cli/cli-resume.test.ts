import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src/shared/run-config';
import { lastJson, runCli, startCli, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const EPOCHS = 6;

async function show(id: string): Promise<RunDetail> {
  const r = await runCli(['runs', 'show', id, '--json', '--db', tmp.db]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunDetail;
}

describe('interrupting and resuming a run', () => {
  it('SIGTERM keeps the finished epochs as interrupted; --resume completes the run', async () => {
    const cli = startCli([
      'train',
      '--preset',
      'quick',
      '--epochs',
      String(EPOCHS),
      '--train-size',
      '3000',
      '--test-size',
      '200',
      '--json',
      '--db',
      tmp.db,
    ]);
    const first = JSON.parse(await cli.waitForLine((l) => l.includes('"type":"epoch"'))) as { runId: string };
    cli.child.kill('SIGTERM');
    const stopped = await cli.result;
    expect(stopped.code).toBe(143);
    const summary = lastJson<{ runId: string; status: string; epochs: number }>(stopped.stdout);
    expect(summary).toMatchObject({ runId: first.runId, status: 'interrupted' });

    const interrupted = await show(first.runId);
    expect(interrupted.status).toBe('interrupted');
    const done = interrupted.epochs.length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(EPOCHS);
    expect(interrupted.epochsDone).toBe(done);

    const resumed = await runCli(['train', '--resume', first.runId, '--json', '--db', tmp.db]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const lines = resumed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type?: string; epoch?: number });
    // epochs continue where they stopped
    expect(lines.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual(
      Array.from({ length: EPOCHS - done }, (_, i) => done + 1 + i),
    );
    expect(lastJson(resumed.stdout)).toMatchObject({ runId: first.runId, status: 'completed', epochs: EPOCHS });

    const completed = await show(first.runId);
    expect(completed.status).toBe('completed');
    expect(completed.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    expect(completed.epochs.slice(0, done)).toEqual(interrupted.epochs);

    const again = await runCli(['train', '--resume', first.runId, '--db', tmp.db]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already completed');
  });
});
