/**
 * Row shapes of the SQLite tables and their mapping to the shared camelCase types.
 */
import type { EpochMetrics, RunConfig, RunDetail, RunStatus, RunSummary } from '../../shared/run-config';
import { StoreError } from './errors';
import { defaultRunName } from './ids';
import type { CreateRunInput } from './types';

/** Columns of `runs` needed for a {@link RunSummary} (no config JSON, no blobs). */
export const SUMMARY_COLUMNS =
  'id, name, status, preset, model_kind, layers, dataset, params, backend, epochs_done, epochs_planned, ' +
  'test_accuracy, train_loss, created_at, finished_at, duration_ms, tags, notes, archived, error';

/** A `runs` row as selected with {@link SUMMARY_COLUMNS}. */
export interface RunSummaryRow {
  id: string;
  name: string;
  status: RunStatus;
  preset: string | null;
  model_kind: 'spatial' | 'dense';
  layers: string;
  dataset: string;
  params: number;
  backend: string;
  epochs_done: number;
  epochs_planned: number;
  test_accuracy: number | null;
  train_loss: number | null;
  created_at: string;
  finished_at: string | null;
  duration_ms: number;
  tags: string;
  notes: string;
  archived: number;
  error: string | null;
}

/** A `runs` row with the config JSON as well. */
export interface RunDetailRow extends RunSummaryRow {
  config: string;
}

/** An `epochs` row. SQLite stores NaN as NULL, so metrics may come back null. */
export interface EpochRow {
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  test_loss: number | null;
  test_accuracy: number | null;
  duration_ms: number | null;
  samples_per_sec: number | null;
}

/** Columns of `epochs` in {@link EpochRow} order. */
export const EPOCH_COLUMNS =
  'epoch, train_loss, train_accuracy, test_loss, test_accuracy, duration_ms, samples_per_sec';

/** Maps a summary row to the shared {@link RunSummary}. */
export function toSummary(row: RunSummaryRow): RunSummary {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    preset: row.preset,
    modelKind: row.model_kind,
    layers: parseJson<number[]>(row.layers, []),
    dataset: row.dataset,
    params: row.params,
    backend: row.backend,
    epochsDone: row.epochs_done,
    epochsPlanned: row.epochs_planned,
    testAccuracy: row.test_accuracy,
    trainLoss: row.train_loss,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    tags: parseJson<string[]>(row.tags, []),
    notes: row.notes,
    archived: row.archived !== 0,
    error: row.error,
  };
}

/** Maps a run row plus its epoch rows to the shared {@link RunDetail}. */
export function toDetail(row: RunDetailRow, epochs: EpochRow[]): RunDetail {
  return {
    ...toSummary(row),
    config: JSON.parse(row.config) as RunConfig,
    epochs: epochs.map(toEpochMetrics),
  };
}

/** Maps an epoch row to {@link EpochMetrics} (NULL metrics, i.e. stored NaN, become NaN). */
export function toEpochMetrics(row: EpochRow): EpochMetrics {
  return {
    epoch: row.epoch,
    trainLoss: row.train_loss ?? NaN,
    trainAccuracy: row.train_accuracy ?? NaN,
    testLoss: row.test_loss ?? NaN,
    testAccuracy: row.test_accuracy ?? NaN,
    durationMs: row.duration_ms ?? NaN,
    samplesPerSec: row.samples_per_sec ?? NaN,
  };
}

/** Values bound to the insert-epoch statement (named parameters). */
export function epochParams(runId: string, m: EpochMetrics): Record<string, string | number> {
  return {
    run_id: runId,
    epoch: m.epoch,
    train_loss: m.trainLoss,
    train_accuracy: m.trainAccuracy,
    test_loss: m.testLoss,
    test_accuracy: m.testAccuracy,
    duration_ms: m.durationMs,
    samples_per_sec: m.samplesPerSec,
  };
}

/** A BLOB read back from SQLite (a Buffer) as a plain Uint8Array view, without copying. */
export function blobOut(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Checks a value bound as a BLOB (a Uint8Array, Buffer included); throws StoreError 'invalid'. */
export function blobIn(data: unknown, what: string): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new StoreError('invalid', `${what} must be a Uint8Array`);
  return data;
}

/** Checks an epoch number (a non-negative integer); throws StoreError 'invalid'. */
export function checkEpoch(epoch: unknown): number {
  if (!Number.isInteger(epoch) || (epoch as number) < 0) {
    throw new StoreError('invalid', `epoch must be a non-negative integer, got ${String(epoch)}`);
  }
  return epoch as number;
}

/** Inserts a new run; bind {@link newRunRow} plus `id`, `pid`, `host` and `token` (its owner). */
export const INSERT_RUN_SQL = `INSERT INTO runs (id, name, status, config, preset, model_kind, layers, dataset, params,
    backend, epochs_planned, created_at, started_at, pid, hostname, owner_token)
  VALUES (@id, @name, 'running', @config, @preset, @kind, @layers, @dataset, @params,
    @backend, @planned, @now, @now, @pid, @host, @token)`;

/** Validates a createRun input and returns its column values (without id and owner). */
export function newRunRow(input: CreateRunInput, now: Date): Record<string, string | number | null> {
  const { config, backend, params } = input;
  if (!config?.model || !Array.isArray(config.model.layers) || !config.dataset || !config.training) {
    throw new StoreError('invalid', 'createRun: config needs model (with layers), dataset and training');
  }
  if (typeof backend !== 'string' || backend === '') throw new StoreError('invalid', 'createRun: backend is required');
  if (!Number.isFinite(params) || params < 0) throw new StoreError('invalid', `createRun: bad params ${params}`);
  return {
    name: input.name?.trim() || config.name?.trim() || defaultRunName(config, now),
    config: JSON.stringify(config),
    preset: config.preset ?? null,
    kind: config.model.kind,
    layers: JSON.stringify(config.model.layers),
    dataset: config.dataset.name,
    params,
    backend,
    planned: config.training.epochs,
    now: now.toISOString(),
  };
}

/** Inserts or replaces one epoch row; bind {@link epochParams}. */
export const INSERT_EPOCH_SQL = `INSERT OR REPLACE INTO epochs (run_id, ${EPOCH_COLUMNS})
  VALUES (@run_id, @epoch, @train_loss, @train_accuracy, @test_loss, @test_accuracy, @duration_ms, @samples_per_sec)`;

/** Refreshes a run's summary columns from its epochs (latest epoch's metrics, summed durations). */
export const UPDATE_AFTER_EPOCH_SQL = `UPDATE runs SET
    epochs_done = (SELECT max(epoch) FROM epochs WHERE run_id = @id),
    duration_ms = (SELECT coalesce(sum(duration_ms), 0) FROM epochs WHERE run_id = @id),
    test_accuracy = (SELECT test_accuracy FROM epochs WHERE run_id = @id ORDER BY epoch DESC LIMIT 1),
    train_loss = (SELECT train_loss FROM epochs WHERE run_id = @id ORDER BY epoch DESC LIMIT 1)
  WHERE id = @id`;
