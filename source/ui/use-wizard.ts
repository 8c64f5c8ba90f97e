/**
 * The controller: runs the flow's reducer and does what its states ask of AWS through `WizardServices`
 * (discovery on start, the diagnosis, each fix, the diagnosis after the fixes). It owns the promises a
 * person resolves (a fix's confirmation, an MFA code) and the one flag a write checks before it starts.
 */
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { EventEmitter } from 'node:events';
import type { Inputs } from '../types.js';
import { initialState, inputsOf as flowInputs, reduce, type Presets, type WizardEvent, type WizardState } from './flow.js';
import { withPlanArn } from '../facts/plan-arn.js';
import type { WizardServices } from './services.js';

/** Events from outside the tree: 'interrupt' (SIGINT, SIGTERM, SIGHUP) and 'mfa' (serial, resolve, reject). */
export type Outside = EventEmitter;

export interface Wizard {
  state: WizardState;
  dispatch(event: WizardEvent): void;
  /** The answer to a fix's confirmation. */
  answerFix(yes: boolean): void;
  answerMfa(code: string): void;
  /** Ctrl-C. */
  interrupt(): void;
}

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

/** The flow's inputs plus the response plan that uses the chosen secret (Incident Manager's aws:SourceArn). */
const inputsOf = (state: WizardState, base: Omit<Inputs, 'symptom'>): Inputs => withPlanArn(flowInputs(state, base), state);

export function useWizard(services: WizardServices, presets: Presets, base: Omit<Inputs, 'symptom'>, outside?: Outside): Wizard {
  const [state, rawDispatch] = useReducer(reduce, presets, initialState);
  const stopped = useRef(false);
  const alive = useRef(true);
  const pendingConfirm = useRef<((yes: boolean) => void) | undefined>(undefined);
  const pendingMfa = useRef<{ resolve: (code: string) => void; reject: (error: Error) => void } | undefined>(undefined);
  const stateRef = useRef(state);
  stateRef.current = state;
  const current = (ticket: number) => alive.current && stateRef.current.fix?.ticket === ticket && !stateRef.current.exit;

  // Late answers from AWS after unmount are dropped.
  const dispatch = useCallback((event: WizardEvent) => {
    if (alive.current) rawDispatch(event);
  }, []);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const interrupt = useCallback(() => {
    stopped.current = true;
    dispatch({ type: 'interrupt' });
  }, [dispatch]);

  // Outside events: signals, and the session's MFA code requests.
  useEffect(() => {
    if (!outside) return;
    const onMfa = (serial: string, resolve: (code: string) => void, reject: (error: Error) => void) => {
      pendingMfa.current = { resolve, reject };
      dispatch({ type: 'mfa-asked', serial });
    };
    outside.on('interrupt', interrupt);
    outside.on('mfa', onMfa);
    return () => {
      outside.off('interrupt', interrupt);
      outside.off('mfa', onMfa);
    };
  }, [outside, interrupt, dispatch]);

  // Discovery, once: who the caller is and the secrets, from the start; the secrets that response plans
  // use, once the error is Incident Manager's.
  useEffect(() => {
    void services.callerArn().then((result) => dispatch({ type: 'caller-found', result }));
    void services.listSecrets().then((result) => dispatch({ type: 'secrets-found', result }));
  }, [services, dispatch]);
  const plansWanted = state.symptom === 'incident-manager-secret';
  const plansAsked = useRef(false);
  useEffect(() => {
    if (!plansWanted || plansAsked.current) return;
    plansAsked.current = true;
    void services.responsePlanSecrets().then((result) => dispatch({ type: 'plans-found', result }));
  }, [plansWanted, services, dispatch]);
  // The Region's KMS keys, once the error is the asymmetric key's.
  const keysWanted = state.symptom === 'asymmetric-kms-key';
  const keysAsked = useRef(false);
  useEffect(() => {
    if (!keysWanted || keysAsked.current) return;
    keysAsked.current = true;
    void services.kmsKeys().then((result) => dispatch({ type: 'keys-found', result }));
  }, [keysWanted, services, dispatch]);

  // Many secrets, once per run; a run left with Esc (or Ctrl-C) starts no further secret.
  const manyRun = state.step === 'many-checks' ? state.run : undefined;
  useEffect(() => {
    if (manyRun === undefined || !stateRef.current.many) return;
    const current = () => alive.current && stateRef.current.run === manyRun && !stateRef.current.exit && !stopped.current;
    services.diagnoseMany(inputsOf(stateRef.current, base), stateRef.current.many.secretIds, (diagnosis, done) => dispatch({ type: 'many-progress', run: manyRun, diagnosis, done }), () => !current()).then(
      () => dispatch({ type: 'many-done', run: manyRun }),
      (error: unknown) => dispatch({ type: 'many-failed', run: manyRun, message: message(error) }),
    );
  }, [manyRun]);

  // The checks, once per run (the inputs are the answers of that moment).
  useEffect(() => {
    if (state.step !== 'checks') return;
    const run = state.run;
    services.diagnose(inputsOf(stateRef.current, base), (event) => dispatch({ type: 'diagnosis-progress', run, event })).then(
      (diagnosis) => dispatch({ type: 'diagnosis-done', run, diagnosis }),
      (error: unknown) => dispatch({ type: 'diagnosis-failed', run, message: message(error) }),
    );
  }, [state.step, state.run]);

  // A fix, once per ticket (one attempt): plan it, show it, then apply it through the protocol.
  const ticket = state.fix?.phase === 'planning' ? state.fix.ticket : undefined;
  useEffect(() => {
    const fix = stateRef.current.fix;
    if (ticket === undefined || !fix) return;
    const inputs = inputsOf(stateRef.current, base);
    void (async () => {
      try {
        const plan = await services.planFix(inputs, fix.fix, { includeCreator: fix.includeCreator });
        // Esc while planning abandoned this attempt: nothing to show, nothing to back up.
        if (!current(ticket)) return;
        if (plan.kind === 'skip') {
          dispatch({ type: 'fix-finished', ticket, applied: { fix: fix.fix, status: 'skipped', message: plan.message } });
          return;
        }
        if (plan.kind === 'change') {
          const r = plan.request;
          dispatch({ type: 'fix-planned', ticket, change: { description: r.description, label: r.target.label, before: r.before, after: r.after } });
        }
        const applied = await services.applyFix(inputs, plan, {
          show: (text) => dispatch({ type: 'fix-shown', ticket, text }),
          progress: (text) => dispatch({ type: 'fix-progress', ticket, text }),
          confirm: (question) =>
            new Promise<boolean>((resolve) => {
              if (stopped.current || !current(ticket)) return resolve(false);
              pendingConfirm.current = resolve;
              dispatch({ type: 'fix-question', ticket, question });
            }),
          writing: (active) => dispatch({ type: 'fix-writing', ticket, active }),
          stopped: () => stopped.current,
        });
        dispatch({ type: 'fix-finished', ticket, applied });
      } catch (error) {
        dispatch({ type: 'fix-finished', ticket, applied: { fix: fix.fix, status: 'failed', message: `The fix stopped: ${message(error)}` } });
      }
    })();
  }, [ticket]);

  // A confirmation nobody can answer any more (Esc back to the report, Ctrl-C) is a no.
  const asking = state.step === 'fix' && state.fix?.question !== undefined && !state.exit;
  useEffect(() => {
    if (!asking && pendingConfirm.current) {
      const resolve = pendingConfirm.current;
      pendingConfirm.current = undefined;
      resolve(false);
    }
  }, [asking]);

  // On leaving, an MFA code nobody will type is refused.
  useEffect(() => {
    if (state.exit && pendingMfa.current) {
      pendingMfa.current.reject(Object.assign(new Error('No MFA code was given.'), { name: 'CredentialsProviderError' }));
      pendingMfa.current = undefined;
    }
  }, [state.exit]);

  // The diagnosis after the fixes, once per summary, for the summary and the exit status.
  const afterRunning = state.step === 'summary' && state.after?.state === 'running';
  useEffect(() => {
    if (!afterRunning) return;
    services.diagnose(inputsOf(stateRef.current, base), () => {}).then(
      (diagnosis) => dispatch({ type: 'after-done', diagnosis }),
      (error: unknown) => dispatch({ type: 'after-failed', message: message(error) }),
    );
  }, [afterRunning]);

  const answerFix = useCallback(
    (yes: boolean) => {
      const resolve = pendingConfirm.current;
      pendingConfirm.current = undefined;
      dispatch({ type: 'fix-answered', yes });
      resolve?.(yes);
    },
    [dispatch],
  );

  const answerMfa = useCallback(
    (code: string) => {
      const pending = pendingMfa.current;
      pendingMfa.current = undefined;
      dispatch({ type: 'mfa-answered' });
      pending?.resolve(code);
    },
    [dispatch],
  );

  return { state, dispatch, answerFix, answerMfa, interrupt };
}
