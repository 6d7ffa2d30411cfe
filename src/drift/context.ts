// The analysed node: everything a drift or config check reads, built once per node from NodeFacts
// by build-context.ts (cli.md §6), and the check framework (cli.md §7). Checks are pure functions
// of this context; they never parse, join or replay anything themselves.
//
// Conventions used by every field below:
//   * "null" = the source was not available (see `sources` / `evidence` for why); "undefined"
//     inside an available source = the source has no such entry (e.g. a checkpoint without an
//     entry for a container). Checks must tell the two apart: missing evidence is coverage, an
//     absent entry in an available source is an observation.
//   * CPU sets are model CpuSets; the expected side is the replay's output in scenario-format field
//     names (render/schema.ts PodOut/ContainerOut), observed in report field names.
//   * In count mode (`topology === null`) the replay ran on a synthetic one-NUMA machine of
//     `Node.status.capacity.cpu` CPUs: expected CPU *ids*, NUMA nodes and pool cpusets are
//     meaningless there (only their sizes and the assignment types count); checks with
//     `needsTopology` are not run at all.

import type { KubeletConfig, KubeletVersion } from '../model/kubelet-config.js';
import type { CpuCheckpoint } from '../model/checkpoint/cpu-checkpoint.js';
import type { MemoryCheckpoint } from '../model/checkpoint/memory-checkpoint.js';
import type { CpuSet } from '../model/cpuset.js';
import type { MemoryBlock as ModelMemoryBlock } from '../model/memory/state.js';
import type { Counters } from '../model/metrics.js';
import type { Container, Pod } from '../model/pod.js';
import type {
  AllocatableResources,
  ContainerResourcesEntry,
  PodResourcesEntry,
  PodResourcesList,
} from '../model/pod-resources.js';
import type { PodGates } from '../model/qos.js';
import type { PodAdmission } from '../model/admit.js';
import type { SimulationResult } from '../model/simulate.js';
import type { Topology } from '../model/topology.js';
import type { CheckpointChecksumResult } from '../parse/checkpoint-result.js';
import type { CadvisorCpu, CadvisorCpuSeries, KubeletMetrics } from '../parse/kubelet-metrics.js';
import type { ContainerOut, PodOut, SimulationOut } from '../render/schema.js';
import type { Evidence, NodeSource, Severity, SourceStatus } from '../schema/common.js';
import type { ObservedCgroup } from '../schema/observation.js';
import type {
  ContainerObserved,
  Coverage,
  Finding,
  NodeConfigSummary,
  PodObserved,
} from '../schema/reports.js';
import type { AnalysisOptions } from './node-facts.js';

// ----- node inputs ------------------------------------------------------------------------------

/** `Node.status.nodeInfo.kubeletVersion` mapped to the model (cli.md §6.2 point 1, C15). */
export interface VersionFacts {
  /** as reported, "v1.36.2"; null when the node object has none */
  readonly reported: string | null;
  /** major.minor.patch of `reported`, null when it is missing or unparsable */
  readonly parsed: { readonly major: number; readonly minor: number; readonly patch: number } | null;
  /** the version the model replays: 1.36 for ≤ 1.36 (and unparsable), 1.37 for ≥ 1.37 */
  readonly model: KubeletVersion;
  /** where `parsed` lies relative to the modelled 1.36–1.37; "unknown" when unparsable/missing */
  readonly range: 'older' | 'modelled' | 'newer' | 'unknown';
  /** older than v1.36: PodLevelResourceManagers is forced off in `config` (the gate does not exist) */
  readonly plrmForcedOff: boolean;
}

/** What the Node object says. */
export interface NodeObjectFacts {
  readonly labels: Readonly<Record<string, string>>;
  /** label kubernetes.io/os is "linux" */
  readonly linux: boolean;
  /** `status.capacity.cpu` as a whole number of CPUs (millicores rounded down), null if absent */
  readonly capacityCpus: number | null;
  /** `status.capacity.memory` in bytes, null if absent */
  readonly capacityMemory: bigint | null;
  /** `status.capacity["hugepages-<size>"]` in bytes (only those present) */
  readonly capacityHugepages: Readonly<Record<string, bigint>>;
}

/** The kubelet configuration read from /configz (cli.md §6.2 point 1). */
export interface ConfigFacts {
  /** the object inside "kubeletconfig", as served (unknown fields kept) */
  readonly raw: Readonly<Record<string, unknown>>;
  /**
   * The model's normalised configuration for `version.model` (gates resolved: the /configz value
   * when listed, else the version default; PLRM off below v1.36); null when the raw object is
   * invalid for the model (then `error` says why, and no D check needing the model runs).
   */
  readonly model: KubeletConfig | null;
  readonly error: string | null;
  /** effective PodLevelResources / PodLevelResourceManagers (PLRM only with PLR), null with `model` */
  readonly gates: PodGates | null;
  /** `cpuManagerReconcilePeriod` in milliseconds (default 10s) */
  readonly reconcilePeriodMs: number;
}

export interface TopologyFacts {
  /** the machine; null = count mode (cli.md §6.2 point 5) */
  readonly topology: Topology | null;
  /** where it came from; null in count mode */
  readonly source: 'observation' | 'file' | null;
  /** a topology that was given but not used (contradicts capacity cpu, invalid), one line; else null */
  readonly ignored: string | null;
}

// ----- pods -------------------------------------------------------------------------------------

/** What the pod object says, whatever its phase. */
export interface PodStatusFacts {
  readonly namespace: string;
  readonly name: string;
  /** metadata.uid */
  readonly uid: string;
  /**
   * The UID the kubelet uses for this pod: annotation kubernetes.io/config.mirror for a mirror
   * (static) pod, else `uid`. Checkpoint keys, cgroup directories and cAdvisor ids use this one.
   */
  readonly kubeletUid: string;
  readonly mirror: boolean;
  /** status.phase ("" when absent) */
  readonly phase: string;
  readonly reason: string | null;
  readonly message: string | null;
  readonly qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort' | null;
  readonly startTime: string | null;
  readonly creationTimestamp: string | null;
  readonly deletionTimestamp: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /** container name → `containerID` of its (init)containerStatuses entry, as written ("containerd://9f3a…") */
  readonly containerIds: ReadonlyMap<string, string>;
  /** spec.nodeName */
  readonly nodeName: string | null;
  /** a kubectl-podres collector pod (label app.kubernetes.io/name=podres-collector) */
  readonly collector: boolean;
  /**
   * Why the pod is (not) replayed: `active` (Pending/Running, terminating included), `rejected`
   * (Failed with one of the admission reasons of cli.md §6.2), `inactive` (anything else).
   */
  readonly activity: 'active' | 'rejected' | 'inactive';
}

/** Per source, what was observed for one container; null = that source is not available. */
export interface ContainerEvidence {
  /** checkpoint CPU entry; undefined = the checkpoint has no entry for this container */
  readonly checkpointCpus: CpuSet | undefined | null;
  /** checkpoint memory entry; undefined = no entry; [] = an entry without blocks (quirk Q1) */
  readonly checkpointMemory: readonly ModelMemoryBlock[] | undefined | null;
  /** PodResources `List` entry; undefined = the pod or the container is not listed */
  readonly podResources: ContainerResourcesEntry | undefined | null;
  /** the container's cgroup (joined by container ID); undefined = none found for a known ID */
  readonly cgroup: ObservedCgroup | undefined | null;
  /** its cpuset.cpus parsed; null when there is no cgroup or the value is missing/unreadable */
  readonly cgroupCpus: CpuSet | null;
  /** its cpuset.mems parsed (NUMA node ids); null likewise */
  readonly cgroupMems: CpuSet | null;
  /** the selected cAdvisor series of the newest scrape (cli.md §6.5); undefined = no series */
  readonly cadvisor: CadvisorCpuSeries | undefined | null;
  /** the same container's series in the older scrape (interval mode), else null */
  readonly cadvisorOlder: CadvisorCpuSeries | null;
}

export interface DriftContainer {
  readonly name: string;
  readonly type: 'app' | 'init' | 'sidecar';
  /** the model container (resources normalised); null when the pod could not be read */
  readonly spec: Container | null;
  /** as in the pod status ("containerd://…"), null when not started */
  readonly containerId: string | null;
  /** `containerId` without its "<runtime>://" prefix */
  readonly bareContainerId: string | null;
  /** the replay's view (null: no replay, or the pod was rejected); see the count-mode note above */
  readonly expected: ContainerOut | null;
  /** raw evidence per source */
  readonly evidence: ContainerEvidence;
  /** the report's observed view, first available source per field (cli.md §6.3) */
  readonly observed: ContainerObserved;
}

/** Per source, what was observed for a pod as a whole; null = that source is not available. */
export interface PodEvidence {
  /** checkpoint `podEntries` pool; undefined = no pod entry */
  readonly checkpointPool: CpuSet | undefined | null;
  /** checkpoint pod memory blocks; undefined = no pod entry */
  readonly checkpointPoolMemory: readonly ModelMemoryBlock[] | undefined | null;
  /** all CPU entries of the pod in the checkpoint (container → cpus); undefined = none */
  readonly checkpointEntries: ReadonlyMap<string, CpuSet> | undefined | null;
  /** all memory entries of the pod in the checkpoint; undefined = none */
  readonly checkpointMemoryEntries: ReadonlyMap<string, readonly ModelMemoryBlock[]> | undefined | null;
  /** PodResources `List` pod entry (by namespace/name); undefined = not listed */
  readonly podResources: PodResourcesEntry | undefined | null;
  /** the pod cgroup (containerId ""); undefined = not found */
  readonly cgroup: ObservedCgroup | undefined | null;
  /** the pod-cgroup cAdvisor series (container="" ending in the pod cgroup) of the newest scrape */
  readonly cadvisor: CadvisorCpuSeries | undefined | null;
  readonly cadvisorOlder: CadvisorCpuSeries | null;
}

export interface DriftPod {
  readonly status: PodStatusFacts;
  /** the model pod; null when the object could not be mapped (then `podError`) */
  readonly pod: Pod | null;
  readonly podError: string | null;
  /** 1-based position in the replay (cli.md §6.2 point 3) */
  readonly admissionOrder: number;
  /** the replay's admission of this pod; null without a replay */
  readonly admission: PodAdmission | null;
  /** the replay's output for this pod (simulate's PodOut); null without a replay */
  readonly expected: PodOut | null;
  /**
   * Count mode: whether the replay's admission outcome could depend on the topology (cli.md §6.2
   * point 5: expected.admitted is then null). Always false with a topology.
   */
  readonly admissionNeedsTopology: boolean;
  /** spec order, init containers (sidecars included) first; ephemeral containers left out */
  readonly containers: readonly DriftContainer[];
  readonly evidence: PodEvidence;
  /** the report's observed pod view (cli.md §6.3) */
  readonly observed: PodObserved;
}

// ----- replay -----------------------------------------------------------------------------------

export type Replay =
  | {
      readonly ok: true;
      readonly result: SimulationResult;
      /** simulate's output document for the replay */
      readonly out: SimulationOut;
      /** counters before each admission (index = admissionOrder − 1), for "since kubelet start" tallies */
      readonly countersBefore: readonly Counters[];
      /** replayed on a synthetic machine (count mode) */
      readonly synthetic: boolean;
    }
  /** the kubelet would not start with this configuration (field path and reason) */
  | { readonly ok: false; readonly field: string; readonly error: string };

// ----- observation ------------------------------------------------------------------------------

export interface ObservedCheckpoint<C, V> {
  readonly checkpoint: C;
  readonly checksum: CheckpointChecksumResult<V>;
  /** the reader's non-fatal warnings */
  readonly warnings: readonly string[];
}

export interface ObservationFacts {
  /** cpu_manager_state; null when absent or unparsable (see `sources.checkpoint`) */
  readonly cpuCheckpoint: ObservedCheckpoint<CpuCheckpoint, unknown> | null;
  /** memory_manager_state; null when absent or unparsable */
  readonly memoryCheckpoint: ObservedCheckpoint<MemoryCheckpoint, unknown> | null;
  /** why a checkpoint file is missing/unreadable, one line each; null when it was read */
  readonly cpuCheckpointError: string | null;
  readonly memoryCheckpointError: string | null;
  /** PodResources `List`; null when not observed */
  readonly podResources: PodResourcesList | null;
  /** PodResources `GetAllocatableResources`; null when not observed */
  readonly allocatable: AllocatableResources | null;
  /** cgroups: kubelet pod UID → container ID ("" = pod cgroup) → cgroup; null without cgroup data */
  readonly cgroups: ReadonlyMap<string, ReadonlyMap<string, ObservedCgroup>> | null;
  /** `collectedAt` of the observation, else null */
  readonly collectedAt: string | null;
}

export interface MetricsFacts {
  /** /metrics parsed; null when not ok (absent, failed or with a malformed line) */
  readonly metrics: KubeletMetrics | null;
  /** /metrics/cadvisor scrapes parsed, oldest first; [] when not ok */
  readonly cadvisor: readonly CadvisorCpu[];
  /** `scrapedAt` of each cAdvisor scrape, same order */
  readonly cadvisorScrapedAt: readonly string[];
  /** process_start_time_seconds as RFC 3339, null when unknown */
  readonly kubeletStartTime: string | null;
}

// ----- the context ------------------------------------------------------------------------------

export interface DriftContext {
  readonly node: string;
  /** RFC 3339: the time of the reading */
  readonly now: string;
  readonly options: AnalysisOptions;
  /** per-node source statuses (cli.md §6.1, §8.1) */
  readonly sources: Readonly<Record<NodeSource, SourceStatus>>;
  /** availability of each evidence id: null = available, else the one-line reason it is not */
  readonly evidence: Readonly<Record<Evidence, string | null>>;
  /** null when the Node object could not be read */
  readonly nodeObject: NodeObjectFacts | null;
  readonly version: VersionFacts | null;
  /** null when /configz could not be read */
  readonly config: ConfigFacts | null;
  readonly topology: TopologyFacts;
  /** pods replayed (active and admission-rejected, no collector pods), in admission order */
  readonly pods: readonly DriftPod[];
  /** every pod bound to the node (collector and inactive ones too), by kubelet UID */
  readonly allPodsByKubeletUid: ReadonlyMap<string, PodStatusFacts>;
  /** kubelet UIDs of the active pods (phase Pending/Running) */
  readonly activeKubeletUids: ReadonlySet<string>;
  /** null without a configuration for the model */
  readonly replay: Replay | null;
  /**
   * Count mode only: some pod's admission outcome depends on the machine (`admissionNeedsTopology`)
   * and the synthetic replay decided it otherwise than the pod status says. The replay's counters
   * and gauges then stand for other admissions than the kubelet's: node-level comparisons against
   * them (metrics, defaultCpuSet) must not be made (coverage, not findings).
   */
  readonly admissionsUncertain: boolean;
  readonly observation: ObservationFacts;
  readonly metrics: MetricsFacts;
  /**
   * cli.md §6.3: the newest replayed pod started less than 2 × cpuManagerReconcilePeriod before the
   * observation (else `now`): a node_shared container whose cgroup cpuset is a superset of
   * `defaultCpuSet` is not drift yet (shared cpusets are rewritten lazily).
   */
  readonly sharedCpusetGrace: boolean;
  /** warnings for stderr (topology ignored, …): one line each, without the "warning: node N: " prefix */
  readonly warnings: readonly string[];
}

// ----- checks -----------------------------------------------------------------------------------

export interface DriftCheck {
  /** "D1".."D20" */
  readonly code: string;
  /** the default severity (cli.md §7.2); findings may use another where the table says so */
  readonly severity: Severity;
  /** the evidence sources the check reads, in EVIDENCE order (cli.md §7.2 "evidence") */
  readonly evidence: readonly Evidence[];
  /** needs the model, i.e. a usable /configz (all D codes except D17 and D18) */
  readonly needsModel: boolean;
  /** "+topo": not run in count mode */
  readonly needsTopology: boolean;
  /** carried in PodReport coverage (D1–D8, D10, D12, D14, D15, D19, D20) */
  readonly podLevel: boolean;
  /**
   * The findings, each with `code` = this code, evidence limited to the sources that showed it.
   * Called only when the prerequisites hold (model, topology) and at least one evidence source is
   * available; it must still check every source it reads for null (partial coverage).
   */
  run(ctx: DriftContext): readonly Finding[];
  /**
   * Optional: what the check cannot judge on this node although it runs — data its sources lack
   * (a metric the kubelet did not export) or data it cannot trust (admissions the count-mode replay
   * cannot know). Called only when the check runs; each limit makes the coverage `partial`, adds
   * its `missing` sources and appends its reason (coverage.ts checkCoverage). `run` must leave out
   * the findings a limit names: missing evidence gives coverage, not a finding (cli.md §7).
   */
  limits?(ctx: DriftContext): readonly CoverageLimit[];
}

/** A part of a check that cannot be judged on the node (DriftCheck.limits). */
export interface CoverageLimit {
  /** the evidence sources whose lack causes it, in any order ([] when none is to blame) */
  readonly missing: readonly Evidence[];
  /** one line, e.g. "metrics: no process_start_time_seconds" */
  readonly reason: string;
}

/** Builds NodeReportBody.config and the C findings (src/drift/config-checks.ts). */
export interface ConfigCheckResult {
  /** null without configz (or when it is invalid for the model) */
  readonly config: NodeConfigSummary | null;
  /** C1–C16 findings (unfiltered: analyzeNode drops skipped codes) */
  readonly findings: readonly Finding[];
  /** one entry per C code, C1..C16 in order (analyzeNode overrides skipped codes) */
  readonly coverage: readonly Coverage[];
}

export type ConfigCheck = (ctx: DriftContext) => ConfigCheckResult;
