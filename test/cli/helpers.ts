/** Spawning the real CLI (`node bin/sen-lab.mjs`) against temporary databases. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/sen-lab.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A spawned CLI process plus its collected output. */
export interface CliProcess {
  child: ChildProcess;
  result: Promise<CliResult>;
  /** resolves with the first stdout line matching `test` */
  waitForLine(test: (line: string) => boolean): Promise<string>;
}

/** Start `sen-lab ...args` (stdin closed, so it is never a TTY). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, SEN_LAB_DB: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = stdout.split('\n').slice(0, -1); // complete lines only
    for (const w of waiters.splice(0)) {
      const hit = lines.find(w.test);
      if (hit !== undefined) w.resolve(hit);
      else waiters.push(w);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliResult>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return {
    child,
    result,
    waitForLine: (test) =>
      new Promise((res, rej) => {
        const hit = stdout.split('\n').slice(0, -1).find(test);
        if (hit !== undefined) return res(hit);
        waiters.push({ test, resolve: res });
        void result.then(() =>
          rej(new Error(`process ended before the expected line; stdout:\n${stdout}\nstderr:\n${stderr}`)),
        );
      }),
  };
}

/** Run `sen-lab ...args` to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).result;
}

/** Parse the last non-empty stdout line as JSON. */
export function lastJson<T = Record<string, unknown>>(out: string): T {
  const lines = out
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** A fresh temporary folder; `cleanup` removes it. */
export function tempDir(prefix = 'sen-lab-cli-'): { dir: string; db: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, db: join(dir, 'runs.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
