/**
 * Lab benchmarks (npm run bench:lab [-- --json] [--only live|history] [--repeats N] [--runs N]
 * [--samples N]): the live view's cost to training, and History with 1,000 runs. Needs the built
 * renderer (built first when stale) and /usr/bin/chromium. Never part of npm test.
 *
 * Without --json: progress and a summary on stderr/stdout. With --json: one JSON line per figure
 * on stdout (progress still on stderr).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumMissing, ensureRendererBuilt } from '../../test/e2e/pages';
import { historyBench } from './history-render';
import { liveOverheadBench } from './live-overhead';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    repeats: { type: 'string', default: '5' },
    runs: { type: 'string', default: '1000' },
    samples: { type: 'string', default: '5' },
  },
  strict: true,
});
const only = values.only;
if (only !== undefined && only !== 'live' && only !== 'history') {
  process.stderr.write(`bench:lab: --only must be live or history, got '${only}'\n`);
  process.exit(2);
}
const int = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench:lab: --${name} must be a positive integer, got '${text}'\n`);
    process.exit(2);
  }
  return n;
};
const repeats = int('repeats', values.repeats);
const runs = int('runs', values.runs);
const samples = int('samples', values.samples);

const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`bench:lab: ${missing}; the lab benchmarks drive Chromium (apt-get install chromium)\n`);
  process.exit(1);
}
const log = (line: string): void => void process.stderr.write(`${line}\n`);
ensureRendererBuilt(log);

const dir = mkdtempSync(join(tmpdir(), 'sen-lab-bench-lab-'));
/** The machine's load while a figure was measured (1-minute load average at start and end). */
const machine = (start: number): { cores: number; load1: [number, number] } => ({
  cores: cpus().length,
  load1: [Math.round(start * 100) / 100, Math.round(loadavg()[0] * 100) / 100],
});
const loadText = (m: { cores: number; load1: [number, number] }): string =>
  `  machine: ${m.cores} cores, load average ${m.load1[0]} at start, ${m.load1[1]} at end\n`;
const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
try {
  if (only !== 'history') {
    const load0 = loadavg()[0];
    const r = {
      ...(await liveOverheadBench({ dir, repeats, withinRuns: Math.max(1, Math.round(repeats / 2)), log })),
      machine: machine(load0),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      const c = r.config;
      process.stdout.write(
        `\n${r.claim}\n` +
          `  config: preset ${c.preset}, layers ${c.layers}, ${c.epochs} epochs of ${fmt(c.trainSize)} images (test ${fmt(c.testSize)}), batch ${c.batchSize}; same stored config: ${r.sameConfig ? 'yes' : 'NO'}\n` +
          `  CLI      samples/s, last epoch: ${r.cli.lastEpoch.map((x) => fmt(x)).join(', ')}   all epochs: ${r.cli.allEpochs.map((x) => fmt(x)).join(', ')}\n` +
          `  server   samples/s, last epoch: ${r.server.lastEpoch.map((x) => fmt(x)).join(', ')}   all epochs: ${r.server.allEpochs.map((x) => fmt(x)).join(', ')}   (browser mode, no page open)\n` +
          `  browser  samples/s, last epoch: ${r.browser.lastEpoch.map((x) => fmt(x)).join(', ')}   all epochs: ${r.browser.allEpochs.map((x) => fmt(x)).join(', ')}   (Chromium on the live view)\n` +
          `  slowdown, last epoch: per repeat ${r.slowdownPctPerRepeat.map((x) => `${fmt(x, 1)}%`).join(', ')}; median ${fmt(r.slowdownPctMedian, 1)}%  -> ${r.pass ? 'PASS' : 'FAIL'} (median < 5%)\n` +
          `            means over repeats: ${fmt(r.slowdownPctLastEpoch, 1)}% (last epoch), ${fmt(r.slowdownPctAllEpochs, 1)}% (all epochs)\n` +
          `  inside ${r.withinRun.runs.length} runs of ${r.withinRun.config.epochs} epochs, page drawing vs frozen, epoch pairs: ${r.withinRun.runs
            .flatMap((w) => w.pairPct)
            .map((x) => `${fmt(x, 1)}%`)
            .join(', ')}; ` +
          `median ${fmt(r.withinRun.pairPctMedian, 1)}%, mean ${fmt(r.withinRun.pairPctMean, 1)}%\n` +
          `  Chromium drawing the live view used ${fmt(r.chromiumCores.total ?? 0, 2)} cores (GPU process ${fmt(r.chromiumCores['gpu-process'] ?? 0, 2)}, renderer ${fmt(r.chromiumCores.renderer ?? 0, 2)})\n` +
          `  of which the backend alone (no page): ${fmt(r.serverOnlySlowdownPct, 1)}%\n` +
          loadText(r.machine),
      );
    }
  }
  if (only !== 'live') {
    const load0 = loadavg()[0];
    const r = { ...(await historyBench({ dir, runs, samples, log })), machine: machine(load0) };
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      const s = (x: { median: number; min: number; max: number }): string =>
        `${fmt(x.median, 1)} ms (${fmt(x.min, 1)}–${fmt(x.max, 1)})`;
      const p = r.pageLoad;
      process.stdout.write(
        `\n${r.claim}   (medians, range in brackets, ${samples} samples)\n` +
          `  API      runs/list over HTTP: ${s(r.api)}, ${fmt(r.api.bytes / 1024)} KB\n` +
          `  page     open #/runs: listed ${s(p.navigationToListedMs)} after navigation start (painted ${s(p.navigationToPaintedMs)})\n` +
          `           of which runs/list request ${s(p.listRequestMs)}, render after its response ${s(p.renderAfterResponseMs)}; ${p.rowsInDom} rows in the DOM (windowed table)\n` +
          `  in app   New run -> History: listed ${s(r.inApp.listedMs)}, painted ${s(r.inApp.paintedMs)}` +
          ` (${r.inApp.fetchedBeforeListed} of ${samples} waited for a runs/list answer; otherwise the rows come from the app's already loaded run list)\n` +
          `  -> in app ${r.passInApp ? 'PASS' : 'FAIL'} (painted < 200 ms); page load ${r.passPageLoad ? 'PASS' : 'FAIL'} ` +
          `(runs/list + render < 200 ms; the app's own boot, ~${fmt(p.navigationToListedMs.median - p.listRequestMs.median - p.renderAfterResponseMs.median)} ms, not counted)\n` +
          loadText(r.machine),
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
