/**
 * A small evaluator of GitHub Actions expressions, enough for this repository's workflows: property paths
 * (`inputs.image`, `steps.image.outputs.image-id`), string/number/boolean/null literals, `!`, `==`, `!=`, `&&`,
 * `||`, parentheses, `fromJSON()`, `toJSON()` and the status functions `success()`, `failure()`, `cancelled()`,
 * `always()`. Anything else (other functions, indexes, comparisons) is refused with an error, so a workflow that
 * outgrows it fails the tests instead of being evaluated wrongly. Semantics follow GitHub's: a missing property
 * is null, `&&`/`||` return an operand, string equality ignores case, values print as strings.
 */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type Contexts = Record<string, Value>;

/**
 * What the status functions answer: for a job's `if:`, whether all its needs succeeded or one failed; for a
 * step's, whether the steps before it did (nothing is ever cancelled here).
 */
export interface Status {
  success: boolean;
  failure: boolean;
}
const SUCCEEDED: Status = { success: true, failure: false };
const STATUS_FUNCTION = /\b(?:success|failure|cancelled|always)\s*\(/;

type Token = { kind: 'string' | 'number' | 'word' | 'op'; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][A-Za-z0-9_-]*)|(==|!=|&&|\|\||[!().,]))/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) throw new Error(`expression '${expression}': cannot read '${expression.slice(at)}'`);
    at = pattern.lastIndex;
    if (match[1] !== undefined) tokens.push({ kind: 'string', text: match[1].replace(/''/g, "'") });
    else if (match[2] !== undefined) tokens.push({ kind: 'number', text: match[2] });
    else if (match[3] !== undefined) tokens.push({ kind: 'word', text: match[3] });
    else tokens.push({ kind: 'op', text: match[4] ?? '' });
  }
  return tokens;
}

export function truthy(value: Value): boolean {
  return !(value === null || value === false || value === 0 || value === '');
}

/** How a value appears when interpolated into a string (an input, an output, a run script). */
export function show(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  const isObject = (value: Value) => value !== null && typeof value === 'object';
  if (isObject(a) || isObject(b) || typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly contexts: Contexts,
    private readonly source: string,
    private readonly status: Status,
  ) {}

  parse(): Value {
    const value = this.or();
    if (this.at < this.tokens.length) this.fail(`unexpected '${this.tokens[this.at]?.text}'`);
    return value;
  }

  private fail(why: string): never {
    throw new Error(
      `expression '${this.source}': ${why} (this evaluator knows paths, literals, ! == != && ||, fromJSON, toJSON, status functions)`,
    );
  }

  private take(text: string): boolean {
    if (this.tokens[this.at]?.kind === 'op' && this.tokens[this.at]?.text === text) {
      this.at++;
      return true;
    }
    return false;
  }

  private or(): Value {
    let value = this.and();
    while (this.take('||')) {
      const right = this.and();
      value = truthy(value) ? value : right;
    }
    return value;
  }

  private and(): Value {
    let value = this.equality();
    while (this.take('&&')) {
      const right = this.equality();
      value = truthy(value) ? right : value;
    }
    return value;
  }

  private equality(): Value {
    let value = this.unary();
    for (;;) {
      if (this.take('==')) value = equal(value, this.unary());
      else if (this.take('!=')) value = !equal(value, this.unary());
      else return value;
    }
  }

  private unary(): Value {
    if (this.take('!')) return !truthy(this.unary());
    if (this.take('(')) {
      const value = this.or();
      if (!this.take(')')) this.fail("missing ')'");
      return value;
    }
    return this.primary();
  }

  private call(name: string): Value {
    const args: Value[] = [];
    if (!this.take(')')) {
      do args.push(this.or());
      while (this.take(','));
      if (!this.take(')')) this.fail(`missing ')' after the arguments of ${name}()`);
    }
    const arity = (count: number) => {
      if (args.length !== count) this.fail(`${name}() takes ${count} argument(s), not ${args.length}`);
    };
    switch (name.toLowerCase()) {
      case 'fromjson':
        arity(1);
        return JSON.parse(show(args[0] ?? null)) as Value;
      case 'tojson':
        arity(1);
        return JSON.stringify(args[0] ?? null, null, 2);
      case 'success':
        arity(0);
        return this.status.success;
      case 'failure':
        arity(0);
        return this.status.failure;
      case 'cancelled':
        arity(0);
        return false;
      case 'always':
        arity(0);
        return true;
      default:
        return this.fail(`function ${name}() is not supported`);
    }
  }

  private primary(): Value {
    const token = this.tokens[this.at++];
    if (!token) return this.fail('it ends too early');
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind !== 'word') return this.fail(`unexpected '${token.text}'`);
    if (token.text === 'true' || token.text === 'false') return token.text === 'true';
    if (token.text === 'null') return null;
    if (this.take('(')) return this.call(token.text);
    if (!(token.text in this.contexts)) this.fail(`unknown context '${token.text}'`);
    let value: Value = this.contexts[token.text] ?? null;
    while (this.take('.')) {
      const name = this.tokens[this.at++];
      if (name?.kind !== 'word') this.fail("a property name must follow '.'");
      value =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? (value[name.text] ?? null)
          : null;
    }
    return value;
  }
}

/** The value of one expression (the text inside `${{ }}`, or an `if:` condition without it). */
export function evaluate(expression: string, contexts: Contexts, status: Status = SUCCEEDED): Value {
  return new Parser(tokenize(expression), contexts, expression, status).parse();
}

/** A YAML value with its `${{ }}` parts evaluated: a lone expression keeps its type, a template gives text. */
export function expand(template: unknown, contexts: Contexts): Value {
  if (typeof template === 'boolean' || typeof template === 'number') return template;
  if (template === null || template === undefined) return null;
  if (typeof template !== 'string') throw new Error(`cannot expand ${JSON.stringify(template)}`);
  const lone = /^\$\{\{(.*?)\}\}$/s.exec(template);
  if (lone?.[1] !== undefined && !lone[1].includes('}}')) return evaluate(lone[1], contexts);
  return template.replace(/\$\{\{(.*?)\}\}/gs, (_, expression: string) =>
    show(evaluate(expression, contexts)),
  );
}

/**
 * An `if:` condition (with or without `${{ }}`). As on GitHub, one that calls no status function means
 * `success() && (condition)`, and an absent one `success()`.
 */
export function condition(text: unknown, contexts: Contexts, status: Status = SUCCEEDED): boolean {
  if (text === undefined || text === null) return status.success;
  if (typeof text === 'boolean') return status.success && text;
  const inner = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(String(text))?.[1] ?? String(text);
  if (!STATUS_FUNCTION.test(inner) && !status.success) return false;
  return truthy(evaluate(inner, contexts, status));
}
