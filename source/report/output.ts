/**
 * Where and in which form `diagnose` and `fix` put their report: --format text|json|markdown, on stdout or,
 * with --output FILE, into that file (written whole at the end: a temporary file, then a rename).
 */
import { linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnosis } from '../diagnose.js';
import { renderReport } from './text.js';
import { renderMarkdown } from './markdown.js';
import type { RerunInputs } from './model.js';
import { toJsonLine } from './json.js';

export interface ReportOptions {
  format: 'text' | 'json' | 'markdown';
  output?: string | undefined;
  color: boolean;
  verbose: boolean;
  action?: string | undefined;
  errorMessage?: string | undefined;
  kmsKeyId?: string | undefined;
  changed?: string | undefined;
  expectVersionId?: string | undefined;
}

/** One diagnosis in the form asked for. A file never gets colour. */
export function renderDiagnosis(d: Diagnosis, options: ReportOptions): string {
  if (options.format === 'json') return toJsonLine(d);
  const extra = {
    action: options.action,
    errorMessage: options.errorMessage,
    kmsKeyId: options.kmsKeyId,
    changed: options.changed,
    expectVersionId: options.expectVersionId,
  };
  if (options.format === 'markdown') return renderMarkdown(d, extra);
  return renderReport(d, { color: options.color && !options.output, verbose: options.verbose, ...extra });
}

/** Writes `text` to `target` whole or not at all: a temporary file beside it, then a rename. */
function writeWhole(target: string, text: string, options: { replace?: boolean } = {}): void {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { mode: 0o644, flag: 'wx' });
    // Without `replace`, a file that is there already is kept (link fails on an existing name).
    if (options.replace ?? true) renameSync(temp, target);
    else linkSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Saves the Markdown report of `d` in `dir` under a new name (secrets-doctor-report-<time>.md, a number
 * added when that is taken: an existing file is never replaced); returns its path.
 */
export function saveMarkdown(d: Diagnosis, extra: RerunInputs, dir: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const text = renderMarkdown(d, extra);
  for (let n = 1; ; n++) {
    const target = path.resolve(dir, `secrets-doctor-report-${stamp}${n > 1 ? `-${n}` : ''}.md`);
    try {
      writeWhole(target, text, { replace: false });
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

export interface ReportSink {
  write(text: string): void;
  /** Writes the file (with --output); returns a sentence for stderr when that failed, else undefined. */
  close(): string | undefined;
}

export function reportSink(options: Pick<ReportOptions, 'output'>, stdout: (text: string) => void, stderr: (text: string) => void): ReportSink {
  if (!options.output) return { write: stdout, close: () => undefined };
  const target = path.resolve(options.output);
  const parts: string[] = [];
  return {
    write: (text) => parts.push(text),
    close: () => {
      try {
        writeWhole(target, parts.join(''));
      } catch (error) {
        return `The report could not be written to ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Choose another --output.`;
      }
      stderr(`The report is in ${target}\n`);
      return undefined;
    },
  };
}
