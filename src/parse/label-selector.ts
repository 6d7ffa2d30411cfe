// Kubernetes label selectors (apimachinery labels.Parse): "app=db,tier!=cache", "env in (a,b)",
// "env notin (c)", "gpu", "!spot", "rank>3". Parsed once, matched against label maps; used to
// check -l before any request is made, to apply -l to a snapshot's contents, and by the test API
// server.
//
// Semantics as in apimachinery: requirements are ANDed; `!=` and `notin` also match objects
// without the key; `>`/`<` need the key with an integer value; an empty selector matches all.

export type SelectorOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | '>' | '<';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** one value for =, !=, >, <; the set for in/notin; none for exists and ! */
  readonly values: readonly string[];
}

export class SelectorSyntaxError extends Error {}

// apimachinery validation: a qualified name (optional DNS-1123 subdomain prefix + "/") and
// label values of at most 63 characters.
const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function checkKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== null && (prefix.length > 253 || !PREFIX.test(prefix))) {
    throw new SelectorSyntaxError(`invalid label key "${key}": the prefix must be a DNS subdomain`);
  }
  if (!NAME.test(name)) {
    throw new SelectorSyntaxError(
      `invalid label key "${key}": a name of at most 63 alphanumeric characters, "-", "_" or "."`,
    );
  }
}

function checkValue(value: string): void {
  if (!VALUE.test(value)) {
    throw new SelectorSyntaxError(
      `invalid label value "${value}": at most 63 alphanumeric characters, "-", "_" or "."`,
    );
  }
}

// One token: an identifier-ish run, or an operator/punctuation.
const TOKEN = /\s*(!=|==|=|!|>|<|,|\(|\)|[^\s!=<>,()]+)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) {
      if (text.slice(start).trim() === '') break;
      throw new SelectorSyntaxError(`unexpected character at position ${start + 1}`);
    }
    out.push(m[1] ?? '');
  }
  return out;
}

/** Parses a selector; throws SelectorSyntaxError with apimachinery's rules. */
export function parseLabelSelector(text: string): readonly SelectorRequirement[] {
  const tokens = tokenize(text);
  const out: SelectorRequirement[] = [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (what: string): string => {
    const t = tokens[i++];
    if (t === undefined) throw new SelectorSyntaxError(`expected ${what}, found the end`);
    return t;
  };
  const PUNCTUATION = /^(!=|==|=|!|>|<|,|\(|\))$/;
  /** `t` when it is a word (a key or a value), else null */
  const word = (t: string | undefined): string | null => (t === undefined || PUNCTUATION.test(t) ? null : t);
  while (i < tokens.length) {
    let req: SelectorRequirement;
    if (peek() === '!') {
      i++;
      const t = next('a label key');
      const key = word(t);
      if (key === null) throw new SelectorSyntaxError(`expected a label key after "!", found "${t}"`);
      checkKey(key);
      req = { key, operator: '!', values: [] };
    } else {
      const t = next('a label key');
      const key = word(t);
      if (key === null) throw new SelectorSyntaxError(`expected a label key, found "${t}"`);
      checkKey(key);
      const op = peek();
      if (op === undefined || op === ',') {
        req = { key, operator: 'exists', values: [] };
      } else if (op === '=' || op === '==' || op === '!=' || op === '>' || op === '<') {
        i++;
        const after = peek();
        // "a=" (an empty value) is valid: the value is "".
        const value = word(after) ?? '';
        if (value !== '') i++;
        if (op === '>' || op === '<') {
          if (!/^-?\d+$/.test(value)) {
            throw new SelectorSyntaxError(`the value of "${key}${op}" must be an integer, got "${value}"`);
          }
        } else checkValue(value);
        req = { key, operator: op === '==' ? '=' : op, values: [value] };
      } else if (op === 'in' || op === 'notin') {
        i++;
        if (next('"("') !== '(') throw new SelectorSyntaxError(`expected "(" after "${key} ${op}"`);
        const values: string[] = [];
        for (;;) {
          const t = next('a value or ")"');
          if (t === ')') {
            // "in ()" is an error
            if (values.length === 0)
              throw new SelectorSyntaxError(`"${key} ${op} ()" needs at least one value`);
            break;
          }
          if (t === ',') {
            values.push('');
            continue;
          }
          const v = word(t);
          if (v === null) throw new SelectorSyntaxError(`unexpected "${t}" in the values of "${key}"`);
          checkValue(v);
          values.push(v);
          const sep = next('"," or ")"');
          if (sep === ')') break;
          if (sep !== ',') throw new SelectorSyntaxError(`expected "," or ")" after "${t}", found "${sep}"`);
          // "in (a,)": the empty value after the comma, as apimachinery reads it
          if (peek() === ')') values.push('');
        }
        req = { key, operator: op, values: [...new Set(values)].sort() };
      } else {
        throw new SelectorSyntaxError(`unexpected "${op}" after the label key "${key}"`);
      }
    }
    out.push(req);
    const sep = peek();
    if (sep === undefined) break;
    if (sep !== ',') throw new SelectorSyntaxError(`expected "," between requirements, found "${sep}"`);
    i++;
    if (peek() === undefined) throw new SelectorSyntaxError('expected a requirement after ","');
  }
  return out;
}

export type Labels = Readonly<Record<string, string>>;

function matchesOne(req: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
      return value === req.values[0];
    case '!=':
      return value !== req.values[0];
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case '>':
    case '<': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const a = Number(value);
      const b = Number(req.values[0]);
      return req.operator === '>' ? a > b : a < b;
    }
  }
}

export function matchesLabels(selector: readonly SelectorRequirement[], labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => matchesOne(r, l));
}

/** The `metadata.labels` of a Kubernetes object, when they are a string map. */
export function labelsOf(obj: unknown): Labels {
  const meta = (obj as { metadata?: { labels?: unknown } } | null)?.metadata;
  const labels = meta?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Labels) : {};
}
