/**
 * Reads something again and again, with exponential backoff and jitter, until it is as wanted or time runs
 * out. One implementation for `propagation` (changes that are not yet visible) and for the fix protocol's
 * verification.
 */

export interface PollOptions {
  /** Give up after this long. @default 60000 */
  timeoutMs?: number;
  /** The first wait between reads. @default 250 */
  initialDelayMs?: number;
  /** The longest wait between reads. @default 5000 */
  maxDelayMs?: number;
  /** Called after each read (for progress). */
  onAttempt?: (attempt: number, elapsedMs: number) => void;
  /**
   * Called every `progressEveryMs` while polling (the reads so far, the time since the start), the first
   * time after one interval, never after pollUntil has returned: a progress line that ticks while it waits.
   */
  onProgress?: (attempts: number, elapsedMs: number) => void;
  /** @default 1000 */
  progressEveryMs?: number;
  /** Stops the polling early (Ctrl-C). */
  signal?: AbortSignal;
}

export interface PollResult<T> {
  value: T;
  /** True when `done` said yes before the time ran out. */
  satisfied: boolean;
  attempts: number;
  elapsedMs: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * `done(value, previous)` decides; `previous` is the read before this one (for "consecutive reads agree").
 */
export async function pollUntil<T>(
  read: (attempt: number) => Promise<T>,
  done: (value: T, previous: T | undefined) => boolean,
  options: PollOptions = {},
): Promise<PollResult<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxDelay = options.maxDelayMs ?? 5_000;
  let delay = options.initialDelayMs ?? 250;
  const started = performance.now();
  let previous: T | undefined;
  let attempts = 0;
  const { onProgress } = options;
  const ticker = onProgress ? setInterval(() => onProgress(attempts, Math.round(performance.now() - started)), options.progressEveryMs ?? 1000) : undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const value = await read(attempt);
      attempts = attempt;
      const elapsedMs = Math.round(performance.now() - started);
      options.onAttempt?.(attempt, elapsedMs);
      if (done(value, previous)) return { value, satisfied: true, attempts: attempt, elapsedMs };
      const remaining = timeoutMs - elapsedMs;
      if (remaining <= 0 || options.signal?.aborted) return { value, satisfied: false, attempts: attempt, elapsedMs };
      // Full jitter: spread concurrent pollers, as AWS recommends for backoff.
      await sleep(Math.min(remaining, delay / 2 + Math.random() * (delay / 2)), options.signal);
      delay = Math.min(delay * 2, maxDelay);
      previous = value;
    }
  } finally {
    clearInterval(ticker);
  }
}
