/**
 * Pointer handling on the canvas with plain DOM events (pixi's event system is switched off: it
 * would hit-test the scene graph on every move, and all picking here is our own grid).
 * Wheel zooms about the cursor, drag pans, a click without movement picks, double-click resets.
 * Hover queries are coalesced to one per animation frame.
 */
export interface ViewTransform {
  zoom: number;
  panX: number;
  panY: number;
}

export interface InteractionHandlers {
  /** the transform changed (zoom / pan) */
  view(t: ViewTransform): void;
  /** pointer at canvas CSS px, or null when it left */
  hover(x: number | null, y: number): void;
  click(x: number, y: number): void;
}

const MIN_ZOOM = 0.25;
const MAX_ZOOM = 64;
const DRAG_PX = 4;

export class Interaction {
  readonly transform: ViewTransform = { zoom: 1, panX: 0, panY: 0 };
  private drag: { x: number; y: number; panX: number; panY: number; moved: boolean; id: number } | null = null;
  private pending: { x: number | null; y: number } | null = null;
  private raf = 0;
  private readonly off: (() => void)[] = [];

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly handlers: InteractionHandlers,
  ) {
    const on = <K extends keyof HTMLElementEventMap>(
      type: K,
      fn: (e: HTMLElementEventMap[K]) => void,
      opts?: AddEventListenerOptions,
    ): void => {
      canvas.addEventListener(type, fn, opts);
      this.off.push(() => canvas.removeEventListener(type, fn));
    };
    on('wheel', (e) => this.onWheel(e), { passive: false });
    on('pointerdown', (e) => this.onDown(e));
    on('pointermove', (e) => this.onMove(e));
    on('pointerup', (e) => this.onUp(e));
    on('pointercancel', () => (this.drag = null));
    on('pointerleave', () => this.queueHover(null, 0));
    on('dblclick', () => this.reset());
    canvas.style.touchAction = 'none';
  }

  reset(): void {
    Object.assign(this.transform, { zoom: 1, panX: 0, panY: 0 });
    this.handlers.view(this.transform);
  }

  private local(e: MouseEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const [x, y] = this.local(e);
    const t = this.transform;
    const pixels = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
    const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.zoom * Math.exp(-pixels * 0.0015)));
    // keep the layout point under the cursor fixed
    t.panX = x - ((x - t.panX) * zoom) / t.zoom;
    t.panY = y - ((y - t.panY) * zoom) / t.zoom;
    t.zoom = zoom;
    this.handlers.view(t);
    this.queueHover(x, y);
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    const [x, y] = this.local(e);
    this.drag = { x, y, panX: this.transform.panX, panY: this.transform.panY, moved: false, id: e.pointerId };
  }

  private onMove(e: PointerEvent): void {
    const [x, y] = this.local(e);
    const d = this.drag;
    if (d && d.id === e.pointerId) {
      if (!d.moved && Math.hypot(x - d.x, y - d.y) > DRAG_PX) {
        d.moved = true;
        this.canvas.setPointerCapture(e.pointerId);
      }
      if (d.moved) {
        this.transform.panX = d.panX + x - d.x;
        this.transform.panY = d.panY + y - d.y;
        this.handlers.view(this.transform);
        return;
      }
    }
    this.queueHover(x, y);
  }

  private onUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    if (!d || d.id !== e.pointerId) return;
    if (d.moved) this.canvas.releasePointerCapture(e.pointerId);
    else this.handlers.click(...this.local(e));
  }

  private queueHover(x: number | null, y: number): void {
    this.pending = { x, y };
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      const p = this.pending;
      this.pending = null;
      if (p) this.handlers.hover(p.x, p.y);
    });
  }

  destroy(): void {
    cancelAnimationFrame(this.raf);
    for (const f of this.off) f();
  }
}
