/**
 * The curves' x axis as TensorBoard offers it: by epoch, optimizer step, training images seen or
 * training time. Chart data stays on the epoch axis (x = epoch - 1 + batch / batchesPerEpoch); an
 * XScale maps it for drawing. Pure (no ECharts), tested on its own.
 *
 * Step, samples and time of a point come from the stored step history (each StepPoint carries all
 * three); between two of its points the value is interpolated linearly, past the last one it is
 * extrapolated with the run's mean rate so far. Runs without a step history use their epochs:
 * step = epoch x batches, samples = epoch x images per epoch, time = the epochs' summed durations.
 */
import type { EpochMetrics } from '../../../shared/run-config';
import type { StepPoint } from '../../../shared/step-history';

export type XAxisMode = 'epoch' | 'step' | 'samples' | 'time';

export const X_AXIS_MODES: readonly { mode: XAxisMode; label: string }[] = [
  { mode: 'epoch', label: 'epoch' },
  { mode: 'step', label: 'step' },
  { mode: 'samples', label: 'samples' },
  { mode: 'time', label: 'time' },
];

export function isXAxisMode(v: unknown): v is XAxisMode {
  return X_AXIS_MODES.some((m) => m.mode === v);
}

/** [epoch x, value on the chosen axis], increasing in both */
export type Anchor = [number, number];

export interface XScale {
  mode: XAxisMode;
  /** the axis title */
  name: string;
  /** a point's x on this axis; `seriesId` picks the run in a comparison */
  map(epochX: number, seriesId?: string): number;
  /** the right end of the axis (the planned training), or null to fit the data */
  max: number | null;
  /** ticks snap to whole units (epochs, steps, images) */
  integer: boolean;
  /** a tick label */
  tick(v: number): string;
  /** the tooltip's heading for a point at v */
  label(v: number): string;
}

/** The value at epoch x: linear between anchors, the mean rate (last value / last x) past the last one. */
export function interpolate(anchors: readonly Anchor[], x: number): number {
  if (!anchors.length) return x;
  const last = anchors[anchors.length - 1];
  if (x >= last[0]) return last[0] > 0 ? (x * last[1]) / last[0] : x;
  // binary search for the first anchor at or after x
  let lo = 0;
  let hi = anchors.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid][0] < x) lo = mid + 1;
    else hi = mid;
  }
  const [x1, v1] = anchors[lo];
  const [x0, v0] = lo > 0 ? anchors[lo - 1] : [0, 0];
  return x1 === x0 ? v1 : v0 + ((x - x0) * (v1 - v0)) / (x1 - x0);
}

/** A run's anchors on `mode`'s axis: from its step history, else from its epochs. */
export function runAnchors(
  mode: Exclude<XAxisMode, 'epoch'>,
  points: readonly StepPoint[],
  batches: number,
  epochs: readonly EpochMetrics[],
  imagesPerEpoch: number,
): Anchor[] {
  if (points.length) {
    const value = (p: StepPoint): number =>
      mode === 'step' ? p.step : mode === 'samples' ? p.samples : p.timeMs / 1000;
    return points.map((p) => [p.epoch - 1 + p.batch / batches, value(p)]);
  }
  let seconds = 0;
  return epochs.map((m) => {
    seconds += m.durationMs / 1000;
    return [m.epoch, mode === 'step' ? m.epoch * batches : mode === 'samples' ? m.epoch * imagesPerEpoch : seconds];
  });
}

/** What one run's axis needs to know. */
export interface ScaleRun {
  points: readonly StepPoint[];
  batches: number;
  epochs: readonly EpochMetrics[];
  imagesPerEpoch: number;
}

/** One run's scale; `planned` epochs fix the right end (except on the time axis, unknown ahead). */
export function runXScale(mode: XAxisMode, run: ScaleRun, planned: number | null): XScale {
  if (mode === 'epoch') return axisOf(mode, (x) => x, planned && planned > 0 ? planned : null);
  const anchors = runAnchors(mode, run.points, run.batches, run.epochs, run.imagesPerEpoch);
  const map = (x: number): number => interpolate(anchors, x);
  const linear = mode === 'step' ? run.batches : mode === 'samples' ? run.imagesPerEpoch : 0;
  // step and samples grow by a known amount per epoch: the planned end is known; time is not
  const max = planned && planned > 0 && linear > 0 ? planned * linear : null;
  return axisOf(mode, map, max);
}

/**
 * A comparison's scale: each series id starts with its run's id and a ':' (see compareCurves), and
 * is mapped with that run's anchors (its step history, else its epochs). The axis fits the data.
 */
export function compareXScale(mode: XAxisMode, runs: ReadonlyMap<string, ScaleRun>): XScale {
  if (mode === 'epoch') return axisOf(mode, (x) => x, null);
  const anchors = new Map(
    [...runs].map(([id, r]) => [id, runAnchors(mode, r.points, r.batches, r.epochs, r.imagesPerEpoch)]),
  );
  return axisOf(
    mode,
    (x, seriesId) => interpolate(anchors.get(seriesId?.slice(0, seriesId.lastIndexOf(':')) ?? '') ?? [], x),
    null,
  );
}

function axisOf(mode: XAxisMode, map: XScale['map'], max: number | null): XScale {
  switch (mode) {
    case 'epoch':
      return { mode, name: 'epoch', map, max, integer: true, tick: plainTick, label: (v) => `epoch ${plainTick(v)}` };
    case 'step':
      return { mode, name: 'step', map, max, integer: true, tick: compactTick, label: (v) => `step ${groupInt(v)}` };
    case 'samples':
      return {
        mode,
        name: 'training images seen',
        map,
        max,
        integer: true,
        tick: compactTick,
        label: (v) => `${groupInt(v)} images seen`,
      };
    case 'time':
      return {
        mode,
        name: 'training time',
        map,
        max,
        integer: false,
        tick: clockTime,
        label: (v) => `training time ${clockTime(v)}`,
      };
  }
}

/** 3 -> "3", 2.25 -> "2.25" */
function plainTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** 1234567 -> "1,234,567" */
function groupInt(v: number): string {
  return String(Math.round(v)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** 12000 -> "12k", 1500000 -> "1.5M" */
export function compactTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  return groupInt(v);
}

/** seconds -> "42s", "1:05", "1:02:03" (tenths below 10 s) */
export function clockTime(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const s = Math.round(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
