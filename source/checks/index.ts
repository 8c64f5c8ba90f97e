/** Every check's implementation and title; the order is types.ts's CHECK_IDS. */
import type { CheckId } from '../types.js';
import type { Check } from './common.js';
import { credentials } from './credentials.js';
import { awsAuthorization } from './aws-authorization.js';
import { deniedRequest } from './denied-request.js';
import { secretId } from './secret-id.js';
import { secretExists } from './secret-exists.js';
import { callerPermission } from './caller-permission.js';
import { secretPolicyCaller } from './secret-policy-caller.js';
import { orgPolicies } from './org-policies.js';
import { secretPolicyIncidentManager } from './secret-policy-incident-manager.js';
import { kmsKeyCustomerManaged } from './kms-key-customer-managed.js';
import { clockSkew } from './clock-skew.js';
import { temporaryCredentials } from './temporary-credentials.js';
import { kmsKeySymmetric } from './kms-key-symmetric.js';
import { kmsKeyUsable } from './kms-key-usable.js';
import { policyConditions } from './policy-conditions.js';
import { propagation } from './propagation.js';
import { kmsPolicyIncidentManager } from './kms-policy-incident-manager.js';
import { kmsPolicyCaller } from './kms-policy-caller.js';
import { secretValueFormat } from './secret-value-format.js';
import { withDocumentCaveat } from './document-caveat.js';

/** Every check but service-health, which diagnose() computes from the request log. */
export const CHECKS: Record<Exclude<CheckId, 'service-health'>, Check> = {
  'aws-authorization': awsAuthorization,
  'denied-request': deniedRequest,
  credentials,
  'clock-skew': clockSkew,
  'temporary-credentials': temporaryCredentials,
  'secret-id': secretId,
  'secret-exists': secretExists,
  'caller-permission': callerPermission,
  'secret-policy-caller': secretPolicyCaller,
  'org-policies': orgPolicies,
  'secret-policy-incident-manager': secretPolicyIncidentManager,
  'kms-key-customer-managed': kmsKeyCustomerManaged,
  'kms-key-usable': kmsKeyUsable,
  'kms-key-symmetric': kmsKeySymmetric,
  'kms-policy-incident-manager': kmsPolicyIncidentManager,
  'kms-policy-caller': kmsPolicyCaller,
  'secret-value-format': secretValueFormat,
  'policy-conditions': policyConditions,
  propagation,
};

export const TITLES: Record<CheckId, string> = {
  'aws-authorization': awsAuthorization.title,
  'denied-request': deniedRequest.title,
  credentials: credentials.title,
  'clock-skew': clockSkew.title,
  'temporary-credentials': temporaryCredentials.title,
  'secret-id': secretId.title,
  'secret-exists': secretExists.title,
  'caller-permission': callerPermission.title,
  'secret-policy-caller': secretPolicyCaller.title,
  'org-policies': orgPolicies.title,
  'secret-policy-incident-manager': secretPolicyIncidentManager.title,
  'kms-key-customer-managed': kmsKeyCustomerManaged.title,
  'kms-key-usable': kmsKeyUsable.title,
  'kms-key-symmetric': kmsKeySymmetric.title,
  'kms-policy-incident-manager': kmsPolicyIncidentManager.title,
  'kms-policy-caller': kmsPolicyCaller.title,
  'secret-value-format': secretValueFormat.title,
  'policy-conditions': policyConditions.title,
  propagation: propagation.title,
  'service-health': 'AWS answered without throttling or errors',
};

// The policy checks say when the document they read does not survive parsing, and then offer no fix.
CHECKS['secret-policy-caller'] = withDocumentCaveat(CHECKS['secret-policy-caller'], 'secret-policy');
CHECKS['secret-policy-incident-manager'] = withDocumentCaveat(CHECKS['secret-policy-incident-manager'], 'secret-policy');
CHECKS['kms-policy-incident-manager'] = withDocumentCaveat(CHECKS['kms-policy-incident-manager'], 'key-policy');
CHECKS['kms-policy-caller'] = withDocumentCaveat(CHECKS['kms-policy-caller'], 'key-policy');
