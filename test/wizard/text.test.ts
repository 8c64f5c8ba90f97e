/** The wizard's text: wrapping to the terminal, the report (failures first), the diff, colour or none. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { painter } from '../../source/report/paint.js';
import { byConcern, diffLines, reportLines } from '../../source/wizard/text.js';
import { stripAnsi, wrap } from '../../source/report/layout.js';
import { secretChoices } from '../../source/wizard/secret-choices.js';
import { appliedLines } from '../../source/wizard/summary.js';
import { AFTER, BEFORE, brokenDiagnosis, diagnosis, finding } from '../ui/fixtures.js';

const ANSI = /\u001b\[/;

describe('wrap', () => {
  it('never makes a line wider than asked, and loses no word', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z:/.-]{1,60}$/), { maxLength: 30 }), fc.integer({ min: 10, max: 100 }), (words, width) => {
        const text = words.join(' ');
        const lines = wrap(text, width, '    ');
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(
          lines
            .map((l, i) => (i ? l.slice(4) : l))
            .join('')
            .replace(/ /g, ''),
        ).toBe(text.replace(/ /g, ''));
      }),
    );
  });

  it('indents continuation lines and keeps short text as it is', () => {
    expect(wrap('one two three four', 9, '  ')).toEqual(['one two', '  three', '  four']);
    expect(wrap('short', 80)).toEqual(['short']);
    expect(wrap('', 80)).toEqual(['']);
  });

  it('cuts a word longer than a line (an ARN, a path) where the line ends', () => {
    expect(wrap('Backup: /a/very/long/path/to/a/file.json', 20, '  ')).toEqual(['Backup: /a/very/long', '  /path/to/a/file.js', '  on']);
  });
});

describe('the report', () => {
  it('puts failures first, then unknowns and warnings (as the report model does), then the rest, in table order within each', () => {
    const d = diagnosis([
      finding('credentials', 'pass'),
      finding('secret-id', 'warn'),
      finding('secret-exists', 'fail'),
      finding('caller-permission', 'unknown'),
      finding('secret-policy-caller', 'fail'),
      finding('service-health', 'skip'),
    ]);
    expect(byConcern(d.findings).map((f) => f.id)).toEqual([
      'secret-exists',
      'secret-policy-caller',
      'caller-permission',
      'secret-id',
      'credentials',
      'service-health',
    ]);
  });

  it('opens on the headline and what to do first, then each problem with its details and labelled evidence; passes in one line', () => {
    const lines = reportLines(brokenDiagnosis(), 79, painter(false), { fixesFollow: true });
    const text = lines.join('\n');
    expect(lines.slice(0, 3).join('\n')).toMatch(/^Error: ValidationException[\s\S]*\n\d+ problems? found/);
    // What to do first comes before the first problem; a fix the wizard offers next is named, not given as a command line
    expect(text.indexOf('What to do first')).toBeLessThan(text.indexOf('FAIL    '));
    expect(text).toContain('  1. secret-policy-incident-manager: review and apply the secret-policy fix,\n     offered after this report.');
    expect(text).not.toContain('secrets-doctor fix');
    expect(text).toContain('FAIL    secret-policy-incident-manager  No statement');
    expect(text).toContain('        The policy has 1 statement(s).');
    expect(text).toContain('        evidence:\n          api: secretsmanager:GetResourcePolicy\n          statements: 1\n          decision: ImplicitlyDenied');
    expect(text).not.toMatch(/[{}]"/); // evidence as labelled lines, never raw JSON
    expect(lines.filter((l) => l.startsWith('PASS'))).toEqual([]);
    expect(text).toMatch(/\nPassed: credentials/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(79);
  });

  it('gives the command line of a fix where the wizard offers none (a report opened from the many-secrets list)', () => {
    const text = reportLines(brokenDiagnosis(), 200, painter(false)).join('\n');
    expect(text).toMatch(/\n {5}secrets-doctor fix --symptom incident-manager-secret --secret-id prod\/pagerduty .*--fixes secret-policy\n/);
    expect(text).toContain('  1. secret-policy-incident-manager: Add the Incident Manager statement to the resource policy.');
    expect(text).not.toContain('offered after this report');
  });

  it('paints only with colour on (NO_COLOR, --no-color: none)', () => {
    expect(reportLines(brokenDiagnosis(), 79, painter(false)).some((l) => ANSI.test(l))).toBe(false);
    expect(reportLines(brokenDiagnosis(), 79, painter(true)).some((l) => l.includes('\u001b[31mFAIL'))).toBe(true);
  });
});

describe('the diff', () => {
  it('shows added lines with + (green with colour), context with two spaces, nothing wider than the screen', () => {
    const lines = diffLines(BEFORE, AFTER, 79, painter(false));
    expect(lines).toContain('+       "Sid": "AllowIncidentManagerToReadSecret",');
    expect(lines).toContain('        "Sid": "AllowLambda",');
    expect(lines.filter((l) => l.startsWith('- '))).toEqual([]);
    for (const line of diffLines(BEFORE, AFTER, 30, painter(false))) expect(line.length).toBeLessThanOrEqual(30);
    const coloured = diffLines(BEFORE, AFTER, 79, painter(true));
    expect(coloured.find((l) => l.includes('AllowIncidentManagerToReadSecret'))).toMatch(/^\u001b\[32m\+ /);
    expect(coloured.map(stripAnsi)).toEqual(lines);
  });
});

describe('secret choices', () => {
  const listing = {
    region: 'us-east-1',
    truncated: false,
    secrets: ['prod/pagerduty', 'prod/pagerduty-old', 'other'].map((name) => ({
      name,
      arn: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
    })),
  };

  it('matches names and ARNs case-insensitively, an exact name first, and offers the text as typed otherwise', () => {
    expect(secretChoices('PAGER', listing, undefined, 80).map((c) => c.secretId)).toEqual(['prod/pagerduty', 'prod/pagerduty-old', 'PAGER']);
    expect(secretChoices('prod/pagerduty', listing, undefined, 80).map((c) => c.secretId)).toEqual(['prod/pagerduty', 'prod/pagerduty-old']);
    expect(secretChoices('', listing, undefined, 80)).toHaveLength(3);
  });

  it('lists the secrets response plans use first, once, with the plans named', () => {
    const plans = {
      region: 'us-east-1',
      plans: 2,
      unreadable: 0,
      truncated: false,
      references: [
        { secretId: 'other', planName: 'p1', planArn: 'a1' },
        { secretId: 'other', planName: 'p2', planArn: 'a2' },
      ],
    };
    const choices = secretChoices('', listing, plans, 80);
    expect(choices.map((c) => c.label)).toEqual(['other  (response plan "p1", "p2")', 'prod/pagerduty', 'prod/pagerduty-old']);
  });
});

describe('the summary', () => {
  it('gives an applied fix its backup and undo command, unwrapped when asked (to copy)', () => {
    const undo = `secrets-doctor restore-policy --secret-id ${'x'.repeat(90)} --from /tmp/b.json`;
    const lines = appliedLines([{ fix: 'secret-policy', status: 'applied', message: '', verified: true, backup: '/tmp/b.json', undo }], 0, painter(false));
    expect(lines).toEqual(['secret-policy: applied, verified', '  Backup: /tmp/b.json', `  Undo:   ${undo}`]);
  });
});
