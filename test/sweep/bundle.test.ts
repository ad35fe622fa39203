/** Run bundles: sealing, and importing twice, concurrently, truncated, newer, or over a run with another config. */
import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store/index';
import {
  BUNDLE_DB,
  BUNDLE_MANIFEST,
  BUNDLE_SCHEMA_VERSION,
  importBundle,
  sealBundle,
  type BundleManifest,
} from '../../src/core/sweep/bundle';
import { planSweep } from '../../src/core/sweep/spec';
import { bundleDir, JOB_FORMAT, runSweepTask, type SweepJobFile } from '../../src/core/sweep/task';
import { lastJson, runCli, tempDir } from '../cli/helpers';

const tmp = tempDir('sen-lab-bundle-');
let bundle: string;
let manifest: BundleManifest;

beforeAll(async () => {
  const plan = planSweep({
    set: { 'training.epochs': 1, 'dataset.trainSize': 500, 'dataset.testSize': 200 },
    seeds: [3],
  });
  const job: SweepJobFile = {
    format: JOB_FORMAT,
    version: 1,
    sweepId: 'wtest00000',
    bundlesDir: join(tmp.dir, 'bundles'),
    trainings: plan.trainings,
  };
  manifest = await runSweepTask(job, 0);
  bundle = bundleDir(job, 0);
});
afterAll(() => tmp.cleanup());

/** A copy of the sealed bundle to damage. */
function copy(name: string): string {
  const dir = join(tmp.dir, name);
  cpSync(bundle, dir, { recursive: true });
  return dir;
}

function withStore<T>(db: string, fn: (s: RunStore) => T): T {
  const store = RunStore.open(db);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('run bundles', () => {
  it('a task seals its bundle: one self-contained run.db plus a manifest naming the run', () => {
    expect(manifest.status).toBe('completed');
    expect(manifest.epochsDone).toBe(1);
    expect(manifest.schemaVersion).toBe(BUNDLE_SCHEMA_VERSION);
    expect(manifest.files[BUNDLE_DB].bytes).toBe(readFileSync(join(bundle, BUNDLE_DB)).byteLength);
  });

  it('imports the whole run, and importing it again changes nothing', () => {
    const db = join(tmp.dir, 'twice.db');
    withStore(db, (store) => {
      expect(importBundle(store, bundle).action).toBe('imported');
      expect(importBundle(store, bundle).action).toBe('unchanged');
      expect(store.listRuns()).toHaveLength(1);
      const run = store.getRun(manifest.runId);
      expect(run.status).toBe('completed');
      expect(run.epochs).toHaveLength(1);
      expect(run.tags).toContain('sweep:wtest00000');
      const src = new Database(join(bundle, BUNDLE_DB), { readonly: true });
      const model = src.prepare('SELECT data FROM models').pluck().get() as Buffer;
      src.close();
      expect(Buffer.from(store.getFinalModel(run.id)!).equals(model)).toBe(true);
      expect(store.getLatestCheckpoint(run.id)?.epoch).toBe(1);
      // the wiring and topography measured before training and after each epoch travel with the bundle
      expect(run.wiring?.map((w) => w.epoch)).toEqual([0, 1]);
      expect(run.topography?.map((t) => t.epoch)).toEqual([0, 1]);
    });
  });

  it('two processes importing the same bundle at once give one run', async () => {
    const db = join(tmp.dir, 'concurrent.db');
    const [a, b] = await Promise.all([
      runCli(['runs', 'import', bundle, '--db', db, '--json']),
      runCli(['runs', 'import', bundle, '--db', db, '--json']),
    ]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const actions = [a, b].map((r) => lastJson<{ action: string }[]>(r.stdout)[0].action).sort();
    expect(actions).toEqual(['imported', 'unchanged']);
    expect(withStore(db, (s) => s.listRuns().map((r) => r.id))).toEqual([manifest.runId]);
  });

  it('refuses a truncated run.db or manifest with a clear message and writes nothing', async () => {
    const cut = copy('truncated');
    truncateSync(join(cut, BUNDLE_DB), 4096);
    const db = join(tmp.dir, 'truncated.db');
    const r = await runCli(['runs', 'import', cut, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated or damaged: run\.db has 4096 bytes.*nothing was imported/);
    const cutManifest = copy('truncated-manifest');
    const text = readFileSync(join(cutManifest, BUNDLE_MANIFEST), 'utf8');
    writeFileSync(join(cutManifest, BUNDLE_MANIFEST), text.slice(0, text.length / 2));
    const r2 = await runCli(['runs', 'import', cutManifest, '--db', db]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/bundle\.json is truncated or not JSON/);
    expect(withStore(db, (s) => s.listRuns())).toEqual([]);
  });

  it('refuses a bundle from a newer SEN Lab', () => {
    const newer = copy('newer');
    const m = JSON.parse(readFileSync(join(newer, BUNDLE_MANIFEST), 'utf8')) as BundleManifest;
    writeFileSync(join(newer, BUNDLE_MANIFEST), JSON.stringify({ ...m, schemaVersion: BUNDLE_SCHEMA_VERSION + 1 }));
    const db = join(tmp.dir, 'newer.db');
    withStore(db, (store) => {
      expect(() => importBundle(store, newer)).toThrow(/written by a newer SEN Lab.*update SEN Lab/);
      expect(store.listRuns()).toEqual([]);
    });
  });

  it('refuses a run id that exists with another config, keeping the stored run', () => {
    const other = copy('other-config');
    const raw = new Database(join(other, BUNDLE_DB));
    const config = JSON.parse(raw.prepare('SELECT config FROM runs').pluck().get() as string);
    config.training.learningRate *= 2;
    raw.prepare('UPDATE runs SET config = ?').run(JSON.stringify(config));
    raw.close();
    sealBundle(other, {});
    const db = join(tmp.dir, 'conflict.db');
    withStore(db, (store) => {
      importBundle(store, bundle);
      expect(() => importBundle(store, other)).toThrow(
        new RegExp(`run ${manifest.runId} already exists .* with a different config; the bundle was not imported`),
      );
      expect(store.getRun(manifest.runId).config.training.learningRate).toBe(config.training.learningRate / 2);
    });
  });

  it('refuses a folder that is not a bundle, naming it', async () => {
    const r = await runCli(['runs', 'import', tmp.dir, '--db', join(tmp.dir, 'none.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no bundle\.json/);
  });
});
