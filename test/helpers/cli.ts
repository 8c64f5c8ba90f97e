/** Runs the built CLI (dist/cli.cjs) as a user would: a child process, its own environment, no stdin. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { motoEnv } from './moto.js';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = motoEnv()): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface JsonFinding {
  id: string;
  status: string;
  summary: string;
  details: string[];
  evidence: Record<string, unknown>;
  remediation: string;
  fix?: string;
}

export interface JsonDiagnosis {
  schemaVersion: number;
  symptom: string;
  input: { secretId: string | null; region: string | null; principal: string | null };
  identity: { arn: string; account: string; type: string } | null;
  findings: JsonFinding[];
  summary: Record<string, number>;
}

/** Parses `--json` output: exactly one document per line. */
export function documents(stdout: string): JsonDiagnosis[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JsonDiagnosis);
}

export function statuses(d: JsonDiagnosis): Record<string, string> {
  return Object.fromEntries(d.findings.map((f) => [f.id, f.status]));
}

export function finding(d: JsonDiagnosis, id: string): JsonFinding {
  const f = d.findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id} in ${d.findings.map((x) => x.id).join(', ')}`);
  return f;
}
