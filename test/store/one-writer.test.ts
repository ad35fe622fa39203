/**
 * One writer per run at the store level: the claim is a compare-and-set, deleting is refused while
 * a live writer (another process, another host, this process) holds the run, a zombie writer is
 * dead, and a writer whose claim was lost cannot write any more.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore } from '../../src/core/store';
import { isPidAlive } from '../../src/core/store/recovery';
import { metrics, sampleConfig, setOwner as setOwnerIn, tempDir } from './helpers';

let dir: string;
let file: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = tempDir();
  file = path.join(dir, 'runs.db');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const setOwner = (id: string, owner: Parameters<typeof setOwnerIn>[2]): void => setOwnerIn(file, id, owner);

/** A process that sleeps until killed. */
async function sleeper(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise<void>((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return child.pid!;
}

/** The process state letter of /proc/PID/stat (Linux). */
function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat
      .slice(stat.lastIndexOf(')') + 1)
      .trim()
      .charAt(0);
  } catch {
    return null;
  }
}

/**
 * A real zombie: `sh` starts `sleep 0.3` in the background, prints its pid, then replaces itself
 * with `sleep 30` (exec). The background child's parent is now `sleep`, which never waits for
 * children, so once it exits (after the exec, hence the 0.3 s) it stays a zombie (state Z) until
 * its parent dies.
 */
async function zombie(): Promise<number> {
  const child = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('error', reject);
  });
  for (let i = 0; i < 200 && procState(pid) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 25));
  return pid;
}

function interruptedRun(store: RunStore): string {
  const id = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
  store.recordEpoch(id, metrics(1));
  store.finishRun(id, 'interrupted');
  return id;
}

describe('claiming a run', () => {
  it('is a compare-and-set: of two claims exactly one wins, the other names the pid', () => {
    const a = RunStore.open(file);
    const b = RunStore.open(file);
    try {
      const id = interruptedRun(a);
      const claim = a.claimRun(id);
      expect(claim.runId).toBe(id);
      expect(a.getRun(id)).toMatchObject({ status: 'running', error: null });
      expect(() => b.claimRun(id)).toThrow(
        expect.objectContaining({ code: 'conflict', message: expect.stringContaining(`pid ${process.pid}`) }),
      );
      // given back before training started: the run is exactly as before
      a.releaseRun(claim);
      expect(a.getRun(id)).toMatchObject({ status: 'interrupted', epochsDone: 1 });
      expect(b.claimRun(id).runId).toBe(id);
      a.finishRun(id, 'completed');
      expect(() => a.claimRun(id)).toThrow(/already completed/);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a run of a dead writer can be claimed; of a live writer in another process, not', async () => {
    const store = RunStore.open(file);
    try {
      const id = interruptedRun(store);
      const pid = await sleeper();
      setOwner(id, { pid, status: 'running' });
      expect(() => store.claimRun(id)).toThrow(new RegExp(`already being trained by pid ${pid} on this host`));
      children[0].kill('SIGKILL');
      await new Promise((r) => children[0].once('exit', r));
      expect(store.claimRun(id).runId).toBe(id);
    } finally {
      store.close();
    }
  });

  it('a writer whose claim was lost (taken over or deleted) cannot write', () => {
    const store = RunStore.open(file);
    try {
      const id = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1, ownerToken: 'mine' }).id;
      store.recordEpoch(id, metrics(1), { owner: 'mine' });
      store.finishRun(id, 'interrupted', { owner: 'mine' });
      store.claimRun(id); // another writer now
      expect(() => store.recordEpoch(id, metrics(2), { owner: 'mine' })).toThrow(/no longer owned by this training/);
      expect(store.getRun(id).epochsDone).toBe(1);
      store.deleteRun(id, { force: true }); // held by this process's new claim
      expect(() => store.finishRun(id, 'completed', { owner: 'mine' })).toThrow(/no run with id/);
    } finally {
      store.close();
    }
  });
});

describe('deleting a run', () => {
  it('is refused while its writer process is alive (naming the pid), allowed with force or once it is dead', async () => {
    const store = RunStore.open(file);
    try {
      const pid = await sleeper();
      const [a, b] = [interruptedRun(store), interruptedRun(store)];
      setOwner(a, { pid, status: 'running' });
      setOwner(b, { pid, status: 'running' });
      expect(store.liveWriterOf(a)).toContain(`pid ${pid}`);
      expect(() => store.deleteRun(a)).toThrow(
        expect.objectContaining({ code: 'conflict', message: expect.stringContaining(`pid ${pid}`) }),
      );
      expect(store.getRun(a).epochsDone).toBe(1);
      store.deleteRun(b, { force: true });
      expect(() => store.getRun(b)).toThrow(/no run/);
      children[0].kill('SIGKILL');
      await new Promise((r) => children[0].once('exit', r));
      expect(store.liveWriterOf(a)).toBeNull();
      store.deleteRun(a);
    } finally {
      store.close();
    }
  });

  it('is refused for a run trained by this very process and for one owned by another host', () => {
    const store = RunStore.open(file);
    try {
      const mine = store.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
      expect(() => store.deleteRun(mine)).toThrow(new RegExp(`pid ${process.pid} on this host .*this very process`));
      const remote = interruptedRun(store);
      setOwner(remote, { pid: 999_999_999, hostname: `not-${os.hostname()}`, status: 'running' });
      expect(() => store.deleteRun(remote)).toThrow(
        new RegExp(`pid 999999999 on host not-${os.hostname()} \\(another host`),
      );
      expect(() => store.claimRun(remote)).toThrow(/another host/);
    } finally {
      store.close();
    }
  });
});

describe.runIf(process.platform === 'linux')('zombie writers', () => {
  it('a zombie pid counts as dead: its run is interrupted at open and can be deleted', async () => {
    const pid = await zombie();
    expect(procState(pid)).toBe('Z');
    expect(() => process.kill(pid, 0)).not.toThrow(); // kill(pid, 0) alone would call it alive
    expect(isPidAlive(pid)).toBe(false);

    const s1 = RunStore.open(file);
    const id = s1.createRun({ config: sampleConfig(), backend: 'cpu', params: 1 }).id;
    s1.close();
    setOwner(id, { pid });
    const s2 = RunStore.open(file);
    try {
      expect(s2.recoveredAtOpen).toEqual([id]);
      expect(s2.getRun(id)).toMatchObject({ status: 'interrupted', error: expect.stringContaining(`pid ${pid}`) });
      s2.deleteRun(id);
    } finally {
      s2.close();
    }
  });
});
