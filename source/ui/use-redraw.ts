/**
 * After the terminal is resized, the screen is drawn again from its top. Ink erases its last frame by
 * counting the lines it wrote, but a terminal that reflows its lines to a new width (tmux, most terminal
 * emulators) has moved them: narrower, a line takes two rows and the erase stops short, so the top of the
 * old frame (its title) stays above the new one, and a heading shows twice. So, once the resize has
 * settled and the wizard has laid itself out at the new size, the visible screen is cleared (not the
 * scrollback) and the kept rows (<Printed>) are written again, then Ink writes its current frame below.
 */
import { useStdout } from 'ink';
import { useEffect, useRef } from 'react';

/** Clear the visible screen and put the cursor at its top left: the scrollback is left alone. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';

/**
 * How long after the last resize event the screen is drawn again: after Ink's throttled frame at the new
 * size (at most 33 ms), and once for a window dragged through many sizes.
 */
const SETTLE_MS = 100;

/** @param kept the rows above the live frame, as text at the current size */
export function useRedrawOnResize(enabled: boolean, kept: () => string): void {
  const { stdout, write } = useStdout();
  const latest = useRef(kept);
  latest.current = kept;
  useEffect(() => {
    if (!enabled) return;
    let timer: NodeJS.Timeout | undefined;
    const onResize = () => {
      clearTimeout(timer);
      // Ink's write: it erases its frame, writes this, and writes its frame again below.
      timer = setTimeout(() => write(CLEAR_SCREEN + latest.current()), SETTLE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, write, enabled]);
}
