/**
 * The wizard's layout at 60x20, 80x24 and 200x50, with wide (CJK, emoji) and combining characters in the
 * names: every screen's live area stays below the terminal's height (one taller makes Ink clear the
 * screen, and its top scrolls away) and within its width; the fix screen keeps its title, its diff and its
 * question; the many-secrets list keeps its columns; long lists say how much is above and below them.
 * Assertions on the text of the frames, measured in display columns (string-width).
 */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { Box } from 'ink';
import { App } from '../../source/ui/App.js';
import { ScreenContext } from '../../source/ui/context.js';
import { ActionStep } from '../../source/ui/ActionStep.js';
import { ChecksStep } from '../../source/ui/ChecksStep.js';
import { FixStep } from '../../source/ui/FixStep.js';
import { KmsKeyStep } from '../../source/ui/KmsKeyStep.js';
import { ManyListStep } from '../../source/ui/ManyListStep.js';
import { SecretStep } from '../../source/ui/SecretStep.js';
import { countColumns, manyRow, SECRETS_MANAGER_ACTIONS } from '../../source/wizard/choices.js';
import { graphemes } from '../../source/report/layout.js';
import type { FixEvent, Proposal } from '../../source/fixes/protocol.js';
import type { FixState, Lookup } from '../../source/wizard/state.js';
import type { KmsKeyListing, SecretListing } from '../../source/facts/discovery.js';
import type { Diagnosis } from '../../source/diagnose.js';
import { painter } from '../../source/report/paint.js';
import { CHECK_IDS } from '../../source/types.js';
import { KEYS, plain, render } from '../helpers/render.js';
import { brokenDiagnosis, changeRequest, CREATOR, diagnosis, fakeServices, finding, healthyDiagnosis, RSA_KEY } from './fixtures.js';

const SIZES = [
  [60, 20],
  [80, 24],
  [200, 50],
] as const;

/** Names with wide and combining characters: CJK, Hangul, emoji (one with a skin tone), e + U+0301. */
const WIDE = [
  'prod/本番パスワード',
  'prod/生产数据库密码很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长',
  'team/한국어-비밀',
  'team/🔑-keys-👍🏽',
  'e\u0301quipe/cafe\u0301-re\u0301sume\u0301',
  'ops/an-ascii-name-long-enough-to-be-cut-at-every-width-this-test-uses-and-then-some-more-text-to-be-sure',
];

/** The lines of the live area: from the last line that starts with `title` (what is printed above it is kept, not live). */
function live(frame: string, title: string): string[] {
  const lines = plain(frame).split('\n');
  const at = lines.map((l) => l.startsWith(title)).lastIndexOf(true);
  expect(at, `no line starts with ${JSON.stringify(title)} in:\n${plain(frame)}`).toBeGreaterThanOrEqual(0);
  return lines.slice(at);
}

/** The live area fits the terminal: below its last row, within its width (App lays out in columns - 1). */
function expectFits(lines: string[], columns: number, rows: number) {
  expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(columns - 1);
}

const screenOf = (columns: number, rows: number) => ({ width: columns - 1, height: rows, paint: painter(false), color: false, keysReady: true });
/** A step on its own, laid out as App lays it out (ink-testing-library's own terminal is 100 columns). */
const at = (columns: number, rows: number, tree: ReactElement) =>
  render(
    <ScreenContext.Provider value={screenOf(columns, rows)}>
      <Box flexDirection="column" width={columns - 1}>
        {tree}
      </Box>
    </ScreenContext.Provider>,
  );

/** A key policy of several statements, and the same with Incident Manager's: a diff longer than 20 rows. */
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const statement = (sid: string, principal: unknown) => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: principal,
  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  Resource: '*',
});
const BEFORE = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [statement('Root', { AWS: 'arn:aws:iam::123456789012:root' }), statement('Lambda', { Service: 'lambda.amazonaws.com' })],
});
const AFTER = JSON.stringify({
  ...JSON.parse(BEFORE),
  Statement: [...JSON.parse(BEFORE).Statement, statement('AllowIncidentManagerToUseTheKey', { Service: 'ssm-incidents.amazonaws.com' })],
});

function bigFixes() {
  const services = fakeServices({ secrets: WIDE });
  services.planFix = async (_inputs, fix) => ({
    kind: 'change',
    fix,
    request: {
      ...changeRequest(fix as 'secret-policy'),
      before: BEFORE,
      after: AFTER,
      description: `add "AllowIncidentManagerToUseTheKey" to the key policy of key ${KEY_ARN}, which the secret ${WIDE[0]} is encrypted with`,
    },
  });
  return services;
}

describe('every screen of the flow fits the terminal', () => {
  for (const [columns, rows] of SIZES) {
    it(`at ${columns}x${rows}: questions, report, each fix (title, diff and question in sight) and the summary`, async () => {
      const r = render(
        <App services={bigFixes()} presets={{ symptom: 'incident-manager-secret', secretId: WIDE[0], principal: CREATOR }} size={{ columns, rows }} />,
      );
      const screen = async (title: string, ready: string) => live(await r.waitForFrame((f) => plain(f).includes(ready) && plain(f).includes(title)), title);

      expectFits(await screen('Which error do you see?', 'Ctrl-C quit'), columns, rows);
      await r.press(KEYS.enter);
      const secret = await screen('Which secret?', 'Ctrl-C quit');
      expectFits(secret, columns, rows);
      expect(secret.join('\n')).toContain(`❯ ${WIDE[0]}`);
      await r.press(KEYS.enter);
      expectFits(await screen('Whose permissions?', 'Ctrl-C quit'), columns, rows);
      await r.press(KEYS.enter);
      expectFits(await screen("Also check the secret value's format?", 'Ctrl-C quit'), columns, rows);
      await r.press(KEYS.enter);
      expectFits(await screen('Report', 'Ctrl-C quit'), columns, rows);
      await r.press(KEYS.enter);

      // The fix: its title, the start of its description, diff lines and the question, all in sight
      const review = await screen('Fix 1 of 2: secret-policy', 'y/N');
      expectFits(review, columns, rows);
      expect(review[1]).toMatch(/^To add "AllowIncidentManagerToUseTheKey"/);
      expect(review.filter((l) => /^[+-] /.test(l)).length).toBeGreaterThanOrEqual(3);
      expect(review.join(' ')).toMatch(/Apply this change to the resource policy of secret\s+prod\/pagerduty\? y\/N/);
      expect(review.join('\n')).toContain('Esc back to the report');
      if (rows < 50) {
        // The diff scrolls within its rows; the title and the question stay
        const position = review.find((l) => l.startsWith('lines '))!;
        expect(position).toMatch(/^lines \d+-\d+ of \d+/);
        await r.press(KEYS.down);
        const scrolled = await screen('Fix 1 of 2', 'y/N');
        expect(scrolled.find((l) => l.startsWith('lines '))).not.toBe(position);
        expectFits(scrolled, columns, rows);
      }
      await r.press('y');
      const done = await screen('Fix 1 of 2', 'Enter next fix');
      expectFits(done, columns, rows);
      expect(done.join(' ').replace(/\s+/g, ' ')).toContain('Undo: secrets-doctor restore-policy');
      await r.press(KEYS.enter);
      expectFits(await screen('Fix 2 of 2: key-policy', 'y/N'), columns, rows);
      await r.press('n');
      await r.waitForFrame('Enter summary');
      await r.press(KEYS.enter);
      expectFits(await screen('Summary', 'Enter or q quit'), columns, rows);
      r.unmount();
    });
  }
});

describe('the fix screen at 60x20', () => {
  const base: FixState = { fix: 'key-policy', ticket: 1, phase: 'review', includeCreator: false, events: [], writing: false };
  const change: Proposal = {
    fix: 'key-policy',
    kind: 'key-policy',
    label: 'the key policy',
    name: KEY_ARN,
    description: `add "AllowIncidentManagerToUseTheKey" to the key policy of key ${KEY_ARN} (${WIDE[0]})`,
    before: BEFORE,
    after: AFTER,
  };

  it('keeps the title and the question when the description and the progress are long; the diff takes the rest', async () => {
    const events: FixEvent[] = Array.from({ length: 6 }, (_, i) => ({
      type: 'backed-up',
      path: `/var/tmp/b${i}/secrets-doctor/backups/${WIDE[1]}/key-policy.json`,
    }));
    const fix: FixState = {
      ...base,
      proposal: { ...change, description: change.description.repeat(3) },
      events,
      question: `Apply this change to the key policy of key ${KEY_ARN}?`,
    };
    const r = at(
      60,
      20,
      <FixStep fix={fix} position="2 of 2" more={false} isActive onCreator={() => {}} onAnswer={() => {}} onNext={() => {}} onBack={() => {}} />,
    );
    const lines = live(await r.waitForFrame('y/N'), 'Fix 2 of 2: key-policy');
    expectFits(lines, 60, 20);
    expect(lines.join(' ')).toMatch(/Apply this change to the key policy of key\s+arn:aws:kms/);
    expect(lines.some((l) => /^lines \d+-\d+ of \d+/.test(l))).toBe(true);
    expect(lines.filter((l) => /^[+-] |^ {2}/.test(l)).length).toBeGreaterThanOrEqual(3);
    // (the description and the progress gave up lines: cut with an ellipsis, the newest progress kept)
    expect(lines.some((l) => l.endsWith('…'))).toBe(true);
    expect(lines.join('\n')).toContain('Backup: /var/tmp/b5/');
    expect(lines.join('\n')).not.toContain('/var/tmp/b0/');
  });

  it('fits while planning and while applying', async () => {
    for (const fix of [
      { ...base, phase: 'planning' as const },
      {
        ...base,
        proposal: change,
        phase: 'applying' as const,
        writing: true,
        events: [{ type: 'backed-up', path: '/tmp/b.json' }, { type: 'writing' }] as FixEvent[],
      },
    ]) {
      const r = at(
        60,
        20,
        <FixStep fix={fix} position="1 of 1" more={false} isActive onCreator={() => {}} onAnswer={() => {}} onNext={() => {}} onBack={() => {}} />,
      );
      expectFits(live(await r.waitForFrame('Ctrl-C'), 'Fix 1 of 1'), 60, 20);
      r.unmount();
    }
  });
});

describe('wide and combining characters keep the columns of the many-secrets list', () => {
  const results: Diagnosis[] = WIDE.map((name, i) => {
    const d = i === 1 ? diagnosis(Array.from({ length: 12 }, () => finding('secret-exists', 'fail'))) : i % 2 ? brokenDiagnosis() : healthyDiagnosis();
    return { ...d, input: { ...d.input, secretId: name } };
  });

  /** The name as shown, and the display column of " fail ·" (the counts are right-aligned before it). */
  function split(row: string): { name: string; column: number } {
    return { name: row.slice(0, row.search(/ +\d+ fail · /)), column: stringWidth(row.slice(0, row.indexOf(' fail · '))) };
  }

  it('manyRow: every row as wide as asked, the counts at one column, a name cut at a whole character', () => {
    const digits = countColumns(results);
    for (const width of [58, 78, 198]) {
      const rows = results.map((d) => manyRow(d, width, digits));
      for (const row of rows) expect(stringWidth(row), row).toBe(width);
      expect(new Set(rows.map((row) => split(row).column)).size, rows.join('\n')).toBe(1);
      rows.forEach((row, i) => {
        const shown = split(row).name.trimEnd();
        if (shown.endsWith('…')) {
          // A prefix of the name's characters (graphemes), never half of one
          const kept = graphemes(shown.slice(0, -1));
          expect(graphemes(WIDE[i]!).slice(0, kept.length)).toEqual(kept);
        } else expect(shown).toBe(WIDE[i]);
      });
    }
  });

  for (const [columns, rows] of SIZES) {
    it(`the list at ${columns}x${rows}: the counts line up, the list fits, and says what is out of sight`, async () => {
      const many = { source: 'all' as const, secretIds: WIDE, done: WIDE.length, failing: 3, results, finished: true, focus: 0 };
      const r = at(columns, rows, <ManyListStep many={many} isActive onOpen={() => {}} onBack={() => {}} onLeave={() => {}} />);
      const lines = live(await r.waitForFrame('worst first'), `${WIDE.length} secrets checked`);
      expectFits(lines, columns, rows);
      const listed = lines.filter((l) => / fail · .* unknown$/.test(l));
      expect(new Set(listed.map((l) => split(l).column)).size, listed.join('\n')).toBe(1);
      const below = lines.find((l) => l.includes('more below'));
      expect(below ? listed.length + Number(below.match(/(\d+) more below/)![1]) : listed.length).toBe(WIDE.length);
    });
  }
});

describe('long lists say how many options are out of sight, above and below', () => {
  const names = Array.from({ length: 30 }, (_, i) => `app/secret-${String(i).padStart(2, '0')}-${WIDE[i % WIDE.length]!.slice(0, 12)}`);
  const listing: Lookup<SecretListing> = {
    state: 'done',
    result: {
      available: true,
      value: {
        region: 'us-east-1',
        truncated: false,
        secrets: names.map((name) => ({ name, arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf` })),
      },
    },
  };
  const counts = (lines: string[]) => ({
    above: Number(lines.join('\n').match(/↑ (\d+) more above/)?.[1] ?? 0),
    below: Number(lines.join('\n').match(/↓ (\d+) more below/)?.[1] ?? 0),
    shown: lines.filter((l) => /^(❯ | {2})(app\/|All )/.test(l)).length,
  });

  for (const [columns, rows] of SIZES) {
    it(`the secret list at ${columns}x${rows}: "more below", then "more above" after PgDn; the counts add up`, async () => {
      const r = at(
        columns,
        rows,
        <SecretStep
          symptom="access-denied"
          secrets={listing}
          plans={{ state: 'loading' }}
          position="step 2 of 3"
          isActive
          onChoose={() => {}}
          onMany={() => {}}
          onBack={() => {}}
        />,
      );
      const first = live(await r.waitForFrame('more below'), 'Which secret?');
      expectFits(first, columns, rows);
      const top = counts(first);
      expect(top).toMatchObject({ above: 0 });
      expect(top.shown + top.below).toBe(names.length + 1); // the secrets and "All 30 secrets"
      await r.press(KEYS.pageDown, KEYS.pageDown);
      const next = live(await r.waitForFrame('more above'), 'Which secret?');
      expectFits(next, columns, rows);
      const moved = counts(next);
      expect(moved.above).toBeGreaterThan(0);
      expect(moved.above + moved.shown + moved.below).toBe(names.length + 1);
      await r.press(...Array.from({ length: 40 }, () => KEYS.down));
      const end = live(await r.waitForFrame((f) => plain(f).includes(`❯ ${names[29]}`)), 'Which secret?');
      expect(counts(end)).toMatchObject({ below: 0 });
      expect(end.join('\n')).not.toContain('more below');
    });
  }

  it('the operations and the keys say so too', async () => {
    const ops = at(80, 24, <ActionStep position="step 2 of 5" isActive onChoose={() => {}} onBack={() => {}} />);
    const opLines = live(await ops.waitForFrame('more below'), 'Which operation was denied?');
    expectFits(opLines, 80, 24);
    const operations = opLines.filter((l) => /^(❯ | {2})[A-Z]/.test(l)).length;
    expect(operations + counts(opLines).below).toBe(SECRETS_MANAGER_ACTIONS.length);
    const keys = Array.from({ length: 15 }, (_, i) => ({
      ...RSA_KEY,
      keyId: `key-${i}`,
      arn: `${RSA_KEY.arn}-${i}`,
      aliases: [`alias/key-${i}-${WIDE[i % 3]!.slice(5, 9)}`],
    }));
    const listingKeys: Lookup<KmsKeyListing> = {
      state: 'done',
      result: { available: true, value: { region: 'us-east-1', keys, listed: 15, awsManaged: 0, notDescribed: 0, truncated: false } },
    };
    const k = at(60, 20, <KmsKeyStep keys={listingKeys} position="step 2 of 2" isActive onChoose={() => {}} onBack={() => {}} />);
    const keyLines = live(await k.waitForFrame('more below'), 'Which KMS key');
    expectFits(keyLines, 60, 20);
    const below = Number(keyLines.join('\n').match(/↓ (\d+) more below/)![1]);
    expect(keyLines.filter((l) => /^(❯ | {2})alias\/key-/.test(l)).length + below).toBe(15);
  });
});

describe('the live checks fit: past the rows, how many more are running', () => {
  for (const [columns, rows] of SIZES) {
    it(`every check of "not sure" running at ${columns}x${rows}`, async () => {
      const checks = CHECK_IDS.map((id) => ({ id, title: `title of ${id} ${WIDE[0]}` }));
      const r = at(columns, rows, <ChecksStep rows={checks} isActive onBack={() => {}} />);
      const frame = plain(await r.waitForFrame('Ctrl-C quit')).split('\n');
      expectFits(frame, columns, rows);
      const spinning = frame.filter((l) => /title of /.test(l)).length;
      const more = Number(frame.join('\n').match(/and (\d+) more checks running/)?.[1] ?? 0);
      expect(spinning + more).toBe(CHECK_IDS.length);
    });
  }
});
