/**
 * The wizard's flow as a pure reducer: which error -> what that error needs (the denied operation and the
 * message; what was changed; the KMS key) -> which secret (or all of them) -> whose permissions -> (consent
 * to read the value) -> live checks -> report -> each fix (diff, confirmation, apply, verification) ->
 * summary. With many secrets: the checks of each with a progress bar -> the list, worst first -> a
 * secret's report (no fixes from there).
 * Every event the views and the controller can send is in `WizardEvent`; the views render `WizardState`
 * and nothing else decides where the wizard goes. Tested without Ink (test/ui/flow.test.ts).
 */
import type { Diagnosis, DiagnoseEvent } from '../diagnose.js';
import type { Discovered, KmsKeyListing, ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import type { Applied } from '../fixes/protocol.js';
import { parseAccessDenied } from '../error-message.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { PRINCIPAL_ARN } from './principal.js';
import type { CheckId, Finding, FixId, Inputs, SymptomId } from '../types.js';

/** The questions, in order. */
export type Question =
  | 'symptom'
  | 'action'
  | 'error-message'
  | 'changed'
  | 'expect-version'
  | 'kms-key'
  | 'secret'
  | 'principal'
  | 'read-value';
export type Step = Question | 'checks' | 'report' | 'fix' | 'summary' | 'many-checks' | 'many-list';

export type Changed = NonNullable<Inputs['changed']>;
export const CHANGED: readonly Changed[] = ['value', 'resource-policy', 'key-policy', 'metadata'];

/** Which secrets a many-secrets run checks: every listed secret, or those the response plans use. */
export type ManySource = 'all' | 'plans';

/** A many-secrets run: its progress, then its diagnoses. */
export interface ManyState {
  source: ManySource;
  secretIds: string[];
  done: number;
  /** Secrets with at least one failing check so far. */
  failing: number;
  /** In the order they finished; the list sorts them. */
  results: Diagnosis[];
  finished: boolean;
  failure?: string | undefined;
  /** The list's focused row, kept while a report is open. */
  focus: number;
}

export type Lookup<T> = { state: 'loading' } | { state: 'done'; result: Discovered<T> };

/** Whose permissions to evaluate. */
export type PrincipalAnswer = { kind: 'caller' } | { kind: 'arn'; arn: string };

export interface CheckRow {
  id: CheckId;
  title: string;
  /** Set once the check has finished. */
  finding?: Finding;
  /** What the running check last said it is waiting for (a 'progress' event). */
  progress?: string;
}

/**
 * One fix on its way: `creator` (key-policy only: also the creator's statement?), `planning`, `review`
 * (the change is shown; `question` is set while the confirmation waits), `applying` (yes was given:
 * write and verify), `done`.
 */
export interface FixState {
  fix: FixId;
  /** Which attempt this is: events of an abandoned attempt (Esc) are ignored. */
  ticket: number;
  phase: 'creator' | 'planning' | 'review' | 'applying' | 'done';
  includeCreator: boolean;
  /** A document change: what it does, to what, and the documents before and after. */
  change?: { description: string; label: string; before: string | null; after: string | null } | undefined;
  /** What restore-secret says about itself. */
  shown: string[];
  progress: string[];
  question?: string | undefined;
  /** Between the start and the end of the write call. */
  writing: boolean;
  applied?: Applied | undefined;
}

/** Lines printed once and kept above the live screen (Ink's <Static>): each run's title and finished checks. */
export type Printed =
  | { key: string; kind: 'title'; symptom: SymptomId; secretId?: string | undefined }
  | { key: string; kind: 'finding'; finding: Finding };

export interface WizardState {
  step: Step;
  symptom?: SymptomId | undefined;
  /** Exactly as chosen or typed; never trimmed. */
  secretId?: string | undefined;
  principal?: PrincipalAnswer | undefined;
  readValue: boolean;
  /** access-denied: the denied operation, `secretsmanager:Name`. */
  action?: string | undefined;
  /** access-denied: the message the user got, as pasted. */
  errorMessage?: string | undefined;
  /** changes-not-visible: what was changed, and (for a value) the version that should be AWSCURRENT. */
  changed?: Changed | undefined;
  expectVersionId?: string | undefined;
  /** asymmetric-kms-key: the key given to CreateSecret (an ARN from the list, or as typed). */
  kmsKeyId?: string | undefined;
  caller: Lookup<string>;
  secrets: Lookup<SecretListing>;
  plans: Lookup<ResponsePlanListing>;
  keys: Lookup<KmsKeyListing>;
  /** Set when "all secrets" was chosen instead of one. */
  many?: ManyState | undefined;
  /** Which diagnosis is current: events of an abandoned run (Esc during the checks) are ignored. */
  run: number;
  checks: CheckRow[];
  /** Append-only. */
  printed: Printed[];
  diagnosis?: Diagnosis | undefined;
  /** Why the diagnosis could not run. */
  failure?: string | undefined;
  /** The fixes to offer, in the protocol's order. */
  queue: FixId[];
  /** Index in `queue` of the fix on screen. */
  current: number;
  fix?: FixState | undefined;
  tickets: number;
  applied: Applied[];
  /** The diagnosis after the fixes (run when a fix was applied). */
  after?: { state: 'running' } | { state: 'done'; diagnosis: Diagnosis } | { state: 'failed'; message: string } | undefined;
  /** An MFA code is wanted for this device. */
  mfa?: { serial: string } | undefined;
  /** Ctrl-C came while a write was running: leave as soon as it returns. */
  leaving: boolean;
  exit?: { interrupted: boolean } | undefined;
}

export type WizardEvent =
  | { type: 'symptom-chosen'; symptom: SymptomId }
  | { type: 'secret-chosen'; secretId: string }
  | { type: 'principal-chosen'; principal: PrincipalAnswer }
  | { type: 'read-value-answered'; readValue: boolean }
  | { type: 'action-chosen'; action: string }
  | { type: 'error-message-entered'; text: string }
  | { type: 'changed-chosen'; changed: Changed }
  | { type: 'expect-version-entered'; versionId: string }
  | { type: 'kms-key-chosen'; kmsKeyId: string }
  | { type: 'many-chosen'; source: ManySource; secretIds: string[] }
  | { type: 'many-progress'; run: number; diagnosis: Diagnosis; done: number }
  | { type: 'many-done'; run: number }
  | { type: 'many-failed'; run: number; message: string }
  | { type: 'many-open'; index: number }
  | { type: 'back' }
  | { type: 'caller-found'; result: Discovered<string> }
  | { type: 'secrets-found'; result: Discovered<SecretListing> }
  | { type: 'plans-found'; result: Discovered<ResponsePlanListing> }
  | { type: 'keys-found'; result: Discovered<KmsKeyListing> }
  | { type: 'diagnosis-progress'; run: number; event: DiagnoseEvent }
  | { type: 'diagnosis-done'; run: number; diagnosis: Diagnosis }
  | { type: 'diagnosis-failed'; run: number; message: string }
  | { type: 'report-continue' }
  | { type: 'creator-answered'; includeCreator: boolean }
  | { type: 'fix-planned'; ticket: number; change?: FixState['change'] }
  | { type: 'fix-shown'; ticket: number; text: string }
  | { type: 'fix-progress'; ticket: number; text: string }
  | { type: 'fix-question'; ticket: number; question: string }
  | { type: 'fix-answered'; yes: boolean }
  | { type: 'fix-writing'; ticket: number; active: boolean }
  | { type: 'fix-finished'; ticket: number; applied: Applied }
  | { type: 'fix-next' }
  | { type: 'after-done'; diagnosis: Diagnosis }
  | { type: 'after-failed'; message: string }
  | { type: 'mfa-asked'; serial: string }
  | { type: 'mfa-answered' }
  | { type: 'leave' }
  | { type: 'interrupt' };

export interface Presets {
  symptom?: SymptomId | undefined;
  secretId?: string | undefined;
  principal?: string | undefined;
  readValue?: boolean | undefined;
  action?: string | undefined;
  errorMessage?: string | undefined;
  changed?: Changed | undefined;
  expectVersionId?: string | undefined;
  kmsKeyId?: string | undefined;
}

/** Answers given on the command line are pre-selected, but every question is still shown. */
export function initialState(presets: Presets = {}): WizardState {
  return {
    step: 'symptom',
    symptom: presets.symptom,
    secretId: presets.secretId,
    principal: presets.principal ? { kind: 'arn', arn: presets.principal } : undefined,
    readValue: presets.readValue ?? false,
    action: presets.action,
    errorMessage: presets.errorMessage,
    changed: presets.changed,
    expectVersionId: presets.expectVersionId,
    kmsKeyId: presets.kmsKeyId,
    caller: { state: 'loading' },
    secrets: { state: 'loading' },
    plans: { state: 'loading' },
    keys: { state: 'loading' },
    run: 0,
    checks: [],
    printed: [],
    queue: [],
    current: 0,
    tickets: 0,
    applied: [],
    leaving: false,
  };
}

/** What each symptom asks right after "which error" (the expected version only for a changed value). */
function ownQuestions(symptom: SymptomId, changed: Changed | undefined): Question[] {
  switch (symptom) {
    case 'access-denied':
      return ['action', 'error-message'];
    case 'changes-not-visible':
      return changed === 'value' ? ['changed', 'expect-version'] : ['changed'];
    case 'asymmetric-kms-key':
      return ['kms-key'];
    case 'incident-manager-secret':
    case 'access-denied-temporary-credentials':
    case 'not-sure':
      return [];
  }
  return exhaustive(symptom);
}

/**
 * The questions a symptom needs, in order: its own, then the secret and the principal where its checks
 * use them (asymmetric-kms-key has neither), then consent to read the value.
 */
export function questionsFor(symptom: SymptomId | undefined, changed?: Changed | undefined): Question[] {
  if (!symptom) return ['symptom'];
  const checks = SYMPTOM_CATALOGUE[symptom].checks;
  const questions: Question[] = ['symptom', ...ownQuestions(symptom, changed)];
  if (checks.includes('secret-id') || checks.includes('secret-exists')) questions.push('secret');
  if (checks.includes('caller-permission') || checks.includes('kms-policy-caller') || checks.includes('secret-policy-caller')) questions.push('principal');
  if (checks.includes('secret-value-format')) questions.push('read-value');
  return questions;
}

/** The questions of the state's symptom and answers so far. */
export function questionsOf(state: Pick<WizardState, 'symptom' | 'changed'>): Question[] {
  return questionsFor(state.symptom, state.changed);
}

/**
 * The engine's inputs from the answers, over the command line's other settings. An answer to a question
 * that was asked is taken as it is (an empty message skipped is no message); a symptom that does not ask
 * passes on what the command line gave.
 */
export function inputsOf(state: WizardState, base: Omit<Inputs, 'symptom'>): Inputs {
  const questions = questionsOf(state);
  const asked = <T>(question: Question, answer: T | undefined, given: T | undefined) => (questions.includes(question) ? answer : (answer ?? given));
  const changed = asked('changed', state.changed, base.changed);
  return {
    ...base,
    symptom: state.symptom ?? 'not-sure',
    secretId: questions.includes('secret') ? state.secretId : undefined,
    principal: questions.includes('principal') && state.principal?.kind === 'arn' ? state.principal.arn : undefined,
    readValue: questions.includes('read-value') ? state.readValue : false,
    action: asked('action', state.action, base.action),
    errorMessage: asked('error-message', state.errorMessage, base.errorMessage),
    changed,
    expectVersionId: questions.includes('changed') ? (changed === 'value' ? state.expectVersionId : undefined) : (state.expectVersionId ?? base.expectVersionId),
    kmsKeyId: asked('kms-key', state.kmsKeyId, base.kmsKeyId),
  };
}

/**
 * The message as the answer (Enter on nothing: no message); the secret and the principal it names are
 * pre-selected where none was given yet (the later questions still show them).
 */
export function withErrorMessage<S extends Pick<WizardState, 'errorMessage' | 'secretId' | 'principal'>>(state: S, text: string): S {
  if (text.trim() === '') return { ...state, errorMessage: undefined };
  const parsed = parseAccessDenied(text);
  const secret = parsed.resourceKind === 'secret-arn' || parsed.resourceKind === 'secret-name' ? parsed.resource : undefined;
  const principal = parsed.principal && PRINCIPAL_ARN.test(parsed.principal) ? parsed.principal : undefined;
  return {
    ...state,
    errorMessage: text,
    secretId: state.secretId ?? secret,
    principal: state.principal ?? (principal ? { kind: 'arn', arn: principal } : undefined),
  };
}

/** Worst first: most failures, then warnings, then unknowns; then by secret ID. */
export function byWorst(diagnoses: readonly Diagnosis[]): Diagnosis[] {
  return [...diagnoses].sort(
    (a, b) =>
      b.summary.fail - a.summary.fail ||
      b.summary.warn - a.summary.warn ||
      b.summary.unknown - a.summary.unknown ||
      (a.input.secretId ?? '').localeCompare(b.input.secretId ?? ''),
  );
}

/** The fixes the findings offer, in the protocol's order; restore-secret included (the wizard asks first). */
export function offeredFixes(diagnosis: Diagnosis): FixId[] {
  const order: FixId[] = ['restore-secret', 'secret-policy', 'key-policy'];
  const offered = new Set(diagnosis.findings.filter((f) => f.fix && f.status !== 'pass' && f.status !== 'skip').map((f) => f.fix!));
  return order.filter((fix) => offered.has(fix));
}

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

/**
 * The creator's key statement is a question only where there is a creator to name, and the key policy does
 * not already let it use the key (kms-policy-caller passed): then the answer could change nothing.
 */
export function asksCreator(fix: FixId, principal: PrincipalAnswer | undefined, diagnosis: Diagnosis | undefined): boolean {
  const callerKey = diagnosis?.findings.find((f) => f.id === 'kms-policy-caller');
  return fix === 'key-policy' && principal?.kind === 'arn' && callerKey?.status !== 'pass';
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
    fix: { fix, ticket, phase: askCreator ? 'creator' : 'planning', includeCreator: false, shown: [], progress: [], writing: false },
  };
}

/** Applies `update` to the current fix when the event belongs to it. */
function onFix(state: WizardState, ticket: number, update: (fix: FixState) => FixState): WizardState {
  if (!state.fix || state.fix.ticket !== ticket) return state;
  return { ...state, fix: update(state.fix) };
}

function exhaustive(event: never): never {
  throw new Error(`Unhandled wizard event: ${JSON.stringify(event)}`);
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
      return { ...state, step: 'report', diagnosis: opened, failure: undefined, queue: [], many: { ...state.many, focus: event.index } };
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
      return exhaustive(state.step as never);
    }
    case 'caller-found':
      return { ...state, caller: { state: 'done', result: event.result } };
    case 'secrets-found':
      return { ...state, secrets: { state: 'done', result: event.result } };
    case 'plans-found':
      return { ...state, plans: { state: 'done', result: event.result } };
    case 'keys-found':
      return { ...state, keys: { state: 'done', result: event.result } };
    case 'diagnosis-progress': {
      if (event.run !== state.run || state.step !== 'checks') return state;
      const e = event.event;
      if (e.type === 'plan') {
        const title: Printed = { key: `${state.run}:title`, kind: 'title', symptom: state.symptom ?? 'not-sure', secretId: inputsOf(state, {}).secretId };
        return { ...state, checks: e.checks.map((c) => ({ id: c.id, title: c.title })), printed: [...state.printed, title] };
      }
      if (e.type === 'progress') return { ...state, checks: state.checks.map((row) => (row.id === e.check && !row.finding ? { ...row, progress: e.text } : row)) };
      return {
        ...state,
        checks: state.checks.map((row) => (row.id === e.finding.id ? { ...row, finding: e.finding } : row)),
        printed: [...state.printed, { key: `${state.run}:${e.finding.id}`, kind: 'finding', finding: e.finding }],
      };
    }
    case 'diagnosis-done':
      if (event.run !== state.run || state.step !== 'checks') return state;
      return { ...state, step: 'report', diagnosis: event.diagnosis, queue: offeredFixes(event.diagnosis), applied: [], after: undefined };
    case 'diagnosis-failed':
      if (event.run !== state.run || state.step !== 'checks') return state;
      return { ...state, step: 'report', diagnosis: undefined, failure: event.message, queue: [] };
    case 'report-continue':
      // From the many-secrets list, no fix is offered: fixes are a single-secret flow.
      if (state.step !== 'report' || state.many) return state;
      return startFix({ ...state, applied: [] }, 0);
    case 'creator-answered':
      if (state.step !== 'fix' || state.fix?.phase !== 'creator') return state;
      return { ...state, fix: { ...state.fix, phase: 'planning', includeCreator: event.includeCreator } };
    case 'fix-planned':
      return onFix(state, event.ticket, (fix) => ({ ...fix, phase: 'review', change: event.change }));
    case 'fix-shown':
      return onFix(state, event.ticket, (fix) => ({ ...fix, phase: fix.phase === 'planning' ? 'review' : fix.phase, shown: [...fix.shown, event.text] }));
    case 'fix-progress':
      return onFix(state, event.ticket, (fix) => ({ ...fix, progress: [...fix.progress, event.text] }));
    case 'fix-question':
      return onFix(state, event.ticket, (fix) => ({ ...fix, phase: 'review', question: event.question }));
    case 'fix-answered':
      if (state.step !== 'fix' || !state.fix?.question) return state;
      return { ...state, fix: { ...state.fix, question: undefined, phase: event.yes ? 'applying' : 'review' } };
    case 'fix-writing': {
      const next = onFix(state, event.ticket, (fix) => ({ ...fix, writing: event.active }));
      // Ctrl-C waited for this write: now leave.
      if (!event.active && next.leaving) return { ...next, exit: { interrupted: true } };
      return next;
    }
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

/** The diagnosis that decides the exit status: the one after the fixes when there was one. */
export function finalDiagnosis(state: WizardState): Diagnosis | undefined {
  return state.after?.state === 'done' ? state.after.diagnosis : state.diagnosis;
}

/** Every diagnosis that decides the exit status: a many-secrets run's, or the final one. */
export function finalDiagnoses(state: WizardState): Diagnosis[] {
  if (state.many) return state.many.results;
  const d = finalDiagnosis(state);
  return d ? [d] : [];
}
