/** A fact as the checks receive it: its value, or the problem that kept the tool from seeing it. */
import { classify, type Problem } from '../aws/errors.js';

export type Got<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export async function got<T>(work: () => Promise<T>): Promise<Got<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, problem: classify(error) };
  }
}
