/**
 * The --plain wizard's steps: for each step of the wizard's state, the prompt that answers it (its answer
 * is the event the Ink view would send) or the wait while the runner works. A step returns once it has
 * sent its event or the state has moved on; the loop in main.ts then shows the next one.
 */
import type { Discovered, ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import { planHeadline } from '../fixes/wording.js';
import type { Paint } from '../report/paint.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { SYMPTOMS, type SymptomId } from '../types.js';
import { visible } from '../visible.js';
import { actionChoices, changedChoices, countColumns, kmsKeyChoices, manyRow, messageLines } from '../wizard/choices.js';
import { listingLines, NOT_AN_ARN, PRINCIPAL_ARN, principalChoices, principalVerdict, type PrincipalChoice } from '../wizard/principal.js';
import type { WizardRunner } from '../wizard/runner.js';
import { manyChoices, secretChoices, type ManyChoice } from '../wizard/secret-choices.js';
import { rerunInputsOf, type Changed, type Question, type Step, type WizardState } from '../wizard/state.js';
import { afterLines, appliedLines, resultLines } from '../wizard/summary.js';
import { proposalLines, reportLines } from '../wizard/text.js';

export interface Choice<T> {
  value: T;
  name: string;
}
/** The prompts the steps use (@inquirer/prompts), each closed when the wizard leaves. */
export interface Prompts {
  select<T>(config: { message: string; choices: readonly Choice<T>[]; default?: T; pageSize?: number }): Promise<T>;
  search<T>(config: { message: string; source: (term: string | undefined) => readonly Choice<T>[]; initialValue?: string; pageSize?: number }): Promise<T>;
  input(config: { message: string; default?: string; prefill?: 'editable'; validate?: (value: string) => boolean | string }): Promise<string>;
  confirm(config: { message: string; default?: boolean }): Promise<boolean>;
}

export interface PlainIo {
  out(text?: string): void;
  progress(text: string): void;
  paint: Paint;
  width: number;
}

const BACK = Symbol('back');
type Back = typeof BACK;
const BACK_CHOICE = { value: BACK, name: '<- Back' } as const;

export interface PlainSteps {
  /** The step of `state`: its prompt, or a wait while the runner works. */
  show(state: WizardState): Promise<void>;
  mfa(serial: string): Promise<void>;
}

export function plainSteps(runner: WizardRunner, prompts: Prompts, io: PlainIo): PlainSteps {
  const { out, progress, paint, width } = io;
  const send = runner.dispatch;
  const back = () => send({ type: 'back' });
  /** The runner's next state: the step waits for the work it started. */
  const changed = (state: WizardState) => runner.until((s) => s !== state);
  /** A text answer: "<" alone goes back. */
  const typed = async (message: string, current: string | undefined): Promise<string | Back> => {
    const text = await prompts.input({ message, ...(current ? { default: current, prefill: 'editable' as const } : {}) });
    return text.trim() === '<' ? BACK : text;
  };
  /** What was printed once, by key: a report, a diff, a fix's title, the summary. */
  const shown = new Set<string>();
  const once = (key: string, print: () => void) => {
    if (shown.has(key)) return;
    shown.add(key);
    print();
  };

  const questions: Record<Question, (state: WizardState) => Promise<void>> = {
    async symptom(state) {
      // The list keeps its order; the earlier answer is the one focused.
      const symptom = await prompts.select<SymptomId>({
        message: 'Which error do you see?',
        choices: SYMPTOMS.map((id) => ({ value: id, name: SYMPTOM_CATALOGUE[id].label })),
        ...(state.symptom ? { default: state.symptom } : {}),
        pageSize: SYMPTOMS.length * 2, // long labels take two lines
      });
      send({ type: 'symptom-chosen', symptom });
    },
    async action(state) {
      const answer = await prompts.search<string | Back>({
        message: 'Which operation was denied? Type to filter:',
        source: (term) => [...actionChoices(term ?? '', state.action).map((c) => ({ value: c.value, name: c.label })), BACK_CHOICE],
        pageSize: 10,
      });
      if (answer === BACK) back();
      else send({ type: 'action-chosen', action: answer });
    },
    async 'error-message'(state) {
      out('The message names who was denied, on which resource, and which type of policy said no: the checks use what you did not choose.');
      const text = await typed('Paste the error message you got (Enter to skip, < to go back):', state.errorMessage);
      if (text === BACK) return back();
      for (const line of messageLines(text, state.action)) out(line);
      send({ type: 'error-message-entered', text });
    },
    async changed(state) {
      const answer = await prompts.select<Changed | Back>({
        message: 'What did you change?',
        // In their own order; the answer so far is the default (focused), not moved first.
        choices: [...changedChoices(undefined).map((c) => ({ value: c.value, name: c.label })), BACK_CHOICE],
        ...(state.changed ? { default: state.changed } : {}),
      });
      if (answer === BACK) back();
      else send({ type: 'changed-chosen', changed: answer });
    },
    async 'expect-version'(state) {
      const text = await typed('Which version ID should be AWSCURRENT now? (optional: Enter to skip, < to go back)', state.expectVersionId);
      if (text === BACK) back();
      else send({ type: 'expect-version-entered', versionId: text });
    },
    async 'kms-key'(state) {
      progress('Listing the KMS keys of the Region...');
      const keys = (await runner.until((s) => s.keys.state === 'done' || Boolean(s.exit))).keys;
      if (keys.state !== 'done') return;
      const listed = keys.result;
      if (listed.available) {
        progress(
          `${listed.value.keys.length}${listed.value.truncated ? '+' : ''} keys in ${listed.value.region}${listed.value.awsManaged ? ' (AWS managed keys not listed)' : ''}.`,
        );
      } else progress(`The list of keys is not available (${visible(listed.reason)}): type the key ID, alias or ARN.`);
      const listing = listed.available ? listed.value : undefined;
      const answer = await prompts.search<string | Back>({
        message: 'Which KMS key did you give CreateSecret? Type to filter, or type a key ID, alias or ARN:',
        source: (term) => [...kmsKeyChoices(term ?? '', listing, state.kmsKeyId, width).map((c) => ({ value: c.value, name: c.label })), BACK_CHOICE],
        ...(state.kmsKeyId ? { initialValue: state.kmsKeyId } : {}),
        pageSize: 10,
      });
      if (answer === BACK) back();
      else send({ type: 'kms-key-chosen', kmsKeyId: answer });
    },
    async secret(state) {
      progress('Listing the secrets of the account...');
      const plansWanted = state.symptom === 'incident-manager-secret';
      const found = await runner.until((s) => (s.secrets.state === 'done' && (!plansWanted || s.plans.state === 'done')) || Boolean(s.exit));
      if (found.secrets.state !== 'done') return;
      const listed = found.secrets.result;
      const planned = plansWanted && found.plans.state === 'done' ? found.plans.result : undefined;
      describeDiscovery(listed, planned, progress);
      const listing = listed.available ? listed.value : undefined;
      const planListing = planned?.available ? planned.value : undefined;
      const answer = await prompts.search<string | ManyChoice | Back>({
        message: 'Which secret? Type to filter, or type a name or ARN:',
        source: (term) => [
          ...manyChoices(term ?? '', listing, planListing, width).map((c) => ({ value: c, name: c.label })),
          ...secretChoices(term ?? '', listing, planListing, width).map((c) => ({ value: c.secretId, name: c.label })),
          BACK_CHOICE,
        ],
        ...(state.secretId ? { initialValue: state.secretId } : {}),
        pageSize: 10,
      });
      if (answer === BACK) back();
      else if (typeof answer === 'string') send({ type: 'secret-chosen', secretId: answer });
      else send({ type: 'many-chosen', source: answer.source, secretIds: answer.secretIds });
    },
    async principal(state) {
      once('principals', () => progress('Listing the roles and users of the account...'));
      const found = await runner.until((s) => (s.caller.state === 'done' && s.principals.state === 'done') || Boolean(s.exit));
      if (found.caller.state !== 'done' || found.principals.state !== 'done') return;
      const callerArn = found.caller.result.available ? found.caller.result.value : undefined;
      const caller = { arn: callerArn, text: found.caller.result.available ? found.caller.result.value : `unknown, ${found.caller.result.reason}` };
      const listed = found.principals.result;
      const listing = listed.available ? listed.value : undefined;
      once('principals-listed', () => {
        if (listing) for (const line of listingLines(listing)) progress(line);
        else if (!listed.available) progress(`The roles and users are not available (${visible(listed.reason)}): type an ARN.`);
      });
      const verdictOf = (arn: string) => principalVerdict(arn, found.principals, callerArn);
      const answer = await prompts.search<PrincipalChoice | 'not-an-arn' | Back>({
        message: `${state.symptom === 'incident-manager-secret' ? 'Whose permissions? (who creates the response plan)' : 'Whose permissions?'} Type to filter, or type an ARN:`,
        source: (term) => {
          const choices = principalChoices(term ?? '', { listing, caller, current: state.principal });
          const typed = (term ?? '').trim();
          const wrong = typed.startsWith('arn:') && !PRINCIPAL_ARN.test(typed);
          return [
            ...choices.map((c) => {
              const verdict = c.typed && c.answer.kind === 'arn' ? verdictOf(c.answer.arn) : undefined;
              return { value: c, name: verdict && verdict.kind !== 'listed' ? `${c.label} (${verdict.text})` : c.label };
            }),
            ...(wrong ? [{ value: 'not-an-arn' as const, name: NOT_AN_ARN }] : []),
            BACK_CHOICE,
          ];
        },
        // Eight rows: the question and its list fit in a dozen lines of a small terminal.
        pageSize: 8,
      });
      if (answer === BACK) return back();
      if (answer === 'not-an-arn') return out(NOT_AN_ARN);
      if (answer.typed && answer.answer.kind === 'arn') {
        const verdict = verdictOf(answer.answer.arn);
        if (verdict?.kind === 'missing' && !(await prompts.confirm({ message: `${verdict.text} Use it anyway?`, default: false }))) return;
      }
      send({ type: 'principal-chosen', principal: answer.answer });
    },
    async 'read-value'(state) {
      out('Incident Manager needs the value to be JSON with pagerDutyToken, pagerDutyServiceRegion and pagerDutyFromEmail.');
      out('Checking that reads the value (GetSecretValue), and CloudTrail logs the read under your name. The value is never shown or stored.');
      const answer = await prompts.select<'no' | 'yes' | Back>({
        message: "Also check the secret value's format?",
        choices: [{ value: 'no', name: 'No' }, { value: 'yes', name: 'Yes, read the value' }, BACK_CHOICE],
        default: state.readValue ? 'yes' : 'no',
      });
      if (answer === BACK) back();
      else send({ type: 'read-value-answered', readValue: answer === 'yes' });
    },
  };

  /** Whether the step on screen was just arrived at (not shown again after one of its own events). */
  let arrived = true;
  const steps: Record<Step, (state: WizardState) => Promise<void>> & Pick<PlainSteps, 'mfa'> = {
    ...questions,
    // The runner works; the printer shows each check as it finishes.
    checks: async (state) => void (await changed(state)),
    'many-checks': async (state) => void (await changed(state)),

    async 'many-list'(state) {
      const many = state.many!;
      once(`many:${state.run}`, () => {
        if (many.failure) out(`Stopped before the end: ${visible(many.failure)}`);
        out(
          `${many.results.length} secrets checked, ${many.failing} with failures. Fixes are offered for one secret at a time: choose it alone in the secret question.`,
        );
      });
      const digits = countColumns(many.results);
      const choice = await prompts.select<number | Back | 'quit'>({
        message: "Which secret's report? (worst first)",
        choices: [
          ...many.results.map((d, i) => ({ value: i, name: manyRow(d, 76, digits) })),
          { value: BACK, name: '<- Back to the questions' },
          { value: 'quit' as const, name: 'Quit' },
        ],
        default: many.focus,
        pageSize: 12,
      });
      if (choice === BACK) back();
      else if (choice === 'quit') send({ type: 'leave' });
      else send({ type: 'many-open', index: choice });
    },

    async report(state) {
      // Printed on arriving (again when a report is opened from the list), not after saving it.
      if (arrived) {
        if (state.diagnosis)
          out(`\n${reportLines(state.diagnosis, width, paint, { ...rerunInputsOf(state), fixesFollow: !state.many && state.queue.length > 0 }).join('\n')}\n`);
        else out(`The checks could not run: ${visible(state.failure ?? 'unknown error')}`);
      }
      if (state.saved?.state === 'saving') {
        const saved = (await runner.until((s) => s.saved?.state !== 'saving')).saved;
        if (saved?.state === 'done') out(`Report saved: ${visible(saved.path)}`);
        if (saved?.state === 'failed') out(`The report could not be saved: ${visible(saved.message)}`);
        return;
      }
      const save = state.diagnosis ? [{ value: 'save' as const, name: 'Save this report as Markdown' }] : [];
      if (state.many) {
        const next = await prompts.select<'list' | 'save' | 'quit'>({
          message: 'Next?',
          choices: [{ value: 'list', name: '<- Back to the list' }, ...save, { value: 'quit', name: 'Quit' }],
        });
        return send(next === 'list' ? { type: 'back' } : next === 'save' ? { type: 'report-save' } : { type: 'leave' });
      }
      const fixes = state.queue;
      const next = await prompts.select<'go' | 'save' | Back | 'quit'>({
        message: fixes.length ? `Review the fix${fixes.length > 1 ? 'es' : ''} (${fixes.join(', ')})?` : 'Done?',
        choices: [
          { value: fixes.length ? 'go' : 'quit', name: fixes.length ? 'Yes, show each change before asking' : 'Yes, quit' },
          ...save,
          { value: BACK, name: '<- Back to the questions' },
          ...(fixes.length ? [{ value: 'quit' as const, name: 'No, quit' }] : []),
        ],
      });
      if (next === BACK) back();
      else if (next === 'quit') send({ type: 'leave' });
      else if (next === 'save') send({ type: 'report-save' });
      else send({ type: 'report-continue' });
    },

    async fix(state) {
      const fix = state.fix!;
      once(`fix:${fix.ticket}`, () => out(paint('bold', `Fix ${state.current + 1} of ${state.queue.length}: ${fix.fix}`)));
      switch (fix.phase) {
        case 'creator': {
          const arn = state.principal?.kind === 'arn' ? state.principal.arn : '';
          out(`Incident Manager uses the key on behalf of the creator too (${visible(arn)}).`);
          const includeCreator = await prompts.confirm({ message: "Also add the creator's statement (kms:Decrypt, kms:GenerateDataKey*)?", default: false });
          return send({ type: 'creator-answered', includeCreator });
        }
        case 'planning':
          once(`planning:${fix.ticket}`, () => progress('Reading the current document and planning the change...'));
          return void (await changed(state));
        case 'review': {
          const proposal = fix.proposal;
          if (proposal) {
            once(`diff:${fix.ticket}`, () => {
              out(planHeadline(proposal));
              if (proposal.kind !== 'secret-deletion') out(`${visible(proposal.label)}:`);
              const body = proposalLines(proposal, width, paint);
              if (body.length) out(body.join('\n'));
            });
          }
          if (fix.question === undefined) return void (await changed(state));
          return runner.answerFix(await prompts.confirm({ message: visible(fix.question), default: false }));
        }
        case 'applying':
          return void (await changed(state));
        case 'done':
          if (fix.applied) out(`${resultLines(fix.applied, width, paint).join('\n')}\n`);
          return send({ type: 'fix-next' });
      }
    },

    async summary(state) {
      once('summary', () => {
        out(paint('bold', 'Summary'));
        out(appliedLines(state.applied, 0, paint).join('\n'));
        if (state.after) progress('Running the checks again...');
      });
      if (state.after?.state === 'running') return void (await changed(state));
      if (state.after?.state === 'done') out(`\n${afterLines(state.after.diagnosis, width, paint).join('\n')}`);
      if (state.after?.state === 'failed') out(`The checks could not run again: ${visible(state.after.message)}`);
      send({ type: 'leave' });
    },

    async mfa(serial) {
      const code = await prompts.input({
        message: `MFA code for ${visible(serial)}:`,
        validate: (v) => /^\d{6}$/.test(v.trim()) || 'An MFA code is six digits.',
      });
      runner.answerMfa(code.trim());
    },
  };
  let last: Step | undefined;
  return {
    show(state) {
      arrived = state.step !== last;
      last = state.step;
      return steps[state.step](state);
    },
    mfa: steps.mfa,
  };
}

function describeDiscovery(listed: Discovered<SecretListing>, planned: Discovered<ResponsePlanListing> | undefined, progress: (text: string) => void): void {
  if (listed.available) progress(`${listed.value.secrets.length}${listed.value.truncated ? '+' : ''} secrets in ${listed.value.region}.`);
  else progress(`The list of secrets is not available (${visible(listed.reason)}): type the name or ARN.`);
  if (!planned) return;
  if (!planned.available) progress(`Secrets of response plans: not available (${visible(planned.reason)}).`);
  else if (planned.value.references.length) progress(`Marked "response plan": the secrets your ${planned.value.plans} response plan(s) use for PagerDuty.`);
  else progress(`No response plan in ${planned.value.region} uses a PagerDuty secret.`);
}
