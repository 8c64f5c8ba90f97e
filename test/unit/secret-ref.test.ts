/**
 * The secret ID exactly as typed (source/secret-ref.ts): what is made visible, what is trimmed, how ARNs
 * of every partition parse, and why malformed ones do not. Then the `secret-id` check that reports it,
 * through diagnose() against moto.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nameFromArn, parseSecretArn, secretRef, visible, type SecretArn } from '../../source/secret-ref.js';
import { diagnose } from '../../source/diagnose.js';
import { seedScenario, type Seeded } from '../../source/demo/seed.js';
import type { Finding } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

const ACCOUNT = '123456789012';

describe('visible', () => {
  it('shows a trailing space as ␠ and leaves everything else alone', () => {
    // Given an ID with a trailing space
    // When it is made visible
    // Then the space is ␠ and the rest is unchanged
    expect(visible('prod/pd ')).toBe('prod/pd␠');
    expect(visible('prod/pagerduty')).toBe('prod/pagerduty');
  });

  it('shows tab, newline and carriage return as their control pictures', () => {
    // Given whitespace control characters, leading, inside and trailing
    // When made visible
    // Then each has its own picture, in place
    expect(visible('\tprod/pd\r\n')).toBe('␉prod/pd␍␊');
    expect(visible('prod\tpd')).toBe('prod␉pd');
  });

  it('shows other control characters and DEL as \\u escapes', () => {
    // Given NUL, BEL, ESC and DEL
    // When made visible
    // Then each is a \uXXXX escape, so nothing invisible reaches the terminal
    expect(visible('a\u0000b\u0007c\u001bd\u007f')).toBe('a\\u0000b\\u0007c\\u001bd\\u007f');
  });

  it('shows non-ASCII whitespace (no-break space, BOM) as \\u escapes', () => {
    // Given a no-break space pasted from a web page and a byte-order mark
    // When made visible
    // Then both show as escapes rather than as (invisible) themselves
    expect(visible('prod/pd\u00a0')).toBe('prod/pd\\u00a0');
    expect(visible('\ufeffprod/pd')).toBe('\\ufeffprod/pd');
  });

  it('leaves the characters a secret name may contain alone', () => {
    // Given every character class Secrets Manager allows in a name
    const name = 'Prod_01/pager.duty+x=y@z-A';
    // Then visible() returns it unchanged
    expect(visible(name)).toBe(name);
  });
});

describe('secretRef', () => {
  it('keeps the raw ID, trims for use, and flags the trailing space', () => {
    // Given a name typed with a trailing space
    const ref = secretRef('prod/pd ');
    // Then the raw ID is kept, the ID used is trimmed, and the whitespace is flagged and visible
    expect(ref).toMatchObject({ raw: 'prod/pd ', id: 'prod/pd', visible: 'prod/pd␠', hasOuterWhitespace: true, controlCharacters: false });
    expect(ref.arn).toBeUndefined();
    expect(ref.malformedArn).toBeUndefined();
  });

  it('flags a leading tab as outer whitespace, not as a control character inside the ID', () => {
    // Given a name with a leading tab (trim removes it)
    const ref = secretRef('\tprod/pd');
    // Then it is outer whitespace, and the trimmed ID has no control character
    expect(ref).toMatchObject({ id: 'prod/pd', visible: '␉prod/pd', hasOuterWhitespace: true, controlCharacters: false });
  });

  it('flags a tab inside the ID as a control character (trim cannot remove it)', () => {
    // Given a name with a tab in the middle
    const ref = secretRef('prod\tpd');
    // Then it is a control character, with no outer whitespace
    expect(ref).toMatchObject({ id: 'prod\tpd', visible: 'prod␉pd', hasOuterWhitespace: false, controlCharacters: true });
  });

  it('flags an embedded NUL / ESC / DEL as control characters', () => {
    // Given IDs with control characters that are not whitespace
    for (const raw of ['prod\u0000pd', 'prod\u001b[31mpd', 'prod/pd\u007f']) {
      // When parsed
      const ref = secretRef(raw);
      // Then they are flagged, and the visible form has no raw control character left
      expect(ref.controlCharacters, JSON.stringify(raw)).toBe(true);
      // eslint-disable-next-line no-control-regex
      expect(ref.visible).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  it('treats a no-break space at the end as outer whitespace', () => {
    // Given a name copied with a trailing no-break space
    const ref = secretRef('prod/pd\u00a0');
    // Then it is trimmed and flagged
    expect(ref).toMatchObject({ id: 'prod/pd', hasOuterWhitespace: true, visible: 'prod/pd\\u00a0' });
  });

  it('parses a full ARN, and a trailing space around an ARN is trimmed and flagged', () => {
    // Given a full ARN with a trailing space
    const arn = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/pagerduty-AbCdEf`;
    const ref = secretRef(`${arn} `);
    // Then the ARN parses from the trimmed ID, and the space is still reported
    expect(ref.id).toBe(arn);
    expect(ref.hasOuterWhitespace).toBe(true);
    expect(ref.arn).toEqual({ partition: 'aws', region: 'us-east-1', account: ACCOUNT, resourceName: 'prod/pagerduty-AbCdEf' });
  });

  it('does not treat a plain name as an ARN', () => {
    // Given a name that merely contains "arn"
    const ref = secretRef('barn:door');
    // Then it is neither an ARN nor a malformed one
    expect(ref.arn).toBeUndefined();
    expect(ref.malformedArn).toBeUndefined();
  });

  it('reports a malformed ARN with the reason, and no parsed ARN', () => {
    // Given an SSM parameter ARN pasted where a secret was expected, and a secret-shaped ARN of another service
    const parameter = secretRef(`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/pd`);
    const otherService = secretRef(`arn:aws:ssm:us-east-1:${ACCOUNT}:secret:prod/pd`);
    // Then neither parses, and each says why
    expect(parameter.arn).toBeUndefined();
    expect(parameter.malformedArn).toBe('an ARN has the form arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME');
    expect(otherService.arn).toBeUndefined();
    expect(otherService.malformedArn).toBe('the service is "ssm", not secretsmanager');
  });
});

describe('parseSecretArn', () => {
  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-cn', 'cn-northwest-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-us-gov', 'us-gov-east-1'],
    ['aws', 'ap-southeast-2'],
    ['aws', 'eu-central-2'],
  ])('parses a %s ARN in %s', (partition, region) => {
    // Given a full secret ARN in that partition and Region
    const arn = `arn:${partition}:secretsmanager:${region}:${ACCOUNT}:secret:prod/pagerduty-AbCdEf`;
    // When it is parsed
    const parsed = parseSecretArn(arn);
    // Then every part is read
    expect(parsed).toEqual({ partition, region, account: ACCOUNT, resourceName: 'prod/pagerduty-AbCdEf' });
  });

  it('parses a partial ARN (no random suffix) with the name as given', () => {
    // Given an ARN without the -xxxxxx suffix
    const parsed = parseSecretArn(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:prod/pagerduty`);
    // Then it parses, with the name as the resource name
    expect(parsed).toEqual({ partition: 'aws', region: 'eu-west-1', account: ACCOUNT, resourceName: 'prod/pagerduty' });
  });

  it.each([
    [`arn:aws:ssm:us-east-1:${ACCOUNT}:secret:prod/pd`, 'the service is "ssm", not secretsmanager'],
    [
      `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      'an ARN has the form arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME',
    ],
    [`arn:aws:secretsmanager:us-east-1:12345678901:secret:prod/pd`, '"12345678901" is not a 12-digit account ID'],
    [`arn:aws:secretsmanager:us-east-1:12345678901a:secret:prod/pd`, '"12345678901a" is not a 12-digit account ID'],
    [`arn:aws:secretsmanager:us-east-1::secret:prod/pd`, '"" is not a 12-digit account ID'],
    [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:`, 'the secret name is empty'],
    [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret`, 'an ARN has the form arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME'],
    [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:parameter:prod/pd`, 'the resource type is "parameter", not secret'],
    [`arn:aws:secretsmanager:useast1:${ACCOUNT}:secret:prod/pd`, '"useast1" is not a Region'],
    [`arn:aws:secretsmanager::${ACCOUNT}:secret:prod/pd`, '"" is not a Region'],
    [`arn:amazon:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/pd`, '"amazon" is not an AWS partition'],
    [`arn::secretsmanager:us-east-1:${ACCOUNT}:secret:prod/pd`, '"" is not an AWS partition'],
  ])('rejects %s', (arn, reason) => {
    // Given a malformed secret ARN
    // When it is parsed
    // Then the answer is the reason, as a string
    expect(parseSecretArn(arn)).toBe(reason);
  });
});

describe('nameFromArn', () => {
  const arn = (resourceName: string): SecretArn => ({ partition: 'aws', region: 'us-east-1', account: ACCOUNT, resourceName });

  it('drops the 6-character random suffix of a full ARN', () => {
    // Given a full ARN's resource name
    // Then the name is what comes before "-AbCdEf"
    expect(nameFromArn(arn('prod/pagerduty-AbCdEf'))).toBe('prod/pagerduty');
  });

  it('keeps a partial ARN\'s name whole when it does not end in "-" plus six characters', () => {
    // Given partial ARNs (no suffix)
    // Then the name is kept, including hyphenated parts that are not six characters long
    expect(nameFromArn(arn('prod/pagerduty'))).toBe('prod/pagerduty');
    expect(nameFromArn(arn('sd/healthy-1a2b3c4d'))).toBe('sd/healthy-1a2b3c4d');
    expect(nameFromArn(arn('prod/pd-12345'))).toBe('prod/pd-12345');
  });

  it('takes a name ending in "-" plus six characters for a full ARN, as Secrets Manager does', () => {
    // Given a partial ARN whose name happens to end like a suffix
    // Then, like AWS, it is read as name + suffix
    expect(nameFromArn(arn('my-secret'))).toBe('my');
  });
});

describe('the secret-id check, through diagnose() against moto', () => {
  let healthy: Seeded;
  const session = newSession();

  beforeAll(async () => {
    healthy = await seedScenario(session, 'healthy');
  });

  async function secretIdFinding(
    secretId: string,
    symptom: 'incident-manager-secret' | 'access-denied' = 'access-denied',
  ): Promise<{ finding: Finding; all: Finding[] }> {
    const d = await diagnose(newSession(), { symptom, secretId });
    const finding = d.findings.find((f) => f.id === 'secret-id');
    if (!finding) throw new Error('no secret-id finding');
    return { finding, all: d.findings };
  }

  it('fails on a trailing space, shows it as ␠, and goes on with the trimmed name', async () => {
    // Given the seeded secret's name typed with a trailing space
    // When the access-denied checks run
    const { finding, all } = await secretIdFinding(`${healthy.secretName} `);
    // Then secret-id fails, quoting the visible form, and says which ID the tool goes on with
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain(`"${healthy.secretName}␠"`);
    expect(finding.summary).toContain(`goes on with "${healthy.secretName}"`);
    expect(finding.evidence).toMatchObject({ input: `${healthy.secretName}␠`, trimmed: healthy.secretName });
    expect(finding.remediation).toContain('aws secretsmanager describe-secret');
    // And the secret is found under the trimmed name
    expect(all.find((f) => f.id === 'secret-exists')?.status).toBe('pass');
  });

  it("warns on a name no secret can have (a space, shell characters); AWS services' ! is a name character", async () => {
    // Given names with characters outside CreateSecret's set
    const { finding } = await secretIdFinding('prod/my secret');
    // Then secret-id warns, says why no secret has it, and where to copy the exact name from
    expect(finding.status).toBe('warn');
    expect(finding.summary).toBe(
      'The name "prod/my␠secret" has a space: a secret\'s name has only ASCII letters, digits and /_+=.@- (and ! in secrets that AWS services create), and Secrets Manager refuses any other name, so no secret has this one.',
    );
    expect(finding.remediation).toBe("Copy the secret's exact name from `aws secretsmanager list-secrets --query 'SecretList[].Name'`.");
    expect(finding.evidence.unusualCharacters).toEqual(['a space']);
    // And with whitespace around it too: a failure whose command does not repeat the name
    const both = await secretIdFinding('prod/$(x) ');
    expect(both.finding.status).toBe('fail');
    expect(both.finding.details[0]).toContain('has "$", "(" and ")"');
    expect(both.finding.remediation).toContain("`aws secretsmanager list-secrets --query 'SecretList[].Name'`");
    // And names that AWS services create, and every documented character, are well formed
    expect((await secretIdFinding('rds!cluster-1a96bebc')).finding.evidence.unusualCharacters).toBeUndefined();
    expect((await secretIdFinding('a/b_c+d=e.f@g-h')).finding.status).not.toBe('warn');
  });

  it('names a trimmed name a secret can have in the command it suggests', async () => {
    const { finding } = await secretIdFinding(' prod/db ');
    expect(finding.remediation).toContain('`aws secretsmanager describe-secret --secret-id prod/db`');
  });

  it('fails on a control character inside the name', async () => {
    // Given a name with a tab in it
    // When the checks run
    const { finding } = await secretIdFinding('prod\tpagerduty');
    // Then secret-id fails and shows the tab
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('control characters');
    expect(finding.summary).toContain('prod␉pagerduty');
  });

  it('fails on a malformed ARN, naming what is wrong', async () => {
    // Given an ARN with an 11-digit account
    // When the checks run
    const { finding } = await secretIdFinding('arn:aws:secretsmanager:us-east-1:12345678901:secret:prod/pd');
    // Then secret-id fails with the reason
    expect(finding.status).toBe('fail');
    expect(finding.summary).toContain('"12345678901" is not a 12-digit account ID');
  });

  it('fails on an aws-cn ARN when the credentials are for aws', async () => {
    // Given an ARN in the China partition, with credentials (moto's) in aws
    // When the checks run
    const { finding } = await secretIdFinding(`arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT}:secret:prod/pd-AbCdEf`);
    // Then secret-id fails naming both partitions
    expect(finding.status).toBe('fail');
    expect(`${finding.summary} ${finding.details.join(' ')}`).toContain('partition aws-cn, but the credentials are for aws');
  });

  it('warns on an ARN of another account: cross-account rules apply', async () => {
    // Given an ARN in another account, same partition and Region
    // When the checks run
    const { finding } = await secretIdFinding(`arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/pd-AbCdEf`);
    // Then secret-id warns and names both accounts
    expect(finding.status).toBe('warn');
    expect(finding.summary).toContain('210987654321');
    expect(finding.summary).toContain(ACCOUNT);
  });

  it('an ARN in another Region fails for Incident Manager and only warns for access-denied', async () => {
    // Given the seeded secret's ARN rewritten to another Region (the selected one is us-east-1)
    const elsewhere = healthy.secretArn.replace(':us-east-1:', ':eu-west-1:');
    // When the Incident Manager checks and the access-denied checks run
    const [im, ad] = await Promise.all([secretIdFinding(elsewhere, 'incident-manager-secret'), secretIdFinding(elsewhere, 'access-denied')]);
    // Then IM fails (it needs the secret in the plan's Region) and access-denied warns, using the ARN's Region
    expect(im.finding.status).toBe('fail');
    expect(im.finding.summary).toContain('eu-west-1');
    expect(ad.finding.status).toBe('warn');
    expect(ad.finding.summary).toContain('uses eu-west-1');
  });

  it('passes on the exact full ARN and on a partial ARN', async () => {
    // Given the seeded secret's full ARN and its partial ARN (without the suffix)
    const partial = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${healthy.secretName}`;
    // When the checks run
    const [full, part] = await Promise.all([secretIdFinding(healthy.secretArn), secretIdFinding(partial)]);
    // Then both are well formed
    expect(full.finding.status).toBe('pass');
    expect(part.finding.status).toBe('pass');
    expect(full.finding.evidence).toMatchObject({ arn: { partition: 'aws', region: 'us-east-1', account: ACCOUNT } });
  });
});
