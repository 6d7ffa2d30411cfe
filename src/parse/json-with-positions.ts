// A strict JSON reader that keeps each value's offset, and helpers that decode its tree with JSON
// paths, for the checkpoint readers (src/parse/cpu-checkpoint.ts, src/parse/memory-checkpoint.ts).
// It accepts exactly what Go's encoding/json accepts (RFC 8259: no comments, no trailing commas,
// no byte order mark) and reports syntax errors with line and column, type errors with the JSON
// path of the value and its line and column, so that a checkpoint a kubelet cannot read is one
// clear InputError rather than a crash.

import { InputError } from '../errors.js';

/** A JSON value and the offset (UTF-16 index into the text) where it starts. */
export type JsonNode =
  | { readonly kind: 'object'; readonly at: number; readonly members: readonly JsonMember[] }
  | { readonly kind: 'array'; readonly at: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly at: number; readonly value: string }
  | { readonly kind: 'number'; readonly at: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly at: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly at: number };

export type JsonObject = Extract<JsonNode, { kind: 'object' }>;

export interface JsonMember {
  readonly key: string;
  readonly value: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly at: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 1000;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A strict RFC 8259 reader (what Go's encoding/json accepts) that keeps each value's offset. */
class JsonReader {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  document(): JsonNode {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) throw this.unexpected(' after the top-level value');
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.i++;
    }
  }

  /** `context` is ", expected …" or " after …". */
  private unexpected(context: string): JsonSyntaxError {
    if (this.i >= this.s.length) {
      return new JsonSyntaxError(this.i, `unexpected end of input${context}`, 'the file looks truncated');
    }
    const c = String.fromCodePoint(this.s.codePointAt(this.i) ?? 0);
    let hint: string | undefined;
    if (c === '#' || c === '/') hint = 'JSON has no comments; the kubelet cannot read this file either';
    else if (c === '\uFEFF') hint = "a byte order mark; Go's JSON decoder rejects it";
    return new JsonSyntaxError(this.i, `unexpected character ${describeChar(c)}${context}`, hint);
  }

  private value(): JsonNode {
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.nested(() => this.object());
      case '[':
        return this.nested(() => this.array());
      case '"':
        return this.string();
      case 't':
        return this.literal('true', { kind: 'boolean', at: this.i, value: true });
      case 'f':
        return this.literal('false', { kind: 'boolean', at: this.i, value: false });
      case 'n':
        return this.literal('null', { kind: 'null', at: this.i });
      default: {
        NUMBER.lastIndex = this.i;
        const m = c === undefined ? null : NUMBER.exec(this.s);
        if (m === null) throw this.unexpected(', expected a value');
        const at = this.i;
        this.i += m[0].length;
        return { kind: 'number', at, text: m[0] };
      }
    }
  }

  private nested(read: () => JsonNode): JsonNode {
    if (++this.depth > MAX_DEPTH)
      throw new JsonSyntaxError(this.i, `nesting deeper than ${MAX_DEPTH} levels`);
    const v = read();
    this.depth--;
    return v;
  }

  private literal(word: string, node: JsonNode): JsonNode {
    for (const ch of word) {
      if (this.s[this.i] !== ch) throw this.unexpected(`, expected ${word}`);
      this.i++;
    }
    return node;
  }

  private object(): JsonNode {
    const at = this.i++;
    const members: JsonMember[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', at, members };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"')
        throw this.unexpected(members.length === 0 ? ", expected a key or '}'" : ', expected a key');
      const key = this.string().value;
      this.ws();
      if (this.s[this.i] !== ':') throw this.unexpected(", expected ':'");
      this.i++;
      this.ws();
      members.push({ key, value: this.value() });
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { kind: 'object', at, members };
      }
      throw this.unexpected(", expected ',' or '}'");
    }
  }

  private array(): JsonNode {
    const at = this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', at, items };
    }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { kind: 'array', at, items };
      }
      throw this.unexpected(", expected ',' or ']'");
    }
  }

  private string(): { readonly kind: 'string'; readonly at: number; readonly value: string } {
    const at = this.i++;
    let out = '';
    let chunk = this.i;
    for (;;) {
      if (this.i >= this.s.length) throw this.unexpected(', expected the end of the string');
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) {
        out += this.s.slice(chunk, this.i++);
        break;
      }
      if (c < 0x20) {
        throw new JsonSyntaxError(
          this.i,
          `invalid control character ${describeChar(this.s.charAt(this.i))} in a string`,
        );
      }
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += this.s.slice(chunk, this.i);
      const e = this.s[this.i + 1];
      if (e === 'u') {
        const hex = this.s.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex))
          throw new JsonSyntaxError(this.i, 'invalid \\u escape in a string');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) {
          if (e === undefined) {
            this.i++;
            throw this.unexpected(', expected the end of the string');
          }
          throw new JsonSyntaxError(this.i, `invalid escape ${describeChar('\\' + e)} in a string`);
        }
        out += decoded;
        this.i += 2;
      }
      chunk = this.i;
    }
    // Go decodes an unpaired surrogate escape to U+FFFD.
    return { kind: 'string', at, value: out.replace(LONE_SURROGATE, '\uFFFD') };
  }
}

/** `line L column C` of offset `at` (columns count code points, from 1). */
export function lineColumn(text: string, at: number): string {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < at && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  const column = Array.from(text.slice(lineStart, at)).length + 1;
  return `line ${line} column ${column}`;
}

// ----- decoding with paths ---------------------------------------------------------------------

/** One JSON text being decoded: the file itself, or the `data` string inside it (CPU v4, memory v3). */
export interface Doc {
  readonly source: string;
  readonly text: string;
  /** '' for the file, 'data' for the payload string (positions are then inside the data string). */
  readonly scope: '' | 'data';
  /**
   * Set for the top-level legacy copy in a file with `data`, which kubelet 1.37 unmarshals (so type
   * errors still fail) but never uses: semantic problems are collected here instead of thrown.
   */
  readonly problems?: string[];
}

export type Path = readonly string[];

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `entries.pod.ctr`, with `["…"]` for keys that are not plain words. */
export function formatPath(path: Path): string {
  return path
    .map((seg, i) => (PLAIN_KEY.test(seg) ? (i === 0 ? seg : `.${seg}`) : `[${JSON.stringify(seg)}]`))
    .join('');
}

/** Reads `doc.text`; a syntax error is an InputError `<source>[ data]: line L column C: <why>`. */
export function parseDocument(doc: Doc): JsonNode {
  try {
    return new JsonReader(doc.text).document();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const where = doc.scope === '' ? doc.source : `${doc.source} data`;
    return fail(`${where}: ${lineColumn(doc.text, e.at)}: ${e.message}`, e.hint);
  }
}

export function fail(message: string, hint?: string): never {
  throw new InputError(message, hint === undefined ? {} : { hint });
}

/** A problem the kubelet finds after unmarshalling: thrown, or collected into `doc.problems`. */
export function semantic(doc: Doc, path: Path, node: JsonNode | undefined, why: string, hint?: string): void {
  if (doc.problems === undefined) structural(doc, path, node, why, hint);
  else doc.problems.push(`${formatPath(path)}: ${why}`);
}

/** A value the kubelet cannot unmarshal: InputError `<source> <path>: <why> (line L column C)`. */
export function structural(
  doc: Doc,
  path: Path,
  node: JsonNode | undefined,
  why: string,
  hint?: string,
): never {
  const p = formatPath(path);
  const where =
    doc.scope === ''
      ? `${doc.source}${p === '' ? '' : ` ${p}`}`
      : `${doc.source} data${p === '' ? '' : `: ${p}`}`;
  const at =
    node === undefined ? '' : ` (${doc.scope === '' ? '' : 'data '}${lineColumn(doc.text, node.at)})`;
  return fail(`${where}: ${why}${at}`, hint);
}

export function kindOf(node: JsonNode): string {
  return node.kind === 'object'
    ? 'an object'
    : node.kind === 'array'
      ? 'an array'
      : `${node.kind === 'null' ? '' : 'a '}${node.kind}`;
}

export function expectObject(doc: Doc, path: Path, node: JsonNode, what: string): JsonObject {
  if (node.kind !== 'object') structural(doc, path, node, `expected ${what}, got ${kindOf(node)}`);
  return node;
}

/** Go's struct field matching: exact name first, else case-insensitive; the last match wins. */
export function fieldsOf<N extends string>(obj: JsonObject, names: readonly N[]): Map<N, JsonNode> {
  const out = new Map<N, JsonNode>();
  for (const m of obj.members) {
    const name = names.find((n) => n === m.key) ?? names.find((n) => n.toLowerCase() === m.key.toLowerCase());
    if (name !== undefined) out.set(name, m.value);
  }
  return out;
}

export function expectString(doc: Doc, path: Path, node: JsonNode, what = 'a string'): string {
  if (node.kind !== 'string') structural(doc, path, node, `expected ${what}, got ${kindOf(node)}`);
  return node.value;
}

/** A JSON number Go decodes into uint64: digits only, at most 2^64 − 1. */
export function uint64Of(doc: Doc, path: Path, node: JsonNode): bigint {
  if (
    node.kind !== 'number' ||
    !/^(?:0|[1-9]\d*)$/.test(node.text) ||
    BigInt(node.text) > 0xffffffffffffffffn
  ) {
    const got = node.kind === 'number' ? node.text : kindOf(node);
    return structural(doc, path, node, `expected an unsigned 64-bit integer, got ${got}`);
  }
  return BigInt(node.text);
}

/**
 * A JSON number Go decodes into int, limited to JavaScript's safe integers (±2^53 − 1; Go's int64
 * goes further, but no NUMA id or assignment count comes near either limit).
 */
export function intOf(doc: Doc, path: Path, node: JsonNode): number {
  if (
    node.kind !== 'number' ||
    !/^-?(?:0|[1-9]\d*)$/.test(node.text) ||
    !Number.isSafeInteger(Number(node.text))
  ) {
    const got = node.kind === 'number' ? node.text : kindOf(node);
    return structural(doc, path, node, `expected an integer, got ${got}`);
  }
  return Number(node.text);
}

/**
 * The value at a key path (object keys, array indexes), undefined when the path leaves the tree.
 * A key given twice resolves to its last value, as Go's decoder keeps the last.
 */
export function nodeAt(root: JsonNode, keys: readonly (string | number)[]): JsonNode | undefined {
  let node: JsonNode | undefined = root;
  for (const key of keys) {
    if (node?.kind === 'object') node = node.members.findLast((m) => m.key === key)?.value;
    else if (node?.kind === 'array' && typeof key === 'number') node = node.items[key];
    else return undefined;
  }
  return node;
}
