// The observed side (cli.md §6.3) and the joining of observed data to pods and containers
// (cli.md §6.5): the node observation and the metrics scrapes are parsed once per node, indexed
// by kubelet pod UID / namespace-name / container ID, and every replayed pod gets its per-source
// evidence and the report's observed view (first available source per field).

import { isPodresError } from '../errors.js';
import { CPU_CHECKPOINT_V1_CONTAINER, type CpuCheckpoint } from '../model/checkpoint/cpu-checkpoint.js';
import type { MemoryCheckpoint } from '../model/checkpoint/memory-checkpoint.js';
import { CpuSet, formatCpuList, parseCpuList } from '../model/cpuset.js';
import type { KubeletVersion } from '../model/kubelet-config.js';
import type { MemoryBlock as ModelMemoryBlock } from '../model/memory/state.js';
import type { Container } from '../model/pod.js';
import type { ContainerMemoryEntry, PodResourcesEntry } from '../model/pod-resources.js';
import { isEquivalentGuaranteed } from '../model/qos.js';
import type { Topology } from '../model/topology.js';
import { parseCpuCheckpoint } from '../parse/cpu-checkpoint.js';
import type { CadvisorCpu, CadvisorCpuSeries, KubeletMetrics } from '../parse/kubelet-metrics.js';
import { parseCadvisorCpu, parseKubeletMetrics } from '../parse/kubelet-metrics.js';
import { parseMemoryCheckpoint } from '../parse/memory-checkpoint.js';
import { parseAllocatableResources, parsePodResourcesList } from '../parse/podresources.js';
import type {
  Assignment,
  Cfs,
  Evidence,
  MemoryBlock,
  Pool,
  Reported,
  SourceStatus,
} from '../schema/common.js';
import type { NodeObservation, ObservedCgroup } from '../schema/observation.js';
import type { ContainerObserved, PodObserved } from '../schema/reports.js';
import {
  bareContainerId,
  normalizeUid,
  podSeries,
  podUidInCgroupPath,
  sameCgroup,
  selectContainerSeries,
  selectPodCgroupSeries,
} from './cadvisor-join.js';
import type {
  ContainerEvidence,
  MetricsFacts,
  ObservationFacts,
  PodEvidence,
  PodStatusFacts,
} from './context.js';
import type { NodeFacts } from './node-facts.js';
import { ABSENT, failedStatus, okStatus, statusFromErrors, statusFromObservationError } from './sources.js';

type From = SourceStatus['from'];

function errorText(e: unknown): string {
  if (isPodresError(e)) return e.oneLine();
  return e instanceof Error ? e.message : String(e);
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

// ----- reading the node observation -------------------------------------------------------------

export interface ReadObservation {
  readonly facts: ObservationFacts;
  readonly podresources: SourceStatus;
  readonly checkpoint: SourceStatus;
  readonly cgroup: SourceStatus;
  /** one line each, for stderr */
  readonly warnings: readonly string[];
}

const NO_OBSERVATION: ObservationFacts = {
  cpuCheckpoint: null,
  memoryCheckpoint: null,
  cpuCheckpointError: null,
  memoryCheckpointError: null,
  podResources: null,
  allocatable: null,
  cgroups: null,
  collectedAt: null,
};

/** Parses the checkpoints, PodResources answers and cgroups of a node observation. */
export function readObservation(obs: NodeObservation | null, from: From): ReadObservation {
  if (obs === null) {
    return { facts: NO_OBSERVATION, podresources: ABSENT, checkpoint: ABSENT, cgroup: ABSENT, warnings: [] };
  }
  const warnings: string[] = [];
  const fileError = (path: string, e: unknown) => `cannot parse ${basename(path)}: ${errorText(e)}`;

  let cpuCheckpoint: ObservationFacts['cpuCheckpoint'] = null;
  let cpuCheckpointError: string | null = null;
  let cpuStatus: SourceStatus | null = null;
  const cpuFile = obs.checkpoints.cpuManager;
  if (cpuFile !== null) {
    try {
      const parsed = parseCpuCheckpoint(cpuFile.content, cpuFile.path);
      cpuCheckpoint = { checkpoint: parsed.checkpoint, checksum: parsed.checksum, warnings: parsed.warnings };
    } catch (e) {
      cpuCheckpointError = fileError(cpuFile.path, e);
      cpuStatus = failedStatus('invalid', from, cpuCheckpointError);
    }
  } else {
    cpuStatus = checkpointFileError(obs, 'cpu_manager_state', from);
    cpuCheckpointError = cpuStatus.message ?? 'cpu_manager_state was not read';
  }

  let memoryCheckpoint: ObservationFacts['memoryCheckpoint'] = null;
  let memoryCheckpointError: string | null = null;
  let memoryStatus: SourceStatus | null = null;
  const memFile = obs.checkpoints.memoryManager;
  if (memFile !== null) {
    try {
      const parsed = parseMemoryCheckpoint(memFile.content, memFile.path);
      memoryCheckpoint = {
        checkpoint: parsed.checkpoint,
        checksum: parsed.checksum,
        warnings: parsed.warnings,
      };
    } catch (e) {
      memoryCheckpointError = fileError(memFile.path, e);
      memoryStatus = failedStatus('invalid', from, memoryCheckpointError);
    }
  } else {
    memoryStatus = checkpointFileError(obs, 'memory_manager_state', from);
    memoryCheckpointError = memoryStatus.message ?? 'memory_manager_state was not read';
  }
  for (const s of [cpuStatus, memoryStatus]) {
    if (s !== null && s.status === 'invalid' && s.message !== null) warnings.push(s.message);
  }
  const checkpoint = cpuStatus ?? memoryStatus ?? okStatus(from);

  let podResources: ObservationFacts['podResources'] = null;
  let allocatable: ObservationFacts['allocatable'] = null;
  let podresources: SourceStatus;
  const pr = obs.podResources;
  try {
    if (pr.list !== null) podResources = parsePodResourcesList(JSON.stringify(pr.list), `${pr.socket} List`);
    if (pr.allocatable !== null) {
      allocatable = parseAllocatableResources(
        JSON.stringify(pr.allocatable),
        `${pr.socket} GetAllocatableResources`,
      );
    }
    podresources =
      podResources !== null
        ? okStatus(from)
        : (statusFromObservationError(obs.errors, 'podresources', from) ?? ABSENT);
  } catch (e) {
    podResources = null;
    allocatable = null;
    const message = `cannot parse podresources: ${errorText(e)}`;
    warnings.push(message);
    podresources = failedStatus('invalid', from, message);
  }

  const cgroupError = statusFromObservationError(obs.errors, 'cgroup', from);
  let cgroups: Map<string, Map<string, ObservedCgroup>> | null = null;
  if (obs.cgroups.length > 0 || cgroupError === null) {
    cgroups = new Map();
    for (const cg of obs.cgroups) {
      const uid = normalizeUid(cg.podUid);
      let byId = cgroups.get(uid);
      if (byId === undefined) cgroups.set(uid, (byId = new Map<string, ObservedCgroup>()));
      byId.set(cg.containerId.toLowerCase(), cg);
    }
  }
  const cgroup = cgroups !== null ? okStatus(from) : (cgroupError ?? ABSENT);

  return {
    facts: {
      cpuCheckpoint,
      memoryCheckpoint,
      cpuCheckpointError: cpuCheckpoint === null ? cpuCheckpointError : null,
      memoryCheckpointError: memoryCheckpoint === null ? memoryCheckpointError : null,
      podResources,
      allocatable,
      cgroups,
      collectedAt: obs.collectedAt,
    },
    podresources,
    checkpoint,
    cgroup,
    warnings,
  };
}

function checkpointFileError(obs: NodeObservation, file: string, from: From): SourceStatus {
  const e = obs.errors.find(
    (x) =>
      x.source === 'checkpoint' && (x.path === null || basename(x.path) === file || x.message.includes(file)),
  );
  if (e === undefined) return failedStatus('not-found', from, `${file} was not collected`);
  const notFound = /no such file|not found|does not exist/i.test(e.message);
  return failedStatus(notFound ? 'not-found' : 'unavailable', from, e.message);
}

// ----- reading the scrapes ----------------------------------------------------------------------

export interface ReadMetrics {
  readonly facts: MetricsFacts;
  readonly metrics: SourceStatus;
  readonly cadvisor: SourceStatus;
  readonly warnings: readonly string[];
}

function toRfc3339Seconds(unixSeconds: number): string | null {
  if (!Number.isFinite(unixSeconds) || unixSeconds <= 0) return null;
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** /metrics and /metrics/cadvisor: a scrape with any malformed line is `invalid` as a whole (cli.md §4). */
export function readMetrics(facts: NodeFacts): ReadMetrics {
  const from: From = facts.from;
  const warnings: string[] = [];
  let metrics: KubeletMetrics | null = null;
  let metricsStatus = statusFromErrors(facts.errors, 'metrics', from);
  if (facts.metrics !== null) {
    try {
      const parsed = parseKubeletMetrics(facts.metrics.text, '/metrics');
      const issue = parsed.issues[0];
      if (issue === undefined) {
        metrics = parsed;
        metricsStatus = okStatus(from);
      } else {
        const message = `cannot parse /metrics line ${issue.line}: ${issue.message}`;
        warnings.push(message);
        metricsStatus = failedStatus('invalid', from, message);
      }
    } catch (e) {
      const message = `cannot parse /metrics: ${errorText(e)}`;
      warnings.push(message);
      metricsStatus = failedStatus('invalid', from, message);
    }
  }

  let cadvisor: CadvisorCpu[] = [];
  let cadvisorStatus = statusFromErrors(facts.errors, 'cadvisor', from);
  if (facts.cadvisor.length > 0) {
    try {
      const parsed = facts.cadvisor.map((s) => parseCadvisorCpu(s.text, '/metrics/cadvisor'));
      const bad = parsed.find((p) => p.issues.length > 0);
      const issue = bad?.issues[0];
      if (issue === undefined) {
        cadvisor = parsed;
        cadvisorStatus = okStatus(from);
      } else {
        const message = `cannot parse /metrics/cadvisor line ${issue.line}: ${issue.message}`;
        warnings.push(message);
        cadvisorStatus = failedStatus('invalid', from, message);
      }
    } catch (e) {
      const message = `cannot parse /metrics/cadvisor: ${errorText(e)}`;
      warnings.push(message);
      cadvisorStatus = failedStatus('invalid', from, message);
    }
  }
  const start = metrics?.processStartTimeSeconds ?? null;
  return {
    facts: {
      metrics,
      cadvisor,
      cadvisorScrapedAt: cadvisor.length === 0 ? [] : facts.cadvisor.map((s) => s.scrapedAt),
      kubeletStartTime: start === null ? null : toRfc3339Seconds(start),
    },
    metrics: metricsStatus,
    cadvisor: cadvisorStatus,
    warnings,
  };
}

// ----- indexes ----------------------------------------------------------------------------------

interface CadvisorIndex {
  readonly byName: ReadonlyMap<string, CadvisorCpuSeries[]>;
  readonly byUid: ReadonlyMap<string, CadvisorCpuSeries[]>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list === undefined) m.set(k, [v]);
  else list.push(v);
}

function indexCadvisor(cpu: CadvisorCpu): CadvisorIndex {
  const byName = new Map<string, CadvisorCpuSeries[]>();
  const byUid = new Map<string, CadvisorCpuSeries[]>();
  for (const s of cpu.series) {
    if (s.pod !== '') push(byName, `${s.namespace}/${s.pod}`, s);
    const uid = podUidInCgroupPath(s.id);
    if (uid !== null) push(byUid, uid, s);
  }
  return { byName, byUid };
}

/** Everything observed on the node, indexed for joining in O(1) per pod and container. */
export interface ObservationIndex {
  readonly version: KubeletVersion;
  readonly topology: Topology | null;
  readonly cpu: CpuCheckpoint | null;
  readonly memory: MemoryCheckpoint | null;
  /** kubelet pod UID (normalized) → container → cpus (v1 checkpoints remapped by container ID) */
  readonly cpuEntries: ReadonlyMap<string, ReadonlyMap<string, CpuSet>> | null;
  readonly memoryEntries: ReadonlyMap<string, ReadonlyMap<string, readonly ModelMemoryBlock[]>> | null;
  readonly cpuPools: ReadonlyMap<string, CpuSet> | null;
  readonly memoryPools: ReadonlyMap<string, readonly ModelMemoryBlock[]> | null;
  /** "namespace/name" → PodResources entry */
  readonly podResources: ReadonlyMap<string, PodResourcesEntry> | null;
  readonly cgroups: ReadonlyMap<string, ReadonlyMap<string, ObservedCgroup>> | null;
  /** newest scrape first */
  readonly cadvisor: readonly CadvisorIndex[];
  /** NUMA nodes per (memoized) cpuset object */
  readonly numaCache: Map<CpuSet, number[] | null>;
  /** parsed cgroup cpuset texts */
  readonly cpuSetCache: Map<string, CpuSet | null>;
}

function byNormalizedUid<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  const out = new Map<string, V>();
  for (const [k, v] of m) out.set(normalizeUid(k), v);
  return out;
}

/**
 * `containerOwners`: bare container ID → kubelet UID and container name, from every pod's status
 * (only needed for v1 CPU checkpoints, which key entries by container ID).
 */
export function indexObservation(
  obs: ObservationFacts,
  metrics: MetricsFacts,
  version: KubeletVersion,
  topology: Topology | null,
  containerOwners: ReadonlyMap<string, { readonly uid: string; readonly name: string }>,
): ObservationIndex {
  const cpu = obs.cpuCheckpoint?.checkpoint ?? null;
  const memory = obs.memoryCheckpoint?.checkpoint ?? null;
  let cpuEntries: Map<string, Map<string, CpuSet>> | null = null;
  if (cpu !== null) {
    cpuEntries = new Map();
    for (const [key, containers] of cpu.entries) {
      if (cpu.version === 'v1') {
        const set = containers.get(CPU_CHECKPOINT_V1_CONTAINER);
        const owner = containerOwners.get(key.toLowerCase());
        if (set === undefined || owner === undefined) continue;
        const uid = normalizeUid(owner.uid);
        let m = cpuEntries.get(uid);
        if (m === undefined) cpuEntries.set(uid, (m = new Map<string, CpuSet>()));
        m.set(owner.name, set);
      } else {
        cpuEntries.set(normalizeUid(key), new Map(containers));
      }
    }
  }
  const podResources =
    obs.podResources === null
      ? null
      : new Map(obs.podResources.pods.map((p) => [`${p.namespace}/${p.name}`, p] as const));
  return {
    version,
    topology,
    cpu,
    memory,
    cpuEntries,
    memoryEntries: memory === null ? null : byNormalizedUid(memory.entries),
    cpuPools: cpu === null ? null : byNormalizedUid(cpu.podEntries),
    memoryPools: memory === null ? null : byNormalizedUid(memory.podEntries),
    podResources,
    cgroups: obs.cgroups,
    cadvisor: [...metrics.cadvisor].reverse().map(indexCadvisor),
    numaCache: new Map(),
    cpuSetCache: new Map(),
  };
}

// ----- per-pod joining --------------------------------------------------------------------------

/** A container as the joiner needs it. */
export interface JoinContainer {
  readonly name: string;
  readonly type: 'app' | 'init' | 'sidecar';
  readonly spec: Container | null;
  readonly containerId: string | null;
}

export interface JoinedContainer {
  readonly evidence: ContainerEvidence;
  readonly observed: ContainerObserved;
}

export interface JoinedPod {
  readonly evidence: PodEvidence;
  readonly observed: PodObserved;
  readonly containers: readonly JoinedContainer[];
}

function cadvisorPodSeries(index: CadvisorIndex, status: PodStatusFacts): CadvisorCpuSeries[] {
  const uids = [...new Set([status.uid, status.kubeletUid].filter((u) => u !== '').map(normalizeUid))];
  const candidates = new Set<CadvisorCpuSeries>(index.byName.get(`${status.namespace}/${status.name}`) ?? []);
  for (const uid of uids) for (const s of index.byUid.get(uid) ?? []) candidates.add(s);
  if (candidates.size === 0) return [];
  return podSeries(
    { series: [...candidates], issues: [] },
    { namespace: status.namespace, name: status.name, uids },
  );
}

/** The CPUs of a PodResources id list. */
function cpusOfIds(ids: readonly number[]): CpuSet {
  return CpuSet.from(ids);
}

function blockOut(b: ModelMemoryBlock): MemoryBlock {
  return { type: b.type, numa: [...b.numaAffinity], size: Number(b.size) };
}

function prBlockOut(m: ContainerMemoryEntry): MemoryBlock {
  return { type: m.type, numa: [...m.numa], size: Number(m.size) };
}

/** Σ size per type. */
function sizesByType(
  blocks: readonly { readonly type: string; readonly size: bigint }[],
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const b of blocks) out.set(b.type, (out.get(b.type) ?? 0n) + b.size);
  return out;
}

/** The container's exclusive memory requests (memory and hugepages, bytes > 0). */
function memoryRequests(c: Container): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const mem = c.resources.requests.memory;
  if (mem !== undefined && mem > 0n) out.set('memory', mem);
  for (const [k, v] of Object.entries(c.resources.requests.hugepages)) if (v > 0n) out.set(k, v);
  return out;
}

function sameSizes(a: ReadonlyMap<string, bigint>, b: ReadonlyMap<string, bigint>): boolean {
  const nonZero = (m: ReadonlyMap<string, bigint>) => [...m].filter(([, v]) => v > 0n);
  const x = nonZero(a);
  const y = nonZero(b);
  return x.length === y.length && x.every(([k, v]) => b.get(k) === v);
}

/** cli.md §6.3: the container is equivalent Guaranteed with an integer CPU request. */
export function eligibleForSlice(c: Container): boolean {
  const cpu = c.resources.requests.cpu;
  return isEquivalentGuaranteed(c) && cpu !== undefined && cpu % 1000 === 0;
}

function numaOf(
  topology: Topology | null,
  cpus: CpuSet,
  cache: Map<CpuSet, number[] | null>,
): number[] | null {
  if (topology === null) return null;
  const cached = cache.get(cpus);
  if (cached !== undefined) return cached;
  let out: number[] | null = [];
  const nodes = new Set<number>();
  for (const c of cpus) {
    if (!topology.all.has(c)) {
      out = null;
      break;
    }
    nodes.add(topology.info(c).numa);
  }
  if (out !== null) out = [...nodes].sort((a, b) => a - b);
  cache.set(cpus, out);
  return out === null ? null : [...out];
}

/** `cpu.max` ("max 100000", "800000 100000") → null (no quota) or millicores; undefined if unreadable. */
export function cpuMaxMillicores(text: string): number | null | undefined {
  const parts = text.trim().split(/\s+/);
  const [quota, period] = parts;
  if (quota === undefined) return undefined;
  if (quota === 'max' || quota === '-1') return null;
  const q = Number(quota);
  const p = period === undefined ? 100000 : Number(period);
  if (!Number.isFinite(q) || !Number.isFinite(p) || p <= 0 || q <= 0) return undefined;
  return Math.round((q * 1000) / p);
}

function seriesQuotaMillicores(s: CadvisorCpuSeries): number | null {
  if (s.specQuota === null || s.specQuota <= 0) return null;
  const period = s.specPeriod ?? 100000;
  return period > 0 ? Math.round((s.specQuota * 1000) / period) : null;
}

function cfsOfSeries(s: CadvisorCpuSeries): Cfs | null {
  if (s.cfsPeriods === null) return null;
  const periods = s.cfsPeriods;
  const throttledPeriods = s.cfsThrottledPeriods ?? 0;
  return {
    quotaMillicores: seriesQuotaMillicores(s),
    periods,
    throttledPeriods,
    throttledRatio: periods > 0 ? throttledPeriods / periods : 0,
    throttledSeconds: s.cfsThrottledSeconds ?? 0,
  };
}

function cfsOfCgroup(cg: ObservedCgroup): Cfs | null {
  if (cg.cpuStat === null) return null;
  const { nrPeriods, nrThrottled, throttledUsec } = cg.cpuStat;
  const quota = cg.cpuMax === null ? undefined : cpuMaxMillicores(cg.cpuMax);
  return {
    quotaMillicores: quota ?? null,
    periods: nrPeriods,
    throttledPeriods: nrThrottled,
    throttledRatio: nrPeriods > 0 ? nrThrottled / nrPeriods : 0,
    throttledSeconds: throttledUsec / 1e6,
  };
}

/** A cpuset text (cgroup cpuset.cpus / cpuset.mems), null when unreadable; memoized per node (few distinct texts). */
function cpuSetOfText(text: string | null, cache: Map<string, CpuSet | null>): CpuSet | null {
  if (text === null) return null;
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  let set: CpuSet | null;
  try {
    set = parseCpuList(text.trim());
  } catch {
    set = null;
  }
  cache.set(text, set);
  return set;
}

export interface PodJoinInput {
  readonly status: PodStatusFacts;
  readonly containers: readonly JoinContainer[];
  /** pod-level pod (spec.resources set) */
  readonly podLevel: boolean;
}

/** Joins everything observed for one pod (cli.md §6.5) and derives its observed views (§6.3). */
export function joinPod(index: ObservationIndex, input: PodJoinInput): JoinedPod {
  const { status } = input;
  const uid = normalizeUid(status.kubeletUid);
  const cpuEntries = index.cpuEntries === null ? null : index.cpuEntries.get(uid);
  const memEntries = index.memoryEntries === null ? null : index.memoryEntries.get(uid);
  const cpuPool = index.cpuPools === null ? null : index.cpuPools.get(uid);
  const memPool = index.memoryPools === null ? null : index.memoryPools.get(uid);
  const prPod =
    index.podResources === null ? null : index.podResources.get(`${status.namespace}/${status.name}`);
  const cgroups = index.cgroups === null ? null : index.cgroups.get(uid);
  const newest = index.cadvisor[0];
  const older = index.cadvisor[1];
  const newestSeries = newest === undefined ? null : cadvisorPodSeries(newest, status);
  const olderSeries = older === undefined ? null : cadvisorPodSeries(older, status);

  const defaultCpuSet = index.cpu?.defaultCpuSet ?? null;

  const containerEvidence = input.containers.map((c): ContainerEvidence => {
    const bare = bareContainerId(c.containerId);
    const series =
      newestSeries === null
        ? null
        : (selectContainerSeries(newestSeries, c.name, c.containerId) ?? undefined);
    let olderPick: CadvisorCpuSeries | null = null;
    if (olderSeries !== null) {
      olderPick =
        series === null || series === undefined
          ? selectContainerSeries(olderSeries, c.name, c.containerId)
          : (sameCgroup(olderSeries, series.id) ?? selectContainerSeries(olderSeries, c.name, c.containerId));
    }
    const prContainer =
      index.podResources === null
        ? null
        : prPod === undefined || prPod === null
          ? undefined
          : prPod.containers.find((x) => x.name === c.name);
    const cgroup = cgroups === null ? null : bare === null ? undefined : cgroups?.get(bare);
    const hasCgroup = cgroup !== null && cgroup !== undefined;
    return {
      checkpointCpus: cpuEntries === null ? null : cpuEntries?.get(c.name),
      checkpointMemory: memEntries === null ? null : memEntries?.get(c.name),
      podResources: prContainer,
      cgroup,
      cgroupCpus: hasCgroup ? cpuSetOfText(cgroup.cpusetCpus, index.cpuSetCache) : null,
      cgroupMems: hasCgroup ? cpuSetOfText(cgroup.cpusetMems, index.cpuSetCache) : null,
      cadvisor: series,
      cadvisorOlder: olderPick,
    };
  });

  const podSeriesNewest = newestSeries === null ? null : (selectPodCgroupSeries(newestSeries) ?? undefined);
  const podSeriesOlder =
    olderSeries === null
      ? null
      : podSeriesNewest === null || podSeriesNewest === undefined
        ? selectPodCgroupSeries(olderSeries)
        : sameCgroup(olderSeries, podSeriesNewest.id);
  const evidence: PodEvidence = {
    checkpointPool: cpuPool,
    checkpointPoolMemory: memPool,
    checkpointEntries: cpuEntries,
    checkpointMemoryEntries: memEntries,
    podResources: prPod,
    cgroup: cgroups === null ? null : cgroups?.get(''),
    cadvisor: podSeriesNewest,
    cadvisorOlder: podSeriesOlder,
  };

  // ----- container views -----
  const longRunning = (c: JoinContainer) => c.type !== 'init';
  const containers = input.containers.map((c, i): JoinedContainer => {
    const ev = containerEvidence[i] as ContainerEvidence;
    const source: Record<string, Evidence> = {};

    // assignment.cpu
    let cpuAssignment: Assignment | null = null;
    if (ev.checkpointCpus !== null) {
      source.assignment = 'checkpoint';
      const entry = ev.checkpointCpus;
      if (entry === undefined) cpuAssignment = 'node_shared';
      else if (cpuPool === undefined || cpuPool === null) cpuAssignment = 'node_exclusive';
      else if (c.spec === null) cpuAssignment = null;
      else {
        const disjoint = input.containers.every((o, j) => {
          if (j === i || !longRunning(o)) return true;
          const other = cpuEntries?.get(o.name);
          return other === undefined || !other.intersects(entry);
        });
        cpuAssignment = eligibleForSlice(c.spec) && disjoint ? 'pod_exclusive' : 'pod_shared';
      }
      if (cpuAssignment === null) delete source.assignment;
    } else if (
      ev.podResources !== null &&
      ev.podResources !== undefined &&
      prPod !== null &&
      prPod !== undefined
    ) {
      const ids = ev.podResources.cpuIds;
      if (index.version === '1.37') {
        if (prPod.cpuIds.length > 0) cpuAssignment = ids.length > 0 ? 'pod_exclusive' : 'pod_shared';
        else cpuAssignment = ids.length > 0 ? 'node_exclusive' : 'node_shared';
      } else if (ids.length === 0) cpuAssignment = 'node_shared';
      if (cpuAssignment !== null) source.assignment = 'podresources';
    }

    // assignment.memory
    let memoryAssignment: Assignment | null = null;
    let memorySource: Evidence | null = null;
    if (ev.checkpointMemory !== null) {
      memorySource = 'checkpoint';
      const blocks = ev.checkpointMemory;
      if (blocks === undefined || blocks.length === 0) memoryAssignment = 'node_shared';
      else if (memPool === undefined || memPool === null) memoryAssignment = 'node_exclusive';
      else if (c.spec === null) memoryAssignment = null;
      else {
        memoryAssignment =
          isEquivalentGuaranteed(c.spec) && sameSizes(sizesByType(blocks), memoryRequests(c.spec))
            ? 'pod_exclusive'
            : 'pod_shared';
      }
    } else if (
      ev.podResources !== null &&
      ev.podResources !== undefined &&
      prPod !== null &&
      prPod !== undefined
    ) {
      const mem = ev.podResources.memory;
      if (index.version === '1.37') {
        if (prPod.memory.length > 0) memoryAssignment = mem.length > 0 ? 'pod_exclusive' : 'pod_shared';
        else memoryAssignment = mem.length > 0 ? 'node_exclusive' : 'node_shared';
      } else if (mem.length === 0) memoryAssignment = 'node_shared';
      memorySource = 'podresources';
    }
    if (memoryAssignment === null) memorySource = null;
    if (memorySource !== null && memorySource !== source.assignment)
      source['assignment.memory'] = memorySource;

    // cpus
    let cpus: CpuSet | null = null;
    const cgCpus = ev.cgroupCpus;
    if (cgCpus !== null) {
      cpus = cgCpus;
      source.cpus = 'cgroup';
    } else if (ev.checkpointCpus !== null) {
      const fromCheckpoint = ev.checkpointCpus ?? defaultCpuSet;
      if (fromCheckpoint !== null) {
        cpus = fromCheckpoint;
        source.cpus = 'checkpoint';
      }
    } else if (
      ev.podResources !== null &&
      ev.podResources !== undefined &&
      ev.podResources.cpuIds.length > 0
    ) {
      cpus = cpusOfIds(ev.podResources.cpuIds);
      source.cpus = 'podresources';
    }

    // memory
    let memory: MemoryBlock[] | null = null;
    if (ev.checkpointMemory !== null) {
      memory = (ev.checkpointMemory ?? []).map(blockOut);
      source.memory = 'checkpoint';
    } else if (ev.podResources !== null && ev.podResources !== undefined) {
      memory = ev.podResources.memory.map(prBlockOut);
      source.memory = 'podresources';
    }

    // cfsQuota
    let cfsQuota: 'none' | 'set' | null = null;
    let cfsQuotaMillicores: number | null = null;
    const cgMax =
      ev.cgroup === null || ev.cgroup === undefined || ev.cgroup.cpuMax === null
        ? undefined
        : cpuMaxMillicores(ev.cgroup.cpuMax);
    if (cgMax !== undefined) {
      cfsQuota = cgMax === null ? 'none' : 'set';
      cfsQuotaMillicores = cgMax;
      source.cfsQuota = 'cgroup';
    } else if (ev.cadvisor !== null && ev.cadvisor !== undefined) {
      const q = seriesQuotaMillicores(ev.cadvisor);
      cfsQuota = q === null ? 'none' : 'set';
      cfsQuotaMillicores = q;
      source.cfsQuota = 'cadvisor';
    }

    // cfs
    let cfs: Cfs | null = null;
    if (ev.cadvisor !== null && ev.cadvisor !== undefined) {
      cfs = cfsOfSeries(ev.cadvisor);
      if (cfs !== null) source.cfs = 'cadvisor';
    }
    if (cfs === null && ev.cgroup !== null && ev.cgroup !== undefined) {
      cfs = cfsOfCgroup(ev.cgroup);
      if (cfs !== null) source.cfs = 'cgroup';
    }

    return {
      evidence: ev,
      observed: {
        assignment: { cpu: cpuAssignment, memory: memoryAssignment },
        cpus: cpus === null ? null : formatCpuList(cpus),
        numaNodes: cpus === null ? null : numaOf(index.topology, cpus, index.numaCache),
        memory,
        cfsQuota,
        cfsQuotaMillicores,
        cfs,
        source,
      },
    };
  });

  // ----- pod view -----
  const podSource: Record<string, Evidence> = {};
  const prPool = prPod !== null && prPod !== undefined && index.version === '1.37' ? prPod : null;
  // CPU pool: the CPU checkpoint, else PodResources 1.37; slices are the pod_exclusive containers'.
  let poolCpus: CpuSet | undefined | null = null;
  let sliceCpus = CpuSet.empty;
  let cpuSource: Evidence | null = null;
  if (index.cpu !== null) {
    poolCpus = cpuPool ?? undefined;
    cpuSource = 'checkpoint';
    containers.forEach((jc, i) => {
      const e = jc.evidence.checkpointCpus;
      const c = input.containers[i] as JoinContainer;
      if (longRunning(c) && jc.observed.assignment.cpu === 'pod_exclusive' && e !== null && e !== undefined)
        sliceCpus = sliceCpus.union(e);
    });
  } else if (prPool !== null) {
    poolCpus = prPool.cpuIds.length > 0 ? cpusOfIds(prPool.cpuIds) : undefined;
    cpuSource = 'podresources';
    for (const pc of prPool.containers) sliceCpus = sliceCpus.union(cpusOfIds(pc.cpuIds));
  }
  // Memory pool: the memory checkpoint, else PodResources 1.37.
  let poolMemory: MemoryBlock[] | undefined | null = null;
  const sliceMemory = new Map<string, bigint>();
  let memorySource: Evidence | null = null;
  if (index.memory !== null) {
    poolMemory = memPool === undefined || memPool === null ? undefined : memPool.map(blockOut);
    memorySource = 'checkpoint';
    containers.forEach((jc, i) => {
      const c = input.containers[i] as JoinContainer;
      if (!longRunning(c) || jc.observed.assignment.memory !== 'pod_exclusive') return;
      for (const b of jc.evidence.checkpointMemory ?? [])
        sliceMemory.set(b.type, (sliceMemory.get(b.type) ?? 0n) + b.size);
    });
  } else if (prPool !== null) {
    poolMemory = prPool.memory.length > 0 ? prPool.memory.map(prBlockOut) : undefined;
    memorySource = 'podresources';
    for (const pc of prPool.containers)
      for (const m of pc.memory) sliceMemory.set(m.type, (sliceMemory.get(m.type) ?? 0n) + m.size);
  }
  let podPool: Pool | null = null;
  let podSharedPool: Pool | null = null;
  if ((poolCpus !== null && poolCpus !== undefined) || (poolMemory !== null && poolMemory !== undefined)) {
    const cpusPart = poolCpus === null || poolCpus === undefined ? null : poolCpus;
    const memPart = poolMemory === null || poolMemory === undefined ? null : poolMemory;
    podPool = {
      ...(cpusPart === null ? {} : { cpus: formatCpuList(cpusPart) }),
      ...(memPart === null ? {} : { memory: memPart }),
    };
    const sharedMemory = (memPart ?? [])
      .map((b) => ({ ...b, size: b.size - Number(sliceMemory.get(b.type) ?? 0n) }))
      .filter((b) => b.size > 0);
    podSharedPool = {
      ...(cpusPart === null ? {} : { cpus: formatCpuList(cpusPart.difference(sliceCpus)) }),
      ...(memPart === null ? {} : { memory: sharedMemory }),
    };
    const source = cpusPart !== null ? cpuSource : memorySource;
    if (source !== null) {
      podSource.podPool = source;
      podSource.podSharedPool = source;
    }
  }

  let podCgroupCfsQuota: 'none' | number | null = null;
  let podCgroupCfs: Cfs | null = null;
  const podCg = evidence.cgroup;
  const podMax =
    podCg === null || podCg === undefined || podCg.cpuMax === null
      ? undefined
      : cpuMaxMillicores(podCg.cpuMax);
  if (podMax !== undefined) {
    podCgroupCfsQuota = podMax ?? 'none';
    podSource.podCgroupCfsQuota = 'cgroup';
  } else if (podSeriesNewest !== null && podSeriesNewest !== undefined) {
    podCgroupCfsQuota = seriesQuotaMillicores(podSeriesNewest) ?? 'none';
    podSource.podCgroupCfsQuota = 'cadvisor';
  }
  if (podSeriesNewest !== null && podSeriesNewest !== undefined) {
    podCgroupCfs = cfsOfSeries(podSeriesNewest);
    if (podCgroupCfs !== null) podSource.podCgroupCfs = 'cadvisor';
  }
  if (podCgroupCfs === null && podCg !== null && podCg !== undefined) {
    podCgroupCfs = cfsOfCgroup(podCg);
    if (podCgroupCfs !== null) podSource.podCgroupCfs = 'cgroup';
  }

  const admission = observedAdmission(status);
  if (admission.admitted !== null) podSource.admitted = 'pod-status';
  let reported: Reported | null = null;
  if (prPod !== null && prPod !== undefined) {
    reported = {
      cpuIds: [...prPod.cpuIds],
      memory: prPod.memory.map(prBlockOut),
      containers: Object.fromEntries(
        prPod.containers.map((pc) => [
          pc.name,
          { cpuIds: [...pc.cpuIds], memory: pc.memory.map(prBlockOut) },
        ]),
      ),
    };
    podSource.reported = 'podresources';
  }

  return {
    evidence,
    containers,
    observed: {
      ...admission,
      podPool,
      podSharedPool,
      podCgroupCfsQuota,
      podCgroupCfs,
      reported,
      source: podSource,
    },
  };
}

/** pod-status: Failed with an admission reason → rejected; Running, or Pending with a start time → admitted. */
export function observedAdmission(status: PodStatusFacts): {
  admitted: boolean | null;
  reason: string | null;
  message: string | null;
} {
  if (status.activity === 'rejected')
    return { admitted: false, reason: status.reason, message: status.message };
  if (status.phase === 'Running' || status.phase === 'Succeeded')
    return { admitted: true, reason: null, message: null };
  if (status.phase === 'Pending' && status.startTime !== null)
    return { admitted: true, reason: null, message: null };
  if (status.phase === 'Failed') return { admitted: true, reason: status.reason, message: status.message };
  return { admitted: null, reason: null, message: null };
}
