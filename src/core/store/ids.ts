/**
 * Small pure helpers: run ids, default names, tag normalisation, LIKE patterns.
 */
import { randomBytes } from 'node:crypto';
import type { RunConfig } from '../../shared/run-config';

/** Number of base36 characters after the leading `r` of a run id. */
export const RUN_ID_RANDOM_CHARS = 9;

/** Shortest id prefix accepted in place of a full run id. */
export const MIN_ID_PREFIX = 4;

const ID_SPACE = 36n ** BigInt(RUN_ID_RANDOM_CHARS);

/** A new random run id: `r` followed by 9 lowercase base36 characters (about 46 random bits). */
export function newRunId(): string {
  // 64 random bits reduced mod 36^9: the bias is below 2^-17, irrelevant for ids
  const n = randomBytes(8).readBigUInt64LE() % ID_SPACE;
  return 'r' + n.toString(36).padStart(RUN_ID_RANDOM_CHARS, '0');
}

/** A new random study id: `s` followed by 9 lowercase base36 characters (never equal to a run id). */
export function newStudyId(): string {
  return 's' + newRunId().slice(1);
}

/** `preset-or-kind-YYYY-MM-DD HH:MM` (local time), the name of a run created without one. */
export function defaultRunName(config: RunConfig, at: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const date = `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())} ${p(at.getHours())}:${p(at.getMinutes())}`;
  return `${config.preset ?? config.model.kind}-${date}`;
}

/** Trims tags, drops empty ones and duplicates, keeps first-seen order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const tag = String(t).trim();
    if (tag !== '' && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** `%term%` for `LIKE ... ESCAPE '\'`, with `%`, `_` and `\` in the term escaped. */
export function likeContains(term: string): string {
  return '%' + term.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

/** A new random sweep id: `w` followed by 9 lowercase base36 characters. */
export function newSweepId(): string {
  return 'w' + newRunId().slice(1);
}
