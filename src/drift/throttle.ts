// The `throttle` analysis (cli.md §5.5, §7.3, §8.5): CFS throttling per container from cAdvisor,
// joined with the expected CPU assignment and quota of the node replay, and a cause with advice.
//
// Per container: the container cgroup and pod cgroup windows (Δthrottled periods / Δperiods over
// the window, or the counters since cgroup start in cumulative mode), the CPU usage rate (interval
// mode), and the first cause of cli.md §7.3 that applies. Findings: T1 (warning) for a
// non-exclusive container whose own or pod-cgroup ratio reaches the threshold; D12 (error) for a
// container with exclusive CPUs that has a CFS quota the model does not expect or throttled periods,
// or whose pod cgroup is throttled past the threshold (allocator-model §6.6: the kubelet removes the
// pod quota as soon as one container is exclusive).

import { UsageError, InputError } from '../errors.js';
import { parseCpuList } from '../model/cpuset.js';
import type { Container, Pod } from '../model/pod.js';
import type { CadvisorCpu, CadvisorCpuSeries } from '../parse/kubelet-metrics.js';
import { isMap } from '../scenario/fields.js';
import { toPod } from '../scenario/v1-pod.js';
import { Where } from '../scenario/where.js';
import { DOCUMENT_API_VERSION } from '../schema/common.js';
import type { Assignment, Pool, SourceStatus } from '../schema/common.js';
import type {
  CfsWindow,
  ContainerExpected,
  ContainerReport,
  Finding,
  ThrottleCause,
  ThrottleReport,
  ThrottleRow,
} from '../schema/reports.js';
import {
  podSeries,
  sameCgroup,
  selectContainerSeries,
  selectPodCgroupSeries,
  type CadvisorPodKey,
} from './cadvisor-join.js';
import { compareFindings } from './findings.js';

/** `--threshold` default. */
export const DEFAULT_THROTTLE_THRESHOLD = 0.25;
/** The share of the pod shared pool the pod_shared containers' usage must reach to saturate it. */
export const POOL_SATURATION = 0.9;

/** One /metrics/cadvisor scrape, parsed by parseCadvisorCpu. */
export interface CadvisorScrape {
  /** RFC 3339 */
  readonly scrapedAt: string;
  readonly cpu: CadvisorCpu;
}

/** The expected side of one container: a ContainerReport (describe pod) has it. */
export interface ThrottleContainerReport {
  readonly name: ContainerReport['name'];
  /** as in the pod status ("containerd://…"), null when not started */
  readonly containerId: ContainerReport['containerId'];
  /** null without configz */
  readonly expected: Pick<
    ContainerExpected,
    'assignment' | 'cpus' | 'cfsQuota' | 'cfsQuotaMillicores'
  > | null;
}

/** The expected side of one pod: a PodReportBody has it. */
export interface ThrottlePodReport {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** null without configz */
  readonly expected: { readonly podSharedPool: Pool | null } | null;
  readonly containers: readonly ThrottleContainerReport[];
}

export interface ThrottlePodInput {
  readonly report: ThrottlePodReport;
  /** The v1 Pod (raw, possibly reduced as in a snapshot): CPU limits, container order and types, mirror UID. */
  readonly pod: unknown;
  /** Expected CPU count per container name where the report's `cpus` is null (count mode). */
  readonly cpuCounts?: Readonly<Record<string, number>>;
  /** Expected pod shared pool CPU count where the report's `podSharedPool.cpus` is null (count mode). */
  readonly podSharedPoolCpuCount?: number;
}

export interface ThrottleNodeInput {
  readonly name: string;
  /** per-node source statuses (cli.md §8.3 names: node, configz, cadvisor, …); missing = absent */
  readonly sources: Readonly<Record<string, SourceStatus>>;
  /** Valid scrapes, oldest first (interval mode uses the first and the last; cumulative the last). A
   * scrape with parse issues is not used (a malformed scrape is rejected whole, cli.md §4). */
  readonly cadvisor: readonly CadvisorScrape[];
  /** The selected pods bound to the node (filters already applied). */
  readonly pods: readonly ThrottlePodInput[];
}

export interface ThrottleOptions {
  /** interval: two scrapes per node, deltas; cumulative: one scrape, counters since cgroup start */
  readonly mode: 'interval' | 'cumulative';
  /** 0 < R ≤ 1 */
  readonly threshold: number;
  /** every container, not only rows with a ratio ≥ threshold or a cause other than none */
  readonly all: boolean;
  /** RFC 3339: the window end when no node has a usable scrape */
  readonly now: string;
}

/**
 * Builds the ThrottleReport of `kubectl podres throttle` from the nodes of the selected pods.
 * Rows are ordered by namespace, pod, then containers in spec order (init containers first);
 * nodes by name; findings by severity, code, node, namespace, pod, container.
 * Throws UsageError for a threshold outside (0, 1], InputError for an unreadable scrape time or
 * pod spec.
 */
export function buildThrottle(nodes: readonly ThrottleNodeInput[], options: ThrottleOptions): ThrottleReport {
  const { threshold } = options;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new UsageError(
      `invalid value "${threshold}" for --threshold: expected a number greater than 0 and at most 1`,
    );
  }
  const rows: { row: ThrottleRow; order: number }[] = [];
  const findings: Finding[] = [];
  const windows: NodeWindow[] = [];
  for (const node of nodes) {
    const window = nodeWindow(node, options.mode);
    windows.push(window);
    for (const input of node.pods) {
      const analysis = analysePod(node.name, input, window, options);
      for (const [i, a] of analysis.entries()) {
        findings.push(...a.findings);
        if (options.all || a.hot || a.row.cause !== 'none') rows.push({ row: a.row, order: i });
      }
    }
  }
  rows.sort(
    (a, b) =>
      compareText(a.row.namespace, b.row.namespace) || compareText(a.row.pod, b.row.pod) || a.order - b.order,
  );
  findings.sort(compareFindings);
  return {
    apiVersion: DOCUMENT_API_VERSION,
    kind: 'ThrottleReport',
    window: reportWindow(windows, options),
    threshold,
    nodes: [...nodes]
      .sort((a, b) => compareText(a.name, b.name))
      .map((n) => ({ name: n.name, status: throttleNodeStatus(n.sources), sources: n.sources })),
    rows: rows.map((r) => r.row),
    findings,
  };
}

/**
 * A node's status for `throttle` (cli.md §6.1): unreachable when the node object or cAdvisor is not
 * ok, partial when another source was tried and failed, else ok.
 */
export function throttleNodeStatus(
  sources: Readonly<Record<string, SourceStatus>>,
): 'ok' | 'partial' | 'unreachable' {
  const status = (name: string): string => sources[name]?.status ?? 'absent';
  if (status('node') !== 'ok' || status('cadvisor') !== 'ok') return 'unreachable';
  return Object.values(sources).some((s) => s.status !== 'ok' && s.status !== 'absent') ? 'partial' : 'ok';
}

// ---------------------------------------------------------------------------------------------
// Windows

interface NodeWindow {
  /** null: no usable data (no scrape, or one scrape in interval mode) */
  readonly first: CadvisorScrape | null;
  readonly last: CadvisorScrape | null;
  /** interval length in seconds (interval mode with data) */
  readonly seconds: number | null;
}

function scrapeTime(node: string, scrape: CadvisorScrape, index: number): number {
  const t = Date.parse(scrape.scrapedAt);
  if (Number.isNaN(t)) {
    throw new InputError(
      `node ${node} cadvisor[${index}].scrapedAt: expected an RFC 3339 time, got ${JSON.stringify(scrape.scrapedAt)}`,
    );
  }
  return t;
}

function nodeWindow(node: ThrottleNodeInput, mode: ThrottleOptions['mode']): NodeWindow {
  const usable = node.cadvisor.flatMap((s, index) =>
    s.cpu.issues.length === 0 ? [{ scrape: s, index, time: scrapeTime(node.name, s, index) }] : [],
  );
  const last = usable.at(-1);
  if (mode === 'cumulative') return { first: null, last: last?.scrape ?? null, seconds: null };
  const first = usable[0];
  if (first === undefined || last === undefined || usable.length < 2) {
    return { first: null, last: null, seconds: null };
  }
  if (last.time <= first.time) {
    throw new InputError(
      `node ${node.name} cadvisor[${last.index}].scrapedAt: ${JSON.stringify(last.scrape.scrapedAt)} is not after ` +
        `the first scrape ${JSON.stringify(first.scrape.scrapedAt)}`,
    );
  }
  return {
    first: first.scrape,
    last: last.scrape,
    seconds: (last.time - first.time) / 1000,
  };
}

/**
 * The report's window: interval mode → from the earliest first scrape to the latest last scrape,
 * `seconds` the mean of the nodes' own windows (each node's rates use its own); cumulative → the
 * latest scrape. Without any usable scrape the window ends at `now`.
 */
function reportWindow(windows: readonly NodeWindow[], options: ThrottleOptions): ThrottleReport['window'] {
  const withData = windows.filter((w) => w.last !== null);
  const latest = (list: readonly string[]): string | null =>
    list.reduce<string | null>((a, b) => (a === null || Date.parse(b) > Date.parse(a) ? b : a), null);
  const to = latest(withData.map((w) => w.last?.scrapedAt ?? '')) ?? options.now;
  if (options.mode === 'cumulative' || withData.length === 0) {
    return { mode: options.mode, seconds: null, from: null, to };
  }
  const from = withData
    .map((w) => w.first?.scrapedAt ?? '')
    .reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const seconds = withData.reduce((sum, w) => sum + (w.seconds ?? 0), 0) / withData.length;
  return { mode: 'interval', seconds: Math.round(seconds * 1000) / 1000, from, to };
}

/** Rounds away float noise from counter differences (µs precision is all cgroups give). */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function quotaMillicores(s: CadvisorCpuSeries): number | null {
  if (s.specQuota === null || s.specPeriod === null || s.specPeriod <= 0 || s.specQuota <= 0) return null;
  return Math.round((s.specQuota * 1000) / s.specPeriod);
}

function cfs(
  quota: number | null,
  periods: number,
  throttled: number,
  seconds: number,
  counterReset: boolean,
): CfsWindow {
  return {
    quotaMillicores: quota,
    periods,
    throttledPeriods: throttled,
    throttledRatio: periods > 0 ? Math.min(1, round6(throttled / periods)) : 0,
    throttledSeconds: round6(seconds),
    counterReset,
  };
}

/**
 * The CFS window of one cgroup: `last` is its series in the last scrape, `first` the same cgroup in
 * the first (interval mode). No quota series → null. A counter that went down, or a cgroup absent
 * from the first scrape (created during the window), → the last scrape alone, counterReset.
 */
function cfsWindow(
  first: CadvisorCpuSeries | null,
  last: CadvisorCpuSeries,
  interval: boolean,
): CfsWindow | null {
  if (last.cfsPeriods === null) return null;
  const quota = quotaMillicores(last);
  const p = last.cfsPeriods;
  const t = last.cfsThrottledPeriods ?? 0;
  const s = last.cfsThrottledSeconds ?? 0;
  if (!interval) return cfs(quota, p, t, s, false);
  if (first?.cfsPeriods !== null && first?.cfsPeriods !== undefined) {
    const dp = p - first.cfsPeriods;
    const dt = t - (first.cfsThrottledPeriods ?? 0);
    const ds = s - (first.cfsThrottledSeconds ?? 0);
    if (dp >= 0 && dt >= 0 && ds >= 0) return cfs(quota, dp, dt, ds, false);
  }
  return cfs(quota, p, t, s, true);
}

/**
 * CPU cores used over the window (interval mode); a reset or new cgroup → the last value alone.
 * With cAdvisor's sample timestamps on both sides the time between its two readings of the cgroup
 * is the divisor, not the time between our scrapes: cAdvisor refreshes every 10-15 s, so two scrapes
 * 10 s apart can hold readings 0 or 20 s apart. The same reading twice gives no rate (null).
 */
function usageRate(first: CadvisorCpuSeries | null, last: CadvisorCpuSeries, seconds: number): number | null {
  if (last.usageSeconds === null) return null;
  const before = first?.usageSeconds ?? null;
  const reset = before === null || before > last.usageSeconds;
  const used = reset ? last.usageSeconds : last.usageSeconds - before;
  const t0 = first?.usageTimestampMs ?? null;
  const t1 = last.usageTimestampMs;
  if (!reset && t0 !== null && t1 !== null) return t1 > t0 ? round6(used / ((t1 - t0) / 1000)) : null;
  return round6(used / seconds);
}

// ---------------------------------------------------------------------------------------------
// Per pod

interface ContainerObservation {
  /** the container has a series in the last scrape */
  readonly seen: boolean;
  readonly containerCfs: CfsWindow | null;
  readonly usageCores: number | null;
}

interface ContainerAnalysis {
  readonly row: ThrottleRow;
  /** own or pod-cgroup ratio ≥ threshold */
  readonly hot: boolean;
  readonly findings: readonly Finding[];
}

/** UIDs the node's cgroups may carry for the pod: the report's, metadata.uid and a mirror pod's kubelet UID. */
function podUids(report: ThrottlePodReport, raw: unknown): string[] {
  const uids = [report.uid];
  const meta = isMap(raw) && isMap(raw.metadata) ? raw.metadata : null;
  if (meta !== null && typeof meta.uid === 'string') uids.push(meta.uid);
  const mirror =
    meta !== null && isMap(meta.annotations) ? meta.annotations['kubernetes.io/config.mirror'] : null;
  if (typeof mirror === 'string') uids.push(mirror);
  return uids;
}

function cpuCount(cpus: string | null | undefined, fallback: number | undefined): number | null {
  if (cpus !== null && cpus !== undefined) return parseCpuList(cpus).size;
  return fallback ?? null;
}

function isExclusive(a: Assignment | null): boolean {
  return a === 'node_exclusive' || a === 'pod_exclusive';
}

function analysePod(
  node: string,
  input: ThrottlePodInput,
  window: NodeWindow,
  options: ThrottleOptions,
): ContainerAnalysis[] {
  const { report } = input;
  const spec = toPod(input.pod, Where.root(`pod ${report.namespace}/${report.name}`), {});
  const key: CadvisorPodKey = {
    namespace: report.namespace,
    name: report.name,
    uids: podUids(report, input.pod),
  };
  const interval = options.mode === 'interval';
  const lastSeries = window.last === null ? null : podSeries(window.last.cpu, key);
  const firstSeries = window.first === null ? [] : podSeries(window.first.cpu, key);

  let podCgroup: CfsWindow | null = null;
  if (lastSeries !== null) {
    const p = selectPodCgroupSeries(lastSeries);
    if (p !== null) podCgroup = cfsWindow(sameCgroup(firstSeries, p.id), p, interval);
  }

  const containers = [...spec.initContainers, ...spec.containers];
  const reports = new Map(report.containers.map((c) => [c.name, c]));
  const observed = containers.map((c): ContainerObservation => {
    if (lastSeries === null) return { seen: false, containerCfs: null, usageCores: null };
    const s = selectContainerSeries(lastSeries, c.name, reports.get(c.name)?.containerId ?? null);
    if (s === null) return { seen: false, containerCfs: null, usageCores: null };
    const f = sameCgroup(firstSeries, s.id);
    return {
      seen: true,
      containerCfs: cfsWindow(f, s, interval),
      usageCores: interval && window.seconds !== null ? usageRate(f, s, window.seconds) : null,
    };
  });

  const poolCpus = report.expected?.podSharedPool?.cpus ?? null;
  const pool: SharedPool = {
    cpus: poolCpus,
    count: cpuCount(poolCpus, input.podSharedPoolCpuCount),
    members: containers.flatMap((c, i) =>
      reports.get(c.name)?.expected?.assignment.cpu === 'pod_shared'
        ? [{ name: c.name, usage: observed[i]?.usageCores ?? null }]
        : [],
    ),
  };

  return containers.map((c, i) =>
    analyseContainer({
      node,
      report,
      spec,
      container: c,
      expected: reports.get(c.name)?.expected ?? null,
      cpuCount: cpuCount(reports.get(c.name)?.expected?.cpus, input.cpuCounts?.[c.name]),
      observed: observed[i] ?? { seen: false, containerCfs: null, usageCores: null },
      podCgroup,
      pool,
      hasData: window.last !== null,
      options,
    }),
  );
}

interface SharedPool {
  readonly cpus: string | null;
  readonly count: number | null;
  /** the pod's expected pod_shared containers and their usage */
  readonly members: readonly { readonly name: string; readonly usage: number | null }[];
}

interface ContainerContext {
  readonly node: string;
  readonly report: ThrottlePodReport;
  readonly spec: Pod;
  readonly container: Container;
  readonly expected: ThrottleContainerReport['expected'];
  readonly cpuCount: number | null;
  readonly observed: ContainerObservation;
  readonly podCgroup: CfsWindow | null;
  readonly pool: SharedPool;
  readonly hasData: boolean;
  readonly options: ThrottleOptions;
}

/** Σ usage of the pod_shared containers with a usage, when it fills the pool (interval mode only). */
function poolSaturation(pool: SharedPool): number | null {
  const known = pool.members.filter((m) => m.usage !== null);
  if (pool.count === null || pool.count <= 0 || known.length === 0) return null;
  const sum = round6(known.reduce((s, m) => s + (m.usage ?? 0), 0));
  return sum >= POOL_SATURATION * pool.count ? sum : null;
}

function analyseContainer(ctx: ContainerContext): ContainerAnalysis {
  const { expected, observed, podCgroup, options } = ctx;
  const threshold = options.threshold;
  const assignment = expected?.assignment.cpu ?? null;
  const exclusive = isExclusive(assignment);
  const own = observed.containerCfs;
  const ownHot = own !== null && own.throttledRatio >= threshold;
  const podHot = podCgroup !== null && podCgroup.throttledRatio >= threshold;
  const quotaExpected = expected?.cfsQuota === 'container' || expected?.cfsQuota === 'pod';
  const unexpectedQuota = own !== null && !quotaExpected;
  const throttledAtAll = own !== null && own.throttledPeriods > 0;
  const ownLimit = (ctx.container.resources.limits.cpu ?? 0) > 0;
  const saturation =
    options.mode === 'interval' && assignment === 'pod_shared' && !ownHot && !podHot
      ? poolSaturation(ctx.pool)
      : null;

  let cause: ThrottleCause;
  if (exclusive && (unexpectedQuota || throttledAtAll)) cause = 'exclusive-cpus-throttled';
  else if (ownHot && ownLimit) cause = 'own-limit';
  else if (ownHot) cause = 'pod-limit-as-container-quota';
  else if (podHot) cause = 'pod-quota-shared';
  else if (saturation !== null) cause = 'pod-shared-pool-saturated';
  else cause = 'none';

  const row: ThrottleRow = {
    node: ctx.node,
    namespace: ctx.report.namespace,
    pod: ctx.report.name,
    container: ctx.container.name,
    type: ctx.container.type,
    assignment,
    cpus: expected?.cpus ?? null,
    cpuCount: ctx.cpuCount,
    cfsQuota: expected?.cfsQuota ?? null,
    containerCfs: own,
    podCgroup,
    usageCores: observed.usageCores,
    cause,
    message: '',
  };
  const text = new Advice(ctx, row, saturation);
  const findings: Finding[] = [];
  if (cause === 'exclusive-cpus-throttled') findings.push(text.d12Container(unexpectedQuota));
  else if (exclusive && podHot) findings.push(text.d12PodCgroup());
  else if (!exclusive && (ownHot || podHot)) findings.push(text.t1());
  return { row: { ...row, message: text.message() }, hot: ownHot || podHot, findings };
}

// ---------------------------------------------------------------------------------------------
// Messages

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function cores(n: number): string {
  return n.toFixed(2);
}

/** Millicores as CPUs: 4000 → "4 CPUs", 1000 → "1 CPU", 1500 → "1500m". */
function cpusText(milli: number): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  return milli === 1000 ? '1 CPU' : `${milli / 1000} CPUs`;
}

function names(list: readonly string[]): string {
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1) ?? ''}`;
}

/** The findings and row message of one container. */
class Advice {
  private readonly name: string;

  constructor(
    private readonly ctx: ContainerContext,
    private readonly row: ThrottleRow,
    private readonly saturation: number | null,
  ) {
    this.name = ctx.container.name;
  }

  private finding(
    code: 'T1' | 'D12',
    expected: Finding['expected'],
    observed: Finding['observed'],
    message: string,
  ): Finding {
    const { ctx } = this;
    return {
      code,
      severity: code === 'T1' ? 'warning' : 'error',
      node: ctx.node,
      namespace: ctx.report.namespace,
      pod: ctx.report.name,
      podUid: ctx.report.uid,
      container: this.name,
      resource: 'cpu',
      evidence: ['cadvisor'],
      expected,
      observed,
      message,
    };
  }

  /** The pod-level CPU limit in millicores, if the pod has one. */
  private podLimit(): number | null {
    const lim = this.ctx.spec.podResources?.limits.cpu;
    return lim !== undefined && lim > 0 ? lim : null;
  }

  /** Where the container runs: "the 61-CPU node shared pool", "the pod shared pool 4,36 (2 CPUs)". */
  private place(): string {
    const { cpus, cpuCount, assignment } = this.row;
    const count = cpuCount === null ? '' : ` (${cpusText(cpuCount * 1000)})`;
    switch (assignment) {
      case 'node_shared':
        return cpuCount === null ? 'the node shared pool' : `the ${cpuCount}-CPU node shared pool`;
      case 'pod_shared':
        return cpus === null ? `the pod shared pool${count}` : `the pod shared pool ${cpus}${count}`;
      case 'node_exclusive':
      case 'pod_exclusive':
        if (cpus !== null) return `exclusive CPUs ${cpus}`;
        return cpuCount === null ? 'exclusive CPUs' : `${cpuCount} exclusive CPUs`;
      case null:
        return 'its cpuset';
    }
  }

  /** The container cgroup's quota: "its own CPU limit 500m", "the pod-level limit 4 CPUs", "a quota of 800m". */
  private quota(): string {
    const { expected } = this.ctx;
    const m = expected?.cfsQuotaMillicores ?? this.row.containerCfs?.quotaMillicores ?? null;
    const amount = m === null ? '' : ` ${cpusText(m)}`;
    if (expected?.cfsQuota === 'container') return `its own CPU limit${amount}`;
    if (expected?.cfsQuota === 'pod') return `the pod-level limit${amount}`;
    return m === null ? 'its CFS quota' : `a CFS quota of ${cpusText(m)}`;
  }

  private usage(): string {
    const u = this.row.usageCores;
    return u === null ? '' : `, usage ${cores(u)} cores`;
  }

  private podRef(): string {
    return `${this.ctx.report.namespace}/${this.ctx.report.name}`;
  }

  t1(): Finding {
    const own = this.row.containerCfs;
    const pod = this.row.podCgroup;
    const threshold = this.ctx.options.threshold;
    const usePod =
      pod !== null &&
      pod.throttledRatio >= threshold &&
      (own === null || pod.throttledRatio > own.throttledRatio);
    const ratio = (usePod ? pod.throttledRatio : own?.throttledRatio) ?? 0;
    const by = usePod
      ? `the pod cgroup quota${pod.quotaMillicores === null ? '' : ` ${cpusText(pod.quotaMillicores)}`}`
      : this.quota();
    return this.finding(
      'T1',
      threshold,
      ratio,
      `${this.name} in ${this.podRef()} was throttled in ${pct(ratio)} of CFS periods (threshold ${pct(threshold)}) by ${by}`,
    );
  }

  d12Container(unexpectedQuota: boolean): Finding {
    const own = this.row.containerCfs;
    const on = this.place();
    if (unexpectedQuota) {
      const expected = this.ctx.expected?.cfsQuota ?? 'none';
      const m = own?.quotaMillicores ?? null;
      return this.finding(
        'D12',
        expected,
        m ?? 'set',
        `${this.name} holds ${on} but its cgroup has a CFS quota${m === null ? '' : ` of ${cpusText(m)}`} (expected ${expected})`,
      );
    }
    const throttled = own?.throttledPeriods ?? 0;
    return this.finding(
      'D12',
      0,
      throttled,
      `${this.name} holds ${on} but was throttled in ${throttled} of ${own?.periods ?? 0} CFS periods (expected 0)`,
    );
  }

  d12PodCgroup(): Finding {
    const pod = this.row.podCgroup;
    const m = pod?.quotaMillicores ?? null;
    return this.finding(
      'D12',
      'none',
      m ?? 'set',
      `${this.name} holds ${this.place()} but the pod cgroup of ${this.podRef()} has a CFS quota${m === null ? '' : ` of ${cpusText(m)}`} (expected none), throttled in ${pct(pod?.throttledRatio ?? 0)} of periods`,
    );
  }

  message(): string {
    switch (this.row.cause) {
      case 'exclusive-cpus-throttled':
        return this.exclusiveThrottled();
      case 'own-limit':
        return this.ownLimit();
      case 'pod-limit-as-container-quota':
        return this.podLimitAsQuota();
      case 'pod-quota-shared':
        return this.podQuotaShared();
      case 'pod-shared-pool-saturated':
        return this.poolSaturated();
      case 'none':
        return this.fine();
    }
  }

  private exclusiveThrottled(): string {
    const own = this.row.containerCfs;
    const throttled =
      own !== null && own.throttledPeriods > 0 ? `, throttled in ${pct(own.throttledRatio)} of periods` : '';
    const expected = this.ctx.expected?.cfsQuota;
    if (expected === 'container' || expected === 'pod') {
      return (
        `${this.name} holds ${this.place()} (${this.row.assignment ?? ''}) but ${this.quota()} throttles it in ` +
        `${pct(own?.throttledRatio ?? 0)} of periods; ` +
        'turn on the DisableCPUQuotaWithExclusiveCPUs feature gate so containers with exclusive CPUs run without a CFS quota'
      );
    }
    const m = own?.quotaMillicores ?? null;
    return (
      `${this.name} holds ${this.place()} (${this.row.assignment ?? ''}) but its cgroup has a CFS quota` +
      `${m === null ? '' : ` of ${cpusText(m)}`}${throttled}; the kubelet removes the quota of containers with exclusive CPUs ` +
      '(DisableCPUQuotaWithExclusiveCPUs, cpuCFSQuota): check both in /configz and recreate the pod so its cgroups are rewritten'
    );
  }

  private ownLimit(): string {
    const own = this.row.containerCfs;
    const podLimit = this.podLimit();
    const fix =
      podLimit === null
        ? 'raise its CPU limit to what it needs, or remove it'
        : `raise its CPU limit to what it needs, or remove it so the pod-level limit ${cpusText(podLimit)} becomes its quota`;
    return (
      `${this.name} is throttled in ${pct(own?.throttledRatio ?? 0)} of periods by ${this.quota()} on ${this.place()}` +
      `${this.usage()}; ${fix}`
    );
  }

  private podLimitAsQuota(): string {
    const own = this.row.containerCfs;
    const m = this.podLimit() ?? this.ctx.expected?.cfsQuotaMillicores ?? own?.quotaMillicores ?? null;
    const limit = m === null ? 'the pod-level limit' : `the pod-level limit ${cpusText(m)}`;
    const count = this.row.cpuCount;
    const bursts =
      m !== null && count !== null && count * 1000 > m
        ? `on ${this.place()} it bursts past it`
        : `on ${this.place()} it uses up that quota`;
    return (
      `${this.name} has no CPU limit of its own, so ${limit} is its CFS quota; ${bursts} ` +
      `(throttled in ${pct(own?.throttledRatio ?? 0)} of periods${this.usage()}): give it its own CPU limit sized for its load, ` +
      `or raise the pod-level limit if it needs more than ${m === null ? 'that' : cpusText(m)}`
    );
  }

  private podQuotaShared(): string {
    const pod = this.row.podCgroup;
    const own = this.row.containerCfs;
    const q = pod?.quotaMillicores ?? null;
    let itself: string;
    if (own !== null) itself = `itself ${pct(own.throttledRatio)}`;
    else itself = this.ctx.observed.seen ? 'has no quota of its own' : 'has no cAdvisor series';
    const podLimit = this.podLimit();
    let fix: string;
    if (isExclusive(this.row.assignment)) {
      fix =
        `${this.name} holds exclusive CPUs, so the kubelet should have removed the pod quota (DisableCPUQuotaWithExclusiveCPUs): ` +
        'check the gate in /configz and recreate the pod';
    } else if (podLimit !== null) {
      fix = `raise the pod-level CPU limit ${cpusText(podLimit)}`;
    } else {
      fix =
        'raise the CPU limits of its containers (the pod quota is their sum), or remove the limit of one of them';
    }
    return (
      `${this.name} is held back by the pod cgroup quota${q === null ? '' : ` ${cpusText(q)}`} shared by all containers of ` +
      `${this.podRef()}: the pod cgroup was throttled in ${pct(pod?.throttledRatio ?? 0)} of periods (${this.name} ${itself}` +
      `${this.usage()}); ${fix}`
    );
  }

  /** "under a pod-level CFS quota of 8 CPUs", "under its own CPU limit 500m", "without a CFS quota". */
  private quotaPhrase(): string {
    const { expected } = this.ctx;
    const m = expected?.cfsQuotaMillicores ?? this.row.containerCfs?.quotaMillicores ?? null;
    if (expected?.cfsQuota === 'pod' && m !== null) return `under a pod-level CFS quota of ${cpusText(m)}`;
    if (
      this.row.containerCfs === null &&
      (expected === null || expected.cfsQuota === 'none' || expected.cfsQuota === 'unlimited')
    )
      return 'without a CFS quota';
    return `under ${this.quota()}`;
  }

  private poolSaturated(): string {
    const { pool } = this.ctx;
    const others = pool.members.filter((m) => m.name !== this.name && m.usage !== null).map((m) => m.name);
    const where = pool.cpus === null ? 'the pod shared pool' : `the pod shared pool ${pool.cpus}`;
    const count = pool.count ?? 0;
    const quota = this.quotaPhrase();
    const sum = cores(this.saturation ?? 0);
    const own = cores(this.row.usageCores ?? 0);
    const shares =
      others.length === 0
        ? `${this.name} alone uses ${sum} of the ${cpusText(count * 1000)} of ${where} ${quota}`
        : `${this.name} shares ${where} with ${names(others)} ${quota}; together they use ${sum} of its ${cpusText(count * 1000)} (${this.name} ${own})`;
    const podLimit = this.podLimit();
    return (
      `${shares}, so the pool, not CFS, limits them: raise the pod-level CPU request and limit` +
      `${podLimit === null ? '' : ` (now ${cpusText(podLimit)})`} to grow the pool, or give ${this.name} equal integer CPU ` +
      'and memory requests and limits to make it pod_exclusive'
    );
  }

  private fine(): string {
    const { observed, options } = this.ctx;
    const own = this.row.containerCfs;
    const pod = this.row.podCgroup;
    if (!this.ctx.hasData) return `no usable cAdvisor scrape of node ${this.ctx.node}`;
    if (!observed.seen) return `${this.name} has no cAdvisor series (not running)`;
    const podNote =
      pod === null ? '' : `; the pod cgroup was throttled in ${pct(pod.throttledRatio)} of periods`;
    if (own === null) {
      if (isExclusive(this.row.assignment)) {
        return `${this.name} runs on ${this.place()} without a CFS quota, as expected${this.usage()}${podNote}`;
      }
      return `${this.name} has no CFS quota and cannot be throttled on ${this.place()}${this.usage()}${podNote}`;
    }
    return (
      `${this.name} was throttled in ${pct(own.throttledRatio)} of periods by ${this.quota()}, below the ` +
      `${pct(options.threshold)} threshold${this.usage()}${podNote}`
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
