/**
 * SDK v3 does not read proxy variables by itself. HTTPS_PROXY (or HTTP_PROXY for plain-HTTP endpoints)
 * routes requests through a proxy, and NO_PROXY exempts hosts, as curl and the AWS CLI do.
 */
import http from 'node:http';
import https from 'node:https';

type Env = Record<string, string | undefined>;

function pick(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name] ?? env[name.toLowerCase()];
    if (value) return value;
  }
  return undefined;
}

/** True when NO_PROXY exempts the host: `*`, exact names, `.suffix` or `suffix` domain matches. */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const name = host.replace(/^\[|\]$/g, '').toLowerCase();
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      const rule = entry.toLowerCase().replace(/:\d+$/, '');
      if (rule === '*') return true;
      const bare = rule.replace(/^\*?\./, '');
      return name === bare || name.endsWith(`.${bare}`);
    });
}

export async function proxyAgents(env: Env): Promise<{ httpsAgent?: https.Agent; httpAgent?: http.Agent }> {
  const httpsProxy = pick(env, 'HTTPS_PROXY');
  const httpProxy = pick(env, 'HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return {};
  const noProxy = pick(env, 'NO_PROXY');
  const { HttpsProxyAgent } = await import('https-proxy-agent');

  function agentFor(proxy: string, direct: http.Agent) {
    // agent-base lets connect() hand the request to another agent: that is the NO_PROXY path.
    class EnvProxyAgent extends HttpsProxyAgent<string> {
      override connect(req: http.ClientRequest, opts: { host?: string | null }) {
        if (bypassesProxy(opts.host ?? '', noProxy)) return direct as never;
        return super.connect(req, opts as never);
      }
    }
    return new EnvProxyAgent(proxy, { keepAlive: true });
  }

  return {
    ...(httpsProxy ? { httpsAgent: agentFor(httpsProxy, new https.Agent({ keepAlive: true })) as unknown as https.Agent } : {}),
    ...(httpProxy ? { httpAgent: agentFor(httpProxy, new http.Agent({ keepAlive: true })) as unknown as http.Agent } : {}),
  };
}
