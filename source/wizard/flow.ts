/**
 * The wizard's flow as a pure reducer: which error -> what that error needs (the denied operation and the
 * message; what was changed; the KMS key) -> which secret (or all of them) -> whose permissions -> (consent
 * to read the value) -> live checks -> report -> each fix (diff, confirmation, apply, verification) ->
 * summary. With many secrets: the checks of each with a progress bar -> the list, worst first -> a
 * secret's report (no fixes from there).
 * Every event the front-ends and the runner can send is a `WizardEvent` (state.ts); the front-ends render
 * `WizardState` and nothing else decides where the wizard goes. Tested without Ink (test/wizard/flow.test.ts).
 */
import {
  asksCreator,
  byWorst,
  exhaustive,
  inputsOf,
  offeredFixes,
  questionsOf,
  withErrorMessage,
  type FixState,
  type Printed,
  type Question,
  type WizardEvent,
  type WizardState,
} from './state.js';

/** After `from`, the next question of the symptom, or the checks (of one secret, or of many). */
function after(state: WizardState, from: Question): WizardState {
  const questions = questionsOf(state);
  const next = questions[questions.indexOf(from) + 1];
  if (next) return { ...state, step: next };
  return startChecks(state);
}

function startChecks(state: WizardState): WizardState {
  const fresh = { ...state, run: state.run + 1, checks: [], diagnosis: undefined, failure: undefined };
  if (state.many && questionsOf(state).includes('secret')) {
    return { ...fresh, step: 'many-checks', many: { ...state.many, done: 0, failing: 0, results: [], finished: false, failure: undefined, focus: 0 } };
  }
  return { ...fresh, step: 'checks', many: undefined };
}

function lastQuestion(state: WizardState): Question {
  const questions = questionsOf(state);
  return questions[questions.length - 1]!;
}

function startFix(state: WizardState, index: number): WizardState {
  const fix = state.queue[index];
  if (!fix) {
    const changed = state.applied.some((a) => a.status === 'applied');
    return { ...state, step: 'summary', fix: undefined, after: changed ? { state: 'running' } : undefined };
  }
  const ticket = state.tickets + 1;
  const askCreator = asksCreator(fix, state.principal, state.diagnosis);
  return {
    ...state,
    step: 'fix',
    current: index,
    tickets: ticket,
    fix: { fix, ticket, phase: askCreator ? 'creator' : 'planning', includeCreator: false, events: [], writing: false },
  };
}

/** Applies `update` to the current fix when the event belongs to it. */
function onFix(state: WizardState, ticket: number, update: (fix: FixState) => FixState): WizardState {
  if (!state.fix || state.fix.ticket !== ticket) return state;
  return { ...state, fix: update(state.fix) };
}

export function reduce(state: WizardState, event: WizardEvent): WizardState {
  if (state.exit) return state; // nothing happens after the decision to leave
  switch (event.type) {
    case 'symptom-chosen':
      if (state.step !== 'symptom') return state;
      return after({ ...state, symptom: event.symptom }, 'symptom');
    case 'secret-chosen':
      if (state.step !== 'secret') return state;
      return after({ ...state, secretId: event.secretId, many: undefined }, 'secret');
    case 'principal-chosen':
      if (state.step !== 'principal') return state;
      return after({ ...state, principal: event.principal }, 'principal');
    case 'read-value-answered':
      if (state.step !== 'read-value') return state;
      return after({ ...state, readValue: event.readValue }, 'read-value');
    case 'action-chosen':
      if (state.step !== 'action') return state;
      return after({ ...state, action: event.action }, 'action');
    case 'error-message-entered':
      if (state.step !== 'error-message') return state;
      return after(withErrorMessage(state, event.text), 'error-message');
    case 'changed-chosen':
      if (state.step !== 'changed') return state;
      return after({ ...state, changed: event.changed }, 'changed');
    case 'expect-version-entered':
      if (state.step !== 'expect-version') return state;
      return after({ ...state, expectVersionId: event.versionId.trim() || undefined }, 'expect-version');
    case 'kms-key-chosen':
      if (state.step !== 'kms-key') return state;
      return after({ ...state, kmsKeyId: event.kmsKeyId }, 'kms-key');
    case 'many-chosen':
      if (state.step !== 'secret' || event.secretIds.length === 0) return state;
      return after(
        { ...state, many: { source: event.source, secretIds: event.secretIds, done: 0, failing: 0, results: [], finished: false, focus: 0 } },
        'secret',
      );
    case 'many-progress': {
      if (event.run !== state.run || state.step !== 'many-checks' || !state.many) return state;
      const failing = state.many.failing + (event.diagnosis.summary.fail > 0 ? 1 : 0);
      return { ...state, many: { ...state.many, done: event.done, failing, results: [...state.many.results, event.diagnosis] } };
    }
    case 'many-done':
      if (event.run !== state.run || state.step !== 'many-checks' || !state.many) return state;
      return { ...state, step: 'many-list', many: { ...state.many, finished: true, results: byWorst(state.many.results), focus: 0 } };
    case 'many-failed':
      if (event.run !== state.run || state.step !== 'many-checks' || !state.many) return state;
      return { ...state, step: 'many-list', many: { ...state.many, finished: true, failure: event.message, results: byWorst(state.many.results), focus: 0 } };
    case 'many-open': {
      const opened = state.many?.results[event.index];
      if (state.step !== 'many-list' || !state.many || !opened) return state;
      // Fixes are a single-secret flow: none is offered from the list.
      return { ...state, step: 'report', diagnosis: opened, failure: undefined, queue: [], saved: undefined, many: { ...state.many, focus: event.index } };
    }
    case 'back': {
      switch (state.step) {
        case 'symptom':
        case 'summary':
          return state;
        case 'secret':
        case 'principal':
        case 'read-value':
        case 'action':
        case 'error-message':
        case 'changed':
        case 'expect-version':
        case 'kms-key': {
          const questions = questionsOf(state);
          return { ...state, step: questions[Math.max(0, questions.indexOf(state.step) - 1)]! };
        }
        case 'report':
          // A report opened from the many-secrets list goes back to the list.
          if (state.many?.finished) return { ...state, step: 'many-list', diagnosis: undefined };
          return { ...state, step: lastQuestion(state), run: state.run + 1 };
        case 'checks':
        case 'many-checks':
        case 'many-list':
          // The diagnosis only read: going back abandons it (its late events are ignored by run).
          return { ...state, step: lastQuestion(state), run: state.run + 1 };
        case 'fix':
          // While the change is being applied there is no going back; afterwards, the next key is Enter.
          if (!state.fix || state.fix.phase === 'applying' || state.fix.phase === 'done') return state;
          return { ...state, step: 'report', fix: undefined };
      }
      return exhaustive(state.step);
    }
    case 'caller-found':
      return { ...state, caller: { state: 'done', result: event.result } };
    case 'secrets-found':
      return { ...state, secrets: { state: 'done', result: event.result } };
    case 'plans-found':
      return { ...state, plans: { state: 'done', result: event.result } };
    case 'keys-found':
      return { ...state, keys: { state: 'done', result: event.result } };
    case 'principals-found':
      return { ...state, principals: { state: 'done', result: event.result } };
    case 'diagnosis-progress': {
      if (event.run !== state.run || state.step !== 'checks') return state;
      const e = event.event;
      if (e.type === 'plan') {
        const title: Printed = { key: `${state.run}:title`, kind: 'title', symptom: state.symptom ?? 'not-sure', secretId: inputsOf(state, {}).secretId };
        return { ...state, checks: e.checks.map((c) => ({ id: c.id, title: c.title })), printed: [...state.printed, title] };
      }
      if (e.type === 'progress')
        return { ...state, checks: state.checks.map((row) => (row.id === e.check && !row.finding ? { ...row, progress: e.text } : row)) };
      return {
        ...state,
        checks: state.checks.map((row) => (row.id === e.finding.id ? { ...row, finding: e.finding } : row)),
        printed: [...state.printed, { key: `${state.run}:${e.finding.id}`, kind: 'finding', finding: e.finding }],
      };
    }
    case 'diagnosis-done':
      if (event.run !== state.run || state.step !== 'checks') return state;
      return { ...state, step: 'report', diagnosis: event.diagnosis, queue: offeredFixes(event.diagnosis), applied: [], after: undefined, saved: undefined };
    case 'diagnosis-failed':
      if (event.run !== state.run || state.step !== 'checks') return state;
      return { ...state, step: 'report', diagnosis: undefined, failure: event.message, queue: [] };
    case 'report-save':
      if (state.step !== 'report' || !state.diagnosis || state.saved?.state === 'saving') return state;
      return { ...state, saved: { state: 'saving' } };
    case 'report-saved':
      if (state.saved?.state !== 'saving') return state;
      return { ...state, saved: { state: 'done', path: event.path }, reports: [...state.reports, event.path] };
    case 'report-save-failed':
      if (state.saved?.state !== 'saving') return state;
      return { ...state, saved: { state: 'failed', message: event.message } };
    case 'report-continue':
      // From the many-secrets list, no fix is offered: fixes are a single-secret flow.
      if (state.step !== 'report' || state.many) return state;
      return startFix({ ...state, applied: [] }, 0);
    case 'creator-answered':
      if (state.step !== 'fix' || state.fix?.phase !== 'creator') return state;
      return { ...state, fix: { ...state.fix, phase: 'planning', includeCreator: event.includeCreator } };
    case 'fix-event': {
      const e = event.event;
      // The plan opens the review; the write's start and return bound the time Ctrl-C waits.
      const next = onFix(state, event.ticket, (fix) =>
        e.type === 'planned'
          ? { ...fix, phase: 'review', proposal: e.proposal }
          : { ...fix, events: [...fix.events, e], writing: e.type === 'writing' || (fix.writing && e.type !== 'written' && e.type !== 'write-failed') },
      );
      // Ctrl-C waited for this write: now leave.
      if (next.leaving && next.fix && !next.fix.writing) return { ...next, exit: { interrupted: true } };
      return next;
    }
    case 'fix-question':
      return onFix(state, event.ticket, (fix) => ({ ...fix, phase: 'review', question: event.question }));
    case 'fix-answered':
      if (state.step !== 'fix' || !state.fix?.question) return state;
      return { ...state, fix: { ...state.fix, question: undefined, phase: event.yes ? 'applying' : 'review' } };
    case 'fix-finished': {
      if (!state.fix || state.fix.ticket !== event.ticket) return state;
      const next: WizardState = {
        ...state,
        fix: { ...state.fix, phase: 'done', question: undefined, writing: false, applied: event.applied },
        applied: [...state.applied, event.applied],
      };
      if (next.leaving) return { ...next, exit: { interrupted: true } };
      return next;
    }
    case 'fix-next':
      if (state.step !== 'fix' || state.fix?.phase !== 'done') return state;
      return startFix(state, state.current + 1);
    case 'after-done':
      if (state.step !== 'summary') return state;
      return { ...state, after: { state: 'done', diagnosis: event.diagnosis } };
    case 'after-failed':
      if (state.step !== 'summary') return state;
      return { ...state, after: { state: 'failed', message: event.message } };
    case 'mfa-asked':
      return { ...state, mfa: { serial: event.serial } };
    case 'mfa-answered':
      return { ...state, mfa: undefined };
    case 'leave':
      if (state.step !== 'summary' && state.step !== 'report' && state.step !== 'many-list') return state;
      return { ...state, exit: { interrupted: false } };
    case 'interrupt':
      // Never half-applied: a write call that has started is allowed to return first.
      if (state.fix?.writing) return { ...state, leaving: true };
      return { ...state, exit: { interrupted: true } };
  }
  return exhaustive(event);
}
