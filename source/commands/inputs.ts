/** From flags to the engine's Inputs, shared by `diagnose` and `fix`. Reading --expect is a usage matter. */
import { readFile } from 'node:fs/promises';
import type { Inputs } from '../types.js';
import { UsageError, type Args } from './args.js';

export async function inputsFromArgs(args: Args, secretId: string | undefined): Promise<Inputs> {
  let expect: string | undefined;
  if (args.expectFile !== undefined) {
    try {
      expect = await readFile(args.expectFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--expect ${args.expectFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
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
    changed: args.changed as Inputs['changed'],
    expect,
    expectVersionId: args.expectVersionId,
    kmsKeyId: args.kmsKeyId,
    responsePlanArn: args.responsePlan,
    readValue: args.readValue,
    timeoutMs: args.timeoutMs,
    waitMs: args.waitMs,
  };
}
