/** Usage errors stay one line (SPEC.md, "Hostile input"): a value is echoed cut to ~80 characters, control characters visible. */
import { describe, expect, it } from 'vitest';
import { parse, UsageError } from '../../source/commands/args.js';

function refusal(argv: string[]): Error {
  try {
    parse(argv, {}, false);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('usage errors', () => {
  it.each([
    ['a symptom of 100,000 characters', ['diagnose', '--symptom', 'x'.repeat(100_000)]],
    ['a command over lines', ['bad\ncommand\x1b[31m']],
    ['an unknown flag of 300 characters', ['diagnose', `--${'y'.repeat(300)}`]],
    ['a principal over lines', ['diagnose', '--principal', 'arn\n'.repeat(50)]],
    ['a negative --timeout', ['diagnose', '--timeout', '-1']],
    ['a negative --wait', ['diagnose', '--wait', '-3']],
  ])('%s: one line, at most ~200 characters, nothing raw', (_name, argv) => {
    const error = refusal(argv);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.message.length).toBeLessThan(300);
  });

  it('says how long a cut value was, and shows a newline as \\n', () => {
    expect(refusal(['diagnose', '--symptom', 'x'.repeat(100_000)]).message).toContain('…" (100,000 characters)');
    expect(refusal(['diagnose', '--symptom', 'a\nb']).message).toContain('Unknown symptom "a\\nb"');
  });
});
