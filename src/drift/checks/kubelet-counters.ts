// The kubelet's resource-manager counters (model §8.2) as flat series, and the tallies the replay
// gives for a set of pods: what D9, D10 and D11 compare. Counters are cumulative since the kubelet
// started (process_start_time_seconds); a restarted kubelet starts from zero and pods deleted since
// then leave their increments behind, so only "at least" can be expected of them.

import { ZERO_COUNTERS, type Counters } from '../../model/metrics.js';
import { toSimulationOut } from '../../render/simulation.js';
import type { Metrics } from '../../schema/common.js';
import type { CoverageLimit, DriftContext, DriftPod, Replay } from '../context.js';

export type OkReplay = Extract<Replay, { ok: true }>;

/** The replay when it ran (the kubelet would start with this configuration). */
export function okReplay(ctx: DriftContext): OkReplay | null {
  return ctx.replay !== null && ctx.replay.ok ? ctx.replay : null;
}

/**
 * Count mode (cli.md §6.2 point 5) with `ctx.admissionsUncertain`: the synthetic replay decided an
 * admission that depends on the machine otherwise than the kubelet did, so its counters and gauges
 * stand for other admissions than the kubelet's and node-level comparisons with them are not made.
 */
export const ADMISSIONS_NOT_REPLAYABLE: CoverageLimit = {
  missing: ['topology'],
  reason: 'no topology: admissions not replayable',
};

/**
 * The limit of a check comparing /metrics with the replay's counters or gauges: none unless the
 * scrape is there and the replay's admissions cannot stand for the kubelet's.
 */
export function replayMetricsLimits(ctx: DriftContext): CoverageLimit[] {
  return ctx.admissionsUncertain && ctx.metrics.metrics !== null && okReplay(ctx) !== null
    ? [ADMISSIONS_NOT_REPLAYABLE]
    : [];
}

const RESOURCES = ['cpu', 'memory'] as const;

type Matrix = Metrics['resource_manager_allocations_total'];
type ScalarFamily = {
  [K in keyof Metrics]: Metrics[K] extends number ? K : never;
}[keyof Metrics];
type MatrixFamily = { [K in keyof Metrics]: Metrics[K] extends Matrix ? K : never }[keyof Metrics];

/** Counters (not gauges) with no labels. */
export const SCALAR_COUNTERS: readonly ScalarFamily[] = [
  'kubelet_cpu_manager_pinning_requests_total',
  'kubelet_cpu_manager_pinning_errors_total',
  'kubelet_memory_manager_pinning_requests_total',
  'kubelet_memory_manager_pinning_errors_total',
  'kubelet_topology_manager_admission_requests_total',
  'kubelet_topology_manager_admission_errors_total',
];

/** Counters with two labels: the label names, outer then inner. */
export const MATRIX_COUNTERS: Readonly<Record<MatrixFamily, readonly [string, string]>> = {
  resource_manager_allocations_total: ['resource_name', 'source'],
  resource_manager_allocation_errors_total: ['resource_name', 'source'],
  resource_manager_container_assignments: ['resource_name', 'assignment_type'],
  kubelet_container_aligned_compute_resources_count: ['scope', 'boundary'],
  kubelet_container_aligned_compute_resources_failure_count: ['scope', 'boundary'],
};

/** The families that count errors (D10). */
export const ERROR_COUNTERS: ReadonlySet<string> = new Set([
  'kubelet_cpu_manager_pinning_errors_total',
  'kubelet_memory_manager_pinning_errors_total',
  'kubelet_topology_manager_admission_errors_total',
  'resource_manager_allocation_errors_total',
  'kubelet_container_aligned_compute_resources_failure_count',
]);

/** The resource_manager_* families exist from kubelet 1.36 on. */
const SINCE_1_36 = new Set([
  'resource_manager_allocations_total',
  'resource_manager_allocation_errors_total',
  'resource_manager_container_assignments',
]);

export interface CounterSeries {
  readonly family: string;
  /** label name → value, in the family's label order; {} for scalars */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** `family{a="x",b="y"}` */
export function seriesName(s: Pick<CounterSeries, 'family' | 'labels'>): string {
  const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`);
  return labels.length === 0 ? s.family : `${s.family}{${labels.join(',')}}`;
}

/** The resource a series is about ("cpu", "memory"), null for series without resource_name. */
export function seriesResource(s: Pick<CounterSeries, 'labels'>): string | null {
  return s.labels.resource_name ?? null;
}

/** Every counter series of a complete metrics document (the replay's). */
export function counterSeries(m: Metrics): CounterSeries[] {
  const out: CounterSeries[] = SCALAR_COUNTERS.map((family) => ({ family, labels: {}, value: m[family] }));
  for (const [family, [outer, inner]] of Object.entries(MATRIX_COUNTERS) as [
    MatrixFamily,
    [string, string],
  ][]) {
    for (const [o, row] of Object.entries(m[family])) {
      for (const [i, value] of Object.entries(row))
        out.push({ family, labels: { [outer]: o, [inner]: i }, value });
    }
  }
  return out;
}

/**
 * The series the scrape can tell, by seriesName. A labelled counter family
 * missing from the scrape has had no increment yet (its series appear with the first one), so its
 * series read 0 — on kubelets that register it (resource_manager_* from v1.36 on). A missing
 * unlabelled counter is unknown (the kubelet always exports those).
 */
export function observedCounters(ctx: DriftContext): Map<string, CounterSeries> | null {
  const scrape = ctx.metrics.metrics;
  if (scrape === null) return null;
  const values = scrape.values;
  const registersResourceManager = ctx.version !== null && ctx.version.range !== 'older';
  const out = new Map<string, CounterSeries>();
  const add = (s: CounterSeries) => out.set(seriesName(s), s);
  for (const family of SCALAR_COUNTERS) {
    const value = values[family];
    if (value !== undefined) add({ family, labels: {}, value });
  }
  for (const [family, [outer, inner]] of Object.entries(MATRIX_COUNTERS) as [
    MatrixFamily,
    [string, string],
  ][]) {
    const matrix = values[family];
    if (matrix === undefined) {
      if (SINCE_1_36.has(family) && !registersResourceManager) continue;
      // every series the replay's document has reads 0
      for (const [o, row] of Object.entries(okReplay(ctx)?.out.metrics[family] ?? {}))
        for (const i of Object.keys(row)) add({ family, labels: { [outer]: o, [inner]: i }, value: 0 });
      continue;
    }
    for (const [o, row] of Object.entries(matrix))
      for (const [i, value] of Object.entries(row))
        add({ family, labels: { [outer]: o, [inner]: i }, value });
  }
  return out;
}

/** The replay's admission index of a pod, null when it was not replayed. */
export function admissionIndex(replay: OkReplay, pod: DriftPod): number | null {
  if (pod.admission === null) return null;
  const i = replay.result.admissions.indexOf(pod.admission);
  return i < 0 ? null : i;
}

function addRecords(
  into: Record<string, number>,
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): void {
  for (const [k, v] of Object.entries(after)) into[k] = (into[k] ?? 0) + v - (before[k] ?? 0);
}

/** Σ of the counter increments of the given admissions (indices into the replay). */
export function countersOfAdmissions(replay: OkReplay, indices: Iterable<number>): Counters {
  const { countersBefore, result } = replay;
  const sum = {
    ...ZERO_COUNTERS,
    allocations: {} as Record<string, number>,
    allocationErrors: {} as Record<string, number>,
    assignments: {} as Record<string, number>,
    aligned: {} as Record<string, number>,
    alignedFailures: {} as Record<string, number>,
  };
  for (const i of indices) {
    const before = countersBefore[i];
    if (before === undefined) continue;
    const after = countersBefore[i + 1] ?? result.node.counters;
    sum.cpuPinningRequests += after.cpuPinningRequests - before.cpuPinningRequests;
    sum.cpuPinningErrors += after.cpuPinningErrors - before.cpuPinningErrors;
    sum.memoryPinningRequests += after.memoryPinningRequests - before.memoryPinningRequests;
    sum.memoryPinningErrors += after.memoryPinningErrors - before.memoryPinningErrors;
    sum.tmAdmissionRequests += after.tmAdmissionRequests - before.tmAdmissionRequests;
    sum.tmAdmissionErrors += after.tmAdmissionErrors - before.tmAdmissionErrors;
    addRecords(sum.allocations, after.allocations, before.allocations);
    addRecords(sum.allocationErrors, after.allocationErrors, before.allocationErrors);
    addRecords(sum.assignments, after.assignments, before.assignments);
    addRecords(sum.aligned, after.aligned, before.aligned);
    addRecords(sum.alignedFailures, after.alignedFailures, before.alignedFailures);
  }
  return sum;
}

/**
 * The metrics document (simulate's `metrics` shape) of the given admissions: their counter
 * increments; gauges of the final state.
 */
export function metricsOfAdmissions(replay: OkReplay, indices: readonly number[]): Metrics {
  const { result } = replay;
  const set = new Set(indices);
  const partial = {
    input: { ...result.input, pods: result.input.pods.filter((_, i) => set.has(i)) },
    node: { ...result.node, counters: countersOfAdmissions(replay, indices) },
    admissions: result.admissions.filter((_, i) => set.has(i)),
  };
  return toSimulationOut(partial, { explain: false, warnings: [] }).metrics;
}

/** Whether the kubelet and the replay agree on admitting the pod (disagreements are D10's). */
export function admissionAgrees(pod: DriftPod): boolean {
  const observed =
    pod.status.activity === 'active' ? true : pod.status.activity === 'rejected' ? false : null;
  return pod.admission !== null && observed === pod.admission.admitted;
}

export interface SinceStart {
  /** the kubelet's start (process_start_time_seconds), RFC 3339 */
  readonly kubeletStart: string;
  /** pods the kubelet surely admitted (or rejected) since it started, as the replay did */
  readonly pods: readonly DriftPod[];
  /** their replay admission indices */
  readonly indices: readonly number[];
}

/**
 * The pods whose admission increments the kubelet's counters must hold: started (status.startTime,
 * which the kubelet sets when it first handles a pod, rejected ones included) at or after the
 * kubelet's start, and admitted or rejected alike by the kubelet and the replay. Null when the
 * kubelet's start time is unknown.
 */
export function admittedSinceStart(ctx: DriftContext, replay: OkReplay): SinceStart | null {
  const startText = ctx.metrics.kubeletStartTime;
  if (startText === null) return null;
  const start = Date.parse(startText);
  if (Number.isNaN(start)) return null;
  const pods: DriftPod[] = [];
  const indices: number[] = [];
  for (const p of ctx.pods) {
    const at = p.status.startTime === null ? Number.NaN : Date.parse(p.status.startTime);
    if (Number.isNaN(at) || at < start || !admissionAgrees(p)) continue;
    const i = admissionIndex(replay, p);
    if (i === null) continue;
    pods.push(p);
    indices.push(i);
  }
  return { kubeletStart: startText, pods, indices };
}

export interface SinceStartTally {
  readonly since: SinceStart;
  /** the counter increments of `since` (gauges of the final state): what the kubelet's must reach */
  readonly metrics: Metrics;
}

/**
 * The replay's tally of the pods admitted since the kubelet started (admittedSinceStart): what D9
 * and D11 compare the scrape with and what NodeReport `expected.metrics` shows. Null when the
 * kubelet's start is unknown.
 */
export function sinceStartTally(ctx: DriftContext, replay: OkReplay): SinceStartTally | null {
  // D9, D11 (run and coverage) and the node report's expected metrics all ask, for the same node:
  // build it once (metricsOfAdmissions renders a whole simulate document)
  const known = tallies.get(ctx);
  if (known?.replay === replay) return known.tally;
  const since = admittedSinceStart(ctx, replay);
  const tally = since === null ? null : { since, metrics: metricsOfAdmissions(replay, since.indices) };
  tallies.set(ctx, { replay, tally });
  return tally;
}

/** sinceStartTally's answers by context (a context and its replay do not change once built). */
const tallies = new WeakMap<
  DriftContext,
  { readonly replay: OkReplay; readonly tally: SinceStartTally | null }
>();

/** Σ of the observed pod-level allocation series; null when the scrape cannot tell. */
function observedPodAllocations(observed: ReadonlyMap<string, CounterSeries>): number | null {
  let sum = 0;
  for (const r of RESOURCES) {
    const name = seriesName({
      family: 'resource_manager_allocations_total',
      labels: { resource_name: r, source: 'pod' },
    });
    const v = observed.get(name)?.value;
    if (v === undefined) return null;
    sum += v;
  }
  return sum;
}

export interface Silence {
  readonly expected: number;
  readonly pods: number;
  readonly kubeletStart: string;
}

/**
 * PLRM is on and pods admitted since the kubelet started must have made pod-level allocations, but
 * the kubelet counted none (D9 reports it; D11 leaves the pod-level series alone then). Null when
 * that is not the case or cannot be told.
 */
export function podLevelSilence(ctx: DriftContext): Silence | null {
  if (ctx.config?.gates?.plrm !== true) return null;
  const replay = okReplay(ctx);
  const observed = observedCounters(ctx);
  if (replay === null || observed === null) return null;
  const tally = sinceStartTally(ctx, replay);
  if (tally === null || tally.since.indices.length === 0) return null;
  const expected = tally.metrics.resource_manager_allocations_total;
  const want = RESOURCES.reduce((s, r) => s + (expected[r]?.pod ?? 0), 0);
  const seen = observedPodAllocations(observed);
  if (want <= 0 || seen === null || seen > 0) return null;
  return { expected: want, pods: tally.since.pods.length, kubeletStart: tally.since.kubeletStart };
}
