/**
 * ink-testing-library with waiting for content instead of time: `waitForFrame(predicate)` polls the last
 * frame between turns of the event loop (so React and Ink can render) until the predicate holds, or
 * fails after a bound with the last frame in the message. `press` sends keys and then lets the effects
 * that register the next step's key handlers run.
 */
import { act, type ReactElement } from 'react';
import { render as inkRender } from 'ink-testing-library';

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  escape: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  ctrlC: '\u0003',
  backspace: '\u007f',
} as const;

const turn = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

export interface Rendered extends ReturnType<typeof inkRender> {
  /** The last frame, never undefined. */
  frame(): string;
  /** Resolves with the first frame the predicate accepts (a string: the frame contains it). */
  waitForFrame(predicate: string | ((frame: string) => boolean), options?: { timeoutMs?: number }): Promise<string>;
  /** Writes keys (or text) to stdin, one write each, letting the app settle after each. */
  press(...keys: string[]): Promise<void>;
}

export function render(tree: ReactElement): Rendered {
  const instance = inkRender(tree);
  const frame = () => instance.lastFrame() ?? '';
  return {
    ...instance,
    frame,
    async waitForFrame(predicate, { timeoutMs = 5000 } = {}) {
      const test = typeof predicate === 'string' ? (f: string) => f.includes(predicate) : predicate;
      const deadline = Date.now() + timeoutMs;
      while (!test(frame())) {
        if (Date.now() > deadline) throw new Error(`No frame matched within ${timeoutMs} ms. Last frame:\n${frame()}`);
        await turn();
      }
      await turn(); // let the new screen's effects (its key handlers) run
      return frame();
    },
    async press(...keys) {
      for (const key of keys) {
        // act() runs the renders and effects that the key causes (the next key handlers among them) before
        // the next key; it is switched on only here, so updates from the app's own promises need no act().
        const scope = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
        scope.IS_REACT_ACT_ENVIRONMENT = true;
        try {
          await act(async () => {
            instance.stdin.write(key);
          });
        } finally {
          scope.IS_REACT_ACT_ENVIRONMENT = false;
        }
      }
    },
  };
}

/** A frame without ANSI styles. */
export function plain(frame: string): string {
  return frame.replace(/\u001b\[[0-9;]*m/g, '');
}
