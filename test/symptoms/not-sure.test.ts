/**
 * `not-sure` (the default without --symptom): every check the given inputs allow, each once, in the
 * table's order; a check whose input is missing is `skip` and names the flag that would give it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import { CHECK_IDS } from '../../source/types.js';
import { checksFor } from '../../source/symptoms.js';
import { seedScenario, seedCreatorRole, seedKmsKey, type Seeded, type SeededKey } from '../../source/demo/seed.js';
import { SYMPTOMS, type Finding, type Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

let healthy: Seeded;
let asymmetric: Seeded;
let reader: string;
let rsa: SeededKey;

beforeAll(async () => {
  const session = newSession();
  [healthy, asymmetric, reader, rsa] = await Promise.all([
    seedScenario(session, 'healthy'),
    seedScenario(session, 'asymmetric-key'),
    seedCreatorRole(session, { allow: true }),
    seedKmsKey(session, { spec: 'RSA_2048' }),
  ]);
});

async function run(inputs: Omit<Inputs, 'symptom'>): Promise<{ d: Diagnosis; byId: Record<string, Finding> }> {
  const d = await diagnose(newSession(), { symptom: 'not-sure', ...inputs });
  return { d, byId: Object.fromEntries(d.findings.map((f) => [f.id, f])) };
}

describe('the catalogue', () => {
  it('every symptom runs its checks each once, in the table order, service-health last', () => {
    for (const symptom of SYMPTOMS) {
      const ids = checksFor(symptom);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(CHECK_IDS.filter((id) => ids.includes(id)));
      expect(ids.at(-1)).toBe('service-health');
    }
    expect(checksFor('not-sure')).toEqual(CHECK_IDS);
  });
});

describe('not-sure', () => {
  it('with a secret, runs every check once, in order; propagation asks for --changed', async () => {
    const { d, byId } = await run({ secretId: healthy.secretArn, principal: reader });
    expect(d.findings.map((f) => f.id)).toEqual(CHECK_IDS);
    expect(byId['clock-skew']!.status).toBe('pass');
    expect(byId['temporary-credentials']!.status).toBe('pass');
    expect(byId['kms-key-symmetric']).toMatchObject({ status: 'pass', evidence: { keyArn: healthy.keyArn, keySpec: 'SYMMETRIC_DEFAULT' } });
    expect(byId['policy-conditions']!.status).toBe('pass');
    expect(byId.propagation).toMatchObject({ status: 'skip', summary: expect.stringContaining('(--changed value, resource-policy, key-policy or metadata)') });
    expect(d.summary.fail).toBe(0);
  });

  it('without inputs, the checks that need them skip, each naming its flag', async () => {
    const { byId } = await run({});
    expect(byId['secret-id']!.summary).toBe('No secret was given (--secret-id).');
    expect(byId['policy-conditions']).toMatchObject({ status: 'skip', summary: 'No secret was given (--secret-id).' });
    expect(byId['kms-key-symmetric']).toMatchObject({ status: 'skip', summary: 'No KMS key was given (--kms-key-id).' });
    expect(byId.propagation).toMatchObject({ status: 'skip', summary: expect.stringContaining('--changed') });
    expect(byId.credentials!.status).toBe('pass');
    expect(byId['clock-skew']!.status).toBe('pass');
  });

  it('a secret encrypted with an asymmetric key fails kms-key-symmetric with the update-secret command', async () => {
    const { byId } = await run({ secretId: asymmetric.secretArn, principal: reader });
    const f = byId['kms-key-symmetric']!;
    expect(f.status).toBe('fail');
    expect(f.evidence).toMatchObject({ keyArn: asymmetric.keyArn, keySpec: 'RSA_2048' });
    expect(f.remediation).toContain(`aws secretsmanager update-secret --secret-id ${asymmetric.secretArn} --kms-key-id`);
  });

  it('--kms-key-id without a secret: both key checks look at that key', async () => {
    const { byId } = await run({ kmsKeyId: rsa.keyId });
    expect(byId['kms-key-usable']).toMatchObject({ status: 'pass', evidence: { given: rsa.keyId, keyArn: rsa.keyArn } });
    expect(byId['kms-key-symmetric']).toMatchObject({ status: 'fail', evidence: { given: rsa.keyId, keySpec: 'RSA_2048' } });
  });
});
