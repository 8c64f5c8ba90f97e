/**
 * `aws-authorization`: AWS's own record of a denial, from IAM Access Troubleshooter. moto has no IAM Toolbox,
 * so a loopback server answers the documented shapes (test/helpers/toolbox-server.ts); the rest of the
 * diagnosis runs against moto_server. Sources: IAM User Guide, "Troubleshoot access denied error messages
 * with authorization ID (Preview)"; IAM Toolbox API Reference, GetRequestAuthorizationDetails and PolicyInfo.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsAuthorization, agreement, decideRecord } from '../../source/checks/aws-authorization.js';
import { Facts } from '../../source/facts/index.js';
import type { CheckContext } from '../../source/checks/common.js';
import type { Finding, Inputs } from '../../source/types.js';
import { toolboxEndpoint } from '../../source/aws/toolbox.js';
import { newSession } from '../helpers/moto.js';
import { page, startToolboxServer, type ToolboxServer } from '../helpers/toolbox-server.js';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf';
const SCP_URI = 'arn:aws:organizations::999988887777:policy/o-abc123/service_control_policy/p-deny1234';
const BOUNDARY_URI = 'arn:aws:iam::123456789012:policy/DeveloperBoundary';
const ROLE_POLICY_URI = 'arn:aws:iam::123456789012:role/Dev/inline/ReadSecrets';

const scpDeny = {
  requestContext: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Dev', 'aws:SourceIp': '203.0.113.7' },
  evaluations: [
    {
      action: 'secretsmanager:GetSecretValue',
      resource: SECRET,
      evaluatedEffect: 'EXPLICIT_DENY',
      matchedPolicies: [
        { uri: SCP_URI, matchedStatements: [{ sid: 'DenySecretsOutsideCorp', evaluatedEffect: 'DENY' }] },
        { uri: ROLE_POLICY_URI, matchedStatements: [{ sid: 'Read', evaluatedEffect: 'ALLOW' }] },
      ],
    },
  ],
  policies: [
    { type: 'SERVICE_CONTROL_POLICY', inline: false, uri: SCP_URI, attachedTo: [{ arn: 'arn:aws:organizations::999988887777:ou/o-abc123/ou-ab12-cdef3456' }] },
    { type: 'IDENTITY_BASED_POLICY', inline: true, uri: ROLE_POLICY_URI },
  ],
};

let server: ToolboxServer;
const saved = process.env.AWS_ENDPOINT_URL_IAM_TOOLBOX;

beforeAll(async () => {
  server = await startToolboxServer();
  process.env.AWS_ENDPOINT_URL_IAM_TOOLBOX = server.url;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_IAM_TOOLBOX;
  else process.env.AWS_ENDPOINT_URL_IAM_TOOLBOX = saved;
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  server.answers.clear();
  server.policies.clear();
});

function context(inputs: Omit<Inputs, 'symptom'>, peers: Pick<Finding, 'id' | 'status'>[] = []): CheckContext {
  const full: Inputs = { symptom: 'access-denied', ...inputs };
  return { facts: new Facts(newSession(), full), inputs: full, symptom: 'access-denied', peers: async () => peers as Finding[] };
}

const message = (id: string, region = 'us-east-1') =>
  `User: arn:aws:sts::123456789012:assumed-role/Dev/bob is not authorized to perform: secretsmanager:GetSecretValue on resource: ${SECRET} with an explicit deny in a service control policy: ${SCP_URI}. Go to https://${region}.console.aws.amazon.com/iam/home?region=${region}#/authorization-details/${id} for complete details, or call the GetRequestAuthorizationDetails API with the following authorization id: ${id}`;

describe('aws-authorization', () => {
  it('without an authorization ID it is skipped and asks AWS nothing', async () => {
    const out = await awsAuthorization.run(context({ secretId: SECRET }));
    expect(out.status).toBe('skip');
    expect(server.seen).toHaveLength(0);
  });

  it('a deny by an SCP: fail, naming the policy and its statement; signed for `iam` in the Region of the console link', async () => {
    // Given a message whose console link says eu-west-1, and AWS's record of an SCP deny
    page('a1b2c3', '', { status: 200, body: scpDeny }, server);
    const out = await awsAuthorization.run(context({ errorMessage: message('a1b2c3', 'eu-west-1') }, [{ id: 'org-policies', status: 'fail' }]));
    // Then the record is read where the denial happened, signed as IAM (aws-facts.md section 10)
    expect(server.seen.filter((x) => !x.path.endsWith('/policy'))).toEqual([
      { path: '/authorization-details/a1b2c3', nextToken: null, scope: 'eu-west-1/iam', signed: true },
    ]);
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('explicit deny of secretsmanager:GetSecretValue');
    expect(out.summary).toContain('DenySecretsOutsideCorp');
    expect(out.summary).toContain(SCP_URI);
    expect(out.details.join('\n')).toContain('aws:SourceIp = "203.0.113.7"');
    expect(out.evidence.agreement).toEqual({ agrees: true, differences: [] });
  });

  it('shows the denying statement as AWS evaluated it, where GetRequestAuthorizationPolicy may be read; says so where not', async () => {
    page('txt', '', { status: 200, body: scpDeny }, server);
    const statement = {
      Sid: 'DenySecretsOutsideCorp',
      Effect: 'Deny',
      Action: 'secretsmanager:*',
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    };
    server.policies.set(SCP_URI, {
      status: 200,
      body: { policyDocument: { Version: '2012-10-17', Statement: [{ Sid: 'Other', Effect: 'Allow', Action: '*', Resource: '*' }, statement] } },
    });
    const out = await awsAuthorization.run(context({ authorizationId: 'txt' }));
    expect(out.details).toContain(`As AWS evaluated it, ${SCP_URI}: ${JSON.stringify(statement)}`);
    expect(out.details.join('\n')).not.toContain('"Sid":"Other"');
    expect(server.seen.filter((s) => s.path.endsWith('/policy'))).toHaveLength(1);

    server.policies.set(SCP_URI, { status: 403, body: { message: 'not allowed' } });
    const refused = await awsAuthorization.run(context({ authorizationId: 'txt' }));
    expect(refused.status).toBe('fail');
    expect(refused.details.join('\n')).toContain('could not be read (AccessDeniedException; it needs iam:GetRequestAuthorizationPolicy)');
  });

  it('--authorization-id without a message uses the diagnosis Region', async () => {
    page(
      'zz9',
      '',
      {
        status: 200,
        body: { evaluations: [{ action: 'secretsmanager:GetSecretValue', resource: SECRET, evaluatedEffect: 'ALLOW', matchedPolicies: [] }], policies: [] },
      },
      server,
    );
    const out = await awsAuthorization.run(context({ authorizationId: 'zz9' }, [{ id: 'caller-permission', status: 'pass' }]));
    expect(server.seen[0]?.scope).toBe('us-east-1/iam');
    expect(out.status).toBe('pass');
    expect(out.evidence.agreement).toEqual({ agrees: true, differences: [] });
  });

  it('a deny by a permissions boundary that the tool blamed on the resource policy: AWS wins, the difference is named', async () => {
    page(
      'pb1',
      '',
      {
        status: 200,
        body: {
          evaluations: [
            {
              action: 'secretsmanager:GetSecretValue',
              resource: SECRET,
              evaluatedEffect: 'EXPLICIT_DENY',
              matchedPolicies: [{ uri: BOUNDARY_URI, matchedStatements: [{ sid: 'NoProd', evaluatedEffect: 'DENY' }] }],
            },
          ],
          policies: [{ type: 'PERMISSIONS_BOUNDARY', uri: BOUNDARY_URI }],
        },
      },
      server,
    );
    const out = await awsAuthorization.run(
      context({ authorizationId: 'pb1' }, [
        { id: 'caller-permission', status: 'pass' },
        { id: 'secret-policy-caller', status: 'fail' },
      ]),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toContain('permissions boundary');
    const agreed = out.evidence.agreement as { agrees: boolean; differences: string[] };
    expect(agreed.agrees).toBe(false);
    expect(agreed.differences[0]).toMatch(/AWS names permissions boundary as denying secretsmanager:GetSecretValue; this tool blames secret-policy-caller/);
    // The report leads with AWS's record: the difference is the first detail.
    expect(out.details[0]).toMatch(/^Differs from this tool's checks/);
  });

  it('an implicit deny: fail, saying no policy allowed it; and when every check of the tool passed, that is a difference', async () => {
    page(
      'imp',
      '',
      {
        status: 200,
        body: {
          evaluations: [{ action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:123456789012:key/k', evaluatedEffect: 'IMPLICIT_DENY' }],
          policies: [],
        },
      },
      server,
    );
    const out = await awsAuthorization.run(
      context({ authorizationId: 'imp' }, [
        { id: 'kms-policy-caller', status: 'pass' },
        { id: 'caller-permission', status: 'pass' },
      ]),
    );
    expect(out.status).toBe('fail');
    expect(out.summary).toBe('AWS recorded an implicit deny of kms:Decrypt: no policy allowed it.');
    expect((out.evidence.agreement as { agrees: boolean }).agrees).toBe(false);
  });

  it('follows nextToken and merges the pages', async () => {
    page('pg', '', { status: 200, body: { ...scpDeny, evaluations: scpDeny.evaluations, nextToken: 'two' } }, server);
    page(
      'pg',
      'two',
      { status: 200, body: { evaluations: [{ action: 'kms:Decrypt', resource: 'k', evaluatedEffect: 'ALLOW' }], policies: scpDeny.policies } },
      server,
    );
    const out = await awsAuthorization.run(context({ authorizationId: 'pg' }));
    expect(server.seen.filter((x) => !x.path.endsWith('/policy')).map((x) => x.nextToken)).toEqual([null, 'two']);
    expect((out.evidence.evaluations as unknown[]).length).toBe(2);
    expect((out.evidence.policies as unknown[]).length).toBe(2);
  });

  it('403: unknown, naming iam:GetRequestAuthorizationDetails', async () => {
    page('den', '', { status: 403, body: { message: 'User is not authorized to perform: iam:GetRequestAuthorizationDetails' } }, server);
    const out = await awsAuthorization.run(context({ authorizationId: 'den' }));
    expect(out.status).toBe('unknown');
    expect(out.remediation).toContain('iam:GetRequestAuthorizationDetails');
    expect(out.evidence.error).toBe('AccessDeniedException');
  });

  it('404 (expired, or another Region): unknown, saying records last 24 hours in the Region of the denial', async () => {
    const out = await awsAuthorization.run(context({ authorizationId: 'gone' }));
    expect(out.status).toBe('unknown');
    expect(out.details[0]).toContain('at least 24 hours');
    expect(out.details[0]).toContain('us-east-1');
  });

  it('throttling is retried; a malformed answer is never a verdict', async () => {
    page('bad', '', { status: 200, body: '<html>oops' }, server);
    const out = await awsAuthorization.run(context({ authorizationId: 'bad' }));
    expect(out.status).toBe('unknown');
    page('slow', '', { status: 429, body: { message: 'Rate exceeded' } }, server);
    const throttled = await awsAuthorization.run(context({ authorizationId: 'slow' }));
    expect(throttled.status).toBe('unknown');
    expect(server.seen.filter((s) => s.path.endsWith('/slow'))).toHaveLength(3);
  });
});

describe('in a whole diagnosis (moto_server for the rest)', () => {
  it('comes first, and compares with the verdicts of the checks that decide the action', async () => {
    const { diagnose } = await import('../../source/diagnose.js');
    const { seedScenario } = await import('../../source/demo/seed.js');
    const seeded = await seedScenario(newSession(), 'healthy');
    page('whole', '', { status: 200, body: scpDeny }, server);
    const d = await diagnose(newSession(), { symptom: 'access-denied', secretId: seeded.secretArn, authorizationId: 'whole' });
    const first = d.findings[0]!;
    expect(first.id).toBe('aws-authorization');
    expect(first.status).toBe('fail');
    // The tool's own checks pass on this healthy secret (no SCP in moto's account): AWS's record says otherwise.
    expect(first.evidence.agreement).toMatchObject({ agrees: false });
    expect(first.details[0]).toMatch(/^Differs from this tool's checks: AWS denied secretsmanager:GetSecretValue, but no check of this tool failed/);
  });
});

describe('the endpoint, as the SDK resolves one', () => {
  it('AWS_ENDPOINT_URL_IAM_TOOLBOX, then AWS_ENDPOINT_URL, else the Regional endpoint; the ignore switch wins', () => {
    expect(toolboxEndpoint('us-east-1', { AWS_ENDPOINT_URL_IAM_TOOLBOX: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }).port).toBe('1');
    expect(toolboxEndpoint('us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }).port).toBe('2');
    expect(toolboxEndpoint('eu-west-1', {}).host).toBe('iam-toolbox.eu-west-1.amazonaws.com');
    expect(toolboxEndpoint('cn-north-1', {}).host).toBe('iam-toolbox.cn-north-1.amazonaws.com.cn');
    expect(toolboxEndpoint('us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:2', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).host).toBe(
      'iam-toolbox.us-east-1.amazonaws.com',
    );
  });
});

describe('agreement', () => {
  const record = decideRecord({ requestContext: {}, evaluations: scpDeny.evaluations, policies: scpDeny.policies, pages: 1 });
  it('AWS denied and no check of the tool failed: a difference that says which checks could not decide', () => {
    const a = agreement(record, [
      { id: 'caller-permission', status: 'pass' },
      { id: 'secret-policy-caller', status: 'unknown' },
    ]);
    expect(a.agrees).toBe(false);
    expect(a.differences[0]).toContain('secret-policy-caller could not decide');
  });
  it('AWS allowed while a check failed: a difference', () => {
    const allowed = decideRecord({
      requestContext: {},
      evaluations: [{ action: 'secretsmanager:GetSecretValue', evaluatedEffect: 'ALLOW' }],
      policies: [],
      pages: 1,
    });
    expect(agreement(allowed, [{ id: 'caller-permission', status: 'fail' }]).differences[0]).toContain(
      'AWS allowed secretsmanager:GetSecretValue, but caller-permission failed',
    );
  });
  it('skipped checks do not count', () => {
    expect(
      agreement(record, [
        { id: 'org-policies', status: 'fail' },
        { id: 'secret-policy-caller', status: 'skip' },
      ]).agrees,
    ).toBe(true);
  });
});
