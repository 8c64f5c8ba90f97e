/**
 * `npm run demo`: a local AWS emulator (moto_server on a free loopback port), seeded with a broken
 * Incident Manager set-up, and secrets-doctor run against it through AWS_ENDPOINT_URL, with dummy
 * credentials, no instance metadata and the user's own AWS config files out of the way. The emulator
 * stops when secrets-doctor exits, or on Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto, stopMoto, INSTALL_HINT } from './moto-server.js';

async function main(): Promise<number> {
  let moto;
  try {
    moto = await startMoto();
  } catch (error) {
    process.stderr.write(`${(error as Error).message === INSTALL_HINT ? INSTALL_HINT : `The local AWS emulator did not start: ${(error as Error).message}`}\n`);
    return 3;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'secrets-doctor-demo-'));
  const cleanup = async () => {
    await stopMoto(moto.child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await writeFile(path.join(dir, 'config'), '', { mode: 0o600 });
    await writeFile(path.join(dir, 'credentials'), '', { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TERM: process.env.TERM,
      ...(process.env.NO_COLOR !== undefined ? { NO_COLOR: process.env.NO_COLOR } : {}),
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // The seed goes through the same SDK resolution as the tool: point this process at the emulator too.
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, env);
    const [{ AwsSession }, { seedScenario, seedCreatorRole }] = await Promise.all([import('../aws/session.js'), import('./seed.js')]);
    const session = new AwsSession({ region: 'us-east-1' });
    const [secret, creator] = await Promise.all([seedScenario(session, 'demo', { prefix: 'prod/' }), seedCreatorRole(session, { allow: true })]);
    process.stderr.write(
      [
        `Local AWS emulator: ${moto.endpoint} (moto_server; nothing leaves this machine).`,
        `Seeded secret: ${secret.secretName}`,
        `  its resource policy lets only lambda.amazonaws.com read it, and its key policy lacks Incident Manager;`,
        `Response plan creator: ${creator}`,
        '',
      ].join('\n'),
    );
    const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.js');
    const args = [
      cli,
      'diagnose',
      '--symptom',
      'incident-manager-secret',
      '--secret-id',
      secret.secretName,
      '--principal',
      creator,
      ...process.argv.slice(2),
    ];
    const child = spawn(process.execPath, args, { env, stdio: 'inherit' });
    const forward = () => child.kill('SIGINT');
    process.on('SIGINT', forward);
    const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(signal ? 130 : (c ?? 1))));
    process.off('SIGINT', forward);
    return code;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`The demo stopped: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 3;
  },
);
