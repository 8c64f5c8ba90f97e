/**
 * Nothing from outside reaches a terminal raw (SPEC.md, "Hostile input and malformed answers"), whatever
 * Unicode a name, a Sid, a summary or an AWS message holds: control (C0, DEL, C1), bidirectional, line
 * separators, lone surrogates, wide, combining, emoji. Every renderer of every front-end is fed such text:
 * the diagnose/fix text report, the wizard's report lines and its Ink screens, the --plain pieces (choices,
 * rows, results), the diff of a policy, --json and the error sentences. None may let a hidden character
 * through (only the renderer's own newlines and colours), and the wizard's lines keep within their width.
 */
import fc from 'fast-check';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../source/diagnose.js';
import { classify, sentence } from '../../source/aws/errors.js';
import { documentDiff } from '../../source/fixes/diff.js';
import { renderReport } from '../../source/report/text.js';
import { painter, type Paint } from '../../source/report/paint.js';
import { toJsonLine } from '../../source/report/json.js';
import { TITLES } from '../../source/checks/index.js';
import { Printed } from '../../source/ui/ChecksStep.js';
import { ScreenContext } from '../../source/ui/context.js';
import { ReportStep } from '../../source/ui/ReportStep.js';
import { kmsKeyChoices, manyRow } from '../../source/wizard/choices.js';
import { secretChoices } from '../../source/wizard/secret-choices.js';
import { appliedLines, afterLines, resultLines } from '../../source/wizard/summary.js';
import { diffLines, reportLines } from '../../source/wizard/text.js';
import { truncate, wrap } from '../../source/report/layout.js';
import { guardTerminal } from '../../source/visible.js';
import type { Finding, Status } from '../../source/types.js';
import { render } from '../helpers/render.js';

/** Any character a terminal acts on or hides, or that is no character at all (a lone surrogate). */
// eslint-disable-next-line no-control-regex
const RAW =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200e\u200f\u202a-\u202e\u2066-\u206f\u2028\u2029]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** The colours the tool's painter writes, and Ink's own (bold, dim, colours): the only escapes allowed. */
const OWN_SGR = /\u001b\[(?:0|1|2|22|3[0-7]|39|90)m/g;
const rawIn = (text: string) => RAW.exec(text)?.[0];

/** Checks each line of rendered output: no raw character once the renderer's own newlines and colours are set aside. */
function expectNothingRaw(output: string, ownColours = true): void {
  for (const line of output.split('\n')) {
    const bare = ownColours ? line.replace(OWN_SGR, '') : line;
    expect(rawIn(bare), JSON.stringify(line)).toBeUndefined();
  }
}

const HOSTILE = [
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[2J',
  '\u001b[8m',
  '\u001b[32mPASS\u001b[0m',
  '\u001b]0;pwned\u0007',
  '\u001b]8;;http://x\u001b\\',
  '\u007f',
  '\u0085',
  '\u009b31m',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u2069',
  '\u200f',
  '\u061c',
  '\u2028',
  '\ufeff',
  '\u00ad',
  'ok\u{e0041}\u{e0042}',
  '\ud800',
  '\udfff',
  '秘密の鍵',
  'ｗｉｄｅ',
  'e\u0301',
  'a\u0308\u0301',
  '👍🏽',
  '👨‍👩‍👧',
  '🇫🇷',
  ' ',
  '  ',
  'PASS',
  'arn:aws:iam::123456789012:role/a-rather-long-role-name-that-does-not-fit',
];

/** Text from outside: pieces of hostile, arbitrary and lone-surrogate text. */
const outside = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.string({ unit: 'grapheme-ascii', maxLength: 10 }),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

const STATUSES: Status[] = ['pass', 'fail', 'warn', 'unknown', 'skip'];
const finding: fc.Arbitrary<Finding> = fc.record({
  id: fc.constantFrom(...(Object.keys(TITLES) as Finding['id'][])),
  title: outside,
  status: fc.constantFrom(...STATUSES),
  summary: outside,
  details: fc.array(outside, { maxLength: 2 }),
  evidence: fc.dictionary(outside, fc.oneof(outside, fc.array(outside, { maxLength: 2 }), fc.record({ sid: outside })), { maxKeys: 2 }),
  remediation: outside,
});

const diagnosis: fc.Arbitrary<Diagnosis> = fc
  .record({
    findings: fc.array(finding, { minLength: 1, maxLength: 4 }),
    secretId: fc.option(outside, { nil: null }),
    principal: fc.option(outside, { nil: null }),
    identity: fc.option(outside, { nil: undefined }),
  })
  .map(({ findings, secretId, principal, identity }) => ({
    schemaVersion: 1 as const,
    symptom: 'access-denied' as const,
    input: { secretId, region: 'us-east-1', principal },
    identity: identity === undefined ? null : { arn: identity, account: '123456789012', type: 'user' },
    findings,
    summary: Object.fromEntries(STATUSES.map((s) => [s, findings.filter((f) => f.status === s).length])) as Record<Status, number>,
  }));

const width = fc.integer({ min: 60, max: 100 });
const paints: [string, Paint][] = [
  ['colour', painter(true)],
  ['no colour', painter(false)],
];

/** Lines of the wizard: nothing raw, and no wider than `columns`. */
function expectFits(lines: string[], columns: number): void {
  for (const line of lines) {
    expectNothingRaw(line);
    expect(stringWidth(line.replace(OWN_SGR, '')), JSON.stringify(line)).toBeLessThanOrEqual(columns);
  }
}

describe('the text report (diagnose, fix)', () => {
  it('shows no raw character, in colour or not, verbose or not', () => {
    fc.assert(
      fc.property(diagnosis, fc.boolean(), fc.boolean(), (d, color, verbose) => {
        expectNothingRaw(renderReport(d, { color, verbose }));
      }),
      { numRuns: 300 },
    );
  });
});

describe("the wizard's and --plain's text", () => {
  it('wrap and truncate show no raw character and keep to the width, wide and combining text included', () => {
    fc.assert(
      fc.property(outside, fc.integer({ min: 2, max: 100 }), (text, columns) => {
        expectFits(wrap(text, columns), columns);
        // (a character two columns wide needs a room of two beside the indent)
        if (columns >= 4) expectFits(wrap(`  ${text}`, columns, '  '), columns);
        expectFits([truncate(text, columns)], columns);
      }),
      { numRuns: 500 },
    );
  });

  it('wrap keeps every printable character of the text, in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 2, max: 40 }), (text, columns) => {
        const printable = text.replace(/\s/g, '');
        fc.pre(!RAW.test(text) && !/[\u200b\u2060-\u2065\ufeff]/.test(text));
        expect(wrap(text, columns).join('').replace(/\s/g, '')).toBe(printable);
      }),
      { numRuns: 300 },
    );
  });

  it('the report lines show no raw character and keep to the width', () => {
    fc.assert(
      fc.property(diagnosis, width, fc.constantFrom(...paints), (d, columns, [, paint]) => {
        expectFits(reportLines(d, columns, paint), columns);
        expectFits(afterLines(d, columns, paint), columns);
      }),
      { numRuns: 200 },
    );
  });

  it('a diff of policies with hostile Sids and values shows no raw character and keeps to the width', () => {
    const policy = fc
      .array(fc.record({ Sid: outside, Effect: fc.constantFrom('Allow', 'Deny'), Resource: outside }), { maxLength: 3 })
      .map((Statement) => JSON.stringify({ Version: '2012-10-17', Statement }));
    fc.assert(
      fc.property(fc.option(policy, { nil: null }), fc.option(policy, { nil: null }), width, (before, after, columns) => {
        expectFits(diffLines(before, after, columns, painter(true)), columns);
        expectNothingRaw(documentDiff(before, after, painter(true)));
      }),
      { numRuns: 200 },
    );
  });

  it("--plain's choices, rows and results show no raw character, and its rows keep to the width", () => {
    const applied = fc.record({
      fix: fc.constantFrom('secret-policy' as const, 'key-policy' as const),
      status: fc.constantFrom('applied' as const, 'failed' as const, 'declined' as const, 'skipped' as const),
      message: outside,
      backup: fc.option(outside, { nil: undefined }),
      undo: fc.option(outside, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(outside, { minLength: 1, maxLength: 4 }), outside, diagnosis, applied, width, (names, term, d, a, columns) => {
        const listing = { region: 'us-east-1', secrets: names.map((name) => ({ name, arn: `arn:${name}` })), truncated: false };
        const plans = { region: 'us-east-1', references: names.map((secretId) => ({ secretId, planName: term })), plans: 1, unreadable: 0, truncated: false };
        for (const c of secretChoices(term, listing, plans as never, columns)) expectFits([c.label], columns);
        const keys = {
          region: 'us-east-1',
          keys: names.map((n) => ({ keyId: n, arn: `arn:${n}`, aliases: [`alias/${n}`], spec: n, state: n })),
          listed: 1,
          awsManaged: 0,
          notDescribed: 0,
          truncated: false,
        };
        for (const c of kmsKeyChoices(term, keys as never, undefined, columns)) expectFits([c.label], columns);
        expectFits([manyRow(d, columns)], columns);
        expectFits(resultLines(a, columns, painter(true)), columns);
        expectNothingRaw(appliedLines([a], 0, painter(true)).join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});

describe("the wizard's Ink screens", () => {
  const screen = (columns: number) => ({ width: columns, height: 40, paint: painter(true), color: true, keysReady: true });

  it('the report screen and the finished check rows show no raw character and keep to the width', async () => {
    await fc.assert(
      fc.asyncProperty(diagnosis, width, async (d, columns) => {
        const r = render(
          <ScreenContext.Provider value={screen(columns)}>
            <Box width={columns} flexDirection="column">
              <Printed
                items={[
                  { kind: 'title', key: 't', secretId: d.input.secretId ?? undefined, symptom: d.symptom },
                  ...d.findings.map((f, i) => ({ kind: 'finding' as const, key: `f${i}`, finding: f })),
                ]}
              />
              <ReportStep diagnosis={d} fixes={[]} isActive onContinue={() => {}} onBack={() => {}} onLeave={() => {}} onSave={() => {}} />
            </Box>
          </ScreenContext.Provider>,
        );
        try {
          const frame = await r.waitForFrame('Report');
          expectFits(frame.split('\n'), columns);
        } finally {
          r.unmount();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('--json', () => {
  it('has no raw C1, DEL or bidirectional character, and parses to the same strings', () => {
    fc.assert(
      fc.property(diagnosis, (d) => {
        const line = toJsonLine(d);
        expect(line.endsWith('\n')).toBe(true);
        expectNothingRaw(line.slice(0, -1), false);
        // Lone surrogates become U+FFFD through any UTF-8 output anyway; every other string is kept exactly.
        expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(d)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('error sentences and the last guard', () => {
  it("a sentence built from AWS's error code and message shows no raw character", () => {
    fc.assert(
      fc.property(outside, outside, fc.constantFrom(undefined, 400, 403, 404, 500), (name, message, status) => {
        const problem = classify({ name, message, ...(status ? { $metadata: { httpStatusCode: status } } : {}) });
        expectNothingRaw(sentence(problem, 'dev'), false);
      }),
      { numRuns: 300 },
    );
  });

  it('the guard on stdout and stderr lets nothing raw through but its own colours and newlines', () => {
    fc.assert(
      fc.property(outside, (text) => {
        const guarded = guardTerminal(text);
        // What is left of an escape is the tool's own colour only; a leading carriage return (progress) may stay.
        expectNothingRaw(guarded.replace(/^\r/, ''));
      }),
      { numRuns: 500 },
    );
  });
});

describe('error codes that are names of Object.prototype', () => {
  it('an error code such as constructor or __proto__ is an ordinary, visible sentence', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(sentence(classify({ name, message: 'm' }))).toBe(`${name}: m`);
    }
  });
});
