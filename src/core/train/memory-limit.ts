/**
 * Refusing runs that cannot fit: the memory estimate against a limit (default: half of this
 * machine's physical memory; `SEN_LAB_MAX_MEMORY_MB` sets another).
 */
import os from 'node:os';
import type { RunConfig } from '../../shared/run-config';
import { estimateMemory, formatBytes, type MemoryEstimate } from '../model/memory-estimate';

/** Environment variable with the memory limit of one training in MB. */
export const MEMORY_LIMIT_ENV = 'SEN_LAB_MAX_MEMORY_MB';

/** A run whose memory estimate is above the limit. HTTP 400, CLI exit 1. */
export class ResourceLimitError extends Error {
  override name = 'ResourceLimitError';
}

/** The estimate with the limit it was judged against. */
export interface MemoryCheck extends MemoryEstimate {
  limitBytes: number;
  fits: boolean;
  /** why it does not fit (with the estimate and the limit), else null */
  problem: string | null;
}

/** The limit in bytes: $SEN_LAB_MAX_MEMORY_MB when set (a positive number), else half of physical memory. */
export function memoryLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MEMORY_LIMIT_ENV];
  const mb = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : Math.floor(os.totalmem() / 2);
}

/** Estimates `config` and judges it against `limitBytes`. */
export function checkMemory(config: RunConfig, limitBytes = memoryLimitBytes()): MemoryCheck {
  const est = estimateMemory(config);
  const fits = est.bytes <= limitBytes;
  const biggest = [...est.parts].sort((a, b) => b.bytes - a.bytes)[0];
  const problem = fits
    ? null
    : `this run needs about ${formatBytes(est.bytes)} of memory (estimate; largest part: ${biggest.label}, ` +
      `${formatBytes(biggest.bytes)}), more than the limit of ${formatBytes(limitBytes)} ` +
      `(${process.env[MEMORY_LIMIT_ENV] ? `$${MEMORY_LIMIT_ENV}` : "half of this machine's memory"}); ` +
      'use fewer neurons, a smaller batch or fewer time steps, or override the limit (--ignore-memory-limit)';
  return { ...est, limitBytes, fits, problem };
}

/** Throws ResourceLimitError when `config` cannot fit (unless `ignore`). */
export function assertFitsMemory(config: RunConfig, ignore = false): void {
  if (ignore) return;
  const check = checkMemory(config);
  if (!check.fits) throw new ResourceLimitError(check.problem!);
}
