/**
 * PDF writer (pdfkit): one vector page the size of the figure, DejaVu Sans embedded as a subset
 * (CID TrueType), so the file prints and opens in Overleaf without any font on the reader's side.
 */
import PDFDocument from 'pdfkit';
import type { Figure, Mark, Paint, TextMark } from '../model';
import { fontFile } from '../fonts';
import { baselineShift } from '../text-metrics';

type Doc = PDFKit.PDFDocument;

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';

export interface PdfOptions {
  /** drop the background (transparent page) */
  transparent?: boolean;
}

/** Render a figure as PDF bytes. */
export function toPdf(fig: Figure, opts: PdfOptions = {}): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: [fig.widthPt, fig.heightPt],
    margin: 0,
    compress: true,
    info: { Title: fig.title, Creator: 'SEN Lab', Producer: 'SEN Lab (pdfkit)' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, fontFile('regular'));
  doc.registerFont(BOLD, fontFile('bold'));
  doc.lineCap('butt').lineJoin('round');
  if (fig.background && !opts.transparent) doc.rect(0, 0, fig.widthPt, fig.heightPt).fill(fig.background);
  for (const m of fig.children) drawMark(doc, m, 1);
  doc.end();
  return done;
}

/**
 * Draw one mark. PDF has no group opacity without transparency groups, which pdfkit lacks, so a
 * group's opacity multiplies into its children (identical unless children overlap each other).
 */
function drawMark(doc: Doc, m: Mark, alpha: number): void {
  if (m.type !== 'text' && m.type !== 'group' && !m.fill && !m.stroke) return; // an unpainted path would leak into the next
  switch (m.type) {
    case 'line':
      doc.moveTo(m.x1, m.y1).lineTo(m.x2, m.y2);
      return paint(doc, { ...m, fill: undefined }, alpha);
    case 'polyline': {
      const p = m.points;
      if (p.length < 4) return;
      doc.moveTo(p[0], p[1]);
      for (let i = 2; i + 1 < p.length; i += 2) doc.lineTo(p[i], p[i + 1]);
      if (m.closed) doc.closePath();
      return paint(doc, m, alpha);
    }
    case 'circle':
      doc.circle(m.cx, m.cy, m.r);
      return paint(doc, m, alpha);
    case 'cross':
      doc
        .moveTo(m.x - m.r, m.y - m.r)
        .lineTo(m.x + m.r, m.y + m.r)
        .moveTo(m.x - m.r, m.y + m.r)
        .lineTo(m.x + m.r, m.y - m.r);
      return paint(doc, { ...m, fill: undefined }, alpha);
    case 'rect':
      doc.rect(m.x, m.y, m.width, m.height);
      return paint(doc, m, alpha);
    case 'text':
      return drawText(doc, m, alpha);
    case 'group': {
      const a = alpha * (m.opacity ?? 1);
      doc.save();
      if (m.clip) doc.rect(m.clip.x, m.clip.y, m.clip.width, m.clip.height).clip();
      for (const c of m.children) drawMark(doc, c, a);
      doc.restore();
      return;
    }
  }
}

/** Fill and/or stroke the current path. Opacity is rounded to 1/100 to keep ExtGStates few. */
function paint(doc: Doc, p: Paint, alpha: number): void {
  const o = Math.round(alpha * (p.opacity ?? 1) * 100) / 100;
  if (p.stroke) {
    doc.lineWidth(p.strokeWidth ?? 1);
    if (p.dash?.length)
      doc.dash(p.dash as unknown as number, {}); // pdfkit takes a pattern array; its typings say number
    else doc.undash();
  }
  if (p.fill && p.stroke) doc.fillColor(p.fill, o).strokeColor(p.stroke, o).fillAndStroke();
  else if (p.fill) doc.fillColor(p.fill, o).fill();
  else if (p.stroke) doc.strokeColor(p.stroke, o).stroke();
}

function drawText(doc: Doc, t: TextMark, alpha: number): void {
  if (t.text === '') return;
  doc.font(t.bold ? BOLD : REGULAR).fontSize(t.size);
  const width = doc.widthOfString(t.text);
  const dx = t.anchor === 'middle' ? -width / 2 : t.anchor === 'end' ? -width : 0;
  const dy = baselineShift(t.baseline, t.size);
  doc.save();
  doc.translate(t.x, t.y);
  if (t.rotate) doc.rotate(t.rotate, { origin: [0, 0] });
  doc.fillColor(t.fill ?? '#000000', Math.round(alpha * (t.opacity ?? 1) * 100) / 100);
  doc.text(t.text, dx, dy, { lineBreak: false, baseline: 'alphabetic' });
  doc.restore();
}
