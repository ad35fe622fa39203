/**
 * The embedding's RenderScheduler on a live view's FrameClock: renders wait for the clock's tick
 * (first in it), a hold (lines on their way) keeps a tick from showing a half-updated picture,
 * and user input is drawn on the next animation frame without waiting for a tick.
 */
import { describe, expect, it, vi } from 'vitest';
import { useFakeFrames } from './fake-frames';
import { FrameClock } from '../../src/renderer/src/lib/frame-clock';
import { RenderScheduler } from '../../src/renderer/src/plots/embedding/render-scheduler';

const { vsync } = useFakeFrames();

describe('RenderScheduler', () => {
  it('without a clock renders once on the next animation frame however often asked', () => {
    const order: string[] = [];
    const s = new RenderScheduler(() => order.push('render'));
    s.request();
    s.request();
    expect(vsync()).toBe(1);
    expect(order).toEqual(['render']);
  });

  it('on a clock renders on its tick, before the data updates of that tick', () => {
    const order: string[] = [];
    const clock = new FrameClock(500);
    const s = new RenderScheduler(() => order.push('render'));
    s.setClock(clock);
    clock.schedule('data', () => order.push('data'));
    s.request();
    vsync();
    expect(order).toEqual(['render', 'data']);
    // the next request waits for the next tick, 500 ms later
    s.request();
    vi.advanceTimersByTime(499);
    expect(vsync()).toBe(0);
    vi.advanceTimersByTime(1);
    vsync();
    expect(s.frames).toBe(2);
  });

  it('a tick while lines are on their way renders nothing; the release renders on the next tick', () => {
    const clock = new FrameClock(100);
    const s = new RenderScheduler(() => undefined);
    s.setClock(clock);
    s.request();
    s.hold(); // new positions applied after the request: their lines follow
    vsync();
    expect(s.frames).toBe(0);
    vi.advanceTimersByTime(40);
    s.release(); // the lines arrived
    vi.advanceTimersByTime(100);
    vsync();
    expect(s.frames).toBe(1);
  });

  it('draws user input on the next animation frame, not on the next tick', () => {
    const clock = new FrameClock(1000);
    const s = new RenderScheduler(() => undefined);
    s.setClock(clock);
    s.request();
    vsync(); // tick 1
    s.interact();
    s.request();
    expect(vsync()).toBe(1);
    expect(s.frames).toBe(2);
    vi.advanceTimersByTime(1500); // the input is over: back on the clock
    s.request();
    expect(vsync()).toBe(1); // the clock's tick (its interval has passed), not a bare frame
    expect(s.frames).toBe(3);
    expect(clock.count).toBe(2);
  });
});
