import { describe, expect, it } from 'vitest';
import { remainingTime } from '../../src/renderer/src/lib/eta';

describe('remainingTime (reproduce ETA)', () => {
  it('uses the pace once trainings finished: 2 of 8 in 100 s leave 300 s', () => {
    expect(remainingTime({ elapsedS: 100, done: 2, total: 8, estimateS: 50 })).toEqual({ seconds: 300, basis: 'pace' });
  });
  it('uses the estimate before the first training finished, never below 0', () => {
    expect(remainingTime({ elapsedS: 30, done: 0, total: 8, estimateS: 200 })).toEqual({
      seconds: 170,
      basis: 'estimate',
    });
    expect(remainingTime({ elapsedS: 300, done: 0, total: 0, estimateS: 200 })).toEqual({
      seconds: 0,
      basis: 'estimate',
    });
  });
  it('says nothing when all are done or nothing is known', () => {
    expect(remainingTime({ elapsedS: 30, done: 8, total: 8, estimateS: 200 })).toBeNull();
    expect(remainingTime({ elapsedS: 30, done: 0, total: 8 })).toBeNull();
  });
});
