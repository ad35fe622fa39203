/**
 * Deciding whether a run still marked 'running' has lost its writer.
 */
import fs from 'node:fs';
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

/**
 * True if a process with this pid exists on this machine and is not a zombie (EPERM counts as
 * alive). `kill(pid, 0)` succeeds for a zombie (a process that exited but was not reaped yet, e.g.
 * a killed trainer whose parent is gone, until init reaps it), so on Linux the state letter in
 * `/proc/PID/stat` is read as well: `Z` (zombie) and `X` (dead) count as gone.
 */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return process.platform !== 'linux' || !isZombie(pid);
}

/**
 * Linux: the process state letter of `/proc/PID/stat` is `Z` or `X`. The line is
 * `pid (comm) S ...`; comm may contain spaces and parentheses, so the state is read after the
 * last ')'. A pid that vanished meanwhile counts as dead; an unreadable /proc (not mounted,
 * hidepid) says nothing, and the pid is then trusted as alive.
 */
export function isZombie(
  pid: number,
  readStat: (file: string) => string = (f) => fs.readFileSync(f, 'latin1'),
): boolean {
  let stat: string;
  try {
    stat = readStat(`/proc/${pid}/stat`);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' && fs.existsSync('/proc/self/stat');
  }
  const state = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .charAt(0);
  return state === 'Z' || state === 'X';
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
