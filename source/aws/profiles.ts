/**
 * Whether a profile named on the command line exists, checked before the SDK looks for it: the SDK's
 * answer to a misspelt name is "no credentials" (and, with keys in the environment, a multi-line warning),
 * which sends a person after the wrong problem. Sections are read the way the AWS CLI names them:
 * `[profile NAME]` (or `[NAME]`) in the config file, `[NAME]` in the credentials file.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { shown } from '../commands/shown.js';

export function profileFiles(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

async function sections(file: string, prefixed: boolean): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*\[([^\]\n]+)\]/gm)) {
    const raw = m[1]!.trim();
    names.push(prefixed ? raw.replace(/^profile\s+/, '') : raw);
  }
  return names;
}

/** One sentence when `profile` is in neither file; undefined when it is there. */
export async function missingProfile(profile: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const files = profileFiles(env);
  const [inConfig, inCredentials] = await Promise.all([sections(files.config, true), sections(files.credentials, false)]);
  if (inConfig.includes(profile) || inCredentials.includes(profile)) return undefined;
  return `The profile ${shown(profile)} is not in ${files.config} or ${files.credentials}: check the name (\`aws configure list-profiles\`) or create it with \`aws configure --profile ${shown(profile)}\`.`;
}
