/**
 * A small HTTP proxy in front of moto_server, on loopback, that can answer some requests itself with a
 * fault (throttling, 5xx, a hang) instead of forwarding them. Point AWS_ENDPOINT_URL at `endpoint`.
 * Requests are identified by operation: the X-Amz-Target header (JSON protocols) or the Action parameter
 * (query protocols).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** `forward: true` sends the request on to moto first and answers with the fault anyway (a lost answer). */
/** 'hang': never answer; 'drop': close the connection without an answer. */
export type Fault = { status: number; code: string; message?: string; forward?: boolean } | 'hang' | 'drop';

export interface FaultProxy {
  endpoint: string;
  /** Operations seen, in order (e.g. "secretsmanager.DescribeSecret", "sts.GetCallerIdentity"). */
  seen: string[];
  close(): Promise<void>;
}

/** Decides per request: a fault to answer with, or undefined to forward. `n` counts that operation's requests from 1. */
export type FaultRule = (operation: string, n: number) => Fault | undefined;

function operationOf(req: http.IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', op = ''] = target.split('.');
    const service = prefix.startsWith('secretsmanager') ? 'secretsmanager' : prefix.startsWith('TrentService') ? 'kms' : prefix;
    return `${service}.${op}`;
  }
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? 'Unknown';
  const auth = String(req.headers.authorization ?? '');
  const service = /\/(sts|iam)\/aws4_request/.exec(auth)?.[1] ?? 'query';
  return `${service}.${action}`;
}

export async function startFaultProxy(upstream: string, rule: FaultRule): Promise<FaultProxy> {
  const counts = new Map<string, number>();
  const seen: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req, body.toString());
      const n = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, n);
      seen.push(operation);
      const fault = rule(operation, n);
      if (fault === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      const answerWithFault = (f: Exclude<Fault, 'hang' | 'drop'>) => {
        // As the service would: an XML error document for the query protocols (IAM, STS), JSON otherwise.
        if (/^(iam|sts)\./.test(operation)) {
          const code = f.code.replace(/Exception$/, '');
          res.writeHead(f.status, { 'content-type': 'text/xml' });
          res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${f.message ?? code}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`);
          return;
        }
        const json = JSON.stringify({ __type: f.code, message: f.message ?? f.code });
        res.writeHead(f.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': f.code });
        res.end(json);
      };
      if (fault && !fault.forward) return answerWithFault(fault);
      const url = new URL(req.url ?? '/', upstream);
      const forward = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
        if (fault) {
          up.resume();
          up.on('end', () => answerWithFault(fault));
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
