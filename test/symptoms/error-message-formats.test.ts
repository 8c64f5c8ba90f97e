/**
 * Every denial format SPEC.md ("The error message") lists, held against messages seen in public issues and
 * AWS's documentation (test/fixtures/error-messages.json names each one's source): what `input.errorMessage`
 * must say of each. No AWS is needed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorMessageInput, parseAccessDenied, describeDenial } from '../../source/error-message.js';

interface Fixture {
  source: string;
  message: string;
  expected: Record<string, unknown>;
  authorizationRegion?: string;
}

const { messages } = JSON.parse(readFileSync(new URL('../fixtures/error-messages.json', import.meta.url), 'utf8')) as { messages: Fixture[] };

describe('input.errorMessage for every documented denial format', () => {
  it.each(messages.map((m) => [m.source, m] as const))('%s', (_source, m) => {
    const parsed = parseAccessDenied(m.message);
    const input = errorMessageInput(parsed);
    expect(input).toMatchObject(m.expected);
    if (m.authorizationRegion) expect(parsed.authorizationRegion).toBe(m.authorizationRegion);
    // A Secrets Manager or KMS text is said in words of its own.
    if (input.kind) expect(describeDenial(parsed)).not.toMatch(/no policy type named/);
    // The shape is SPEC.md's, whatever the message: null where it does not say.
    expect(Object.keys(input).sort()).toEqual(['action', 'authorizationId', 'denial', 'kind', 'principal', 'recognised', 'resource']);
    expect(Object.keys(input.denial).sort()).toEqual(['effect', 'policyArn', 'policyType']);
  });

  it('a policy ARN followed by a period and the console link loses neither', () => {
    const parsed = parseAccessDenied(messages[0]!.message);
    expect(parsed.policyArn).toBe('arn:aws:iam::123456789012:policy/ExampleDenyPolicy');
    expect(parsed.authorizationId).toBe('EXAMPLE1a2b3c4d5e6f7g8h9i0j');
  });
});

describe('the diagnosis reports what it understood (against moto_server)', () => {
  it('input.errorMessage carries the parse; an unrecognised message is said once and the run goes on', async () => {
    const { diagnose } = await import('../../source/diagnose.js');
    const { renderReport } = await import('../../source/report/text.js');
    const { seedScenario } = await import('../../source/demo/seed.js');
    const { newSession } = await import('../helpers/moto.js');
    const seeded = await seedScenario(newSession(), 'healthy');

    // Given a message in AWS's 2026 format with a policy ARN and an authorization ID
    const recognised = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn, errorMessage: messages[1]!.message });
    // Then the document says what was understood, in SPEC.md's shape
    expect(recognised.input.errorMessage).toMatchObject({
      recognised: true,
      action: 'secretsmanager:GetSecretValue',
      denial: { effect: 'explicit', policyType: 'scp' },
      authorizationId: 'a1b2c3d4e5f6',
    });

    // Given text that is no denial
    const unknown = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn, errorMessage: 'Task timed out after 3.00 seconds' });
    // Then the run still checks everything, and the report says once that the message was not understood
    expect(unknown.input.errorMessage?.recognised).toBe(false);
    expect(unknown.findings.find((f) => f.id === 'secret-exists')?.status).toBe('pass');
    const text = renderReport(unknown, { color: false });
    expect(text.match(/not recognised as an AWS denial/g)).toHaveLength(1);

    // Without a message there is no errorMessage field at all
    const none = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn });
    expect(none.input).not.toHaveProperty('errorMessage');
  });
});
