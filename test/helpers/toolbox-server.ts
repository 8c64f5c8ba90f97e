/**
 * A loopback stand-in for IAM Access Troubleshooter (GetRequestAuthorizationDetails), which moto does not
 * implement: it answers the documented shapes (IAM Toolbox API Reference, GetRequestAuthorizationDetails:
 * `GET /authorization-details/{authorizationId}?nextToken=...`, JSON `requestContext`, `evaluations`,
 * `policies`, `nextToken`; errors AccessDeniedException 403, ResourceNotFoundException 404,
 * ThrottlingException 429) and records what it was asked, including the SigV4 scope of each request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ToolboxAnswer {
  status: number;
  body: unknown;
}

export interface SeenRequest {
  path: string;
  nextToken: string | null;
  /** `<region>/<service>` from the Authorization header's credential scope. */
  scope: string | undefined;
  signed: boolean;
}

export interface ToolboxServer {
  url: string;
  seen: SeenRequest[];
  /** What to answer for an authorization ID; pages are answered in order of nextToken ('' for the first). */
  answers: Map<string, Map<string, ToolboxAnswer>>;
  /** GetRequestAuthorizationPolicy: the answer for a policy URI (any authorization ID). */
  policies: Map<string, ToolboxAnswer>;
  close(): Promise<void>;
}

export function page(id: string, nextToken: string, answer: ToolboxAnswer, server: ToolboxServer): void {
  const pages = server.answers.get(id) ?? new Map<string, ToolboxAnswer>();
  pages.set(nextToken, answer);
  server.answers.set(id, pages);
}

export async function startToolboxServer(): Promise<ToolboxServer> {
  const seen: SeenRequest[] = [];
  const answers = new Map<string, Map<string, ToolboxAnswer>>();
  const policies = new Map<string, ToolboxAnswer>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization ?? '';
    const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    const nextToken = url.searchParams.get('nextToken');
    seen.push({ path: url.pathname, nextToken, scope: scope ? `${scope[1]}/${scope[2]}` : undefined, signed: auth.startsWith('AWS4-HMAC-SHA256') });
    const id = /^\/authorization-details\/([^/]+)$/.exec(url.pathname)?.[1];
    const policyOf = /^\/authorization-details\/[^/]+\/policy$/.test(url.pathname) ? url.searchParams.get('policyUri') : null;
    const answer = policyOf !== null ? policies.get(policyOf) : id ? answers.get(decodeURIComponent(id))?.get(nextToken ?? '') : undefined;
    const reply = answer ?? { status: 404, body: { message: 'The authorization details were not found.' } };
    const type =
      reply.status === 403
        ? 'AccessDeniedException'
        : reply.status === 404
          ? 'ResourceNotFoundException'
          : reply.status === 429
            ? 'ThrottlingException'
            : undefined;
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      ...(type && reply.status >= 400 ? { 'x-amzn-errortype': `${type}:http://internal.amazon.com/` } : {}),
    });
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answers,
    policies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
