// Builds the `simulate` output document (schema.ts, scenario-format.md "Output") from a model
// simulation result. Shared containers are reported on the pools as they are after the last
// admission, as the kubelet's reconcile loop would have rewritten them.

import type { ExplainStep, PodAdmission } from '../model/admit.js';
import type { MemoryBlock } from '../model/memory/state.js';
import { hintNodes } from '../model/admit.js';
import { containerCfsQuota, isolationLevel, podCgroupCfsQuota } from '../model/cfs.js';
import type { IsolationLevel } from '../model/cfs.js';
import { CpuSet, formatCpuList } from '../model/cpuset.js';
import { maskNodes } from '../model/bitmask.js';
import { formatBytes, formatMilliCpu } from '../model/quantity.js';
import type { Counters } from '../model/metrics.js';
import { allocatableResources, reportedPodResources } from '../model/pod-resources-view.js';
import type { AllocatableResources } from '../model/pod-resources.js';
import { containerMemoryLimit, podCgroupMemoryLimit } from '../model/memory-limit.js';
import type { SimulationResult } from '../model/simulate.js';
import type { Topology } from '../model/topology.js';
import type { ProviderHints, TopologyHint } from '../model/topology-manager/hint.js';
import type {
  ContainerOut,
  ExplainOut,
  HintOut,
  LabelledCounter,
  MemoryBlockOut,
  ReportedResourcesOut,
  MetricsOut,
  PodOut,
  SimulationOut,
} from './schema.js';

export interface SimulationOutOptions {
  readonly explain: boolean;
  readonly warnings: readonly string[];
}

function numaOf(topo: Topology, cpus: CpuSet): number[] {
  return [...new Set(cpus.toArray().map((c) => topo.info(c).numa))].sort((a, b) => a - b);
}

function hintOut(h: TopologyHint): HintOut {
  return { numaAffinity: h.mask === null ? null : maskNodes(h.mask), preferred: h.preferred };
}

/** A provider's hint map: null = no preference; per resource null = nil list, [] = cannot satisfy. */
function providerOut(hints: ProviderHints): Readonly<Record<string, readonly HintOut[] | null>> | null {
  if (hints === null) return null;
  return Object.fromEntries(
    [...hints].map(([resource, list]) => [resource, list === null ? null : list.map(hintOut)]),
  );
}

function explainOut(steps: readonly ExplainStep[], notes: string[]): ExplainOut {
  return {
    steps: steps.map((s) => ({
      scope: s.scope,
      providers: {
        cpu: providerOut(s.providers.cpu),
        memory: providerOut(s.providers.memory),
      },
      merged: hintOut(s.merged),
      admitted: s.admitted,
    })),
    notes,
  };
}

function podMemoryLimitOut(bytes: bigint | null): 'unlimited' | number {
  return bytes === null ? 'unlimited' : Number(bytes);
}

function allocatableOut(a: AllocatableResources): ReportedResourcesOut {
  return {
    cpuIds: a.cpuIds,
    memory: a.memory.map((m) => ({ type: m.type, numa: m.numa, size: Number(m.size) })),
  };
}

function blockOut(b: MemoryBlock): MemoryBlockOut {
  return { type: b.type, numa: [...b.numaAffinity], size: Number(b.size) };
}

/** The pod shared pool's memory: pod blocks minus the long-running containers' exclusive blocks. */
function podSharedMemory(
  podBlocks: readonly MemoryBlock[],
  a: PodAdmission,
  entries: ReadonlyMap<string, readonly MemoryBlock[]> | undefined,
): MemoryBlock[] {
  return podBlocks
    .map((pb) => {
      let size = pb.size;
      for (const p of a.placements) {
        if (p.memory !== 'pod_exclusive' || p.container.type === 'init') continue;
        for (const b of entries?.get(p.container.name) ?? []) if (b.type === pb.type) size -= b.size;
      }
      return { ...pb, size };
    })
    .filter((b) => b.size > 0n);
}

function podOut(result: SimulationResult, a: PodAdmission, explain: boolean): PodOut {
  const { node } = result;
  const { ctx, cpu } = node;
  const topo = ctx.topology;
  const uid = a.pod.uid;
  const entries = cpu.entries.get(uid);
  const pool = a.admitted ? cpu.podEntries.get(uid) : undefined;
  const memory = node.memory;
  const memoryEntries = memory?.entries.get(uid);
  const podBlocks = a.admitted ? memory?.podEntries.get(uid) : undefined;
  const base = {
    namespace: a.pod.namespace,
    name: a.pod.name,
    uid,
    admitted: a.admitted,
    reason: a.reason,
    message: a.message,
    qosClass: a.qos,
    path: a.path,
    numaAffinity: hintNodes(a.podHint),
  };
  const notes: string[] = [...a.notes];
  const podRes = a.pod.podResources;
  if (podRes !== null && a.qos !== 'Guaranteed') {
    const show = (r: typeof podRes.requests) =>
      `cpu ${r.cpu === undefined ? '-' : formatMilliCpu(r.cpu)}, memory ${r.memory === undefined ? '-' : formatBytes(r.memory)}`;
    notes.push(
      `pod-level requests (${show(podRes.requests)}) differ from limits (${show(podRes.limits)}): the pod is ${a.qos}, so nothing is exclusive; when containers set requests, the API server defaults missing pod-level requests to their sum, not to the pod limits`,
    );
  }
  if (a.path === 'pod-level' && pool === undefined && a.admitted && a.qos === 'Guaranteed') {
    notes.push(
      'no CPU pod pool: the pod-level CPU request is not a whole number of CPUs, or the CPU policy is none',
    );
  }
  const levels: IsolationLevel[] = [];
  const containers: ContainerOut[] = a.placements.map((p) => {
    const entry = entries?.get(p.container.name);
    const level = isolationLevel(a.pod, p.container, entry, ctx.gates);
    levels.push(level);
    const cpus = entry ?? cpu.defaultCpuSet;
    const quota = containerCfsQuota(a.pod, p.container, level, ctx.config, ctx.gates);
    const memLimit = containerMemoryLimit(a.pod, p.container, ctx.gates);
    const blocks = memoryEntries?.get(p.container.name) ?? [];
    if (memoryEntries?.has(p.container.name) === true && blocks.length === 0 && a.path !== 'pod-level') {
      notes.push(
        `${p.container.name}: the memory manager recorded an empty memory entry (quirk Q1): no memory pinning, counted as node_exclusive in resource_manager_container_assignments`,
      );
    }
    const numaNodes = [...new Set([...numaOf(topo, cpus), ...blocks.flatMap((b) => b.numaAffinity)])].sort(
      (x, y) => x - y,
    );
    return {
      name: p.container.name,
      type: p.container.type,
      assignment: { cpu: p.cpu, memory: p.memory },
      isolation: level,
      cpus: formatCpuList(cpus),
      numaNodes,
      memory: blocks.map(blockOut),
      cfsQuota: quota.source,
      cfsQuotaMillicores: quota.millicores,
      memoryLimit: memLimit.source,
      memoryLimitBytes: memLimit.bytes === null ? null : Number(memLimit.bytes),
    };
  });
  const exclusiveByName = new Map(a.placements.map((p) => [p.container.name, p.exclusiveCpus]));
  const reported = reportedPodResources(ctx.config.kubeletVersion, a.pod, entries, pool, exclusiveByName, {
    ...(memoryEntries === undefined ? {} : { entries: memoryEntries }),
    ...(podBlocks === undefined ? {} : { podBlocks }),
  });
  let sharedPool: CpuSet | undefined;
  if (pool !== undefined) {
    sharedPool = pool;
    for (const p of a.placements) {
      if (p.exclusiveCpus > 0 && p.container.type !== 'init') {
        sharedPool = sharedPool.difference(entries?.get(p.container.name) ?? CpuSet.empty);
      }
    }
  }
  const sharedMemory = podBlocks === undefined ? undefined : podSharedMemory(podBlocks, a, memoryEntries);
  return {
    ...base,
    ...(a.path === 'pod-level' && a.admitted
      ? {
          podPool: {
            ...(pool === undefined ? {} : { cpus: formatCpuList(pool) }),
            ...(podBlocks === undefined ? {} : { memory: podBlocks.map(blockOut) }),
          },
          podSharedPool: {
            ...(sharedPool === undefined ? {} : { cpus: formatCpuList(sharedPool) }),
            ...(sharedMemory === undefined ? {} : { memory: sharedMemory.map(blockOut) }),
          },
        }
      : {}),
    podCgroupCfsQuota: a.admitted ? podCgroupCfsQuota(a.pod, levels, ctx.config, ctx.gates) : 'unlimited',
    podCgroupMemoryLimit: podMemoryLimitOut(podCgroupMemoryLimit(a.pod, ctx.gates)),
    containers,
    // A rejected pod is not active: PodResources does not list it at all.
    reported: a.admitted
      ? {
          cpuIds: reported.cpuIds,
          memory: reported.memory.map((m) => ({ type: m.type, numa: m.numa, size: Number(m.size) })),
          containers: Object.fromEntries(
            reported.containers.map((r) => [
              r.name,
              {
                cpuIds: r.cpuIds,
                memory: r.memory.map((m) => ({ type: m.type, numa: m.numa, size: Number(m.size) })),
              },
            ]),
          ),
        }
      : { cpuIds: [], memory: [], containers: {} },
    ...(explain ? { explain: explainOut(a.explain, notes) } : {}),
  };
}

function labelled(
  rec: Readonly<Record<string, number>>,
  outer: readonly string[],
  inner: readonly string[],
): LabelledCounter {
  return Object.fromEntries(
    outer.map((o) => [o, Object.fromEntries(inner.map((i) => [i, rec[`${o}/${i}`] ?? 0]))]),
  );
}

/** `updateAllocationPerNUMAMetric`: CPUs of every container entry, per NUMA node. */
function allocationPerNuma(result: SimulationResult): Record<string, number> {
  const { node } = result;
  if (node.ctx.cpuPolicy === null) return {};
  let assigned = CpuSet.empty;
  for (const containers of node.cpu.entries.values())
    for (const cpus of containers.values()) assigned = assigned.union(cpus);
  const out: Record<string, number> = {};
  for (const cpu of assigned) {
    const numa = String(node.ctx.topology.info(cpu).numa);
    out[numa] = (out[numa] ?? 0) + 1;
  }
  return out;
}

function rejectionsByReason(result: SimulationResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of result.admissions) if (a.reason !== null) out[a.reason] = (out[a.reason] ?? 0) + 1;
  return out;
}

function metricsOut(result: SimulationResult, sharedPoolCpus: number, allocatable: number): MetricsOut {
  const c: Counters = result.node.counters;
  const resources = ['cpu', 'memory'];
  const sources = ['pod', 'node'];
  const assignments = ['node_exclusive', 'pod_exclusive', 'pod_shared'];
  const scopes = ['container', 'pod'];
  const boundaries = ['physical_cpu', 'uncore_cache', 'numa_node'];
  return {
    resource_manager_allocations_total: labelled(c.allocations, resources, sources),
    resource_manager_allocation_errors_total: labelled(c.allocationErrors, resources, sources),
    resource_manager_container_assignments: labelled(c.assignments, resources, assignments),
    kubelet_cpu_manager_pinning_requests_total: c.cpuPinningRequests,
    kubelet_cpu_manager_pinning_errors_total: c.cpuPinningErrors,
    kubelet_memory_manager_pinning_requests_total: c.memoryPinningRequests,
    kubelet_memory_manager_pinning_errors_total: c.memoryPinningErrors,
    kubelet_cpu_manager_shared_pool_size_millicores: sharedPoolCpus * 1000,
    kubelet_cpu_manager_exclusive_cpu_allocation_count: allocatable - sharedPoolCpus,
    kubelet_topology_manager_admission_requests_total: c.tmAdmissionRequests,
    kubelet_topology_manager_admission_errors_total: c.tmAdmissionErrors,
    kubelet_container_aligned_compute_resources_count: labelled(c.aligned, scopes, boundaries),
    kubelet_container_aligned_compute_resources_failure_count: labelled(
      c.alignedFailures,
      scopes,
      boundaries,
    ),
    kubelet_cpu_manager_allocation_per_numa: allocationPerNuma(result),
    kubelet_admission_rejections_total: rejectionsByReason(result),
  };
}

export function toSimulationOut(result: SimulationResult, opts: SimulationOutOptions): SimulationOut {
  const { node, input } = result;
  const policy = node.ctx.cpuPolicy;
  const reserved = policy?.reserved ?? CpuSet.empty;
  const shared = node.cpu.defaultCpuSet.difference(reserved).size;
  const allocatable = node.ctx.topology.all.difference(reserved).size;
  return {
    scenario: input.name,
    node: input.node.name,
    kubeletVersion: node.ctx.config.kubeletVersion,
    pods: result.admissions.map((a) => podOut(result, a, opts.explain)),
    reservedCpus: formatCpuList(reserved),
    nodeSharedPool: { cpus: formatCpuList(node.cpu.defaultCpuSet) },
    allocatable: allocatableOut(
      allocatableResources(node.ctx.topology, policy, node.memory?.machineState ?? null),
    ),
    metrics: metricsOut(result, policy === null ? 0 : shared, policy === null ? 0 : allocatable),
    warnings: [...input.warnings, ...opts.warnings],
  };
}
