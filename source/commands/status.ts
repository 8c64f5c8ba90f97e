/** What every command shares: where it writes, and how a diagnosis becomes an exit status. No engine here. */
import type { Diagnosis } from '../diagnose.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit status of one diagnosis (SPEC.md, "Statuses"). */
export function exitStatus(d: Diagnosis, strict: boolean): number {
  if (d.findings.some((f) => f.id === 'credentials' && f.status === 'fail')) return 3;
  if (d.summary.fail > 0) return 1;
  if (strict && d.summary.warn + d.summary.unknown > 0) return 1;
  return 0;
}
