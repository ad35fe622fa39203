/**
 * Animation frames and time driven by hand for renderer code under test: fake timers (setTimeout,
 * performance.now) and a queued requestAnimationFrame; `vsync()` runs the frames requested so far,
 * as the browser would at its next vsync, and returns how many there were.
 */
import { afterEach, beforeEach, vi } from 'vitest';

export function useFakeFrames(): { vsync: () => number } {
  let frames: (() => void)[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    frames = [];
    vi.stubGlobal('window', globalThis);
    vi.stubGlobal('requestAnimationFrame', (f: () => void) => frames.push(f));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => {
      if (id > 0) frames[id - 1] = () => undefined;
    });
    vi.advanceTimersByTime(10_000); // performance.now() well past 0
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
  return {
    vsync() {
      const run = frames;
      frames = [];
      for (const f of run) f();
      return run.length;
    },
  };
}
