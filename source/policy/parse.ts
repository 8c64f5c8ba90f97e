/**
 * Policy documents as they come from AWS: JSON text whose `Statement` is one object or an array, and whose
 * fields are strings or arrays. Parsing never throws; a document that is not a policy is a finding.
 */

export type Statement = Record<string, unknown>;

export type ParsedPolicy = { ok: true; document: Record<string, unknown>; statements: Statement[] } | { ok: false; error: string };

export function parsePolicy(text: string): ParsedPolicy {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `it is not valid JSON (${(error as Error).message})` };
  }
  return policyFromValue(value);
}

export function policyFromValue(value: unknown): ParsedPolicy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'it is not a JSON object' };
  }
  const document = value as Record<string, unknown>;
  const raw = document.Statement;
  if (raw === undefined) return { ok: false, error: 'it has no Statement' };
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((s) => typeof s === 'object' && s !== null && !Array.isArray(s))) {
    return { ok: false, error: 'a Statement entry is not a JSON object' };
  }
  return { ok: true, document, statements: list as Statement[] };
}

/** A field that IAM lets be a string or an array, always as an array of strings. */
export function asList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** How a person finds the statement: its Sid when it has one, always its 1-based position. */
export function statementLabel(statements: Statement[], index: number): string {
  const sid = statements[index]?.Sid;
  return typeof sid === 'string' && sid ? `statement "${sid}" (#${index + 1})` : `statement #${index + 1}`;
}

/**
 * Why the JSON text would not survive `JSON.parse` and a rewrite unchanged, or undefined when it would:
 * a key that appears twice in one object (at any depth: JSON.parse keeps only the last, silently), or a
 * number that a JavaScript number cannot hold exactly (more than 15-17 significant digits, out of range).
 * Formatting is not a loss: `1.0`, `1e2` and `100.00` are the numbers 1 and 100. Text that is not JSON is
 * left to JSON.parse to report (undefined).
 */
export function jsonLoss(text: string): string | undefined {
  try {
    return new LossScan(text).run();
  } catch (error) {
    if (error instanceof RangeError) return 'it is nested too deeply to be checked';
    return undefined;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A decimal number's value as digits and an exponent, whatever its spelling: "1.50e1" and "15" agree. */
function decimal(token: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(token);
  if (!m) return token;
  let digits = `${m[2]}${m[3] ?? ''}`;
  let exponent = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const lead = /^0*/.exec(digits)![0].length;
  digits = digits.slice(lead);
  const trail = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trail);
  exponent += trail;
  return digits ? `${m[1]}${digits}e${exponent}` : '0';
}

class LossScan {
  private i = 0;
  constructor(private readonly text: string) {}

  run(): string | undefined {
    return this.value('the document');
  }

  private ws(): void {
    while (/[ \t\n\r]/.test(this.text[this.i] ?? '')) this.i++;
  }

  private string(): string {
    const start = this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private value(where: string): string | undefined {
    this.ws();
    const c = this.text[this.i];
    if (c === '{') return this.object(where);
    if (c === '[') return this.array(where);
    if (c === '"') {
      this.string();
      return undefined;
    }
    NUMBER.lastIndex = this.i;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.i += number[0].length;
      const kept = JSON.stringify(Number(number[0]));
      if (decimal(kept) !== decimal(number[0])) {
        return `the number ${number[0]} in ${where} cannot be kept exactly (it would be written back as ${kept})`;
      }
      return undefined;
    }
    const word = /^(true|false|null)/.exec(this.text.slice(this.i, this.i + 5));
    if (!word) throw new SyntaxError('not JSON');
    this.i += word[1]!.length;
    return undefined;
  }

  private object(where: string): string | undefined {
    this.i++;
    const keys = new Set<string>();
    for (;;) {
      this.ws();
      if (this.text[this.i] === '}') {
        this.i++;
        return undefined;
      }
      if (this.text[this.i] !== '"') throw new SyntaxError('not JSON');
      const key = this.string();
      const inner = where === 'the document' ? key : `${where}.${key}`;
      if (keys.has(key)) {
        return `the key ${JSON.stringify(key)} appears more than once in ${where === 'the document' ? 'the top level' : where} (JSON.parse keeps only the last; a rewrite would drop the others)`;
      }
      keys.add(key);
      this.ws();
      if (this.text[this.i++] !== ':') throw new SyntaxError('not JSON');
      const loss = this.value(inner);
      if (loss) return loss;
      this.ws();
      if (this.text[this.i] === ',') this.i++;
    }
  }

  private array(where: string): string | undefined {
    this.i++;
    for (let n = 0; ; n++) {
      this.ws();
      if (this.text[this.i] === ']') {
        this.i++;
        return undefined;
      }
      const loss = this.value(`${where}[${n}]`);
      if (loss) return loss;
      this.ws();
      if (this.text[this.i] === ',') this.i++;
    }
  }
}
