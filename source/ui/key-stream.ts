/**
 * The wizard's stdin as Ink reads it: the terminal's input, one key at a time, each handed over only once
 * React has finished with the one before. Ink 6 hands every key of a read to the handlers subscribed at
 * that moment, in one go: the handlers of a screen that the first key has just left, closures over state
 * the first key has changed, a list the first key has just filtered. So keys typed ahead were lost (the
 * secret typed right after Enter on the first screen), or acted on stale state (ten ↓ scrolled one line).
 * Here a key waits until React's scheduler is idle: the render the key before caused, its effects (the
 * new screen's key handlers subscribe in them) and whatever those set off have run; so has the work of
 * anything else (a list that arrived from AWS and changed the options).
 * Keys are split as keys.ts says, but text (printable characters) that came in one read stays one key, as
 * Ink has it: a paste, which a text field inserts at once, and which a screen that acts on a single letter
 * ignores, so that pasting "yes" onto "Apply? y/N" answers nothing. (Letters typed faster than the wizard
 * reads arrive together too, and count only in a text field: the safe side, for questions that write.)
 *
 * It is what Ink needs of stdin (isTTY, setRawMode, setEncoding, ref/unref, 'readable' and read()) over
 * the real one; run.tsx passes it to render().
 */
import { EventEmitter } from 'node:events';
import { unstable_cancelCallback, unstable_IdlePriority, unstable_scheduleCallback } from 'scheduler';
import { joinText, KeySplitter } from '../wizard/keys.js';

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

/** The number the scheduler gives each task it queues (in order), if it does. */
function queueIdle(callback: () => void): { task: unknown; id: number | undefined } {
  const task = unstable_scheduleCallback(unstable_IdlePriority, callback);
  const id = (task as { id?: unknown }).id;
  return { task, id: typeof id === 'number' ? id : undefined };
}

/**
 * Calls `then` once React has no work left. React queues its work on its scheduler (the render a key
 * causes, from a microtask; then the effects, which subscribe the next screen's key handlers; then what
 * those cause, again from a microtask), and the scheduler runs an idle task only after every task queued
 * before it. A microtask, though, runs after the scheduler's whole batch of tasks, ours included: so the
 * turn after our idle task queues the next and looks at its number. The one after ours: nothing was
 * queued meanwhile, React is done. Otherwise that task waits its turn and looks again (at most `rounds`
 * times, so that a screen that never stops rendering cannot hold the keys back).
 */
function whenSettled(then: () => void, rounds = 20): void {
  let last: number | undefined;
  const look = () =>
    setImmediate(() => {
      const next = queueIdle(look);
      if (next.id === undefined || next.id === (last ?? NaN) + 1 || --rounds <= 0) {
        unstable_cancelCallback(next.task);
        then();
      } else last = next.id;
    });
  last = queueIdle(look).id;
}

export class KeyStream extends EventEmitter {
  readonly isTTY: boolean;
  private readonly splitter = new KeySplitter();
  private queue: string[] = [];
  /** React has settled since the last key was handed over (or since the first arrived): one may go. */
  private ready = false;
  /** Waiting for React to settle. */
  private waiting = false;
  private attached = false;
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
      setImmediate(() => this.next());
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

  /** The next key, or null: none waiting, or React not settled yet. */
  read(): string | null {
    if (!this.ready || !this.queue.length) return null;
    this.ready = false;
    const key = this.queue.shift()!;
    // (After an Escape, Ink hands it on a turn later, lest it start a sequence: the wait covers that too.)
    setImmediate(() => this.next());
    return key;
  }

  /**
   * With a key waiting: once React has settled (whatever set it to work: the last key, an answer from AWS,
   * a timer), says there is one to read.
   */
  private next(): void {
    if (!this.attached || !this.queue.length) return;
    if (this.ready) {
      this.emit('readable'); // Ink reads one key at once
      this.ready = false;
      return;
    }
    if (this.waiting) return;
    this.waiting = true;
    whenSettled(() => {
      this.waiting = false;
      this.ready = true;
      this.next();
    });
  }

  private readonly onReadable = (): void => {
    for (let chunk = this.source.read() as string | Buffer | null; chunk !== null; chunk = this.source.read()) {
      this.queue.push(...joinText(this.splitter.push(String(chunk))));
    }
    clearImmediate(this.flushLater);
    // The end of a read that may start an escape sequence: the Esc key, unless more follows at once.
    if (this.splitter.hasPending) {
      this.flushLater = setImmediate(() => {
        this.queue.push(...this.splitter.flush());
        this.next();
      });
    }
    this.next();
  };
}
