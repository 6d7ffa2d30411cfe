// What one simulation needs: a node (topology, kubelet configuration, starting state) and the
// pods to admit in order. Built by scenario/ from a scenario file, later by sources/ from a node.

import type { CpuSet } from './cpuset.js';
import type { KubeletConfig } from './kubelet-config.js';
import type { MachineState, MemoryBlock } from './memory/state.js';
import type { Pod } from './pod.js';
import type { Topology } from './topology.js';

/** source = the kubelet code's behaviour (default); documented = what the docs say (§12). */
export type Fidelity = 'source' | 'documented';

/** The CPU manager state a node starts from (checkpoint content, any version). */
export interface CpuStateInput {
  readonly defaultCpuSet: CpuSet;
  /** podUID → container name → cpuset */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, CpuSet>>;
  /** podUID → pod pool */
  readonly podEntries: ReadonlyMap<string, CpuSet>;
}

/** The memory manager state a node starts from (checkpoint content, any version). */
export interface MemoryStateInput {
  readonly machineState: MachineState;
  /** podUID → container name → blocks (an empty list is an entry without blocks) */
  readonly entries: ReadonlyMap<string, ReadonlyMap<string, readonly MemoryBlock[]>>;
  /** podUID → pod blocks */
  readonly podEntries: ReadonlyMap<string, readonly MemoryBlock[]>;
}

export interface NodeInput {
  readonly name: string;
  readonly topology: Topology;
  readonly config: KubeletConfig;
  readonly cpuState: CpuStateInput | null;
  readonly memoryState: MemoryStateInput | null;
}

export interface SimulationInput {
  readonly name: string | null;
  readonly fidelity: Fidelity;
  readonly node: NodeInput;
  readonly pods: readonly Pod[];
  /** Non-fatal findings made while reading the input (checksum mismatches, …). */
  readonly warnings: readonly string[];
}
