/**
 * The one HTTP proxy the tests put in front of moto_server, on loopback. Per request it forwards, or
 * answers with a fault of its own: an AWS error (throttling, 5xx), a hang, a dropped connection, a body of
 * its choosing (empty, HTML, not JSON), or moto's own answer altered (truncated, keys duplicated); it can
 * also drip an answer out slowly and move every answer's `Date` header (a machine whose clock is off).
 * Point AWS_ENDPOINT_URL at `endpoint`. Requests are identified by operation: the X-Amz-Target header
 * (JSON protocols) or the Action parameter (query protocols).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An AWS error document; `forward: true` sends the request on to moto first and answers with it anyway (a lost answer). */
export type ErrorFault = { status: number; code: string; message?: string; forward?: boolean };
/** A body of the proxy's own, not forwarded: e.g. an empty 200, an HTML page, text that is not JSON. */
export type BodyFault = { body: string; status?: number; contentType?: string };
/**
 * moto's answer, changed before it is passed on: `alter` gets its body and returns the new one. With
 * `lieAboutLength` the Content-Length stays the original's, so the connection ends early (a cut transfer).
 */
export type AlterFault = { alter: (body: string) => string; lieAboutLength?: boolean };
/** moto's answer, sent `chunkBytes` at a time, `everyMs` apart. */
export type DripFault = { drip: { chunkBytes: number; everyMs: number } };
/** 'hang': never answer; 'drop': close the connection without an answer. */
export type Fault = ErrorFault | BodyFault | AlterFault | DripFault | 'hang' | 'drop';

export interface FaultProxy {
  endpoint: string;
  /** Operations seen, in order (e.g. "secretsmanager.DescribeSecret", "sts.GetCallerIdentity"). */
  seen: string[];
  /** How many forwarded answers had their Date header moved (with `dateOffsetMs`). */
  rewritten(): number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Moves the `Date` header of every forwarded answer by this much: AWS's clock seen from a skewed machine. */
  dateOffsetMs?: number;
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

function answerWithError(res: http.ServerResponse, operation: string, f: ErrorFault): void {
  // As the service would: an XML error document for the query protocols (IAM, STS), JSON otherwise.
  if (/^(iam|sts)\./.test(operation)) {
    const code = f.code.replace(/Exception$/, '');
    res.writeHead(f.status, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${f.message ?? code}</Message></Error><RequestId>fault</RequestId></ErrorResponse>`,
    );
    return;
  }
  const json = JSON.stringify({ __type: f.code, message: f.message ?? f.code });
  res.writeHead(f.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': f.code });
  res.end(json);
}

export async function startFaultProxy(upstream: string, rule: FaultRule = () => undefined, options: ProxyOptions = {}): Promise<FaultProxy> {
  const counts = new Map<string, number>();
  const seen: string[] = [];
  const open = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let rewritten = 0;

  /** moto's headers, with the Date moved where asked. */
  const headersOf = (up: http.IncomingMessage): http.OutgoingHttpHeaders => {
    const headers: http.OutgoingHttpHeaders = { ...up.headers };
    const date = Date.parse(String(headers.date ?? ''));
    if (options.dateOffsetMs !== undefined && Number.isFinite(date)) {
      headers.date = new Date(date + options.dateOffsetMs).toUTCString();
      rewritten++;
    }
    return headers;
  };

  const server = http.createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req, body.toString());
      const n = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, n);
      seen.push(operation);
      const fault = rule(operation, n);
      if (fault === 'hang') return;
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault && 'body' in fault) {
        res.writeHead(fault.status ?? 200, {
          'content-type': fault.contentType ?? 'application/x-amz-json-1.1',
          'content-length': Buffer.byteLength(fault.body),
        });
        res.end(fault.body);
        return;
      }
      if (fault && 'code' in fault && !fault.forward) return answerWithError(res, operation, fault);
      const url = new URL(req.url ?? '/', upstream);
      const forward = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
        if (fault && 'code' in fault) {
          up.resume();
          up.on('end', () => answerWithError(res, operation, fault));
          return;
        }
        if (!fault) {
          res.writeHead(up.statusCode ?? 502, headersOf(up));
          up.pipe(res);
          return;
        }
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const original = Buffer.concat(parts);
          const headers = headersOf(up);
          if ('alter' in fault) {
            const altered = Buffer.from(fault.alter(original.toString('utf8')));
            const length = fault.lieAboutLength ? Math.max(original.length, altered.length + 1) : altered.length;
            res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': length });
            res.write(altered);
            // The promised length is never reached: end the connection mid-answer.
            if (fault.lieAboutLength) res.socket?.destroy();
            else res.end();
            return;
          }
          res.writeHead(up.statusCode ?? 502, { ...headers, 'content-length': original.length });
          let offset = 0;
          const tick = () => {
            if (res.destroyed) return;
            res.write(original.subarray(offset, offset + fault.drip.chunkBytes));
            offset += fault.drip.chunkBytes;
            if (offset >= original.length) return void res.end();
            const timer = setTimeout(() => {
              timers.delete(timer);
              tick();
            }, fault.drip.everyMs);
            timers.add(timer);
          };
          tick();
        });
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
    rewritten: () => rewritten,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
