/**
 * `sen-lab runs <action>`: browse and edit the run database.
 */
import { plural } from '../../../shared/format';
import { STORED_RUN_STATUSES } from '../../../shared/schema/enums';
import type { RunSummary } from '../../../shared/run-config';
import type { RunStore } from '../../store/index';
import { bool, choice, int, parseCommand, positionals, str, UsageError, type OptionSpec, type Parsed } from '../args';
import { didYouMean } from '../suggest';
import { printJson, withStore, type CliContext, type Command } from '../context';
import { clip, duration, layersText, percent, table, thousands } from '../format';
import { exportRun } from './runs-export';
import { importRuns } from './runs-import';
import { showRun } from './runs-show';

const USAGE = `Usage: sen-lab runs <action> [options]

Actions:
  list [--status S] [--search TEXT] [--tag TAG] [--all] [--limit N] [--json]
                               list runs, newest first (--all includes archived runs)
  show ID [--json]             config, summary and per-epoch metrics of one run
  delete ID [--yes] [--force]  delete a run and everything stored with it; refused while a live
                               process trains the run (--force deletes it anyway: that trainer
                               then fails at its next write and its run is gone)
  rename ID NAME               rename a run
  tag ID TAG... [--remove]     add tags (or remove them with --remove)
  note ID TEXT                 set the run's notes
  archive ID [--undo]          hide a run from 'runs list' (or bring it back)
  export ID [--format json|csv] [--out FILE]
                               full detail as JSON, or per-epoch metrics as CSV
  import BUNDLE... [--json]    import run bundles (from a Slurm sweep's shared folder); idempotent

IDs may be abbreviated to a unique prefix of at least 4 characters.
Every action takes --db FILE (default: $SEN_LAB_DB or the per-user data folder) and --json
(rename, tag, note and archive then print the updated run as JSON; delete prints {"id","deleted"}).
`;

/** Every action takes --db and --json (edits then print the updated run summary as JSON). */
const DB = { db: { type: 'string' }, json: { type: 'boolean' } } as const satisfies OptionSpec;

interface Action {
  options: OptionSpec;
  /** reads only: the database is opened read-only and never created */
  read?: boolean;
  args: string[];
  rest?: boolean;
  run(store: RunStore, p: Parsed, args: string[], ctx: CliContext): Promise<number> | number;
}

const ACTIONS: Record<string, Action> = {
  list: {
    options: {
      ...DB,
      status: { type: 'string' },
      search: { type: 'string' },
      tag: { type: 'string' },
      all: { type: 'boolean' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
    args: [],
    read: true,
    run: listRuns,
  },
  show: { options: DB, args: ['ID'], read: true, run: (s, p, [id], ctx) => showRun(s, id, bool(p, 'json'), ctx) },
  delete: {
    options: { ...DB, yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' } },
    args: ['ID'],
    run: deleteRun,
  },
  rename: {
    options: DB,
    args: ['ID', 'NAME'],
    run: (s, p, [id, name], ctx) => done(ctx, p, s.renameRun(id, name), 'renamed'),
  },
  tag: { options: { ...DB, remove: { type: 'boolean' } }, args: ['ID', 'TAG'], rest: true, run: tagRun },
  note: {
    options: DB,
    args: ['ID', 'TEXT'],
    run: (s, p, [id, text], ctx) => done(ctx, p, s.setNotes(id, text), 'notes saved'),
  },
  archive: {
    options: { ...DB, undo: { type: 'boolean' } },
    args: ['ID'],
    run: (s, p, [id], ctx) =>
      done(ctx, p, s.setArchived(id, !bool(p, 'undo')), bool(p, 'undo') ? 'unarchived' : 'archived'),
  },
  export: {
    options: { ...DB, format: { type: 'string' }, out: { type: 'string' } },
    args: ['ID'],
    read: true,
    run: (s, p, [id], ctx) => exportRun({ store: s, id, format: exportFormat(p), out: str(p, 'out'), ctx }),
  },
  import: { options: { ...DB, json: { type: 'boolean' } }, args: ['BUNDLE'], rest: true, run: importRuns },
};

export const command: Command = { name: 'runs', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [actionName, ...rest] = argv;
  if (actionName === undefined)
    throw new UsageError('missing action (list, show, delete, rename, tag, note, archive, export, import)');
  const action = Object.hasOwn(ACTIONS, actionName) ? ACTIONS[actionName] : undefined;
  if (!action)
    throw new UsageError(
      `unknown action '${actionName}'${didYouMean(actionName, Object.keys(ACTIONS), (a) => `'${a}'`)}`,
    );
  const p = parseCommand(rest, action.options, true);
  const args = positionals(p, action.args, action.rest);
  return withStore(str(p, 'db'), (store) => action.run(store, p, args, ctx), action.read ? 'read' : 'write');
}

function done(ctx: CliContext, p: Parsed, run: RunSummary, what: string): number {
  if (bool(p, 'json')) printJson(ctx.stdout, run);
  else ctx.stdout.write(`${run.id} ${what}\n`);
  return 0;
}

/** `export --format json|csv`; `--json` is the same as `--format json`. */
function exportFormat(p: Parsed): 'json' | 'csv' {
  const format = choice('format', str(p, 'format'), ['json', 'csv'] as const);
  if (bool(p, 'json') && format === 'csv') throw new UsageError('--json and --format csv contradict each other');
  return format ?? 'json';
}

function listRuns(store: RunStore, p: Parsed, _args: string[], ctx: CliContext): number {
  const runs = store.listRuns({
    status: choice('status', str(p, 'status'), STORED_RUN_STATUSES),
    search: str(p, 'search'),
    tag: str(p, 'tag'),
    includeArchived: bool(p, 'all'),
    limit: int('limit', str(p, 'limit'), 1),
  });
  if (bool(p, 'json')) {
    printJson(ctx.stdout, runs);
    return 0;
  }
  if (runs.length === 0) {
    ctx.stdout.write('No runs.\n');
    return 0;
  }
  const rows = runs.map((r) => [
    r.id,
    clip(r.name, 32),
    r.status + (r.archived ? ' (archived)' : ''),
    `${r.modelKind} ${layersText(r.layers)}`,
    thousands(r.params),
    `${r.epochsDone}/${r.epochsPlanned}`,
    percent(r.testAccuracy),
    duration(r.durationMs),
    r.createdAt.slice(0, 16).replace('T', ' '),
    r.tags.join(','),
  ]);
  ctx.stdout.write(
    table(['ID', 'NAME', 'STATUS', 'MODEL', 'PARAMS', 'EPOCHS', 'TEST ACC', 'TIME', 'CREATED', 'TAGS'], rows),
  );
  return 0;
}

async function deleteRun(store: RunStore, p: Parsed, [id]: string[], ctx: CliContext): Promise<number> {
  const run = store.getRun(id);
  const force = bool(p, 'force');
  const writer = store.liveWriterOf(run.id);
  if (writer !== null && !force) {
    ctx.stderr.write(
      `sen-lab: cannot delete run ${run.id}: it is being trained by ${writer}; stop that training first (--force deletes it anyway)\n`,
    );
    return 1;
  }
  if (!bool(p, 'yes')) {
    if (!ctx.stdinIsTTY) {
      ctx.stderr.write(`sen-lab: refusing to delete run ${run.id} ("${run.name}") without confirmation; pass --yes\n`);
      return 1;
    }
    if (
      !(await ctx.confirm(`Delete run ${run.id} ("${run.name}", ${run.status}, ${plural(run.epochsDone, 'epoch')})?`))
    ) {
      ctx.stderr.write('Not deleted.\n');
      return 1;
    }
  }
  store.deleteRun(run.id, { force }); // checks the writer again, inside the delete's transaction
  if (bool(p, 'json')) printJson(ctx.stdout, { id: run.id, deleted: true });
  else ctx.stdout.write(`${run.id} deleted\n`);
  return 0;
}

function tagRun(store: RunStore, p: Parsed, [id, ...tags]: string[], ctx: CliContext): number {
  const run = store.getRun(id);
  const next = bool(p, 'remove') ? run.tags.filter((t) => !tags.includes(t)) : [...run.tags, ...tags];
  const updated = store.setTags(run.id, next);
  if (bool(p, 'json')) printJson(ctx.stdout, updated);
  else ctx.stdout.write(`${updated.id} tags: ${updated.tags.join(', ') || '(none)'}\n`);
  return 0;
}
