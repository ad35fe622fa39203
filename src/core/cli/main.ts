/**
 * `sen-lab` command-line entry. Subcommands load lazily so `sen-lab params` never pays for
 * TensorFlow.js or SQLite. Exit status: 0 ok, 1 runtime error, 2 usage error, 130/143 interrupted.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { isValidationError } from '../../shared/schema/errors';
import { UsageError } from './args';
import { didYouMean } from './suggest';
import type { CliContext, Command } from './context';

/** The version in package.json (src/core/cli/ -> the repository root). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

interface Entry {
  summary: string;
  load: () => Promise<{ command: Command }>;
}

const COMMANDS: Record<string, Entry> = {
  train: { summary: 'train a model (or --resume an interrupted run)', load: () => import('./commands/train') },
  runs: {
    summary: 'list, show, rename, tag, note, archive, export and delete runs',
    load: () => import('./commands/runs'),
  },
  params: { summary: 'count the trainable parameters of a preset or model', load: () => import('./commands/params') },
  predict: {
    summary: "logits of a run's final model on the first test images",
    load: () => import('./commands/predict'),
  },
  'export-model': {
    summary: "write every parameter of a run's final model as JSON",
    load: () => import('./commands/export-model'),
  },
  prune: {
    summary: "post-training pruning of a run's model at one or many rates",
    load: () => import('./commands/prune'),
  },
  study: {
    summary: 'pruning studies: models x modes x rates x seeds, trained and pruned; list, show',
    load: () => import('./commands/study'),
  },
  reproduce: {
    summary: "reproduce the paper's tables and figures (or a shortened version) into a report",
    load: () => import('./commands/reproduce'),
  },
  sweep: {
    summary: 'sweeps of trainings (grid, random, seeds) here or on a Slurm cluster; list, show, cancel, resume',
    load: () => import('./commands/sweep'),
  },
  figure: {
    summary: 'publication figures of a run as SVG, PDF or PNG (embedding, stacked, curves, ...)',
    load: () => import('./commands/figure'),
  },
  db: {
    summary: 'check a run database, or recover what is readable from a damaged one',
    load: () => import('./commands/db'),
  },
  bench: { summary: 'measure training throughput of a few presets', load: () => import('./commands/bench') },
};

/** Top-level usage text. */
export function globalUsage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`);
  return [
    'Usage: sen-lab <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'sen-lab <command> --help' for a command's options.",
    'The run database is --db FILE, else $SEN_LAB_DB, else the per-user data folder.',
    '',
  ].join('\n');
}

/** The real process streams and terminal prompt. */
export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    cwd: process.cwd(),
    async confirm(question: string): Promise<boolean> {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * Run the CLI with `argv` (arguments after the program name). Resolves with the exit status.
 */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    ctx.stderr.write(globalUsage());
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(globalUsage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    ctx.stdout.write(`sen-lab ${packageVersion()}\n`);
    return 0;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    const hint = didYouMean(name, Object.keys(COMMANDS), (c) => `'${c}'`);
    ctx.stderr.write(`sen-lab: unknown command '${name}'${hint}\nRun 'sen-lab --help' for the commands.\n`);
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    return reportError(err, command, ctx);
  }
}

/** Print an error the way users expect: usage problems as one line plus a pointer to --help (2), others as "sen-lab: msg" (1). */
export function reportError(err: unknown, command: Command, ctx: CliContext): number {
  const e = err instanceof Error ? err : new Error(String(err));
  const flag = (e as { flag?: unknown }).flag;
  if (e instanceof UsageError || (isValidationError(e) && typeof flag === 'string')) {
    // one line and where to look: the whole usage text would bury the problem
    ctx.stderr.write(`sen-lab ${command.name}: ${e.message}\nRun 'sen-lab ${command.name} --help' for its options.\n`);
    return 2;
  }
  ctx.stderr.write(`sen-lab: ${e.message}\n`);
  if (process.env.SEN_LAB_DEBUG && e.stack) ctx.stderr.write(`${e.stack}\n`);
  return 1;
}
