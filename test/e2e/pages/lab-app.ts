/**
 * The real lab in a real browser: spawns browser mode (`node bin/serve.mjs --port 0 --db FILE`),
 * builds the renderer first when `out/renderer` is missing or older than its sources, and launches
 * Debian's Chromium headless with SwiftShader WebGL (pixi.js draws the embedding through it).
 * Shared by test/e2e/lab.e2e.test.ts and bench/lab/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CHROMIUM = '/usr/bin/chromium';
const RENDERER_INDEX = join(ROOT, 'out/renderer/index.html');
/** What out/renderer is built from. */
const RENDERER_SOURCES = ['src/renderer', 'src/shared', 'electron.vite.config.ts'].map((p) => join(ROOT, p));

/**
 * Chromium flags: the project's usual headless set, with --use-angle=swiftshader (software WebGL,
 * the same path with or without a GPU) instead of --disable-gpu, which leaves pixi without WebGL.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser flows cannot run here ('' when they can). */
export function chromiumMissing(): string {
  return existsSync(CHROMIUM) ? '' : `${CHROMIUM} not installed`;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Why out/renderer has to be (re)built, or '' when it is current. */
export function rendererStale(): string {
  if (!existsSync(RENDERER_INDEX)) return 'out/renderer is missing';
  const built = statSync(RENDERER_INDEX).mtimeMs;
  const stale = RENDERER_SOURCES.find((p) => newestMtime(p) > built);
  return stale ? `out/renderer is older than ${stale.slice(ROOT.length + 1)}` : '';
}

/** Runs `electron-vite build` (what `npm run build` does) when out/renderer is missing or stale. */
export function ensureRendererBuilt(log: (line: string) => void = () => undefined): void {
  const why = rendererStale();
  if (!why) return;
  log(`${why}: running electron-vite build`);
  const cli = join(
    dirname(createRequire(join(ROOT, 'package.json')).resolve('electron-vite/package.json')),
    'bin/electron-vite.js',
  );
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** One browser-mode server process (`node bin/serve.mjs`). */
export class LabServerProcess {
  private constructor(
    readonly child: ChildProcess,
    /** the printed URL: http://127.0.0.1:PORT/?token=...#/ */
    readonly url: string,
    private readonly exited: Promise<number | null>,
    private readonly readStderr: () => string,
  ) {}

  /** Spawns the server on `db` (port 0) and resolves once it printed its URL. */
  static async start(db: string, timeoutMs = 60_000): Promise<LabServerProcess> {
    const child = spawn(process.execPath, [join(ROOT, 'bin/serve.mjs'), '--port', '0', '--db', db], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      const timer = setTimeout(
        () => fail(new Error(`serve.mjs printed no URL within ${timeoutMs} ms; stderr:\n${stderr}`)),
        timeoutMs,
      );
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        const m = /SEN Lab browser mode: (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          done(m[1]);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        fail(new Error(`serve.mjs exited (${code}) before printing its URL; stderr:\n${stderr}`));
      });
    });
    return new LabServerProcess(child, url, exited, () => stderr);
  }

  get token(): string {
    return new URL(this.url).searchParams.get('token') ?? '';
  }

  get origin(): string {
    return new URL(this.url).origin;
  }

  /** everything the server wrote to stderr so far */
  get stderr(): string {
    return this.readStderr();
  }

  /** The app at a hash route, e.g. route('/runs') -> http://127.0.0.1:PORT/?token=...#/runs */
  route(path: string): string {
    return this.url.replace(/#.*$/, `#${path}`);
  }

  /** One contract call over HTTP, as the renderer makes it. */
  async call<T>(channel: string, args: unknown[] = []): Promise<T> {
    const res = await fetch(`${this.origin}/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lab-token': this.token },
      body: JSON.stringify({ args }),
    });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { name: string; message: string } };
    if (!body.ok) throw new Error(`${channel}: ${body.error?.name}: ${body.error?.message}`);
    return body.result as T;
  }

  /** Sends `signal` and resolves with the exit code (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/**
 * Polls `probe` in the page until it returns a truthy value. page.waitForFunction is not used on
 * purpose: it compiles its predicate inside the page, which the app's CSP (script-src 'self')
 * refuses under load; page.evaluate goes through the DevTools protocol and is exempt. A string
 * probe (a JS expression) suits callers run through tsx, which would wrap named inner functions
 * of a callback in a `__name` helper the page does not have.
 */
export async function pollPage<T>(
  page: Page,
  probe: string | (() => T),
  what: string,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await page.evaluate(probe);
    if (last) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** Polls a Node-side condition (e.g. a locator's text) until it is truthy; resolves with that value. */
export async function pollNode<T>(
  probe: () => Promise<T>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 150,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as Truthy<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
