/** `sen-lab db check | recover`: the health of a run database, and a copy of a damaged one. */
import { resolve } from 'node:path';
import { bool, parseCommand, positionals, str, UsageError, type OptionSpec } from '../args';
import { printJson, type CliContext, type Command } from '../context';
import { thousands } from '../format';

const USAGE = `Usage: sen-lab db <action> [options]

Actions:
  check [--db FILE] [--json]          integrity check of the whole file (read-only; exit 1 when damaged)
  recover --out NEW.db [--db FILE] [--json]
                                      copy every row that can still be read into a new database
                                      (the damaged file is only read, never changed; a file from
                                      a newer SEN Lab is refused: check notes it, exit 0 if sound)

--db FILE is the run database (default: $SEN_LAB_DB or the per-user data folder).
`;

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
} as const satisfies OptionSpec;

export const command: Command = { name: 'db', usage: USAGE, run };

async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'check' && action !== 'recover') {
    throw new UsageError(
      action === undefined ? 'missing action (check, recover)' : `unknown action '${action}' (check, recover)`,
    );
  }
  const p = parseCommand(rest, OPTIONS, true);
  positionals(p, []);
  const { defaultDbPath } = await import('../../store/index');
  const { checkDatabase, salvageDatabase } = await import('../../store/salvage');
  const file = resolve(ctx.cwd, str(p, 'db') ?? defaultDbPath());
  const json = bool(p, 'json');
  if (action === 'check') {
    if (str(p, 'out') !== undefined) throw new UsageError('--out applies to db recover only');
    const report = checkDatabase(file);
    if (json) printJson(ctx.stdout, report);
    else if (report.ok) ctx.stdout.write(`${file}: ok\n${report.note ? `note: ${report.note}\n` : ''}`);
    else {
      ctx.stdout.write(`${file}: DAMAGED\n${report.problems.map((l) => `  ${l}`).join('\n')}\n`);
      ctx.stdout.write(`Copy what is still readable: sen-lab db recover --db ${file} --out NEW.db\n`);
    }
    return report.ok ? 0 : 1;
  }
  const out = str(p, 'out');
  if (out === undefined)
    throw new UsageError('missing --out NEW.db (recover writes a new database, never the damaged one)');
  const report = salvageDatabase(file, resolve(ctx.cwd, out));
  if (json) printJson(ctx.stdout, report);
  else {
    for (const t of report.tables) {
      const lost = t.failed ? `, ${thousands(t.failed)} could not be inserted` : '';
      ctx.stdout.write(`${t.table.padEnd(16)} ${thousands(t.copied).padStart(9)} rows copied${lost}\n`);
      for (const problem of t.problems) ctx.stdout.write(`  ${problem}\n`);
    }
    ctx.stdout.write(`recovered into ${report.to}; check it with: sen-lab db check --db ${report.to}\n`);
  }
  return 0;
}
