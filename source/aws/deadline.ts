/**
 * A deadline for a whole attempt (SPEC.md, "Hostile input": `--timeout` bounds a whole attempt, the body
 * included). The SDK's own timeouts end a connection that stays silent; an answer dripped a byte at a
 * time is never silent, so it could hold an attempt for minutes. This wraps the HTTP handler: a timer per
 * attempt that, when it fires, fails the attempt with a TimeoutError (which the SDK's retry strategy
 * treats as transient, and `classify` as a timeout that service-health counts), before the headers by
 * rejecting and aborting the request, after them by destroying the body's stream.
 */
import type { Readable } from 'node:stream';

interface Handler {
  handle(request: unknown, options?: { abortSignal?: unknown; requestTimeout?: number }): Promise<{ response: { body?: unknown } }>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
  metadata?: unknown;
}

/** An error the SDK retries and `classify` calls a timeout. */
export function attemptTimeout(ms: number): Error {
  return Object.assign(new Error(`The attempt did not finish within ${ms} ms (--timeout), its answer included.`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

function isStream(body: unknown): body is Readable {
  return typeof (body as Readable | undefined)?.destroy === 'function' && typeof (body as Readable).once === 'function';
}

export function withAttemptDeadline<H extends Handler>(inner: H, ms: number): H {
  const wrapped: Handler = {
    metadata: inner.metadata,
    destroy: () => inner.destroy?.(),
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.(),
    handle(request, options = {}) {
      const controller = new AbortController();
      const outer = options.abortSignal as AbortSignal | undefined;
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener?.('abort', () => controller.abort(), { once: true });
      return new Promise((resolve, reject) => {
        let body: Readable | undefined;
        let settled = false;
        const timer = setTimeout(() => {
          const error = attemptTimeout(ms);
          if (body) body.destroy(error);
          else if (!settled) {
            settled = true;
            reject(error);
            controller.abort();
          }
        }, ms);
        // The request's socket keeps the process alive while it matters; a body nobody reads must not.
        timer.unref();
        const done = () => clearTimeout(timer);
        inner.handle(request, { ...options, abortSignal: controller.signal }).then(
          (out) => {
            if (settled) return;
            settled = true;
            const b = out.response.body;
            if (isStream(b) && !b.readableEnded) {
              body = b;
              b.once('end', done);
              b.once('close', done);
              b.once('error', done);
            } else done();
            resolve(out);
          },
          (error: unknown) => {
            done();
            if (settled) return;
            settled = true;
            reject(error);
          },
        );
      });
    },
  };
  return wrapped as H;
}
