/**
 * Role sessions in NotPrincipal. IAM User Guide, "AWS JSON policy elements: NotPrincipal"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html): for an
 * assumed-role user "AWS might validate the account first, then the role, and then the assumed-role user";
 * the user is identified by the role session name, and the documented example lists the assumed-role
 * session ARN beside the role and the account to keep it out of a Deny. A session is its own principal
 * (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION): naming the role alone in NotPrincipal does not exempt
 * its sessions. In Principal, a role ARN does cover its sessions ("AWS JSON policy elements: Principal",
 * IAM roles and role sessions), and the engine already matches it so.
 *
 * @cloud-copilot/iam-simulate counts a role ARN in NotPrincipal as naming every session of the role
 * (SessionRoleMatch), and the account as naming every principal in it (AccountLevelMatch): for a session's
 * request, such entries are replaced here so that only the session's own ARN keeps it out of the Deny.
 */

const SESSION = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/** A NotPrincipal entry that covers the session without naming it: its role, or its account. */
function coversWithoutNaming(entry: string, partition: string, account: string, role: string): boolean {
  if (entry === account || entry === `arn:${partition}:iam::${account}:root`) return true;
  const m = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry);
  return !!m && m[1] === partition && m[2] === account && m[3]!.toLowerCase() === role.toLowerCase();
}

/**
 * The resource policy as the engine must see it for a request by `principal`: unchanged unless the
 * principal is a role session whose role NotPrincipal names; then those entries cannot match the session.
 */
export function forSessionRequest(policy: unknown, principal: string): unknown {
  const session = SESSION.exec(principal);
  if (!session || typeof policy !== 'object' || policy === null) return policy;
  const [, partition, account, role] = session as unknown as [string, string, string, string];
  const doc = policy as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  let changed = false;
  const rename = (entry: unknown) => {
    if (typeof entry !== 'string' || !coversWithoutNaming(entry, partition, account, role)) return entry;
    changed = true;
    // A well-formed role ARN of the same account that no session of this role can be.
    return `arn:${partition}:iam::${account}:role/${role}+not-this-session`;
  };
  const rewritten = statements.map((statement) => {
    const s = statement as { NotPrincipal?: { AWS?: unknown } };
    if (!s || typeof s !== 'object' || !s.NotPrincipal || typeof s.NotPrincipal !== 'object' || s.NotPrincipal.AWS === undefined) return statement;
    const aws = Array.isArray(s.NotPrincipal.AWS) ? s.NotPrincipal.AWS.map(rename) : rename(s.NotPrincipal.AWS);
    return { ...s, NotPrincipal: { ...s.NotPrincipal, AWS: aws } };
  });
  if (!changed) return policy;
  return { ...doc, Statement: Array.isArray(doc.Statement) ? rewritten : rewritten[0] };
}
