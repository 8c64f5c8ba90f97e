/**
 * A small HTTP proxy in front of moto_server, on loopback, that moves the `Date` header of every answer by a
 * fixed offset: AWS's clock as seen from a machine whose own clock is off. Point AWS_ENDPOINT_URL at
 * `endpoint`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClockProxy {
  endpoint: string;
  /** How many answers went through with a moved Date header. */
  rewritten: () => number;
  close(): Promise<void>;
}

export async function startClockProxy(upstream: string, offsetMs: number): Promise<ClockProxy> {
  let rewritten = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const forward = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (up) => {
      const headers = { ...up.headers };
      const date = Date.parse(String(headers.date ?? ''));
      if (Number.isFinite(date)) {
        headers.date = new Date(date + offsetMs).toUTCString();
        rewritten++;
      }
      res.writeHead(up.statusCode ?? 502, headers);
      up.pipe(res);
    });
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    rewritten: () => rewritten,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
