/**
 * One writer per run through the real CLI: `runs delete` is refused while a trainer process is
 * alive, and of two simultaneous `train --resume ID` exactly one trains (the other exits 1 naming
 * the winner's pid).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../src/shared/run-config';
import { lastJson, runCli, startCli, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const SMALL = [
  '--preset',
  'quick',
  '--layers',
  '784,16,10',
  '--train-size',
  '300',
  '--test-size',
  '100',
  '--batch-size',
  '50',
];

async function show(id: string): Promise<RunDetail> {
  const r = await runCli(['runs', 'show', id, '--json', '--db', tmp.db]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunDetail;
}

describe('one writer per run (CLI)', () => {
  it('refuses to delete a run while its trainer is alive; two concurrent resumes: one trains, one is refused', async () => {
    // a long training (stopped below), so it surely still runs while `runs delete` starts up
    const long = startCli(['train', ...SMALL, '--epochs', '1000', '--json', '--db', tmp.db]);
    const longRun = (JSON.parse(await long.waitForLine((l) => l.includes('"type":"epoch"'))) as { runId: string })
      .runId;
    const refused = await runCli(['runs', 'delete', longRun, '--yes', '--db', tmp.db]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pid ${long.child.pid}`);
    expect(refused.stderr).toContain('--force');
    expect(refused.stdout).toBe('');
    long.child.kill('SIGTERM');
    expect((await long.result).code).toBe(143);
    expect((await show(longRun)).epochs.length).toBeGreaterThanOrEqual(1); // nothing was deleted

    const trainer = startCli(['train', ...SMALL, '--epochs', '20', '--json', '--db', tmp.db]);
    const { runId } = JSON.parse(await trainer.waitForLine((l) => l.includes('"type":"epoch"'))) as { runId: string };
    trainer.child.kill('SIGTERM');
    expect((await trainer.result).code).toBe(143);
    const interrupted = await show(runId);
    expect(interrupted.status).toBe('interrupted');

    // two resumes at once: the claim is one compare-and-set, so exactly one wins
    const a = startCli(['train', '--resume', runId, '--json', '--db', tmp.db]);
    const b = startCli(['train', '--resume', runId, '--json', '--db', tmp.db]);
    const [ra, rb] = await Promise.all([a.result, b.result]);
    const codes = [ra.code, rb.code].sort();
    expect(codes, `a: ${ra.stderr}\nb: ${rb.stderr}`).toEqual([0, 1]);
    const [winner, loser] = ra.code === 0 ? [a, rb] : [b, ra];
    expect(loser.stderr).toContain(`run ${runId} is already being trained by pid ${winner.child.pid}`);
    expect(loser.stdout).toBe('');
    expect(lastJson((await winner.result).stdout)).toMatchObject({ runId, status: 'completed', epochs: 20 });

    const done = await show(runId);
    expect(done.status).toBe('completed');
    expect(done.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // no longer trained: deleting works now
    const deleted = await runCli(['runs', 'delete', runId, '--yes', '--db', tmp.db]);
    expect(deleted.code).toBe(0);
  });
});
