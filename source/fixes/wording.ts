/**
 * The fix protocol's events in words, one set of sentences for every front-end: the fix and
 * restore-policy commands, the Ink wizard and --plain. Outside text (labels, names, paths, AWS's reasons)
 * is made visible here; colour comes only from the Paint a front-end passes.
 */
import type { Paint } from '../report/paint.js';
import { visible } from '../visible.js';
import { documentDiff } from './diff.js';
import type { FixEvent, Proposal } from './protocol.js';

/** restore-secret's plan, after its description: the deletion date it cancels, and how. */
function deletionDetail(p: Proposal): string {
  return `(DeletedDate ${visible(p.before ?? '')}), with RestoreSecret`;
}

/** The change as the commands print it: its fix and description in bold, then a document's diff. */
export function planText(p: Proposal, paint: Paint): string {
  const title = paint('bold', `${p.fix}: ${visible(p.description)}`);
  if (p.kind === 'secret-deletion') return `${title} ${deletionDetail(p)}.\n`;
  return `${title}\n${visible(p.label)}:\n${documentDiff(p.before, p.after, paint)}\n`;
}

/** The change in a sentence, as the wizards head it (a document's diff follows it there). */
export function planHeadline(p: Proposal): string {
  return `To ${visible(p.description)}${p.kind === 'secret-deletion' ? ` ${deletionDetail(p)}` : ''}.`;
}

/** The confirmation (step 5), whose default answer is no. */
export function questionText(p: Proposal): string {
  if (p.kind === 'secret-deletion') return `Restore ${visible(p.name)}? A deletion may have been deliberate.`;
  return `Apply this change to ${visible(p.label)}?`;
}

/**
 * The progress line an event stands for; undefined for those a front-end shows otherwise: the plan (its
 * own block), a refusal by AWS's validation (the result says it), and the steps of the write, which a
 * spinner names (`activity`).
 */
export function progressLine(event: FixEvent): string | undefined {
  switch (event.type) {
    case 'remote-validation': {
      const r = event.result;
      if (!r.available) return `Remote validation not available: ${visible(r.reason)}`;
      return r.passed ? 'Validated by AWS (ValidateResourcePolicy).' : undefined;
    }
    case 'backed-up':
      return `Backup: ${visible(event.path)}`;
    case 'written':
      return `Written. Verifying (up to ${event.waitSeconds} s)...`;
    case 'planned':
    case 'rereading':
    case 'writing':
    case 'write-failed':
    case 'verifying':
    case 'verified':
      return undefined;
  }
}

/** What the protocol is doing once the change was agreed to, from the events so far: a spinner's label. */
export function activity(events: readonly FixEvent[]): string {
  for (let i = events.length - 1; i >= 0; i--) {
    switch (events[i]!.type) {
      case 'writing':
        return 'Writing...';
      case 'write-failed':
        return 'Reading back after the failed write...';
      case 'written':
      case 'verifying':
      case 'verified':
        return 'Verifying...';
      case 'rereading':
        return 'Re-reading before the write...';
      default:
    }
  }
  return 'Re-reading before the write...';
}
