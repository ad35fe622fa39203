/**
 * The one duration and date formatter of the lab (the app's tables and headers, the CLI's tables
 * and progress line): pure, en-US, no Intl (nothing to set up in a fresh page).
 */

/** 850 -> "850ms", 12_345 -> "12.3s", 93_000 -> "1m 33s", 5_400_000 -> "1h 30m", 3 days -> "3d 0h"; else `missing`. */
export function formatDuration(ms: number | null | undefined, missing = '—'): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return missing;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** ISO time -> "2026-11-28 01:06" in local time; an unreadable one as given; none -> `missing`. */
export function formatDate(iso: string | null | undefined, missing = '—'): string {
  if (!iso) return missing;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * "1 epoch", "2 epochs", "1,000 runs": a count with its noun in the right number (the one plural
 * helper of the app, the CLI and the reports). `many` defaults to `one` + "s".
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  const count = Number.isInteger(n) && Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n);
  return `${count} ${n === 1 ? one : many}`;
}
