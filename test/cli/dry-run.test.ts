/**
 * `train --dry-run` (README: prints the resolved config, parameter count and memory estimate; trains
 * nothing, touches no database): a data set that does not exist is refused here too (exit 1, naming
 * it), rather than a dry run that says yes to a training that would fail at its start.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../figures/helpers';
import { tempDir } from './helpers';

const tmp = tempDir('sen-lab-dry-run-');
afterAll(() => tmp.cleanup());
const cli = (...args: string[]) => runCliInProcess(args, tmp.dir);

describe('train --dry-run', () => {
  it('prints the config as JSON for a valid one, without creating the database', async () => {
    const r = await cli('train', '--preset', 'quick', '--dry-run', '--json', '--db', tmp.db);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { dryRun: boolean; params: number };
    expect(doc).toMatchObject({ dryRun: true, params: 2896 });
    expect(existsSync(tmp.db)).toBe(false);
  });

  it('refuses a data set folder that does not exist, or a file given as the folder (exit 1, named)', async () => {
    const file = join(tmp.dir, 'not-a-folder.db');
    writeFileSync(file, 'x');
    for (const dataset of ['no-such-folder', file]) {
      const r = await cli('train', '--dataset', dataset, '--dry-run', '--db', tmp.db);
      expect(r.code, dataset).toBe(1);
      expect(r.stderr).toMatch(/^sen-lab: .*(no-such-folder|not-a-folder\.db)/);
      expect(r.stdout).not.toContain('Dry run');
    }
    expect(existsSync(tmp.db)).toBe(false);
  });
});
