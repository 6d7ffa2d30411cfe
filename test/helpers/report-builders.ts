// Report objects (src/schema/reports.ts) built by hand for the renderer tests: the machines and
// pods of allocator-model §11 as cli.md §10 shows them (64 CPUs, reserved CPU 0, NUMA0 =
// 0-15,32-47; worker-1 runs seed 1 `db/db-0` under pod scope, worker-2 seed 2 `ml/ml-0` under
// container scope), with helpers to vary them.

import {
  CONFIG_CODES as C_CODES,
  DRIFT_CODES as D_CODES,
  POD_COVERAGE_CODES as POD_CODES,
} from '../../src/drift/coverage.js';
import type { NodeSource, SourceStatus } from '../../src/schema/common.js';
import { NODE_SOURCES } from '../../src/schema/common.js';
import type {
  ContainerObserved,
  ContainerReport,
  Coverage,
  CoverageStatus,
  Finding,
  NodeConfigSummary,
  NodeReportBody,
  PodReportBody,
} from '../../src/schema/reports.js';
import type { MetricsOut } from '../../src/render/schema.js';

export const GI = 1024 ** 3;

export function status(
  s: SourceStatus['status'] = 'ok',
  httpStatus: number | null = null,
  from: SourceStatus['from'] = 'live',
): SourceStatus {
  return { status: s, from: s === 'absent' ? null : from, httpStatus, message: null };
}

/** Every node source ok, then the overrides. */
export function nodeSources(
  overrides: Partial<Record<NodeSource, SourceStatus>> = {},
): Record<NodeSource, SourceStatus> {
  const all = Object.fromEntries(NODE_SOURCES.map((s) => [s, status('ok')])) as Record<
    NodeSource,
    SourceStatus
  >;
  return { ...all, ...overrides };
}

/** The sources of a node read without an observation (no podresources, checkpoint, cgroup). */
export function sourcesWithoutObservation(
  overrides: Partial<Record<NodeSource, SourceStatus>> = {},
): Record<NodeSource, SourceStatus> {
  return nodeSources({
    observation: status('absent'),
    podresources: status('absent'),
    checkpoint: status('absent'),
    cgroup: status('absent'),
    ...overrides,
  });
}

export function finding(
  f: Partial<Finding> & Pick<Finding, 'code' | 'severity' | 'node' | 'message'>,
): Finding {
  return {
    namespace: null,
    pod: null,
    podUid: null,
    container: null,
    resource: null,
    evidence: [],
    expected: null,
    observed: null,
    ...f,
  };
}

export { C_CODES, D_CODES, POD_CODES };

/** A container of which nothing was observed. */
export const NOTHING_OBSERVED: ContainerObserved = {
  assignment: { cpu: null, memory: null },
  cpus: null,
  numaNodes: null,
  memory: null,
  cfsQuota: null,
  cfsQuotaMillicores: null,
  cfs: null,
  source: {},
};

export function coverage(
  codes: readonly string[],
  s: CoverageStatus = 'checked',
  reason: string | null = null,
  missing: Coverage['missing'] = [],
): Coverage[] {
  return codes.map((code) => ({ code, status: s, missing, reason }));
}

/** Worker-2 without an observation: the codes that need only observation evidence not checked. */
export const OBSERVATION_ONLY = [
  'D3',
  'D4',
  'D5',
  'D6',
  'D7',
  'D8',
  'D14',
  'D15',
  'D16',
  'D17',
  'D18',
  'D20',
];

export function coverageWithoutObservation(codes: readonly string[]): Coverage[] {
  return codes.map((code) =>
    OBSERVATION_ONLY.includes(code)
      ? {
          code,
          status: 'not-checked',
          missing: ['podresources', 'checkpoint', 'cgroup'],
          reason: 'no node observation',
        }
      : code.startsWith('D')
        ? { code, status: 'partial', missing: ['checkpoint'], reason: 'no node observation' }
        : { code, status: 'checked', missing: [], reason: null },
  );
}

const cfs = (quotaMillicores: number | null, periods: number, throttledPeriods: number) => ({
  quotaMillicores,
  periods,
  throttledPeriods,
  throttledRatio: periods === 0 ? 0 : throttledPeriods / periods,
  throttledSeconds: throttledPeriods * 0.05,
});

/** A container of seed 1 placed as the model predicts, observed through the collector. */
function placed(
  name: string,
  type: ContainerReport['type'],
  assignment: 'pod_shared' | 'pod_exclusive',
  cpus: string,
  memoryGi: number,
  id: string,
): ContainerReport {
  const shared = assignment === 'pod_shared';
  const memory = [{ type: 'memory', numa: [0], size: memoryGi * GI }];
  return {
    name,
    type,
    containerId: `containerd://${id}`,
    expected: {
      assignment: { cpu: assignment, memory: assignment },
      isolation: shared ? 'pod' : 'container',
      cpus,
      numaNodes: [0],
      memory,
      cfsQuota: shared ? 'pod' : 'none',
      cfsQuotaMillicores: shared ? 8000 : null,
    },
    observed: {
      assignment: { cpu: assignment, memory: assignment },
      cpus,
      numaNodes: [0],
      memory,
      cfsQuota: shared ? 'set' : 'none',
      cfsQuotaMillicores: shared ? 8000 : null,
      cfs: shared ? cfs(8000, 3000, 0) : null,
      source: {
        assignment: 'checkpoint',
        cpus: 'cgroup',
        memory: 'checkpoint',
        cfsQuota: 'cgroup',
        cfs: 'cadvisor',
      },
    },
    placement: 'exact',
    findings: [],
  };
}

/** cli.md §10 example 1: seed 1's `db/db-0` on worker-1, healthy, observed by a collector pod. */
export function healthyDbPod(): PodReportBody {
  const podPool = {
    cpus: '1-4,33-36',
    memory: [{ type: 'memory', numa: [0], size: 16 * GI }],
  };
  const podSharedPool = { cpus: '4,36', memory: [{ type: 'memory', numa: [0], size: 4 * GI }] };
  return {
    namespace: 'db',
    name: 'db-0',
    uid: '5d0e8a31-8f1c-4c1e-9a57-2f0c8a7b1d42',
    node: 'worker-1',
    phase: 'Running',
    qosClass: 'Guaranteed',
    podLevel: true,
    path: 'pod-level',
    admissionOrder: 7,
    expected: {
      admitted: true,
      reason: null,
      message: null,
      numaAffinity: [0],
      podPool,
      podSharedPool,
      podCgroupCfsQuota: 'none',
      reported: null,
    },
    observed: {
      admitted: true,
      reason: null,
      message: null,
      podPool,
      podSharedPool,
      podCgroupCfsQuota: 'none',
      podCgroupCfs: null,
      reported: null,
      source: { admitted: 'pod-status', podPool: 'checkpoint', podCgroupCfsQuota: 'cgroup' },
    },
    containers: [
      placed(
        'metrics-exporter',
        'sidecar',
        'pod_shared',
        '4,36',
        4,
        '9f3a6c1e2b7d4a5f8e9c0b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e',
      ),
      placed(
        'backup-agent',
        'sidecar',
        'pod_shared',
        '4,36',
        4,
        '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
      ),
      placed(
        'database',
        'app',
        'pod_exclusive',
        '1-3,33-35',
        12,
        '7e6d5c4b3a291807f6e5d4c3b2a1908f7e6d5c4b3a291807f6e5d4c3b2a1908',
      ),
    ],
    findings: [],
    coverage: coverage(POD_CODES),
  };
}

/** The D7 finding of cli.md §10 examples 2 and 3. */
export const D7_FINDING = finding({
  code: 'D7',
  severity: 'error',
  node: 'worker-1',
  namespace: 'db',
  pod: 'db-0',
  podUid: '5d0e8a31-8f1c-4c1e-9a57-2f0c8a7b1d42',
  container: 'metrics-exporter',
  resource: 'cpu',
  evidence: ['checkpoint', 'cgroup'],
  expected: '4,36',
  observed: '0,5-32,37-63',
  message: 'metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36',
});

/** cli.md §10 example 3: `db/db-0` with metrics-exporter on the node shared pool (D7). */
export function driftedDbPod(): PodReportBody {
  const pod = healthyDbPod();
  const [exporter, ...rest] = pod.containers;
  if (exporter === undefined) throw new Error('seed 1 has containers');
  const drifted: ContainerReport = {
    ...exporter,
    observed: {
      ...exporter.observed,
      assignment: { cpu: 'node_shared', memory: 'pod_shared' },
      cpus: '0,5-32,37-63',
      numaNodes: [0, 1],
    },
    placement: 'drift',
    findings: [D7_FINDING],
  };
  return { ...pod, containers: [drifted, ...rest], findings: [D7_FINDING] };
}

export function config(overrides: Partial<NodeConfigSummary> = {}): NodeConfigSummary {
  return {
    cpuManagerPolicy: 'static',
    cpuManagerPolicyOptions: {},
    reservedCpus: '0',
    topologyManagerPolicy: 'single-numa-node',
    topologyManagerScope: 'pod',
    topologyManagerPolicyOptions: {},
    memoryManagerPolicy: 'Static',
    cpuCFSQuota: true,
    featureGates: { PodLevelResourceManagers: true, PodLevelResources: true },
    podLevelManagers: 'active',
    ...overrides,
  };
}

export function metrics(overrides: Partial<MetricsOut> = {}): MetricsOut {
  return {
    resource_manager_allocations_total: {},
    resource_manager_allocation_errors_total: {},
    resource_manager_container_assignments: {},
    kubelet_cpu_manager_pinning_requests_total: 3,
    kubelet_cpu_manager_pinning_errors_total: 0,
    kubelet_memory_manager_pinning_requests_total: 3,
    kubelet_memory_manager_pinning_errors_total: 0,
    kubelet_cpu_manager_shared_pool_size_millicores: 55000,
    kubelet_cpu_manager_exclusive_cpu_allocation_count: 8,
    kubelet_topology_manager_admission_requests_total: 12,
    kubelet_topology_manager_admission_errors_total: 0,
    kubelet_container_aligned_compute_resources_count: {},
    kubelet_container_aligned_compute_resources_failure_count: {},
    kubelet_cpu_manager_allocation_per_numa: {},
    kubelet_admission_rejections_total: {},
    ...overrides,
  };
}

/** worker-1 of cli.md §10: seed 1, observed, every source ok. */
export function worker1(pods: readonly PodReportBody[] = [healthyDbPod()]): NodeReportBody {
  return {
    name: 'worker-1',
    status: 'ok',
    kubeletVersion: 'v1.36.2',
    modelVersion: '1.36',
    sources: nodeSources({ observation: status('ok', null, 'observation') }),
    config: config(),
    topology: { cpus: 64, cores: 32, sockets: 2, numaNodes: 2, uncoreCaches: 2, source: 'observation' },
    expected: {
      nodeSharedPool: { cpus: '0,5-32,37-63' },
      allocatableCpus: '1-63',
      exclusiveCpus: 8,
      metrics: metrics(),
    },
    observed: {
      nodeSharedPool: { cpus: '0,5-32,37-63' },
      allocatableCpus: '1-63',
      checkpointVersions: { cpuManager: 'V3', memoryManager: 'V2' },
      metrics: metrics({ kubelet_cpu_manager_pinning_requests_total: 5 }),
      kubeletStartTime: '2026-05-12T09:00:00Z',
      source: { nodeSharedPool: 'checkpoint', allocatableCpus: 'podresources', metrics: 'metrics' },
    },
    pods,
    findings: pods.flatMap((p) => p.findings),
    coverage: coverage([...C_CODES, ...D_CODES]),
  };
}
