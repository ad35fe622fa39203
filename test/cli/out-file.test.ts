/**
 * `--out FILE` of export-model, runs export and figure: a folder or a missing parent folder is a
 * usage error (exit 2) naming the flag and the path, not a raw EISDIR/ENOENT (or a temp file name);
 * the write itself is atomic and leaves no temporary file behind.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutFile } from '../../src/core/cli/out-file';
import { runCliInProcess } from '../figures/helpers';
import { tempDir } from './helpers';

const tmp = tempDir('sen-lab-out-file-');
afterAll(() => tmp.cleanup());
const cli = (...args: string[]) => runCliInProcess(args, tmp.dir);

describe('--out FILE', () => {
  it('a folder or a missing parent folder is a usage error naming --out, checked before the store is read', async () => {
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    const cases: [string[], RegExp][] = [
      [['export-model', '--run', 'rnone', '--out', folder], /invalid --out: .*a-folder is a folder; give a file name/],
      [['export-model', '--run', 'rnone', '--out', 'no-such/x.json'], /invalid --out: cannot write .*no-such/],
      [['figure', '--run', 'rnone', '--kind', 'curves', '--format', 'svg', '--out', folder], /a-folder is a folder/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args, '--db', tmp.db);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/EISDIR|ENOENT|\.tmp/);
    }
    expect(readdirSync(folder)).toEqual([]);
  });

  it('writeOutFile replaces a file whole and leaves no temporary sibling', () => {
    const dir = join(tmp.dir, 'w');
    mkdirSync(dir);
    const file = join(dir, 'x.json');
    writeFileSync(file, 'old');
    writeOutFile(file, '{"new":true}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"new":true}\n');
    expect(readdirSync(dir)).toEqual(['x.json']);
    expect(() => writeOutFile(dir, 'x')).toThrow(/is a folder/);
  });
});
