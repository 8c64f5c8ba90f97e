/**
 * A loopback proxy in front of moto_server for timing faults that the fault proxy does not make: an answer
 * held until the test releases it (the request has reached moto; only the answer waits), and an answer
 * dripped one byte at a time. Kept apart from fault-proxy.ts on purpose (small, no shared state).
 * Operations are named as the fault proxy names them ("secretsmanager.PutResourcePolicy").
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** 'hold': forward, keep the answer until `release()`; drip: send the answer's bytes `everyMs` apart. */
export type Slowness = 'hold' | { drip: number };

export interface SlowProxy {
  endpoint: string;
  seen: string[];
  /** Which requests to slow down; may be changed at any time (e.g. armed once a prompt is on screen). */
  rule: (operation: string) => Slowness | undefined;
  /** Resolves when a request for `operation` is being held (or already was). */
  held(operation: string): Promise<void>;
  /** Lets every held answer go. */
  release(): void;
  close(): Promise<void>;
}

function operationOf(req: http.IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', op = ''] = target.split('.');
    return `${prefix.startsWith('secretsmanager') ? 'secretsmanager' : prefix.startsWith('TrentService') ? 'kms' : prefix}.${op}`;
  }
  const auth = String(req.headers.authorization ?? '');
  return `${/\/(sts|iam)\/aws4_request/.exec(auth)?.[1] ?? 'query'}.${new URLSearchParams(body).get('Action') ?? 'Unknown'}`;
}

export async function startSlowProxy(upstream: string): Promise<SlowProxy> {
  const seen: string[] = [];
  const heldOps = new Set<string>();
  const waiters: Array<{ operation: string; resolve: () => void }> = [];
  let releases: Array<() => void> = [];
  const timers = new Set<NodeJS.Timeout>();
  const proxy: SlowProxy = {
    endpoint: '',
    seen,
    rule: () => undefined,
    held: (operation) => (heldOps.has(operation) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ operation, resolve }))),
    release() {
      const pending = releases;
      releases = [];
      for (const go of pending) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(req, body.toString());
      seen.push(operation);
      const slowness = proxy.rule(operation);
      const url = new URL(req.url ?? '/', upstream);
      const forward = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const answer = Buffer.concat(parts);
          const headers = { ...up.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(answer.length);
          const send = () => {
            res.writeHead(up.statusCode ?? 502, headers);
            if (typeof slowness !== 'object') return void res.end(answer);
            let i = 0;
            const timer = setInterval(() => {
              if (res.destroyed || i >= answer.length) {
                clearInterval(timer);
                timers.delete(timer);
                if (!res.destroyed) res.end();
                return;
              }
              res.write(answer.subarray(i, ++i));
            }, slowness.drip);
            timers.add(timer);
          };
          if (slowness !== 'hold') return send();
          releases.push(send);
          heldOps.add(operation);
          for (const w of waiters.filter((x) => x.operation === operation)) w.resolve();
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
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
