/**
 * Ctrl-C around a write (SPEC.md, "Interruption"), for every front-end: one state machine that the fix
 * protocol moves through its steps and a front-end asks, on Ctrl-C, what to say before it leaves (exit 130).
 * Before a write has been sent, an interruption cancels it (the protocol checks `requested` right before
 * sending). While one is in flight, `interrupt()` waits for it to return (a second Ctrl-C waits too), then
 * says whether the document was changed, with the backup and the undo command. After it, during
 * verification, it says the write was made and how to undo it. Framework-free: no Ink, no process.
 */

/** What became of the write an interruption met. */
export type Outcome = 'none' | 'not-written' | 'written' | 'unknown';

export interface Notice {
  outcome: Outcome;
  /** One or more lines, each one sentence, to print before leaving. Empty when no change was under way. */
  lines: string[];
  /** Changes written earlier in this run, which stay (the front-end may list them). */
  earlier: Written[];
}

export interface Written {
  label: string;
  /** None for restore-secret, which changes no document. */
  backup?: string | undefined;
  undo: string;
}

type Phase =
  | { step: 'idle' }
  | { step: 'preparing'; label: string; backup?: string | undefined }
  | ({ step: 'writing'; outcome: Promise<Outcome> } & Written)
  | ({ step: 'verifying' } & Written);

export class Interruption {
  private phase: Phase = { step: 'idle' };
  private asked = false;
  private notice: Promise<Notice> | undefined;
  private readonly done: Written[] = [];
  private readonly others: Array<() => boolean> = [];

  /** Whether the person has asked to stop: no write may be sent from now on. */
  get requested(): boolean {
    return this.asked || this.others.some((stopped) => stopped());
  }

  /** Another source of "stop" (a front-end's own flag): counted as a request too. */
  alsoWhen(stopped: () => boolean): void {
    this.others.push(stopped);
  }

  /** Marks the request without waiting (no write starts after this). */
  request(): void {
    this.asked = true;
  }

  /**
   * Ctrl-C: no write starts after this. Resolves, once it is safe to leave (a write in flight has
   * returned), with what to tell the person. Every later call resolves with the same notice.
   */
  interrupt(): Promise<Notice> {
    this.asked = true;
    this.notice ??= this.settle();
    return this.notice;
  }

  /** Whether `interrupt()` would have to wait for a write in flight. */
  get waiting(): boolean {
    return this.phase.step === 'writing';
  }

  // The protocol's side.

  /** A change is being prepared (backup, consent, re-read): Ctrl-C now cancels it. */
  preparing(label: string, backup?: string): void {
    this.phase = { step: 'preparing', label, backup };
  }

  /** The write has been sent; `outcome` settles once it has returned (and, if it failed, the document was read back). */
  writing(label: string, backup: string | undefined, undo: string, outcome: Promise<Outcome>): void {
    this.phase = { step: 'writing', label, backup, undo, outcome };
    void outcome.then((o) => {
      if (o === 'written') this.done.push({ label, backup, undo });
    });
  }

  /** The write was made; verification runs. */
  verifying(label: string, backup: string | undefined, undo: string): void {
    this.phase = { step: 'verifying', label, backup, undo };
  }

  /** The change is over (applied, declined or failed): Ctrl-C no longer concerns it. */
  idle(): void {
    this.phase = { step: 'idle' };
  }

  private async settle(): Promise<Notice> {
    const phase = this.phase;
    const current = phase.step === 'writing' || phase.step === 'verifying' ? phase.undo : undefined;
    const earlier = () => this.done.filter((w) => w.undo !== current);
    switch (phase.step) {
      case 'idle':
        return { outcome: 'none', lines: [], earlier: earlier() };
      case 'preparing':
        return { outcome: 'not-written', lines: [`Interrupted before the write: ${phase.label} was not changed.`], earlier: earlier() };
      case 'verifying':
        return { outcome: 'written', lines: writtenLines(phase, 'Interrupted while verifying: the write was made'), earlier: earlier() };
      case 'writing': {
        const outcome = await phase.outcome.catch((): Outcome => 'unknown');
        const lines =
          outcome === 'written'
            ? writtenLines(phase, 'Interrupted during the write, which was let finish: it was made')
            : outcome === 'not-written'
              ? [`Interrupted during the write, which was let finish: ${phase.label} was not changed (the write failed).`]
              : [
                  `Interrupted during the write: whether ${phase.label} was changed is unknown (the write did not answer and the document could not be read back); ask AWS before going on.`,
                  ...(phase.backup ? [`Backup: ${phase.backup}`] : []),
                  `Undo, if it was changed: ${phase.undo}`,
                ];
        return { outcome, lines, earlier: earlier() };
      }
    }
  }
}

function writtenLines(phase: Written, lead: string): string[] {
  return [`${lead}: ${phase.label} was changed.`, ...(phase.backup ? [`Backup: ${phase.backup}`] : []), `Undo: ${phase.undo}`];
}
