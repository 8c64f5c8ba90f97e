/**
 * Helpers for tests that talk to the moto_server started by global-setup.ts.
 */
import { inject } from 'vitest';
import { AwsSession } from '../../source/aws/session.js';

/** Variables a test process or a spawned CLI must not inherit: they could reach a real account or a proxy. */
export const REMOVED_ENV = [
  'CI',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_DEFAULT_REGION',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
] as const;

/** The moto endpoint, e.g. http://127.0.0.1:40123. */
export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** The AWS variables every test runs with: dummy keys, moto as the endpoint, config files of our own. */
export function safeAwsEnv(): Record<string, string> {
  return {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: inject('awsConfigFile'),
    AWS_SHARED_CREDENTIALS_FILE: inject('awsCredentialsFile'),
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: motoEndpoint(),
  };
}

/**
 * A complete environment for spawning the built CLI against moto: PATH and HOME from this process, the safe
 * AWS variables, nothing else (no CI, no proxies, no AWS_* of the user's). `extra` wins; a value of
 * undefined removes a variable.
 */
export function motoEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...safeAwsEnv(),
  };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** An AwsSession against moto, with a short timeout. */
export function newSession(region = 'us-east-1'): AwsSession {
  return new AwsSession({ region, timeoutMs: 5000 });
}
