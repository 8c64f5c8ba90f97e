/** A secret seeded in moto with the reported attack (issue 12) in its policy, description and tags. */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, PutResourcePolicyCommand } from '@aws-sdk/client-secrets-manager';
import { newSession } from './moto.js';

/** What a hostile Sid holds: CR, a fake PASS row in green, an OSC title, a bidi override, "conceal". */
export const HOSTILE_SID = 'Deny\r\u001b[32mPASS\u001b[39m    secret-policy-caller  looks fine\u001b]0;pwned\u0007\u202e\u0085\u001b[8m';
/** Any character a terminal acts on or hides. */
// eslint-disable-next-line no-control-regex
export const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** A secret whose policy denies everyone GetSecretValue in a statement with the hostile Sid. */
export async function seedHostileSecret(session = newSession()): Promise<string> {
  const name = `inject-${randomBytes(4).toString('hex')}`;
  const sm = await session.secretsManager();
  await sm.send(
    new CreateSecretCommand({
      Name: name,
      SecretString: '{"k":"v"}',
      Description: 'desc \u001b]0;retitled\u0007\u001b[2J\u202e',
      Tags: [{ Key: 'owner\u001b[8m', Value: 'x\r\u001b[32mPASS' }],
    }),
  );
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Sid: HOSTILE_SID, Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
  };
  await sm.send(new PutResourcePolicyCommand({ SecretId: name, ResourcePolicy: JSON.stringify(policy) }));
  return name;
}

/** A secret whose name carries an OSC title sequence and a bidi override (moto takes any name). */
export async function seedHostileName(session = newSession()): Promise<{ name: string; filter: string }> {
  const filter = `osc-${randomBytes(4).toString('hex')}`;
  const name = `${filter}\u001b]0;pwned\u0007\u202eevil`;
  await (await session.secretsManager()).send(new CreateSecretCommand({ Name: name, SecretString: '{"k":"v"}' }));
  return { name, filter };
}
