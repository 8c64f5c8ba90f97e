/**
 * The questions as a person goes through them and back: the step count never changes on the way (it is
 * shown once it is settled), a list keeps its order after Esc and focuses the answer given, and after a
 * terminal resize the screen is drawn again from its top.
 */
import { describe, expect, it } from 'vitest';
import { App } from '../../source/ui/App.js';
import { printedText } from '../../source/ui/ChecksStep.js';
import { ChoiceList } from '../../source/ui/ChoiceList.js';
import { CHANGED, questionsFor, type Changed } from '../../source/wizard/state.js';
import { stepPosition } from '../../source/ui/step-position.js';
import { CLEAR_SCREEN } from '../../source/ui/use-redraw.js';
import { painter } from '../../source/report/paint.js';
import { SYMPTOMS } from '../../source/types.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { brokenDiagnosis, CREATOR, fakeServices, SECRET } from './fixtures.js';

/** "step N of M" → M; "step N" → undefined. */
const totalOf = (position: string) => (position.match(/ of (\d+)$/) ? Number(position.match(/ of (\d+)$/)![1]) : undefined);

describe('the step count', () => {
  it('never changes on the way through any symptom and answer: "of M" appears once settled, and is right', () => {
    for (const symptom of SYMPTOMS) {
      for (const changed of [undefined, ...CHANGED] as (Changed | undefined)[]) {
        const questions = questionsFor(symptom, changed);
        // Going forward: before the symptom is chosen, then with each answer given
        const positions = questions.map((q, i) => stepPosition(i === 0 ? {} : { symptom, changed: i > questions.indexOf('changed') ? changed : undefined }, q));
        for (const [i, p] of positions.entries()) expect(p).toMatch(new RegExp(`^step ${i + 1}( of \\d+)?$`));
        const totals = positions.map(totalOf).filter((t) => t !== undefined);
        expect(new Set(totals).size, `${symptom}, ${changed}: ${positions.join(' / ')}`).toBeLessThanOrEqual(1);
        if (totals.length) expect(totals[0]).toBe(questions.length);
        // The first question never claims a count: the answer decides it
        expect(positions[0]).toBe('step 1');
      }
    }
  });

  it('changes-not-visible: "step 2" at "What did you change?", then "of 4" for a value (the version is asked) and "of 3" otherwise', async () => {
    const r = render(<App services={fakeServices()} presets={{ principal: CREATOR }} size={{ columns: 80, rows: 24 }} />);
    const header = async (title: string) =>
      plain(await r.waitForFrame((f) => plain(f).includes(title) && plain(f).includes('Ctrl-C quit')))
        .split('\n')
        .find((l) => l.startsWith(title))!;
    expect(await header('Which error do you see?')).toBe('Which error do you see?  step 1');
    await r.press(KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    expect(await header('What did you change?')).toBe('What did you change?  step 2');
    await r.press(KEYS.enter); // the value
    const version = await header('Which version should be AWSCURRENT now?');
    expect(version, version).toMatch(/step 3 of 4$/);
    await r.press(KEYS.enter);
    expect(await header('Which secret?')).toMatch(/step 4 of 4$/);
    // Back to the question that decides, and another answer: the count is shown again once settled
    await r.press(KEYS.escape);
    await header('Which version should be AWSCURRENT now?');
    await r.press(KEYS.escape);
    expect(await header('What did you change?')).toBe('What did you change?  step 2');
    await r.press(KEYS.down, KEYS.enter); // the resource policy
    expect(await header('Which secret?')).toMatch(/step 3 of 3$/);
    // And back at the first question, no count is claimed (another symptom would change it)
    await r.press(KEYS.escape);
    await header('What did you change?');
    await r.press(KEYS.escape);
    expect(await header('Which error do you see?')).toBe('Which error do you see?  step 1');
  });
});

describe('a list keeps its order after Esc and focuses the answer given', () => {
  /** The rows of a list: the options, focused or not, in order. */
  const options = (frame: string) =>
    plain(frame)
      .split('\n')
      .filter((l) => /^(❯ | {2})\S/.test(l))
      .map((l) => ({ focused: l.startsWith('❯'), text: l.slice(2) }));

  it('the symptoms, and what was changed', async () => {
    const r = render(<App services={fakeServices()} presets={{}} size={{ columns: 100, rows: 30 }} />);
    const first = options(await r.waitForFrame('Ctrl-C quit'));
    expect(first[0]).toMatchObject({ focused: true });
    await r.press(KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    await r.waitForFrame('What did you change?');
    await r.press(KEYS.down, KEYS.enter); // the resource policy
    await r.waitForFrame('Which secret?');
    await r.press(KEYS.escape);
    const changed = options(await r.waitForFrame((f) => plain(f).includes('What did you change?') && plain(f).includes('Ctrl-C quit')));
    expect(changed.map((o) => o.text)[0]).toMatch(/^The value/);
    expect(changed.filter((o) => o.focused).map((o) => o.text)).toEqual(["The secret's resource policy"]);
    await r.press(KEYS.escape);
    const again = options(await r.waitForFrame((f) => plain(f).includes('Which error do you see?') && plain(f).includes('Ctrl-C quit')));
    // The same rows in the same order; only the focus moved, to the answer given
    expect(again.map((o) => o.text)).toEqual(first.map((o) => o.text));
    expect(again.filter((o) => o.focused).map((o) => o.text)).toEqual(["changes I make aren't always immediately visible"]);
    // Enter keeps it
    await r.press(KEYS.enter);
    await r.waitForFrame('What did you change?');
  });

  it('keys that arrive together act in turn: ↓ then Enter in one read chooses the next option', async () => {
    const chosen: string[] = [];
    const r = render(
      <ChoiceList options={['a', 'b', 'c'].map((v) => ({ value: v, label: `option ${v}` }))} focus="a" isActive onChoose={(v) => chosen.push(v)} />,
    );
    await r.waitForFrame('❯ option a');
    await r.press(KEYS.down + KEYS.down + KEYS.enter);
    expect(chosen).toEqual(['c']);
  });
});

describe('after a terminal resize', () => {
  it('clears the visible screen and prints the kept rows again at the new width, once the resize has settled', async () => {
    const services = fakeServices();
    // No fixed size: the App follows the terminal (ink-testing-library's, 100 columns)
    const r = render(<App services={services} presets={{ symptom: 'incident-manager-secret', secretId: SECRET, principal: CREATOR }} />);
    await r.waitForFrame('Which error do you see?');
    for (const q of ['Which secret?', 'Whose permissions?', "Also check the secret value's format?", 'Report']) {
      await r.press(KEYS.enter);
      await r.waitForFrame(q);
    }
    const writes = (r.stdout as unknown as { frames: string[] }).frames;
    const before = writes.length;
    // When the terminal says it was resized, twice in a row (a window dragged)
    r.stdout.emit('resize');
    r.stdout.emit('resize');
    const redraw = await waitForWrite(writes, before, (w) => w.startsWith(CLEAR_SCREEN));
    // Then one redraw: the screen cleared, the kept rows (the checks' title and rows), then the live frame
    expect(writes.slice(before).filter((w) => w.startsWith(CLEAR_SCREEN))).toHaveLength(1);
    const kept = printedText(
      [
        { key: '1:title', kind: 'title', symptom: 'incident-manager-secret', secretId: SECRET },
        ...brokenDiagnosis().findings.map((finding) => ({ key: `1:${finding.id}`, kind: 'finding' as const, finding })),
      ],
      99,
      painter(false),
    );
    // (Ink writes its frame after it: in a real terminal, see test/e2e/layout.test.ts)
    expect(redraw.startsWith(CLEAR_SCREEN + kept)).toBe(true);
  });
});

/** Waits (turns of the event loop, bounded) for a write after index `from` that `test` accepts. */
async function waitForWrite(writes: string[], from: number, test: (write: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const found = writes.slice(from).find(test);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`No such write within 5 s; the last: ${JSON.stringify(writes.at(-1)?.slice(0, 200))}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
