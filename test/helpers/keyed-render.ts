/**
 * Ink rendered as the wizard runs it, with its stdin a KeyStream (source/ui/key-stream.ts) over a fake
 * terminal input: `write` sends its text as ONE read, as a terminal does when keys come fast or are
 * pasted. Like ink-testing-library otherwise (frames out, no act(): the app settles on its own), waiting
 * for content, never for time.
 */
import { EventEmitter } from 'node:events';
import type { ReactElement } from 'react';
import { render as inkRender } from 'ink';
import { KeyStream } from '../../source/ui/key-stream.js';
import { plain } from './render.js';

class FakeStdout extends EventEmitter {
  readonly columns = 100;
  readonly rows = 40;
  last = '';
  write = (frame: string) => {
    this.last = frame;
    return true;
  };
}

/** A terminal's input: each write is one read. */
class FakeInput extends EventEmitter {
  readonly isTTY = true;
  private reads: string[] = [];
  write(text: string) {
    this.reads.push(text);
    this.emit('readable');
  }
  read = () => this.reads.shift() ?? null;
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
}

export interface Keyed {
  /** The last frame, without styles. */
  frame(): string;
  /** The last frame with its styles (the cursor is inverse). */
  styled(): string;
  /** Sends `text` as one read. */
  write(text: string): void;
  waitForFrame(predicate: string | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  rerender(tree: ReactElement): void;
  unmount(): void;
}

const turn = () => new Promise<void>((resolve) => setImmediate(() => setTimeout(resolve, 0)));

export function renderKeyed(tree: ReactElement): Keyed {
  const stdout = new FakeStdout();
  const input = new FakeInput();
  const instance = inkRender(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
    stdin: new KeyStream(input) as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => plain(stdout.last);
  return {
    frame,
    styled: () => stdout.last,
    write: (text) => input.write(text),
    async waitForFrame(predicate, timeoutMs = 5000) {
      const test = typeof predicate === 'string' ? (f: string) => f.includes(predicate) : predicate;
      const deadline = Date.now() + timeoutMs;
      while (!test(frame())) {
        if (Date.now() > deadline) throw new Error(`No frame matched within ${timeoutMs} ms. Last frame:\n${frame()}`);
        await turn();
      }
      return frame();
    },
    rerender: (next) => instance.rerender(next),
    unmount: () => instance.unmount(),
  };
}
