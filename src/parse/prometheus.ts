// The Prometheus text exposition format 0.0.4, as the kubelet's /metrics and /metrics/cadvisor
// serve it: `# HELP` / `# TYPE` lines, other comments (ignored), and samples
// `name[{label="value",…}] value [timestamp]`. Follows the reference parser (prometheus/common
// expfmt TextParser) in what it accepts:
//
// * blanks are spaces and tabs; blank lines and leading blanks are allowed; blanks may stand around
//   `{`, `=`, `,` and `}`; a trailing comma inside the braces is allowed;
// * label values escape only `\\`, `\"` and `\n`; HELP text only `\\` and `\n`;
// * values are Go floats: decimal and exponent forms, `NaN`, `+Inf`, `-Inf` (case-insensitive, Go's
//   ParseFloat; hexadecimal floats, which no exposition library writes, are not accepted);
//   timestamps are integer milliseconds;
// * a sample belongs to the family of its exact name if one is known, else `x_bucket` to the
//   histogram `x`, and `x_sum` / `x_count` to the histogram or summary `x` declared by `# TYPE`,
//   else to a new untyped family of its own name;
// * a `# TYPE` line must come before the family's samples and only once; `# HELP` only once.
//
// Deviations, both on the lenient side: a CR before the LF is ignored (a scrape saved on Windows),
// and a line that cannot be read does not stop the parse: it becomes an issue (1-based line and a
// short reason) and the rest of the text is still read. A series given twice (same name and label
// set, whatever the timestamps) is an issue too; the FIRST sample is kept, as a Prometheus server
// keeps the first sample of a series for a scrape and rejects the repeat.
//
// The parse is one pass over the text with a cursor (no regular expression runs over a line),
// so a multi-megabyte cAdvisor scrape of a full node parses in linear time.

import type { MetricsParseIssue } from './kubelet-metrics.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Label name → value (an object without prototype, so any label name is a plain key). */
export type Labels = Readonly<Record<string, string>>;

export interface MetricSample {
  /** the sample's own name: `x_bucket`, `x_sum`, `x_count` for the histogram `x` */
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  /** milliseconds since the Unix epoch, null when the line has none */
  readonly timestampMs: number | null;
  /** 1-based line number */
  readonly line: number;
}

export interface MetricFamily {
  readonly name: string;
  /** the `# TYPE`, `untyped` without one */
  readonly type: MetricType;
  /** the `# HELP` text unescaped, null without one */
  readonly help: string | null;
  /** in the order of the text; a histogram's or summary's `_bucket`, `_sum`, `_count` included */
  readonly samples: readonly MetricSample[];
}

export interface PrometheusText {
  /** in the order their first line appears */
  readonly families: readonly MetricFamily[];
  readonly issues: readonly MetricsParseIssue[];
}

/** Parses a whole exposition; unreadable lines become issues and the rest is still read. */
export function parsePrometheusText(text: string): PrometheusText {
  const parser = new Parser(text);
  parser.run(null);
  return parser.result();
}

/**
 * Keeps the whole families `keep` selects: their `# HELP` and `# TYPE` lines and all their sample
 * lines, unchanged byte for byte (line endings included) and in their original order. Other
 * comments and blank lines are dropped. A sample line that cannot be read is kept when its metric
 * name can be read and belongs to a kept family, so a snapshot of a malformed scrape is still
 * malformed; a line without a readable name is dropped.
 *
 * Only the metric name of a sample line is read (a full node's cAdvisor scrape is megabytes, and
 * the kept families are parsed again by whoever reads the filtered text); such a line counts as a
 * sample of its family whether or not the rest of it could be read, which only matters to a later
 * line in a text that is malformed already.
 *
 * With `keepLineNumbers` every kept line stays on its line number (a line of a live scrape named
 * in a warning is the kubelet's line); the default packs the kept lines (a snapshot's text).
 */
export function filterFamilies(
  text: string,
  keep: (familyName: string) => boolean,
  options: { readonly keepLineNumbers?: boolean } = {},
): string {
  const parts: string[] = [];
  const decisions = new Map<string, boolean>();
  // keepLineNumbers: a dropped line leaves its line feed, so the kept lines keep their numbers
  // (blank lines are ignored by every reader); the ones after the last kept line are not needed
  const numbered = options.keepLineNumbers === true;
  let dropped = 0;
  new Parser(text, true).run((family, start, end) => {
    let kept = false;
    if (family !== null) {
      const decided = decisions.get(family);
      kept = decided ?? keep(family);
      if (decided === undefined) decisions.set(family, kept);
    }
    if (!kept) {
      dropped++;
      return;
    }
    if (numbered && dropped > 0) parts.push('\n'.repeat(dropped));
    dropped = 0;
    parts.push(text.slice(start, end));
  });
  return parts.join('');
}

/**
 * A family-name predicate from patterns: an exact name, or a prefix followed by `*`
 * (`kubelet_cpu_manager_*`).
 */
export function familyMatcher(patterns: readonly string[]): (familyName: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

/** The /metrics families a snapshot keeps (cli.md §8.7). */
export const KUBELET_SNAPSHOT_FAMILY_PATTERNS: readonly string[] = [
  'kubelet_cpu_manager_*',
  'kubelet_memory_manager_*',
  'kubelet_topology_manager_*',
  'kubelet_container_aligned_compute_resources_*',
  'kubelet_admission_rejections_total',
  'kubelet_pod_resources_endpoint_*',
  'resource_manager_*',
  'process_start_time_seconds',
  'kubernetes_build_info',
];

/** The /metrics/cadvisor families a snapshot keeps (cli.md §8.7). */
export const CADVISOR_SNAPSHOT_FAMILY_PATTERNS: readonly string[] = [
  'container_cpu_cfs_*',
  'container_spec_cpu_*',
  'container_cpu_usage_seconds_total',
  'machine_cpu_*',
  'machine_memory_bytes',
  'cadvisor_version_info',
];

export const KUBELET_SNAPSHOT_FAMILIES = familyMatcher(KUBELET_SNAPSHOT_FAMILY_PATTERNS);
export const CADVISOR_SNAPSHOT_FAMILIES = familyMatcher(CADVISOR_SNAPSHOT_FAMILY_PATTERNS);

// ----- the parser ---------------------------------------------------------------------------------

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const EQUALS = 0x3d;
const COMMA = 0x2c;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isLetterOrUnderscore(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** One unreadable line: its reason becomes an issue. */
class LineError extends Error {}

interface FamilyBuilder {
  readonly name: string;
  /** from the `# TYPE` line, null without one */
  declared: MetricType | null;
  help: string | null;
  readonly samples: MetricSample[];
}

/** Called once per line: the family the line belongs to (null: none), and the line's span with its end of line. */
type LineSink = (family: string | null, start: number, end: number) => void;

class Parser {
  private readonly byName = new Map<string, FamilyBuilder>();
  private readonly families: FamilyBuilder[] = [];
  /** series key → line of the first sample */
  private readonly series = new Map<string, number>();
  private readonly issues: MetricsParseIssue[] = [];
  /** the current line: [pos, end) without its line terminator */
  private pos = 0;
  private end = 0;
  private lineNo = 0;
  /** The family of a line that failed after its metric name was read (for the filter). */
  private failedFamily: string | null = null;
  /** Names only: the previous sample line's metric name and family ('' after a comment) */
  private last = { name: '', family: '' };

  /**
   * @param namesOnly sample lines are read up to their metric name only (the filter): no labels,
   * value, timestamp or series check
   */
  constructor(
    private readonly text: string,
    private readonly namesOnly = false,
  ) {}

  run(sink: LineSink | null): void {
    const { text } = this;
    let start = 0;
    while (start < text.length) {
      const lf = text.indexOf('\n', start);
      const next = lf === -1 ? text.length : lf + 1;
      let end = lf === -1 ? text.length : lf;
      if (end > start && text.charCodeAt(end - 1) === CR) end--;
      this.lineNo++;
      this.pos = start;
      this.end = end;
      let family: string | null = null;
      try {
        family = this.sameNameAsBefore(start) ? this.last.family : this.line();
      } catch (e) {
        if (!(e instanceof LineError)) throw e;
        this.issues.push({ line: this.lineNo, message: e.message });
        family = this.failedFamily;
      }
      if (sink !== null) sink(family, start, next);
      start = next;
    }
  }

  result(): PrometheusText {
    return {
      families: this.families.map((f) => ({
        name: f.name,
        type: f.declared ?? 'untyped',
        help: f.help,
        samples: f.samples,
      })),
      issues: this.issues,
    };
  }

  /**
   * Names only: whether the line starting at `start` is a sample of the previous sample line's
   * metric (the usual case: a family's series come one after another), so its family is known
   * without reading the name again. Any comment line forgets the previous name (a `# TYPE` line can
   * change which family a name belongs to).
   */
  private sameNameAsBefore(start: number): boolean {
    const { name } = this.last;
    if (!this.namesOnly || name === '' || !this.text.startsWith(name, start)) return false;
    const c = this.text.charCodeAt(start + name.length);
    return c === OPEN_BRACE || c === SPACE || c === TAB;
  }

  /** Reads the current line; returns its family, or null for blank lines and plain comments. */
  private line(): string | null {
    this.failedFamily = null;
    this.skipBlanks();
    if (this.pos >= this.end) return null;
    if (this.peek() === HASH) {
      this.last = { name: '', family: '' };
      return this.comment();
    }
    return this.sample();
  }

  // --- comments ---

  private comment(): string | null {
    this.pos++;
    this.skipBlanks();
    const keywordStart = this.pos;
    while (this.pos < this.end && !isBlank(this.peek())) this.pos++;
    const keyword = this.text.slice(keywordStart, this.pos);
    if (keyword !== 'HELP' && keyword !== 'TYPE') return null;
    this.skipBlanks();
    const name = this.metricName();
    if (name === '') throw new LineError(`expected a metric name after # ${keyword}`);
    this.failedFamily = name;
    if (this.pos < this.end && !isBlank(this.peek()))
      throw new LineError(`invalid character ${this.describeHere()} in the metric name "${name}"`);
    this.skipBlanks();
    if (keyword === 'HELP') this.help(name);
    else this.type(name);
    return name;
  }

  private help(name: string): void {
    const text = this.unescapeHelp();
    const family = this.family(name);
    if (family.help !== null) throw new LineError(`second HELP line for ${name}`);
    family.help = text;
  }

  private unescapeHelp(): string {
    const { text } = this;
    let out = '';
    let chunk = this.pos;
    for (let i = this.pos; i < this.end; i++) {
      if (text.charCodeAt(i) !== BACKSLASH) continue;
      const next = text.charCodeAt(i + 1);
      if (i + 1 < this.end && (next === BACKSLASH || next === 0x6e)) {
        out += text.slice(chunk, i) + (next === BACKSLASH ? '\\' : '\n');
        i++;
        chunk = i + 1;
      }
    }
    return out + text.slice(chunk, this.end);
  }

  private type(name: string): void {
    const wordStart = this.pos;
    while (this.pos < this.end && !isBlank(this.peek())) this.pos++;
    const word = this.text.slice(wordStart, this.pos);
    this.skipBlanks();
    if (word === '') throw new LineError(`expected a metric type after # TYPE ${name}`);
    const type = METRIC_TYPES.find((t) => t === word);
    if (type === undefined) throw new LineError(`unknown metric type "${word}" for ${name}`);
    if (this.pos < this.end) throw new LineError(`unexpected text after the metric type of ${name}`);
    const family = this.family(name);
    if (family.declared !== null) throw new LineError(`second TYPE line for ${name}`);
    if (family.samples.length > 0) throw new LineError(`TYPE line for ${name} after its samples`);
    family.declared = type;
  }

  // --- samples ---

  private sample(): string {
    const name = this.metricName();
    if (name === '') {
      throw new LineError(
        this.peek() === OPEN_BRACE
          ? "expected a metric name before '{'"
          : `expected a metric name, found ${this.describeHere()}`,
      );
    }
    const familyName = this.familyOf(name);
    this.failedFamily = familyName;
    if (this.namesOnly) {
      this.family(familyName);
      this.last = { name, family: familyName };
      return familyName;
    }
    const afterName = this.pos;
    this.skipBlanks();
    const braces = this.peek() === OPEN_BRACE;
    if (!braces && this.pos === afterName && this.pos < this.end) {
      throw new LineError(`invalid character ${this.describeHere()} in the metric name "${name}"`);
    }
    const [labels, pairs] = braces ? this.labels() : [Object.create(null) as Record<string, string>, []];
    this.skipBlanks();
    const valueText = this.token();
    if (valueText === '')
      throw new LineError(`expected a value after the ${braces ? 'labels' : 'metric name'}`);
    const value = parseGoFloat(valueText);
    if (value === null) throw new LineError(`invalid value "${valueText}"`);
    this.skipBlanks();
    let timestampMs: number | null = null;
    if (this.pos < this.end) {
      const tsText = this.token();
      timestampMs = parseTimestamp(tsText);
      if (timestampMs === null) throw new LineError(`invalid timestamp "${tsText}"`);
      this.skipBlanks();
      if (this.pos < this.end) throw new LineError('unexpected text after the timestamp');
    }

    const family = this.family(familyName);
    checkStructure(family, name, labels);
    const key = seriesKey(name, pairs);
    const first = this.series.get(key);
    if (first !== undefined) {
      throw new LineError(`duplicate series ${describeSeries(name, labels)} (first on line ${first}; kept)`);
    }
    this.series.set(key, this.lineNo);
    family.samples.push({ name, labels, value, timestampMs, line: this.lineNo });
    return familyName;
  }

  /** `{a="x",b="y"}` → labels and the sorted `name=value` pairs (for the series key). */
  private labels(): [Record<string, string>, string[]] {
    const labels = Object.create(null) as Record<string, string>;
    const pairs: string[] = [];
    this.pos++; // '{'
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.end) throw new LineError("expected a label name or '}'");
      if (this.peek() === CLOSE_BRACE) break;
      const name = this.labelName();
      if (name === '') throw new LineError(`expected a label name, found ${this.describeHere()}`);
      this.skipBlanks();
      if (this.peek() !== EQUALS)
        throw new LineError(`expected '=' after the label name "${name}", found ${this.describeHere()}`);
      this.pos++;
      this.skipBlanks();
      if (this.peek() !== QUOTE)
        throw new LineError(
          `expected '"' to open the value of label "${name}", found ${this.describeHere()}`,
        );
      const value = this.labelValue(name);
      if (name in labels) throw new LineError(`duplicate label "${name}"`);
      if (name === '__name__') throw new LineError('the label name "__name__" is reserved');
      labels[name] = value;
      pairs.push(`${name}\u0001${value}`);
      this.skipBlanks();
      const c = this.peek();
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      if (c === CLOSE_BRACE) break;
      throw new LineError(
        `expected ',' or '}' after the value of label "${name}", found ${this.describeHere()}`,
      );
    }
    this.pos++; // '}'
    return [labels, pairs];
  }

  private labelValue(label: string): string {
    const { text } = this;
    this.pos++; // opening quote
    let out = '';
    let chunk = this.pos;
    while (this.pos < this.end) {
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        out += text.slice(chunk, this.pos);
        this.pos++;
        return out;
      }
      if (c === BACKSLASH) {
        const e = this.pos + 1 < this.end ? text.charCodeAt(this.pos + 1) : -1;
        const decoded = e === BACKSLASH ? '\\' : e === QUOTE ? '"' : e === 0x6e ? '\n' : null;
        if (decoded === null) {
          const seq = e === -1 ? '\\' : `\\${text.charAt(this.pos + 1)}`;
          throw new LineError(`invalid escape sequence "${seq}" in the value of label "${label}"`);
        }
        out += text.slice(chunk, this.pos) + decoded;
        this.pos += 2;
        chunk = this.pos;
        continue;
      }
      this.pos++;
    }
    throw new LineError(`unterminated value of label "${label}"`);
  }

  // --- names and tokens ---

  private metricName(): string {
    const start = this.pos;
    const { text } = this;
    if (this.pos < this.end) {
      const c = text.charCodeAt(this.pos);
      if (!isLetterOrUnderscore(c) && c !== 0x3a) return '';
      this.pos++;
    }
    while (this.pos < this.end) {
      const c = text.charCodeAt(this.pos);
      if (!isLetterOrUnderscore(c) && c !== 0x3a && !isDigit(c)) break;
      this.pos++;
    }
    return text.slice(start, this.pos);
  }

  private labelName(): string {
    const start = this.pos;
    const { text } = this;
    if (this.pos < this.end && !isLetterOrUnderscore(text.charCodeAt(this.pos))) return '';
    while (this.pos < this.end) {
      const c = text.charCodeAt(this.pos);
      if (!isLetterOrUnderscore(c) && !isDigit(c)) break;
      this.pos++;
    }
    return text.slice(start, this.pos);
  }

  /** Characters up to the next blank or the end of the line. */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.end && !isBlank(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private skipBlanks(): void {
    while (this.pos < this.end && isBlank(this.text.charCodeAt(this.pos))) this.pos++;
  }

  /** The current character code, -1 at the end of the line. */
  private peek(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  private describeHere(): string {
    if (this.pos >= this.end) return 'the end of the line';
    const ch = String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
    const code = ch.codePointAt(0) ?? 0;
    return code > 0x20 && code < 0x7f ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  // --- families ---

  private family(name: string): FamilyBuilder {
    let f = this.byName.get(name);
    if (f === undefined) {
      f = { name, declared: null, help: null, samples: [] };
      this.byName.set(name, f);
      this.families.push(f);
    }
    return f;
  }

  /** expfmt's rule: the exact name first, then the histogram/summary the suffix points to. */
  private familyOf(sampleName: string): string {
    if (this.byName.has(sampleName)) return sampleName;
    for (const suffix of ['_bucket', '_sum', '_count']) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = sampleName.slice(0, -suffix.length);
      const type = this.byName.get(base)?.declared;
      if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) return base;
    }
    return sampleName;
  }
}

/** A histogram's or summary's sample must be one of its series kinds, with a numeric le/quantile. */
function checkStructure(family: FamilyBuilder, name: string, labels: Labels): void {
  const type = family.declared;
  if (type !== 'histogram' && type !== 'summary') return;
  const suffix = name.slice(family.name.length);
  if (suffix === '_sum' || suffix === '_count') return;
  if (type === 'histogram') {
    if (suffix !== '_bucket')
      throw new LineError(`expected ${family.name}_bucket, _sum or _count in the histogram ${family.name}`);
    checkBound(labels, 'le', `histogram bucket ${name}`);
  } else {
    checkBound(labels, 'quantile', `summary ${name}`);
  }
}

function checkBound(labels: Labels, label: string, what: string): void {
  const v = labels[label];
  if (v === undefined) throw new LineError(`${what} has no ${label} label`);
  if (parseGoFloat(v) === null) throw new LineError(`invalid ${label} "${v}" in ${what}`);
}

function seriesKey(name: string, pairs: string[]): string {
  if (pairs.length > 1) {
    let sorted = true;
    for (let i = 1; i < pairs.length && sorted; i++) sorted = (pairs[i - 1] as string) < (pairs[i] as string);
    if (!sorted) pairs.sort();
  }
  return pairs.length === 0 ? name : `${name}\u0000${pairs.join('\u0000')}`;
}

function describeSeries(name: string, labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return name;
  return `${name}{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** Go's strconv.ParseFloat on a decimal float, NaN or ±Inf(inity); null where Go fails (incl. out of range). */
export function parseGoFloat(s: string): number | null {
  if (DECIMAL.test(s)) {
    const v = Number(s);
    return Number.isFinite(v) ? v : null;
  }
  const lower = s.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  const unsigned = lower.startsWith('+') || lower.startsWith('-') ? lower.slice(1) : lower;
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  return null;
}

/** An int64 of milliseconds (the range a JavaScript Date can hold is far inside it). */
function parseTimestamp(s: string): number | null {
  if (!INTEGER.test(s)) return null;
  const v = Number(s);
  return Number.isSafeInteger(v) ? v : null;
}
