// The NodeObservation document printed by `collect` (cli.md §8.6).

import type { CpuSetText } from './common.js';

export interface ObservedTopologyCpu {
  readonly id: number;
  /** lowest CPU id among the thread siblings */
  readonly core: number;
  readonly socket: number;
  readonly numa: number;
  /** L3 cache/index3/id, omitted when absent */
  readonly uncoreCache?: number;
}

export interface ObservedTopologyMemory {
  readonly numa: number;
  /** MemTotal bytes */
  readonly memory: number;
  /** "hugepages-2Mi": total bytes of that page size */
  readonly [hugepages: string]: number;
}

export interface ObservedTopology {
  readonly cpus: readonly ObservedTopologyCpu[];
  readonly memory: readonly ObservedTopologyMemory[];
  readonly distances?: readonly (readonly number[])[];
}

export interface ObservedCheckpointFile {
  readonly path: string;
  /** the file text unchanged */
  readonly content: string;
}

export interface ObservedCgroup {
  /** with dashes */
  readonly podUid: string;
  /** bare 64-hex id; "" = the pod cgroup */
  readonly containerId: string;
  readonly path: string;
  readonly cpusetCpus: CpuSetText | null;
  readonly cpusetMems: CpuSetText | null;
  /** "max 100000", "800000 100000" */
  readonly cpuMax: string | null;
  readonly cpuStat: {
    readonly nrPeriods: number;
    readonly nrThrottled: number;
    readonly throttledUsec: number;
  } | null;
}

export type ObservationErrorSource = 'podresources' | 'checkpoint' | 'topology' | 'cgroup';

export interface ObservationError {
  readonly source: ObservationErrorSource;
  readonly path: string | null;
  readonly message: string;
}

export interface NodeObservation {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'NodeObservation';
  readonly node: string;
  readonly collectedAt: string;
  readonly collectorVersion: string;
  readonly kubeletVersion: string | null;
  readonly hostRoot: string;
  readonly kubeletRootDir: string;
  readonly cgroupVersion: 1 | 2 | null;
  readonly topology: ObservedTopology | null;
  readonly podResources: {
    readonly socket: string;
    /** ListPodResourcesResponse as Go's JSON renders the kubelet's v1 types */
    readonly list: object | null;
    /** AllocatableResourcesResponse, same encoding */
    readonly allocatable: object | null;
  };
  readonly checkpoints: {
    readonly cpuManager: ObservedCheckpointFile | null;
    readonly memoryManager: ObservedCheckpointFile | null;
  };
  readonly cgroups: readonly ObservedCgroup[];
  readonly errors: readonly ObservationError[];
}
