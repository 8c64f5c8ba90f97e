/**
 * The fixes SPEC.md lists, planned from a diagnosis and applied through the protocol, in the order
 * restore-secret, secret-policy, key-policy. Planning reads afresh (a new Facts), never the diagnosis's memo.
 */
import type { AwsSession } from '../aws/session.js';
import { sentence } from '../aws/errors.js';
import { Facts } from '../facts/index.js';
import type { Diagnosis } from '../diagnose.js';
import { incidentManagerKeyStatement, incidentManagerSecretStatement, creatorKeyStatement } from '../policy/statements.js';
import { jsonLoss, type Statement } from '../policy/parse.js';
import type { Check } from '../checks/common.js';
import { secretPolicyIncidentManager } from '../checks/secret-policy-incident-manager.js';
import { kmsPolicyIncidentManager } from '../checks/kms-policy-incident-manager.js';
import { kmsPolicyCaller } from '../checks/kms-policy-caller.js';
import type { FixId, Inputs } from '../types.js';
import { applyChange, type Applied, type ChangeOptions, type ChangeRequest, type FixIo } from './protocol.js';
import { documentValue, planAddition, publicStatements, serialize } from './document.js';
import { deletionTarget, secretPolicyTarget, keyPolicyTarget, type DocumentTarget } from './targets.js';

export const FIX_ORDER: FixId[] = ['restore-secret', 'secret-policy', 'key-policy'];

export interface FixOptions extends ChangeOptions {
  /** Fixes asked for by name (--fixes); empty: those the findings offer, restore-secret excepted. */
  only: FixId[];
  /** key-policy: also add the creator's statement. */
  includeCreator: boolean;
}

/** Runs checks afresh, for verification. */
async function passes(session: AwsSession, inputs: Inputs, checks: Check[]): Promise<boolean> {
  const facts = new Facts(session, inputs);
  const results = await Promise.all(checks.map((c) => c.run({ facts, inputs, symptom: inputs.symptom })));
  return results.every((r) => r.status === 'pass');
}

/** Why a document that does not survive parsing is not rewritten, and how to change it by hand. */
export function refusal(target: DocumentTarget, loss: string): string {
  return `${target.label} is not rewritten: ${loss}. Change it by hand: ${target.manualRoute()}.`;
}

/** A document fix's plan (step 1 of the protocol): the change to show and apply, or why there is none. */
export type Plan = { request: ChangeRequest } | { skip: string };

async function planDocument(target: DocumentTarget, fix: FixId, current: string | null, additions: Statement[], verify: () => Promise<boolean>): Promise<Plan> {
  const value = documentValue(current);
  if (typeof value === 'string') return { skip: `${target.label} is not valid JSON; correct it by hand first.` };
  const loss = current === null ? undefined : jsonLoss(current);
  if (loss) return { skip: refusal(target, loss) };
  const open = publicStatements(value);
  if (open.length) {
    return {
      skip: `${target.label} already allows anyone (statement ${open.map((i) => `#${i}`).join(', ')}); it is not rewritten (BlockPublicPolicy would refuse it). Review it by hand.`,
    };
  }
  const planned = planAddition(value, additions);
  if (!planned.ok) return { skip: `${planned.reason}.` };
  if (!planned.added.length) return { skip: `${target.label} already has the statements; nothing to add.` };
  return {
    request: {
      fix,
      target,
      before: current,
      after: serialize(planned.document, target.kind),
      description: `add ${planned.added.map((s) => (typeof s.Sid === 'string' ? `"${s.Sid}"` : 'a statement')).join(' and ')} to ${target.label}`,
      passes: verify,
    },
  };
}

async function planSecretPolicy(session: AwsSession, inputs: Inputs): Promise<Plan> {
  const facts = new Facts(session, inputs);
  const [secret, policy] = await Promise.all([facts.secret(), facts.secretPolicy()]);
  if (!secret.ok) return { skip: `The secret could not be described: ${sentence(secret.problem)}` };
  if (!policy.ok) return { skip: `The resource policy could not be read: ${sentence(policy.problem)}` };
  const d = secret.value.description;
  const target = secretPolicyTarget(session, d.ARN!, secret.value.region, d.Name ?? d.ARN!);
  return planDocument(target, 'secret-policy', policy.value ?? null, [incidentManagerSecretStatement()], () =>
    passes(session, inputs, [secretPolicyIncidentManager]),
  );
}

async function planKeyPolicy(session: AwsSession, inputs: Inputs, includeCreator: boolean): Promise<Plan> {
  const facts = new Facts(session, inputs);
  const [key, policy, principal, secret] = await Promise.all([facts.key(), facts.keyPolicy(), facts.principal(), facts.secret()]);
  if (!key.ok) return { skip: `The key could not be described: ${sentence(key.problem)}` };
  if (key.value.managedBy === 'aws' || !policy)
    return { skip: 'The secret uses the AWS managed key, whose policy cannot be changed: use a customer managed key.' };
  if (!policy.ok) return { skip: `The key policy could not be read: ${sentence(policy.problem)}` };
  if (!secret.ok) return { skip: `The secret could not be described: ${sentence(secret.problem)}` };
  const additions: Statement[] = [incidentManagerKeyStatement()];
  const checks: Check[] = [kmsPolicyIncidentManager];
  if (includeCreator) {
    if (!principal.ok) return { skip: `The creator could not be identified: ${sentence(principal.problem)}` };
    additions.push(creatorKeyStatement(principal.value.arn));
    checks.push(kmsPolicyCaller);
  }
  const target = keyPolicyTarget(session, key.value.metadata.Arn!, secret.value.region);
  return planDocument(target, 'key-policy', policy.value, additions, () => passes(session, inputs, checks));
}

/**
 * restore-secret's plan: the secret's scheduled deletion as read now (DescribeSecret's DeletedDate), to be
 * cancelled with RestoreSecret; verified once DescribeSecret shows no deletion date.
 */
async function planRestore(session: AwsSession, inputs: Inputs): Promise<Plan> {
  const facts = new Facts(session, inputs);
  const secret = await facts.secret();
  if (!secret.ok) return { skip: `The secret could not be described: ${sentence(secret.problem)}` };
  const d = secret.value.description;
  if (!d.DeletedDate) return { skip: 'The secret is not scheduled for deletion.' };
  const name = d.Name ?? d.ARN!;
  const target = deletionTarget(session, d.ARN!, secret.value.region, name, d.DeletedDate);
  return {
    request: {
      fix: 'restore-secret',
      target,
      before: d.DeletedDate.toISOString(),
      after: null,
      description: `cancel the scheduled deletion of ${name}`,
      // The re-read that verification makes (no deletion date any more) is the check.
      passes: async () => true,
    },
  };
}

/**
 * Plans one fix afresh, without applying it: a front-end hands `request` to `applyChange`, which shows it
 * (the diff, or the deletion to cancel) before anything else.
 */
export function planFix(session: AwsSession, inputs: Inputs, fix: FixId, options: { includeCreator: boolean }): Promise<Plan> {
  switch (fix) {
    case 'restore-secret':
      return planRestore(session, inputs);
    case 'secret-policy':
      return planSecretPolicy(session, inputs);
    case 'key-policy':
      return planKeyPolicy(session, inputs, options.includeCreator);
  }
}

/** Which fixes run, in order, and why the others do not. */
export function selectFixes(diagnosis: Diagnosis, only: FixId[]): { fix: FixId; skip?: string }[] {
  const offered = new Map(diagnosis.findings.filter((f) => f.fix).map((f) => [f.fix!, f]));
  return FIX_ORDER.flatMap((fix) => {
    const asked = only.includes(fix);
    if (only.length && !asked) return [];
    const finding = offered.get(fix);
    if (!finding) {
      return asked ? [{ fix, skip: `No finding offers ${fix} (its check does not fail in a way this fix can repair).` }] : [];
    }
    if (fix === 'restore-secret' && !asked) {
      return [
        {
          fix,
          skip: 'The secret is scheduled for deletion; restore-secret runs only when asked by name (--fixes restore-secret), since a deletion may be deliberate.',
        },
      ];
    }
    return [{ fix }];
  });
}

export async function runFixes(session: AwsSession, inputs: Inputs, diagnosis: Diagnosis, io: FixIo, options: FixOptions): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const { fix, skip } of selectFixes(diagnosis, options.only)) {
    if (skip) {
      applied.push({ fix, status: 'skipped', message: skip });
      continue;
    }
    const plan = await planFix(session, inputs, fix, options);
    if ('skip' in plan) applied.push({ fix, status: 'skipped', message: plan.skip });
    else applied.push(await applyChange(plan.request, io, options));
  }
  return applied;
}
