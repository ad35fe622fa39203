/**
 * The live views' FrameClock: updates between ticks run together in one animation frame, at most
 * once per interval, the newest per key; cancel, interval changes and errors behave. Animation
 * frames and time are driven by hand (fake timers + a queued requestAnimationFrame).
 */
import { describe, expect, it, vi } from 'vitest';
import { useFakeFrames } from './fake-frames';
import { FrameClock } from '../../src/renderer/src/lib/frame-clock';

const { vsync } = useFakeFrames();

describe('FrameClock', () => {
  it('runs everything scheduled before a tick in one frame, the newest task per key', () => {
    const clock = new FrameClock(500);
    const seen: string[] = [];
    clock.schedule('progress', () => seen.push('progress 1'));
    clock.schedule('chart', () => seen.push('chart'));
    clock.schedule('progress', () => seen.push('progress 2'));
    expect(seen).toEqual([]); // nothing before the frame
    expect(vsync()).toBe(1);
    expect(seen).toEqual(['progress 2', 'chart']);
    expect(clock.count).toBe(1);
    expect(vsync()).toBe(0); // idle: no frames requested
  });

  it('ticks at most once per interval however often updates arrive', () => {
    const clock = new FrameClock(500);
    let runs = 0;
    clock.schedule('a', () => runs++);
    vsync();
    for (let t = 0; t < 2000; t += 50) {
      clock.schedule('a', () => runs++);
      vi.advanceTimersByTime(50);
      vsync();
    }
    // the first tick at once, then one per 500 ms over 2 s
    expect(runs).toBe(5);
    expect(clock.count).toBe(5);
  });

  it('re-times a waiting tick when the interval changes, and stops on dispose', () => {
    const clock = new FrameClock(1000);
    let runs = 0;
    clock.schedule('a', () => runs++);
    vsync();
    clock.schedule('a', () => runs++);
    clock.setInterval(100);
    vi.advanceTimersByTime(100);
    vsync();
    expect(runs).toBe(2);
    clock.schedule('a', () => runs++);
    clock.dispose();
    vi.advanceTimersByTime(1000);
    vsync();
    expect(runs).toBe(2);
  });

  it("runs 'first' tasks before the others of their tick", () => {
    const clock = new FrameClock(0);
    const seen: string[] = [];
    clock.schedule('data', () => seen.push('data'));
    clock.schedule('render', () => seen.push('render'), true);
    vsync();
    expect(seen).toEqual(['render', 'data']);
  });

  it('cancel drops a pending task; a throwing task is reported and the others still run', () => {
    const errors: unknown[] = [];
    const clock = new FrameClock(0, (e) => errors.push(e));
    const seen: string[] = [];
    clock.schedule('gone', () => seen.push('gone'));
    clock.schedule('bad', () => {
      throw new Error('boom');
    });
    clock.schedule('ok', () => seen.push('ok'));
    clock.cancel('gone');
    vsync();
    expect(seen).toEqual(['ok']);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });
});
