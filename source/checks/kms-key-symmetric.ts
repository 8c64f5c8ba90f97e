import type { Facts, KeyFact, RegionKey } from '../facts/index.js';
import { outcome, couldNotSee, needSecret, quote, type Check, type CheckContext, type Outcome } from './common.js';
import { specOf } from './kms-context.js';
import { shellQuote } from '../shell.js';

const SYMMETRIC = 'SYMMETRIC_DEFAULT';
const SHOWN_CHOICES = 10;

type Described = Extract<KeyFact, { metadata: unknown }>;

/** A key Secrets Manager can use to encrypt a secret: customer managed, symmetric, ENCRYPT_DECRYPT, Enabled. */
function isChoice(k: RegionKey): boolean {
  const m = k.metadata;
  return m.KeyManager === 'CUSTOMER' && specOf(m) === SYMMETRIC && (m.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT' && m.KeyState === 'Enabled';
}

function choiceName(k: RegionKey): string {
  return k.aliases[0] ?? k.metadata.Arn ?? k.metadata.KeyId!;
}

/** Where the key comes from, and the first line of any outcome about it. */
type KeyUnderTest =
  | { from: 'named'; given: string; region: string; key: KeyFact }
  | { from: 'secret'; given: string; region: string; key: KeyFact; secretArn: string }
  | { outcome: Outcome };

async function keyUnderTest(ctx: CheckContext): Promise<KeyUnderTest> {
  const { facts } = ctx;
  const named = await facts.namedKey();
  if (named) {
    const region = await facts.namedKeyRegion();
    const where = region.ok ? region.value : 'the selected Region';
    const given = facts.namedKeyId!;
    if (!named.ok) {
      if (named.problem.kind === 'not-found') {
        return {
          outcome: outcome('skip', `Skipped: no key ${quote(given)} in ${where} (see kms-key-usable).`, {
            evidence: { api: 'kms:DescribeKey', given, error: named.problem.code },
          }),
        };
      }
      return { outcome: couldNotSee(`the KMS key ${quote(given)}`, named.problem, 'kms:DescribeKey on the key') };
    }
    return { from: 'named', given, region: where, key: named.value };
  }
  if (!facts.ref) return { outcome: outcome('skip', 'No KMS key was given (--kms-key-id).') };
  const secret = await needSecret(ctx);
  if ('outcome' in secret) return secret;
  const key = await facts.key();
  const given = secret.value.description.KmsKeyId ?? 'aws/secretsmanager';
  if (!key.ok) {
    if (key.problem.kind === 'not-found') {
      return {
        outcome: outcome('skip', `Skipped: the secret's key ${quote(given)} was not found (DescribeKey: ${key.problem.code}).`, {
          evidence: { api: 'kms:DescribeKey', given },
        }),
      };
    }
    return { outcome: couldNotSee(`the KMS key ${quote(given)}`, key.problem, 'kms:DescribeKey on the key') };
  }
  return { from: 'secret', given, region: secret.value.region, key: key.value, secretArn: secret.value.description.ARN! };
}

/** The corrected command: create-secret with a symmetric key (update-secret for an existing secret). */
function correctedCommand(facts: Facts, under: Extract<KeyUnderTest, { key: KeyFact }>, choice: string): string {
  if (under.from === 'secret') {
    return `\`aws secretsmanager update-secret --secret-id ${shellQuote(under.secretArn)} --kms-key-id ${choice} --region ${under.region}\` (the next new version is encrypted with it)`;
  }
  const name = facts.ref ? shellQuote(facts.ref.id) : 'NAME';
  return `\`aws secretsmanager create-secret --name ${name} --kms-key-id ${choice} --secret-string file://secret.json --region ${under.region}\` (for a secret that exists: \`aws secretsmanager update-secret --secret-id ${name} --kms-key-id ${choice} --region ${under.region}\`)`;
}

export const kmsKeySymmetric: Check = {
  id: 'kms-key-symmetric',
  title: 'The KMS key is symmetric',
  async run(ctx) {
    const under = await keyUnderTest(ctx);
    if ('outcome' in under) return under.outcome;
    const { facts } = ctx;
    if (under.key.managedBy === 'aws') {
      return outcome('pass', 'The key is the AWS managed key aws/secretsmanager, which is symmetric.', {
        details: ['It was not described: DescribeKey on alias/aws/secretsmanager creates that key in an account that does not have it yet.'],
        evidence: { given: under.given, kmsKey: 'aws/secretsmanager' },
      });
    }
    const m = (under.key as Described).metadata;
    const spec = specOf(m);
    const evidence: Record<string, unknown> = {
      api: 'kms:DescribeKey',
      given: under.given,
      keyArn: m.Arn,
      keySpec: spec ?? null,
      keyUsage: m.KeyUsage ?? null,
    };
    if (spec === SYMMETRIC) {
      return outcome('pass', `The key ${m.Arn} is ${SYMMETRIC}: Secrets Manager can generate data keys with it.`, { evidence });
    }
    if (spec === undefined) {
      return outcome('unknown', `DescribeKey did not report the key spec of ${m.Arn}.`, {
        evidence,
        remediation: `Check it by hand: \`aws kms describe-key --key-id ${m.Arn} --query KeyMetadata.KeySpec\`; Secrets Manager needs ${SYMMETRIC}.`,
      });
    }

    // The choices: symmetric customer managed keys in the key's Region that the caller can list and describe.
    const details = [
      `KeySpec ${spec}${m.KeyUsage ? `, KeyUsage ${m.KeyUsage}` : ''}: Secrets Manager supports only symmetric encryption keys (${SYMMETRIC}); with this key CreateSecret and PutSecretValue fail with "You cannot generate a data key with an asymmetric CMK".`,
    ];
    const listed = await facts.regionKeys(under.region);
    let choices: RegionKey[] = [];
    if (listed.ok) {
      choices = listed.value.keys.filter((k) => isChoice(k) && k.metadata.KeyId !== m.KeyId);
      evidence.choicesFrom = 'kms:ListKeys, kms:ListAliases, kms:DescribeKey';
      evidence.choices = choices.slice(0, SHOWN_CHOICES).map((k) => ({
        keyArn: k.metadata.Arn,
        ...(k.aliases.length ? { aliases: k.aliases } : {}),
        ...(k.metadata.Description ? { description: k.metadata.Description } : {}),
      }));
      if (choices.length > SHOWN_CHOICES) evidence.moreChoices = choices.length - SHOWN_CHOICES;
      details.push(
        choices.length
          ? `Symmetric customer managed keys in ${under.region} that can take its place: ${choices.slice(0, SHOWN_CHOICES).map(choiceName).join(', ')}${choices.length > SHOWN_CHOICES ? `, and ${choices.length - SHOWN_CHOICES} more` : ''}.`
          : `No enabled symmetric customer managed key in ${under.region} is visible to the caller.`,
      );
      if (listed.value.truncated) details.push(`Only the first keys of the Region were listed and described (${listed.value.listed} listed).`);
      if (listed.value.notDescribed) details.push(`${listed.value.notDescribed} key(s) could not be described (kms:DescribeKey refused or failed).`);
      details.push('Their key policies were not read: kms-policy-caller checks the one you choose.');
    } else {
      evidence.choicesError = listed.problem.code;
      details.push(
        `The Region's keys could not be listed (${listed.problem.code}): allow kms:ListKeys, kms:ListAliases and kms:DescribeKey to see the choices.`,
      );
    }
    const first = choices[0];
    const remediation = first
      ? `Use a symmetric key instead, e.g. ${choiceName(first)}: ${correctedCommand(facts, under, choiceName(first))}.`
      : `Create a symmetric key (\`aws kms create-key --key-spec ${SYMMETRIC} --key-usage ENCRYPT_DECRYPT --description "Secrets Manager" --region ${under.region}\`), then use its ARN: ${correctedCommand(facts, under, 'KEY_ARN')}. Without a KMS key ID, Secrets Manager uses aws/secretsmanager (which Incident Manager does not accept).`;
    return outcome('fail', `The key ${m.Arn} is ${spec}, not symmetric: Secrets Manager cannot generate a data key with it.`, {
      details,
      evidence,
      remediation,
    });
  },
};
