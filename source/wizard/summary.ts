/** The summary of the fixes, shared by both front-ends: what each did, its backup, how to undo it. */
import type { Diagnosis } from '../diagnose.js';
import type { Applied } from '../fixes/protocol.js';
import type { Paint } from '../report/paint.js';
import { byConcern, summaryLine } from './text.js';
import { wrap } from '../report/layout.js';

/** Lines for the applied fixes; `width` 0 leaves them unwrapped (for copying). */
export function appliedLines(applied: Applied[], width: number, paint: Paint): string[] {
  const wrapped = (text: string, indent: string) => wrap(text, width > 0 ? width : Number.POSITIVE_INFINITY, indent);
  const lines: string[] = [];
  for (const a of applied) {
    const style = a.status === 'applied' ? 'green' : a.status === 'failed' ? 'red' : 'bold';
    const verified = a.status === 'applied' ? (a.verified ? ', verified' : ', not verified') : '';
    lines.push(paint(style, `${a.fix}: ${a.status}${verified}`));
    if (a.status !== 'applied') lines.push(...wrapped(`  ${a.message}`, '    '));
    // A declined fix's backup holds the unchanged document: not worth showing.
    if (a.backup && a.status !== 'declined') lines.push(...wrapped(`  Backup: ${a.backup}`, '    '));
    if (a.undo) lines.push(...wrapped(`  Undo:   ${a.undo}`, '    '));
  }
  return lines;
}

/** The state after the fixes: counts, and what still fails. */
export function afterLines(after: Diagnosis, width: number, paint: Paint): string[] {
  const lines = [`After the fixes: ${summaryLine(after.summary, paint)}`];
  const open = byConcern(after.findings).filter((f) => f.status === 'fail');
  if (open.length) {
    lines.push('Still failing:');
    for (const f of open) lines.push(...wrap(`  ${f.id}: ${f.summary}`, width, '    '));
  } else {
    lines.push(paint('green', 'No check fails any more.'));
  }
  return lines;
}

/** A fix's outcome: what happened, then its undo command on lines of its own (the backup was shown as progress). */
export function resultLines(applied: Applied, width: number, paint: Paint): string[] {
  const style = applied.status === 'applied' ? 'green' : applied.status === 'failed' ? 'red' : 'bold';
  const message = applied.undo ? applied.message.replace(` Undo with: ${applied.undo}`, '') : applied.message;
  const lead = { applied: '✔ ', failed: '✖ ', declined: '', skipped: 'Skipped: ' }[applied.status];
  const lines = wrap(`${lead}${message}`, width, '  ').map((l) => paint(style, l));
  if (applied.undo) lines.push(...wrap(`Undo: ${applied.undo}`, width, '  '));
  return lines;
}
