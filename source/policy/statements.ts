/** The statements Incident Manager's documentation asks for (SPEC.md, "Facts the checks rely on"). */
import { IM_PRINCIPAL } from '../types.js';

export const IM_SECRET_SID = 'AllowIncidentManagerToReadSecret';

export function incidentManagerSecretStatement(): Record<string, unknown> {
  return {
    Sid: IM_SECRET_SID,
    Effect: 'Allow',
    Principal: { Service: IM_PRINCIPAL },
    Action: 'secretsmanager:GetSecretValue',
    Resource: '*',
  };
}

export function incidentManagerKeyStatement(): Record<string, unknown> {
  return {
    Sid: 'Allow Incident Manager to use the key',
    Effect: 'Allow',
    Principal: { Service: IM_PRINCIPAL },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
  };
}

export function creatorKeyStatement(creatorArn: string): Record<string, unknown> {
  return {
    Sid: 'Allow creator of response plan to use the key',
    Effect: 'Allow',
    Principal: { AWS: creatorArn },
    Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    Resource: '*',
  };
}
