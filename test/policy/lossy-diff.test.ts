/**
 * "The diff did not show it": a document that JSON.parse would change (a duplicated Statement) is shown in
 * the fix's diff as it really is, every copy of the key, not as JSON.parse reads it.
 */
import { describe, expect, it } from 'vitest';
import { documentDiff } from '../../source/fixes/diff.js';
import { painter } from '../../source/report/paint.js';

const DENY = '{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}';
const OTHER = '{"Sid":"Other","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}';

describe('the diff of a document that does not survive parsing', () => {
  it('shows the first Statement (the Deny) that a rewrite would drop', () => {
    const before = `{"Version":"2012-10-17","Statement":[${DENY}],"Statement":[${OTHER}]}`;
    const after = JSON.stringify({ Version: '2012-10-17', Statement: [JSON.parse(OTHER)] }, null, 2);
    const diff = documentDiff(before, after, painter(false));
    expect(diff).toMatch(/^- +"Sid": "NoDelete",$/m);
    expect(diff).toMatch(/^- +"Effect": "Deny",$/m);
    expect(diff.match(/"Statement"/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps a long number as written', () => {
    const diff = documentDiff('{"n": 12345678901234567890}', '{"n": 1}', painter(false));
    expect(diff).toContain('-   "n": 12345678901234567890');
  });

  it('lays out a text with escaped quotes and empty containers without breaking tokens', () => {
    const diff = documentDiff('{"a":"x\\"}{,","a":[],"b":{}}', null, painter(false));
    expect(diff).toContain('"a": "x\\"}{,",');
    expect(diff).toContain('"a": [],');
    expect(diff).toContain('"b": {}');
  });
});
