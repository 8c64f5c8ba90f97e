/**
 * What AWS's answers themselves say: the clock offset from their Date headers. (The refused request's
 * record is facts/denied-request.ts.)
 */
import type { Facts, ClockReading } from './index.js';
import type { Got } from './got.js';

/**
 * How far AWS's clock is from the local one, from the `Date` header of the responses so far (at least
 * GetCallerIdentity's, which every diagnosis makes). Positive: AWS is ahead.
 */
export function clockOffset(facts: Facts): Promise<Got<ClockReading>> {
  return facts.once('clockOffset', async () => {
    await facts.identity();
    const samples = facts.session.log
      // Only finished requests: for those, startedAt + ms is when the answer arrived.
      .filter((r) => r.serverDate && r.attempts > 0)
      .map((r) => {
        const server = Date.parse(r.serverDate!);
        const local = performance.timeOrigin + r.startedAt + r.ms;
        // The header has whole seconds: AWS's time was somewhere in the second after it.
        return { record: r, offsetMs: server + 500 - local, local };
      })
      .filter((s) => Number.isFinite(s.offsetMs))
      .sort((a, b) => a.offsetMs - b.offsetMs);
    const median = samples[Math.floor(samples.length / 2)];
    if (!median) {
      return { ok: false, problem: { kind: 'other', code: 'NoDateHeader', message: 'no answer from AWS carried a Date header' } } as Got<ClockReading>;
    }
    return {
      ok: true,
      value: {
        offsetMs: Math.round(median.offsetMs),
        samples: samples.length,
        operation: `${median.record.service}:${median.record.operation}`,
        serverDate: median.record.serverDate!,
        localDate: new Date(median.local).toISOString(),
      },
    };
  });
}
