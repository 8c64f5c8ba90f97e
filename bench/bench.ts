/**
 * The benchmark (not a test): start-up, one full Incident Manager diagnosis (requests, wall time at 0 and
 * 150 ms of added latency, effective sequential round trips), the same facts gathered by hand with the AWS
 * CLI, and many secrets in one run. Everything runs on loopback against moto_server, behind a proxy that
 * delays and counts requests. Prints one table.
 */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, stopMoto } from '../source/demo/moto-server.js';
import { seedScenario, seedCreatorRole } from '../source/demo/seed.js';
import { AwsSession } from '../source/aws/session.js';

const CLI = path.resolve('dist/cli.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
const SIZES = (process.env.BENCH_SECRETS ?? '10,100,1000').split(',').map(Number);

interface DelayProxy {
  endpoint: string;
  delayMs: number;
  count: number;
  close(): Promise<void>;
}

/** Starts a server on a free loopback port: its endpoint, and a close that also ends kept-alive connections. */
async function listen(server: http.Server): Promise<{ endpoint: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Forwards to moto after a fixed delay, and counts requests. */
async function delayProxy(upstream: string): Promise<DelayProxy> {
  const state = { delayMs: 0, count: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    state.count++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const url = new URL(req.url ?? '/', upstream);
        const forward = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host }, agent }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        forward.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        forward.end(Buffer.concat(chunks));
      }, state.delayMs);
    });
  });
  return Object.assign(state, await listen(server)) as DelayProxy;
}

/**
 * AWS's own evidence, which moto lacks, answered after the same delay as the proxy: IAM Access Troubleshooter
 * (an SCP deny) and CloudTrail LookupEvents (no refused request found).
 */
async function evidenceServer(delay: { delayMs: number }): Promise<{ endpoint: string; count: number; close(): Promise<void> }> {
  const state = { count: 0 };
  const server = http.createServer((req, res) => {
    state.count++;
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        const trail = String(req.headers['x-amz-target'] ?? '').endsWith('LookupEvents');
        res.writeHead(200, { 'content-type': trail ? 'application/x-amz-json-1.1' : 'application/json' });
        res.end(
          JSON.stringify(
            trail
              ? { Events: [] }
              : {
                  requestContext: {},
                  evaluations: [
                    {
                      action: 'secretsmanager:GetSecretValue',
                      resource: '*',
                      evaluatedEffect: 'EXPLICIT_DENY',
                      matchedPolicies: [{ uri: 'scp-1', matchedStatements: [{ sid: 'Deny', evaluatedEffect: 'DENY' }] }],
                    },
                  ],
                  policies: [{ type: 'SERVICE_CONTROL_POLICY', uri: 'scp-1' }],
                },
          ),
        );
      }, delay.delayMs),
    );
  });
  return Object.assign(state, await listen(server));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a command to its end: wall time, exit status, stdout, and (with `rss`, through /usr/bin/time) peak RSS. */
function timeRun(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  rss = false,
): Promise<{ ms: number; code: number | null; stdout: string; maxRssKb?: number }> {
  const useTime = rss && existsSync('/usr/bin/time');
  const [cmd, argv] = useTime ? ['/usr/bin/time', ['-f', '__MAXRSS__%M', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, argv as string[], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      const rss = /__MAXRSS__(\d+)/.exec(stderr)?.[1];
      resolve({ ms, code, stdout, ...(rss ? { maxRssKb: Number(rss) } : {}) });
    });
  });
}

async function medianOf(runs: number, run: () => Promise<{ ms: number }>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await run()).ms);
  return median(times);
}

/**
 * Time from starting a command on a terminal (a fresh pseudo-terminal, bench/first-frame.py) to `marker`
 * in its output, or undefined without python3.
 */
function firstFrameMs(env: NodeJS.ProcessEnv, marker: string, command: string[]): { ms: number } | undefined {
  const run = spawnSync('python3', [path.resolve('bench/first-frame.py'), '1', marker, ...command], { env, encoding: 'utf8' });
  const [ms] = run.status === 0 ? (JSON.parse(run.stdout) as number[]) : [];
  return ms === undefined ? undefined : { ms };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first.');
  const moto = await startMoto();
  const proxy = await delayProxy(moto.endpoint);
  const dir = await mkdtemp(path.join(tmpdir(), 'sd-bench-'));
  await writeFile(path.join(dir, 'config'), '');
  await writeFile(path.join(dir, 'credentials'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TERM: process.env.TERM ?? 'xterm-256color',
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const rows: [string, string][] = [];
  const row = (name: string, value: string) => {
    rows.push([name, value]);
    process.stderr.write(`${name}: ${value}\n`);
  };
  try {
    // Seed straight at moto (not through the counting proxy).
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, env, { AWS_ENDPOINT_URL: moto.endpoint });
    const session = new AwsSession({ region: 'us-east-1' });
    const [demo, creator] = await Promise.all([seedScenario(session, 'demo', { prefix: 'bench/' }), seedCreatorRole(session, { allow: true })]);

    // Start-up: each measure in turn, STARTUP_RUNS times, so that a slow spell of the machine hits all alike.
    const marker = 'Which error do you see';
    const startup = {
      floor: () => timeRun(process.execPath, ['-e', '0'], env),
      version: () => timeRun(process.execPath, [CLI, '--version'], env),
      printing: async () => firstFrameMs(env, marker, [process.execPath, '-e', `console.log('${marker}')`]),
      inkHello: async () => firstFrameMs(env, marker, [process.execPath, path.resolve('.tmp/ink-hello.mjs')]),
      wizard: async () => firstFrameMs(env, marker, [process.execPath, CLI]),
    };
    const times = Object.fromEntries(Object.keys(startup).map((k) => [k, [] as number[]])) as Record<keyof typeof startup, number[]>;
    for (let i = 0; i < STARTUP_RUNS; i++) {
      for (const [name, run] of Object.entries(startup) as [keyof typeof startup, () => Promise<{ ms: number } | undefined>][]) {
        const result = await run();
        if (result) times[name].push(result.ms);
      }
    }
    const floor = median(times.floor);
    const ratio = (name: keyof typeof startup) =>
      times[name].length ? `${median(times[name]).toFixed(0)} ms (${(median(times[name]) / floor).toFixed(2)}x node -e 0)` : 'n/a (python3 missing)';
    row('node -e 0 (floor)', `${floor.toFixed(0)} ms`);
    row('secrets-doctor --version', `${ratio('version')}; target <= 1.5x`);
    row('first frame on a terminal: node printing it', ratio('printing'));
    row('first frame on a terminal: Ink hello world', ratio('inkHello'));
    row('first frame on a terminal: the wizard', `${ratio('wizard')}; target <= 4x`);
    if (process.env.BENCH_ONLY === 'startup') return;

    // One full diagnosis, at 0 and 150 ms of added latency: as moto's default identity (the target), and
    // for a --principal role whose policies must be read through IAM (moto has no policy simulator).
    const diagnosis = async (label: string, extra: string[]) => {
      const args = [CLI, 'diagnose', '--symptom', 'incident-manager-secret', '--secret-id', demo.secretArn, '--json', ...extra];
      proxy.delayMs = 0;
      proxy.count = 0;
      await timeRun(process.execPath, args, env);
      const requests = proxy.count;
      const t0 = await medianOf(RUNS, () => timeRun(process.execPath, args, env));
      proxy.delayMs = 150;
      const t150 = await medianOf(Math.max(3, Math.ceil(RUNS / 2)), () => timeRun(process.execPath, args, env));
      proxy.delayMs = 0;
      row(`diagnosis (${label}): requests`, String(requests));
      row(`diagnosis (${label}): wall time 0 / 150 ms added`, `${t0.toFixed(0)} ms / ${t150.toFixed(0)} ms`);
      row(`diagnosis (${label}): sequential round trips`, `${((t150 - t0) / 150).toFixed(2)}${label === 'default identity' ? ' (target <= 3)' : ''}`);
      return t150;
    };
    const t150 = await diagnosis('default identity', []);
    await diagnosis('--principal role', ['--principal', creator]);

    // access-denied with a pasted message that carries an authorization ID, against the same diagnosis
    // without one: AWS's record (IAM Access Troubleshooter) is read in the first wave, beside CloudTrail.
    const evidence = await evidenceServer(proxy);
    try {
      const evidenceEnv = { ...env, AWS_ENDPOINT_URL_IAM_TOOLBOX: evidence.endpoint, AWS_ENDPOINT_URL_CLOUDTRAIL: evidence.endpoint };
      const message = `User: ${creator} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${demo.secretArn} with an explicit deny in a service control policy. Go to https://us-east-1.console.aws.amazon.com/iam/home?region=us-east-1#/authorization-details/benchid1 for complete details, or call the GetRequestAuthorizationDetails API with the following authorization id: benchid1`;
      const accessDenied = async (extra: string[]) => {
        const args = [CLI, 'diagnose', '--symptom', 'access-denied', '--secret-id', demo.secretArn, '--principal', creator, '--json', ...extra];
        proxy.delayMs = 0;
        const t0 = await medianOf(RUNS, () => timeRun(process.execPath, args, evidenceEnv));
        proxy.delayMs = 150;
        const t = await medianOf(Math.max(3, Math.ceil(RUNS / 2)), () => timeRun(process.execPath, args, evidenceEnv));
        proxy.delayMs = 0;
        return (t - t0) / 150;
      };
      const without = await accessDenied([]);
      const withId = await accessDenied(['--error-message', message]);
      row('access-denied: round trips without / with a message and authorization ID', `${without.toFixed(2)} / ${withId.toFixed(2)} (target: at most 1 more)`);
    } finally {
      await evidence.close();
    }

    // The same facts by hand with the AWS CLI, one command after another, at 150 ms.
    const cli = (args: string[]) => timeRun('aws', ['--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--output', 'json', ...args], env);
    const byHand = async () => {
      const started = performance.now();
      await cli(['sts', 'get-caller-identity']);
      await cli(['secretsmanager', 'describe-secret', '--secret-id', demo.secretArn]);
      await cli(['secretsmanager', 'get-resource-policy', '--secret-id', demo.secretArn]);
      await cli(['kms', 'describe-key', '--key-id', demo.keyArn!]);
      await cli(['kms', 'get-key-policy', '--key-id', demo.keyArn!, '--policy-name', 'default']);
      return { ms: performance.now() - started };
    };
    if (spawnSync('aws', ['--version']).status === 0) {
      const handTime = await medianOf(3, byHand);
      row('AWS CLI by hand (5 commands), 150 ms added', `${handTime.toFixed(0)} ms (${(handTime / t150).toFixed(1)}x secrets-doctor; target >= 3x)`);
    } else row('AWS CLI by hand', 'n/a (aws missing)');
    proxy.delayMs = 0;

    // Many secrets in one run.
    for (const size of SIZES) {
      const seeded = await Promise.all(
        Array.from({ length: size }, (_, i) => i).reduce<Promise<string>[]>((all, i) => {
          all.push(
            (async () => {
              const { CreateSecretCommand } = await import('@aws-sdk/client-secrets-manager');
              const sm = await session.secretsManager();
              const out = await sm.send(new CreateSecretCommand({ Name: `bench/many-${size}-${i}-${process.pid}`, SecretString: '{}', KmsKeyId: demo.keyArn }));
              return out.ARN!;
            })(),
          );
          return all;
        }, []),
      );
      const args = [
        CLI,
        'diagnose',
        '--symptom',
        'incident-manager-secret',
        '--principal',
        creator,
        '--json',
        ...seeded.flatMap((arn) => ['--secret-id', arn]),
      ];
      proxy.count = 0;
      const run = await timeRun(process.execPath, args, env, true);
      const docs = run.stdout.trim().split('\n').filter(Boolean).length;
      // Live memory, in-process: the heap after a full GC, early in the run and at its end.
      let heap = '';
      if (size >= 200) {
        const v8 = await import('node:v8');
        const vm = await import('node:vm');
        v8.setFlagsFromString('--expose-gc');
        const gc = vm.runInNewContext('gc') as () => void;
        const { diagnoseMany } = await import('../source/diagnose-many.js');
        const inProcess = new AwsSession({ region: 'us-east-1' });
        const samples: number[] = [];
        process.env.AWS_ENDPOINT_URL = moto.endpoint;
        await diagnoseMany(inProcess, { symptom: 'incident-manager-secret', principal: creator }, seeded, {
          onDiagnosis: (_d, done) => {
            if (done === 100 || done === size) {
              gc();
              samples.push(process.memoryUsage().heapUsed / 1_048_576);
            }
          },
        });
        heap = `, live heap after GC ${samples.map((m) => `${m.toFixed(1)}`).join(' -> ')} MiB (after 100 -> after ${size}, in-process)`;
      }
      row(
        `${size} secrets in one run`,
        `${run.ms.toFixed(0)} ms (${(run.ms / size).toFixed(1)} ms/secret), ${proxy.count} requests, peak RSS ${run.maxRssKb ? `${(run.maxRssKb / 1024).toFixed(0)} MiB` : 'n/a'}, ${docs} documents${heap}`,
      );
    }
  } finally {
    await proxy.close();
    await stopMoto(moto.child);
    await rm(dir, { recursive: true, force: true });
    // The table, of whatever was measured (BENCH_ONLY=startup stops after start-up).
    const width = Math.max(...rows.map(([n]) => n.length));
    process.stdout.write(`\nsecrets-doctor benchmark (${process.version}, ${cpus().length} cores)\n`);
    for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`The benchmark stopped: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
