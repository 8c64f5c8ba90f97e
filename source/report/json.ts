/** The `--json` document (SPEC.md, "Command line"): one line per diagnosis, so several stream as JSON Lines. */
import type { Diagnosis } from '../diagnose.js';

export function toJsonLine(diagnosis: Diagnosis): string {
  return `${JSON.stringify(diagnosis)}\n`;
}
