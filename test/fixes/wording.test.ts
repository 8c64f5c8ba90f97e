/**
 * The fix protocol's events in words (fixes/wording.ts), which the fix and restore-policy commands, the
 * Ink wizard and --plain share: the sentences as they were when the protocol printed them itself, outside
 * text made visible, colour only from the Paint passed in.
 */
import { describe, expect, it } from 'vitest';
import type { FixEvent, Proposal } from '../../source/fixes/protocol.js';
import { activity, planHeadline, planText, progressLine, questionText } from '../../source/fixes/wording.js';
import { painter } from '../../source/report/paint.js';

const BEFORE = JSON.stringify({ Version: '2012-10-17', Statement: [] });
const AFTER = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'IM', Effect: 'Allow' }] });

const change: Proposal = {
  fix: 'secret-policy',
  kind: 'secret-policy',
  label: 'the resource policy of secret prod/pagerduty',
  name: 'prod/pagerduty',
  description: 'add "IM" to the resource policy of secret prod/pagerduty',
  before: BEFORE,
  after: AFTER,
};

const restore: Proposal = {
  fix: 'restore-secret',
  kind: 'secret-deletion',
  label: 'the scheduled deletion of secret prod/pagerduty',
  name: 'prod/pagerduty',
  description: 'cancel the scheduled deletion of prod/pagerduty',
  before: '2030-01-08T12:00:00.000Z',
  after: null,
};

describe('the plan (step 2)', () => {
  it('a document change: the fix and what it does, the label, then the diff', () => {
    expect(planText(change, painter(false))).toBe(
      [
        'secret-policy: add "IM" to the resource policy of secret prod/pagerduty',
        'the resource policy of secret prod/pagerduty:',
        '  {',
        '    "Version": "2012-10-17",',
        '-   "Statement": []',
        '+   "Statement": [',
        '+     {',
        '+       "Sid": "IM",',
        '+       "Effect": "Allow"',
        '+     }',
        '+   ]',
        '  }',
        '',
      ].join('\n'),
    );
  });

  it('colours only through the Paint: the title bold, added lines green, removed lines red', () => {
    const text = planText(change, painter(true));
    expect(text.split('\n')[0]).toBe('\u001b[1msecret-policy: add "IM" to the resource policy of secret prod/pagerduty\u001b[22m');
    expect(text).toContain('\u001b[32m+       "Sid": "IM",\u001b[39m');
    expect(text).toContain('\u001b[31m-   "Statement": []\u001b[39m');
  });

  it('restore-secret: the deletion it cancels, with RestoreSecret', () => {
    expect(planText(restore, painter(false))).toBe(
      'restore-secret: cancel the scheduled deletion of prod/pagerduty (DeletedDate 2030-01-08T12:00:00.000Z), with RestoreSecret.\n',
    );
    expect(planText(restore, painter(true))).toBe(
      '\u001b[1mrestore-secret: cancel the scheduled deletion of prod/pagerduty\u001b[22m (DeletedDate 2030-01-08T12:00:00.000Z), with RestoreSecret.\n',
    );
  });

  it('the wizards head it with a sentence', () => {
    expect(planHeadline(change)).toBe('To add "IM" to the resource policy of secret prod/pagerduty.');
    expect(planHeadline(restore)).toBe('To cancel the scheduled deletion of prod/pagerduty (DeletedDate 2030-01-08T12:00:00.000Z), with RestoreSecret.');
  });

  it('shows a hostile name as text, never as terminal codes', () => {
    const hostile = { ...restore, name: 'prod/\u001b[2Jx', description: 'cancel the scheduled deletion of prod/\u001b[2Jx' };
    for (const text of [planText(hostile, painter(false)), planHeadline(hostile), questionText(hostile)]) {
      expect(text).not.toContain('\u001b');
      expect(text).toContain('prod/\\x1b[2Jx');
    }
  });
});

describe('the question (step 5)', () => {
  it('names what changes; a restore says a deletion may have been deliberate', () => {
    expect(questionText(change)).toBe('Apply this change to the resource policy of secret prod/pagerduty?');
    expect(questionText(restore)).toBe('Restore prod/pagerduty? A deletion may have been deliberate.');
  });
});

describe('the progress lines', () => {
  it('words the events that were progress lines, as they were', () => {
    const lines: [FixEvent, string | undefined][] = [
      [{ type: 'remote-validation', result: { available: true, passed: true, messages: [] } }, 'Validated by AWS (ValidateResourcePolicy).'],
      [
        { type: 'remote-validation', result: { available: false, reason: 'KMS has no policy validation call.' } },
        'Remote validation not available: KMS has no policy validation call.',
      ],
      [{ type: 'backed-up', path: '/tmp/backups/secret-policy.json' }, 'Backup: /tmp/backups/secret-policy.json'],
      [{ type: 'written', waitSeconds: 60 }, 'Written. Verifying (up to 60 s)...'],
    ];
    for (const [event, line] of lines) expect(progressLine(event)).toBe(line);
  });

  it('leaves the rest to their own places: the plan, a refusal (the result says it), the write under way', () => {
    const silent: FixEvent[] = [
      { type: 'planned', proposal: change },
      { type: 'remote-validation', result: { available: true, passed: false, messages: ['x'] } },
      { type: 'rereading' },
      { type: 'writing' },
      { type: 'write-failed' },
      { type: 'verifying', attempt: 2 },
      { type: 'verified', passed: true, seconds: 1.2 },
    ];
    for (const event of silent) expect(progressLine(event)).toBeUndefined();
  });

  it("shows AWS's reason and the backup path as text", () => {
    expect(progressLine({ type: 'remote-validation', result: { available: false, reason: 'no\r\u001b[31mreason' } })).toBe(
      'Remote validation not available: no\\r\\x1b[31mreason',
    );
    expect(progressLine({ type: 'backed-up', path: '/tmp/\u202ebackup.json' })).toBe('Backup: /tmp/\\u202ebackup.json');
  });
});

describe('what is happening once agreed to (the spinner)', () => {
  it('follows the last event that says', () => {
    expect(activity([])).toBe('Re-reading before the write...');
    expect(activity([{ type: 'backed-up', path: '/b' }, { type: 'rereading' }])).toBe('Re-reading before the write...');
    expect(activity([{ type: 'rereading' }, { type: 'writing' }])).toBe('Writing...');
    expect(activity([{ type: 'writing' }, { type: 'write-failed' }])).toBe('Reading back after the failed write...');
    expect(activity([{ type: 'writing' }, { type: 'written', waitSeconds: 60 }])).toBe('Verifying...');
    expect(
      activity([
        { type: 'written', waitSeconds: 60 },
        { type: 'verifying', attempt: 3 },
      ]),
    ).toBe('Verifying...');
  });
});
