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
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { LabServerProcess, launchChromium, LivePage, NewRunPage, ROOT } from '../../test/e2e/pages';
import type { RunDetail } from '../../src/shared/run-config';

export interface LiveBenchOptions {
  dir: string;
  repeats: number;
  log: (line: string) => void;
}

/** preset quick at its own size (784-128-10), 2 epochs of 20,000 images, batch 100 */
export const LIVE_CONFIG = { preset: 'quick', layers: '784,128,10', epochs: 2, trainSize: 20_000, testSize: 2_000, batchSize: 100 } as const;

export type Mode = 'cli' | 'server' | 'browser';

export interface RunSample {
  mode: Mode;
  runId: string;
  backend: string;
  /** stored samplesPerSec of each epoch */
  epochs: number[];
  /** the browser page's view of the run (browser mode only) */
  page?: { progressEvents: number; positionsEvents: number; positionsBytes: number; embeddingFrames: number };
}

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/sen-lab.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`sen-lab ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

function runCli(db: string): RunSample {
  const c = LIVE_CONFIG;
  const out = cli([
    'train', '--preset', c.preset, '--layers', c.layers, '--epochs', String(c.epochs), '--train-size', String(c.trainSize),
    '--test-size', String(c.testSize), '--batch-size', String(c.batchSize), '--db', db, '--json',
  ]);
  const last = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { runId: string; status: string };
  if (last.status !== 'completed') throw new Error(`CLI run ended ${last.status}`);
  const detail = JSON.parse(cli(['runs', 'show', last.runId, '--db', db, '--json'])) as RunDetail;
  return { mode: 'cli', runId: detail.id, backend: detail.backend, epochs: detail.epochs.map((e) => e.samplesPerSec) };
}

async function runBrowser(browser: Browser, db: string): Promise<{ sample: RunSample; config: RunDetail['config'] }> {
  const server = await LabServerProcess.start(db);
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await context.newPage();
  try {
    // count what the page's EventSource receives (the DevTools protocol sees it without touching the page)
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const counts = { progress: 0, positions: 0, positionsBytes: 0 };
    cdp.on('Network.eventSourceMessageReceived', (e: { eventName: string; data: string }) => {
      if (e.eventName === 'run/progress') counts.progress++;
      if (e.eventName === 'run/positions') {
        counts.positions++;
        counts.positionsBytes += e.data.length;
      }
    });
    const c = LIVE_CONFIG;
    const form = await new NewRunPage(page, server).goto();
    await form.choosePreset(c.preset);
    await form.fill({ layers: c.layers, epochs: c.epochs, trainSize: c.trainSize, testSize: c.testSize, batchSize: c.batchSize });
    await form.waitForParams('2,896', 60_000);
    const runId = await form.start(120_000);
    const live = new LivePage(page, server);
    await live.waitForStatus('completed', 900_000);
    const frames = await live.embedding.frames();
    const detail = await server.call<RunDetail>('runs/get', [runId]);
    return {
      sample: {
        mode: 'browser',
        runId,
        backend: detail.backend,
        epochs: detail.epochs.map((e) => e.samplesPerSec),
        page: { progressEvents: counts.progress, positionsEvents: counts.positions, positionsBytes: counts.positionsBytes, embeddingFrames: frames },
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
    const deadline = Date.now() + 900_000;
    let detail = await server.call<RunDetail>('runs/get', [id]);
    while (detail.status === 'running') {
      if (Date.now() > deadline) throw new Error(`run ${id} still running after 15 minutes`);
      await new Promise((r) => setTimeout(r, 500));
      detail = await server.call<RunDetail>('runs/get', [id]);
    }
    if (detail.status !== 'completed') throw new Error(`server-only run ended ${detail.status}: ${detail.error}`);
    return { mode: 'server', runId: id, backend: detail.backend, epochs: detail.epochs.map((e) => e.samplesPerSec) };
  } finally {
    await server.stop('SIGTERM');
  }
}

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
  pass: boolean;
}

export async function liveOverheadBench(opts: LiveBenchOptions): Promise<LiveBenchResult> {
  const browser = await launchChromium();
  const samples: RunSample[] = [];
  let cliConfig: unknown;
  let browserConfig: unknown;
  try {
    for (let i = 0; i < opts.repeats; i++) {
      const a = runCli(join(opts.dir, `live-cli-${i}.db`));
      samples.push(a);
      opts.log(`live: cli #${i + 1}: ${a.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${a.backend})`);
      const stored = JSON.parse(cli(['runs', 'show', a.runId, '--db', join(opts.dir, `live-cli-${i}.db`), '--json'])) as RunDetail;
      cliConfig ??= stored.config;
      const c = await runServerOnly(join(opts.dir, `live-server-${i}.db`), stored.config);
      samples.push(c);
      opts.log(`live: server, no page #${i + 1}: ${c.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${c.backend})`);
      const b = await runBrowser(browser, join(opts.dir, `live-browser-${i}.db`));
      samples.push(b.sample);
      browserConfig ??= b.config;
      const p = b.sample.page!;
      opts.log(
        `live: browser #${i + 1}: ${b.sample.epochs.map((s) => Math.round(s)).join(', ')} samples/s per epoch (${b.sample.backend}); ` +
          `page got ${p.progressEvents} progress + ${p.positionsEvents} positions events (${(p.positionsBytes / 1e6).toFixed(1)} MB), drew ${p.embeddingFrames} embedding frames`,
      );
    }
  } finally {
    await browser.close();
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
    slowdownPctPerRepeat: c.lastEpoch.map((x, i) => pct(x, b.lastEpoch[i])),
    pass: slowdownPctLastEpoch < 5,
  };
}
