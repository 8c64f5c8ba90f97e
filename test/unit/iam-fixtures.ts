/**
 * IAM answers for the identity-side tests (caller-permission, kms-policy-caller), through aws-sdk-client-mock.
 * Only for what moto cannot do: it does not implement SimulatePrincipalPolicy at all, and its IAM denials
 * and policy reads cannot be shaped per test without an account of IAM users and roles.
 * Policy documents are returned URL-encoded, as IAM really returns them.
 */
import {
  GetGroupPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMServiceException,
  ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupPoliciesCommand,
  ListGroupsForUserCommand,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
  IAMClient,
  type SimulatePrincipalPolicyCommandInput,
} from '@aws-sdk/client-iam';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, beforeEach } from 'vitest';
import { diagnose, type Diagnosis } from '../../source/diagnose.js';
import type { CheckId, Finding, Inputs } from '../../source/types.js';
import { newSession } from '../helpers/moto.js';

export const ACCOUNT = '123456789012';
export type IamStub = AwsClientStub<IAMClient>;
export type PolicyDocument = Record<string, unknown>;

/** What IAM answers when the caller may not call an operation (query protocol: AccessDenied, HTTP 403). */
export function iamAccessDenied(operation: string, caller = `arn:aws:iam::${ACCOUNT}:user/moto`): IAMServiceException {
  return new IAMServiceException({
    name: 'AccessDenied',
    message: `User: ${caller} is not authorized to perform: iam:${operation} on resource: ${caller} because no identity-based policy allows the iam:${operation} action`,
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'c0ffee00-0000-4000-8000-000000000000', attempts: 1 },
  });
}

/** What the SDK throws against an endpoint that does not implement the simulator (moto: HTTP 500, an HTML page). */
export function simulatorNotImplemented(): Error {
  return Object.assign(
    new Error(
      '@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    ),
    { $metadata: { httpStatusCode: 500 } },
  );
}

/** IAM's encoding of a policy document (RFC 3986 URL encoding of the pretty-printed JSON). */
export function encodePolicy(document: PolicyDocument): string {
  return encodeURIComponent(JSON.stringify(document, null, 4));
}

/**
 * The file's IAM stub: IAMClient mocked from here on, reset before each test, restored after the file's
 * tests. Call it at the top of a test file.
 */
export function mockIam(): IamStub {
  const iam = mockClient(IAMClient);
  beforeEach(() => {
    iam.reset();
  });
  afterAll(() => {
    iam.restore();
  });
  return iam;
}

/** diagnose() for Incident Manager on `secretId`, with a new session against moto, and its finding of `check`. */
export async function findingOf(check: CheckId, secretId: string, extra: Partial<Inputs> = {}): Promise<{ d: Diagnosis; finding: Finding }> {
  const d = await diagnose(newSession(), { symptom: 'incident-manager-secret', secretId, ...extra });
  const finding = d.findings.find((f) => f.id === check);
  if (!finding) throw new Error(`no ${check} finding`);
  return { d, finding };
}

export function policy(statement: unknown): PolicyDocument {
  return { Version: '2012-10-17', Statement: statement };
}

export function statement(
  sid: string,
  line: number,
): { SourcePolicyId: string; SourcePolicyType: 'user'; StartPosition: { Line: number; Column: number }; EndPosition: { Line: number; Column: number } } {
  return { SourcePolicyId: sid, SourcePolicyType: 'user', StartPosition: { Line: line, Column: 5 }, EndPosition: { Line: line + 6, Column: 6 } };
}

/** SimulatePrincipalPolicy answering, per action and resource, what `decide` says (the pre-2026 response shape). */
export function simulator(iam: IamStub, decide: (action: string, resource: string) => Omit<EvaluationResult, 'EvalActionName'>): void {
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input: SimulatePrincipalPolicyCommandInput) => {
    const resource = input.ResourceArns?.[0] ?? '*';
    return {
      EvaluationResults: (input.ActionNames ?? []).map((action) => ({ EvalActionName: action, EvalResourceName: resource, ...decide(action, resource) })),
      IsTruncated: false,
    };
  });
}

export const allowEverything = (): Omit<EvaluationResult, 'EvalActionName'> => ({
  EvalDecision: 'allowed',
  MatchedStatements: [
    { SourcePolicyId: 'AdministratorAccess', SourcePolicyType: 'aws-managed', StartPosition: { Line: 3, Column: 17 }, EndPosition: { Line: 8, Column: 6 } },
  ],
});

export interface GroupPolicies {
  inline?: Record<string, PolicyDocument>;
  /** Managed policies by ARN. */
  attached?: Record<string, PolicyDocument>;
}

export interface PrincipalPolicies {
  inline?: Record<string, PolicyDocument>;
  /** Managed policies by ARN (customer or AWS managed). */
  attached?: Record<string, PolicyDocument>;
  /** A permissions boundary: its ARN and document. */
  boundary?: { arn: string; document: PolicyDocument };
  groups?: Record<string, GroupPolicies>;
}

function managed(iam: IamStub, arn: string, document: PolicyDocument): void {
  const name = arn.split('/').pop()!;
  iam.on(GetPolicyCommand, { PolicyArn: arn }).resolves({
    Policy: { PolicyName: name, Arn: arn, DefaultVersionId: 'v3', AttachmentCount: 1, IsAttachable: true },
  });
  iam.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v3' }).resolves({
    PolicyVersion: { Document: encodePolicy(document), VersionId: 'v3', IsDefaultVersion: true, CreateDate: new Date('2024-01-01T00:00:00Z') },
  });
}

function attachedList(attached: Record<string, PolicyDocument> | undefined): { PolicyName: string; PolicyArn: string }[] {
  return Object.keys(attached ?? {}).map((arn) => ({ PolicyName: arn.split('/').pop()!, PolicyArn: arn }));
}

/** An IAM user's policies, readable through GetUser / List*Policies / Get*Policy / GetPolicy(Version). */
export function userPolicies(iam: IamStub, userName: string, set: PrincipalPolicies): void {
  const arn = `arn:aws:iam::${ACCOUNT}:user/${userName}`;
  iam.on(GetUserCommand, { UserName: userName }).resolves({
    User: {
      Path: '/',
      UserName: userName,
      UserId: 'AIDA3XFRBF535EXAMPLE',
      Arn: arn,
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      ...(set.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: set.boundary.arn } } : {}),
    },
  });
  iam.on(ListUserPoliciesCommand, { UserName: userName }).resolves({ PolicyNames: Object.keys(set.inline ?? {}), IsTruncated: false });
  for (const [name, document] of Object.entries(set.inline ?? {})) {
    iam
      .on(GetUserPolicyCommand, { UserName: userName, PolicyName: name })
      .resolves({ UserName: userName, PolicyName: name, PolicyDocument: encodePolicy(document) });
  }
  iam.on(ListAttachedUserPoliciesCommand, { UserName: userName }).resolves({ AttachedPolicies: attachedList(set.attached), IsTruncated: false });
  for (const [policyArn, document] of Object.entries(set.attached ?? {})) managed(iam, policyArn, document);
  if (set.boundary) managed(iam, set.boundary.arn, set.boundary.document);
  iam.on(ListGroupsForUserCommand, { UserName: userName }).resolves({
    Groups: Object.keys(set.groups ?? {}).map((g) => ({
      Path: '/',
      GroupName: g,
      GroupId: `AGPA${g.toUpperCase()}EXAMPLE`,
      Arn: `arn:aws:iam::${ACCOUNT}:group/${g}`,
      CreateDate: new Date('2024-01-01T00:00:00Z'),
    })),
    IsTruncated: false,
  });
  for (const [group, policies] of Object.entries(set.groups ?? {})) {
    iam.on(ListGroupPoliciesCommand, { GroupName: group }).resolves({ PolicyNames: Object.keys(policies.inline ?? {}), IsTruncated: false });
    for (const [name, document] of Object.entries(policies.inline ?? {})) {
      iam
        .on(GetGroupPolicyCommand, { GroupName: group, PolicyName: name })
        .resolves({ GroupName: group, PolicyName: name, PolicyDocument: encodePolicy(document) });
    }
    iam.on(ListAttachedGroupPoliciesCommand, { GroupName: group }).resolves({ AttachedPolicies: attachedList(policies.attached), IsTruncated: false });
    for (const [policyArn, document] of Object.entries(policies.attached ?? {})) managed(iam, policyArn, document);
  }
}

/** An IAM role (with a path) and its policies, readable through GetRole / ListRolePolicies / GetRolePolicy / .... */
export function rolePolicies(iam: IamStub, roleName: string, path: string, set: PrincipalPolicies): string {
  const arn = `arn:aws:iam::${ACCOUNT}:role${path}${roleName}`;
  iam.on(GetRoleCommand, { RoleName: roleName }).resolves({
    Role: {
      Path: path,
      RoleName: roleName,
      RoleId: 'AROA3XFRBF535PLBIFPI4',
      Arn: arn,
      CreateDate: new Date('2024-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: encodePolicy(policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }])),
      ...(set.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: set.boundary.arn } } : {}),
    },
  });
  iam.on(ListRolePoliciesCommand, { RoleName: roleName }).resolves({ PolicyNames: Object.keys(set.inline ?? {}), IsTruncated: false });
  for (const [name, document] of Object.entries(set.inline ?? {})) {
    iam
      .on(GetRolePolicyCommand, { RoleName: roleName, PolicyName: name })
      .resolves({ RoleName: roleName, PolicyName: name, PolicyDocument: encodePolicy(document) });
  }
  iam.on(ListAttachedRolePoliciesCommand, { RoleName: roleName }).resolves({ AttachedPolicies: attachedList(set.attached), IsTruncated: false });
  for (const [policyArn, document] of Object.entries(set.attached ?? {})) managed(iam, policyArn, document);
  if (set.boundary) managed(iam, set.boundary.arn, set.boundary.document);
  return arn;
}

/** Every IAM read used for local evaluation answers AccessDenied. */
export function denyPolicyReads(iam: IamStub): void {
  const reads = [
    [GetUserCommand, 'GetUser'],
    [ListUserPoliciesCommand, 'ListUserPolicies'],
    [ListAttachedUserPoliciesCommand, 'ListAttachedUserPolicies'],
    [ListGroupsForUserCommand, 'ListGroupsForUser'],
    [GetRoleCommand, 'GetRole'],
    [ListRolePoliciesCommand, 'ListRolePolicies'],
    [ListAttachedRolePoliciesCommand, 'ListAttachedRolePolicies'],
  ] as const;
  for (const [command, operation] of reads) iam.on(command as typeof GetUserCommand).rejects(iamAccessDenied(operation));
}

/** The SimulatePrincipalPolicy requests made, as (action, resource) pairs. */
export function simulatedPairs(iam: IamStub): string[] {
  return iam.commandCalls(SimulatePrincipalPolicyCommand).map((call) => {
    const input = call.args[0].input;
    return `${(input.ActionNames ?? []).join(',')} on ${(input.ResourceArns ?? []).join(',')}`;
  });
}
