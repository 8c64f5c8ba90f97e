/**
 * A loopback stand-in for CloudTrail's LookupEvents, which moto does not implement: the JSON 1.1 protocol
 * (`X-Amz-Target: CloudTrail_20131101.LookupEvents`), pages of `Events` with `CloudTrailEvent` records as
 * CloudTrail writes them (CloudTrail User Guide, "CloudTrail record contents"), and `NextToken`. It records
 * each request's time and body, so a test can check the pacing and the filter sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrailRequest {
  at: number;
  target: string | undefined;
  body: {
    LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
    StartTime?: number;
    EndTime?: number;
    NextToken?: string;
    MaxResults?: number;
  };
}

export interface CloudTrailServer {
  url: string;
  requests: TrailRequest[];
  /** Pages in order; each holds records (objects, serialised into CloudTrailEvent). */
  pages: Record<string, unknown>[][];
  /** Answer every request with this status and error type instead. */
  fail?: { status: number; type: string; message: string } | undefined;
  close(): Promise<void>;
}

export async function startCloudTrailServer(): Promise<CloudTrailServer> {
  const state: Omit<CloudTrailServer, 'url' | 'close'> = { requests: [], pages: [] };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as TrailRequest['body'];
      state.requests.push({ at: performance.now(), target: req.headers['x-amz-target'] as string | undefined, body });
      const fail = (state as CloudTrailServer).fail;
      if (fail) {
        res.writeHead(fail.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: fail.type, message: fail.message }));
        return;
      }
      const index = body.NextToken ? Number(body.NextToken) : 0;
      const records = state.pages[index] ?? [];
      const next = index + 1 < state.pages.length ? String(index + 1) : undefined;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(
        JSON.stringify({
          Events: records.map((r) => ({
            EventId: r.eventID,
            EventName: r.eventName,
            EventTime: Date.parse(String(r.eventTime)) / 1000,
            EventSource: r.eventSource,
            CloudTrailEvent: JSON.stringify(r),
          })),
          ...(next ? { NextToken: next } : {}),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state as CloudTrailServer, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A GetSecretValue record as CloudTrail writes one (fields from aws-facts.md section 12). */
export function trailRecord(fields: {
  id: string;
  time: string;
  arn: string;
  issuer?: string;
  secretId: string;
  errorCode?: string;
  sourceIp?: string;
  vpce?: string;
  mfa?: boolean;
  eventName?: string;
}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: fields.issuer ? 'AssumedRole' : 'IAMUser',
      arn: fields.arn,
      accountId: '123456789012',
      ...(fields.issuer
        ? {
            sessionContext: {
              sessionIssuer: { type: 'Role', arn: fields.issuer, accountId: '123456789012' },
              attributes: { creationDate: fields.time, mfaAuthenticated: String(fields.mfa ?? false) },
            },
          }
        : {}),
    },
    eventTime: fields.time,
    eventSource: 'secretsmanager.amazonaws.com',
    eventName: fields.eventName ?? 'GetSecretValue',
    awsRegion: 'us-east-1',
    sourceIPAddress: fields.sourceIp ?? '198.51.100.23',
    userAgent: 'aws-cli/2.15.0 md/awscrt#0.19.19',
    ...(fields.errorCode
      ? {
          errorCode: fields.errorCode,
          errorMessage: `User: ${fields.arn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${fields.secretId}`,
        }
      : {}),
    requestParameters: { secretId: fields.secretId },
    responseElements: null,
    requestID: `req-${fields.id}`,
    eventID: fields.id,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    ...(fields.vpce ? { vpcEndpointId: fields.vpce, vpcEndpointAccountId: '123456789012' } : {}),
  };
}
