import { quote, outcome, type Check } from './common.js';

export const secretId: Check = {
  id: 'secret-id',
  title: 'The secret ID is well formed',
  async run({ facts, symptom }) {
    const ref = facts.ref;
    if (!ref) return outcome('skip', 'No secret was given (--secret-id).');
    const evidence: Record<string, unknown> = { input: ref.visible };
    const problems: string[] = [];
    const warnings: string[] = [];
    if (ref.hasOuterWhitespace) {
      problems.push(`The ID has whitespace around it: ${quote(ref.visible)}. The tool goes on with ${quote(ref.id)}.`);
      evidence.trimmed = ref.id;
    }
    if (ref.controlCharacters) problems.push(`The ID contains control characters: ${quote(ref.visible)}.`);
    if (ref.malformedArn) problems.push(`The ID starts like an ARN but is not a secret ARN: ${ref.malformedArn}.`);

    const [identity, region] = await Promise.all([facts.identity(), facts.region()]);
    if (ref.arn) {
      evidence.arn = { partition: ref.arn.partition, region: ref.arn.region, account: ref.arn.account };
      if (identity.ok && ref.arn.partition !== identity.value.partition) {
        problems.push(`The ARN is in partition ${ref.arn.partition}, but the credentials are for ${identity.value.partition}.`);
      }
      if (identity.ok && ref.arn.account !== identity.value.account) {
        warnings.push(`The ARN is in account ${ref.arn.account}, not the caller's ${identity.value.account}: cross-account rules apply (the resource policy and the key policy must allow the caller).`);
      }
      if (region.ok && ref.arn.region !== region.value) {
        const text = `The ARN is in ${ref.arn.region}, but the selected Region is ${region.value}.`;
        if (symptom === 'incident-manager-secret') {
          problems.push(`${text} Incident Manager needs the secret in the response plan's Region; replicate the secret to ${region.value} or use a secret there.`);
        } else {
          warnings.push(`${text} The tool uses ${ref.arn.region}, the ARN's Region.`);
        }
      }
    }
    const remediation = problems.length
      ? `Use the secret's exact name or full ARN, with no spaces or control characters, e.g. \`aws secretsmanager describe-secret --secret-id ${quote(ref.id)}\`.`
      : '';
    if (problems.length) {
      return outcome('fail', problems[0]!, { details: [...problems.slice(1), ...warnings], evidence, remediation });
    }
    if (warnings.length) return outcome('warn', warnings[0]!, { details: warnings.slice(1), evidence });
    return outcome('pass', `${ref.arn ? 'ARN' : 'Name'} ${quote(ref.id)} is well formed.`, { evidence });
  },
};
