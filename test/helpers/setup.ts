/**
 * Runs in every worker before its test files: the process may only reach the moto_server of
 * global-setup.ts, with dummy keys, and never the user's AWS config, a proxy or instance metadata.
 * (Ink's test renderer also needs CI unset.)
 */
import { REMOVED_ENV, safeAwsEnv } from './moto.js';

for (const name of REMOVED_ENV) delete process.env[name];
for (const name of Object.keys(process.env)) {
  if (name.startsWith('AWS_ENDPOINT_URL_')) delete process.env[name];
}
Object.assign(process.env, safeAwsEnv());
