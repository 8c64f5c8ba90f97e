/**
 * The wizard's state, the events that change it, and what can be read from it: which questions a symptom
 * asks, the engine's inputs from the answers, the fixes a diagnosis offers. Shared by the reducer
 * (flow.ts), the runner (runner.ts) and both front-ends. Pure; no Ink.
 */
import type { Diagnosis, DiagnoseEvent } from '../diagnose.js';
import type { Discovered, KmsKeyListing, PrincipalListing, ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import type { Applied, FixEvent, Proposal } from '../fixes/protocol.js';
import { parseAccessDenied } from '../error-message.js';
import type { RerunInputs } from '../report/model.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { PRINCIPAL_ARN } from './principal.js';
import type { CheckId, Finding, FixId, Inputs, SymptomId } from '../types.js';

/** The questions, in order. */
export type Question = 'symptom' | 'action' | 'error-message' | 'changed' | 'expect-version' | 'kms-key' | 'secret' | 'principal' | 'read-value';
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
  /** The change, as the protocol showed it (its first event). */
  proposal?: Proposal | undefined;
  /** What the protocol has reported since, in its order. */
  events: FixEvent[];
  question?: string | undefined;
  /** Between the start and the end of the write call. */
  writing: boolean;
  applied?: Applied | undefined;
}

/** Lines printed once and kept above the live screen (Ink's <Static>): each run's title and finished checks. */
export type Printed = { key: string; kind: 'title'; symptom: SymptomId; secretId?: string | undefined } | { key: string; kind: 'finding'; finding: Finding };

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
  /** The account's roles and users (asked once a symptom that asks whose permissions is chosen). */
  principals: Lookup<PrincipalListing>;
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
  /** The report on screen saved as Markdown (the key `s`): where, or why not. */
  saved?: { state: 'saving' } | { state: 'done'; path: string } | { state: 'failed'; message: string } | undefined;
  /** Every report saved so far (printed again on leaving). Append-only. */
  reports: string[];
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
  | { type: 'principals-found'; result: Discovered<PrincipalListing> }
  | { type: 'diagnosis-progress'; run: number; event: DiagnoseEvent }
  | { type: 'diagnosis-done'; run: number; diagnosis: Diagnosis }
  | { type: 'diagnosis-failed'; run: number; message: string }
  | { type: 'report-continue' }
  | { type: 'report-save' }
  | { type: 'report-saved'; path: string }
  | { type: 'report-save-failed'; message: string }
  | { type: 'creator-answered'; includeCreator: boolean }
  | { type: 'fix-event'; ticket: number; event: FixEvent }
  | { type: 'fix-question'; ticket: number; question: string }
  | { type: 'fix-answered'; yes: boolean }
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
    principals: { state: 'loading' },
    run: 0,
    checks: [],
    printed: [],
    reports: [],
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
    expectVersionId: questions.includes('changed')
      ? changed === 'value'
        ? state.expectVersionId
        : undefined
      : (state.expectVersionId ?? base.expectVersionId),
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

/**
 * The creator's key statement is a question only where there is a creator to name, and the key policy does
 * not already let it use the key (kms-policy-caller passed): then the answer could change nothing.
 */
export function asksCreator(fix: FixId, principal: PrincipalAnswer | undefined, diagnosis: Diagnosis | undefined): boolean {
  const callerKey = diagnosis?.findings.find((f) => f.id === 'kms-policy-caller');
  return fix === 'key-policy' && principal?.kind === 'arn' && callerKey?.status !== 'pass';
}

/** For a switch that must cover every case: the compiler says when one is missing. */
export function exhaustive(event: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(event)}`);
}

/** What a report needs beyond the diagnosis to name the same run again: the answers of the symptom's own questions. */
export function rerunInputsOf(state: WizardState): RerunInputs {
  return { action: state.action, errorMessage: state.errorMessage, kmsKeyId: state.kmsKeyId, changed: state.changed, expectVersionId: state.expectVersionId };
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
