/**
 * Service and resource control policies, evaluated with the same engine as every other policy. An
 * organization policy never grants: at each level of the hierarchy (root, each OU, the account) some
 * statement must allow the request and none may deny it ("SCP evaluation", AWS Organizations User Guide).
 * The verdict here is the control policies' alone; identity and resource policies are other checks' work.
 */
import type { OrgLevel } from '../facts/organization.js';
import { simulate, type Decision, type EvaluationRequest } from './evaluate.js';

export type ControlKind = 'scp' | 'rcp';

export interface ControlStatement {
  /** The root, OU or account the policy is attached to. */
  target: string;
  policyId: string;
  policyName: string;
  sid?: string | undefined;
  /** 1-based position in its policy. */
  index: number;
}

export type ControlVerdict =
  | {
      ok: true;
      decision: Decision;
      /** The Deny statements that matched. */
      denies: ControlStatement[];
      /** Levels where no statement allowed the request (an implicit deny). */
      notAllowedAt: string[];
      /** The statements that allowed it, one level after another. */
      grants: ControlStatement[];
    }
  | { ok: false; error: string };

type Request = Pick<EvaluationRequest, 'principal' | 'action' | 'resource' | 'resourceAccount' | 'context'>;

interface StatementAnalysis {
  policyId: string;
  statement: { sid(): string | undefined; index(): number };
}
interface LevelAnalysis {
  orgIdentifier: string;
  result: Decision;
  allowStatements: StatementAnalysis[];
  denyStatements: StatementAnalysis[];
}

export async function evaluateControlPolicies(kind: ControlKind, levels: OrgLevel[], request: Request): Promise<ControlVerdict> {
  const unreadable = levels.flatMap((l) => l.policies).find((p) => p.document === undefined);
  if (unreadable) return { ok: false, error: `the policy ${unreadable.name} (${unreadable.id}) is not valid JSON` };
  const names = new Map(levels.flatMap((l) => l.policies.map((p) => [p.id, p.name] as const)));
  const orgLevels = levels.map((l) => ({ orgIdentifier: l.target, policies: l.policies.map((p) => ({ name: p.id, policy: p.document })) }));
  const simulated = await simulate({
    ...request,
    ...(kind === 'scp' ? { serviceControlPolicies: orgLevels } : { resourceControlPolicies: orgLevels }),
  });
  if (!simulated.ok) return { ok: false, error: simulated.error };
  const analysis = (kind === 'scp' ? simulated.analysis?.scpAnalysis : simulated.analysis?.rcpAnalysis) as
    | { result: Decision; ouAnalysis: LevelAnalysis[] }
    | undefined;
  if (!analysis) return { ok: false, error: 'the policy engine gave no analysis of the organization policies' };
  const statement = (level: LevelAnalysis, s: StatementAnalysis): ControlStatement => ({
    target: level.orgIdentifier,
    policyId: s.policyId,
    policyName: names.get(s.policyId) ?? s.policyId,
    sid: s.statement.sid(),
    index: s.statement.index(),
  });
  return {
    ok: true,
    decision: analysis.result,
    denies: analysis.ouAnalysis.flatMap((l) => l.denyStatements.map((s) => statement(l, s))),
    notAllowedAt: analysis.ouAnalysis.filter((l) => l.result === 'ImplicitlyDenied').map((l) => l.orgIdentifier),
    grants: analysis.ouAnalysis.flatMap((l) => l.allowStatements.map((s) => statement(l, s))),
  };
}

/** `the SCP DenyOutside (p-abc123) attached to ou-ab12-3456, statement "DenyOutside" (#1)`. */
export function describeControlStatement(kind: ControlKind, s: ControlStatement): string {
  const which = s.sid ? `statement "${s.sid}" (#${s.index})` : `statement #${s.index}`;
  return `the ${kind.toUpperCase()} ${s.policyName} (${s.policyId}) attached to ${s.target}, ${which},`;
}
