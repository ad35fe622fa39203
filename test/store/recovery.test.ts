import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store';
import { isPidAlive, isStaleOwner, type LivenessContext } from '../../src/core/store/recovery';
import { blob, metrics, sampleConfig, setOwner, tempDir } from './helpers';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CRASH_WRITER = path.join(ROOT, 'test/store/fixtures/crash-writer.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

let dir: string;
let file: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'runs.db');
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited(c);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('a writer killed with SIGKILL after 2 epochs leaves an interrupted run with its epochs and checkpoint', async () => {
    const result = await run(['--import', 'tsx', CRASH_WRITER, file]);
    expect(result.stderr).toBe('');
    expect(result.signal).toBe('SIGKILL');
    const id = result.stdout.trim();
    expect(id).toMatch(/^r[0-9a-z]{9}$/);
    // the killed writer left its WAL behind
    expect(fs.existsSync(file + '-wal')).toBe(true);

    const store = RunStore.open(file);
    try {
      expect(store.recoveredAtOpen).toEqual([id]);
      const detail = store.getRun(id);
      expect(detail.status).toBe('interrupted');
      expect(detail.error).toMatch(/ended without finishing/);
      expect(detail.epochs).toEqual([metrics(1), metrics(2)]);
      expect(detail.epochsDone).toBe(2);
      expect(store.getSnapshotEpochs(id)).toEqual([0, 1, 2]);
      expect(store.getLatestCheckpoint(id)).toEqual({ epoch: 2, data: blob(102, 256) });
      expect(store.integrityCheck()).toBe('ok');
      // already recovered: nothing more to do
      expect(store.recoverStaleRuns()).toEqual([]);
      // resuming takes ownership again
      expect(store.claimRun(id.slice(0, 6)).runId).toBe(id);
      expect(store.getRun(id).status).toBe('running');
      expect(store.recoverStaleRuns()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('never marks a run whose process is alive; marks it once that process is gone', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(sleeper);
    await new Promise<void>((resolve, reject) => sleeper.once('spawn', resolve).once('error', reject));
    const pid = sleeper.pid!;
    expect(isPidAlive(pid)).toBe(true);

    const s1 = RunStore.open(file);
    const id = s1.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    s1.close();
    setOwner(file, id, { pid });

    const s2 = RunStore.open(file);
    expect(s2.recoveredAtOpen).toEqual([]);
    expect(s2.getRun(id).status).toBe('running');
    s2.close();

    sleeper.kill('SIGKILL');
    await exited(sleeper);
    expect(isPidAlive(pid)).toBe(false);
    const s3 = RunStore.open(file);
    expect(s3.recoveredAtOpen).toEqual([id]);
    expect(s3.getRun(id).status).toBe('interrupted');
    s3.close();
  });

  it('a run of this very process (another store instance) is left alone', () => {
    const writer = RunStore.open(file);
    const id = writer.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    writer.recordEpoch(id, metrics(1));
    const reader = RunStore.open(file);
    expect(reader.recoveredAtOpen).toEqual([]);
    expect(reader.recoverStaleRuns()).toEqual([]);
    expect(reader.getRun(id)).toMatchObject({ status: 'running', epochsDone: 1 });
    // the writer keeps writing while the reader reads
    writer.recordEpoch(id, metrics(2));
    expect(reader.getRun(id).epochsDone).toBe(2);
    reader.close();
    writer.close();
  });

  it('our own pid claimed before this process started is stale (pid reuse); other hosts are never touched', () => {
    const s1 = RunStore.open(file);
    const reused = s1.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    const remote = s1.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    s1.close();
    setOwner(file, reused, { startedAt: '2000-01-01T00:00:00.000Z' });
    setOwner(file, remote, { pid: 999_999_999, hostname: `not-${os.hostname()}` });
    const s2 = RunStore.open(file);
    expect(s2.recoveredAtOpen).toEqual([reused]);
    expect(s2.getRun(remote).status).toBe('running');
    s2.close();
  });
});

describe('isStaleOwner', () => {
  const ctx: LivenessContext = {
    hostname: 'here',
    pid: 100,
    processStartedAt: Date.parse('2026-01-01T00:00:00Z'),
    isAlive: (pid) => pid === 200,
  };
  const at = (iso: string) => ({ claimedAt: iso });
  it('applies the rules', () => {
    expect(isStaleOwner({ pid: 200, hostname: 'here', ...at('2025-01-01T00:00:00Z') }, ctx)).toBe(false);
    expect(isStaleOwner({ pid: 300, hostname: 'here', ...at('2025-01-01T00:00:00Z') }, ctx)).toBe(true);
    expect(isStaleOwner({ pid: 300, hostname: 'there', ...at('2025-01-01T00:00:00Z') }, ctx)).toBe(false);
    expect(isStaleOwner({ pid: null, hostname: 'here', claimedAt: null }, ctx)).toBe(true);
    expect(isStaleOwner({ pid: 100, hostname: 'here', ...at('2025-12-31T23:59:59Z') }, ctx)).toBe(true);
    expect(isStaleOwner({ pid: 100, hostname: 'here', ...at('2026-01-01T00:00:01Z') }, ctx)).toBe(false);
  });
});
