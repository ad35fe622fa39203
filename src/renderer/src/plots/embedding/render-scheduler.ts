/**
 * On-demand rendering: any number of requests in a frame give one render on the next animation
 * frame. While new lines are on their way (a selection or a CPU raster, a few tens of ms) the
 * render can be held, at most HOLD_MS, so a snapshot costs one frame with dots and lines together
 * instead of two. On software WebGL a frame costs tens of ms of GPU-process time, so this roughly
 * doubles the frame rate while training streams in.
 *
 * With a frame clock (a live view's, see lib/frame-clock.ts) renders happen on the clock's ticks,
 * in the same frame as the rest of the view's updates, first in the tick (the complete picture of
 * data an earlier tick applied). What the user does (zoom, pan, hover, changed options) is drawn
 * on the next animation frame all the same, for INTERACTIVE_MS after the last input.
 */
const HOLD_MS = 150;
const INTERACTIVE_MS = 1000;

/** The part of FrameClock the scheduler uses. */
export interface RenderClock {
  schedule(key: unknown, task: () => void, first?: boolean): void;
  cancel(key: unknown): void;
}

export class RenderScheduler {
  private raf = 0;
  private onClock = false;
  private holdUntil = 0;
  private holdTimer = 0;
  private interactiveUntil = 0;
  private count = 0;
  private stopped = false;
  private clock: RenderClock | null = null;
  private readonly listeners = new Set<(frames: number) => void>();

  constructor(private readonly render: () => void) {}

  get frames(): number {
    return this.count;
  }

  onFrame(listener: (frames: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Renders on `clock`'s ticks from now on (null: on animation frames). */
  setClock(clock: RenderClock | null): void {
    if (clock === this.clock) return;
    const wasPending = this.onClock || this.raf !== 0;
    this.cancelPending();
    this.clock = clock;
    if (wasPending) this.request();
  }

  hold(): void {
    this.holdUntil = performance.now() + HOLD_MS;
  }

  /** The user is steering: draw on animation frames (not clock ticks) for a moment. */
  interact(): void {
    this.interactiveUntil = performance.now() + INTERACTIVE_MS;
  }

  /** Ends a hold (the awaited lines arrived, or the user is steering) and renders. */
  release(): void {
    this.holdUntil = 0;
    this.request();
  }

  request(): void {
    if (this.stopped) return;
    const now = performance.now();
    const wait = this.holdUntil - now;
    if (wait > 0) {
      if (!this.raf && !this.onClock) {
        clearTimeout(this.holdTimer);
        this.holdTimer = window.setTimeout(() => this.release(), wait);
      }
      return;
    }
    const interactive = now < this.interactiveUntil;
    if (this.clock && !interactive) {
      if (this.onClock || this.raf) return;
      this.onClock = true;
      this.clock.schedule(this, () => this.clockFrame(), true);
      return;
    }
    if (this.raf) return;
    if (this.onClock) {
      this.clock?.cancel(this);
      this.onClock = false;
    }
    this.raf = requestAnimationFrame(() => this.frame());
  }

  destroy(): void {
    this.stopped = true;
    this.cancelPending();
    this.listeners.clear();
  }

  /** A tick while lines are still on their way shows nothing new: the release asks for the next. */
  private clockFrame(): void {
    this.onClock = false;
    const wait = this.holdUntil - performance.now();
    if (wait > 0 && !this.stopped) {
      clearTimeout(this.holdTimer);
      this.holdTimer = window.setTimeout(() => this.release(), wait);
      return;
    }
    this.frame();
  }

  private frame(): void {
    this.raf = 0;
    this.onClock = false;
    if (this.stopped) return;
    this.render();
    this.count++;
    for (const f of this.listeners) f(this.count);
  }

  private cancelPending(): void {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    if (this.onClock) this.clock?.cancel(this);
    this.onClock = false;
    clearTimeout(this.holdTimer);
  }
}
