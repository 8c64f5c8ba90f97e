/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY: SDK v3 ignores them by itself; the session honours them. A CONNECT
 * proxy on loopback counts the tunnels it opens to moto_server.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../source/aws/session.js';
import { bypassesProxy } from '../../source/aws/proxy.js';

let proxy: http.Server;
let proxyUrl: string;
let tunnels: string[] = [];

beforeAll(async () => {
  proxy = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

afterEach(() => {
  delete process.env.HTTP_PROXY;
  delete process.env.NO_PROXY;
  tunnels = [];
});

async function callerArn(): Promise<string | undefined> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const session = new AwsSession({ region: 'us-east-1', timeoutMs: 5000 });
  const out = await (await session.sts()).send(new GetCallerIdentityCommand({}));
  return out.Arn;
}

describe('proxy variables', () => {
  it('sends requests through HTTP_PROXY for a plain-HTTP endpoint', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    expect(await callerArn()).toContain(':user/moto');
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels[0]).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('goes direct for hosts that NO_PROXY exempts', async () => {
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = 'localhost,127.0.0.1';
    expect(await callerArn()).toContain(':user/moto');
    expect(tunnels).toEqual([]);
  });

  it.each([
    ['secretsmanager.us-east-1.amazonaws.com', '.amazonaws.com', true],
    ['secretsmanager.us-east-1.amazonaws.com', 'amazonaws.com', true],
    ['secretsmanager.us-east-1.amazonaws.com', '*', true],
    ['sts.amazonaws.com', 'example.com, sts.amazonaws.com', true],
    ['kms.eu-west-1.amazonaws.com', 'example.com', false],
    ['127.0.0.1', '127.0.0.1:4566', true],
    ['notamazonaws.com', 'amazonaws.com', false],
    ['anything', undefined, false],
  ] as const)('bypassesProxy(%s, %s) is %s', (host, rule, expected) => {
    expect(bypassesProxy(host, rule)).toBe(expected);
  });
});
