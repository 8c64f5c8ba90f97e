/**
 * What every Ctrl-C-around-a-write test checks once the command has left (SPEC.md, "Interruption"): exit
 * 130 with the terminal restored, then the lines that say what became of the write; for a write that was
 * made, its backup and the undo command that restores from it.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { Terminal } from '../e2e/tmux.js';

/** Exit 130, the terminal restored; the whole screen once it says what became of the write. */
export async function interruptedScreen(t: Terminal): Promise<string> {
  expect(await t.exited()).toEqual({ code: 130, terminal: 'restored' });
  // tmux may not have read the last lines when the command exits: wait for them.
  return t.waitFor((s) => /Interrupted/.test(s) && /(not changed|was changed|Undo: )/.test(s), 10_000, { joined: true, history: true });
}

/** The write was let finish and made; the one backup in `dir` is named, and the undo command restores from it. */
export async function expectMadeAndUndoable(screen: string, dir: string, secretArn: string): Promise<void> {
  expect(screen).toMatch(/Interrupted during the write, which was let finish: it was made: the resource policy of secret \S+ was changed\./);
  const [backup] = await readdir(dir);
  expect(screen).toContain(`Backup: ${path.join(dir, backup!)}`);
  expect(screen).toContain(`Undo: secrets-doctor restore-policy --secret-id ${secretArn} --region us-east-1 --from ${path.join(dir, backup!)}`);
}
