/**
 * A small vector figure model: a page of nested groups holding lines, polylines, circles, cross
 * markers, rectangles and text. The SVG, PDF and PNG writers all render this one scene, so a figure
 * is built once and looks the same in every format.
 *
 * Units: PostScript points (1 pt = 1/72 in = 25.4/72 mm), y pointing down, origin top left. Points
 * are what journals give font sizes and line widths in, and what PDF uses natively.
 */

/** Millimetres per point. */
export const MM_PER_PT = 25.4 / 72;

/** How a shape is painted. Colours are CSS hex strings (#rrggbb); absent fill or stroke = none. */
export interface Paint {
  fill?: string;
  stroke?: string;
  /** stroke width in pt */
  strokeWidth?: number;
  /** dash pattern in pt (e.g. [3, 2]) */
  dash?: number[];
  /** 0..1, applies to fill and stroke */
  opacity?: number;
}

export interface LineMark extends Paint {
  type: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface PolylineMark extends Paint {
  type: 'polyline';
  /** flat [x0, y0, x1, y1, ...] */
  points: number[];
  /** close the path (a polygon) */
  closed?: boolean;
}

export interface CircleMark extends Paint {
  type: 'circle';
  cx: number;
  cy: number;
  r: number;
}

/** A "x" marker: two crossing strokes of half-size `r` centred on (x, y). */
export interface CrossMark extends Paint {
  type: 'cross';
  x: number;
  y: number;
  r: number;
}

export interface RectMark extends Paint {
  type: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
}

export type TextAnchor = 'start' | 'middle' | 'end';
/** Vertical placement of text relative to y: on the baseline, centred on the digits, or hanging below y. */
export type TextBaseline = 'alphabetic' | 'middle' | 'top';

export interface TextMark {
  type: 'text';
  x: number;
  y: number;
  text: string;
  /** font size in pt */
  size: number;
  anchor?: TextAnchor;
  baseline?: TextBaseline;
  bold?: boolean;
  fill?: string;
  opacity?: number;
  /** rotation in degrees, clockwise, about (x, y) (-90: reads bottom to top) */
  rotate?: number;
}

/** A rectangle that clips a group's content. */
export interface ClipRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GroupMark {
  type: 'group';
  /** written as the SVG class (tests and users find marks by it) */
  name?: string;
  clip?: ClipRect;
  opacity?: number;
  children: Mark[];
}

export type Mark = LineMark | PolylineMark | CircleMark | CrossMark | RectMark | TextMark | GroupMark;

/** A complete figure: page size plus content. */
export interface Figure {
  widthPt: number;
  heightPt: number;
  /** document title (SVG <title>, PDF metadata) */
  title: string;
  /** page background; null = transparent */
  background: string | null;
  children: Mark[];
}

/** A figure plus the table of numbers drawn in it (CSV text with a header row). */
export interface FigureOutput {
  figure: Figure;
  csv: string;
}

/** A group of marks, optionally named and clipped. */
export function group(children: Mark[], opts: Omit<GroupMark, 'type' | 'children'> = {}): GroupMark {
  return { type: 'group', ...opts, children };
}

/** Convert millimetres to points. */
export function mmToPt(mm: number): number {
  return mm / MM_PER_PT;
}

/** Convert points to millimetres. */
export function ptToMm(pt: number): number {
  return pt * MM_PER_PT;
}

/** Every mark of the scene in drawing order, groups flattened (for tests and statistics). */
export function* walkMarks(marks: readonly Mark[]): Generator<Mark> {
  for (const m of marks) {
    yield m;
    if (m.type === 'group') yield* walkMarks(m.children);
  }
}

/** Translate every mark by (dx, dy); returns new marks (text rotation pivots move along). */
export function translate(marks: readonly Mark[], dx: number, dy: number): Mark[] {
  return marks.map((m): Mark => {
    switch (m.type) {
      case 'line':
        return { ...m, x1: m.x1 + dx, y1: m.y1 + dy, x2: m.x2 + dx, y2: m.y2 + dy };
      case 'polyline':
        return { ...m, points: m.points.map((v, i) => v + (i % 2 === 0 ? dx : dy)) };
      case 'circle':
        return { ...m, cx: m.cx + dx, cy: m.cy + dy };
      case 'cross':
      case 'text':
      case 'rect':
        return { ...m, x: m.x + dx, y: m.y + dy };
      case 'group':
        return {
          ...m,
          clip: m.clip && { ...m.clip, x: m.clip.x + dx, y: m.clip.y + dy },
          children: translate(m.children, dx, dy),
        };
    }
  });
}
