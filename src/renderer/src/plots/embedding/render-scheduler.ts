/**
 * On-demand rendering: any number of requests in a frame give one render on the next animation
 * frame. While new lines are on their way (a selection or a CPU raster, a few tens of ms) the
 * render can be held, at most HOLD_MS, so a snapshot costs one frame with dots and lines together
 * instead of two. On software WebGL a frame costs tens of ms of GPU-process time, so this roughly
 * doubles the frame rate while training streams in.
 */
const HOLD_MS = 150;

export class RenderScheduler {
  private raf = 0;
  private holdUntil = 0;
  private holdTimer = 0;
  private count = 0;
  private stopped = false;
  private readonly listeners = new Set<(frames: number) => void>();

  constructor(private readonly render: () => void) {}

  get frames(): number {
    return this.count;
  }

  onFrame(listener: (frames: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  hold(): void {
    this.holdUntil = performance.now() + HOLD_MS;
  }

  /** Ends a hold (the awaited lines arrived, or the user is steering) and renders. */
  release(): void {
    this.holdUntil = 0;
    this.request();
  }

  request(): void {
    if (this.raf || this.stopped) return;
    const wait = this.holdUntil - performance.now();
    if (wait > 0) {
      clearTimeout(this.holdTimer);
      this.holdTimer = window.setTimeout(() => this.release(), wait);
      return;
    }
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      if (this.stopped) return;
      this.render();
      this.count++;
      for (const f of this.listeners) f(this.count);
    });
  }

  destroy(): void {
    this.stopped = true;
    cancelAnimationFrame(this.raf);
    clearTimeout(this.holdTimer);
    this.listeners.clear();
  }
}
