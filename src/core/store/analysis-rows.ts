/** Rows of epoch_analysis (per-epoch wiring and topography, JSON) and their place in a RunDetail. */
import type { TopographyEpoch, WiringEpoch } from '../../shared/analysis';
import type { RunDetail } from '../../shared/run-config';

export interface AnalysisRow {
  wiring: string | null;
  topography: string | null;
}

export function jsonOrNull(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

/** The run with `wiring` and `topography` (one entry per measured epoch) when any epoch has them. */
export function withAnalysis(run: RunDetail, rows: AnalysisRow[]): RunDetail {
  const wiring = rows.filter((r) => r.wiring).map((r) => JSON.parse(r.wiring!) as WiringEpoch);
  const topography = rows.filter((r) => r.topography).map((r) => JSON.parse(r.topography!) as TopographyEpoch);
  return { ...run, ...(wiring.length ? { wiring } : {}), ...(topography.length ? { topography } : {}) };
}
