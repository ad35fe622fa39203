/**
 * One writer per run: who holds a 'running' run, whether that writer is still alive, and the
 * messages given to anyone else who wants to train, delete or take over the run.
 *
 * The writer of a run is recorded in its row: `pid`, `hostname` and `owner_token` (a random id
 * per claim, so two claims by one process are told apart). A claim is one compare-and-set
 * `UPDATE ... WHERE status IN (...)` (see {@link CLAIM_SQL}); SQLite serialises writers, so of two
 * processes claiming at once exactly one sees `changes = 1`.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { StoreError } from './errors';
import { currentLiveness, isStaleOwner, type LivenessContext } from './recovery';

/** The owner columns of a run (plus what a released claim restores). */
export interface OwnerRow {
  id: string;
  status: string;
  pid: number | null;
  hostname: string | null;
  owner_token: string | null;
  claimedAt: string | null;
  error: string | null;
  finished_at: string | null;
  resumed_at: string | null;
}

/** Selects an {@link OwnerRow} by `id`. */
export const OWNER_ROW_SQL = `SELECT id, status, pid, hostname, owner_token, error, finished_at, resumed_at,
    coalesce(resumed_at, started_at, created_at) AS claimedAt
  FROM runs WHERE id = ?`;

/**
 * The compare-and-set that makes this process the run's only writer: it succeeds (changes = 1)
 * only while the run is neither completed nor running.
 */
export const CLAIM_SQL = `UPDATE runs SET status = 'running', pid = @pid, hostname = @host, owner_token = @token,
    resumed_at = @now, finished_at = NULL, error = NULL
  WHERE id = @id AND status IN ('interrupted', 'failed')`;

/** Gives a claim back (its training never started): the run gets its earlier status, error and times. */
export const RELEASE_SQL = `UPDATE runs SET status = @status, error = @error, finished_at = @finished_at,
    resumed_at = @resumed_at, pid = @pid, hostname = @hostname, owner_token = @owner_token
  WHERE id = @id AND owner_token = @token AND status = 'running'`;

/** What {@link RunStore.claimRun} hands back: the token proving ownership and what to restore on release. */
export interface RunClaim {
  runId: string;
  token: string;
  /** the row before the claim (restored by `releaseRun` if the training never started) */
  previous: OwnerRow;
}

/** A new owner token (random, unique per claim). */
export function newOwnerToken(): string {
  return randomUUID();
}

/**
 * The live writer of a run as words ("pid 123 on this host (box)"), or null when the run is not
 * running or its writer is gone (see `isStaleOwner`). A run owned by another host is never judged
 * by this host's pids: it counts as live, and the text says that it could not be checked.
 */
export function liveWriter(row: OwnerRow, ctx: LivenessContext = currentLiveness()): string | null {
  if (row.status !== 'running' || isStaleOwner(row, ctx)) return null;
  const pid = `pid ${row.pid ?? '?'}`;
  if (row.hostname !== null && row.hostname !== ctx.hostname) {
    return `${pid} on host ${row.hostname} (another host: this host, ${ctx.hostname}, cannot check that process, so it counts as alive)`;
  }
  return row.pid === ctx.pid
    ? `${pid} on this host (${ctx.hostname}; this very process)`
    : `${pid} on this host (${ctx.hostname})`;
}

/** The refusal for a claim that lost: the run is completed or another writer holds it. */
export function claimRefusal(row: OwnerRow): StoreError {
  if (row.status === 'completed')
    return new StoreError('conflict', `run ${row.id} is already completed; nothing to resume`);
  const writer = liveWriter(row) ?? `pid ${row.pid ?? '?'} on host ${row.hostname ?? os.hostname()}`;
  return new StoreError('conflict', `run ${row.id} is already being trained by ${writer}; stop that training first`);
}

/** The refusal for deleting (or otherwise rewriting) a run a live writer holds. */
export function busyRefusal(row: OwnerRow, action: string, writer: string): StoreError {
  return new StoreError(
    'conflict',
    `cannot ${action} run ${row.id}: it is being trained by ${writer}; stop that training first`,
  );
}

/** The refusal for a writer whose claim was taken over or whose run was deleted under it. */
export function lostClaim(runId: string, row: OwnerRow | undefined): StoreError {
  if (row === undefined)
    return new StoreError('not-found', `no run with id '${runId}' (it was deleted while training)`);
  const by =
    row.status === 'running' ? `pid ${row.pid ?? '?'} on host ${row.hostname ?? '?'}` : `nobody (status ${row.status})`;
  return new StoreError(
    'conflict',
    `run ${runId} is no longer owned by this training (now held by ${by}); nothing written`,
  );
}
