/**
 * Deciding whether a run still marked 'running' has lost its writer.
 */
import os from 'node:os';

/** Wall-clock time (ms since epoch) at which this process started; shared by all its threads. */
export const PROCESS_STARTED_AT = Date.now() - process.uptime() * 1000;

/** The writer recorded on a 'running' run. */
export interface RunOwner {
  pid: number | null;
  hostname: string | null;
  /** ISO time at which the writer created or resumed the run */
  claimedAt: string | null;
}

/** What the stale check compares against; defaults to the current process. */
export interface LivenessContext {
  hostname: string;
  pid: number;
  processStartedAt: number;
  isAlive: (pid: number) => boolean;
}

/** True if a process with this pid exists on this machine (EPERM counts as alive). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** The context of the current process. */
export function currentLiveness(): LivenessContext {
  return { hostname: os.hostname(), pid: process.pid, processStartedAt: PROCESS_STARTED_AT, isAlive: isPidAlive };
}

/**
 * Whether a 'running' run's writer is certainly gone:
 * - runs of another host are never judged (we cannot see its processes);
 * - same host, no pid recorded, or the pid is not alive: stale;
 * - the pid is our own: stale only if the run was claimed before this process started (an
 *   earlier process that had the same pid, common in containers). A run claimed after that
 *   belongs to this process (another store instance or a worker thread) and is left alone;
 * - any other live pid: not stale.
 */
export function isStaleOwner(owner: RunOwner, ctx: LivenessContext = currentLiveness()): boolean {
  if (owner.hostname !== null && owner.hostname !== ctx.hostname) return false;
  if (owner.pid === null) return true;
  if (owner.pid === ctx.pid) {
    const claimed = owner.claimedAt === null ? NaN : Date.parse(owner.claimedAt);
    return Number.isFinite(claimed) && claimed < ctx.processStartedAt;
  }
  return !ctx.isAlive(owner.pid);
}
