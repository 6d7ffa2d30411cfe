// Fixture nodes for the drift engine, the read commands and demo snapshots: a whole, consistent
// node — Node, Pods, /configz, /metrics, /metrics/cadvisor and a NodeObservation — as a real
// kubelet following the allocator model exposes it after admitting a scenario's pods, with knobs
// that plant one drift at a time the way a kubelet bug would show it in every source.
//
//   const facts = nodeFixture('examples/tightly-coupled-database.yaml')
//     .moveToNodeSharedPool('db/db-0', 'metrics-exporter')       // cli.md §10 example D7
//     .build();                                                  // NodeFacts
//
//   const ml = nodeFixture('examples/ml-workload.yaml', { nodeName: 'worker-2' })
//     .cadvisorScrapes(2, 30)
//     .cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 3.97, throttledRatio: 0.31 })
//     .build();
//   const snapshot = toSnapshot([facts, ml], facts.now);
//
// How it works: the scenario is replayed through the model (runSimulation); the final CPU and
// memory manager state, counters and pods become a mutable "world" (node-fixture/world.ts); each
// knob records an edit of that world, applied in call order by build(); every artefact is then
// rendered from the edited world (node-fixture/*.ts), so e.g. removing a CPU entry changes the
// checkpoint, PodResources, the cgroup cpuset, the CFS quota and cAdvisor alike. Knobs that change
// what the kubelet admitted (kubeletVersion, kubeletFidelity, rejectPod, admitRejectedPod) shape the
// replay itself and may be called in any order.
//
// Fixed choices (all deterministic): now 2026-05-12T10:01:07Z, kubelet started an hour earlier,
// pods start 30 s after the kubelet, 10 s apart, in scenario order; containerd runtime with the
// systemd cgroup driver on cgroup v2; container ids sha256("<uid>/<container>"), sandbox ids
// sha256("<uid>/POD"); every running container uses 0.05 cores and is not throttled unless told.

import type { NodeFacts } from '../../src/drift/node-facts.js';
import type { CpuCheckpointVersion } from '../../src/model/checkpoint/cpu-checkpoint.js';
import type { MemoryCheckpointVersion } from '../../src/model/checkpoint/memory-checkpoint.js';
import { parseCpuList } from '../../src/model/cpuset.js';
import type { KubeletVersion } from '../../src/model/kubelet-config.js';
import type { Fidelity } from '../../src/model/simulation-input.js';
import type { SimulationOut } from '../../src/render/schema.js';
import { toSimulationOut } from '../../src/render/simulation.js';
import type { SourceStatusValue } from '../../src/schema/common.js';
import type { SnapshotErrorSource } from '../../src/schema/snapshot.js';
import { cadvisorScrapes } from './node-fixture/cadvisor.js';
import { checkUsage, podCgroups } from './node-fixture/cgroups.js';
import type { MachineStatePatch, PodRef, StaleEntrySpec } from './node-fixture/drifts.js';
import * as drift from './node-fixture/drifts.js';
import { kubeletConfigz, mergeConfigz, nodeObject, podObject } from './node-fixture/kube-objects.js';
import { kubeletMetricsText } from './node-fixture/kubelet-metrics.js';
import {
  CPU_CHECKPOINT_PATH,
  MEMORY_CHECKPOINT_PATH,
  PODRESOURCES_SOCKET,
  explicitTopology,
  nodeObservation,
} from './node-fixture/observation.js';
import type {
  LoadedScenario,
  ObservationPart,
  ScenarioSource,
  World,
  WorldShape,
} from './node-fixture/world.js';
import {
  bareContainerId,
  buildWorld,
  fullVersionOf,
  iso,
  loadScenario,
  shapeInput,
  simulate,
} from './node-fixture/world.js';

export type { PodRef, StaleEntrySpec, MachineStatePatch } from './node-fixture/drifts.js';
export { STALE_POD_UID } from './node-fixture/drifts.js';
export type { ScenarioSource } from './node-fixture/world.js';
export { toSnapshot } from './node-fixture/snapshot.js';
export type { SnapshotOptions } from './node-fixture/snapshot.js';
export {
  CPU_CHECKPOINT_PATH,
  MEMORY_CHECKPOINT_PATH,
  PODRESOURCES_SOCKET,
} from './node-fixture/observation.js';
export { KUBELET_FAMILIES } from './node-fixture/kubelet-metrics.js';
export { goFloat } from './node-fixture/prometheus-text.js';

export const DEFAULT_NOW = '2026-05-12T10:01:07Z';

export interface NodeFixtureOptions {
  /** RFC 3339; the time of every reading (default DEFAULT_NOW) */
  readonly now?: string;
  /** RFC 3339; default one hour before `now` (process_start_time_seconds) */
  readonly kubeletStartedAt?: string;
  /** "1.36", "1.37" or a full "v1.36.2" (older/newer map as cli.md §6.2); default from the scenario */
  readonly kubeletVersion?: string;
  /** overrides the scenario's node.name */
  readonly nodeName?: string;
  /** which document of a multi-document scenario (0-based) */
  readonly scenarioIndex?: number;
  readonly cgroupDriver?: 'systemd' | 'cgroupfs';
  /** NodeFacts.from; 'snapshot' also makes observationFrom 'snapshot' */
  readonly from?: 'live' | 'snapshot';
  /** seconds from kubelet start to the first pod's start (default 30) */
  readonly firstPodDelaySeconds?: number;
  /** seconds between pod starts (default 10) */
  readonly podIntervalSeconds?: number;
}

export interface UsageKnob {
  /** average CPU cores used (default 0.05) */
  readonly cores?: number;
  /** share of CFS periods throttled, 0–1 (needs a quota to show) */
  readonly throttledRatio?: number;
}

type Edit = (w: World) => void;

const HTTP_STATUS: Partial<Record<SourceStatusValue, number>> = {
  forbidden: 403,
  'not-found': 404,
  unavailable: 503,
};

const SOURCE_READ: Record<SnapshotErrorSource, string> = {
  node: 'cannot get the node object',
  configz: 'cannot read /configz',
  metrics: 'cannot read /metrics',
  cadvisor: 'cannot read /metrics/cadvisor',
  observation: 'cannot collect the node observation',
};

const PART_ERRORS: Record<
  ObservationPart,
  { source: 'podresources' | 'checkpoint' | 'cgroup' | 'topology'; path: string; message: string }
> = {
  podresources: {
    source: 'podresources',
    path: PODRESOURCES_SOCKET,
    message: `cannot connect to ${PODRESOURCES_SOCKET}: connect ENOENT`,
  },
  cpuCheckpoint: {
    source: 'checkpoint',
    path: CPU_CHECKPOINT_PATH,
    message: `cannot read ${CPU_CHECKPOINT_PATH}: no such file or directory`,
  },
  memoryCheckpoint: {
    source: 'checkpoint',
    path: MEMORY_CHECKPOINT_PATH,
    message: `cannot read ${MEMORY_CHECKPOINT_PATH}: no such file or directory`,
  },
  cgroup: {
    source: 'cgroup',
    path: '/sys/fs/cgroup/kubepods.slice',
    message: 'cannot read /sys/fs/cgroup/kubepods.slice: permission denied',
  },
  topology: {
    source: 'topology',
    path: '/sys/devices/system/cpu',
    message: 'cannot read /sys/devices/system/cpu: permission denied',
  },
};

/** Default unparsable lines planted by garbageLine(): each claims a family a snapshot keeps. */
export const GARBAGE_LINES = {
  metrics: 'resource_manager_allocations_total{resource_name="cpu",source=pod} 1',
  cadvisor: 'container_cpu_cfs_periods_total{container="sidecar",id=} 12',
} as const;

/**
 * A fixture node built from a scenario. Knobs return `this`; `build()` renders the NodeFacts and
 * can be called repeatedly (each call renders afresh from the scenario).
 */
export class NodeFixture {
  private readonly loaded: LoadedScenario;
  private readonly options: NodeFixtureOptions;
  private version: string | null;
  private nowMs: number;
  private startMs: number | null;
  private fidelity: Fidelity | null = null;
  private readonly rejected = new Map<string, { reason: string; message: string }>();
  private readonly forceAdmitted = new Set<string>();
  private readonly edits: Edit[] = [];

  constructor(scenario: ScenarioSource, options: NodeFixtureOptions = {}) {
    this.loaded = loadScenario(scenario, options.scenarioIndex ?? 0);
    this.options = options;
    this.version = options.kubeletVersion === undefined ? null : fullVersionOf(options.kubeletVersion);
    this.nowMs = Date.parse(options.now ?? DEFAULT_NOW);
    this.startMs = options.kubeletStartedAt === undefined ? null : Date.parse(options.kubeletStartedAt);
  }

  // ----- reading -------------------------------------------------------------------------------

  /** The pod's uid (scenario uid, or the one derived from namespace/name). */
  uid(pod: PodRef): string {
    return this.podOf(pod).uid;
  }

  /** "containerd://<64 hex>" as the pod status carries it. */
  containerId(pod: PodRef, container: string): string {
    const p = this.podOf(pod);
    if (![...p.initContainers, ...p.containers].some((c) => c.name === container)) {
      throw new RangeError(`node fixture: pod ${pod} has no container ${container}`);
    }
    return `containerd://${bareContainerId(p.uid, container)}`;
  }

  /**
   * What the model predicts for this node as configured (version and node name applied, no
   * drift): the replay a drift engine makes from the node's /configz, version and pods.
   */
  prediction(): SimulationOut {
    const input = shapeInput(this.loaded.input, { ...this.shape(), rejected: new Map(), fidelity: null });
    return toSimulationOut(simulate(input), { explain: false, warnings: [] });
  }

  private podOf(ref: PodRef) {
    const [ns, name] = ref.includes('/') ? ref.split('/', 2) : ['default', ref];
    const p = this.loaded.input.pods.find((x) => x.namespace === ns && x.name === name);
    if (p === undefined) throw new RangeError(`node fixture: no pod ${ref} in the scenario`);
    return p;
  }

  private edit(e: Edit): this {
    this.edits.push(e);
    return this;
  }

  // ----- the kubelet and the clock -------------------------------------------------------------

  /** The kubelet's version: "1.36", "1.37" or "v1.37.1" (changes checkpoints, PodResources, metrics). */
  kubeletVersion(v: string): this {
    this.version = fullVersionOf(v);
    return this;
  }

  /** The time of the reading (RFC 3339); the kubelet start stays an hour before unless set. */
  now(at: string): this {
    this.nowMs = Date.parse(at);
    return this;
  }

  /** When the kubelet (process_start_time_seconds) started. */
  kubeletStartedAt(at: string): this {
    this.startMs = Date.parse(at);
    return this;
  }

  /**
   * D19: the kubelet behaves with the other fidelity than the scenario's (e.g. "documented":
   * no quirk Q1), while /configz and everything else stay as they are.
   */
  kubeletFidelity(f: Fidelity): this {
    this.fidelity = f;
    return this;
  }

  // ----- admission (D10) -----------------------------------------------------------------------

  /**
   * D10: the kubelet rejected a pod the model admits: the pod is Failed with `reason` and
   * "Pod was rejected: <message>", holds no state, and the later pods are placed as if it never
   * existed; counters: topology-manager request and error +1, kubelet_admission_rejections_total
   * {reason} +1 (add more with addMetric).
   */
  rejectPod(pod: PodRef, reason = 'UnexpectedAdmissionError', message?: string): this {
    const uid = this.podOf(pod).uid;
    this.rejected.set(uid, {
      reason,
      message:
        message ?? `Allocate failed due to not enough cpus available to satisfy request, which is unexpected`,
    });
    return this;
  }

  /**
   * D10: the kubelet admitted a pod the model rejects: Running, every container on the node
   * shared pool, no state; the error counters of the model's rejection are taken back.
   */
  admitRejectedPod(pod: PodRef): this {
    this.forceAdmitted.add(this.podOf(pod).uid);
    return this;
  }

  // ----- CPU placement drifts ------------------------------------------------------------------

  /**
   * D1/D7: the container runs on the node shared pool: its checkpoint entry is removed, its
   * cgroup cpuset becomes defaultCpuSet, its CFS quota follows (own limit, else the pod limit),
   * PodResources reports no CPUs. `memory: true` removes its memory entry too. Counters are not
   * changed (use lowerCounter for a kubelet that never counted the assignment).
   */
  moveToNodeSharedPool(pod: PodRef, container: string, opts: { readonly memory?: boolean } = {}): this {
    return this.edit((w) => {
      drift.moveToNodeSharedPool(w, drift.findPod(w, pod), container, opts.memory === true);
    });
  }

  /** D2: a shared container gets an exclusive slice (`count` CPUs) and loses its CFS quota. */
  giveExclusiveSlice(pod: PodRef, container: string, count?: number): this {
    return this.edit((w) => {
      drift.giveExclusiveSlice(w, drift.findPod(w, pod), container, count ?? null);
    });
  }

  /** D3: container B's exclusive set takes `count` CPUs of container A's (A is listed first). */
  overlapExclusive(a: PodRef, containerA: string, b: PodRef, containerB: string, count = 1): this {
    return this.edit((w) => {
      drift.overlapExclusive(w, drift.findPod(w, a), containerA, drift.findPod(w, b), containerB, count);
    });
  }

  /** D4: `count` CPUs of the container's exclusive set are also in defaultCpuSet. */
  exclusiveInDefaultCpuSet(pod: PodRef, container: string, count = 1): this {
    return this.edit((w) => {
      drift.exclusiveInDefaultCpuSet(w, drift.findPod(w, pod), container, count);
    });
  }

  /** D4: the container's exclusive set holds a reserved CPU. */
  exclusiveOnReservedCpu(pod: PodRef, container: string): this {
    return this.edit((w) => {
      drift.exclusiveOnReservedCpu(w, drift.findPod(w, pod), container);
    });
  }

  /** D5: the container's CPU slice or memory blocks sit on another NUMA node than predicted. */
  wrongNuma(pod: PodRef, container: string, resource: 'cpu' | 'memory' = 'cpu'): this {
    return this.edit((w) => {
      drift.wrongNuma(w, drift.findPod(w, pod), container, resource);
    });
  }

  /** D6: the pod shared pool overlaps a slice, leaves the pod pool, or is smaller than pool − slices. */
  corruptPodSharedPool(pod: PodRef, how: 'overlap' | 'outside' | 'shrink' = 'overlap'): this {
    return this.edit((w) => {
      drift.corruptPodSharedPool(w, drift.findPod(w, pod), how);
    });
  }

  /** D8: the pod's pool entry is missing. */
  dropPodEntry(pod: PodRef, resource: 'cpu' | 'memory' | 'both' = 'cpu'): this {
    return this.edit((w) => {
      drift.dropPodEntry(w, drift.findPod(w, pod), resource);
    });
  }

  /** D8: the pod has a CPU pool although the model gives it none (`cpus` or derived). */
  addPodEntry(pod: PodRef, cpus?: string): this {
    return this.edit((w) => {
      drift.addPodEntry(w, drift.findPod(w, pod), cpus === undefined ? null : parseCpuList(cpus));
    });
  }

  /** D13: the checkpoint's defaultCpuSet (and the shared-pool gauges derived from it). */
  defaultCpuSet(cpus: string): this {
    return this.edit((w) => {
      w.cpu.defaultCpuSet = parseCpuList(cpus);
    });
  }

  /** D14: an exclusive set with a partial core (meaningful under full-pcpus-only). */
  partialCore(pod: PodRef, container: string): this {
    return this.edit((w) => {
      drift.partialCore(w, drift.findPod(w, pod), container);
    });
  }

  /** D15: an exclusive set spanning one more uncore cache. */
  extraUncoreCache(pod: PodRef, container: string): this {
    return this.edit((w) => {
      drift.extraUncoreCache(w, drift.findPod(w, pod), container);
    });
  }

  /** D16: overwrites one NUMA node's memory machine state (`{reserved, free, numberOfAssignments, …}`). */
  memoryMachineState(numa: number, patch: MachineStatePatch): this {
    return this.edit((w) => {
      drift.patchMachineState(w, numa, patch);
    });
  }

  /** D18: checkpoint state (and optionally a PodResources entry) of a pod not on the node. */
  staleEntry(spec: StaleEntrySpec = {}): this {
    return this.edit((w) => {
      drift.staleEntry(w, spec, parseCpuList);
    });
  }

  // ----- checkpoints (D9, D17) -----------------------------------------------------------------

  /** D9: the checkpoint's policyName (CPU "static"/"none", memory "Static"/"None"). */
  checkpointPolicyName(resource: 'cpu' | 'memory', name: string): this {
    return this.edit((w) => {
      if (resource === 'cpu') w.cpu.policyName = name;
      else if (w.memory !== null) w.memory.policyName = name;
      else throw new RangeError('node fixture: the memory manager policy is None (no memory state)');
    });
  }

  /** D17: write the checkpoints in these versions (e.g. cpu "v4" on a 1.36 kubelet). */
  checkpointFormat(versions: {
    readonly cpu?: Exclude<CpuCheckpointVersion, 'v1'>;
    readonly memory?: MemoryCheckpointVersion;
  }): this {
    return this.edit((w) => {
      if (versions.cpu !== undefined) w.checkpoints.cpuVersion = versions.cpu;
      if (versions.memory !== undefined) w.checkpoints.memoryVersion = versions.memory;
    });
  }

  /** D17: a checksum that does not match the content. */
  corruptChecksum(resource: 'cpu' | 'memory' = 'cpu'): this {
    return this.edit((w) => {
      w.checkpoints.breakChecksum[resource] = true;
    });
  }

  // ----- /configz, PodResources ----------------------------------------------------------------

  /**
   * D9 and config checks: deep-merges `patch` into /configz "kubeletconfig" (null deletes a key);
   * the kubelet keeps behaving as the scenario says.
   */
  configz(patch: Readonly<Record<string, unknown>>): this {
    return this.edit((w) => {
      w.configz = mergeConfigz(w.configz, patch);
    });
  }

  /** D20: PodResources answers with another version's semantics than the kubelet's. */
  podResourcesAs(version: KubeletVersion): this {
    return this.edit((w) => {
      w.podResourcesVersion = version;
    });
  }

  // ----- metrics (D9, D10, D11, D13) -----------------------------------------------------------

  /** Sets a /metrics series (labels as the family has them; see KUBELET_FAMILIES). */
  setMetric(name: string, labels: Readonly<Record<string, string>>, value: number): this {
    return this.edit((w) => w.metricEdits.push({ name, labels, op: 'set', value }));
  }

  /** Adds to a /metrics series (creates it at `delta` when absent). */
  addMetric(name: string, labels: Readonly<Record<string, string>>, delta: number): this {
    return this.edit((w) => w.metricEdits.push({ name, labels, op: 'add', value: delta }));
  }

  /** D11: a counter below what the admissions since kubelet start must have added. */
  lowerCounter(name: string, labels: Readonly<Record<string, string>> = {}, by = 1): this {
    return this.addMetric(name, labels, -by);
  }

  /** Removes one series (`labels`) or the whole family. */
  dropMetric(name: string, labels?: Readonly<Record<string, string>>): this {
    return this.edit((w) => w.metricEdits.push({ name, labels: labels ?? null, op: 'drop', value: 0 }));
  }

  // ----- cAdvisor, cgroups (D12, throttle) -----------------------------------------------------

  /** Scrape /metrics/cadvisor twice, `intervalSeconds` apart (the newer at `now`). */
  cadvisorScrapes(count: 1 | 2, intervalSeconds = 30): this {
    return this.edit((w) => {
      w.cadvisor = { scrapes: count, intervalSeconds };
    });
  }

  /**
   * CPU usage of a container (or, with container "", the pod cgroup's throttled share; its usage
   * is the sum of its containers'). The rate is constant since the pod started, so an interval
   * shows exactly `cores` and `throttledRatio`. Checked at build: at most the quota and cpuset.
   */
  cpuUsage(pod: PodRef, container: string, usage: UsageKnob): this {
    return this.edit((w) => {
      const p = drift.findPod(w, pod);
      if (container === '') {
        p.podThrottledRatio = usage.throttledRatio ?? p.podThrottledRatio;
        return;
      }
      const c = drift.findContainer(p, container);
      c.usage = {
        cores: usage.cores ?? c.usage.cores,
        throttledRatio: usage.throttledRatio ?? c.usage.throttledRatio,
      };
    });
  }

  /**
   * D12: the CFS quota of a container cgroup (container "" = the pod cgroup): millicores, or null
   * for none ("max"). Shows in cpu.max and in cAdvisor's quota and CFS series.
   */
  cfsQuota(pod: PodRef, container: string, millicores: number | null): this {
    return this.edit((w) => {
      const p = drift.findPod(w, pod);
      if (container === '') p.podQuotaOverride = millicores;
      else drift.findContainer(p, container).quotaOverride = millicores;
    });
  }

  /** D12: an exclusive container with a CFS quota (default: its CPU limit). */
  quotaOnExclusive(pod: PodRef, container: string, millicores?: number): this {
    return this.edit((w) => {
      const c = drift.findContainer(drift.findPod(w, pod), container);
      const limit = millicores ?? c.spec.resources.limits.cpu;
      if (limit === undefined)
        throw new RangeError(`node fixture: ${pod} ${container} has no CPU limit; give millicores`);
      c.quotaOverride = limit;
    });
  }

  // ----- sources -------------------------------------------------------------------------------

  /**
   * The source could not be read: its field is null (cadvisor: no scrapes) and `errors` says
   * why (httpStatus defaults to 403/404/503 for forbidden/not-found/unavailable).
   */
  dropSource(
    source: SnapshotErrorSource,
    status: Exclude<SourceStatusValue, 'ok' | 'absent'>,
    httpStatus?: number,
  ): this {
    return this.edit((w) => {
      const http = httpStatus ?? HTTP_STATUS[status] ?? null;
      const why =
        status === 'timeout'
          ? 'timeout after 30s'
          : status === 'invalid'
            ? 'invalid: unexpected end of JSON input'
            : status;
      w.errors.push({
        source,
        status,
        httpStatus: http,
        message: `${SOURCE_READ[source]}: ${why}${http === null ? '' : ` (${http})`}`,
      });
    });
  }

  /** One part of the observation failed: null there (cgroups: empty) and an observation error. */
  dropObservationPart(part: ObservationPart, message?: string): this {
    return this.edit((w) => {
      const e = PART_ERRORS[part];
      w.observationErrors.push({ ...e, message: message ?? e.message, part });
    });
  }

  /** No observation at all (none was passed); `topologyFile` puts the topology in NodeFacts.topology. */
  withoutObservation(opts: { readonly topologyFile?: boolean } = {}): this {
    return this.edit((w) => {
      w.observation = 'absent';
      w.topologyFile = opts.topologyFile === true;
    });
  }

  /** An unparsable line in the middle of /metrics or /metrics/cadvisor. */
  garbageLine(target: 'metrics' | 'cadvisor', line: string = GARBAGE_LINES[target]): this {
    return this.edit((w) => w.garbage[target].push(line));
  }

  // ----- building ------------------------------------------------------------------------------

  private shape(): WorldShape {
    const kubeletStart = this.startMs ?? this.nowMs - 3_600_000;
    return {
      nodeName: this.options.nodeName ?? null,
      kubeletVersion: this.version,
      fidelity: this.fidelity,
      rejected: this.rejected,
      forceAdmitted: this.forceAdmitted,
      now: this.nowMs,
      kubeletStart,
      firstPodDelaySeconds: this.options.firstPodDelaySeconds ?? 30,
      podIntervalSeconds: this.options.podIntervalSeconds ?? 10,
      cgroupDriver: this.options.cgroupDriver ?? 'systemd',
    };
  }

  /** The world after every edit (for tests of this helper). */
  world(): World {
    const w = buildWorld(this.loaded, this.shape());
    w.configz = kubeletConfigz(this.loaded.rawKubelet, w);
    for (const e of this.edits) e(w);
    return w;
  }

  build(): NodeFacts {
    const w = this.world();
    checkUsage(w, podCgroups(w));
    const dropped = (s: SnapshotErrorSource) => w.errors.some((e) => e.source === s);
    const observed = w.observation === 'present' && !dropped('observation');
    const from = this.options.from ?? 'live';
    return {
      name: w.nodeName,
      now: iso(w.now),
      from,
      node: dropped('node') ? null : nodeObject(w),
      configz: dropped('configz') ? null : { kubeletconfig: w.configz },
      metrics: dropped('metrics') ? null : { scrapedAt: iso(w.now), text: kubeletMetricsText(w) },
      cadvisor: dropped('cadvisor') ? [] : cadvisorScrapes(w),
      observation: observed ? nodeObservation(w) : null,
      observationFrom: observed ? (from === 'snapshot' ? 'snapshot' : 'observation') : null,
      topology: w.topologyFile ? explicitTopology(w) : null,
      errors: [...w.errors],
      pods: w.pods.map((p) => podObject(w, p)),
    };
  }
}

/** A fixture node from a scenario (text, a path such as "examples/ml-workload.yaml", or parsed input). */
export function nodeFixture(scenario: ScenarioSource, options: NodeFixtureOptions = {}): NodeFixture {
  return new NodeFixture(scenario, options);
}

/** The bare container id the fixture gives a container of the pod with `uid`. */
export function fixtureContainerId(uid: string, container: string): string {
  return bareContainerId(uid, container);
}
