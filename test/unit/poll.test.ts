import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../source/poll.js';

describe('pollUntil', () => {
  it('stops at the first read that satisfies, counting attempts', async () => {
    // Given a value that becomes right on the third read
    let reads = 0;
    const result = await pollUntil(async () => ++reads, (v) => v >= 3, { initialDelayMs: 1, maxDelayMs: 2 });
    // Then it stops there, satisfied
    expect(result).toMatchObject({ value: 3, satisfied: true, attempts: 3 });
  });

  it('passes the previous read, for "consecutive reads agree"', async () => {
    const values = ['a', 'b', 'b', 'c'];
    const result = await pollUntil(async (n) => values[n - 1]!, (v, prev) => v === prev, { initialDelayMs: 1, maxDelayMs: 1 });
    expect(result).toMatchObject({ value: 'b', attempts: 3, satisfied: true });
  });

  it('gives up when the time runs out, with the last value and satisfied false', async () => {
    const result = await pollUntil(async () => 'old', (v) => v === 'new', { timeoutMs: 30, initialDelayMs: 5, maxDelayMs: 10 });
    expect(result.satisfied).toBe(false);
    expect(result.value).toBe('old');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(25);
  });

  it('stops early when aborted', async () => {
    const controller = new AbortController();
    const result = await pollUntil(async (n) => {
      if (n === 2) controller.abort();
      return n;
    }, () => false, { timeoutMs: 60_000, initialDelayMs: 1, signal: controller.signal });
    expect(result.satisfied).toBe(false);
    expect(result.attempts).toBe(2);
  });
});
