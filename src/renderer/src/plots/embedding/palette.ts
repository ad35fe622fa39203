/**
 * Colours. Neurons use a diverging blue-grey-red ramp built on Paul Tol's colour-blind-safe BuRd
 * scheme (its white centre is swapped for a mid grey so near-zero neurons stay visible on both a
 * dark and a light background). Colours are packed as little-endian RGBA uint32 for unorm8x4
 * vertex attributes.
 */
import type { Theme } from './types';

/** (position in [-1, 1], 0xRRGGBB) stops: BuRd ends and shoulders, grey centre */
const STOPS: [number, number][] = [
  [-1, 0x2166ac],
  [-0.6, 0x4393c3],
  [-0.25, 0x92c5de],
  [0, 0xaaaaaa],
  [0.25, 0xf4a582],
  [0.6, 0xd6604d],
  [1, 0xb2182b],
];

const RAMP_SIZE = 256;
/** precomputed ramp so colouring 2,842 neurons 10 times a second is a table lookup */
const RAMP = buildRamp();

function buildRamp(): Uint32Array {
  const out = new Uint32Array(RAMP_SIZE);
  for (let q = 0; q < RAMP_SIZE; q++) {
    const t = (q / (RAMP_SIZE - 1)) * 2 - 1;
    let s = 0;
    while (s < STOPS.length - 2 && t > STOPS[s + 1][0]) s++;
    const [t0, c0] = STOPS[s];
    const [t1, c1] = STOPS[s + 1];
    const f = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
    const ch = (shift: number): number => Math.round(((c0 >> shift) & 255) * (1 - f) + ((c1 >> shift) & 255) * f);
    out[q] = packRgba(ch(16), ch(8), ch(0), 255);
  }
  return out;
}

export function packRgba(r: number, g: number, b: number, a: number): number {
  return ((a & 255) << 24) | ((b & 255) << 16) | ((g & 255) << 8) | (r & 255);
}

export function packHex(hex: number, alpha = 1): number {
  return packRgba((hex >> 16) & 255, (hex >> 8) & 255, hex & 255, Math.round(alpha * 255));
}

/** Diverging colour of v in [-1, 1] (clamped; NaN maps to the centre). */
export function diverging(v: number): number {
  const t = v > 1 ? 1 : v < -1 ? -1 : v === v ? v : 0;
  return RAMP[Math.round(((t + 1) / 2) * (RAMP_SIZE - 1))];
}

/** 0xRRGGBB of a ramp position, for CSS legends. */
export function divergingHex(v: number): string {
  const c = diverging(v);
  const rgb = ((c & 255) << 16) | (c & 0xff00) | ((c >>> 16) & 255);
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

export interface ThemeColors {
  background: number;
  /** text, frames and 'ink' lines */
  ink: number;
  muted: number;
  /** plane / panel fill */
  panel: number;
  /** neurons without a sign (the output layer) */
  neutral: number;
  /** sign-coloured lines */
  excitatory: number;
  inhibitory: number;
  highlight: number;
}

export const THEMES: Record<Theme, ThemeColors> = {
  dark: {
    background: 0x111318,
    ink: 0xe6e8ee,
    muted: 0x9aa1b1,
    panel: 0x1b1e26,
    neutral: 0xd0d0d0,
    excitatory: 0xf4a582,
    inhibitory: 0x92c5de,
    highlight: 0xffd54f,
  },
  light: {
    background: 0xffffff,
    ink: 0x202020,
    muted: 0x666666,
    panel: 0xf3f4f6,
    neutral: 0x444444,
    excitatory: 0xb2182b,
    inhibitory: 0x2166ac,
    highlight: 0xe08000,
  },
};
