/** Whether the real Slurm cluster (scripts/slurm-cluster.sh start) answers here, and why not. */
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';

/** null when sinfo shows an idle node, else the reason the Slurm tests skip. */
export function slurmMissing(): string | null {
  const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 5_000 });
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return 'sinfo not found: Slurm is not installed (apt-get install slurm-client slurmctld slurmd munge)';
  if (r.error)
    return `sinfo did not answer (${code}): no Slurm controller is running; start one with scripts/slurm-cluster.sh start`;
  if (r.status !== 0)
    return `no Slurm controller answers (sinfo: ${r.stderr.trim().split('\n')[0]}); start one with scripts/slurm-cluster.sh start`;
  if (!/idle|mixed|alloc/.test(r.stdout)) return `the Slurm node is not usable (state ${r.stdout.trim()})`;
  return null;
}

/** Epochs recorded so far in a bundle's run.db (0 while it does not exist yet). */
export function bundleEpochs(dbFile: string): number {
  try {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM epochs').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Sleeps `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** squeue's lines for a job id (empty once it left the queue). */
export function squeueLines(jobId: string): string[] {
  const r = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%i %T'], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}
