// Error locations in input documents: "<input> <field path>", e.g.
// `scenario.yaml doc 1 pods[2].spec.containers[0].resources.limits.cpu`, plus the source line
// when the document came from YAML/JSON text (" (line 14)"). Every InputError of scenario/
// is made here, so all of them share the message shape of the architecture guide:
// "<where>: <why>[ (line L)][; <hint>]".

import { InputError } from '../errors.js';

export type PathKey = string | number;

/** Source line (1-based) of the node at a key path of the document, if it is known. */
export type LineLookup = (keys: readonly PathKey[]) => number | undefined;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export class Where {
  private constructor(
    /** The full display text: input name and field path. */
    private readonly display: string,
    /** False while only the input name is known (the next key is separated by a space). */
    private readonly hasPath: boolean,
    private readonly keys: readonly PathKey[],
    private readonly lines: LineLookup | undefined,
  ) {}

  /** The root of an input: `head` names it ("scenario.yaml doc 1"); keys follow after a space. */
  static root(head: string, lines?: LineLookup): Where {
    return new Where(head, false, [], lines);
  }

  /**
   * A location given as text that already ends in a field path ("configz of node w1 kubeletconfig");
   * keys are appended with dots. No line numbers.
   */
  static at(text: string): Where {
    return new Where(text, text !== '', [], undefined);
  }

  static from(where: string | Where): Where {
    return typeof where === 'string' ? Where.at(where) : where;
  }

  /** `map.key`, `list[3]`; map keys that are not identifiers are bracketed: `evictionHard[memory.available]`. */
  child(key: PathKey): Where {
    let display: string;
    if (typeof key === 'number') display = `${this.display}[${key}]`;
    else if (!this.hasPath) display = this.display === '' ? key : `${this.display} ${key}`;
    else display = PLAIN_KEY.test(key) ? `${this.display}.${key}` : `${this.display}[${key}]`;
    return new Where(display, true, [...this.keys, key], this.lines);
  }

  toString(): string {
    return this.display;
  }

  /** The source line of this field, or of its nearest ancestor that exists in the document. */
  line(): number | undefined {
    if (this.lines === undefined) return undefined;
    for (let n = this.keys.length; n >= 0; n--) {
      const line = this.lines(this.keys.slice(0, n));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  error(why: string, hint?: string, cause?: unknown): InputError {
    const line = this.line();
    const suffix = line === undefined ? '' : ` (line ${line})`;
    return new InputError(`${this.display}: ${why}${suffix}`, { hint, cause });
  }

  fail(why: string, hint?: string, cause?: unknown): never {
    throw this.error(why, hint, cause);
  }
}
