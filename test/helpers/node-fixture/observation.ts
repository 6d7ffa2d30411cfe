// The NodeObservation (cli.md §8.6) a collector would print on a fixture node: the explicit
// topology, PodResources `List`/`GetAllocatableResources` in Go JSON form (the model's reported
// view of the current state), the checkpoint files the kubelet would have written for that state,
// and every pod, sandbox and container cgroup (cgroup v2).

import { checkpointFilesFromState } from '../../../src/model/checkpoint/write-state.js';
import {
  cpuCheckpointFromState,
  memoryCheckpointFromState,
} from '../../../src/model/checkpoint/write-state.js';
import { formatCpuCheckpointJson } from '../../../src/model/checkpoint/cpu-checkpoint.js';
import { formatMemoryCheckpointJson } from '../../../src/model/checkpoint/memory-checkpoint.js';
import type { CpuState } from '../../../src/model/cpu/state.js';
import { CpuSet } from '../../../src/model/cpuset.js';
import type { MemoryState } from '../../../src/model/memory/state.js';
import { PersistentMap } from '../../../src/model/persistent-map.js';
import { allocatableResources, reportedPodResources } from '../../../src/model/pod-resources-view.js';
import type { PodResourcesEntry } from '../../../src/model/pod-resources.js';
import {
  allocatableResponseToGoJson,
  listResponseToGoJson,
  toAllocatableResponseMsg,
  toListResponseMsg,
} from '../../../src/parse/podresources-proto.js';
import type { NodeObservation, ObservedCgroup, ObservedTopology } from '../../../src/schema/observation.js';
import { countersAt, podCgroups } from './cgroups.js';
import type { World } from './world.js';
import { iso } from './world.js';

export const KUBELET_ROOT = '/var/lib/kubelet';
export const CPU_CHECKPOINT_PATH = `${KUBELET_ROOT}/cpu_manager_state`;
export const MEMORY_CHECKPOINT_PATH = `${KUBELET_ROOT}/memory_manager_state`;
export const PODRESOURCES_SOCKET = `${KUBELET_ROOT}/pod-resources/kubelet.sock`;

/** The machine in scenario-format `node.topology` explicit form (also what --topology takes). */
export function explicitTopology(w: World): ObservedTopology {
  const t = w.topology;
  return {
    cpus: t.cpus.map((c) => ({
      id: c.id,
      core: c.core,
      socket: c.socket,
      numa: c.numa,
      uncoreCache: c.uncore,
    })),
    memory: t.memory.map((m) => ({
      numa: m.numa,
      memory: Number(m.memory),
      ...Object.fromEntries(Object.entries(m.hugepages).map(([k, v]) => [k, Number(v)])),
    })),
    ...(t.distances === null ? {} : { distances: t.distances.map((row) => [...row]) }),
  };
}

/** The PodResources `List` entries of the running pods (and of unknown pods planted by a knob). */
export function podResourcesEntries(w: World): PodResourcesEntry[] {
  const out: PodResourcesEntry[] = [];
  for (const p of w.pods) {
    if (!p.admitted) continue;
    const uid = p.pod.uid;
    const memEntries = w.memory?.entries.get(uid);
    const podBlocks = w.memory?.podEntries.get(uid);
    out.push(
      reportedPodResources(
        w.podResourcesVersion,
        p.pod,
        w.cpu.entries.get(uid),
        w.cpu.podEntries.get(uid),
        p.exclusiveByName,
        {
          ...(memEntries === undefined ? {} : { entries: memEntries }),
          ...(podBlocks === undefined ? {} : { podBlocks }),
        },
      ),
    );
  }
  return [...out, ...w.extraPodResources];
}

function cpuStateOf(w: World): CpuState {
  // policy none: the kubelet never fills the default set
  const none = w.config.cpuManagerPolicy === 'none';
  return {
    defaultCpuSet: none ? CpuSet.empty : w.cpu.defaultCpuSet,
    entries: PersistentMap.from(
      [...w.cpu.entries].filter(([, m]) => m.size > 0).map(([uid, m]) => [uid, new Map(m)]),
    ),
    podEntries: PersistentMap.from(w.cpu.podEntries),
  };
}

function memoryStateOf(w: World): MemoryState {
  const m = w.memory;
  if (m === null)
    return { machineState: new Map(), entries: PersistentMap.empty(), podEntries: PersistentMap.empty() };
  return {
    machineState: new Map(m.machineState),
    entries: PersistentMap.from([...m.entries].map(([uid, c]) => [uid, new Map(c)])),
    podEntries: PersistentMap.from(m.podEntries),
  };
}

/** Changes the checksum of a checkpoint file (the legacy one, or `dataChecksum` when present). */
function breakChecksum(text: string): string {
  const field = text.includes('"dataChecksum":') ? 'dataChecksum' : 'checksum';
  return text.replace(
    new RegExp(`"${field}":(\\d+)`),
    (_m, n: string) => `"${field}":${(Number(n) + 1) % 2 ** 32}`,
  );
}

/**
 * The contents of cpu_manager_state and memory_manager_state for the world's state, in the versions
 * the kubelet writes (write-state.ts) unless a knob chose others.
 */
export function checkpointFiles(w: World): { cpu: string; memory: string } {
  const cpu = cpuStateOf(w);
  const memory = memoryStateOf(w);
  const memoryPolicyName = w.memory?.policyName ?? w.config.memoryManagerPolicy;
  const plrm = w.result.node.ctx.gates.plrm;
  const unwritable =
    !plrm &&
    ((w.cpu.podEntries.size > 0 && w.checkpoints.cpuVersion === null) ||
      ((w.memory?.podEntries.size ?? 0) > 0 && w.checkpoints.memoryVersion === null));
  if (unwritable) {
    throw new RangeError(
      'node fixture: a kubelet with PodLevelResourceManagers off writes no pod entries; choose a format with checkpointFormat()',
    );
  }
  const files = checkpointFilesFromState(cpu, memory, {
    kubeletVersion: w.modelVersion,
    plrmEnabled: plrm,
    cpuPolicyName: w.cpu.policyName,
    memoryPolicyName,
  });
  let cpuText = files.cpu_manager_state;
  if (w.checkpoints.cpuVersion !== null) {
    const version = w.checkpoints.cpuVersion;
    cpuText = formatCpuCheckpointJson(cpuCheckpointFromState(cpu, w.cpu.policyName, version), version);
  }
  let memoryText = files.memory_manager_state ?? '';
  if (w.checkpoints.memoryVersion !== null) {
    const version = w.checkpoints.memoryVersion;
    memoryText = formatMemoryCheckpointJson(
      memoryCheckpointFromState(memory, memoryPolicyName, version),
      version,
    );
  }
  if (w.checkpoints.breakChecksum.cpu) cpuText = breakChecksum(cpuText);
  if (w.checkpoints.breakChecksum.memory) memoryText = breakChecksum(memoryText);
  return { cpu: cpuText, memory: memoryText };
}

/** Every pod, sandbox and container cgroup with its files as read at `now`. */
export function observedCgroups(w: World): ObservedCgroup[] {
  const periodUs = w.config.cpuCFSQuotaPeriodUs;
  return podCgroups(w).map((v) => {
    const c = countersAt(v.usage, v.quotaMillicores, periodUs, v.pod.startTime, w.now);
    return {
      podUid: v.pod.pod.uid,
      containerId: v.containerId,
      path: `/sys/fs/cgroup${v.path}`,
      cpusetCpus: v.cpus.toString(),
      cpusetMems: CpuSet.from(v.mems).toString(),
      cpuMax: `${v.quotaMillicores === null ? 'max' : String((v.quotaMillicores * periodUs) / 1000)} ${periodUs}`,
      cpuStat: {
        nrPeriods: c.periods,
        nrThrottled: c.throttledPeriods,
        throttledUsec: Math.round(c.throttledSeconds * 1e6),
      },
    };
  });
}

/** The NodeObservation a collector prints; parts dropped by a knob are null with an `errors` entry. */
export function nodeObservation(w: World): NodeObservation {
  const dropped = (part: (typeof w.observationErrors)[number]['part']) =>
    w.observationErrors.some((e) => e.part === part);
  const files = checkpointFiles(w);
  const allocatable = allocatableResources(
    w.topology,
    w.result.node.ctx.cpuPolicy,
    w.memory?.machineState ?? null,
  );
  const podResourcesDown = dropped('podresources');
  return {
    apiVersion: 'podres/v1alpha1',
    kind: 'NodeObservation',
    node: w.nodeName,
    collectedAt: iso(w.now),
    collectorVersion: '0.1.0',
    kubeletVersion: w.kubeletVersion,
    hostRoot: '/host',
    kubeletRootDir: KUBELET_ROOT,
    cgroupVersion: 2,
    topology: dropped('topology') ? null : explicitTopology(w),
    podResources: {
      socket: PODRESOURCES_SOCKET,
      list: podResourcesDown
        ? null
        : listResponseToGoJson(toListResponseMsg({ pods: podResourcesEntries(w) })),
      allocatable: podResourcesDown
        ? null
        : allocatableResponseToGoJson(toAllocatableResponseMsg(allocatable)),
    },
    checkpoints: {
      cpuManager: dropped('cpuCheckpoint') ? null : { path: CPU_CHECKPOINT_PATH, content: files.cpu },
      memoryManager: dropped('memoryCheckpoint')
        ? null
        : { path: MEMORY_CHECKPOINT_PATH, content: files.memory },
    },
    cgroups: dropped('cgroup') ? [] : observedCgroups(w),
    errors: w.observationErrors.map((e) => ({ source: e.source, path: e.path, message: e.message })),
  };
}
