/**
 * The Markdown report, for a ticket: a title, the input, what to do first, a table of every finding, the
 * details of every non-pass, and the command that re-runs it (SPEC.md, "Reports a person can act on").
 */
import type { Diagnosis } from '../diagnose.js';
import { reportModel, type RerunInputs } from './model.js';
import { visible } from '../visible.js';

/** Text inside a table cell: one line, control characters visible, pipes escaped. */
function cell(text: string): string {
  return visible(text.replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|');
}

/** Inline code that survives backticks inside it. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${text}${fence === '``' ? ' ' : ''}${fence}`;
}

/** A fenced block whose fence is longer than any run of backticks inside. */
function block(text: string, lang = 'sh'): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, text, fence];
}

export function renderMarkdown(d: Diagnosis, extra: RerunInputs = {}): string {
  const m = reportModel(d, extra);
  const out: string[] = [`# secrets-doctor: ${m.title}`, '', `**${m.headline}**`, ''];
  for (const i of m.input) out.push(`- ${i.label}: ${i.label === 'secret' ? code(i.value.slice(1, -1)) : i.value}`);
  if (m.todo.length) {
    out.push('', '## What to do first', '');
    m.todo.forEach((t, n) => {
      out.push(`${n + 1}. **${t.check}** (${t.status}): ${t.text}`);
      if (t.command) out.push('', ...block(t.command).map((l) => `   ${l}`), '');
    });
  }
  out.push('', '## Findings', '', '| status | check | summary |', '|---|---|---|');
  for (const f of d.findings) out.push(`| ${f.status} | ${f.id} | ${cell(f.summary)} |`);
  if (m.problems.length) {
    out.push('', '## Details');
    for (const { finding: f, evidence } of m.problems) {
      out.push('', `### ${f.status.toUpperCase()} ${f.id}`, '', cell(f.summary));
      if (f.details.length) out.push('', ...f.details.map((x) => `- ${cell(x)}`));
      if (evidence.length) out.push('', 'Evidence:', '', ...evidence.map((e) => `- ${cell(e)}`));
      if (f.remediation) out.push('', `What to do: ${cell(f.remediation)}`);
    }
  }
  out.push('', '## Run it again', '', ...block(m.rerun), '');
  return out.join('\n');
}
