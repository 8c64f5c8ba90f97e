/**
 * The wizard's runner: holds the state, runs the flow's reducer on every event, and does what a new state
 * asks of AWS through `WizardServices` (discovery on start, the diagnosis, saving its report, each fix, the
 * diagnosis after the fixes). It owns the promises a person resolves (a fix's confirmation, an MFA code) and the one flag a
 * write checks before it starts. Framework-free: the Ink wizard subscribes to it (ui/use-wizard.ts), the
 * --plain wizard awaits its states (plain/main.ts); both send the same events.
 *
 * Each piece of work starts on a transition, once: the checks once per run, a fix once per ticket (one
 * attempt), the response plans, the KMS keys and the account's roles and users once per wizard. Events of an abandoned run or attempt are
 * ignored by the reducer (their run or ticket is no longer current).
 */
import type { EventEmitter } from 'node:events';
import { withPlanArn } from '../facts/plan-arn.js';
import { questionText } from '../fixes/wording.js';
import type { Inputs } from '../types.js';
import { reduce } from './flow.js';
import type { WizardServices } from './services.js';
import { initialState, inputsOf, questionsOf, rerunInputsOf, type Presets, type WizardEvent, type WizardState } from './state.js';

/** Events from outside: 'interrupt' (SIGINT, SIGTERM, SIGHUP) and 'mfa' (serial, resolve, reject). */
export type Outside = EventEmitter;

function message(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

export class WizardRunner {
  #state: WizardState;
  readonly #listeners = new Set<(state: WizardState) => void>();
  /** Events sent while the reducer runs or listeners are told, handled in order afterwards. */
  readonly #queue: WizardEvent[] = [];
  #dispatching = false;
  #alive = false;
  /** Ctrl-C was pressed: no write starts after this. */
  #stopped = false;
  #plansAsked = false;
  #keysAsked = false;
  #principalsAsked = false;
  #pendingConfirm: ((yes: boolean) => void) | undefined;
  #pendingMfa: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  readonly #detach: (() => void)[] = [];

  constructor(
    private readonly services: WizardServices,
    presets: Presets,
    private readonly base: Omit<Inputs, 'symptom'>,
    private readonly outside?: Outside,
  ) {
    this.#state = initialState(presets);
  }

  get state(): WizardState {
    return this.#state;
  }

  /** For React's useSyncExternalStore: the same object until an event changes it. */
  readonly getState = (): WizardState => this.#state;

  readonly subscribe = (listener: (state: WizardState) => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Starts discovery and listens to the outside (signals, MFA requests). Once. */
  start(): void {
    if (this.#alive) return;
    this.#alive = true;
    const outside = this.outside;
    if (outside) {
      const onInterrupt = () => this.interrupt();
      const onMfa = (serial: string, resolve: (code: string) => void, reject: (error: Error) => void) => {
        this.#pendingMfa = { resolve, reject };
        this.dispatch({ type: 'mfa-asked', serial });
      };
      outside.on('interrupt', onInterrupt);
      outside.on('mfa', onMfa);
      this.#detach.push(() => {
        outside.off('interrupt', onInterrupt);
        outside.off('mfa', onMfa);
      });
    }
    // Who the caller is and the secrets, from the start.
    void this.services.callerArn().then((result) => this.dispatch({ type: 'caller-found', result }));
    void this.services.listSecrets().then((result) => this.dispatch({ type: 'secrets-found', result }));
    this.#react(undefined, this.#state);
  }

  /** Late answers from AWS after this are dropped. */
  stop(): void {
    this.#alive = false;
    for (const detach of this.#detach.splice(0)) detach();
  }

  dispatch = (event: WizardEvent): void => {
    if (!this.#alive) return;
    this.#queue.push(event);
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      for (let next = this.#queue.shift(); next; next = this.#queue.shift()) {
        const before = this.#state;
        const after = reduce(before, next);
        if (after === before) continue;
        this.#state = after;
        this.#react(before, after);
        for (const listener of this.#listeners) listener(after);
      }
    } finally {
      this.#dispatching = false;
    }
  };

  /** The first state (from now on) that `predicate` accepts; the current one if it already does. */
  until(predicate: (state: WizardState) => boolean): Promise<WizardState> {
    if (predicate(this.#state)) return Promise.resolve(this.#state);
    return new Promise((resolve) => {
      const off = this.subscribe((state) => {
        if (!predicate(state)) return;
        off();
        resolve(state);
      });
    });
  }

  /** The answer to a fix's confirmation. */
  answerFix = (yes: boolean): void => {
    const resolve = this.#pendingConfirm;
    this.#pendingConfirm = undefined;
    this.dispatch({ type: 'fix-answered', yes });
    resolve?.(yes);
  };

  answerMfa = (code: string): void => {
    const pending = this.#pendingMfa;
    this.#pendingMfa = undefined;
    this.dispatch({ type: 'mfa-answered' });
    pending?.resolve(code);
  };

  /** Ctrl-C: leave now, or as soon as a write that has started returns. */
  interrupt = (): void => {
    this.#stopped = true;
    this.dispatch({ type: 'interrupt' });
  };

  /** The flow's inputs plus the response plan that uses the chosen secret (Incident Manager's aws:SourceArn). */
  #inputs(): Inputs {
    return withPlanArn(inputsOf(this.#state, this.base), this.#state);
  }

  /** What a transition asks for: each piece of work once, on the state that starts it. */
  #react(before: WizardState | undefined, after: WizardState): void {
    if (after.symptom === 'incident-manager-secret' && !this.#plansAsked) {
      this.#plansAsked = true;
      void this.services.responsePlanSecrets().then((result) => this.dispatch({ type: 'plans-found', result }));
    }
    if (after.symptom === 'asymmetric-kms-key' && !this.#keysAsked) {
      this.#keysAsked = true;
      void this.services.kmsKeys().then((result) => this.dispatch({ type: 'keys-found', result }));
    }
    // The roles and users, as soon as a symptom asks whose permissions: listed by the time the question shows.
    if (!this.#principalsAsked && after.symptom && questionsOf(after).includes('principal')) {
      this.#principalsAsked = true;
      void this.services.principals().then((result) => this.dispatch({ type: 'principals-found', result }));
    }
    const entered = (step: WizardState['step']) => after.step === step && (before?.step !== step || before.run !== after.run);
    if (entered('checks')) this.#diagnose(after.run);
    if (entered('many-checks')) this.#diagnoseMany(after.run);
    if (after.fix?.phase === 'planning' && (before?.fix?.ticket !== after.fix.ticket || before.fix.phase !== 'planning')) this.#fix(after.fix.ticket);
    // A confirmation nobody can answer any more (Esc back to the report, Ctrl-C) is a no.
    const asking = (s: WizardState | undefined) => s?.step === 'fix' && s.fix?.question !== undefined && !s.exit;
    if (asking(before) && !asking(after) && this.#pendingConfirm) {
      const resolve = this.#pendingConfirm;
      this.#pendingConfirm = undefined;
      resolve(false);
    }
    // On leaving, an MFA code nobody will type is refused.
    if (after.exit && this.#pendingMfa) {
      this.#pendingMfa.reject(Object.assign(new Error('No MFA code was given.'), { name: 'CredentialsProviderError' }));
      this.#pendingMfa = undefined;
    }
    if (after.saved?.state === 'saving' && before?.saved?.state !== 'saving' && after.diagnosis) {
      this.services.saveReport(after.diagnosis, rerunInputsOf(after)).then(
        (path) => this.dispatch({ type: 'report-saved', path }),
        (error: unknown) => this.dispatch({ type: 'report-save-failed', message: message(error) }),
      );
    }
    // The diagnosis after the fixes, once per summary, for the summary and the exit status.
    const afterRunning = (s: WizardState | undefined) => s?.step === 'summary' && s.after?.state === 'running';
    if (afterRunning(after) && !afterRunning(before)) {
      this.services
        .diagnose(this.#inputs(), () => {})
        .then(
          (diagnosis) => this.dispatch({ type: 'after-done', diagnosis }),
          (error: unknown) => this.dispatch({ type: 'after-failed', message: message(error) }),
        );
    }
  }

  /** The checks of one run (the inputs are the answers of that moment). */
  #diagnose(run: number): void {
    this.services
      .diagnose(this.#inputs(), (event) => this.dispatch({ type: 'diagnosis-progress', run, event }))
      .then(
        (diagnosis) => this.dispatch({ type: 'diagnosis-done', run, diagnosis }),
        (error: unknown) => this.dispatch({ type: 'diagnosis-failed', run, message: message(error) }),
      );
  }

  /** Many secrets; a run left with Esc (or Ctrl-C) starts no further secret. */
  #diagnoseMany(run: number): void {
    const many = this.#state.many;
    if (!many) return;
    const current = () => this.#alive && this.#state.run === run && !this.#state.exit && !this.#stopped;
    this.services
      .diagnoseMany(
        this.#inputs(),
        many.secretIds,
        (diagnosis, done) => this.dispatch({ type: 'many-progress', run, diagnosis, done }),
        () => !current(),
      )
      .then(
        () => this.dispatch({ type: 'many-done', run }),
        (error: unknown) => this.dispatch({ type: 'many-failed', run, message: message(error) }),
      );
  }

  /** A fix, once per ticket (one attempt): plan it, then apply it through the protocol, which shows it first. */
  #fix(ticket: number): void {
    const fix = this.#state.fix;
    if (!fix) return;
    const current = () => this.#alive && this.#state.fix?.ticket === ticket && !this.#state.exit;
    const inputs = this.#inputs();
    void (async () => {
      try {
        const plan = await this.services.planFix(inputs, fix.fix, { includeCreator: fix.includeCreator });
        // Esc while planning abandoned this attempt: nothing to show, nothing to back up.
        if (!current()) return;
        if (plan.kind === 'skip') {
          this.dispatch({ type: 'fix-finished', ticket, applied: { fix: fix.fix, status: 'skipped', message: plan.message } });
          return;
        }
        const applied = await this.services.applyFix(plan, {
          event: (event) => this.dispatch({ type: 'fix-event', ticket, event }),
          confirm: (proposal) =>
            new Promise<boolean>((resolve) => {
              if (this.#stopped || !current()) return resolve(false);
              this.#pendingConfirm = resolve;
              this.dispatch({ type: 'fix-question', ticket, question: questionText(proposal) });
            }),
          stopped: () => this.#stopped,
        });
        this.dispatch({ type: 'fix-finished', ticket, applied });
      } catch (error) {
        this.dispatch({ type: 'fix-finished', ticket, applied: { fix: fix.fix, status: 'failed', message: `The fix stopped: ${message(error)}` } });
      }
    })();
  }
}
