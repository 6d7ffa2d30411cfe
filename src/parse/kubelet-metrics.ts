// Typed views of the kubelet's /metrics (allocator-model §8.2) and /metrics/cadvisor (§8.3)
// scrapes, extracted from the Prometheus text format (prometheus.ts).
//
// /metrics: the resource-manager families in the scenario-format `metrics` shape, keyed the way
// src/render/simulation.ts builds it from the model, so a scrape and a replay compare key by key.
// A labelled counter present in the scrape becomes its full matrix (every label pair the model
// knows, 0 where the scrape has no series: a counter series appears only after its first
// increment), with label values the model does not know appended in scrape order. Families absent
// from the scrape are absent from `values`.
//
// /metrics/cadvisor: the CFS families per cgroup. `container_cpu_usage_seconds_total` is summed
// over its `cpu` label (cgroup v1 cAdvisor reports cpu00, cpu01, …), or taken from `cpu="total"`
// where that series exists (newer cAdvisor; summing both would count twice).

import { InputError } from '../errors.js';
import type { Metrics } from '../schema/common.js';
import { parsePrometheusText, type MetricFamily, type MetricSample } from './prometheus.js';

/** A line the Prometheus parser could not read; the rest of the scrape is still parsed. */
export interface MetricsParseIssue {
  /** 1-based line number */
  readonly line: number;
  readonly message: string;
}

/** /metrics reduced to the resource-manager families, in the scenario-format `metrics` shape. */
export interface KubeletMetrics {
  /** only the families present in the scrape (counter series appear after their first increment) */
  readonly values: Partial<Metrics>;
  /** names of the §8.2 families present (with # TYPE or samples) */
  readonly families: readonly string[];
  /** process_start_time_seconds (Unix seconds), null when absent */
  readonly processStartTimeSeconds: number | null;
  /** kubernetes_build_info{git_version}, e.g. "v1.36.2", null when absent */
  readonly buildVersion: string | null;
  readonly issues: readonly MetricsParseIssue[];
}

/** One cgroup's CPU series from /metrics/cadvisor (legacy pod_name/container_name mapped). */
export interface CadvisorCpuSeries {
  readonly namespace: string;
  readonly pod: string;
  /** "" = a pod-level (or sandbox/slice) cgroup series; "POD" = the pause container */
  readonly container: string;
  /** cgroup path label `id` */
  readonly id: string;
  readonly image: string;
  readonly name: string;
  readonly cfsPeriods: number | null;
  readonly cfsThrottledPeriods: number | null;
  readonly cfsThrottledSeconds: number | null;
  readonly specQuota: number | null;
  readonly specPeriod: number | null;
  readonly specShares: number | null;
  readonly usageSeconds: number | null;
  /**
   * the timestamp (ms) cAdvisor gave the usage sample: when it last read the cgroup (its
   * housekeeping runs every 10-15 s, not at every scrape); null without one
   */
  readonly usageTimestampMs: number | null;
}

export interface CadvisorCpu {
  readonly series: readonly CadvisorCpuSeries[];
  readonly issues: readonly MetricsParseIssue[];
}

// ----- /metrics -----------------------------------------------------------------------------------

type LabelledCounter = Metrics['resource_manager_allocations_total'];
type ScalarName = { [K in keyof Metrics]: Metrics[K] extends number ? K : never }[keyof Metrics];
type MatrixName = { [K in keyof Metrics]: Metrics[K] extends LabelledCounter ? K : never }[keyof Metrics];
type KeyedName = 'kubelet_cpu_manager_allocation_per_numa' | 'kubelet_admission_rejections_total';

/** Unlabelled counters and gauges of §8.2. */
const SCALAR_FAMILIES: readonly ScalarName[] = [
  'kubelet_cpu_manager_pinning_requests_total',
  'kubelet_cpu_manager_pinning_errors_total',
  'kubelet_memory_manager_pinning_requests_total',
  'kubelet_memory_manager_pinning_errors_total',
  'kubelet_cpu_manager_shared_pool_size_millicores',
  'kubelet_cpu_manager_exclusive_cpu_allocation_count',
  'kubelet_topology_manager_admission_requests_total',
  'kubelet_topology_manager_admission_errors_total',
];

interface MatrixSpec {
  /** the label of the outer keys, and the values the model knows in the simulate document's order */
  readonly outer: string;
  readonly outerValues: readonly string[];
  readonly inner: string;
  readonly innerValues: readonly string[];
}

// The key orders of metricsOut in src/render/simulation.ts.
const RESOURCES = ['cpu', 'memory'];
const BY_SOURCE: MatrixSpec = {
  outer: 'resource_name',
  outerValues: RESOURCES,
  inner: 'source',
  innerValues: ['pod', 'node'],
};
const BY_ALIGNMENT: MatrixSpec = {
  outer: 'scope',
  outerValues: ['container', 'pod'],
  inner: 'boundary',
  innerValues: ['physical_cpu', 'uncore_cache', 'numa_node'],
};

/** Counters with two labels: outer label value → inner label value → count. */
const MATRIX_FAMILIES: Readonly<Record<MatrixName, MatrixSpec>> = {
  resource_manager_allocations_total: BY_SOURCE,
  resource_manager_allocation_errors_total: BY_SOURCE,
  resource_manager_container_assignments: {
    outer: 'resource_name',
    outerValues: RESOURCES,
    inner: 'assignment_type',
    innerValues: ['node_exclusive', 'pod_exclusive', 'pod_shared'],
  },
  kubelet_container_aligned_compute_resources_count: BY_ALIGNMENT,
  kubelet_container_aligned_compute_resources_failure_count: BY_ALIGNMENT,
};

/** Series with one label: label value → value. */
const KEYED_FAMILIES: Readonly<Record<KeyedName, string>> = {
  kubelet_cpu_manager_allocation_per_numa: 'numa_node',
  kubelet_admission_rejections_total: 'reason',
};

/** §8.2 families that have no place in `values` but are reported in `families`. */
const OTHER_FAMILIES: readonly string[] = [
  'kubelet_topology_manager_admission_duration_ms',
  'kubelet_pod_resources_endpoint_requests_total',
  'kubelet_pod_resources_endpoint_requests_list',
  'kubelet_pod_resources_endpoint_requests_get_allocatable',
  'kubelet_pod_resources_endpoint_requests_get',
  'kubelet_pod_resources_endpoint_errors_list',
  'kubelet_pod_resources_endpoint_errors_get_allocatable',
  'kubelet_pod_resources_endpoint_errors_get',
];

/** Every §8.2 family name. */
export const RESOURCE_MANAGER_FAMILIES: readonly string[] = [
  ...SCALAR_FAMILIES,
  ...Object.keys(MATRIX_FAMILIES),
  ...Object.keys(KEYED_FAMILIES),
  ...OTHER_FAMILIES,
];

type MutableMetrics = { -readonly [K in keyof Metrics]?: Metrics[K] };

/** The keys of `values` in the order metricsOut (src/render/simulation.ts) writes them. */
const VALUE_ORDER: readonly (keyof Metrics)[] = [
  'resource_manager_allocations_total',
  'resource_manager_allocation_errors_total',
  'resource_manager_container_assignments',
  ...SCALAR_FAMILIES,
  'kubelet_container_aligned_compute_resources_count',
  'kubelet_container_aligned_compute_resources_failure_count',
  'kubelet_cpu_manager_allocation_per_numa',
  'kubelet_admission_rejections_total',
];

function isScalar(name: keyof Metrics): name is ScalarName {
  return (SCALAR_FAMILIES as readonly string[]).includes(name);
}

function isMatrix(name: keyof Metrics): name is MatrixName {
  return name in MATRIX_FAMILIES;
}

/**
 * Extracts the §8.2 families, process_start_time_seconds and kubernetes_build_info from a kubelet
 * /metrics scrape. Unreadable lines are issues (the rest is used); `source` names the scrape in
 * the error thrown for a body that is not text at all.
 */
export function parseKubeletMetrics(text: string, source: string): KubeletMetrics {
  const parsed = parseText(text, source);
  const issues = [...parsed.issues];
  const byName = new Map(parsed.families.map((f) => [f.name, f]));
  const values: MutableMetrics = {};

  for (const name of VALUE_ORDER) {
    const family = byName.get(name);
    if (family === undefined) continue;
    if (isScalar(name)) {
      const value = scalar(family, issues);
      if (value !== null) values[name] = value;
    } else if (isMatrix(name)) values[name] = matrix(family, MATRIX_FAMILIES[name], issues);
    else values[name] = keyed(family, KEYED_FAMILIES[name], issues);
  }

  const build = byName.get('kubernetes_build_info')?.samples[0];
  return {
    values,
    families: RESOURCE_MANAGER_FAMILIES.filter((n) => byName.has(n)),
    processStartTimeSeconds: scalar(byName.get('process_start_time_seconds'), issues),
    // component-base writes git_version; old kubelets (the 1.13 fixture) wrote gitVersion
    buildVersion: build?.labels.git_version ?? build?.labels.gitVersion ?? null,
    issues: sortIssues(issues),
  };
}

/** The value of a family with one unlabelled series; null when the family has no sample. */
function scalar(family: MetricFamily | undefined, issues: MetricsParseIssue[]): number | null {
  if (family === undefined) return null;
  const [first, ...more] = family.samples;
  if (first === undefined) return null;
  for (const s of more)
    issues.push({ line: s.line, message: `${family.name} has more than one series; the first is used` });
  return first.value;
}

function matrix(family: MetricFamily, spec: MatrixSpec, issues: MetricsParseIssue[]): LabelledCounter {
  const out = record<Record<string, number>>();
  const row = (key: string): Record<string, number> => {
    let r = out[key];
    if (r === undefined) {
      r = record<number>();
      for (const inner of spec.innerValues) r[inner] = 0;
      out[key] = r;
    }
    return r;
  };
  for (const outer of spec.outerValues) row(outer);
  for (const s of family.samples) {
    const o = labelOf(family, s, spec.outer, issues);
    const i = labelOf(family, s, spec.inner, issues);
    if (o === null || i === null) continue;
    const r = row(o);
    r[i] = (r[i] ?? 0) + s.value;
  }
  return out;
}

function keyed(family: MetricFamily, label: string, issues: MetricsParseIssue[]): Record<string, number> {
  const out = record<number>();
  for (const s of family.samples) {
    const key = labelOf(family, s, label, issues);
    if (key !== null) out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}

function labelOf(
  family: MetricFamily,
  s: MetricSample,
  label: string,
  issues: MetricsParseIssue[],
): string | null {
  const v = s.labels[label];
  if (v === undefined) issues.push({ line: s.line, message: `${family.name} sample has no ${label} label` });
  return v ?? null;
}

// ----- /metrics/cadvisor --------------------------------------------------------------------------

type SeriesValueField = Exclude<
  keyof CadvisorCpuSeries,
  'namespace' | 'pod' | 'container' | 'id' | 'image' | 'name' | 'usageTimestampMs'
>;

const CADVISOR_FAMILIES: Readonly<Record<string, SeriesValueField>> = {
  container_cpu_cfs_periods_total: 'cfsPeriods',
  container_cpu_cfs_throttled_periods_total: 'cfsThrottledPeriods',
  container_cpu_cfs_throttled_seconds_total: 'cfsThrottledSeconds',
  container_spec_cpu_quota: 'specQuota',
  container_spec_cpu_period: 'specPeriod',
  container_spec_cpu_shares: 'specShares',
  container_cpu_usage_seconds_total: 'usageSeconds',
};

/**
 * One cgroup series while its samples are read. A class with every field set in the constructor:
 * one hidden class for all of them (a spread literal plus stores under computed keys made V8 give
 * each builder its own dictionary, a third of the audit's cAdvisor parse).
 */
class SeriesBuilder {
  cfsPeriods: number | null = null;
  cfsThrottledPeriods: number | null = null;
  cfsThrottledSeconds: number | null = null;
  specQuota: number | null = null;
  specPeriod: number | null = null;
  specShares: number | null = null;
  usageSeconds: number | null = null;
  /** usage from cpu="total", which wins over the per-CPU sum, and its timestamp */
  usageTotal: number | null = null;
  usageTotalTimestampMs: number | null = null;
  /** the per-CPU samples' common timestamp: undefined before the first, null when they differ */
  usagePerCpuTimestampMs: number | null | undefined = undefined;
  /** field → line of the sample that set it */
  readonly lines = new Map<SeriesValueField, number>();

  constructor(
    readonly namespace: string,
    readonly pod: string,
    readonly container: string,
    readonly id: string,
    readonly image: string,
    readonly name: string,
  ) {}

  set(field: SeriesValueField, value: number): void {
    switch (field) {
      case 'cfsPeriods':
        this.cfsPeriods = value;
        break;
      case 'cfsThrottledPeriods':
        this.cfsThrottledPeriods = value;
        break;
      case 'cfsThrottledSeconds':
        this.cfsThrottledSeconds = value;
        break;
      case 'specQuota':
        this.specQuota = value;
        break;
      case 'specPeriod':
        this.specPeriod = value;
        break;
      case 'specShares':
        this.specShares = value;
        break;
      case 'usageSeconds':
        this.usageSeconds = value;
        break;
    }
  }
}

/**
 * The §8.3 CPU families of a /metrics/cadvisor scrape, one entry per cgroup series (key: id,
 * namespace, pod, container, name), in the order the scrape first names them.
 */
export function parseCadvisorCpu(text: string, source: string): CadvisorCpu {
  const parsed = parseText(text, source);
  const issues = [...parsed.issues];
  const series = new Map<string, SeriesBuilder>();
  for (const family of parsed.families) {
    const field = CADVISOR_FAMILIES[family.name];
    if (field === undefined) continue;
    for (const s of family.samples) addCadvisorSample(series, family.name, field, s, issues);
  }
  return {
    series: [...series.values()].map((b) => ({
      namespace: b.namespace,
      pod: b.pod,
      container: b.container,
      id: b.id,
      image: b.image,
      name: b.name,
      cfsPeriods: b.cfsPeriods,
      cfsThrottledPeriods: b.cfsThrottledPeriods,
      cfsThrottledSeconds: b.cfsThrottledSeconds,
      specQuota: b.specQuota,
      specPeriod: b.specPeriod,
      specShares: b.specShares,
      usageSeconds: b.usageTotal ?? b.usageSeconds,
      usageTimestampMs: b.usageTotal !== null ? b.usageTotalTimestampMs : (b.usagePerCpuTimestampMs ?? null),
    })),
    issues: sortIssues(issues),
  };
}

function addCadvisorSample(
  series: Map<string, SeriesBuilder>,
  familyName: string,
  field: SeriesValueField,
  s: MetricSample,
  issues: MetricsParseIssue[],
): void {
  const l = s.labels;
  // cAdvisor before Kubernetes 1.16 labels pod_name/container_name (1.14–1.15 wrote both)
  const namespace = l.namespace ?? '';
  const pod = l.pod ?? l.pod_name ?? '';
  const container = l.container ?? l.container_name ?? '';
  const id = l.id ?? '';
  const name = l.name ?? '';
  const key = `${id}\u0000${namespace}\u0000${pod}\u0000${container}\u0000${name}`;
  let b = series.get(key);
  if (b === undefined) {
    b = new SeriesBuilder(namespace, pod, container, id, l.image ?? '', name);
    series.set(key, b);
  }
  if (field === 'usageSeconds' && l.cpu !== undefined) {
    if (l.cpu === 'total') {
      b.usageTotal = s.value;
      b.usageTotalTimestampMs = s.timestampMs;
    } else {
      b.usageSeconds = (b.usageSeconds ?? 0) + s.value;
      b.usagePerCpuTimestampMs =
        b.usagePerCpuTimestampMs === undefined || b.usagePerCpuTimestampMs === s.timestampMs
          ? s.timestampMs
          : null;
    }
    return;
  }
  const first = b.lines.get(field);
  if (first !== undefined) {
    issues.push({
      line: s.line,
      message: `${familyName} for cgroup "${id}" given twice (first on line ${first}; kept)`,
    });
    return;
  }
  b.lines.set(field, s.line);
  b.set(field, s.value);
}

// ----- shared -------------------------------------------------------------------------------------

/** Rejects a body that is not text (a protobuf or compressed answer) instead of reporting every line. */
function parseText(text: string, source: string): ReturnType<typeof parsePrometheusText> {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    const line = countLines(text, nul);
    throw new InputError(`${source}: not the Prometheus text format: binary data on line ${line}`, {
      hint: 'request text/plain;version=0.0.4',
    });
  }
  return parsePrometheusText(text);
}

function countLines(text: string, upTo: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < upTo; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function sortIssues(issues: MetricsParseIssue[]): MetricsParseIssue[] {
  return issues.sort((a, b) => a.line - b.line);
}

/** An object without prototype: label values such as "__proto__" stay plain keys. */
function record<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}
