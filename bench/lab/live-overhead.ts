/**
 * "Live updates slow training by less than 5% compared with the headless CLI."
 *
 * The same config is trained (a) by the CLI (`sen-lab train --json`, no live positions, no
 * listener) and (b) in browser mode with Chromium showing the run's live view, which receives
 * every 'run/progress' and 'run/positions' event over SSE and redraws curves and the pixi
 * embedding (SwiftShader WebGL, i.e. on the same CPU cores). Throughput is the stored per-epoch
 * `samplesPerSec` (training phase of each epoch, evaluation excluded), read back with
 * `sen-lab runs show --json` and `runs/get`. A third mode separates the costs: (c) browser mode
 * with no page open (started with POST /api/runs/start), where the worker still sends live
 * positions and the server still encodes and broadcasts them, but nobody draws. Modes alternate
 * (cli, server, browser, cli, server, browser, ...).
 *
 * The bench measures the app, not itself: the page's events are counted inside the page (an init
 * script wraps EventSource listeners; no DevTools network capture, which would copy every
 * positions event into this process), and the end of the run is polled over HTTP once a second
 * (no DOM queries). The CPU time of Chromium's processes (browser, GPU, renderer) during the run
 * is read from /proc, so the note can say what the drawing costs, not only what it does to
 * the training.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';
import { CHROMIUM, LabServerProcess, LivePage, NewRunPage, ROOT } from '../../test/e2e/pages';
import { CHROMIUM_ARGS } from '../../test/e2e/pages/lab-app';
import type { RunDetail } from '../../src/shared/run-config';

export interface LiveBenchOptions {
  dir: string;
  repeats: number;
  /** long runs measured drawing vs frozen epoch by epoch (runWithinRun) */
  withinRuns: number;
  log: (line: string) => void;
}

/**
 * preset quick at its own size (784-128-10), 2 epochs of all 60,000 MNIST images, batch 100: long
 * enough (~4-5 s an epoch here) that the second epoch is the steady state of a live view
 */
export const LIVE_CONFIG = {
  preset: 'quick',
  layers: '784,128,10',
  epochs: 2,
  trainSize: 60_000,
  testSize: 2_000,
  batchSize: 100,
} as const;

export type Mode = 'cli' | 'server' | 'browser';

export interface RunSample {
  mode: Mode;
  runId: string;
  backend: string;
  /** stored samplesPerSec of each epoch */
  epochs: number[];
  /** the browser page's view of the run (browser mode only) */
  page?: {
    progressEvents: number;
    positionsEvents: number;
    positionsBytes: number;
    embeddingFrames: number;
    refreshHz: number;
  };
  /** CPU time of Chromium's processes during the run, in cores (CPU s per wall s), by process type */
  chromiumCores?: Record<string, number>;
}

/** Counts the app's SSE events inside the page (installed before any app script). */
const COUNT_EVENTS = `(() => {
  const counts = { progress: 0, positions: 0, positionsBytes: 0 };
  Object.defineProperty(window, '__benchEvents', { value: counts });
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'run/progress' && type !== 'run/positions') return add.call(this, type, listener, options);
    const counted = (e) => {
      if (type === 'run/progress') counts.progress++;
      else { counts.positions++; counts.positionsBytes += e.data.length; }
      return typeof listener === 'function' ? listener.call(this, e) : listener.handleEvent(e);
    };
    return add.call(this, type, counted, options);
  };
})();`;

const CLOCK_TICKS = 100; // USER_HZ of /proc/<pid>/stat

/** Chromium's processes (the launched browser and its descendants) with their type and CPU seconds. */
function chromiumCpu(rootPid: number): Map<number, { type: string; cpu: number }> {
  const stat = (pid: number) => {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS };
  };
  const all = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      all.set(Number(d), stat(Number(d)));
    } catch {
      // exited meanwhile
    }
  }
  const out = new Map<number, { type: string; cpu: number }>();
  const inTree = (pid: number): boolean => pid === rootPid || (all.has(pid) && pid > 1 && inTree(all.get(pid)!.ppid));
  for (const [pid, s] of all) {
    if (!inTree(pid)) continue;
    let type = 'browser';
    try {
      type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    } catch {
      // exited meanwhile
    }
    out.set(pid, { type, cpu: s.cpu });
  }
  return out;
}

function cpuCores(
  before: Map<number, { type: string; cpu: number }>,
  after: Map<number, { type: string; cpu: number }>,
  wallS: number,
): Record<string, number> {
  const cores: Record<string, number> = {};
  for (const [pid, a] of after) {
    const used = a.cpu - (before.get(pid)?.cpu ?? 0);
    cores[a.type] = (cores[a.type] ?? 0) + used / wallS;
  }
  cores.total = Object.values(cores).reduce((x, y) => x + y, 0);
  for (const k of Object.keys(cores)) cores[k] = Math.round(cores[k] * 1000) / 1000;
  return cores;
}

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sen-lab.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 900_000,
  });
  if (r.status !== 0) throw new Error(`sen-lab ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function runCli(db: string): RunSample {
  const c = LIVE_CONFIG;
  const out = cli([
    'train',
    '--preset',
    c.preset,
    '--layers',
    c.layers,
    '--epochs',
    String(c.epochs),
    '--train-size',
    String(c.trainSize),
    '--test-size',
    String(c.testSize),
    '--batch-size',
    String(c.batchSize),
    '--db',
    db,
    '--json',
  ]);
  const last = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { runId: string; status: string };
  if (last.status !== 'completed') throw new Error(`CLI run ended ${last.status}`);
  const detail = JSON.parse(cli(['runs', 'show', last.runId, '--db', db, '--json'])) as RunDetail;
  return { mode: 'cli', runId: detail.id, backend: detail.backend, epochs: detail.epochs.map((e) => e.samplesPerSec) };
}

/** The New run form filled in with `c`, its parameter count confirmed by the server; not started. */
async function fillForm(
  page: Page,
  server: LabServerProcess,
  c: typeof LIVE_CONFIG | typeof WITHIN_RUN_CONFIG,
): Promise<NewRunPage> {
  const form = await new NewRunPage(page, server).goto();
  await form.choosePreset(c.preset);
  await form.fill({
    layers: c.layers,
    epochs: c.epochs,
    trainSize: c.trainSize,
    testSize: c.testSize,
    batchSize: c.batchSize,
  });
  await form.waitForParams('2,896', 60_000);
  return form;
}

/** Polls runs/get once a second until the run is no longer running. */
async function waitForEnd(server: LabServerProcess, id: string): Promise<RunDetail> {
  const deadline = Date.now() + 900_000;
  let detail = await server.call<RunDetail>('runs/get', [id]);
  while (detail.status === 'running') {
    if (Date.now() > deadline) throw new Error(`run ${id} still running after 15 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
    detail = await server.call<RunDetail>('runs/get', [id]);
  }
  if (detail.status !== 'completed') throw new Error(`run ${id} ended ${detail.status}: ${detail.error}`);
  return detail;
}

async function runBrowser(
  browserServer: BrowserServer,
  browser: Browser,
  db: string,
): Promise<{ sample: RunSample; config: RunDetail['config'] }> {
  const server = await LabServerProcess.start(db);
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  await context.addInitScript(COUNT_EVENTS);
  const page = await context.newPage();
  try {
    const form = await fillForm(page, server, LIVE_CONFIG);
    const pid = browserServer.process().pid!;
    const cpu0 = chromiumCpu(pid);
    const t0 = performance.now();
    const runId = await form.start(120_000);
    const detail = await waitForEnd(server, runId);
    const cores = cpuCores(cpu0, chromiumCpu(pid), (performance.now() - t0) / 1000);
    const live = new LivePage(page, server);
    const frames = await live.embedding.frames();
    const counts = (await page.evaluate('window.__benchEvents')) as {
      progress: number;
      positions: number;
      positionsBytes: number;
    };
    const refreshHz = Number(await page.getByTestId('live-refresh').getAttribute('data-hz'));
    return {
      sample: {
        mode: 'browser',
        runId,
        backend: detail.backend,
        epochs: detail.epochs.map((e) => e.samplesPerSec),
        page: {
          progressEvents: counts.progress,
          positionsEvents: counts.positions,
          positionsBytes: counts.positionsBytes,
          embeddingFrames: frames,
          refreshHz,
        },
        chromiumCores: cores,
      },
      config: detail.config,
    };
  } finally {
    await context.close();
    await server.stop('SIGTERM');
  }
}

/** Browser mode without any page: the same config started over HTTP, polled until it ends. */
async function runServerOnly(db: string, config: RunDetail['config']): Promise<RunSample> {
  const server = await LabServerProcess.start(db);
  try {
    const { id } = await server.call<{ id: string }>('runs/start', [config]);
    const detail = await waitForEnd(server, id);
    return { mode: 'server', runId: id, backend: detail.backend, epochs: detail.epochs.map((e) => e.samplesPerSec) };
  } finally {
    await server.stop('SIGTERM');
  }
}

/**
 * Follows the server's events (`GET /api/events`, as the page does) and calls `onEpoch` with the
 * number of every epoch of `runId` that ends; resolves once the run's status is no longer running.
 */
async function followEpochs(
  server: LabServerProcess,
  runId: string,
  onEpoch: (epoch: number) => Promise<void>,
): Promise<void> {
  const res = await fetch(`${server.origin}/api/events?token=${server.token}`);
  if (!res.ok || !res.body) throw new Error(`GET /api/events: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      const payload = JSON.parse(data) as { runId?: string; status?: string; metrics?: { epoch: number } };
      if (payload.runId !== runId) continue;
      if (event === 'run/epoch' && payload.metrics) await onEpoch(payload.metrics.epoch);
      if (event === 'run/status' && payload.status !== 'running') {
        await res.body.cancel().catch(() => undefined);
        return;
      }
    }
  }
}

/** 9 epochs of 60,000 images: epoch 1 warms up, then the page alternates frozen / drawing */
export const WITHIN_RUN_CONFIG = { ...LIVE_CONFIG, epochs: 9 } as const;

export interface WithinRunSample {
  runId: string;
  /** samples/s of each epoch; epochs 2, 4, 6, 8 trained with the page frozen, 3, 5, 7, 9 drawing */
  epochs: number[];
  /** (frozen - drawing) / frozen in % for the pairs (2,3), (4,5), (6,7), (8,9) */
  pairPct: number[];
}

/**
 * The live view's cost inside one run, so the machine's drift between runs drops out: the page
 * shows the live view of a long run and is frozen (CDP Page.setWebLifecycleState: no script, no
 * frames, as if closed) for the even epochs and drawing for the odd ones; the switch happens when
 * the server reports an epoch's end, before the next epoch's first batch.
 */
async function runWithinRun(browser: Browser, db: string): Promise<WithinRunSample> {
  const server = await LabServerProcess.start(db);
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await context.newPage();
  try {
    const c = WITHIN_RUN_CONFIG;
    const form = await fillForm(page, server, c);
    const cdp = await context.newCDPSession(page);
    const runId = await form.start(120_000);
    await followEpochs(server, runId, async (epoch) => {
      const next = epoch + 1;
      if (next > c.epochs) return;
      await cdp.send('Page.setWebLifecycleState', { state: next % 2 === 0 ? 'frozen' : 'active' });
    });
    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    const detail = await waitForEnd(server, runId);
    const epochs = detail.epochs.map((e) => e.samplesPerSec);
    const pairPct: number[] = [];
    for (let e = 2; e + 1 <= epochs.length; e += 2) pairPct.push(((epochs[e - 1] - epochs[e]) / epochs[e - 1]) * 100);
    return { runId, epochs, pairPct };
  } finally {
    await context.close();
    await server.stop('SIGTERM');
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export interface LiveBenchResult {
  figure: 'live-updates-slowdown';
  claim: string;
  config: typeof LIVE_CONFIG;
  samples: RunSample[];
  /** configs of the CLI and browser runs are identical (name aside) */
  sameConfig: boolean;
  /** per mode: samples/s of the last epoch (steady state) and of all epochs, per repeat */
  cli: { lastEpoch: number[]; allEpochs: number[] };
  /** browser mode with no page open */
  server: { lastEpoch: number[]; allEpochs: number[] };
  browser: { lastEpoch: number[]; allEpochs: number[] };
  /** slowdown of the server-only mode against the CLI (last epoch, means): the backend's share */
  serverOnlySlowdownPct: number;
  /** (cli - browser) / cli in %, from the means over repeats */
  slowdownPctLastEpoch: number;
  slowdownPctAllEpochs: number;
  /** slowdown of each repeat (its cli and browser runs ran back to back, under similar load), last epoch */
  slowdownPctPerRepeat: number[];
  /** median of slowdownPctPerRepeat: what `pass` is judged on (robust to one disturbed repeat) */
  slowdownPctMedian: number;
  /** the page drawing vs frozen inside the same runs (see runWithinRun) */
  withinRun: { config: typeof WITHIN_RUN_CONFIG; runs: WithinRunSample[]; pairPctMedian: number; pairPctMean: number };
  /** Chromium's CPU use while a run trained on the live view, mean over repeats, in cores by process type */
  chromiumCores: Record<string, number>;
  pass: boolean;
}

export async function liveOverheadBench(opts: LiveBenchOptions): Promise<LiveBenchResult> {
  // a browser server, so the bench knows Chromium's process id (its CPU time is reported)
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const samples: RunSample[] = [];
  const within: WithinRunSample[] = [];
  let cliConfig: unknown;
  let browserConfig: unknown;
  try {
    for (let i = 0; i < opts.repeats; i++) {
      const a = runCli(join(opts.dir, `live-cli-${i}.db`));
      samples.push(a);
      opts.log(
        `live: cli #${i + 1}: ${a.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${a.backend})`,
      );
      const stored = JSON.parse(
        cli(['runs', 'show', a.runId, '--db', join(opts.dir, `live-cli-${i}.db`), '--json']),
      ) as RunDetail;
      cliConfig ??= stored.config;
      const c = await runServerOnly(join(opts.dir, `live-server-${i}.db`), stored.config);
      samples.push(c);
      opts.log(
        `live: server, no page #${i + 1}: ${c.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${c.backend})`,
      );
      const b = await runBrowser(browserServer, browser, join(opts.dir, `live-browser-${i}.db`));
      samples.push(b.sample);
      browserConfig ??= b.config;
      const p = b.sample.page!;
      opts.log(
        `live: browser #${i + 1}: ${b.sample.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${b.sample.backend}); ` +
          `page got ${p.progressEvents} progress + ${p.positionsEvents} positions events (${(p.positionsBytes / 1e6).toFixed(1)} MB), ` +
          `drew ${p.embeddingFrames} embedding frames at ${p.refreshHz}/s refresh; Chromium used ${JSON.stringify(b.sample.chromiumCores)} cores`,
      );
    }
    for (let i = 0; i < opts.withinRuns; i++) {
      const w = await runWithinRun(browser, join(opts.dir, `live-within-${i}.db`));
      within.push(w);
      opts.log(
        `live: within run #${i + 1}: ${w.epochs.map((x) => Math.round(x)).join(', ')} samples/s per epoch; drawing vs frozen ${w.pairPct.map((x) => `${x.toFixed(1)}%`).join(', ')}`,
      );
    }
  } finally {
    await browser.close();
    await browserServer.close();
  }
  const strip = (c: unknown): string => JSON.stringify({ ...(c as object), name: undefined });
  const of = (mode: Mode) => {
    const s = samples.filter((x) => x.mode === mode);
    return { lastEpoch: s.map((x) => x.epochs[x.epochs.length - 1]), allEpochs: s.map((x) => mean(x.epochs)) };
  };
  const c = of('cli');
  const b = of('browser');
  const srv = of('server');
  const pct = (base: number, other: number): number => ((base - other) / base) * 100;
  const slowdownPctLastEpoch = pct(mean(c.lastEpoch), mean(b.lastEpoch));
  const perRepeat = c.lastEpoch.map((x, i) => pct(x, b.lastEpoch[i]));
  const slowdownPctMedian = median(perRepeat);
  const pairs = within.flatMap((w) => w.pairPct);
  const chromiumCores: Record<string, number> = {};
  const browserSamples = samples.filter((x) => x.chromiumCores);
  for (const x of browserSamples) {
    for (const [k, v] of Object.entries(x.chromiumCores!))
      chromiumCores[k] = (chromiumCores[k] ?? 0) + v / browserSamples.length;
  }
  return {
    figure: 'live-updates-slowdown',
    claim: 'Live updates slow training by less than 5% compared with the headless CLI',
    config: LIVE_CONFIG,
    samples,
    sameConfig: strip(cliConfig) === strip(browserConfig),
    cli: c,
    server: srv,
    browser: b,
    serverOnlySlowdownPct: pct(mean(c.lastEpoch), mean(srv.lastEpoch)),
    slowdownPctLastEpoch,
    slowdownPctAllEpochs: pct(mean(c.allEpochs), mean(b.allEpochs)),
    slowdownPctPerRepeat: perRepeat,
    slowdownPctMedian,
    withinRun: { config: WITHIN_RUN_CONFIG, runs: within, pairPctMedian: median(pairs), pairPctMean: mean(pairs) },
    chromiumCores,
    pass: slowdownPctMedian < 5,
  };
}
