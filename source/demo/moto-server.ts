/**
 * Starts moto_server, the local AWS API emulator, on a free loopback port and waits until it answers.
 * Used by the test suite's global setup and by `npm run demo`. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const READY_WITHIN_MS = 20_000;
export const INSTALL_HINT = 'moto_server was not found: install it with `pip install "moto[server]"`.';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port on 127.0.0.1.'))));
    });
  });
}

/** moto's environment: no proxies (the server is on loopback), nothing of the user's AWS set-up. */
function motoProcessEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|https?_proxy$|no_proxy$|all_proxy$)/i.test(name)) continue;
    env[name] = value;
  }
  return env;
}

export interface Started {
  child: ChildProcess;
  endpoint: string;
}

/** Starts moto_server and resolves once GET /moto-api/ answers with moto's page. */
async function startOnce(): Promise<Started> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: motoProcessEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group, so teardown can stop it and nothing else
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      failure = new Error(INSTALL_HINT);
      failure.stack = `Error: ${INSTALL_HINT}`; // one sentence, no code frame
    } else {
      failure = error;
    }
  });
  child.once('exit', (code, signal) => {
    failure ??= new Error(`moto_server exited before it was ready (${signal ?? `status ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  });

  const deadline = Date.now() + READY_WITHIN_MS;
  let delay = 25;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      const body = await response.text();
      if (response.ok && /moto/i.test(body)) return { child, endpoint };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 250);
  }
  if (failure) throw failure;
  await stopMoto(child);
  throw new Error(`moto_server did not answer on ${endpoint} within ${READY_WITHIN_MS / 1000} s.`);
}

export function stopMoto(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal); // the group we created with detached: true
      } catch {
        try {
          child.kill(signal);
        } catch {
          // already gone
        }
      }
    };
    const hard = setTimeout(() => kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    kill('SIGTERM');
  });
}

/** Starts moto; a free port found by binding 0 can be taken before moto binds it, so it tries a few. */
export async function startMoto(): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      const message = (error as Error).message;
      if (attempt >= 3 || message === INSTALL_HINT || !message.startsWith('moto_server exited')) throw error;
    }
  }
}
