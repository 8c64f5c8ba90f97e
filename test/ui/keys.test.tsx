/**
 * Keys that arrive in one read (issue 14, item 4), with Ink as the wizard runs it: stdin a KeyStream, each
 * write one read. Every key counts, in order: Backspaces, readline's editing keys, a paste, Ctrl-C twice,
 * Enter then Ctrl-C, keys typed ahead of the next screen, a filter then ↓ Enter; and Enter while the list of
 * secrets is still loading waits for it. The text field also on its own, without the KeyStream.
 */
import { Box, Text } from 'ink';
import { useState } from 'react';
import { unstable_cancelCallback, unstable_IdlePriority, unstable_scheduleCallback } from 'scheduler';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../source/ui/App.js';
import { ScreenContext } from '../../source/ui/context.js';
import type { FixState, Lookup, WizardState } from '../../source/wizard/state.js';
import { FixStep } from '../../source/ui/FixStep.js';
import { ReportStep } from '../../source/ui/ReportStep.js';
import { SecretStep } from '../../source/ui/SecretStep.js';
import { TextField } from '../../source/ui/TextField.js';
import type { ResponsePlanListing, SecretListing } from '../../source/facts/discovery.js';
import { painter } from '../../source/report/paint.js';
import { renderKeyed } from '../helpers/keyed-render.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { brokenDiagnosis, CREATOR, fakeServices, SECRET } from './fixtures.js';
import type { ReactElement } from 'react';

const BS = '\u007f';
const screen = { width: 79, height: 30, paint: painter(false), color: false, keysReady: true };
const sized = (tree: ReactElement, height = 30) => <ScreenContext.Provider value={{ ...screen, height }}>{tree}</ScreenContext.Provider>;

/** A text field with what it holds and what Enter handed on, shown below it. */
function Field({ start = '' }: { start?: string }) {
  const [value, setValue] = useState(start);
  const [submitted, setSubmitted] = useState<string[]>([]);
  return (
    <Box flexDirection="column">
      <TextField defaultValue={start} onChange={setValue} onSubmit={(v) => setSubmitted((s) => [...s, v])} />
      <Text>{`value=[${value}]`}</Text>
      <Text>{`submitted=${JSON.stringify(submitted)}`}</Text>
    </Box>
  );
}

describe("React's scheduler, as key-stream.ts uses it", () => {
  it('numbers the tasks it queues, one after the other (how the KeyStream sees that React has settled)', () => {
    const a = unstable_scheduleCallback(unstable_IdlePriority, () => {}) as { id?: unknown };
    const b = unstable_scheduleCallback(unstable_IdlePriority, () => {}) as { id?: unknown };
    unstable_cancelCallback(a);
    unstable_cancelCallback(b);
    expect(typeof a.id).toBe('number');
    expect(b.id).toBe((a.id as number) + 1);
  });
});

describe('a text field, keys in one read', () => {
  it('three Backspaces remove three characters, 240 remove 240 (with and without the KeyStream)', async () => {
    const r = renderKeyed(<Field start="prod/pagerduty" />);
    await r.waitForFrame('value=[prod/pagerduty]');
    r.write(BS.repeat(3));
    await r.waitForFrame('value=[prod/pagerd]');
    r.write(`${'x'.repeat(250)}${BS.repeat(240)}`);
    expect(await r.waitForFrame((f) => f.includes('value=[prod/pagerdxxxxxxxxxx]'))).toContain('prod/pagerdxxxxxxxxxx');
    r.unmount();
    // Ink's own stdin hands the whole read over as one input: the field splits it itself
    const bare = render(<Field start="prod/pagerduty" />);
    await bare.waitForFrame('value=[prod/pagerduty]');
    await bare.press(BS.repeat(3));
    expect(plain(await bare.waitForFrame('value=[prod/pagerd]'))).not.toContain('\u007f');
    bare.unmount();
  });

  it("edits with readline's keys: Ctrl-A/E, Home/End, Ctrl-U, Ctrl-W, Delete, ←→", async () => {
    const r = renderKeyed(<Field />);
    await r.waitForFrame('value=[]');
    // Ctrl-A X, Ctrl-E Y, Home ← → Z, End
    r.write('abc\u0001X\u0005Y\u001b[1~\u001b[D\u001b[CZ\u001b[4~!');
    await r.waitForFrame('value=[XZabcY!]');
    // Ctrl-W takes "XZabcY!" back to the space; Ctrl-U everything before the cursor
    r.write(' two words\u0017');
    await r.waitForFrame('value=[XZabcY! two ]');
    r.write('\u001b[H\u001b[C\u001b[C\u0015');
    await r.waitForFrame('value=[abcY! two ]');
    r.write('\u001b[H\u001b[3~\u001b[3~\u001b[F\u0017\u0017');
    await r.waitForFrame('value=[]');
    r.unmount();
  });

  it('takes a paste and Enter in one read: Enter hands on the whole paste', async () => {
    const message = 'User: arn:aws:sts::123456789012:assumed-role/Ops/alice is not authorized to perform: secretsmanager:GetSecretValue';
    const r = renderKeyed(<Field />);
    await r.waitForFrame('value=[]');
    r.write(`${message}\r`);
    const frame = await r.waitForFrame('submitted=["');
    expect(frame.replace(/\s+/g, ' ')).toContain(`submitted=["${message}"]`);
    r.unmount();
  });

  it('shows control characters of a given value visibly, and never inserts one', async () => {
    const r = renderKeyed(<Field start={'a\u001b[31mb'} />);
    await r.waitForFrame('value=[');
    expect(r.frame().split('\n')[0]).toBe('a\\x1b[31mb');
    r.write('\t\u0000\u0003');
    r.write('c');
    await r.waitForFrame((f) => f.split('\n')[0] === 'a\\x1b[31mbc');
    r.unmount();
  });
});

const names = [SECRET, 'prod/database', 'staging/pagerduty'];
const listed = (secretNames: string[]): Lookup<SecretListing> => ({
  state: 'done',
  result: {
    available: true,
    value: {
      region: 'us-east-1',
      truncated: false,
      secrets: secretNames.map((name) => ({ name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf` })),
    },
  },
});
const noPlans: Lookup<ResponsePlanListing> = { state: 'done', result: { available: false, reason: 'not allowed' } };
const loading = { state: 'loading' } as const;

describe('the secret step, keys in one read', () => {
  it('filters, then ↓ and Enter act on the filtered list', async () => {
    const onChoose = vi.fn();
    const r = renderKeyed(
      sized(<SecretStep symptom="access-denied" secrets={listed(names)} plans={noPlans} position="2 of 3" isActive onChoose={onChoose} onBack={() => {}} />),
    );
    await r.waitForFrame('3 of 3 secrets');
    r.write(`pager${KEYS.down}${KEYS.enter}`);
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('staging/pagerduty'));
    r.unmount();
  });

  it('keeps what is typed while the list loads; Enter then waits for the list and takes the first match', async () => {
    const onChoose = vi.fn();
    const step = (secrets: Lookup<SecretListing>) =>
      sized(<SecretStep symptom="access-denied" secrets={secrets} plans={noPlans} position="2 of 3" isActive onChoose={onChoose} onBack={() => {}} />);
    const r = renderKeyed(step(loading));
    await r.waitForFrame('Listing the secrets');
    r.write(`prod/data${KEYS.enter}`);
    const waiting = await r.waitForFrame('chosen once the list is in');
    expect(waiting).toContain('Secret: prod/data');
    expect(onChoose).not.toHaveBeenCalled();
    // When the list arrives, the first match is chosen, not the half-typed text
    r.rerender(step(listed(names)));
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('prod/database'));
    expect(onChoose).toHaveBeenCalledTimes(1);
    r.unmount();
  });

  it('typing after that Enter cancels it; with no list to be had, Enter takes the text as typed', async () => {
    const onChoose = vi.fn();
    const step = (secrets: Lookup<SecretListing>) =>
      sized(<SecretStep symptom="access-denied" secrets={secrets} plans={noPlans} position="2 of 3" isActive onChoose={onChoose} onBack={() => {}} />);
    const r = renderKeyed(step(loading));
    await r.waitForFrame('Listing the secrets');
    r.write(`prod/data${KEYS.enter}x`);
    await r.waitForFrame('Secret: prod/datax');
    r.rerender(step(listed(names)));
    await r.waitForFrame('0 of 3 secrets');
    expect(r.frame()).not.toContain('chosen once the list is in');
    expect(onChoose).not.toHaveBeenCalled();
    r.unmount();
    const unavailable: Lookup<SecretListing> = { state: 'done', result: { available: false, reason: 'secretsmanager:ListSecrets is not allowed' } };
    const again = renderKeyed(step(loading));
    await again.waitForFrame('Listing the secrets');
    again.write(`other/secret${KEYS.enter}`);
    await again.waitForFrame('chosen once the list is in');
    again.rerender(step(unavailable));
    await vi.waitFor(() => expect(onChoose).toHaveBeenCalledWith('other/secret'));
    again.unmount();
  });
});

describe('the report, keys in one read', () => {
  it('ten ↓ scroll ten lines', async () => {
    const r = renderKeyed(
      sized(
        <ReportStep
          diagnosis={brokenDiagnosis()}
          fixes={['secret-policy']}
          isActive
          onContinue={() => {}}
          onBack={() => {}}
          onLeave={() => {}}
          onSave={() => {}}
        />,
        14,
      ),
    );
    await r.waitForFrame('lines 1-8 of');
    r.write(KEYS.down.repeat(10));
    await r.waitForFrame('lines 11-18 of');
    r.unmount();
  });
});

describe('a question that writes, keys in one read', () => {
  it('a paste with a "y" in it answers nothing; n alone then answers no', async () => {
    const onAnswer = vi.fn();
    const fix: FixState = {
      fix: 'secret-policy',
      ticket: 1,
      phase: 'review',
      includeCreator: false,
      events: [],
      writing: false,
      question: 'Apply this change to the resource policy of secret prod/pagerduty?',
    };
    const r = renderKeyed(
      sized(<FixStep fix={fix} position="1 of 1" more={false} isActive onCreator={() => {}} onAnswer={onAnswer} onNext={() => {}} onBack={() => {}} />),
    );
    await r.waitForFrame('y/N');
    r.write('yes, please');
    r.write('n');
    await vi.waitFor(() => expect(onAnswer).toHaveBeenCalled());
    expect(onAnswer.mock.calls[0]).toEqual([false]);
    r.unmount();
  });
});

describe('the wizard, keys in one read', () => {
  const presets = { symptom: 'incident-manager-secret' as const, secretId: SECRET, principal: CREATOR };
  function start() {
    const exits: WizardState[] = [];
    const r = renderKeyed(<App services={fakeServices()} presets={presets} size={{ columns: 100, rows: 40 }} onExit={(state) => exits.push(state)} />);
    return { ...r, exits };
  }

  it('Ctrl-C Ctrl-C leaves once, interrupted', async () => {
    const r = start();
    await r.waitForFrame('Which error do you see?');
    r.write('\u0003\u0003');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]!.exit).toEqual({ interrupted: true });
  });

  it('Enter then Ctrl-C: the answer is taken, then the wizard leaves', async () => {
    const r = start();
    await r.waitForFrame('Which error do you see?');
    r.write('\r\u0003');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
    expect(r.exits[0]).toMatchObject({ step: 'secret', exit: { interrupted: true } });
  });

  it('keys typed ahead of the next screen go to it: Enter, Ctrl-U and a filter', async () => {
    const r = start();
    await r.waitForFrame('Which error do you see?');
    r.write('\r\u0015pager');
    const frame = await r.waitForFrame('Secret: pager');
    expect(frame).toContain('staging/pagerduty');
    expect(frame).not.toContain('prod/database');
    r.write('\u0003');
    await vi.waitFor(() => expect(r.exits).toHaveLength(1));
  });
});
