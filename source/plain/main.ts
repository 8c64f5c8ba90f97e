/**
 * `secrets-doctor --plain`: the wizard's flow as line-by-line prompts (@inquirer/prompts), for screen
 * readers and simple terminals. Questions and results on stdout, progress on stderr. "Back" is a choice
 * where Esc would be in the Ink wizard. Uses the same services, texts and fix protocol as the Ink
 * front-end, and never Ink.
 */
import { exitStatus, type Io } from '../commands/diagnose.js';
import type { Args } from '../commands/args.js';
import type { Diagnosis } from '../diagnose.js';
import type { Discovered, ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import type { Applied } from '../fixes/protocol.js';
import { badge, painter } from '../report/text.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { SYMPTOMS, type SymptomId } from '../types.js';
import { inputsOf, initialState, offeredFixes, questionsFor, type PrincipalAnswer, type Question, type WizardState } from '../ui/flow.js';
import { PRINCIPAL_ARN } from '../ui/principal.js';
import { secretChoices } from '../ui/secret-choices.js';
import { prepareWizard } from '../ui/setup.js';
import { afterLines, appliedLines, resultLines } from '../ui/summary.js';
import { diffLines, reportLines } from '../ui/text.js';

const BACK = Symbol('back');
type Back = typeof BACK;

/** Ctrl-C at a prompt: inquirer's ExitPromptError (also from a fix's question: nothing is written then). */
function isExit(error: unknown): boolean {
  return (error as Error)?.name === 'ExitPromptError';
}

export async function runPlain(args: Args, io: Io, symptomGiven: boolean): Promise<number> {
  const prepared = await prepareWizard(args, io, symptomGiven);
  if (typeof prepared === 'number') return prepared;
  const { services, presets, base, outside, session, debugLines } = prepared;
  const prompts = await import('@inquirer/prompts');
  const paint = painter(args.color);
  // Lines are not cut to the terminal's width here: it wraps them, and a screen reader reads whole lines
  // (an ARN or a command stays in one piece, to copy).
  const width = Number.POSITIVE_INFINITY;
  const out = (text = '') => io.stdout(`${text}\n`);
  const progress = (text: string) => io.stderr(`${text}\n`);

  // An MFA code is asked before anything else runs, so two prompts never share the terminal.
  outside.on('mfa', (serial: string, resolve: (code: string) => void, reject: (error: Error) => void) => {
    prompts
      .input({ message: `MFA code for ${serial}:`, validate: (v) => /^\d{6}$/.test(v.trim()) || 'An MFA code is six digits.' })
      .then((code) => resolve(code.trim()), reject);
  });

  const applied: Applied[] = [];
  let writing = false;
  let leaving = false;
  let stopped = false;
  const leave = (): never => {
    io.stderr('\nInterrupted.\n');
    const changed = applied.filter((a) => a.status === 'applied');
    if (changed.length) io.stderr(`${appliedLines(changed, 0, painter(false)).join('\n')}\n`);
    for (const line of debugLines) io.stderr(`${line}\n`);
    process.exit(130);
  };
  // Outside a prompt, Ctrl-C is a signal: leave, but never in the middle of a write.
  outside.on('interrupt', () => {
    stopped = true;
    if (writing) {
      leaving = true;
      progress('Leaving as soon as the write in progress returns (a change is never left half done)...');
    } else leave();
  });
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => outside.emit('interrupt');
  for (const s of signals) process.on(s, onSignal);

  try {
    await session.identityCredentials().catch(() => undefined); // the credentials check says what is wrong
    const caller = services.callerArn();
    const secrets = services.listSecrets();
    let plans: ReturnType<typeof services.responsePlanSecrets> | undefined; // asked once the error is Incident Manager's

    let state: WizardState = initialState(presets);
    const ask: Record<Question, () => Promise<Back | void>> = {
      async symptom() {
        const ids = state.symptom ? [state.symptom, ...SYMPTOMS.filter((id) => id !== state.symptom)] : [...SYMPTOMS];
        const symptom = await prompts.select<SymptomId>({
          message: 'Which error do you see?',
          choices: ids.map((id) => ({ value: id, name: SYMPTOM_CATALOGUE[id].label })),
          pageSize: SYMPTOMS.length * 2, // long labels take two lines
        });
        state = { ...state, symptom };
      },
      async secret() {
        progress('Listing the secrets of the account...');
        if (state.symptom === 'incident-manager-secret') plans ??= services.responsePlanSecrets();
        const [listed, planned] = await Promise.all([secrets, state.symptom === 'incident-manager-secret' ? plans : undefined]);
        describeDiscovery(listed, planned, progress);
        const listing = listed.available ? listed.value : undefined;
        const planListing = planned?.available ? planned.value : undefined;
        const answer = await prompts.search<string | Back>({
          message: 'Which secret? Type to filter, or type a name or ARN:',
          source: (term) => [
            ...secretChoices(term ?? '', listing, planListing, width).map((c) => ({ value: c.secretId, name: c.label })),
            { value: BACK, name: '<- Back' },
          ],
          ...(state.secretId ? { initialValue: state.secretId } : {}),
          pageSize: 10,
        });
        if (answer === BACK) return BACK;
        state = { ...state, secretId: answer };
      },
      async principal() {
        const callerArn = await caller;
        const given = state.principal?.kind === 'arn' ? state.principal.arn : undefined;
        const choices = [
          ...(given ? [{ value: 'given', name: given }] : []),
          { value: 'caller', name: `The caller (these credentials): ${callerArn.available ? callerArn.value : `unknown, ${callerArn.reason}`}` },
          { value: 'other', name: 'Another IAM user or role: type its ARN' },
          { value: 'back', name: '<- Back' },
        ];
        const choice = await prompts.select({
          message: state.symptom === 'incident-manager-secret' ? 'Whose permissions? (who creates the response plan)' : 'Whose permissions?',
          choices,
        });
        let principal: PrincipalAnswer;
        if (choice === 'back') return BACK;
        if (choice === 'given' && given) principal = { kind: 'arn', arn: given };
        else if (choice === 'caller') principal = { kind: 'caller' };
        else {
          const arn = await prompts.input({
            message: 'ARN of the IAM user or role:',
            validate: (v) => PRINCIPAL_ARN.test(v.trim()) || 'That is not an IAM or STS ARN, such as arn:aws:iam::123456789012:role/ResponsePlanCreator.',
          });
          principal = { kind: 'arn', arn: arn.trim() };
        }
        state = { ...state, principal };
      },
      async 'read-value'() {
        out('Incident Manager needs the value to be JSON with pagerDutyToken, pagerDutyServiceRegion and pagerDutyFromEmail.');
        out('Checking that reads the value (GetSecretValue), and CloudTrail logs the read under your name. The value is never shown or stored.');
        const answer = await prompts.select({
          message: "Also check the secret value's format?",
          choices: [
            { value: 'no', name: 'No' },
            { value: 'yes', name: 'Yes, read the value' },
            { value: 'back', name: '<- Back' },
          ],
          default: state.readValue ? 'yes' : 'no',
        });
        if (answer === 'back') return BACK;
        state = { ...state, readValue: answer === 'yes' };
      },
    };

    // The questions, with Back; then the checks and the report; "Back" from the report asks again.
    let diagnosis: Diagnosis | undefined;
    let index = 0;
    for (;;) {
      const questions = questionsFor(state.symptom);
      if (index < questions.length) {
        const back = await ask[questions[index]!]();
        index = back === BACK ? Math.max(0, index - 1) : index + 1;
        continue;
      }
      progress(`Checking: ${SYMPTOM_CATALOGUE[state.symptom!].label}`);
      try {
        diagnosis = await services.diagnose(inputsOf(state, base), (event) => {
          if (event.type === 'finding') progress(`${badge(event.finding.status, painter(false))} ${event.finding.id}  ${event.finding.summary}`);
        });
      } catch (error) {
        out(`The checks could not run: ${(error as Error)?.message ?? String(error)}`);
        return 3;
      }
      out();
      out(reportLines(diagnosis, width, paint).join('\n'));
      out();
      const fixes = offeredFixes(diagnosis);
      const next = await prompts.select({
        message: fixes.length ? `Review the fix${fixes.length > 1 ? 'es' : ''} (${fixes.join(', ')})?` : 'Done?',
        choices: [
          { value: 'go', name: fixes.length ? 'Yes, show each change before asking' : 'Yes, quit' },
          { value: 'back', name: '<- Back to the questions' },
          ...(fixes.length ? [{ value: 'quit', name: 'No, quit' }] : []),
        ],
      });
      if (next === 'back') {
        index = questions.length - 1;
        continue;
      }
      if (next === 'quit' || !fixes.length) return exitStatus(diagnosis, args.strict);
      break;
    }

    const inputs = inputsOf(state, base);
    const fixes = offeredFixes(diagnosis);
    for (const [i, fix] of fixes.entries()) {
      out(paint('bold', `Fix ${i + 1} of ${fixes.length}: ${fix}`));
      let includeCreator = false;
      if (fix === 'key-policy' && state.principal?.kind === 'arn') {
        out(`Incident Manager uses the key on behalf of the creator too (${state.principal.arn}).`);
        includeCreator = await prompts.confirm({ message: "Also add the creator's statement (kms:Decrypt, kms:GenerateDataKey*)?", default: false });
      }
      progress('Reading the current document and planning the change...');
      const plan = await services.planFix(inputs, fix, { includeCreator });
      if (plan.kind === 'skip') {
        applied.push({ fix, status: 'skipped', message: plan.message });
        out(`skipped: ${plan.message}`);
        continue;
      }
      if (plan.kind === 'change') {
        out(`To ${plan.request.description}.`);
        out(`${plan.request.target.label}:`);
        out(diffLines(plan.request.before, plan.request.after, width, paint).join('\n'));
      }
      const result = await services.applyFix(inputs, plan, {
        show: (text) => out(text),
        progress,
        confirm: async (question) => !stopped && (await prompts.confirm({ message: question, default: false })),
        writing: (active) => {
          writing = active;
          // The interrupt waited for this write to return.
          if (!active && leaving) setImmediate(leave);
        },
        stopped: () => stopped,
      });
      applied.push(result);
      out(resultLines(result, width, paint).join('\n'));
      out();
    }

    out(paint('bold', 'Summary'));
    out(appliedLines(applied, 0, paint).join('\n'));
    let final = diagnosis;
    if (applied.some((a) => a.status === 'applied')) {
      progress('Running the checks again...');
      final = await services.diagnose(inputs, () => {});
      out();
      out(afterLines(final, width, paint).join('\n'));
    }
    return exitStatus(final, args.strict);
  } catch (error) {
    if (isExit(error)) leave();
    throw error;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    for (const line of debugLines) io.stderr(`${line}\n`);
  }
}

function describeDiscovery(
  listed: Discovered<SecretListing>,
  planned: Discovered<ResponsePlanListing> | undefined,
  progress: (text: string) => void,
): void {
  if (listed.available) progress(`${listed.value.secrets.length}${listed.value.truncated ? '+' : ''} secrets in ${listed.value.region}.`);
  else progress(`The list of secrets is not available (${listed.reason}): type the name or ARN.`);
  if (!planned) return;
  if (!planned.available) progress(`Secrets of response plans: not available (${planned.reason}).`);
  else if (planned.value.references.length) progress(`Marked "response plan": the secrets your ${planned.value.plans} response plan(s) use for PagerDuty.`);
  else progress(`No response plan in ${planned.value.region} uses a PagerDuty secret.`);
}
