// The typed output of `simulate -o json|yaml` (scenario-format.md "Output"): the contract users
// script against. Built from model results by src/model/simulate.ts; rendered by render/*.

export type AssignmentType = 'node_exclusive' | 'pod_exclusive' | 'pod_shared' | 'node_shared';
export type AdmissionPath = 'pod-level' | 'pod' | 'container' | 'none';
export type IsolationLevel = 'container' | 'pod' | 'host';
export type CfsQuotaSource = 'none' | 'container' | 'pod' | 'unlimited';

export interface MemoryBlockOut {
  readonly type: string;
  readonly numa: readonly number[];
  /** bytes */
  readonly size: number;
}

export interface PoolOut {
  readonly cpus?: string;
  readonly memory?: readonly MemoryBlockOut[];
}

export interface ContainerOut {
  readonly name: string;
  readonly type: 'app' | 'init' | 'sidecar';
  readonly assignment: { readonly cpu: AssignmentType; readonly memory: AssignmentType };
  readonly isolation: IsolationLevel;
  readonly cpus: string;
  readonly numaNodes: readonly number[];
  readonly memory: readonly MemoryBlockOut[];
  readonly cfsQuota: CfsQuotaSource;
  readonly cfsQuotaMillicores: number | null;
  /** Memory limit of the container cgroup: its own, the pod-level one (fallback), or none. */
  readonly memoryLimit: 'container' | 'pod' | 'unlimited';
  readonly memoryLimitBytes: number | null;
}

export interface ReportedResourcesOut {
  readonly cpuIds: readonly number[];
  readonly memory: readonly MemoryBlockOut[];
}

export interface ReportedOut extends ReportedResourcesOut {
  readonly containers: Readonly<Record<string, ReportedResourcesOut>>;
}

export interface HintOut {
  readonly numaAffinity: readonly number[] | null;
  readonly preferred: boolean;
}

/** `--explain`: what each hint provider offered and what the topology manager chose. */
export interface ExplainOut {
  readonly steps: readonly {
    /** "pod" for pod scope, else the container name */
    readonly scope: string;
    readonly providers: Readonly<Record<string, Readonly<Record<string, readonly HintOut[] | null>> | null>>;
    readonly merged: HintOut;
    readonly admitted: boolean;
  }[];
  readonly notes: readonly string[];
}

export interface PodOut {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly admitted: boolean;
  readonly reason: string | null;
  readonly message: string | null;
  readonly qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort';
  readonly path: AdmissionPath;
  readonly numaAffinity: readonly number[] | null;
  readonly podPool?: PoolOut;
  readonly podSharedPool?: PoolOut;
  readonly podCgroupCfsQuota: 'none' | 'unlimited' | number;
  /** bytes, or 'unlimited' */
  readonly podCgroupMemoryLimit: 'unlimited' | number;
  readonly containers: readonly ContainerOut[];
  readonly reported: ReportedOut;
  readonly explain?: ExplainOut;
}

export type LabelledCounter = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface MetricsOut {
  readonly resource_manager_allocations_total: LabelledCounter;
  readonly resource_manager_allocation_errors_total: LabelledCounter;
  readonly resource_manager_container_assignments: LabelledCounter;
  readonly kubelet_cpu_manager_pinning_requests_total: number;
  readonly kubelet_cpu_manager_pinning_errors_total: number;
  readonly kubelet_memory_manager_pinning_requests_total: number;
  readonly kubelet_memory_manager_pinning_errors_total: number;
  readonly kubelet_cpu_manager_shared_pool_size_millicores: number;
  readonly kubelet_cpu_manager_exclusive_cpu_allocation_count: number;
  readonly kubelet_topology_manager_admission_requests_total: number;
  readonly kubelet_topology_manager_admission_errors_total: number;
  /** scope → boundary → count */
  readonly kubelet_container_aligned_compute_resources_count: LabelledCounter;
  readonly kubelet_container_aligned_compute_resources_failure_count: LabelledCounter;
  /** NUMA node → CPUs in container entries (the kubelet's gauge; its pod-path value can lag) */
  readonly kubelet_cpu_manager_allocation_per_numa: Readonly<Record<string, number>>;
  /** reason → rejected pods (name and labels UNCONFIRMED, allocator-model §12 Q11) */
  readonly kubelet_admission_rejections_total: Readonly<Record<string, number>>;
}

export interface SimulationOut {
  readonly scenario: string | null;
  readonly node: string;
  readonly kubeletVersion: '1.36' | '1.37';
  readonly pods: readonly PodOut[];
  readonly reservedCpus: string;
  readonly nodeSharedPool: { readonly cpus: string };
  readonly metrics: MetricsOut;
  /** Non-fatal notes: checkpoint checksum mismatches, modelled quirks that applied. */
  /** What PodResources GetAllocatableResources would return for the node. */
  readonly allocatable: ReportedResourcesOut;
  readonly warnings: readonly string[];
}
