// Normalised pods as the resource managers see them (allocator-model.md §2): containers typed
// app/init/sidecar, resources exact (milli-CPU numbers, bytes as bigint). Translating v1 Pods
// (scenario files, the API server) into this shape happens at the edges.

export type ContainerType = 'app' | 'init' | 'sidecar';
export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** Requests or limits of one resource block. Absent key = not set. */
export interface ResourceAmounts {
  /** milli-CPUs */
  readonly cpu?: number | undefined;
  /** bytes */
  readonly memory?: bigint | undefined;
  /** hugepages-<size> → bytes */
  readonly hugepages: Readonly<Record<string, bigint>>;
}

export interface Resources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

export interface Container {
  readonly name: string;
  readonly type: ContainerType;
  readonly resources: Resources;
}

export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** `status.qosClass` when the source has it; otherwise computed (§2.1). */
  readonly statusQosClass: QosClass | null;
  /** `spec.resources` (pod-level resources), null when absent. */
  readonly podResources: Resources | null;
  /** `spec.initContainers` in order: standard init containers and sidecars (restartPolicy Always). */
  readonly initContainers: readonly Container[];
  readonly containers: readonly Container[];
}

export const NO_AMOUNTS: ResourceAmounts = { hugepages: {} };
export const NO_RESOURCES: Resources = { requests: NO_AMOUNTS, limits: NO_AMOUNTS };
