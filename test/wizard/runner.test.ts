/**
 * The runner without any front-end: each piece of work starts once, on the transition that asks for it;
 * abandoned work is ignored; a confirmation nobody can answer is a no; Ctrl-C waits for a write in flight;
 * an MFA code nobody will type is refused. Fake services (no AWS): the runner's contract is with them.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { WizardRunner } from '../../source/wizard/runner.js';
import type { WizardState } from '../../source/wizard/state.js';
import { proposalOf } from '../../source/fixes/protocol.js';
import { CREATOR, SECRET, deferred, fakeServices, healthyDiagnosis } from '../ui/fixtures.js';

const presets = { symptom: 'incident-manager-secret' as const, secretId: SECRET, principal: CREATOR };

function started(services = fakeServices(), outside?: EventEmitter) {
  const runner = new WizardRunner(services, presets, {}, outside);
  runner.start();
  return { runner, services };
}

/** Answers the four questions with the presets. */
function answer(runner: WizardRunner) {
  runner.dispatch({ type: 'symptom-chosen', symptom: 'incident-manager-secret' });
  runner.dispatch({ type: 'secret-chosen', secretId: SECRET });
  runner.dispatch({ type: 'principal-chosen', principal: { kind: 'arn', arn: CREATOR } });
  runner.dispatch({ type: 'read-value-answered', readValue: false });
}

describe('the wizard runner', () => {
  it('runs the checks once per run, and again only when a new run starts', async () => {
    const { runner, services } = started();
    answer(runner);
    await runner.until((s) => s.step === 'report');
    expect(services.diagnoseCalls).toHaveLength(1);
    // Back to the last question and forward again: a new run, a second diagnosis.
    runner.dispatch({ type: 'back' });
    runner.dispatch({ type: 'read-value-answered', readValue: false });
    await runner.until((s) => s.step === 'report');
    expect(services.diagnoseCalls).toHaveLength(2);
  });

  it('asks for the response plans once, however often the symptom is chosen', async () => {
    const services = fakeServices();
    let plans = 0;
    const listed = services.responsePlanSecrets;
    services.responsePlanSecrets = () => {
      plans++;
      return listed();
    };
    const { runner } = started(services);
    runner.dispatch({ type: 'symptom-chosen', symptom: 'incident-manager-secret' });
    runner.dispatch({ type: 'back' });
    runner.dispatch({ type: 'symptom-chosen', symptom: 'incident-manager-secret' });
    await runner.until((s) => s.plans.state === 'done');
    expect(plans).toBe(1);
  });

  it('lists the roles and users once, when a symptom that asks whose permissions is chosen, and never for one that does not', async () => {
    const services = fakeServices();
    let asked = 0;
    const listed = services.principals;
    services.principals = () => {
      asked++;
      return listed();
    };
    const runner = new WizardRunner(services, {}, {});
    runner.start();
    // asymmetric-kms-key asks neither secret nor principal: nothing is listed
    runner.dispatch({ type: 'symptom-chosen', symptom: 'asymmetric-kms-key' });
    runner.dispatch({ type: 'back' });
    expect(asked).toBe(0);
    expect(runner.state.principals.state).toBe('loading');
    // access-denied asks it: listed at once, before the question shows, and only once
    runner.dispatch({ type: 'symptom-chosen', symptom: 'access-denied' });
    expect(runner.state.step).toBe('action');
    runner.dispatch({ type: 'back' });
    runner.dispatch({ type: 'symptom-chosen', symptom: 'access-denied-temporary-credentials' });
    const done = await runner.until((s) => s.principals.state === 'done');
    expect(asked).toBe(1);
    expect(done.principals).toMatchObject({ state: 'done', result: { available: true, value: { roles: { listed: true } } } });
  });

  it('ignores the late answer of a run left with Esc', async () => {
    const services = fakeServices();
    const gate = deferred<void>();
    const diagnose = services.diagnose;
    let calls = 0;
    services.diagnose = async (inputs, onEvent) => {
      if (++calls === 1) await gate.promise;
      return diagnose(inputs, onEvent);
    };
    const { runner } = started(services);
    answer(runner);
    expect(runner.state.step).toBe('checks');
    runner.dispatch({ type: 'back' });
    expect(runner.state.step).toBe('read-value');
    gate.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    // The abandoned run's report never opens.
    expect(runner.state.step).toBe('read-value');
    expect(runner.state.diagnosis).toBeUndefined();
  });

  it('answers no to a confirmation nobody can answer any more (Esc back to the report)', async () => {
    const services = fakeServices();
    const answers: boolean[] = [];
    services.applyFix = async (plan, hooks) => {
      const yes = await hooks.confirm(proposalOf(plan.request));
      answers.push(yes);
      return { fix: plan.fix, status: 'declined', message: 'Declined: nothing was changed.' };
    };
    const { runner } = started(services);
    answer(runner);
    await runner.until((s) => s.step === 'report');
    runner.dispatch({ type: 'report-continue' });
    await runner.until((s) => s.fix?.question !== undefined);
    runner.dispatch({ type: 'back' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toEqual([false]);
  });

  it('leaves after Ctrl-C only once the write in flight has returned', async () => {
    const services = fakeServices();
    const write = deferred<void>();
    services.applyFix = async (plan, hooks) => {
      if (!(await hooks.confirm(proposalOf(plan.request)))) return { fix: plan.fix, status: 'declined', message: 'Declined.' };
      hooks.event({ type: 'writing' });
      await write.promise;
      hooks.event({ type: 'written', waitSeconds: 60 });
      return { fix: plan.fix, status: 'applied', message: 'Applied.', verified: true };
    };
    const { runner } = started(services);
    answer(runner);
    await runner.until((s) => s.step === 'report');
    runner.dispatch({ type: 'report-continue' });
    await runner.until((s) => s.fix?.question !== undefined);
    runner.answerFix(true);
    await runner.until((s) => Boolean(s.fix?.writing));
    runner.interrupt();
    expect(runner.state.leaving).toBe(true);
    expect(runner.state.exit).toBeUndefined();
    write.resolve();
    const left = await runner.until((s) => Boolean(s.exit));
    expect(left.exit).toEqual({ interrupted: true });
  });

  it('asks for an MFA code through the state, and refuses it when the wizard leaves first', async () => {
    const outside = new EventEmitter();
    const { runner } = started(fakeServices(), outside);
    const answered = new Promise<string>((resolve, reject) => outside.emit('mfa', 'arn:aws:iam::123456789012:mfa/alice', resolve, reject));
    expect(runner.state.mfa).toEqual({ serial: 'arn:aws:iam::123456789012:mfa/alice' });
    runner.answerMfa('123456');
    await expect(answered).resolves.toBe('123456');
    expect(runner.state.mfa).toBeUndefined();
    const refused = new Promise<string>((resolve, reject) => outside.emit('mfa', 'arn:aws:iam::123456789012:mfa/alice', resolve, reject));
    outside.emit('interrupt');
    await expect(refused).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });

  it('drops what AWS answers after it has stopped', async () => {
    const services = fakeServices({ diagnoses: [healthyDiagnosis()] });
    const { runner } = started(services);
    const seen: WizardState[] = [];
    runner.subscribe((s) => seen.push(s));
    runner.stop();
    await new Promise((resolve) => setImmediate(resolve));
    // Discovery started before stop() answered after it: nothing changed.
    expect(seen).toEqual([]);
    expect(runner.state.caller).toEqual({ state: 'loading' });
  });
});
