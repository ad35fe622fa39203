/**
 * `sen-lab runs import BUNDLE...`: run bundles (from a cluster's shared folder, or copied to a laptop)
 * into the run database. Each bundle is checked whole, then imported in one transaction; importing
 * one twice (or from two processes at once) gives one run.
 */
import type { RunStore } from '../../store/index';
import { bool, type Parsed } from '../args';
import { printJson, type CliContext } from '../context';

/** Imports every bundle; a bad one is reported and the others still go in. Exit 1 if any failed. */
export async function importRuns(store: RunStore, p: Parsed, bundles: string[], ctx: CliContext): Promise<number> {
  const { importBundle } = await import('../../sweep/bundle');
  const path = await import('node:path');
  let failed = 0;
  const results: unknown[] = [];
  for (const b of bundles) {
    const dir = path.resolve(ctx.cwd, b);
    try {
      const r = importBundle(store, dir);
      results.push(r);
      if (!bool(p, 'json'))
        ctx.stdout.write(
          `${r.runId} ${r.action === 'unchanged' ? 'already in the store' : r.action} (${r.status}) from ${dir}\n`,
        );
    } catch (err) {
      failed++;
      results.push({ bundle: dir, error: (err as Error).message });
      ctx.stderr.write(`sen-lab: ${(err as Error).message}\n`);
    }
  }
  if (bool(p, 'json')) printJson(ctx.stdout, results);
  return failed > 0 ? 1 : 0;
}
