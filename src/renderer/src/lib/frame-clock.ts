/**
 * One clock for everything a view updates while a run streams in. Updates scheduled between two
 * ticks are applied together, in one animation frame, at most once per `intervalMs`; a key keeps
 * only its newest update (the header shows the latest progress, not every one it missed).
 *
 * Why one clock: without a GPU (software WebGL, as on a training server or a CI machine), every
 * frame in which anything on the page changed costs the browser a full software composite, tens of
 * ms of CPU taken from the training on the same cores. The header, the two curve charts and the
 * embedding on separate timers made up to ~12 such frames a second; on one clock they make one
 * per tick. In a hidden tab animation frames do not run, so pending updates simply wait.
 *
 * A task scheduled with `first` runs before the others of its tick: a plot's render (of data that
 * an earlier tick applied and that is complete now) goes before the data updates of this tick.
 */
export type ClockTask = () => void;

export class FrameClock {
  private readonly firstTasks = new Map<unknown, ClockTask>();
  private readonly tasks = new Map<unknown, ClockTask>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private raf = 0;
  private last = -Infinity;
  private ticks = 0;
  private disposed = false;

  constructor(
    private intervalMs: number,
    private readonly onError: (err: unknown) => void = (err) => console.error(err),
  ) {}

  get interval(): number {
    return this.intervalMs;
  }

  /** ticks run so far */
  get count(): number {
    return this.ticks;
  }

  /** Changes the interval; a tick already waiting is re-timed to the new one. */
  setInterval(ms: number): void {
    this.intervalMs = Math.max(0, ms);
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.arm();
    }
  }

  /**
   * Runs `task` on the next tick (before the others when `first`); replaces a task still pending
   * under the same key.
   */
  schedule(key: unknown, task: ClockTask, first = false): void {
    if (this.disposed) return;
    (first ? this.firstTasks : this.tasks).set(key, task);
    (first ? this.tasks : this.firstTasks).delete(key);
    this.arm();
  }

  cancel(key: unknown): void {
    this.tasks.delete(key);
    this.firstTasks.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    this.tasks.clear();
    this.firstTasks.clear();
    clearTimeout(this.timer);
    cancelAnimationFrame(this.raf);
  }

  private arm(): void {
    if (this.timer !== undefined || this.raf || this.disposed) return;
    const wait = this.last + this.intervalMs - performance.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.requestFrame();
      }, wait);
    } else this.requestFrame();
  }

  private requestFrame(): void {
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      if (this.disposed) return;
      this.last = performance.now();
      this.ticks++;
      const run = [...this.firstTasks.values(), ...this.tasks.values()];
      this.firstTasks.clear();
      this.tasks.clear();
      for (const task of run) {
        try {
          task();
        } catch (err) {
          this.onError(err);
        }
      }
    });
  }
}
