// The part of KubeletConfiguration (v1beta1) that the resource managers read, normalised:
// defaults applied, quantities exact, feature gates resolved against the kubelet version.
// Mapping raw configuration objects to this type happens at the edges (scenario/, parse/).

import type { CpuSet } from './cpuset.js';
import type { Quantity } from './quantity.js';

export type KubeletVersion = '1.36' | '1.37';
export const KUBELET_VERSIONS: readonly KubeletVersion[] = ['1.36', '1.37'];

export type CpuManagerPolicy = 'none' | 'static';
export type TopologyManagerPolicy = 'none' | 'best-effort' | 'restricted' | 'single-numa-node';
export type TopologyManagerScope = 'container' | 'pod';
export type MemoryManagerPolicy = 'None' | 'Static';

export interface ReservedMemory {
  readonly numaNode: number;
  /** resource name (memory, hugepages-2Mi, …) → bytes */
  readonly limits: Readonly<Record<string, bigint>>;
}

export interface KubeletConfig {
  readonly kubeletVersion: KubeletVersion;
  /** Every gate the model reads, resolved: explicit value, else the version default. */
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly cpuManagerPolicy: CpuManagerPolicy;
  /** option name → raw string value as written ("true"/"false", numbers for TM options). */
  readonly cpuManagerPolicyOptions: Readonly<Record<string, string>>;
  readonly reservedSystemCPUs: CpuSet | null;
  readonly kubeReserved: Readonly<Record<string, Quantity>>;
  readonly systemReserved: Readonly<Record<string, Quantity>>;
  readonly evictionHard: Readonly<Record<string, string>>;
  readonly topologyManagerPolicy: TopologyManagerPolicy;
  readonly topologyManagerScope: TopologyManagerScope;
  readonly topologyManagerPolicyOptions: Readonly<Record<string, string>>;
  readonly memoryManagerPolicy: MemoryManagerPolicy;
  readonly reservedMemory: readonly ReservedMemory[];
  readonly cpuCFSQuota: boolean;
  /** cpuCFSQuotaPeriod in microseconds (default 100ms = 100000). */
  readonly cpuCFSQuotaPeriodUs: number;
}

/** Feature-gate defaults of kubelet 1.36 (allocator-model.md §1.8). */
const GATE_DEFAULTS_1_36: Readonly<Record<string, boolean>> = {
  PodLevelResources: true,
  PodLevelResourceManagers: false,
  CPUManagerPolicyAlphaOptions: false,
  CPUManagerPolicyBetaOptions: true,
  TopologyManagerPolicyAlphaOptions: false,
  TopologyManagerPolicyBetaOptions: true,
  DisableCPUQuotaWithExclusiveCPUs: true,
  KubeletPodResourcesGet: true,
  SidecarContainers: true,
};

/**
 * Feature-gate defaults per kubelet version. 1.37 changes none of the gates the model reads:
 * PodLevelResourceManagers goes beta but stays off by default (quirk Q3: the feature-gate page
 * says on, the release material says off; /configz is authoritative when the gate is listed).
 */
export const FEATURE_GATE_DEFAULTS: Readonly<Record<KubeletVersion, Readonly<Record<string, boolean>>>> = {
  '1.36': GATE_DEFAULTS_1_36,
  '1.37': GATE_DEFAULTS_1_36,
};

export function gate(config: KubeletConfig, name: string): boolean {
  return config.featureGates[name] ?? false;
}
