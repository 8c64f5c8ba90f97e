/**
 * The wizard's stdin as Ink reads it: the terminal's input, one key per read, each handed over only once
 * React has finished with the one before. Ink 6 hands every key of a read to the handlers subscribed at
 * that moment, in one go: the handlers of a screen that the first key has just left, closures over state
 * the first key has changed, a list the first key has just filtered. So keys typed ahead were lost (the
 * secret typed right after Enter on the first screen), or acted on stale state (ten ↓ scrolled one line).
 * Here the next key waits until React's scheduler is idle: the render the key caused, its effects (the
 * new screen's key handlers subscribe in them) and whatever those set off have run. Keys are split as
 * keys.ts says; while a text field listens (`acceptText`), text typed in a row goes as one key, so that a
 * paste lands at once rather than one render per character.
 *
 * It is what Ink needs of stdin (isTTY, setRawMode, setEncoding, ref/unref, 'readable' and read()) over
 * the real one; run.tsx passes it to render().
 */
import { EventEmitter } from 'node:events';
import { unstable_IdlePriority, unstable_scheduleCallback } from 'scheduler';
import { isText, KeySplitter } from './keys.js';

/** The part of a terminal's stdin this uses. */
export interface KeySource {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  read(): string | Buffer | null;
  ref?(): unknown;
  unref?(): unknown;
  on(event: 'readable', listener: () => void): unknown;
  off(event: 'readable', listener: () => void): unknown;
}

/**
 * Calls `then` once React has no work left: the scheduler runs idle tasks after every other. Twice, with
 * a turn of the event loop between: Ink hands a lone Escape over one turn later (it may start a sequence).
 */
function whenSettled(then: () => void): void {
  unstable_scheduleCallback(unstable_IdlePriority, () => {
    setImmediate(() => unstable_scheduleCallback(unstable_IdlePriority, then));
  });
}

export class KeyStream extends EventEmitter {
  readonly isTTY: boolean;
  private readonly splitter = new KeySplitter();
  private queue: string[] = [];
  /** A key was handed over and React has not settled since. */
  private busy = false;
  private attached = false;
  private textFields = 0;
  private flushLater: NodeJS.Immediate | undefined;

  constructor(private readonly source: KeySource) {
    super();
    this.isTTY = Boolean(source.isTTY);
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode);
    if (mode && !this.attached) {
      this.attached = true;
      this.source.setEncoding('utf8');
      this.source.on('readable', this.onReadable);
      // Ink subscribes to 'readable' right after this call.
      setImmediate(() => this.announce());
    } else if (!mode && this.attached) {
      this.attached = false;
      this.source.off('readable', this.onReadable);
      this.queue = [];
      this.splitter.flush();
      clearImmediate(this.flushLater);
    }
    return this;
  }

  setEncoding(): this {
    return this; // keys are strings already
  }

  ref(): this {
    this.source.ref?.();
    return this;
  }

  unref(): this {
    this.source.unref?.();
    return this;
  }

  /** The next key, or null: none waiting, or React still busy with the last one. */
  read(): string | null {
    if (this.busy || !this.queue.length) return null;
    let key = this.queue.shift()!;
    if (this.textFields > 0 && isText(key)) while (this.queue.length && isText(this.queue[0]!)) key += this.queue.shift()!;
    this.busy = true;
    whenSettled(() => {
      this.busy = false;
      this.announce();
    });
    return key;
  }

  /**
   * A text field listens from now until the returned function is called: text typed in a row is then
   * handed over as one key.
   */
  acceptText(): () => void {
    this.textFields++;
    let done = false;
    return () => {
      if (!done) this.textFields--;
      done = true;
    };
  }

  private announce(): void {
    if (this.attached && !this.busy && this.queue.length) this.emit('readable');
  }

  private readonly onReadable = (): void => {
    let chunk: string | Buffer | null;
    while ((chunk = this.source.read()) !== null) this.queue.push(...this.splitter.push(String(chunk)));
    clearImmediate(this.flushLater);
    // The end of a read that may start an escape sequence: the Esc key, unless more follows at once.
    if (this.splitter.hasPending) {
      this.flushLater = setImmediate(() => {
        this.queue.push(...this.splitter.flush());
        this.announce();
      });
    }
    this.announce();
  };
}

/** Text typed in a row goes to a text field as one key while it listens (a no-op on any other stdin). */
export function acceptText(stdin: unknown): () => void {
  return stdin instanceof KeyStream ? stdin.acceptText() : () => {};
}
