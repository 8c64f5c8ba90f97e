import { quote, outcome, couldNotSee, type Check } from './common.js';
import { shellQuote } from '../shell.js';

export const secretExists: Check = {
  id: 'secret-exists',
  title: 'The secret exists in this Region',
  async run({ facts, symptom }) {
    const ref = facts.ref;
    if (!ref) return outcome('skip', 'No secret was given (--secret-id).');
    const [secret, region] = await Promise.all([facts.secret(), facts.secretRegion()]);
    const where = region.ok ? region.value : 'the selected Region';
    if (!secret.ok) {
      if (secret.problem.kind === 'not-found') {
        const elsewhere = await facts.otherRegions();
        const details = elsewhere.length
          ? [`A secret named ${quote(ref.id)} exists in: ${elsewhere.join(', ')}.`]
          : [`No secret of that name was found in the partition's other Regions either.`];
        return outcome('fail', `No secret ${quote(ref.id)} in ${where} (DescribeSecret: ${secret.problem.code}).`, {
          details,
          evidence: { api: 'secretsmanager:DescribeSecret', region: where, error: secret.problem.code, otherRegions: elsewhere },
          remediation: elsewhere.length
            ? symptom === 'incident-manager-secret'
              ? `Incident Manager needs the secret in the response plan's Region: replicate it, e.g. \`aws secretsmanager replicate-secret-to-regions --secret-id ${shellQuote(ref.id)} --region ${elsewhere[0]} --add-replica-regions Region=${where}\`, or run with --region ${elsewhere[0]}.`
              : `Run with --region ${elsewhere[0]}, or use the secret's full ARN.`
            : 'Check the name (`aws secretsmanager list-secrets --include-planned-deletion`) and the Region.',
        });
      }
      if (secret.problem.kind === 'access-denied') {
        const seen = couldNotSee(`secret ${quote(ref.id)}`, secret.problem, 'secretsmanager:DescribeSecret on the secret');
        seen.details.push('Secrets Manager checks permissions before existence: a missing secret can also answer AccessDenied.');
        return seen;
      }
      return couldNotSee(`secret ${quote(ref.id)}`, secret.problem, 'secretsmanager:DescribeSecret on the secret');
    }
    const d = secret.value.description;
    const evidence: Record<string, unknown> = {
      api: 'secretsmanager:DescribeSecret',
      arn: d.ARN,
      region: secret.value.region,
      kmsKeyId: d.KmsKeyId ?? '(none: aws/secretsmanager)',
    };
    if (d.DeletedDate) {
      evidence.deletedDate = d.DeletedDate.toISOString();
      return outcome('fail', `The secret is scheduled for deletion (DeletedDate ${d.DeletedDate.toISOString()}).`, {
        details: ['Secrets Manager refuses to read a secret while it is scheduled for deletion; it is deleted for good at the end of its recovery window.'],
        evidence,
        remediation: `If the deletion was not intended: \`aws secretsmanager restore-secret --secret-id ${shellQuote(d.ARN ?? '')} --region ${secret.value.region}\`.`,
        fix: 'restore-secret',
      });
    }
    const replicas = (d.ReplicationStatus ?? []).map((r) => `${r.Region} (${r.Status ?? 'unknown'})`);
    if (replicas.length) evidence.replicas = replicas;
    if (d.PrimaryRegion && d.PrimaryRegion !== secret.value.region) {
      evidence.primaryRegion = d.PrimaryRegion;
      return outcome('warn', `The secret in ${secret.value.region} is a replica; its primary is in ${d.PrimaryRegion}.`, {
        details: ['Changes to the value and the resource policy are made on the primary and replicated.'],
        evidence,
        remediation: `Make changes on the primary: --region ${d.PrimaryRegion}.`,
      });
    }
    return outcome('pass', `Found ${d.Name} in ${secret.value.region}.`, {
      details: replicas.length ? [`Replicated to ${replicas.join(', ')}.`] : [],
      evidence,
    });
  },
};
