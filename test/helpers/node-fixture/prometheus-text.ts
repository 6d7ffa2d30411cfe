// Prometheus text exposition format 0.0.4 as Go's client_golang writes it (expfmt
// MetricFamilyToText): families sorted by name, `# HELP` then `# TYPE` lines, one sample per line
// with labels in the order given (client_golang sorts label names), values formatted by
// strconv.FormatFloat(v, 'g', -1, 64) ("63000", "1.77858e+09", "+Inf"), an optional millisecond
// timestamp after the value (cAdvisor writes one, the kubelet registry does not).

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  /** label name → value, in output order */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** milliseconds since the epoch, written after the value */
  readonly timestampMs?: number;
  /** the sample's metric name when it differs from the family's (histogram `_bucket`, `_sum`, `_count`) */
  readonly suffix?: '_bucket' | '_sum' | '_count';
}

export interface Family {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly samples: readonly Sample[];
}

/**
 * strconv.FormatFloat(v, 'g', -1, 64), which client_golang's writeFloat uses: the shortest decimal
 * that round-trips, in %e form when the decimal exponent is < -4 or >= 6 ("shortest" fixes the
 * precision for this choice at 6), exponents with at least two digits: 63000 → "63000",
 * 8216887296 → "8.216887296e+09", 0.0001 → "0.0001".
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  const [mantissa = '', expText = '0'] = Math.abs(v).toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : String(e)}`;
  }
  // JavaScript prints the same shortest digits in fixed form for 1e-7 <= |v| < 1e21
  return `${sign}${String(Math.abs(v))}`;
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function sampleLine(name: string, s: Sample): string {
  const pairs = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  const labels = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
  const ts = s.timestampMs === undefined ? '' : ` ${s.timestampMs}`;
  return `${name}${s.suffix ?? ''}${labels} ${goFloat(s.value)}${ts}`;
}

/** The exposition text of `families` (sorted by name); a family without samples is left out. */
export function renderExposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of [...families].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (f.samples.length === 0) continue;
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(sampleLine(f.name, s));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Samples ordered as client_golang orders them: by label values, in label order. */
export function sortSamples(samples: readonly Sample[]): Sample[] {
  const key = (s: Sample) => Object.values(s.labels);
  return [...samples].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const x = ka[i] as string;
      const y = kb[i] as string;
      if (x !== y) return x < y ? -1 : 1;
    }
    return ka.length - kb.length;
  });
}

/**
 * Inserts `line` into `text` at a family boundary near the middle (before a `# HELP` line), so a
 * reader meets it between two well-formed families.
 */
export function insertLine(text: string, line: string): string {
  const lines = text.split('\n');
  const helps = lines.flatMap((l, i) => (l.startsWith('# HELP ') ? [i] : []));
  const at = helps[Math.floor(helps.length / 2)] ?? lines.length;
  lines.splice(at, 0, line);
  return lines.join('\n');
}
