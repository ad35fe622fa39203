/**
 * SVG writer: physical size in mm, a viewBox in pt, text as real <text> elements (searchable,
 * editable in Inkscape/Illustrator, converted by Overleaf), legends and colour bars as ordinary marks.
 */
import { ptToMm, type Figure, type Mark, type Paint, type TextMark } from '../model';
import { baselineShift } from '../text-metrics';

/** Font stack: DejaVu Sans first (the font PDF and PNG embed); Verdana has nearly the same metrics. */
export const SVG_FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif";

export interface SvgOptions {
  /**
   * Override the width/height attributes (default: the size in mm). The PNG writer passes pixels
   * so the rasteriser produces exactly the requested pixel size.
   */
  size?: { width: string; height: string };
  /** drop the background (transparent page) */
  transparent?: boolean;
}

/** Serialise a figure as a standalone SVG 1.1 document. */
export function toSvg(fig: Figure, opts: SvgOptions = {}): string {
  const w = ptToMm(fig.widthPt);
  const h = ptToMm(fig.heightPt);
  const size = opts.size ?? { width: `${num(w)}mm`, height: `${num(h)}mm` };
  const ctx: Ctx = { defs: [], clipCount: 0 };
  const body: string[] = [];
  const bg = opts.transparent ? null : fig.background;
  if (bg)
    body.push(
      `<rect class="background" x="0" y="0" width="${num(fig.widthPt)}" height="${num(fig.heightPt)}" fill="${bg}"/>`,
    );
  for (const m of fig.children) writeMark(m, ctx, body);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${size.width}" height="${size.height}" ` +
      `viewBox="0 0 ${num(fig.widthPt)} ${num(fig.heightPt)}" preserveAspectRatio="none" ` +
      `font-family="${escapeXml(SVG_FONT_FAMILY)}" stroke-linecap="butt" stroke-linejoin="round">`,
    `<title>${escapeXml(fig.title)}</title>`,
    ...(ctx.defs.length ? ['<defs>', ...ctx.defs, '</defs>'] : []),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

interface Ctx {
  defs: string[];
  clipCount: number;
}

/** Two decimals of a pt (3.5 um) are far below what print resolves and keep files small. */
function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Escape the five XML special characters. */
export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

function paint(p: Paint): string {
  const a: string[] = [];
  a.push(`fill="${p.fill ?? 'none'}"`);
  if (p.stroke) {
    a.push(`stroke="${p.stroke}"`, `stroke-width="${num(p.strokeWidth ?? 1)}"`);
    if (p.dash?.length) a.push(`stroke-dasharray="${p.dash.map(num).join(' ')}"`);
  }
  if (p.opacity !== undefined && p.opacity < 1) a.push(`opacity="${num(p.opacity)}"`);
  return a.join(' ');
}

function writeMark(m: Mark, ctx: Ctx, out: string[]): void {
  switch (m.type) {
    case 'line':
      out.push(
        `<line x1="${num(m.x1)}" y1="${num(m.y1)}" x2="${num(m.x2)}" y2="${num(m.y2)}" ${paint({ ...m, fill: undefined })}/>`,
      );
      return;
    case 'polyline': {
      const pts = [];
      for (let i = 0; i + 1 < m.points.length; i += 2) pts.push(`${num(m.points[i])},${num(m.points[i + 1])}`);
      out.push(`<${m.closed ? 'polygon' : 'polyline'} points="${pts.join(' ')}" ${paint(m)}/>`);
      return;
    }
    case 'circle':
      out.push(`<circle cx="${num(m.cx)}" cy="${num(m.cy)}" r="${num(m.r)}" ${paint(m)}/>`);
      return;
    case 'cross': {
      const { x, y, r } = m;
      const d = `M${num(x - r)} ${num(y - r)}L${num(x + r)} ${num(y + r)}M${num(x - r)} ${num(y + r)}L${num(x + r)} ${num(y - r)}`;
      out.push(`<path class="cross" d="${d}" ${paint({ ...m, fill: undefined })}/>`);
      return;
    }
    case 'rect':
      out.push(`<rect x="${num(m.x)}" y="${num(m.y)}" width="${num(m.width)}" height="${num(m.height)}" ${paint(m)}/>`);
      return;
    case 'text':
      out.push(textElement(m));
      return;
    case 'group':
      writeGroup(m, ctx, out);
      return;
  }
}

function textElement(t: TextMark): string {
  const y = t.y + (t.rotate ? 0 : baselineShift(t.baseline, t.size));
  const a = [`x="${num(t.x)}"`, `y="${num(y)}"`, `font-size="${num(t.size)}"`];
  if (t.anchor && t.anchor !== 'start') a.push(`text-anchor="${t.anchor}"`);
  if (t.bold) a.push('font-weight="bold"');
  a.push(`fill="${t.fill ?? '#000000'}"`);
  if (t.opacity !== undefined && t.opacity < 1) a.push(`opacity="${num(t.opacity)}"`);
  if (t.rotate) {
    // rotate about the anchor point, then shift the baseline along the rotated y axis
    a.push(
      `transform="rotate(${num(t.rotate)} ${num(t.x)} ${num(t.y)}) translate(0 ${num(baselineShift(t.baseline, t.size))})"`,
    );
  }
  return `<text ${a.join(' ')}>${escapeXml(t.text)}</text>`;
}

function writeGroup(g: Extract<Mark, { type: 'group' }>, ctx: Ctx, out: string[]): void {
  const a: string[] = [];
  if (g.name) a.push(`class="${escapeXml(g.name)}"`);
  if (g.opacity !== undefined && g.opacity < 1) a.push(`opacity="${num(g.opacity)}"`);
  if (g.clip) {
    const id = `clip${++ctx.clipCount}`;
    const c = g.clip;
    ctx.defs.push(
      `<clipPath id="${id}"><rect x="${num(c.x)}" y="${num(c.y)}" width="${num(c.width)}" height="${num(c.height)}"/></clipPath>`,
    );
    a.push(`clip-path="url(#${id})"`);
  }
  out.push(a.length ? `<g ${a.join(' ')}>` : '<g>');
  for (const m of g.children) writeMark(m, ctx, out);
  out.push('</g>');
}
