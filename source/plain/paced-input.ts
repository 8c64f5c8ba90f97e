/**
 * The --plain wizard's stdin as its prompts read it: the terminal's input, one key at a time, each handed
 * on in a turn of the event loop of its own. @inquirer/prompts reads every key of a read in one go, and its
 * search prompt drops an Enter that comes while it is still filtering for the key before (it filters
 * asynchronously): a name typed and Enter pressed in one read (typed fast, `tmux send-keys`, a slow
 * machine) left the question unanswered. A turn between keys lets each filter finish first, so every key
 * counts, in order. Text that came in one read stays together (a paste), as in the Ink wizard (keys.ts).
 *
 * The prompts get a stream that emits 'data' (readline's keypress parsing reads it), with raw mode passed
 * on to the real terminal, as readline asks for it around each prompt.
 */
import { PassThrough } from 'node:stream';
import { joinText, KeySplitter } from '../wizard/keys.js';

/** The part of a terminal's stdin this uses. */
export interface PacedSource {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  pause(): unknown;
}

export interface PacedInput {
  stream: NodeJS.ReadableStream & { isTTY: boolean; setRawMode(mode: boolean): unknown };
  /** Stops reading the terminal. */
  close(): void;
}

export function pacedInput(source: PacedSource): PacedInput {
  const splitter = new KeySplitter();
  const queue: string[] = [];
  let pumping = false;
  let flushLater: NodeJS.Immediate | undefined;
  const stream = Object.assign(new PassThrough({ encoding: 'utf8' }), {
    isTTY: Boolean(source.isTTY),
    setRawMode: (mode: boolean) => {
      source.setRawMode?.(mode);
      return stream;
    },
  });
  const pump = () => {
    const key = queue.shift();
    if (key === undefined) {
      pumping = false;
      return;
    }
    stream.write(key);
    setImmediate(pump);
  };
  const enqueue = (keys: string[]) => {
    queue.push(...joinText(keys));
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  };
  const onData = (chunk: string | Buffer) => {
    clearImmediate(flushLater);
    enqueue(splitter.push(String(chunk)));
    // A read that ends in what may start an escape sequence: the Esc key, unless more follows at once.
    if (splitter.hasPending) flushLater = setImmediate(() => enqueue(splitter.flush()));
  };
  source.on('data', onData);
  return {
    stream,
    close() {
      clearImmediate(flushLater);
      source.off('data', onData);
      source.pause();
      stream.end();
    },
  };
}
