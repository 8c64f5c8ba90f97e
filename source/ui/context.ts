/** What every view needs to know about the terminal: its size and whether to paint. */
import { createContext, useContext } from 'react';
import type { Paint } from '../report/paint.js';

export interface Screen {
  /** Columns to lay out in. */
  width: number;
  /** Rows of the terminal; views keep their live area below it so Ink never has to clear the screen. */
  height: number;
  paint: Paint;
  color: boolean;
  /**
   * Whether the current screen's key handlers are listening. The key hints appear only then, so that a
   * person (or a test) who acts on them is never ahead of the handlers.
   */
  keysReady: boolean;
}

export const ScreenContext = createContext<Screen>({ width: 80, height: 24, paint: (_style, text) => text, color: false, keysReady: true });

export function useScreen(): Screen {
  return useContext(ScreenContext);
}
