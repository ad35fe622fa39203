import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EpochMetrics, RunConfig } from '../../src/shared/run-config';

/** A fresh temporary folder; remove it with `fs.rmSync(dir, { recursive: true, force: true })`. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sen-store-'));
}

/** SHA-256 of a file's bytes. */
export function fileHash(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A small self-contained run config (independent of the presets module). */
export function sampleConfig(over: Partial<RunConfig> = {}): RunConfig {
  return {
    preset: 'quick',
    model: {
      kind: 'spatial',
      layers: [784, 16, 10],
      dim: 3,
      zMode: 'learned-gap',
      inhibitionSteepness: 5,
      distanceEpsilon: 0,
      initSpread: 10,
      initInhibition: 0.5,
      hiddenActivation: 'relu',
    },
    dataset: { name: 'mnist', trainSize: 1000 },
    training: { epochs: 3, batchSize: 100, learningRate: 0.005, seed: 1 },
    kernel: 'fused',
    snapshotEvery: 1,
    ...over,
  };
}

/** Deterministic metrics for an epoch. */
export function metrics(epoch: number): EpochMetrics {
  return {
    epoch,
    trainLoss: 2 / (epoch + 1),
    trainAccuracy: 0.5 + epoch / 100,
    testLoss: 2.1 / (epoch + 1),
    testAccuracy: 0.45 + epoch / 100,
    durationMs: 1000 + epoch,
    samplesPerSec: 5000 + epoch,
  };
}

/** Some bytes standing in for an encoded snapshot / checkpoint / model. */
export function blob(seed: number, length = 64): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/** Rewrites a run's owner columns behind the store's back (as another process or host would have left them). */
export function setOwner(
  file: string,
  id: string,
  owner: { pid?: number; hostname?: string; startedAt?: string; status?: string },
): void {
  const db = new Database(file);
  try {
    const columns = { pid: owner.pid, hostname: owner.hostname, started_at: owner.startedAt, status: owner.status };
    for (const [column, value] of Object.entries(columns)) {
      if (value !== undefined) db.prepare(`UPDATE runs SET ${column} = ? WHERE id = ?`).run(value, id);
    }
  } finally {
    db.close();
  }
}
