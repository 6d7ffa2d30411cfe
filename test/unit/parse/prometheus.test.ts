// Tests the Prometheus text-format parser and the snapshot family filter on the real kubelet
// /metrics and /metrics/cadvisor fixtures, on corrupted twins of them, and on the format's corners.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CADVISOR_SNAPSHOT_FAMILIES,
  KUBELET_SNAPSHOT_FAMILIES,
  familyMatcher,
  filterFamilies,
  parseGoFloat,
  parsePrometheusText,
  type MetricFamily,
} from '../../../src/parse/prometheus.js';

const REAL = path.resolve(process.cwd(), '../shared/fixtures/real');
const KUBELET_113 = 'metrics/netdata-kubelet-1.13.4.metrics.txt';
const CADVISOR_V2 = 'cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt';
const CADVISOR_V1 = 'cadvisor/nri-k8s-minikube-1.15-cgroupv1.metrics-cadvisor.cpu-families.txt';
const ALL_FIXTURES = [KUBELET_113, CADVISOR_V2, CADVISOR_V1];

const real = (file: string) => readFileSync(path.join(REAL, file), 'utf8');

function family(families: readonly MetricFamily[], name: string): MetricFamily {
  const f = families.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no family ${name}`);
  return f;
}

/** Lines of a text (1-based access via [n - 1]). */
const lines = (text: string) => text.split('\n');

describe('parsePrometheusText on the real fixtures', () => {
  it.each(ALL_FIXTURES)('%s parses without issues, one family per # TYPE line', (file) => {
    const text = real(file);
    const { families, issues } = parsePrometheusText(text);
    expect(issues).toEqual([]);
    const typeLines = lines(text).filter((l) => l.startsWith('# TYPE '));
    expect(families.map((f) => `# TYPE ${f.name} ${f.type}`)).toEqual(typeLines);
    const sampleLines = lines(text).filter((l) => l !== '' && !l.startsWith('#')).length;
    expect(families.reduce((n, f) => n + f.samples.length, 0)).toBe(sampleLines);
  });

  it('reads the kubelet 1.13.4 /metrics: counters, gauges, histograms, summaries with NaN', () => {
    const { families } = parsePrometheusText(real(KUBELET_113));
    expect(families).toHaveLength(68);
    expect(families.filter((f) => f.type === 'summary')).toHaveLength(14);
    expect(families.filter((f) => f.type === 'histogram')).toHaveLength(4);

    const cert = family(families, 'apiserver_client_certificate_expiration_seconds');
    expect(cert.type).toBe('histogram');
    expect(cert.help).toBe(
      'Distribution of the remaining lifetime on the certificate used to authenticate a request.',
    );
    expect(cert.samples).toHaveLength(14); // 12 buckets, _sum, _count
    expect(cert.samples[7]).toEqual({
      name: 'apiserver_client_certificate_expiration_seconds_bucket',
      labels: { le: '2.592e+06' },
      value: 0,
      timestampMs: null,
      line: 16,
    });
    expect(cert.samples[11]).toMatchObject({ labels: { le: '+Inf' }, value: 2, line: 20 });
    expect(cert.samples[12]).toMatchObject({
      name: 'apiserver_client_certificate_expiration_seconds_sum',
      value: 6.198359653913356e7,
    });
    expect(cert.samples[13]).toMatchObject({
      name: 'apiserver_client_certificate_expiration_seconds_count',
      value: 2,
    });

    const gc = family(families, 'go_gc_duration_seconds');
    expect(gc.type).toBe('summary');
    expect(gc.samples.map((s) => [s.name, s.labels.quantile, s.value])).toEqual([
      ['go_gc_duration_seconds', '0', 3.1848e-5],
      ['go_gc_duration_seconds', '0.25', 6.1739e-5],
      ['go_gc_duration_seconds', '0.5', 9.1641e-5],
      ['go_gc_duration_seconds', '0.75', 0.000143403],
      ['go_gc_duration_seconds', '1', 0.003400982],
      ['go_gc_duration_seconds_sum', undefined, 0.041302468],
      ['go_gc_duration_seconds_count', undefined, 252],
    ]);

    const cgroup = family(families, 'kubelet_cgroup_manager_latency_microseconds');
    expect(cgroup.samples[0]).toMatchObject({
      labels: { operation_type: 'create', quantile: '0.5' },
      line: 167,
    });
    expect(cgroup.samples[0]?.value).toBeNaN();

    const ops = family(families, 'kubelet_runtime_operations');
    expect(ops.type).toBe('counter');
    expect(ops.samples.find((s) => s.labels.operation_type === 'list_containers')?.value).toBe(2586);

    const build = family(families, 'kubernetes_build_info');
    expect(build.samples[0]?.labels).toMatchObject({ gitVersion: 'v1.13.4', platform: 'linux/amd64' });
    expect(build.help).toBe(
      "A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.",
    );
    expect(family(families, 'process_start_time_seconds').samples[0]?.value).toBe(1552937586.54);
  });

  it('reads the cgroup v2 cAdvisor scrape with its millisecond timestamps', () => {
    const { families } = parsePrometheusText(real(CADVISOR_V2));
    const periods = family(families, 'container_cpu_cfs_periods_total');
    expect(periods.samples).toHaveLength(16);
    expect(periods.samples[0]).toEqual({
      name: 'container_cpu_cfs_periods_total',
      labels: { container: '', id: '/', image: '', name: '', namespace: '', pod: '' },
      value: 1542,
      timestampMs: 1782468875486,
      line: 6,
    });
    const quota = family(families, 'container_spec_cpu_quota');
    expect(quota.samples[0]).toMatchObject({ value: 200000, timestampMs: null });
    expect(family(families, 'machine_memory_bytes').samples[0]?.value).toBe(8216887296);
  });

  it('unescapes \\\\ in the cgroup v1 scrape (systemd unit names with \\x2d)', () => {
    const { families } = parsePrometheusText(real(CADVISOR_V1));
    const sys = family(families, 'container_cpu_system_seconds_total');
    const swap = sys.samples.find((s) => s.line === 37);
    expect(swap?.labels.id).toBe(
      '/system.slice/dev-disk-by\\x2did-ata\\x2dVBOX_HARDDISK_VB889e9320\\x2d6f5efc34\\x2dpart2.swap',
    );
    expect(swap?.labels.pod_name).toBe('');
    expect(family(families, 'machine_cpu_cores').samples[0]?.value).toBe(2);
  });
});

/** Replaces line `n` (1-based) of `text`. */
function withLine(text: string, n: number, replace: (line: string) => string): string {
  const ls = lines(text);
  ls[n - 1] = replace(ls[n - 1] ?? '');
  return ls.join('\n');
}

describe('corrupted twins of the real fixtures', () => {
  // Each corruption breaks exactly one sample line; the issue names that line and every other
  // sample of the file is still read with its value.
  const corruptions: readonly {
    readonly what: string;
    readonly file: string;
    readonly line: number;
    readonly corrupt: (l: string) => string;
    readonly message: string;
  }[] = [
    {
      what: 'a truncated line',
      file: CADVISOR_V2,
      line: 8,
      corrupt: (l) => l.slice(0, 60),
      message: 'unterminated value of label "id"',
    },
    {
      what: 'a line cut after the labels',
      file: KUBELET_113,
      line: 418,
      corrupt: (l) => l.slice(0, l.indexOf('} ') + 1),
      message: 'expected a value after the labels',
    },
    {
      what: 'a bad escape',
      file: CADVISOR_V1,
      line: 38,
      corrupt: (l) => l.replace('\\\\x2dpartuuid', '\\x2dpartuuid'),
      message: 'invalid escape sequence "\\x" in the value of label "id"',
    },
    {
      what: 'a non-number value',
      file: KUBELET_113,
      line: 323,
      corrupt: (l) => l.replace(' 9', ' nine'),
      message: 'invalid value "nine"',
    },
    {
      what: 'a label value without quotes',
      file: CADVISOR_V1,
      line: 7,
      corrupt: (l) => l.replace('container_name="addon-resizer"', 'container_name=addon-resizer'),
      message: `expected '"' to open the value of label "container_name", found 'a'`,
    },
    {
      what: 'a bad timestamp',
      file: CADVISOR_V2,
      line: 6,
      corrupt: (l) => l.replace(/ (\d+)$/, ' $1ms'),
      message: 'invalid timestamp "1782468875486ms"',
    },
  ];

  it.each(corruptions)('$what in $file: issue on line $line, the rest parses', (c) => {
    const original = parsePrometheusText(real(c.file));
    const corrupted = parsePrometheusText(withLine(real(c.file), c.line, c.corrupt));
    expect(corrupted.issues).toEqual([{ line: c.line, message: c.message }]);
    const samplesExcept = (fams: readonly MetricFamily[]) =>
      fams.flatMap((f) => f.samples.filter((s) => s.line !== c.line).map((s) => [f.name, s]));
    expect(samplesExcept(corrupted.families)).toEqual(samplesExcept(original.families));
    expect(corrupted.families.flatMap((f) => f.samples).some((s) => s.line === c.line)).toBe(false);
  });

  it('reports every broken line of a file with several corruptions', () => {
    let text = real(KUBELET_113);
    text = withLine(text, 3, () => 'apiserver_audit_event_total');
    text = withLine(text, 100, () => '{le="1"} 3');
    text = withLine(text, 433, (l) => l.replace('1.55293758654e+09', '1.55e+09e'));
    const { issues, families } = parsePrometheusText(text);
    expect(issues).toEqual([
      { line: 3, message: 'expected a value after the metric name' },
      { line: 100, message: "expected a metric name before '{'" },
      { line: 433, message: 'invalid value "1.55e+09e"' },
    ]);
    expect(family(families, 'process_start_time_seconds').samples).toEqual([]);
    expect(family(families, 'kubernetes_build_info').samples).toHaveLength(1);
  });
});

describe('parsePrometheusText: the format', () => {
  const parse = (text: string) => parsePrometheusText(text);

  it('reads special and exponent values and optional timestamps', () => {
    const { families, issues } = parse(
      [
        'a NaN',
        'b +Inf',
        'c -Inf',
        'd 1.5e-3 -12',
        'e -2E+2 1782468875486',
        'f .5',
        'g +7.',
        'h inf',
        'i 1_000',
        'j 0x10',
        'k 1e400',
      ].join('\n'),
    );
    const v = Object.fromEntries(families.map((f) => [f.name, f.samples[0]]));
    expect(v.a?.value).toBeNaN();
    expect(v.b?.value).toBe(Infinity);
    expect(v.c?.value).toBe(-Infinity);
    expect(v.d).toMatchObject({ value: 0.0015, timestampMs: -12 });
    expect(v.e).toMatchObject({ value: -200, timestampMs: 1782468875486 });
    expect(v.f?.value).toBe(0.5);
    expect(v.g?.value).toBe(7);
    expect(v.h?.value).toBe(Infinity);
    expect(issues).toEqual([
      { line: 9, message: 'invalid value "1_000"' },
      { line: 10, message: 'invalid value "0x10"' },
      { line: 11, message: 'invalid value "1e400"' },
    ]);
  });

  it('unescapes label values and HELP text, allows blanks and a trailing comma', () => {
    const { families, issues } = parse(
      [
        '# HELP m a \\\\ back\\nslash \\t kept',
        '# TYPE m gauge',
        '# a plain comment',
        '#another one',
        '',
        '  m { a = "x\\\\y\\"z\\n" ,\tb="",} \t 3  ',
        'm{a="tab\there"} 4',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(families).toEqual([
      {
        name: 'm',
        type: 'gauge',
        help: 'a \\ back\nslash \\t kept',
        samples: [
          { name: 'm', labels: { a: 'x\\y"z\n', b: '' }, value: 3, timestampMs: null, line: 6 },
          { name: 'm', labels: { a: 'tab\there' }, value: 4, timestampMs: null, line: 7 },
        ],
      },
    ]);
  });

  it('groups histogram and summary series under their family; untyped look-alikes stay apart', () => {
    const { families, issues } = parse(
      [
        '# TYPE h histogram',
        'h_bucket{le="1"} 1',
        'h_bucket{le="+Inf"} 2',
        'h_sum 3',
        'h_count 2',
        '# TYPE s summary',
        's{quantile="0.5"} 1',
        's_sum 1',
        's_count 1',
        's_bucket 9',
        'u_sum 5',
        'u_count 5',
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(families.map((f) => [f.name, f.type, f.samples.map((s) => s.name)])).toEqual([
      ['h', 'histogram', ['h_bucket', 'h_bucket', 'h_sum', 'h_count']],
      ['s', 'summary', ['s', 's_sum', 's_count']],
      ['s_bucket', 'untyped', ['s_bucket']],
      ['u_sum', 'untyped', ['u_sum']],
      ['u_count', 'untyped', ['u_count']],
    ]);
  });

  it('checks histogram and summary series', () => {
    const { issues, families } = parse(
      [
        '# TYPE h histogram',
        'h_bucket 1',
        'h_bucket{le="x"} 1',
        'h 1',
        '# TYPE s summary',
        's 1',
        's{quantile="0.9"} 1',
      ].join('\n'),
    );
    expect(issues).toEqual([
      { line: 2, message: 'histogram bucket h_bucket has no le label' },
      { line: 3, message: 'invalid le "x" in histogram bucket h_bucket' },
      { line: 4, message: 'expected h_bucket, _sum or _count in the histogram h' },
      { line: 6, message: 'summary s has no quantile label' },
    ]);
    expect(family(families, 's').samples.map((s) => s.line)).toEqual([7]);
  });

  it('keeps the first of a duplicate series (label order does not matter) and reports the repeat', () => {
    const { issues, families } = parse(
      ['x{a="1",b="2"} 1', 'x{a="1",b="3"} 2', 'x{b="2",a="1"} 9 1000'].join('\n'),
    );
    expect(issues).toEqual([{ line: 3, message: 'duplicate series x{b="2",a="1"} (first on line 1; kept)' }]);
    expect(family(families, 'x').samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it('reports misplaced TYPE and HELP lines and bad comments', () => {
    const { issues, families } = parse(
      [
        '# TYPE a counter',
        '# TYPE a gauge',
        'b 1',
        '# TYPE b gauge',
        '# HELP a one',
        '# HELP a two',
        '# TYPE c histo',
        '# TYPE',
        '# TYPE d',
        '# HELP e-f x',
      ].join('\n'),
    );
    expect(issues).toEqual([
      { line: 2, message: 'second TYPE line for a' },
      { line: 4, message: 'TYPE line for b after its samples' },
      { line: 6, message: 'second HELP line for a' },
      { line: 7, message: 'unknown metric type "histo" for c' },
      { line: 8, message: 'expected a metric name after # TYPE' },
      { line: 9, message: 'expected a metric type after # TYPE d' },
      { line: 10, message: `invalid character '-' in the metric name "e"` },
    ]);
    expect(family(families, 'a')).toMatchObject({ type: 'counter', help: 'one' });
    expect(family(families, 'b').type).toBe('untyped');
  });

  it('reports malformed labels', () => {
    const { issues } = parse(
      [
        'a{1="x"} 1',
        'a{x} 1',
        'a{x="1" y="2"} 1',
        'a{x="1",x="2"} 1',
        'a{__name__="b"} 1',
        'a{x="1",',
        'a{x="1"',
        'a-b 1',
        'a 1 2 3',
        '9a 1',
      ].join('\n'),
    );
    expect(issues).toEqual([
      { line: 1, message: "expected a label name, found '1'" },
      { line: 2, message: `expected '=' after the label name "x", found '}'` },
      { line: 3, message: `expected ',' or '}' after the value of label "x", found 'y'` },
      { line: 4, message: 'duplicate label "x"' },
      { line: 5, message: 'the label name "__name__" is reserved' },
      { line: 6, message: "expected a label name or '}'" },
      { line: 7, message: `expected ',' or '}' after the value of label "x", found the end of the line` },
      { line: 8, message: `invalid character '-' in the metric name "a"` },
      { line: 9, message: 'unexpected text after the timestamp' },
      { line: 10, message: "expected a metric name, found '9'" },
    ]);
  });

  it('counts CRLF lines like LF lines and ignores the CR', () => {
    const { issues, families } = parse('# TYPE a gauge\r\na{x="1"} 2\r\nb oops\r\n');
    expect(issues).toEqual([{ line: 3, message: 'invalid value "oops"' }]);
    expect(family(families, 'a').samples[0]).toMatchObject({ value: 2, line: 2 });
  });

  it('label values named like Object.prototype members stay plain keys', () => {
    const { families } = parse('a{__proto__="x",constructor="y"} 1');
    const labels = family(families, 'a').samples[0]?.labels;
    expect(Object.keys(labels ?? {})).toEqual(['__proto__', 'constructor']);
    expect(labels?.__proto__).toBe('x');
  });

  // how fast: bench:audit (its cAdvisor scrapes are real-sized); here only that it is all read
  it('parses a multi-megabyte cAdvisor-sized scrape', () => {
    const out: string[] = [
      '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.',
    ];
    out.push('# TYPE container_cpu_usage_seconds_total counter');
    for (let pod = 0; pod < 110; pod++) {
      for (let c = 0; c < 4; c++) {
        for (let cpu = 0; cpu < 64; cpu++) {
          out.push(
            `container_cpu_usage_seconds_total{container="c${c}",cpu="cpu${cpu}",id="/kubepods/pod${pod}/${'f'.repeat(64)}",image="registry.k8s.io/app:1.0",name="${'e'.repeat(64)}",namespace="ns",pod="pod-${pod}"} ${pod + c / 10} 1782468875486`,
          );
        }
      }
    }
    const text = out.join('\n');
    expect(text.length).toBeGreaterThan(8_000_000);
    const { families, issues } = parse(text);
    expect(issues).toEqual([]);
    expect(families[0]?.samples).toHaveLength(110 * 4 * 64);
  });

  it('a pathological line (a megabyte label value, no closing quote): one issue', () => {
    const { issues } = parse(`a{x="${'\\\\'.repeat(500_000)}`);
    expect(issues).toEqual([{ line: 1, message: 'unterminated value of label "x"' }]);
  });
});

describe('parseGoFloat', () => {
  it.each([
    ['0', 0],
    ['-0.5', -0.5],
    ['1e3', 1000],
    ['+Inf', Infinity],
    ['-inf', -Infinity],
    ['Infinity', Infinity],
  ])('%s → %d', (s, v) => {
    expect(parseGoFloat(s)).toBe(v);
  });
  it.each(['', '+', '1e', 'e1', '--1', '+NaN', '1.2.3', '0x1p-2', '1,5'])('%j is not a Go float', (s) => {
    expect(parseGoFloat(s)).toBeNull();
  });
  it('reads NaN in any case', () => {
    expect(parseGoFloat('nan')).toBeNaN();
    expect(parseGoFloat('NaN')).toBeNaN();
  });
});

/**
 * Independent reference for the filter on the family-filtered fixtures, whose families are
 * contiguous blocks that each start with `# HELP`: keep the blocks whose name is kept.
 */
function keepBlocks(text: string, keep: (name: string) => boolean): string {
  let kept = false;
  return text
    .split(/(?<=\n)/)
    .filter((line) => {
      if (line.startsWith('# HELP ')) kept = keep(line.split(' ')[2] ?? '');
      return kept;
    })
    .join('');
}

describe('filterFamilies', () => {
  it.each([CADVISOR_V2, CADVISOR_V1])('keeps the snapshot families of %s byte for byte', (file) => {
    const text = real(file);
    const filtered = filterFamilies(text, CADVISOR_SNAPSHOT_FAMILIES);
    expect(filtered).toBe(keepBlocks(text, CADVISOR_SNAPSHOT_FAMILIES));
    expect(filtered).not.toContain('container_cpu_system_seconds_total');
    expect(filtered).not.toContain('container_cpu_user_seconds_total');
    expect(filtered).toContain('# TYPE container_cpu_usage_seconds_total counter\n');
    expect(filtered).toContain('# TYPE machine_memory_bytes gauge\n');
    expect(filtered).toContain('cadvisor_version_info');
    // every kept family parses exactly as it did in the whole file
    const whole = parsePrometheusText(text).families.filter((f) => CADVISOR_SNAPSHOT_FAMILIES(f.name));
    const part = parsePrometheusText(filtered).families;
    expect(part.map((f) => [f.name, f.type, f.help, f.samples.map((s) => [s.labels, s.value])])).toEqual(
      whole.map((f) => [f.name, f.type, f.help, f.samples.map((s) => [s.labels, s.value])]),
    );
  });

  it('keeps everything of a file without blank lines or plain comments', () => {
    for (const file of ALL_FIXTURES) expect(filterFamilies(real(file), () => true)).toBe(real(file));
  });

  it('keeps process_start_time_seconds and kubernetes_build_info of the kubelet 1.13 scrape', () => {
    const text = real(KUBELET_113);
    const expected = [...lines(text).slice(415, 418), ...lines(text).slice(430, 433)].join('\n') + '\n';
    expect(filterFamilies(text, KUBELET_SNAPSHOT_FAMILIES)).toBe(expected);
  });

  it('keeps histogram series with their family, CRLF endings, and malformed lines of kept families', () => {
    const text = [
      '# HELP kubelet_topology_manager_admission_duration_ms Duration in milliseconds to serve a pod admission request.\r\n',
      '# TYPE kubelet_topology_manager_admission_duration_ms histogram\r\n',
      '# a plain comment\r\n',
      'go_goroutines 19\r\n',
      'kubelet_topology_manager_admission_duration_ms_bucket{le="0.05"} 7\r\n',
      '\r\n',
      'kubelet_topology_manager_admission_duration_ms_sum 0.1\r\n',
      'kubelet_topology_manager_admission_duration_ms_count 7\r\n',
      'resource_manager_allocations_total{resource_name="cpu",source=node} 1\r\n',
      '{resource_name="cpu"} 1\r\n',
      'process_start_time_seconds 1.7e+09',
    ];
    expect(filterFamilies(text.join(''), KUBELET_SNAPSHOT_FAMILIES)).toBe(
      [text[0], text[1], text[4], text[6], text[7], text[8], text[10]].join(''),
    );
  });

  it('drops the lines of dropped families unread past the name, malformed or duplicated ones too', () => {
    const text = [
      'container_memory_rss{id="/",name="" 1\n', // unterminated braces
      'container_memory_rss{id="/"} 1\n',
      'container_memory_rss{id="/"} 1\n', // a duplicate series
      'container_cpu_cfs_periods_total{id="/a"} 3\n',
      'container_cpu_cfs_periods_total{id="/a"} x\n', // kept, still malformed
      'container_fs_reads_total{device="\\q"} 1\n', // an invalid escape
    ];
    expect(filterFamilies(text.join(''), CADVISOR_SNAPSHOT_FAMILIES)).toBe([text[3], text[4]].join(''));
    // the full parse sees every problem
    expect(parsePrometheusText(text.join('')).issues.map((i) => i.line)).toEqual([1, 3, 5, 6]);
  });

  it('a TYPE line between two samples of one name can move the second to another family', () => {
    const text = '# TYPE x histogram\nx_bucket{le="1"} 1\n# TYPE x_bucket gauge\nx_bucket 2\n';
    expect(parsePrometheusText(text).families.map((f) => [f.name, f.samples.length])).toEqual([
      ['x', 1],
      ['x_bucket', 1],
    ]);
    expect(filterFamilies(text, (n) => n === 'x')).toBe('# TYPE x histogram\nx_bucket{le="1"} 1\n');
    expect(filterFamilies(text, (n) => n === 'x_bucket')).toBe('# TYPE x_bucket gauge\nx_bucket 2\n');
  });

  it('keepLineNumbers: the kept lines stay on their lines, nothing after the last kept one', () => {
    const text = ['# HELP a x', 'b 1', '# TYPE a gauge', 'b 2', 'a 1', 'a{l="x"} 2', 'b 3', 'b 4', ''].join(
      '\n',
    );
    const numbered = filterFamilies(text, (n) => n === 'a', { keepLineNumbers: true });
    expect(numbered).toBe('# HELP a x\n\n# TYPE a gauge\n\na 1\na{l="x"} 2\n');
    expect(parsePrometheusText(numbered).families[0]?.samples.map((s) => s.line)).toEqual([5, 6]);
    expect(filterFamilies(text, (n) => n === 'a')).toBe('# HELP a x\n# TYPE a gauge\na 1\na{l="x"} 2\n');
    // on every real scrape: the same samples on the same lines as a parse of the whole text
    for (const file of ALL_FIXTURES) {
      const whole = parsePrometheusText(real(file));
      const kept = parsePrometheusText(
        filterFamilies(real(file), CADVISOR_SNAPSHOT_FAMILIES, { keepLineNumbers: true }),
      );
      const keptNames = new Set(kept.families.map((f) => f.name));
      expect(kept.families).toEqual(whole.families.filter((f) => keptNames.has(f.name)));
    }
  });

  it('treats x_sum as its own family when x is not a declared summary or histogram', () => {
    const text = 'a_sum 1\n# TYPE b summary\nb_sum 2\nb_count 1\n';
    expect(filterFamilies(text, (n) => n === 'b')).toBe('# TYPE b summary\nb_sum 2\nb_count 1\n');
    expect(filterFamilies(text, (n) => n === 'a')).toBe('');
    expect(filterFamilies(text, (n) => n === 'a_sum')).toBe('a_sum 1\n');
  });
});

describe('snapshot family predicates (cli.md §8.7)', () => {
  it.each([
    ['kubelet_cpu_manager_pinning_requests_total', true],
    ['kubelet_memory_manager_pinning_errors_total', true],
    ['kubelet_topology_manager_admission_duration_ms', true],
    ['kubelet_container_aligned_compute_resources_failure_count', true],
    ['kubelet_admission_rejections_total', true],
    ['kubelet_pod_resources_endpoint_requests_list', true],
    ['resource_manager_container_assignments', true],
    ['process_start_time_seconds', true],
    ['kubernetes_build_info', true],
    ['kubelet_running_pods', false],
    ['process_start_time_seconds_total', false],
    ['kubelet_admission_rejections', false],
  ])('kubelet keeps %s: %s', (name, kept) => {
    expect(KUBELET_SNAPSHOT_FAMILIES(name)).toBe(kept);
  });

  it.each([
    ['container_cpu_cfs_throttled_seconds_total', true],
    ['container_spec_cpu_shares', true],
    ['container_cpu_usage_seconds_total', true],
    ['machine_cpu_physical_cores', true],
    ['machine_memory_bytes', true],
    ['cadvisor_version_info', true],
    ['container_cpu_system_seconds_total', false],
    ['container_memory_usage_bytes', false],
    ['machine_memory_bytes_total', false],
  ])('cAdvisor keeps %s: %s', (name, kept) => {
    expect(CADVISOR_SNAPSHOT_FAMILIES(name)).toBe(kept);
  });

  it('familyMatcher takes exact names and prefix patterns', () => {
    const m = familyMatcher(['a_*', 'b']);
    expect([m('a_x'), m('a_'), m('a'), m('b'), m('bb')]).toEqual([true, true, false, true, false]);
  });
});
