/** From flags to the engine's Inputs, shared by `diagnose` and `fix`. Reading --expect is a usage matter. */
import { FileReadError, readRegularFile } from '../read-file.js';
import type { Inputs } from '../types.js';
import { UsageError, type Args } from './args.js';

export async function inputsFromArgs(args: Args, secretId: string | undefined): Promise<Inputs> {
  let expect: string | undefined;
  if (args.expectFile !== undefined) {
    try {
      expect = await readRegularFile(args.expectFile);
    } catch (error) {
      if (error instanceof FileReadError) throw new UsageError(`--expect: ${error.message}`);
      throw error;
    }
  }
  return {
    symptom: args.symptom,
    secretId,
    region: args.region,
    profile: args.profile,
    principal: args.principal,
    action: args.action,
    errorMessage: args.errorMessage,
    authorizationId: args.authorizationId,
    sinceMs: args.sinceMs,
    changed: args.changed as Inputs['changed'],
    expect,
    expectVersionId: args.expectVersionId,
    kmsKeyId: args.kmsKeyId,
    readValue: args.readValue,
    timeoutMs: args.timeoutMs,
    waitMs: args.waitMs,
  };
}
