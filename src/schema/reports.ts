// The report documents of cli.md §7-§8: findings, coverage, PodReport (describe pod), NodeReport
// (describe node), AuditReport (audit), ThrottleReport (throttle).

import type { AdmissionPath, CfsQuotaSource, IsolationLevel } from '../render/schema.js';
import type {
  Assignment,
  Cfs,
  CpuSetText,
  Evidence,
  FailOn,
  MemoryBlock,
  Metrics,
  NodeSource,
  Pool,
  Reported,
  Severity,
  SourceStatus,
} from './common.js';

export interface Finding {
  /** "C1".."C16", "D1".."D20", "T1" */
  readonly code: string;
  readonly severity: Severity;
  readonly node: string;
  readonly namespace: string | null;
  readonly pod: string | null;
  readonly podUid: string | null;
  readonly container: string | null;
  /** "cpu", "memory", "hugepages-<size>" or null */
  readonly resource: string | null;
  readonly evidence: readonly Evidence[];
  readonly expected: string | number | boolean | null;
  readonly observed: string | number | boolean | null;
  /** one line, no final period, names the object and both values */
  readonly message: string;
}

export type CoverageStatus = 'checked' | 'partial' | 'not-checked' | 'skipped';

export interface Coverage {
  readonly code: string;
  readonly status: CoverageStatus;
  readonly missing: readonly Evidence[];
  readonly reason: string | null;
}

export type Placement = 'exact' | 'equivalent' | 'drift' | 'unknown';

export interface ContainerExpected {
  readonly assignment: { readonly cpu: Assignment; readonly memory: Assignment };
  readonly isolation: IsolationLevel;
  readonly cpus: CpuSetText | null;
  readonly numaNodes: readonly number[] | null;
  readonly memory: readonly MemoryBlock[] | null;
  readonly cfsQuota: CfsQuotaSource;
  readonly cfsQuotaMillicores: number | null;
}

export interface ContainerObserved {
  readonly assignment: { readonly cpu: Assignment | null; readonly memory: Assignment | null };
  readonly cpus: CpuSetText | null;
  readonly numaNodes: readonly number[] | null;
  readonly memory: readonly MemoryBlock[] | null;
  /** "none": no quota set */
  readonly cfsQuota: 'none' | 'set' | null;
  readonly cfsQuotaMillicores: number | null;
  readonly cfs: Cfs | null;
  /** observed field → the evidence it came from */
  readonly source: Readonly<Record<string, Evidence>>;
}

export interface ContainerReport {
  readonly name: string;
  readonly type: 'app' | 'init' | 'sidecar';
  /** as in the pod status ("containerd://…") */
  readonly containerId: string | null;
  readonly expected: ContainerExpected | null;
  readonly observed: ContainerObserved;
  readonly placement: Placement;
  readonly findings: readonly Finding[];
}

export interface PodExpected {
  readonly admitted: boolean | null;
  readonly reason: string | null;
  readonly message: string | null;
  readonly numaAffinity: readonly number[] | null;
  readonly podPool: Pool | null;
  readonly podSharedPool: Pool | null;
  readonly podCgroupCfsQuota: 'none' | 'unlimited' | number;
  readonly reported: Reported | null;
}

export interface PodObserved {
  readonly admitted: boolean | null;
  readonly reason: string | null;
  readonly message: string | null;
  readonly podPool: Pool | null;
  readonly podSharedPool: Pool | null;
  readonly podCgroupCfsQuota: 'none' | number | null;
  readonly podCgroupCfs: Cfs | null;
  readonly reported: Reported | null;
  readonly source: Readonly<Record<string, Evidence>>;
}

/** A PodReport without apiVersion/kind (nested in node reports). */
export interface PodReportBody {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly node: string | null;
  readonly phase: string;
  readonly qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /** spec.resources set */
  readonly podLevel: boolean;
  readonly path: AdmissionPath | null;
  readonly admissionOrder: number | null;
  /** null without configz */
  readonly expected: PodExpected | null;
  readonly observed: PodObserved;
  readonly containers: readonly ContainerReport[];
  readonly findings: readonly Finding[];
  readonly coverage: readonly Coverage[];
}

export type PodLevelManagersState =
  'active' | 'container-scope' | 'inactive-version' | 'inactive-gate' | 'inactive-policy';

export interface NodeConfigSummary {
  readonly cpuManagerPolicy: string;
  readonly cpuManagerPolicyOptions: Readonly<Record<string, string>>;
  /** effective, model §1.5 */
  readonly reservedCpus: CpuSetText | null;
  readonly topologyManagerPolicy: string;
  readonly topologyManagerScope: string;
  readonly topologyManagerPolicyOptions: Readonly<Record<string, string>>;
  readonly memoryManagerPolicy: string;
  readonly cpuCFSQuota: boolean;
  /** effective values of the model §1.8 gates */
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly podLevelManagers: PodLevelManagersState;
}

export interface NodeTopologySummary {
  readonly cpus: number;
  readonly cores: number;
  readonly sockets: number;
  readonly numaNodes: number;
  readonly uncoreCaches: number;
  readonly source: 'observation' | 'file';
}

export type NodeStatus = 'ok' | 'partial' | 'unreachable' | 'skipped';

export interface NodeReportBody {
  readonly name: string;
  readonly status: NodeStatus;
  /** "v1.36.2" */
  readonly kubeletVersion: string | null;
  readonly modelVersion: '1.36' | '1.37' | null;
  readonly sources: Readonly<Record<NodeSource, SourceStatus>>;
  readonly config: NodeConfigSummary | null;
  readonly topology: NodeTopologySummary | null;
  readonly expected: null | {
    readonly nodeSharedPool: { readonly cpus: CpuSetText | null };
    readonly allocatableCpus: CpuSetText | null;
    readonly exclusiveCpus: number;
    /** pods admitted since kubelet start */
    readonly metrics: Metrics;
  };
  readonly observed: {
    readonly nodeSharedPool: { readonly cpus: CpuSetText } | null;
    readonly allocatableCpus: CpuSetText | null;
    readonly checkpointVersions: {
      readonly cpuManager: 'V1' | 'V2' | 'V3' | 'V4' | null;
      readonly memoryManager: 'V1' | 'V2' | 'V3' | null;
    };
    /** Partial: only the families the scrape had. */
    readonly metrics: Partial<Metrics> | null;
    readonly kubeletStartTime: string | null;
    readonly source: Readonly<Record<string, Evidence>>;
  };
  readonly pods: readonly PodReportBody[];
  readonly findings: readonly Finding[];
  readonly coverage: readonly Coverage[];
}

export interface PodReport extends PodReportBody {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'PodReport';
}

export interface NodeReport extends NodeReportBody {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'NodeReport';
}

export interface AuditReport {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'AuditReport';
  readonly generatedAt: string;
  readonly failOn: FailOn;
  /** pods: only those with findings */
  readonly nodes: readonly NodeReportBody[];
  readonly summary: {
    readonly nodes: number;
    readonly audited: number;
    readonly unreachable: number;
    readonly skipped: number;
    readonly nodesWithFindings: number;
    readonly findings: { readonly error: number; readonly warning: number; readonly info: number };
    readonly exitCode: 0 | 1 | 3;
  };
}

/** reset: the second scrape used alone */
export interface CfsWindow extends Cfs {
  readonly counterReset: boolean;
}

export type ThrottleCause =
  | 'exclusive-cpus-throttled'
  | 'own-limit'
  | 'pod-limit-as-container-quota'
  | 'pod-quota-shared'
  | 'pod-shared-pool-saturated'
  | 'none';

export interface ThrottleRow {
  readonly node: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly type: 'app' | 'init' | 'sidecar';
  /** expected CPU assignment */
  readonly assignment: Assignment | null;
  readonly cpus: CpuSetText | null;
  readonly cpuCount: number | null;
  readonly cfsQuota: CfsQuotaSource | null;
  /** spec name: `container` (the container cgroup window); null = no quota series */
  readonly containerCfs: CfsWindow | null;
  readonly podCgroup: CfsWindow | null;
  readonly usageCores: number | null;
  readonly cause: ThrottleCause;
  readonly message: string;
}

export interface ThrottleReport {
  readonly apiVersion: 'podres/v1alpha1';
  readonly kind: 'ThrottleReport';
  readonly window: {
    readonly mode: 'interval' | 'cumulative';
    readonly seconds: number | null;
    readonly from: string | null;
    readonly to: string;
  };
  readonly threshold: number;
  readonly nodes: readonly {
    readonly name: string;
    readonly status: 'ok' | 'partial' | 'unreachable';
    readonly sources: Readonly<Record<string, SourceStatus>>;
  }[];
  readonly rows: readonly ThrottleRow[];
  /** D12, T1 */
  readonly findings: readonly Finding[];
}
