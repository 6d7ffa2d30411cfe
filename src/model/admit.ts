// Pod admission through the topology manager scopes (pkg/kubelet/cm/topologymanager/scope*.go)
// with the CPU manager as hint provider and allocator (allocator-model.md §4.5, §6.2).
// `admitPod(node, pod)` returns the admission and the next node state; it never mutates `node`.

import { CpuSet } from './cpuset.js';
import { maskNodes } from './bitmask.js';
import type { KubeletConfig, TopologyManagerPolicy } from './kubelet-config.js';
import { gate } from './kubelet-config.js';
import type { Counters } from './metrics.js';
import { CounterTally, ZERO_COUNTERS } from './metrics.js';
import type { Container, Pod, QosClass } from './pod.js';
import type { PodGates } from './qos.js';
import { containersInOrder, exclusiveCpus, isPodLevelPod, podQosClass } from './qos.js';
import type { Fidelity, NodeInput } from './simulation-input.js';
import type { Topology } from './topology.js';
import type { CpuAllocationError, CpuHints, PodFacts, StaticCpuPolicy } from './cpu/policy-static.js';
import {
  allocateContainer,
  allocatePod,
  containerCpuHints,
  initialDefaultCpuSet,
  newStaticPolicy,
  podCpuHints,
  validateCpuState,
} from './cpu/policy-static.js';
import type { CpuState } from './cpu/state.js';
import type { MemoryAllocationError, StaticMemoryPolicy } from './memory/policy-static.js';
import {
  NO_REUSABLE_MEMORY,
  allocateContainerMemory,
  allocatePodMemory,
  containerMemoryHints,
  containerMemoryRequests,
  newStaticMemoryPolicy,
  podMemoryHints,
  validateMemoryState,
} from './memory/policy-static.js';
import type { MemoryState } from './memory/state.js';
import { emptyMemoryState, memoryBlocksOf } from './memory/state.js';
import { cpuEntry, initialCpuState } from './cpu/state.js';
import { PersistentMap } from './persistent-map.js';
import type { ProviderHints, TopologyHint } from './topology-manager/hint.js';
import type { NumaInfo } from './topology-manager/numa-info.js';
import type { TopologyManagerOptions } from './topology-manager/policy.js';
import {
  DEFAULT_TOPOLOGY_MANAGER_OPTIONS,
  checkMaxAllowableNumaNodes,
  checkNumaDistances,
  mergeForPolicy,
  parseTopologyManagerOptions,
} from './topology-manager/policy.js';

export type AdmissionPath = 'pod-level' | 'pod' | 'container' | 'none';
export type CpuAssignment = 'node_exclusive' | 'pod_exclusive' | 'pod_shared' | 'node_shared';

/** What does not change while pods are admitted: machine, configuration, policies. */
export interface NodeContext {
  readonly name: string;
  readonly topology: Topology;
  readonly config: KubeletConfig;
  readonly fidelity: Fidelity;
  readonly gates: PodGates;
  /** null with cpuManagerPolicy none */
  readonly cpuPolicy: StaticCpuPolicy | null;
  /** null with memoryManagerPolicy None */
  readonly memoryPolicy: StaticMemoryPolicy | null;
  readonly tmPolicy: TopologyManagerPolicy;
  readonly tmOptions: TopologyManagerOptions;
  readonly numaInfo: NumaInfo;
}

export interface NodeModel {
  readonly ctx: NodeContext;
  readonly cpu: CpuState;
  /** null with memoryManagerPolicy None */
  readonly memory: MemoryState | null;
  readonly counters: Counters;
}

export type InitNodeResult =
  | { readonly ok: true; readonly node: NodeModel }
  /** The kubelet would refuse to start; `field` is the configuration field to blame. */
  | { readonly ok: false; readonly field: string; readonly error: string };

/** Starts a kubelet on the node: policies, options, reserved CPUs, restored state. */
export function initNode(input: NodeInput, fidelity: Fidelity): InitNodeResult {
  const { topology, config } = input;
  const gates: PodGates = {
    plr: gate(config, 'PodLevelResources'),
    plrm: gate(config, 'PodLevelResources') && gate(config, 'PodLevelResourceManagers'),
  };
  if (gate(config, 'PodLevelResourceManagers') && !gate(config, 'PodLevelResources')) {
    return {
      ok: false,
      field: 'node.kubelet.featureGates',
      error: 'feature gate PodLevelResourceManagers depends on PodLevelResources, which is disabled',
    };
  }
  // With policy none the kubelet never reads the topology manager options.
  const numaInfo: NumaInfo = { nodes: topology.numaNodes, distances: topology.distances };
  let tmOptions = DEFAULT_TOPOLOGY_MANAGER_OPTIONS;
  if (config.topologyManagerPolicy !== 'none') {
    const tm = parseTopologyManagerOptions(config.topologyManagerPolicyOptions, config.featureGates);
    if (!tm.ok) return { ok: false, field: 'node.kubelet.topologyManagerPolicyOptions', error: tm.error };
    tmOptions = tm.options;
    const startup =
      checkMaxAllowableNumaNodes(config.topologyManagerPolicy, topology.numaNodes.length, tmOptions) ??
      checkNumaDistances(config.topologyManagerPolicy, numaInfo, tmOptions);
    if (startup !== null)
      return { ok: false, field: 'node.kubelet.topologyManagerPolicyOptions', error: startup };
  }

  let cpuPolicy: StaticCpuPolicy | null = null;
  let cpu: CpuState = initialCpuState(topology.all);
  if (config.cpuManagerPolicy === 'static') {
    const made = newStaticPolicy(topology, config, gates);
    if (!made.ok) return { ok: false, field: `node.kubelet.${made.field}`, error: made.error };
    cpuPolicy = made.policy;
    cpu = initialCpuState(initialDefaultCpuSet(cpuPolicy));
    if (input.cpuState !== null && !input.cpuState.defaultCpuSet.isEmpty()) {
      cpu = {
        defaultCpuSet: input.cpuState.defaultCpuSet,
        entries: PersistentMap.from(input.cpuState.entries),
        podEntries: PersistentMap.from(input.cpuState.podEntries),
      };
      const invalid = validateCpuState(cpuPolicy, cpu);
      if (invalid !== null) return { ok: false, field: 'node.state.cpuManager', error: invalid };
    }
  }
  let memoryPolicy: StaticMemoryPolicy | null = null;
  let memory: MemoryState | null = null;
  if (config.memoryManagerPolicy === 'Static') {
    const made = newStaticMemoryPolicy(topology, config, gates, fidelity);
    if (!made.ok) return made;
    memoryPolicy = made.policy;
    memory = emptyMemoryState(memoryPolicy.defaultMachineState);
    if (input.memoryState !== null && input.memoryState.machineState.size > 0) {
      memory = {
        machineState: input.memoryState.machineState,
        entries: PersistentMap.from(input.memoryState.entries),
        podEntries: PersistentMap.from(input.memoryState.podEntries),
      };
      const invalid = validateMemoryState(memoryPolicy, memory);
      if (invalid !== null) return { ok: false, field: 'node.state.memoryManager', error: invalid };
    }
  }
  return {
    ok: true,
    node: {
      ctx: {
        name: input.name,
        topology,
        config,
        fidelity,
        gates,
        cpuPolicy,
        memoryPolicy,
        tmPolicy: config.topologyManagerPolicy,
        tmOptions,
        numaInfo,
      },
      cpu,
      memory,
      counters: ZERO_COUNTERS,
    },
  };
}

/** One hint-merge step, for `--explain`. */
export interface ExplainStep {
  /** "pod" for pod scope, else the container name */
  readonly scope: string;
  readonly providers: { readonly cpu: ProviderHints; readonly memory: ProviderHints };
  readonly merged: TopologyHint;
  readonly admitted: boolean;
}

export interface ContainerPlacement {
  readonly container: Container;
  readonly cpu: CpuAssignment;
  readonly memory: CpuAssignment;
  /** Exclusive CPUs the container is entitled to (`guaranteedCPUs`). */
  readonly exclusiveCpus: number;
  readonly hint: TopologyHint | null;
}

export interface PodAdmission {
  readonly pod: Pod;
  readonly qos: QosClass;
  readonly path: AdmissionPath;
  readonly admitted: boolean;
  readonly reason: string | null;
  readonly message: string | null;
  /** The merged pod hint (pod scopes), null otherwise. */
  readonly podHint: TopologyHint | null;
  /** Empty when the pod was rejected. */
  readonly placements: readonly ContainerPlacement[];
  readonly explain: readonly ExplainStep[];
  /** Why a manager placed something other than where the merged hint pointed. */
  readonly notes: readonly string[];
}

const NO_PREFERENCE: TopologyHint = { mask: null, preferred: false };

export function admissionPath(ctx: NodeContext, pod: Pod): AdmissionPath {
  if (ctx.tmPolicy === 'none') return 'none';
  if (ctx.config.topologyManagerScope === 'container') return 'container';
  return ctx.gates.plrm && isPodLevelPod(pod) ? 'pod-level' : 'pod';
}

/** The CPU manager's hint map: only resource `cpu`. */
function cpuProvider(hints: CpuHints): ProviderHints {
  return hints === null ? null : new Map([['cpu', hints]]);
}

function failure(error: CpuAllocationError | MemoryAllocationError): { reason: string; message: string } {
  if (error.kind === 'unexpected') {
    return {
      reason: 'UnexpectedAdmissionError',
      message: `Allocate failed due to ${error.message}, which is unexpected`,
    };
  }
  return { reason: error.kind, message: error.message };
}

const TOPOLOGY_AFFINITY_ERROR = 'TopologyAffinityError';
const TOPOLOGY_AFFINITY_MESSAGE = 'Resources cannot be allocated with Topology locality';
const POD_LEVEL_TOPOLOGY_AFFINITY_MESSAGE =
  'Pod Scope pod with pod-level resources failed admission under pod-scope topology manager';

/** Admits one pod; the input node is left untouched. */
export function admitPod(
  node: NodeModel,
  pod: Pod,
): { readonly admission: PodAdmission; readonly next: NodeModel } {
  const { ctx } = node;
  const qos = podQosClass(pod, ctx.gates);
  const facts: PodFacts = { pod, qos };
  const path = admissionPath(ctx, pod);
  const tally = new CounterTally(node.counters);
  const explain: ExplainStep[] = [];
  const notes: string[] = [];
  const policy = ctx.cpuPolicy;
  const memoryPolicy = ctx.memoryPolicy;
  const singleNuma = ctx.tmPolicy === 'single-numa-node';
  tally.tmAdmissionRequest();

  const merge = (scope: string, cpuHints: ProviderHints, memoryHints: ProviderHints) => {
    const r = mergeForPolicy(ctx.tmPolicy, ctx.numaInfo, ctx.tmOptions, [cpuHints, memoryHints]);
    explain.push({
      scope,
      providers: { cpu: cpuHints, memory: memoryHints },
      merged: r.hint,
      admitted: r.admit,
    });
    return r;
  };
  const reject = (reason: string, message: string) => ({
    admission: {
      pod,
      qos,
      path,
      admitted: false,
      reason,
      message,
      podHint: null,
      placements: [],
      explain,
      notes,
    },
    next: { ...node, counters: tally.done() },
  });
  /** A provider's Allocate failed: the TM admit handler counts an error and rejects the pod. */
  const allocationFailed = (error: CpuAllocationError | MemoryAllocationError) => {
    tally.tmAdmissionError();
    const f = failure(error);
    return reject(f.reason, f.message);
  };
  const accept = (
    cpu: CpuState,
    memory: MemoryState | null,
    podHint: TopologyHint | null,
    hints: ReadonlyMap<string, TopologyHint>,
  ) => ({
    admission: {
      pod,
      qos,
      path,
      admitted: true,
      reason: null,
      message: null,
      podHint,
      placements: placementsOf(ctx, cpu, memory, facts, path, hints),
      explain,
      notes,
    },
    next: { ctx, cpu, memory, counters: tally.done() },
  });

  let cpu = node.cpu;
  let memory = node.memory;
  const hints = new Map<string, TopologyHint>();
  const ordered = containersInOrder(pod);

  if (path === 'none' || path === 'container') {
    let reusable = CpuSet.empty;
    let reusableMemory = NO_REUSABLE_MEMORY;
    for (const c of ordered) {
      let hint = NO_PREFERENCE;
      if (path === 'container') {
        const cpuHints =
          policy === null ? null : cpuProvider(containerCpuHints(policy, cpu, facts, c, reusable));
        const memoryHints =
          memoryPolicy === null || memory === null
            ? null
            : containerMemoryHints(memoryPolicy, memory, facts, c, reusableMemory);
        const merged = merge(c.name, cpuHints, memoryHints);
        if (!merged.admit) {
          if (singleNuma) tally.alignedFailure('container', 'numa_node');
          tally.tmAdmissionError();
          return reject(TOPOLOGY_AFFINITY_ERROR, TOPOLOGY_AFFINITY_MESSAGE);
        }
        hint = merged.hint;
      }
      hints.set(c.name, hint);
      // Providers' Allocate in registration order: (devices,) CPU, memory.
      if (policy !== null) {
        const r = allocateContainer(policy, cpu, tally, facts, c, hint, reusable);
        if (!r.ok) return allocationFailed(r.error);
        cpu = r.state;
        reusable = r.reusable;
      }
      if (memoryPolicy !== null && memory !== null) {
        const r = allocateContainerMemory(memoryPolicy, memory, tally, facts, c, hint, reusableMemory);
        if (!r.ok) return allocationFailed(r.error);
        if (typeof r.why === 'string') notes.push(`${c.name} memory: ${r.why}`);
        memory = r.state;
        reusableMemory = r.reusable;
      }
      if (path === 'container' && singleNuma) tally.aligned('container', 'numa_node');
    }
    return accept(cpu, memory, null, hints);
  }

  // Pod scope: one hint for the whole pod.
  const podHints = policy === null ? null : cpuProvider(podCpuHints(policy, cpu, facts, CpuSet.empty));
  const podMemHints =
    memoryPolicy === null || memory === null ? null : podMemoryHints(memoryPolicy, memory, facts);
  const merged = merge('pod', podHints, podMemHints);
  if (!merged.admit) {
    if (singleNuma) tally.alignedFailure('pod', 'numa_node');
    tally.tmAdmissionError();
    return reject(
      TOPOLOGY_AFFINITY_ERROR,
      path === 'pod-level' ? POD_LEVEL_TOPOLOGY_AFFINITY_MESSAGE : TOPOLOGY_AFFINITY_MESSAGE,
    );
  }
  for (const c of ordered) hints.set(c.name, merged.hint);
  if (path === 'pod-level') {
    if (policy !== null) {
      const r = allocatePod(policy, cpu, tally, facts, merged.hint);
      if (!r.ok) return allocationFailed(r.error);
      cpu = r.state;
    }
    if (memoryPolicy !== null && memory !== null) {
      const r = allocatePodMemory(memoryPolicy, memory, tally, facts, merged.hint);
      if (!r.ok) return allocationFailed(r.error);
      if (typeof r.why === 'string') notes.push(`pod memory: ${r.why}`);
      memory = r.state;
    }
  } else {
    let reusable = CpuSet.empty;
    let reusableMemory = NO_REUSABLE_MEMORY;
    for (const c of ordered) {
      if (policy !== null) {
        const r = allocateContainer(policy, cpu, tally, facts, c, merged.hint, reusable);
        if (!r.ok) return allocationFailed(r.error);
        cpu = r.state;
        reusable = r.reusable;
      }
      if (memoryPolicy !== null && memory !== null) {
        const r = allocateContainerMemory(memoryPolicy, memory, tally, facts, c, merged.hint, reusableMemory);
        if (!r.ok) return allocationFailed(r.error);
        if (typeof r.why === 'string') notes.push(`${c.name} memory: ${r.why}`);
        memory = r.state;
        reusableMemory = r.reusable;
      }
    }
  }
  if (singleNuma) tally.aligned('pod', 'numa_node');
  return accept(cpu, memory, merged.hint, hints);
}

function placementsOf(
  ctx: NodeContext,
  cpu: CpuState,
  memory: MemoryState | null,
  f: PodFacts,
  path: AdmissionPath,
  hints: ReadonlyMap<string, TopologyHint>,
): ContainerPlacement[] {
  const hasPool = cpu.podEntries.get(f.pod.uid) !== undefined;
  const hasMemoryPool = memory?.podEntries.get(f.pod.uid) !== undefined;
  return containersInOrder(f.pod).map((c) => {
    const k = exclusiveCpus(f.pod, c, f.qos, ctx.gates);
    const entry = cpuEntry(cpu, f.pod.uid, c.name);
    let assignment: CpuAssignment = 'node_shared';
    if (path === 'pod-level' && hasPool) assignment = k > 0 ? 'pod_exclusive' : 'pod_shared';
    else if (entry !== undefined) assignment = 'node_exclusive';
    // An empty memory entry (quirk Q1) pins nothing: the container is on all NUMA nodes.
    const blocks = memory === null ? undefined : memoryBlocksOf(memory, f.pod.uid, c.name);
    const exclusiveMemory = containerMemoryRequests(f, c, ctx.gates).size > 0;
    let memoryAssignment: CpuAssignment = 'node_shared';
    if (path === 'pod-level' && hasMemoryPool)
      memoryAssignment = exclusiveMemory ? 'pod_exclusive' : 'pod_shared';
    else if (blocks !== undefined && blocks.length > 0) memoryAssignment = 'node_exclusive';
    return {
      container: c,
      cpu: assignment,
      memory: memoryAssignment,
      exclusiveCpus: k,
      hint: hints.get(c.name) ?? null,
    };
  });
}

/** NUMA nodes of a hint mask, or null for "no preference". */
export function hintNodes(hint: TopologyHint | null): number[] | null {
  return hint === null || hint.mask === null ? null : maskNodes(hint.mask);
}
