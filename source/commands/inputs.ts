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
    principalProfile: args.principalProfile,
    action: args.action,
    errorMessage: args.errorMessage,
    authorizationId: args.authorizationId,
    sinceMs: args.sinceMs,
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

/**
 * One line when --error-message is not an AWS message the parser understands: said once, and the run goes
 * on without it (it fills nothing in and no check reads anything from it).
 */
export async function errorMessageNote(args: Args): Promise<string | undefined> {
  if (!args.errorMessage?.trim()) return undefined;
  const { parseAccessDenied } = await import('../error-message.js');
  if (parseAccessDenied(args.errorMessage).recognised) return undefined;
  return 'The --error-message text is not an AWS access-denied message this tool recognises ("... is not authorized to perform ..."), so it was not used: paste the whole message as AWS gave it, or leave it out.';
}
