/** The `--json` document (SPEC.md, "Command line"): one line per diagnosis, so several stream as JSON Lines. */
import type { Diagnosis } from '../diagnose.js';
import { visibleJson } from '../visible.js';

export function toJsonLine(diagnosis: Diagnosis): string {
  return jsonLine(diagnosis);
}

/** One JSON document on one line, with C1, DEL and bidirectional characters escaped as well (SPEC.md). */
export function jsonLine(value: unknown): string {
  return `${visibleJson(JSON.stringify(value))}\n`;
}
