import { describe, expect, it, vi } from 'vitest';
import { pollUntil } from '../../source/poll.js';

describe('pollUntil', () => {
  it('stops at the first read that satisfies, counting attempts', async () => {
    // Given a value that becomes right on the third read
    let reads = 0;
    const result = await pollUntil(
      async () => ++reads,
      (v) => v >= 3,
      { initialDelayMs: 1, maxDelayMs: 2 },
    );
    // Then it stops there, satisfied
    expect(result).toMatchObject({ value: 3, satisfied: true, attempts: 3 });
  });

  it('passes the previous read, for "consecutive reads agree"', async () => {
    const values = ['a', 'b', 'b', 'c'];
    const result = await pollUntil(
      async (n) => values[n - 1]!,
      (v, prev) => v === prev,
      { initialDelayMs: 1, maxDelayMs: 1 },
    );
    expect(result).toMatchObject({ value: 'b', attempts: 3, satisfied: true });
  });

  it('gives up when the time runs out, with the last value and satisfied false', async () => {
    const result = await pollUntil(
      async () => 'old',
      (v) => v === 'new',
      { timeoutMs: 30, initialDelayMs: 5, maxDelayMs: 10 },
    );
    expect(result.satisfied).toBe(false);
    expect(result.value).toBe('old');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(25);
  });

  it('stops early when aborted', async () => {
    const controller = new AbortController();
    const result = await pollUntil(
      async (n) => {
        if (n === 2) controller.abort();
        return n;
      },
      () => false,
      { timeoutMs: 60_000, initialDelayMs: 1, signal: controller.signal },
    );
    expect(result.satisfied).toBe(false);
    expect(result.attempts).toBe(2);
  });

  it('ticks progress about once a second while it waits (the reads so far, the time), and never after it returns', async () => {
    // Given a clock of the test's own (the reads succeed on the fourth, after three waits of 0.5-1 s)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    try {
      const ticks: [number, number][] = [];
      const polling = pollUntil(
        async (n) => n,
        (v) => v >= 4,
        { initialDelayMs: 1000, maxDelayMs: 1000, onProgress: (attempts, ms) => ticks.push([attempts, ms]) },
      );
      await vi.advanceTimersByTimeAsync(5_000);
      const result = await polling;
      // Then it ticked every second while waiting, each tick with the reads made so far
      expect(result.attempts).toBe(4);
      expect(ticks.length).toBeGreaterThanOrEqual(1);
      expect(ticks.map(([, ms]) => ms)).toEqual(ticks.map((_, i) => (i + 1) * 1000));
      expect(ticks.every(([attempts]) => attempts >= 1 && attempts < 4)).toBe(true);
      // And not once after it returned
      const count = ticks.length;
      await vi.advanceTimersByTimeAsync(5_000);
      expect(ticks).toHaveLength(count);
    } finally {
      vi.useRealTimers();
    }
  });
});
