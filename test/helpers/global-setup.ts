/**
 * Runs once per `vitest run`, in the main process: starts one moto_server on a free loopback port that
 * every test file shares (tests use unique names, so nothing is reset), and makes an empty AWS config and
 * credentials file so no test ever reads the user's own.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMoto, stopMoto } from '../../source/demo/moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. http://127.0.0.1:40123 */
    motoEndpoint: string;
    /** An empty AWS config file of the tests' own. */
    awsConfigFile: string;
    /** An empty AWS shared credentials file of the tests' own. */
    awsCredentialsFile: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'secrets-doctor-test-'));
  const awsConfigFile = join(dir, 'config');
  const awsCredentialsFile = join(dir, 'credentials');
  await writeFile(awsConfigFile, '', { mode: 0o600 });
  await writeFile(awsCredentialsFile, '', { mode: 0o600 });

  let started: Awaited<ReturnType<typeof startMoto>>;
  try {
    started = await startMoto();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const { child, endpoint } = started;

  project.provide('motoEndpoint', endpoint);
  project.provide('awsConfigFile', awsConfigFile);
  project.provide('awsCredentialsFile', awsCredentialsFile);

  return async () => {
    await stopMoto(child);
    await rm(dir, { recursive: true, force: true });
  };
}
