/**
 * Many secrets in one run: a bounded number of diagnoses at a time over one session, sharing the facts
 * about the account (caller, principal and its policies, keys and key policies), each document handed on
 * as soon as it is finished so that memory stays flat however many secrets there are.
 */
import type { AwsSession } from './aws/session.js';
import { diagnose, type Diagnosis } from './diagnose.js';
import { SharedFacts } from './facts/index.js';
import type { Inputs } from './types.js';

export interface ManyOptions {
  /** Diagnoses in flight at once. @default 8 */
  concurrency?: number;
  /** Inputs particular to one secret (the response plan that uses it). */
  inputsFor?: (secretId: string) => Partial<Inputs>;
  /** Each finished diagnosis, in the order they finish. */
  onDiagnosis: (diagnosis: Diagnosis, done: number) => void;
}

/** Diagnoses every secret ID the source yields (an array, or a paginated listing); returns how many. */
export async function diagnoseMany(
  session: AwsSession,
  base: Inputs,
  secretIds: AsyncIterable<string> | Iterable<string>,
  options: ManyOptions,
): Promise<number> {
  const shared = new SharedFacts();
  const limit = Math.max(1, options.concurrency ?? 8);
  const iterator = (Symbol.asyncIterator in secretIds ? secretIds[Symbol.asyncIterator]() : secretIds[Symbol.iterator]()) as
    | AsyncIterator<string>
    | Iterator<string>;
  let done = 0;
  // One queue read at a time, so a paginated source is asked for its next page only when needed.
  let reading: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<string>> => {
    const result = reading.then(() => iterator.next());
    reading = result.catch(() => undefined);
    return result;
  };
  const worker = async () => {
    for (let item = await next(); !item.done; item = await next()) {
      const diagnosis = await diagnose(session, { ...base, ...options.inputsFor?.(item.value), secretId: item.value }, undefined, shared);
      done++;
      options.onDiagnosis(diagnosis, done);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return done;
}
