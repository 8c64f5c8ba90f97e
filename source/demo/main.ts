/**
 * `npm run demo`: a local AWS emulator (moto_server on a free loopback port), seeded with a broken
 * Incident Manager set-up, and the secrets-doctor wizard opened against it through AWS_ENDPOINT_URL, with
 * dummy credentials, no instance metadata and the user's own AWS config files out of the way. The wizard
 * starts on the seeded secret and creator (pre-selected, every step still shown). The emulator stops when
 * secrets-doctor exits, or on Ctrl-C, SIGTERM or a closed terminal.
 *
 * Extra arguments are passed on: `npm run demo -- --plain`, `npm run demo -- diagnose --json`. Without a
 * terminal (or with --json) it runs `diagnose` instead of the wizard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto, stopMoto, INSTALL_HINT, type Started } from './moto-server.js';

const COMMANDS = ['diagnose', 'fix', 'restore-policy'];
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The command line for secrets-doctor: the wizard on a terminal, else `diagnose`; a command given wins. */
export function demoArgs(extra: string[], secretName: string, creator: string, terminal: boolean, backupDir: string): string[] {
  const given = extra.find((a) => COMMANDS.includes(a));
  const rest = extra.filter((a) => a !== given);
  const command = given ?? (!terminal || rest.includes('--json') ? 'diagnose' : undefined);
  // The demo's backups are of throw-away documents: they go with the emulator, not to the user's state folder.
  const backups = rest.some((a) => a === '--backup-dir' || a.startsWith('--backup-dir=')) ? [] : ['--backup-dir', backupDir];
  return [...(command ? [command] : []), '--symptom', 'incident-manager-secret', '--secret-id', secretName, '--principal', creator, ...backups, ...rest];
}

async function main(): Promise<number> {
  let moto: Started | undefined;
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (moto) await stopMoto(moto.child);
      if (dir) await rm(dir, { recursive: true, force: true });
    })());
  // A signal before secrets-doctor runs stops the emulator and ends the demo; while it runs, secrets-doctor
  // gets it (on Ctrl-C the terminal sends it to both; a write in progress finishes first) and the demo
  // cleans up when it exits.
  const onSignal = (signal: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      return;
    }
    void cleanup().then(() => process.exit(130));
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  // On a terminal, what happens before the first screen is said as it happens (it takes a few seconds).
  const progress = (line: string) => process.stderr.isTTY && process.stderr.write(`${line}\n`);
  progress('Starting the local AWS emulator (moto_server)...');
  try {
    moto = await startMoto();
  } catch (error) {
    process.stderr.write(`${(error as Error).message === INSTALL_HINT ? INSTALL_HINT : `The local AWS emulator did not start: ${(error as Error).message}`}\n`);
    return 3;
  }
  try {
    dir = await mkdtemp(path.join(tmpdir(), 'secrets-doctor-demo-'));
    await writeFile(path.join(dir, 'config'), '', { mode: 0o600 });
    await writeFile(path.join(dir, 'credentials'), '', { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TERM: process.env.TERM,
      ...(process.env.NO_COLOR !== undefined ? { NO_COLOR: process.env.NO_COLOR } : {}),
      ...(process.env.XDG_STATE_HOME !== undefined ? { XDG_STATE_HOME: process.env.XDG_STATE_HOME } : {}),
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
    progress('Seeding a broken Incident Manager set-up...');
    // A healthy neighbour too, so that the wizard's list of secrets has something to filter.
    const [secret, creator] = await Promise.all([
      seedScenario(session, 'demo', { prefix: 'prod/' }),
      seedCreatorRole(session, { allow: true }),
      seedScenario(session, 'healthy', { prefix: 'prod/' }),
    ]);
    const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const args = demoArgs(process.argv.slice(2), secret.secretName, creator, terminal, path.join(dir, 'backups'));
    process.stderr.write(
      [
        `Local AWS emulator: ${moto.endpoint} (moto_server; nothing leaves`,
        '  this machine).',
        `Seeded secret: ${secret.secretName}: only lambda.amazonaws.com may`,
        '  read it, and its key policy lacks Incident Manager.',
        'Response plan creator:',
        `  ${creator}`,
        'Backups of what the fixes change go to a temporary folder, removed on exit.',
        ...(args[0] === '--symptom' ? ['The wizard starts with these answers pre-selected: Enter keeps each one.'] : []),
        '',
        '',
      ].join('\n'),
    );
    const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.cjs');
    child = spawn(process.execPath, [cli, ...args], { env, stdio: 'inherit' });
    const started = child;
    const code = await new Promise<number>((resolve) => started.on('close', (c, signal) => resolve(signal ? 130 : (c ?? 1))));
    // The undo commands secrets-doctor printed name backups in this temporary folder, which goes with the
    // emulator (and the emulator's state with it): say so, rather than leave commands that cannot work.
    const backups = await readdir(path.join(dir, 'backups')).catch(() => []);
    if (backups.length) {
      process.stderr.write('\nThe demo is over: its emulator and backups are gone, so the undo commands above no longer apply.\n');
    }
    return code;
  } finally {
    await cleanup();
    for (const s of SIGNALS) process.off(s, onSignal);
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
