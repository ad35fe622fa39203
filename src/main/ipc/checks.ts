/**
 * Argument checks for the contract's methods, built from the pure combinators of
 * src/shared/validate.ts plus the run-config validator of the core. Used by every transport.
 */
import { validateRunConfig } from '../../core/config/index';
import type { RunFilter, StartRunOptions } from '../../shared/lab-api';
import type { RunConfig, RunStatus } from '../../shared/run-config';
import {
  arrayOf,
  boolean,
  integer,
  LabValidationError,
  object,
  oneOf,
  optional,
  string,
  type Check,
} from '../../shared/validate';

/** A run id or a unique id prefix (the store resolves it); ids are 10 characters, 64 is generous. */
export const runId: Check<string> = (v, path) => {
  const id = string(64)(v, path);
  if (id.trim() === '') throw new LabValidationError(`${path}: expected a run id, got an empty string`);
  return id;
};

/** A complete run config, normalised (defaults filled in). Throws ConfigError naming the field. */
export const runConfig: Check<RunConfig> = (v) => validateRunConfig(v);

/** Tags: short strings, a bounded number (the store trims and de-duplicates them). */
export const tags: Check<string[]> = arrayOf(string(64), 64);

export const runName: Check<string> = string(200);

export const notes: Check<string> = string(20_000);

export const epoch: Check<number> = integer(0, 1_000_000);

const STATUSES = ['running', 'completed', 'failed', 'interrupted'] as const satisfies readonly RunStatus[];

export const runFilter: Check<RunFilter> = object<RunFilter>({
  search: optional(string(200)),
  status: optional(oneOf(...STATUSES)),
  tag: optional(string(64)),
  includeArchived: optional(boolean),
  limit: optional(integer(1, 100_000)),
});

export const startOptions: Check<StartRunOptions> = object<StartRunOptions>({
  name: optional(runName),
  tags: optional(tags),
});
