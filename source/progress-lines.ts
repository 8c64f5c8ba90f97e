/**
 * A running check's progress ('progress' events of diagnose(), about once a second) as text for the
 * front-ends that print: in place on a terminal, where each line replaces the last, or as lines that stay
 * (a log, a screen reader), where a minute's wait should be a handful of lines rather than sixty.
 */
import { visible } from './visible.js';

/** `print` at most once every `everyMs` (the first line at once); later lines in between are dropped. */
export function throttledLines(everyMs: number, print: (line: string) => void): (line: string) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (line) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    print(line);
  };
}

/** One line rewritten in place on a terminal; `clear()` removes it (before the report is written). */
export function lineInPlace(write: (text: string) => void): { show(line: string): void; clear(): void } {
  let shown = false;
  return {
    show(line) {
      shown = true;
      write(`\r${visible(line)}\u001b[K`);
    },
    clear() {
      if (shown) write('\r\u001b[K');
      shown = false;
    },
  };
}
