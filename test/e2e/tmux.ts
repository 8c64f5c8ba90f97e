/**
 * A real terminal for end-to-end tests: a tmux server on a socket of its own (never the user's tmux), one
 * pane running a command with exactly the environment given (CI unset), keys in with send-keys, the
 * screen out with capture-pane. Waits poll the screen with a bound, never sleep for a fixed time. After
 * the command exits, the pane stays (remain-on-exit) and its exit status and whether the terminal's mode
 * was restored (stty before and after) can be read.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  env: NodeJS.ProcessEnv;
  /** The command's working directory. @default the test's */
  cwd?: string;
}

export class Terminal {
  readonly socket = `sd-test-${randomBytes(6).toString('hex')}`;
  private dir = '';

  private tmux(...args: string[]) {
    return exec('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `argv` in a new pane of `columns` x `rows`. */
  async start(argv: string[], { columns = 100, rows = 40, env, cwd }: TerminalOptions): Promise<void> {
    this.dir = await mkdtemp(path.join(tmpdir(), 'sd-tmux-'));
    const conf = path.join(this.dir, 'tmux.conf');
    await writeFile(conf, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n');
    const assignments = Object.entries(env)
      .filter(([name, value]) => value !== undefined && name !== 'TERM')
      .map(([name, value]) => `${name}=${quote(value!)}`)
      .join(' ');
    const script = path.join(this.dir, 'run.sh');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        // Ctrl-C reaches the whole foreground group: this shell waits on (the trap's child gets the default).
        'trap : INT',
        'before=$(stty -g)',
        `env -i TERM="$TERM" ${assignments} ${argv.map(quote).join(' ')}`,
        `echo $? > ${quote(path.join(this.dir, 'rc.tmp'))}`,
        'after=$(stty -g)',
        `if [ "$before" = "$after" ]; then echo restored; else echo changed; fi > ${quote(path.join(this.dir, 'stty'))}`,
        `mv ${quote(path.join(this.dir, 'rc.tmp'))} ${quote(path.join(this.dir, 'rc'))}`,
        '',
      ].join('\n'),
      { mode: 0o700 },
    );
    const where = cwd ? ['-c', cwd] : [];
    await exec('tmux', [
      '-L',
      this.socket,
      '-f',
      conf,
      'new-session',
      '-d',
      '-s',
      'sd',
      ...where,
      '-x',
      String(columns),
      '-y',
      String(rows),
      `sh ${quote(script)}`,
    ]);
  }

  /**
   * The visible screen, as text: with `styles`, tmux's escape sequences for colours and attributes; with
   * `joined`, lines the terminal wrapped joined again; with `history`, everything scrolled off too.
   */
  async screen(options: { styles?: boolean; joined?: boolean; history?: boolean } = {}): Promise<string> {
    const flags = ['-p', ...(options.styles ? ['-e'] : []), ...(options.joined ? ['-J'] : []), ...(options.history ? ['-S', '-'] : [])];
    const { stdout } = await this.tmux('capture-pane', ...flags, '-t', 'sd');
    return stdout;
  }

  /**
   * Polls the screen until `predicate` holds (a string: the screen contains it), at most `timeoutMs`. Also
   * after the command has exited: tmux may not have read its last output yet.
   */
  async waitFor(predicate: string | ((screen: string) => boolean), timeoutMs = 20_000, options: { joined?: boolean; history?: boolean } = {}): Promise<string> {
    const test = typeof predicate === 'string' ? (s: string) => s.includes(predicate) : predicate;
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
      last = await this.screen(options);
      if (test(last)) return last;
      if (Date.now() > deadline)
        throw new Error(
          `The screen did not show ${typeof predicate === 'string' ? JSON.stringify(predicate) : 'what was expected'} within ${timeoutMs} ms:\n${last}`,
        );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** tmux key names: Enter, Escape, Down, C-c, or a character such as y. */
  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) await this.tmux('send-keys', '-t', 'sd', key);
  }

  /** Resizes the terminal, as a person dragging its window does (the program gets SIGWINCH). */
  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', 'sd', '-x', String(columns), '-y', String(rows));
  }

  /** tmux key names in one send-keys: tmux writes them to the terminal together (one read, usually). */
  async keysAtOnce(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'sd', ...keys);
  }

  /** Types text literally. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'sd', '-l', text);
  }

  /**
   * Sends `text` as its bytes in one send-keys (`-H`): tmux writes them to the terminal together, so the
   * program reads several keys at once, as when keys come faster than it reads.
   */
  async write(text: string): Promise<void> {
    const hex = [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
    await this.tmux('send-keys', '-t', 'sd', '-H', ...hex);
  }

  /** Pastes `text` as a terminal does (tmux's paste-buffer: the whole text in one go). */
  async paste(text: string): Promise<void> {
    await this.tmux('set-buffer', '-b', 'sd-paste', '--', text);
    await this.tmux('paste-buffer', '-d', '-b', 'sd-paste', '-t', 'sd');
  }

  /** Waits for the command to exit: its status, and whether the terminal's mode is as it was before. */
  async exited(timeoutMs = 20_000): Promise<{ code: number; terminal: 'restored' | 'changed' }> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 200)) {
      try {
        const code = Number((await readFile(path.join(this.dir, 'rc'), 'utf8')).trim());
        const terminal = (await readFile(path.join(this.dir, 'stty'), 'utf8')).trim() as 'restored' | 'changed';
        return { code, terminal };
      } catch {
        if (Date.now() > deadline) throw new Error(`The command did not exit within ${timeoutMs} ms:\n${await this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => undefined);
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Whether tmux can be run here (CI installs it: .ci/run). */
export async function tmuxVersion(): Promise<string> {
  const { stdout } = await exec('tmux', ['-V'], { encoding: 'utf8' });
  return stdout.trim();
}
