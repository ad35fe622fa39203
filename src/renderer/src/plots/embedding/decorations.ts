/**
 * The few non-data shapes: panel / plane outlines, titles, Fig. 6's output markers, and the
 * hover / selection highlight. Outlines and markers live in the zoomed world (one Graphics each,
 * rebuilt per layout change); text and highlights live in a screen-space overlay so they keep
 * their size at any zoom, and are re-placed when the view moves.
 */
import { Container, Graphics, Text } from 'pixi.js';
import { FillLayer } from './gl-layers';
import type { Layout } from './layout';
import { packHex, type ThemeColors } from './palette';

type ToScreen = (x: number, y: number) => [number, number];

export class Decorations {
  /** child of the zoomed world container, drawn below the data */
  readonly world = new Container({ label: 'embedding-decorations' });
  /** screen-space container, drawn above everything */
  readonly overlay = new Container({ label: 'embedding-overlay' });
  /** plane fills: large areas, so a plain-colour mesh, not Graphics (see gl-layers.ts) */
  private readonly fills = new FillLayer();
  private readonly panels = new Graphics();
  private readonly markers = new Graphics();
  private readonly highlight = new Graphics();
  private readonly titles: Text[] = [];
  private readonly markerLabels: Text[] = [];
  private anchors: number[] = []; // layout x, y of every title then every marker label
  private colors: ThemeColors | null = null;

  constructor() {
    this.world.addChild(this.fills.mesh, this.panels);
    this.overlay.addChild(this.highlight);
    this.world.eventMode = 'none';
    this.overlay.eventMode = 'none';
  }

  /** Redraws outlines, titles and markers for a new layout. */
  update(layout: Layout, colors: ThemeColors, showMarkers: boolean, classNames: readonly string[] | null = null): void {
    this.colors = colors;
    const g = this.panels.clear();
    const fill = packHex(colors.panel, 0.55);
    this.fills.ensure(6 * layout.panels.length);
    layout.panels.forEach((p, q) => {
      g.poly(Array.from(p.outline), true).stroke({ color: colors.muted, alpha: 0.7, width: 1, pixelLine: true });
      const o = p.outline; // corners 0 1 2 3 -> triangles (0 1 2) (0 2 3)
      [0, 1, 2, 0, 2, 3].forEach((c, v) => {
        this.fills.positions[2 * (6 * q + v)] = o[2 * c];
        this.fills.positions[2 * (6 * q + v) + 1] = o[2 * c + 1];
        this.fills.colors[6 * q + v] = fill;
      });
    });
    this.fills.commit(6 * layout.panels.length);
    this.syncTexts(this.titles, layout.panels.length, 13, colors.ink);
    layout.panels.forEach((p, l) => (this.titles[l].text = p.title));
    const anchors = layout.panels.flatMap((p) => [p.titleX, p.titleY]);

    const m = this.markers.clear();
    const markers = showMarkers ? layout.markers : [];
    let nLabels = 0;
    for (const pts of markers) nLabels += pts.length / 2;
    this.syncTexts(this.markerLabels, nLabels, 10, colors.ink);
    let q = 0;
    for (const pts of markers) {
      for (let i = 0; i < pts.length / 2; i++, q++) {
        const [x, y] = [pts[2 * i], pts[2 * i + 1]];
        m.moveTo(x - 3, y - 3)
          .lineTo(x + 3, y + 3)
          .moveTo(x - 3, y + 3)
          .lineTo(x + 3, y - 3);
        this.markerLabels[q].text = classNames?.[i] ?? String(i);
        anchors.push(x + 4, y - 2);
      }
    }
    if (q > 0) m.stroke({ color: colors.ink, width: 1.5, alpha: 0.9 });
    if (!this.markers.parent) this.world.addChild(this.markers);
    this.anchors = anchors;
  }

  /** Keeps texts at their layout anchors after a pan / zoom / resize. */
  place(toScreen: ToScreen): void {
    const all = [...this.titles, ...this.markerLabels];
    all.forEach((t, q) => {
      const [sx, sy] = toScreen(this.anchors[2 * q], this.anchors[2 * q + 1]);
      t.position.set(Math.round(sx), Math.round(sy));
    });
  }

  /** Rings around the given neurons (screen px) and an optional highlighted segment. */
  setHighlight(points: [number, number][], segment: [number, number, number, number] | null): void {
    const g = this.highlight.clear();
    const color = this.colors?.highlight ?? 0xffd54f;
    if (segment)
      g.moveTo(segment[0], segment[1]).lineTo(segment[2], segment[3]).stroke({ color, width: 2, alpha: 0.95 });
    for (const [x, y] of points) g.circle(x, y, 6).stroke({ color, width: 2 });
  }

  private syncTexts(list: Text[], n: number, fontSize: number, color: number): void {
    while (list.length > n) list.pop()?.destroy();
    while (list.length < n) {
      const t = new Text({ text: '', style: { fontFamily: 'system-ui, sans-serif', fontSize, fill: color } });
      t.anchor.set(fontSize > 11 ? 0.5 : 0, 1);
      list.push(t);
      this.overlay.addChild(t);
    }
    // a style change re-rasterises the text: only touch it when the theme really changed
    for (const t of list) if (t.style.fill !== color) t.style.fill = color;
  }

  destroy(): void {
    this.fills.destroy();
    this.world.destroy({ children: true });
    this.overlay.destroy({ children: true });
  }
}
