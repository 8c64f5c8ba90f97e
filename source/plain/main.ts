/**
 * `secrets-doctor --plain`: the wizard's flow as line-by-line prompts (@inquirer/prompts), for screen
 * readers and simple terminals. Questions and results on stdout, progress on stderr. "Back" is a choice
 * where Esc would be in the Ink wizard. Uses the same services, texts and fix protocol as the Ink
 * front-end, and never Ink.
 */
import { exitStatus, type Io } from '../commands/status.js';
import type { Args } from '../commands/args.js';
import type { Diagnosis } from '../diagnose.js';
import type { Discovered, ResponsePlanListing, SecretListing } from '../facts/discovery.js';
import type { Applied } from '../fixes/protocol.js';
import { badge, painter } from '../report/text.js';
import { SYMPTOM_CATALOGUE } from '../symptoms.js';
import { SYMPTOMS, type SymptomId } from '../types.js';
import { asksCreator, byWorst, withErrorMessage, inputsOf, initialState, offeredFixes, questionsOf, type Changed, type PrincipalAnswer, type Question, type WizardState } from '../ui/flow.js';
import { PRINCIPAL_ARN } from '../ui/principal.js';
import { manyChoices, secretChoices, type ManyChoice } from '../ui/secret-choices.js';
import { actionChoices, changedChoices, countColumns, kmsKeyChoices, manyRow, messageLines } from '../ui/choices.js';
import { prepareWizard } from '../ui/setup.js';
import { afterLines, appliedLines, resultLines } from '../ui/summary.js';
import { diffLines, reportLines } from '../ui/text.js';
import { visible, visibleLines } from '../visible.js';

const BACK = Symbol('back');
type Back = typeof BACK;

/** Ctrl-C at a prompt: inquirer's ExitPromptError (also from a fix's question: nothing is written then). */
function isExit(error: unknown): boolean {
  return (error as Error)?.name === 'ExitPromptError';
}

export async function runPlain(args: Args, io: Io, symptomGiven: boolean): Promise<number> {
  const prepared = await prepareWizard(args, io, symptomGiven);
  if (typeof prepared === 'number') return prepared;
  const { services, presets, base, outside, session, debugLines, interruption } = prepared;
  const prompts = await import('@inquirer/prompts');
  const paint = painter(args.color);
  // Lines are not cut to the terminal's width here: it wraps them, and a screen reader reads whole lines
  // (an ARN or a command stays in one piece, to copy).
  const width = Number.POSITIVE_INFINITY;
  const out = (text = '') => io.stdout(`${text}\n`);
  // Progress is never painted: all of it is shown as text, whatever a name or a message holds.
  const progress = (text: string) => io.stderr(`${visibleLines(text)}\n`);

  // An MFA code is asked before anything else runs, so two prompts never share the terminal.
  outside.on('mfa', (serial: string, resolve: (code: string) => void, reject: (error: Error) => void) => {
    prompts
      .input({ message: `MFA code for ${visible(serial)}:`, validate: (v) => /^\d{6}$/.test(v.trim()) || 'An MFA code is six digits.' })
      .then((code) => resolve(code.trim()), reject);
  });

  const applied: Applied[] = [];
  let writing = false;
  let leaving = false;
  let stopped = false;
  // Leaving after Ctrl-C: a write in flight has returned (the interruption waits for it); say what became of it.
  const leave = async (): Promise<never> => {
    const notice = await interruption.interrupt();
    io.stderr(`\n${['Interrupted.', ...notice.lines].join('\n')}\n`);
    const changed = applied.filter((a) => a.status === 'applied' && (!a.undo || !notice.lines.some((l) => l.includes(a.undo!))));
    if (changed.length) io.stderr(`${appliedLines(changed, 0, painter(false)).join('\n')}\n`);
    for (const line of debugLines) io.stderr(`${line}\n`);
    process.exit(130);
  };
  // Outside a prompt, Ctrl-C is a signal: leave, but never in the middle of a write.
  outside.on('interrupt', () => {
    stopped = true;
    if (leaving) return;
    leaving = true;
    if (interruption.waiting || writing) progress('Leaving as soon as the write in progress returns (a change is never left half done)...');
    // restore-secret's call is guarded by `writing`; a document's write by the interruption itself.
    if (!writing) void leave();
  });
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = () => outside.emit('interrupt');
  for (const s of signals) process.on(s, onSignal);

  try {
    await session.identityCredentials().catch(() => undefined); // the credentials check says what is wrong
    const caller = services.callerArn();
    const secrets = services.listSecrets();
    let plans: ReturnType<typeof services.responsePlanSecrets> | undefined; // asked once the error is Incident Manager's
    let keys: ReturnType<typeof services.kmsKeys> | undefined; // asked once the error is the asymmetric key's
    /** A text answer: "<" alone goes back. */
    const typed = async (message: string, current: string | undefined): Promise<string | Back> => {
      const text = await prompts.input({ message, ...(current ? { default: current, prefill: 'editable' as const } : {}) });
      return text.trim() === '<' ? BACK : text;
    };

    let state: WizardState = initialState(presets);
    const ask: Record<Question, () => Promise<Back | void>> = {
      async symptom() {
        // In their own order; the answer so far is the default (focused), not moved first.
        const symptom = await prompts.select<SymptomId>({
          message: 'Which error do you see?',
          choices: SYMPTOMS.map((id) => ({ value: id, name: SYMPTOM_CATALOGUE[id].label })),
          default: state.symptom,
          pageSize: SYMPTOMS.length * 2, // long labels take two lines
        });
        state = { ...state, symptom };
        if (symptom === 'asymmetric-kms-key') keys ??= services.kmsKeys();
      },
      async action() {
        const answer = await prompts.search<string | Back>({
          message: 'Which operation was denied? Type to filter:',
          source: (term) => [...actionChoices(term ?? '', state.action).map((c) => ({ value: c.value, name: c.label })), { value: BACK, name: '<- Back' }],
          pageSize: 10,
        });
        if (answer === BACK) return BACK;
        state = { ...state, action: answer };
      },
      async 'error-message'() {
        out('The message names who was denied, on which resource, and which type of policy said no: the checks use what you did not choose.');
        const text = await typed('Paste the error message you got (Enter to skip, < to go back):', state.errorMessage);
        if (text === BACK) return BACK;
        for (const line of messageLines(text, state.action)) out(line);
        state = withErrorMessage(state, text);
      },
      async changed() {
        const answer = await prompts.select<Changed | 'back'>({
          message: 'What did you change?',
          choices: [...changedChoices(undefined).map((c) => ({ value: c.value, name: c.label })), { value: 'back' as const, name: '<- Back' }],
          default: state.changed,
        });
        if (answer === 'back') return BACK;
        state = { ...state, changed: answer };
      },
      async 'expect-version'() {
        const text = await typed('Which version ID should be AWSCURRENT now? (optional: Enter to skip, < to go back)', state.expectVersionId);
        if (text === BACK) return BACK;
        state = { ...state, expectVersionId: text.trim() || undefined };
      },
      async 'kms-key'() {
        progress('Listing the KMS keys of the Region...');
        const listed = await (keys ??= services.kmsKeys());
        if (listed.available) {
          progress(`${listed.value.keys.length}${listed.value.truncated ? '+' : ''} keys in ${listed.value.region}${listed.value.awsManaged ? ' (AWS managed keys not listed)' : ''}.`);
        } else progress(`The list of keys is not available (${visible(listed.reason)}): type the key ID, alias or ARN.`);
        const listing = listed.available ? listed.value : undefined;
        const answer = await prompts.search<string | Back>({
          message: 'Which KMS key did you give CreateSecret? Type to filter, or type a key ID, alias or ARN:',
          source: (term) => [...kmsKeyChoices(term ?? '', listing, state.kmsKeyId, width).map((c) => ({ value: c.value, name: c.label })), { value: BACK, name: '<- Back' }],
          ...(state.kmsKeyId ? { initialValue: state.kmsKeyId } : {}),
          pageSize: 10,
        });
        if (answer === BACK) return BACK;
        state = { ...state, kmsKeyId: answer };
      },
      async secret() {
        progress('Listing the secrets of the account...');
        if (state.symptom === 'incident-manager-secret') plans ??= services.responsePlanSecrets();
        const [listed, planned] = await Promise.all([secrets, state.symptom === 'incident-manager-secret' ? plans : undefined]);
        describeDiscovery(listed, planned, progress);
        const listing = listed.available ? listed.value : undefined;
        const planListing = planned?.available ? planned.value : undefined;
        const answer = await prompts.search<string | ManyChoice | Back>({
          message: 'Which secret? Type to filter, or type a name or ARN:',
          source: (term) => [
            ...manyChoices(term ?? '', listing, planListing, width).map((c) => ({ value: c, name: c.label })),
            ...secretChoices(term ?? '', listing, planListing, width).map((c) => ({ value: c.secretId, name: c.label })),
            { value: BACK, name: '<- Back' },
          ],
          ...(state.secretId ? { initialValue: state.secretId } : {}),
          pageSize: 10,
        });
        if (answer === BACK) return BACK;
        if (typeof answer === 'string') state = { ...state, secretId: answer, many: undefined };
        else state = { ...state, many: { source: answer.source, secretIds: answer.secretIds, done: 0, failing: 0, results: [], finished: false, focus: 0 } };
      },
      async principal() {
        const callerArn = await caller;
        const given = state.principal?.kind === 'arn' ? state.principal.arn : undefined;
        const choices = [
          ...(given ? [{ value: 'given', name: visible(given) }] : []),
          { value: 'caller', name: visible(`The caller (these credentials): ${callerArn.available ? callerArn.value : `unknown, ${callerArn.reason}`}`) },
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

    /**
     * Many secrets: a progress line on stderr (rewritten in place on a terminal, one line each otherwise),
     * then the list, worst first, as a select; a secret's report, then the list again. No fixes from here.
     */
    const many = async (secretIds: string[]): Promise<number | Back> => {
      const total = secretIds.length;
      const results: Diagnosis[] = [];
      let failing = 0;
      const tty = Boolean(process.stderr.isTTY);
      const line = (done: number) => `Checked ${done} of ${total} secrets, ${failing} with failures.`;
      const show = (done: number) => io.stderr(tty ? `\r\u001b[2K${line(done)}` : `${line(done)}\n`);
      progress(`Checking ${total} secrets: ${SYMPTOM_CATALOGUE[state.symptom!].label}`);
      show(0);
      let failure: string | undefined;
      try {
        await services.diagnoseMany(
          inputsOf(state, base),
          secretIds,
          (d, done) => {
            results.push(d);
            if (d.summary.fail > 0) failing++;
            show(done);
          },
          () => stopped,
        );
      } catch (error) {
        failure = (error as Error)?.message ?? String(error);
      }
      if (tty) io.stderr('\n');
      if (failure) out(`Stopped before the end: ${visible(failure)}`);
      const sorted = byWorst(results);
      const status = () => {
        const codes = sorted.map((d) => exitStatus(d, args.strict));
        return codes.includes(3) ? 3 : Math.max(0, ...codes);
      };
      out(`${sorted.length} secrets checked, ${failing} with failures. Fixes are offered for one secret at a time: choose it alone in the secret question.`);
      let focus = 0;
      const digits = countColumns(sorted);
      for (;;) {
        const choice = await prompts.select<number | 'back' | 'quit'>({
          message: "Which secret's report? (worst first)",
          choices: [
            ...sorted.map((d, i) => ({ value: i, name: manyRow(d, 76, digits) })),
            { value: 'back' as const, name: '<- Back to the questions' },
            { value: 'quit' as const, name: 'Quit' },
          ],
          default: focus,
          pageSize: 12,
        });
        if (choice === 'back') return BACK;
        if (choice === 'quit') return status();
        focus = choice;
        out();
        out(reportLines(sorted[choice]!, width, paint).join('\n'));
        out();
        const next = await prompts.select({
          message: 'Next?',
          choices: [
            { value: 'list', name: '<- Back to the list' },
            { value: 'quit', name: 'Quit' },
          ],
        });
        if (next === 'quit') return status();
      }
    };

    // The questions, with Back; then the checks and the report; "Back" from the report asks again.
    let diagnosis: Diagnosis | undefined;
    let index = 0;
    for (;;) {
      const questions = questionsOf(state);
      if (index < questions.length) {
        const back = await ask[questions[index]!]();
        index = back === BACK ? Math.max(0, index - 1) : index + 1;
        continue;
      }
      if (state.many && questions.includes('secret')) {
        const code = await many(state.many.secretIds);
        if (code !== BACK) return code;
        index = questions.length - 1;
        continue;
      }
      progress(`Checking: ${SYMPTOM_CATALOGUE[state.symptom!].label}`);
      try {
        diagnosis = await services.diagnose(inputsOf(state, base), (event) => {
          if (event.type === 'finding') progress(`${badge(event.finding.status, painter(false))} ${event.finding.id}  ${visible(event.finding.summary)}`);
        });
      } catch (error) {
        out(`The checks could not run: ${visible((error as Error)?.message ?? String(error))}`);
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
      if (asksCreator(fix, state.principal, diagnosis) && state.principal?.kind === 'arn') {
        out(`Incident Manager uses the key on behalf of the creator too (${visible(state.principal.arn)}).`);
        includeCreator = await prompts.confirm({ message: "Also add the creator's statement (kms:Decrypt, kms:GenerateDataKey*)?", default: false });
      }
      progress('Reading the current document and planning the change...');
      const plan = await services.planFix(inputs, fix, { includeCreator });
      if (plan.kind === 'skip') {
        applied.push({ fix, status: 'skipped', message: plan.message });
        out(`skipped: ${visible(plan.message)}`);
        continue;
      }
      if (plan.kind === 'change') {
        out(`To ${visible(plan.request.description)}.`);
        out(`${visible(plan.request.target.label)}:`);
        out(diffLines(plan.request.before, plan.request.after, width, paint).join('\n'));
      }
      const result = await services.applyFix(inputs, plan, {
        show: (text) => out(text), // painted by the protocol, its outside text made visible there
        progress,
        confirm: async (question) => !stopped && (await prompts.confirm({ message: visible(question), default: false })),
        writing: (active) => {
          writing = active;
          // The interrupt waited for this write to return.
          if (!active && leaving) setImmediate(() => void leave());
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
    if (isExit(error)) await leave();
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
  else progress(`The list of secrets is not available (${visible(listed.reason)}): type the name or ARN.`);
  if (!planned) return;
  if (!planned.available) progress(`Secrets of response plans: not available (${visible(planned.reason)}).`);
  else if (planned.value.references.length) progress(`Marked "response plan": the secrets your ${planned.value.plans} response plan(s) use for PagerDuty.`);
  else progress(`No response plan in ${planned.value.region} uses a PagerDuty secret.`);
}
