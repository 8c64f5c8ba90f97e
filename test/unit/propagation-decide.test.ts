/**
 * propagation's decision (source/checks/propagation/decide.ts): what the inputs ask to compare, when a read
 * settles the wait, and the verdict of the last read. No AWS: the reads are written out.
 *
 * Secrets Manager is eventually consistent (Secrets Manager User Guide, "Troubleshoot AWS Secrets
 * Manager", https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html: "Changes I make
 * aren't always immediately visible"): a read that does not show a version yet proves nothing. A version ID
 * has 32 to 64 characters (Secrets Manager API Reference, SecretVersionsListEntry.VersionId and
 * PutSecretValue.ClientRequestToken, https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html):
 * one outside that range can never match.
 */
import { describe, expect, it } from 'vitest';
import { cannotMatch, decidePropagation, planOf, settles, type Expectation } from '../../source/checks/propagation/decide.js';
import type { ChangeRead, Got, VersionRead } from '../../source/facts/index.js';

const V1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const V2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const versions = (...list: VersionRead[]): Got<ChangeRead> => ({ ok: true, value: { kind: 'versions', versions: list } });
const expectVersion = (versionId: string): Expectation => ({ mode: 'version', versionId });
const agree: Expectation = { mode: 'agree' };

describe('planOf: what the inputs ask to compare', () => {
  it('a value with --expect-version-id: the versions, compared with that ID (trimmed); --expect is then not needed', () => {
    expect(planOf({ expectVersionId: ` ${V2} `, expect: 'x' }, 'value')).toEqual({
      kind: 'versions',
      expectation: expectVersion(V2),
      notes: ['expect-not-needed'],
    });
  });

  it('a value with --expect: a digest only with --read-value (a trailing newline may go), else the versions agree', () => {
    const plan = planOf({ expect: 'secret\n', readValue: true }, 'value');
    expect(plan).toMatchObject({ kind: 'value-digest', expectation: { mode: 'digest' }, notes: ['digest-compared'] });
    expect('expectation' in plan && plan.expectation.mode === 'digest' && plan.expectation.digests).toHaveLength(2);
    expect(planOf({ expect: 'secret' }, 'value')).toEqual({ kind: 'versions', expectation: agree, notes: ['expect-needs-read-value'] });
  });

  it('a policy: the document, key order aside; metadata: the fields, Tags as a map; not JSON is a skip', () => {
    const plan = planOf({ expect: '{"Statement":{"Sid":"A","Effect":"Allow"},"Version":"2012-10-17"}', expectVersionId: V1 }, 'resource-policy');
    expect(plan).toMatchObject({ kind: 'resource-policy', expectation: { mode: 'document', statements: ['"A"'] }, notes: ['version-id-ignored'] });
    expect(planOf({ expect: '{"Tags":[{"Key":"team","Value":"ops"}]}' }, 'metadata')).toMatchObject({
      expectation: { mode: 'fields', fields: { Tags: { team: 'ops' } } },
    });
    expect(planOf({ expect: '[1]' }, 'metadata')).toEqual({ skip: 'metadata-not-object' });
    expect(planOf({ expect: '{no' }, 'key-policy')).toMatchObject({ skip: 'not-json' });
  });
});

describe('settles and cannotMatch: when the wait stops', () => {
  it('a version ID that no version can have stops the wait on the first read, naming a staging label of that name', () => {
    const read = versions({ id: V1, stages: ['AWSCURRENT', 'v2'] });
    expect(cannotMatch(read.ok ? read.value : (undefined as never), expectVersion('v2'))).toEqual({
      case: 'not-a-version-id',
      labels: [{ id: V1, stages: ['AWSCURRENT', 'v2'] }],
    });
    expect(settles(read, undefined, expectVersion('v2'))).toBe(true);
    expect(settles(read, undefined, expectVersion('x'.repeat(65)))).toBe(true);
  });

  it('a well-formed version ID that is missing, or not AWSCURRENT, keeps the wait going (a write may still arrive)', () => {
    expect(settles(versions({ id: V1, stages: ['AWSCURRENT'] }), undefined, expectVersion(V2))).toBe(false);
    expect(settles(versions({ id: V1, stages: ['AWSCURRENT'] }, { id: V2, stages: ['AWSPENDING'] }), undefined, expectVersion(V2))).toBe(false);
    expect(settles(versions({ id: V1, stages: ['AWSPREVIOUS'] }, { id: V2, stages: ['AWSCURRENT'] }), undefined, expectVersion(V2))).toBe(true);
  });

  it('a failed read settles (polling does not help); without an expectation two equal reads do', () => {
    expect(settles({ ok: false, problem: { kind: 'access-denied', code: 'AccessDeniedException', message: 'no' } }, undefined, agree)).toBe(true);
    const read = versions({ id: V1, stages: ['AWSCURRENT'] });
    expect(settles(read, undefined, agree)).toBe(false);
    expect(settles(read, versions({ id: V1, stages: ['AWSCURRENT'] }), agree)).toBe(true);
  });
});

describe('decidePropagation: the verdict of the last read', () => {
  it('visible; a version ID no version can have; a version that exists but is not current; one that is not there', () => {
    const read = versions({ id: V1, stages: ['AWSPREVIOUS'] }, { id: V2, stages: ['AWSCURRENT'] });
    expect(decidePropagation(read, expectVersion(V2), true)).toEqual({ case: 'visible' });
    expect(decidePropagation(read, expectVersion('v2'), true)).toEqual({ case: 'not-a-version-id', versionId: 'v2', labels: [] });
    expect(decidePropagation(read, expectVersion(V1), false)).toEqual({
      case: 'not-visible',
      why: { case: 'version-not-current', wanted: { id: V1, stages: ['AWSPREVIOUS'] }, current: { id: V2, stages: ['AWSCURRENT'] } },
    });
    expect(decidePropagation(read, expectVersion('b'.repeat(36)), false)).toEqual({ case: 'not-visible', why: { case: 'no-such-version' } });
  });

  it('a policy that differs: the statements missing and unexpected; metadata: the fields that differ', () => {
    const policy: Got<ChangeRead> = { ok: true, value: { kind: 'policy', text: '{"Statement":[{"Sid":"Old"}]}' } };
    expect(decidePropagation(policy, { mode: 'document', canonical: '{}', statements: ['"New"'] }, false)).toEqual({
      case: 'not-visible',
      why: { case: 'statements', missing: ['"New"'], unexpected: ['"Old"'] },
    });
    const metadata: Got<ChangeRead> = { ok: true, value: { kind: 'metadata', fields: { Description: 'a', Tags: {} } } };
    expect(decidePropagation(metadata, { mode: 'fields', fields: { Description: 'b', Tags: {} } }, false)).toEqual({
      case: 'not-visible',
      why: { case: 'fields', differing: ['Description'] },
    });
  });

  it('without an expectation: kept changing, a version waiting as AWSPENDING, a newer labelled version, or consistent', () => {
    const old = { id: V1, stages: ['AWSCURRENT'], created: '2024-01-01T00:00:00.000Z' };
    expect(decidePropagation(versions(old), agree, false)).toEqual({ case: 'kept-changing' });
    const pending = { id: V2, stages: ['AWSPENDING'], created: '2024-01-02T00:00:00.000Z' };
    expect(decidePropagation(versions(old, pending), agree, true)).toEqual({ case: 'pending', pending, current: old });
    const newer = { id: V2, stages: ['custom'], created: '2024-01-02T00:00:00.000Z' };
    expect(decidePropagation(versions(old, newer), agree, true)).toEqual({ case: 'newer-not-current', newest: newer, current: old });
    // A newer version without labels is deprecated (ListSecretVersionIds IncludeDeprecated): not a newer current
    expect(decidePropagation(versions(old, { ...newer, stages: [] }), agree, true)).toEqual({ case: 'consistent' });
  });

  it('a failed read is unreadable, whatever was expected', () => {
    const problem = { kind: 'access-denied' as const, code: 'AccessDeniedException', message: 'no' };
    expect(decidePropagation({ ok: false, problem }, expectVersion(V2), true)).toEqual({ case: 'unreadable', problem });
  });
});
