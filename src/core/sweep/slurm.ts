/**
 * The few Slurm commands the sweep driver uses: sbatch (one job array per submission), squeue and
 * `scontrol show job` to follow it (sacct needs slurmdbd, which many clusters do not expose), scancel.
 */
import { spawnSync } from 'node:child_process';
import type { SlurmOptions } from '../../shared/sweep';

/** A Slurm command failed or is missing; the message carries its stderr. */
export class SlurmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmError';
  }
}

/** Slurm states after which a task never runs again by itself. */
export const TERMINAL_STATES = [
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'PREEMPTED',
  'NODE_FAIL',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
];

function run(cmd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) {
    const why =
      (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `${cmd} not found (is Slurm installed on this machine?)`
        : r.error.message;
    throw new SlurmError(why);
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** `--array` value: indices (compressed into ranges) and `%N` for at most N at once. */
export function arraySpec(indices: readonly number[], maxParallel?: number): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',') + (maxParallel ? `%${maxParallel}` : '');
}

/** The sbatch arguments of a submission (script last). */
export function sbatchArgs(o: SlurmOptions, array: string, name: string, logPattern: string, script: string): string[] {
  const args = ['--parsable', `--array=${array}`, `--job-name=${name}`, `--output=${logPattern}`];
  if (o.partition) args.push(`--partition=${o.partition}`);
  if (o.time) args.push(`--time=${o.time}`);
  if (o.cpusPerTask) args.push(`--cpus-per-task=${o.cpusPerTask}`);
  if (o.mem) args.push(`--mem=${o.mem}`);
  if (o.gres) args.push(`--gres=${o.gres}`);
  if (o.account) args.push(`--account=${o.account}`);
  args.push(...(o.extraArgs ?? []), script);
  return args;
}

/** Submits and returns the array's job id. */
export function sbatch(args: string[]): string {
  const r = run('sbatch', args);
  if (r.code !== 0) throw new SlurmError(`sbatch failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch printed no job id: ${r.stdout.trim()}`);
  return id;
}

/** State of every queued or running task of these array jobs: `JOBID_INDEX` -> PENDING, RUNNING, ... */
export function squeueStates(jobIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (jobIds.length === 0) return out;
  const r = run('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i|%T']);
  if (r.code !== 0) {
    if (/invalid job id/i.test(r.stderr)) return out; // every job has left the queue
    throw new SlurmError(`squeue failed: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
  for (const line of r.stdout.split('\n')) {
    const [id, state] = line.trim().split('|');
    if (id && state) out.set(id, state);
  }
  return out;
}

/** `JobState` and `Reason` from `scontrol show job ID`, or null once Slurm has forgotten the job. */
export function scontrolState(jobId: string): { state: string; reason: string; exitCode: string } | null {
  const r = run('scontrol', ['show', 'job', jobId]);
  if (r.code !== 0) return null;
  const field = (name: string): string => new RegExp(`\\b${name}=(\\S+)`).exec(r.stdout)?.[1] ?? '';
  const state = field('JobState');
  return state ? { state, reason: field('Reason'), exitCode: field('ExitCode') } : null;
}

/** Cancels jobs (array ids or `JOBID_INDEX`). */
export function scancel(ids: readonly string[]): void {
  if (ids.length === 0) return;
  const r = run('scancel', [...ids]);
  if (r.code !== 0) throw new SlurmError(`scancel failed: ${r.stderr.trim() || `exit ${r.code}`}`);
}
