// Memory manager state (pkg/kubelet/cm/memorymanager/state/state.go): per-NUMA machine state,
// container memory blocks and, for pod-level pods, pod blocks. Immutable like the CPU state.

import { PersistentMap } from '../persistent-map.js';

/** Bytes of one resource type (memory, hugepages-<size>) on one NUMA node. */
export interface MemoryTable {
  readonly total: bigint;
  readonly systemReserved: bigint;
  readonly allocatable: bigint;
  readonly reserved: bigint;
  readonly free: bigint;
}

export interface NumaNodeState {
  readonly numberOfAssignments: number;
  /** resource type → table */
  readonly memoryMap: ReadonlyMap<string, MemoryTable>;
  /** the NUMA nodes of the group this node belongs to ([node] when alone) */
  readonly cells: readonly number[];
}

/** NUMA node id → state */
export type MachineState = ReadonlyMap<number, NumaNodeState>;

/** One allocation as the kubelet records it: a block spanning several nodes is not split. */
export interface MemoryBlock {
  readonly numaAffinity: readonly number[];
  readonly type: string;
  readonly size: bigint;
}

export interface MemoryState {
  readonly machineState: MachineState;
  /**
   * podUID → container → blocks. An empty list is an entry without blocks (the kubelet writes
   * `[]` for it: quirk Q1), which is not the same as no entry.
   */
  readonly entries: PersistentMap<string, ReadonlyMap<string, readonly MemoryBlock[]>>;
  /** podUID → the pod's blocks (pod-level pods, PLRM) */
  readonly podEntries: PersistentMap<string, readonly MemoryBlock[]>;
}

export function emptyMemoryState(machineState: MachineState): MemoryState {
  return { machineState, entries: PersistentMap.empty(), podEntries: PersistentMap.empty() };
}

export function memoryBlocksOf(
  state: MemoryState,
  podUid: string,
  container: string,
): readonly MemoryBlock[] | undefined {
  return state.entries.get(podUid)?.get(container);
}

export function withMemoryBlocks(
  state: MemoryState,
  podUid: string,
  container: string,
  blocks: readonly MemoryBlock[],
): MemoryState {
  const pod = new Map(state.entries.get(podUid) ?? []);
  pod.set(container, blocks);
  return { ...state, entries: state.entries.set(podUid, pod) };
}

export function withoutMemoryBlocks(state: MemoryState, podUid: string, container: string): MemoryState {
  const current = state.entries.get(podUid);
  if (current?.has(container) !== true) return state;
  const pod = new Map(current);
  pod.delete(container);
  return {
    ...state,
    entries: pod.size === 0 ? state.entries.delete(podUid) : state.entries.set(podUid, pod),
  };
}
