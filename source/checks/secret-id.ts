import { quote, outcome, type Check } from './common.js';
import { visible } from '../secret-ref.js';
import { shellQuote } from '../shell.js';

/**
 * The characters a secret's name can have: CreateSecret takes "ASCII letters, numbers, and the following
 * characters: /_+=.@-" (API Reference, CreateSecret, Name), and refuses others with "Invalid name. Must be
 * a valid name containing alphanumeric characters, or any of the following: -/_+=.@!"; the `!` is in the
 * names of secrets that other AWS services create (such as RDS's `rds!cluster-...`).
 */
const NAME_CHARACTER = /[A-Za-z0-9/_+=.@!-]/;
const CHARACTER_NAMES: Record<string, string> = { ' ': 'a space', '\u00a0': 'a no-break space' };
/** Where to copy a secret's exact name from. */
const LIST_NAMES = "`aws secretsmanager list-secrets --query 'SecretList[].Name'`";

/** The characters of `name` that no secret name has, once each, visibly (control characters are reported apart). */
function unusualCharacters(name: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are left to the check that refuses them
  const odd = [...new Set([...name].filter((c) => !NAME_CHARACTER.test(c) && !/[\u0000-\u001f\u007f]/.test(c)))];
  return odd.map((c) => CHARACTER_NAMES[c] ?? quote(visible(c)));
}

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

    // A name no secret has: AWS refuses it at creation, so no secret exists under it (secret-exists says so too).
    const odd = ref.malformedArn ? [] : unusualCharacters(ref.arn ? ref.arn.resourceName : ref.id);
    if (odd.length) {
      evidence.unusualCharacters = odd;
      warnings.push(
        `The name ${quote(visible(ref.id))} has ${odd.length > 1 ? `${odd.slice(0, -1).join(', ')} and ${odd.at(-1)}` : odd[0]}: a secret's name has only ASCII letters, digits and /_+=.@- (and ! in secrets that AWS services create), and Secrets Manager refuses any other name, so no secret has this one.`,
      );
    }

    const [identity, region] = await Promise.all([facts.identity(), facts.region()]);
    if (ref.arn) {
      evidence.arn = { partition: ref.arn.partition, region: ref.arn.region, account: ref.arn.account };
      if (identity.ok && ref.arn.partition !== identity.value.partition) {
        problems.push(`The ARN is in partition ${ref.arn.partition}, but the credentials are for ${identity.value.partition}.`);
      }
      if (identity.ok && ref.arn.account !== identity.value.account) {
        warnings.push(
          `The ARN is in account ${ref.arn.account}, not the caller's ${identity.value.account}: cross-account rules apply (the resource policy and the key policy must allow the caller).`,
        );
      }
      if (region.ok && ref.arn.region !== region.value) {
        const text = `The ARN is in ${ref.arn.region}, but the selected Region is ${region.value}.`;
        if (symptom === 'incident-manager-secret') {
          problems.push(
            `${text} Incident Manager needs the secret in the response plan's Region; replicate the secret to ${region.value} or use a secret there.`,
          );
        } else {
          warnings.push(`${text} The tool uses ${ref.arn.region}, the ARN's Region.`);
        }
      }
    }
    // The command names the ID only where it is a name a secret can have: else, where to copy the right one from.
    const check = odd.length || ref.id.includes('`') ? LIST_NAMES : `\`aws secretsmanager describe-secret --secret-id ${shellQuote(ref.id)}\``;
    const remediation = problems.length ? `Use the secret's exact name or full ARN, with no spaces or control characters, e.g. ${check}.` : '';
    if (problems.length) {
      return outcome('fail', problems[0]!, { details: [...problems.slice(1), ...warnings], evidence, remediation });
    }
    if (warnings.length) {
      return outcome('warn', warnings[0]!, {
        details: warnings.slice(1),
        evidence,
        remediation: odd.length ? `Copy the secret's exact name from ${LIST_NAMES}.` : '',
      });
    }
    return outcome('pass', `${ref.arn ? 'ARN' : 'Name'} ${quote(ref.id)} is well formed.`, { evidence });
  },
};
