/**
 * `sen-lab train`: build a config, train it in a worker thread, record everything in the run store.
 * SIGINT/SIGTERM stop after the current batch; the run is kept as 'interrupted' (exit 130/143).
 */
import { plural } from '../../../shared/format';
import { buildRunConfig } from '../../config/build-config';
import type { RunStore } from '../../store/index';
import {
  runTraining,
  TrainingAbortedError,
  TrainingFailedError,
  type RunTrainingResult,
  type TrainingProgress,
} from '../../train/run-training';
import { resolveDataset } from '../../data/datasets';
import { formatBytes } from '../../model/memory-estimate';
import { assertFitsMemory, checkMemory } from '../../train/memory-limit';
import { bool, list, parseCommand, str, UsageError, type OptionSpec } from '../args';
import { CONFIG_OPTIONS, configFlagsGiven, MODEL_USAGE, overridesFromFlags, TRAINING_USAGE } from '../config-flags';
import { openStore, printJson, type CliContext, type Command } from '../context';
import { duration, fixed, layersText, percent, thousands } from '../format';
import { ProgressLine } from '../progress';

const OPTIONS = {
  ...CONFIG_OPTIONS,
  tag: { type: 'string', multiple: true },
  resume: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'ignore-memory-limit': { type: 'boolean' },
} as const satisfies OptionSpec;

const USAGE = `Usage: sen-lab train [options]
       sen-lab train --resume ID [--db FILE] [--json]

Train a model and record the run (metrics, snapshots, checkpoints, final model) in the run database.
Precedence: flags > --config file > --preset (default preset: quick).

${MODEL_USAGE}
${TRAINING_USAGE}
Run:
  --tag TAG              tag the run (repeatable)
  --resume ID            continue an interrupted or failed run from its last finished epoch (exactly:
                         parameters, Adam state and RNG are restored); refused (exit 1, naming the
                         pid and host) while another process trains the run
  --dry-run              print the resolved config, parameter count and memory estimate; train nothing,
                         touch no database (exit 0)
  --ignore-memory-limit  start even when the memory estimate is above the limit (default: half of
                         physical memory; $SEN_LAB_MAX_MEMORY_MB sets another)
  --db FILE              run database (default: $SEN_LAB_DB or the per-user data folder)
  --json                 JSON lines on stdout: one {"type":"epoch",...} per epoch, then the result
  -h, --help             show this help

Ctrl-C (or SIGTERM) stops after the current batch and keeps the finished epochs (exit 130/143).
`;

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export const command: Command = { name: 'train', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseCommand(argv, OPTIONS);
  const resumeId = str(p, 'resume');
  const json = bool(p, 'json');
  const tags = list(p, 'tag');
  if (resumeId !== undefined) {
    const extra = configFlagsGiven(p);
    if (extra.length || tags.length) {
      throw new UsageError(
        `--resume uses the run's stored config; drop ${[...extra, ...(tags.length ? ['tag'] : [])].map((f) => `--${f}`).join(', ')}`,
      );
    }
  }
  if (resumeId !== undefined && bool(p, 'dry-run')) throw new UsageError('--dry-run applies to new runs, not --resume');
  // Build (and validate) the config before touching the database.
  const config = resumeId
    ? undefined
    : buildRunConfig({
        preset: str(p, 'preset'),
        configFile: str(p, 'config'),
        overrides: overridesFromFlags(p),
        cwd: ctx.cwd,
      });
  if (config && bool(p, 'dry-run')) return dryRun(config, ctx, json);
  const ignoreMemoryLimit = bool(p, 'ignore-memory-limit');
  if (config) assertFitsMemory(config, ignoreMemoryLimit); // before the database is opened
  const store = await openStore(str(p, 'db'));
  try {
    return await trainWithSignals({ store, ctx, json, config, resumeId, tags, ignoreMemoryLimit });
  } finally {
    store.close();
  }
}

interface TrainArgs {
  store: RunStore;
  ctx: CliContext;
  json: boolean;
  config?: ReturnType<typeof buildRunConfig>;
  resumeId?: string;
  tags: string[];
  ignoreMemoryLimit: boolean;
}

async function trainWithSignals(a: TrainArgs): Promise<number> {
  const controller = new AbortController();
  const view = new TrainView(a.ctx, a.json, a.store.path);
  let signalName: string | null = null;
  let runId: string | null = a.resumeId ?? null;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalName !== null) return forceQuit(a.store, runId, sig);
    signalName = sig;
    if (!a.json) view.note(`${sig}: stopping after the current batch (again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runTraining({
      store: a.store,
      config: a.config,
      resumeId: a.resumeId,
      tags: a.tags,
      ignoreMemoryLimit: a.ignoreMemoryLimit,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'ready') runId = e.runId;
        view.progress(e);
      },
    });
    view.finish(result);
    return result.status === 'completed' ? 0 : (SIGNAL_EXIT[signalName ?? 'SIGINT'] ?? 130);
  } catch (err) {
    view.clear();
    if (err instanceof TrainingAbortedError) {
      a.ctx.stderr.write(`sen-lab: ${err.message}\n`);
      return SIGNAL_EXIT[signalName ?? 'SIGINT'] ?? 130;
    }
    if (a.json && err instanceof TrainingFailedError) {
      printJson(a.ctx.stdout, { runId: err.runId, status: 'failed', error: err.message });
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Second signal: record the run as interrupted (finished epochs stay) and leave immediately. */
function forceQuit(store: RunStore, runId: string | null, sig: NodeJS.Signals): never {
  try {
    if (runId) store.finishRun(runId, 'interrupted', { error: `stopped by a second ${sig}` });
  } catch {
    // best effort: the store recovers runs of dead processes as 'interrupted' on its next open
  }
  process.exit(SIGNAL_EXIT[sig] ?? 130);
}

/** Everything the user sees while training: live bar, per-epoch lines, final summary (or JSON lines). */
class TrainView {
  private readonly bar: ProgressLine;

  constructor(
    private readonly ctx: CliContext,
    private readonly json: boolean,
    private readonly dbPath: string,
  ) {
    this.bar = new ProgressLine(ctx.stderr);
  }

  progress(e: TrainingProgress): void {
    if (this.json) {
      if (e.type === 'epoch') printJson(this.ctx.stdout, { type: 'epoch', runId: e.runId, ...e.metrics });
      return;
    }
    if (e.type === 'batch') this.bar.update(e);
    else if (e.type === 'ready') {
      this.line(readyText(e));
      this.line(`Database: ${this.dbPath}  run id: ${e.runId}`);
    } else if (e.type === 'start' && e.startEpoch > 0) this.line(`Resuming after epoch ${e.startEpoch}`);
    else if (e.type === 'epoch') this.line(epochText(e.metrics, e.epochs));
  }

  note(text: string): void {
    this.bar.clear();
    this.ctx.stderr.write(`${text}\n`);
  }

  clear(): void {
    this.bar.clear();
  }

  finish(r: RunTrainingResult): void {
    this.bar.clear();
    if (this.json) {
      const { runId, status, testAccuracy, params, backend, epochs } = r;
      printJson(this.ctx.stdout, {
        runId,
        status,
        testAccuracy,
        params,
        backend,
        epochs,
        epochsPlanned: r.epochsPlanned,
        dbPath: this.dbPath,
      });
      return;
    }
    if (r.status === 'completed') {
      this.line(
        `Run ${r.runId} completed: test accuracy ${percent(r.testAccuracy)} after ${plural(r.epochs, 'epoch')}`,
      );
    } else {
      this.line(
        `Run ${r.runId} interrupted after ${r.epochs}/${r.epochsPlanned} epochs; resume with: sen-lab train --resume ${r.runId}`,
      );
    }
    this.line(`Stored in ${this.dbPath} as run ${r.runId}`);
  }

  private line(text: string): void {
    this.bar.clear();
    this.ctx.stdout.write(`${text}\n`);
  }
}

/** `--dry-run`: what would be trained and what it would need; no database, no worker. */
function dryRun(config: ReturnType<typeof buildRunConfig>, ctx: CliContext, json: boolean): number {
  resolveDataset(config.dataset.name); // a missing data set (folder or file) fails here too, not only in training
  const memory = checkMemory(config);
  if (json) {
    printJson(ctx.stdout, { dryRun: true, config, params: memory.params, memory });
    return 0;
  }
  const m = config.model;
  const t = config.training;
  const spiking = m.spiking ? `, spiking T=${m.spiking.timeSteps}` : '';
  const model =
    m.kind === 'spatial' ? `spatial ${layersText(m.layers)} d=${m.dim} ${m.zMode}` : `dense ${layersText(m.layers)}`;
  const lines = [
    `Dry run (nothing trained, no database touched)`,
    `  model      ${model}${spiking}, ${thousands(memory.params)} params`,
    `  data       ${config.dataset.name}${config.dataset.trainSize ? `, train ${thousands(config.dataset.trainSize)}` : ''}${config.dataset.testSize ? `, test ${thousands(config.dataset.testSize)}` : ''}`,
    `  training   ${plural(t.epochs, 'epoch')} x batch ${t.batchSize}, lr ${t.learningRate}, seed ${t.seed}${config.pruning ? `, pruning ${config.pruning.rate}` : ''}`,
    `  memory     about ${formatBytes(memory.bytes)} at peak (limit ${formatBytes(memory.limitBytes)})${memory.fits ? '' : ': DOES NOT FIT'}`,
    ...memory.parts.map((part) => `    ${formatBytes(part.bytes).padStart(8)}  ${part.label}`),
  ];
  if (memory.problem) lines.push(`  ${memory.problem}`);
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function readyText(e: Extract<TrainingProgress, { type: 'ready' }>): string {
  const m = e.config.model;
  const model =
    m.kind === 'spatial' ? `spatial ${layersText(m.layers)} d=${m.dim} ${m.zMode}` : `dense ${layersText(m.layers)}`;
  const verb = e.resumed ? 'Resuming run' : 'Run';
  return (
    `${verb} ${e.runId}: ${model}, ${thousands(e.params)} params, backend ${e.backend}, ` +
    `${e.dataset.name} (${thousands(e.dataset.trainCount)} train / ${thousands(e.dataset.testCount)} test), ` +
    `${plural(e.config.training.epochs, 'epoch')} x batch ${e.config.training.batchSize}`
  );
}

function epochText(m: Extract<TrainingProgress, { type: 'epoch' }>['metrics'], epochs: number): string {
  return (
    `epoch ${m.epoch}/${epochs}  train loss ${fixed(m.trainLoss)} acc ${percent(m.trainAccuracy)}` +
    `  test loss ${fixed(m.testLoss)} acc ${percent(m.testAccuracy)}` +
    `  ${duration(m.durationMs)}  ${thousands(m.samplesPerSec)} samples/s`
  );
}
