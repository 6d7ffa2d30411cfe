// The checkpoints a kubelet would hold for the model's final state (`simulate --write-checkpoints`):
// which versions a kubelet writes, and the checkpoint values built from CpuState / MemoryState.
// Format them with formatCpuCheckpointJson(cp, versions.cpu) and formatMemoryCheckpointJson(cp,
// versions.memory), or with checkpointFilesFromState.
//
// Versions (pkg/kubelet/cm/{cpumanager,memorymanager}/state/state_checkpoint.go, storeState):
//   1.36, PodLevelResourceManagers off  cpu v2 (storeStateV2)   memory v1 (storeStateV1)
//   1.36, PodLevelResourceManagers on   cpu v3 (storeStateV3)   memory v2 (storeStateV2)
//   1.37, either                        cpu v4                  memory v3
// The 1.36 writers pick the version by the gate alone, not by whether pod entries exist: with the
// gate on and no pod-level pods, the CPU file is still v3 and the memory file v2, and their checksums
// cover the (empty) PodEntries field, so a ≤1.35 kubelet rejects them. In 1.37 the gate only decides
// whether pod entries are recorded in `data`.

import type { CpuState } from '../cpu/state.js';
import type { CpuSet } from '../cpuset.js';
import type { MemoryBlock, MemoryState } from '../memory/state.js';
import { formatCpuCheckpointJson, type CpuCheckpoint } from './cpu-checkpoint.js';
import { formatMemoryCheckpointJson, type MemoryCheckpoint } from './memory-checkpoint.js';

export type CheckpointKubeletVersion = '1.36' | '1.37';

export interface CheckpointVersions {
  readonly cpu: 'v2' | 'v3' | 'v4';
  readonly memory: 'v1' | 'v2' | 'v3';
}

/** The checkpoint versions a kubelet of `kubeletVersion` writes (see the table above). */
export function checkpointVersionsFor(
  kubeletVersion: CheckpointKubeletVersion,
  plrmEnabled: boolean,
): CheckpointVersions {
  if (kubeletVersion === '1.37') return { cpu: 'v4', memory: 'v3' };
  return plrmEnabled ? { cpu: 'v3', memory: 'v2' } : { cpu: 'v2', memory: 'v1' };
}

/**
 * The CPU checkpoint of `state`. Pods whose container map is empty are left out, as the kubelet's
 * state drops a pod with its last container. `version` defaults to v3 when there are pod entries,
 * else v2; the file's version is chosen when formatting.
 */
export function cpuCheckpointFromState(
  state: CpuState,
  policyName: string,
  version: 'v2' | 'v3' | 'v4' = state.podEntries.size > 0 ? 'v3' : 'v2',
): CpuCheckpoint {
  const entries = new Map<string, ReadonlyMap<string, CpuSet>>();
  for (const [podUid, containers] of state.entries.entries()) {
    if (containers.size > 0) entries.set(podUid, containers);
  }
  return {
    version,
    policyName,
    defaultCpuSet: state.defaultCpuSet,
    entries,
    podEntries: new Map(state.podEntries.entries()),
  };
}

/**
 * The memory checkpoint of `state`. As for CPU, pods without containers are left out; a container
 * whose block list is empty stays (an entry without blocks, written `[]`). `version` defaults to v2
 * when there are pod entries, else v1.
 */
export function memoryCheckpointFromState(
  state: MemoryState,
  policyName: string,
  version: 'v1' | 'v2' | 'v3' = state.podEntries.size > 0 ? 'v2' : 'v1',
): MemoryCheckpoint {
  const entries = new Map<string, ReadonlyMap<string, readonly MemoryBlock[]>>();
  for (const [podUid, containers] of state.entries.entries()) {
    if (containers.size > 0) entries.set(podUid, containers);
  }
  return {
    version,
    policyName,
    machineState: state.machineState,
    entries,
    podEntries: new Map(state.podEntries.entries()),
  };
}

export interface CheckpointFileOptions {
  readonly kubeletVersion: CheckpointKubeletVersion;
  readonly plrmEnabled: boolean;
  /** The CPU manager policy as the checkpoint names it: `static` or `none`. */
  readonly cpuPolicyName: string;
  /** The memory manager policy as the checkpoint names it: `Static` or `None`. */
  readonly memoryPolicyName: string;
}

/**
 * The contents of `cpu_manager_state` and `memory_manager_state` a kubelet would write for the
 * states (memory omitted when there is no memory state). With the gate off no pod entries are
 * written (a 1.37 kubelet leaves them out of `data`); the model has none then anyway.
 */
export function checkpointFilesFromState(
  cpu: CpuState,
  memory: MemoryState | undefined,
  options: CheckpointFileOptions,
): { readonly cpu_manager_state: string; readonly memory_manager_state?: string } {
  const versions = checkpointVersionsFor(options.kubeletVersion, options.plrmEnabled);
  let cpuCheckpoint = cpuCheckpointFromState(cpu, options.cpuPolicyName, versions.cpu);
  if (!options.plrmEnabled) cpuCheckpoint = { ...cpuCheckpoint, podEntries: new Map() };
  const cpuFile = formatCpuCheckpointJson(cpuCheckpoint, versions.cpu);
  if (memory === undefined) return { cpu_manager_state: cpuFile };
  let memoryCheckpoint = memoryCheckpointFromState(memory, options.memoryPolicyName, versions.memory);
  if (!options.plrmEnabled) memoryCheckpoint = { ...memoryCheckpoint, podEntries: new Map() };
  return {
    cpu_manager_state: cpuFile,
    memory_manager_state: formatMemoryCheckpointJson(memoryCheckpoint, versions.memory),
  };
}
