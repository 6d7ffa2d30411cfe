// The worked examples of allocator-model.md §11 and the scenario-format.md example, end to end
// through the model and the output schema builder.

import { runSimulation } from '../../../src/model/simulate.js';
import type { SimulationResult } from '../../../src/model/simulate.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import type { SimulationOut } from '../../../src/render/schema.js';
import type { Pod } from '../../../src/model/pod.js';
import {
  aNode,
  aPod,
  guaranteed,
  machines,
  seedDatabasePod,
  seedKubelet,
  seedMlPod,
  simulation,
} from '../../helpers/builders.js';
import { cpuInvariantViolations } from '../../helpers/invariants.js';
import type { KubeletVersion } from '../../../src/model/kubelet-config.js';

function simulate(kubelet: Record<string, unknown>, pods: Pod[], version: KubeletVersion = '1.36') {
  const node = aNode().topology(machines.dualSocketHT).config(kubelet).kubeletVersion(version).build();
  const outcome = runSimulation(simulation(node, pods));
  if (!outcome.ok) throw new Error(outcome.error);
  const result: SimulationResult = outcome.result;
  expect(cpuInvariantViolations(result)).toEqual([]);
  const out: SimulationOut = toSimulationOut(result, { explain: false, warnings: [] });
  return out;
}

const podScope = (policy: string) => ({
  ...seedKubelet,
  topologyManagerPolicy: policy,
  topologyManagerScope: 'pod',
});
const containerScope = (policy: string) => ({
  ...seedKubelet,
  topologyManagerPolicy: policy,
  topologyManagerScope: 'container',
});

describe('seed 1: tightly-coupled database, pod scope (allocator-model §11.1)', () => {
  it.each(['single-numa-node', 'best-effort', 'restricted'])(
    'under %s the pod pool is 1-4,33-36 on NUMA 0, the database gets 1-3,33-35 and both sidecars share 4,36',
    (policy) => {
      const out = simulate(podScope(policy), [seedDatabasePod()]);
      const pod = out.pods[0]!;
      expect(pod).toMatchObject({
        admitted: true,
        path: 'pod-level',
        qosClass: 'Guaranteed',
        numaAffinity: [0],
      });
      expect(pod.podPool).toEqual({ cpus: '1-4,33-36' });
      expect(pod.podSharedPool).toEqual({ cpus: '4,36' });
      expect(
        pod.containers.map((c) => [
          c.name,
          c.type,
          c.assignment.cpu,
          c.cpus,
          c.isolation,
          c.cfsQuota,
          c.cfsQuotaMillicores,
        ]),
      ).toEqual([
        ['metrics-exporter', 'sidecar', 'pod_shared', '4,36', 'pod', 'pod', 8000],
        ['backup-agent', 'sidecar', 'pod_shared', '4,36', 'pod', 'pod', 8000],
        ['database', 'app', 'pod_exclusive', '1-3,33-35', 'container', 'none', null],
      ]);
      expect(pod.podCgroupCfsQuota).toBe('none');
      expect(out.nodeSharedPool.cpus).toBe('0,5-32,37-63');
      expect(out.reservedCpus).toBe('0');
    },
  );

  it('counts the metrics of §11.1 step 8 (CPU side)', () => {
    const m = simulate(podScope('single-numa-node'), [seedDatabasePod()]).metrics;
    expect(m.resource_manager_allocations_total).toEqual({
      cpu: { pod: 3, node: 0 },
      memory: { pod: 0, node: 0 },
    });
    expect(m.resource_manager_container_assignments.cpu).toEqual({
      node_exclusive: 0,
      pod_exclusive: 1,
      pod_shared: 2,
    });
    expect(m.kubelet_cpu_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_cpu_manager_exclusive_cpu_allocation_count).toBe(8);
    expect(m.kubelet_cpu_manager_shared_pool_size_millicores).toBe(55000);
    expect(m.kubelet_container_aligned_compute_resources_count.pod).toMatchObject({ numa_node: 1 });
    expect(m.kubelet_container_aligned_compute_resources_count.container).toMatchObject({ uncore_cache: 1 });
    expect(m.kubelet_topology_manager_admission_requests_total).toBe(1);
    expect(m.kubelet_topology_manager_admission_errors_total).toBe(0);
    expect(m.kubelet_cpu_manager_allocation_per_numa).toEqual({ '0': 8 });
    expect(m.kubelet_admission_rejections_total).toEqual({});
  });

  it('on 1.36 PodResources has no pod-level fields and the sidecars report the pod shared pool', () => {
    const pod = simulate(podScope('single-numa-node'), [seedDatabasePod()], '1.36').pods[0]!;
    expect(pod.reported.cpuIds).toEqual([]);
    expect(pod.reported.containers).toEqual({
      'metrics-exporter': { cpuIds: [4, 36], memory: [] },
      'backup-agent': { cpuIds: [4, 36], memory: [] },
      database: { cpuIds: [1, 2, 3, 33, 34, 35], memory: [] },
    });
  });

  it('on 1.37 PodResources reports the pod pool at pod level and nothing for the shared sidecars', () => {
    const pod = simulate(podScope('single-numa-node'), [seedDatabasePod()], '1.37').pods[0]!;
    expect(pod.reported.cpuIds).toEqual([1, 2, 3, 4, 33, 34, 35, 36]);
    expect(pod.reported.containers['metrics-exporter']).toEqual({ cpuIds: [], memory: [] });
    expect(pod.reported.containers.database).toEqual({ cpuIds: [1, 2, 3, 33, 34, 35], memory: [] });
  });

  it('with full-pcpus-only gives the same placement (8 is a multiple of 2; 62 physical CPUs free)', () => {
    const out = simulate(
      { ...podScope('single-numa-node'), cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } },
      [seedDatabasePod()],
    );
    expect(out.pods[0]!.podPool).toEqual({ cpus: '1-4,33-36' });
    expect(out.pods[0]!.containers[2]!.cpus).toBe('1-3,33-35');
  });

  it('with equivalent-Guaranteed 1-CPU sidecars: exporter takes 1, backup-agent 33, database 2-4,34-36, empty shared pool', () => {
    const pod = aPod('db-0', 'db')
      .podLevel('8', '16Gi')
      .sidecar('metrics-exporter', guaranteed('1', '2Gi'))
      .sidecar('backup-agent', guaranteed('1', '2Gi'))
      .container('database', guaranteed('6', '12Gi'))
      .build();
    const out = simulate(podScope('single-numa-node'), [pod]).pods[0]!;
    expect(out.podPool).toEqual({ cpus: '1-4,33-36' });
    expect(out.containers.map((c) => [c.name, c.assignment.cpu, c.cpus])).toEqual([
      ['metrics-exporter', 'pod_exclusive', '1'],
      ['backup-agent', 'pod_exclusive', '33'],
      ['database', 'pod_exclusive', '2-4,34-36'],
    ]);
    expect(out.podSharedPool).toEqual({ cpus: '' });
  });

  const eightCpuDatabase = () =>
    aPod('db-0', 'db')
      .podLevel('8', '16Gi')
      .sidecar('metrics-exporter')
      .sidecar('backup-agent')
      .container('database', guaranteed('8', '16Gi'))
      .build();

  it.each(['single-numa-node', 'restricted'])(
    'a database taking the whole 8-CPU budget next to shared sidecars is rejected by the topology manager under %s',
    (policy) => {
      const out = simulate(podScope(policy), [eightCpuDatabase()]);
      expect(out.pods[0]).toMatchObject({
        admitted: false,
        reason: 'TopologyAffinityError',
        message: 'Pod Scope pod with pod-level resources failed admission under pod-scope topology manager',
        containers: [],
      });
      expect(out.nodeSharedPool.cpus).toBe('0-63');
      expect(out.metrics.kubelet_topology_manager_admission_errors_total).toBe(1);
    },
  );

  it('the same pod under best-effort passes the topology manager and is rejected by AllocatePod', () => {
    const out = simulate(podScope('best-effort'), [eightCpuDatabase()]);
    expect(out.pods[0]).toMatchObject({
      admitted: false,
      reason: 'EmptyPodSharedPoolError',
      message:
        'pod rejected, sum of exclusive container cpu requests equals pod budget, leaving no cpus for shared containers',
    });
    expect(out.metrics.resource_manager_allocation_errors_total.cpu).toEqual({ pod: 1, node: 0 });
    expect(out.metrics.kubelet_cpu_manager_pinning_errors_total).toBe(1);
    expect(out.nodeSharedPool.cpus).toBe('0-63');
  });
});

describe('seed 2: ml workload, container scope (allocator-model §11.2)', () => {
  it.each(['best-effort', 'restricted', 'single-numa-node'])(
    'under %s ml-training gets 1,32-33 on NUMA 0 and the mesh sidecar stays on the node shared pool',
    (policy) => {
      const out = simulate(containerScope(policy), [seedMlPod()]);
      const pod = out.pods[0]!;
      expect(pod).toMatchObject({ admitted: true, path: 'container', numaAffinity: null });
      expect(pod.podPool).toBeUndefined();
      expect(
        pod.containers.map((c) => [
          c.name,
          c.assignment.cpu,
          c.cpus,
          c.numaNodes,
          c.isolation,
          c.cfsQuota,
          c.cfsQuotaMillicores,
        ]),
      ).toEqual([
        ['service-mesh-sidecar', 'node_shared', '0,2-31,34-63', [0, 1], 'host', 'pod', 4000],
        ['ml-training', 'node_exclusive', '1,32-33', [0], 'container', 'none', null],
      ]);
      expect(pod.podCgroupCfsQuota).toBe('none');
      expect(out.nodeSharedPool.cpus).toBe('0,2-31,34-63');
    },
  );

  it('counts node-path metrics: one allocation, one node_exclusive assignment, 3 exclusive CPUs', () => {
    const m = simulate(containerScope('best-effort'), [seedMlPod()]).metrics;
    expect(m.resource_manager_allocations_total.cpu).toEqual({ pod: 0, node: 1 });
    expect(m.resource_manager_container_assignments.cpu).toEqual({
      node_exclusive: 1,
      pod_exclusive: 0,
      pod_shared: 0,
    });
    expect(m.kubelet_cpu_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_cpu_manager_exclusive_cpu_allocation_count).toBe(3);
    expect(m.kubelet_cpu_manager_shared_pool_size_millicores).toBe(60000);
    expect(m.kubelet_cpu_manager_allocation_per_numa).toEqual({ '0': 3 });
    expect(m.kubelet_container_aligned_compute_resources_count.container).toMatchObject({ uncore_cache: 1 });
  });

  it('PodResources has no pod-level fields under container scope, also on 1.37', () => {
    const pod = simulate(containerScope('best-effort'), [seedMlPod()], '1.37').pods[0]!;
    expect(pod.reported).toEqual({
      cpuIds: [],
      memory: [],
      containers: {
        'service-mesh-sidecar': { cpuIds: [], memory: [] },
        'ml-training': { cpuIds: [1, 32, 33], memory: [] },
      },
    });
  });

  it('with full-pcpus-only the 3-CPU request is an SMTAlignmentError', () => {
    const out = simulate(
      { ...containerScope('best-effort'), cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } },
      [seedMlPod()],
    );
    expect(out.pods[0]).toMatchObject({
      admitted: false,
      reason: 'SMTAlignmentError',
      message: 'SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2',
    });
    expect(out.metrics.kubelet_container_aligned_compute_resources_failure_count.container).toMatchObject({
      physical_cpu: 1,
    });
    expect(out.metrics.resource_manager_allocation_errors_total.cpu).toEqual({ pod: 0, node: 1 });
  });

  it('with distribute-cpus-across-cores ml-training spreads over three cores: 1-3', () => {
    const out = simulate(
      {
        ...containerScope('best-effort'),
        featureGates: { ...seedKubelet.featureGates, CPUManagerPolicyAlphaOptions: true },
        cpuManagerPolicyOptions: { 'distribute-cpus-across-cores': 'true' },
      },
      [seedMlPod()],
    );
    expect(out.pods[0]!.containers[1]!.cpus).toBe('1-3');
  });
});

describe('scenario-format.md output example (2×8×2, reserved 0,16, full-pcpus-only)', () => {
  it('reproduces the documented pools and the database slice', () => {
    const node = aNode()
      .topology(machines.dualSocketHT32)
      .config({
        featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
        cpuManagerPolicy: 'static',
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
        reservedSystemCPUs: '0,16',
        topologyManagerPolicy: 'single-numa-node',
        topologyManagerScope: 'pod',
      })
      .build();
    const pod = aPod('db').podLevel('8', '16Gi').container('database', guaranteed('6', '12Gi')).build();
    const outcome = runSimulation(simulation(node, [pod], 'tightly-coupled-database'));
    if (!outcome.ok) throw new Error(outcome.error);
    const out = toSimulationOut(outcome.result, { explain: false, warnings: [] });
    expect(out).toMatchObject({
      scenario: 'tightly-coupled-database',
      node: 'worker-1',
      kubeletVersion: '1.36',
      reservedCpus: '0,16',
      nodeSharedPool: { cpus: '0,5-16,21-31' },
    });
    expect(out.pods[0]).toMatchObject({
      path: 'pod-level',
      numaAffinity: [0],
      podPool: { cpus: '1-4,17-20' },
      podSharedPool: { cpus: '4,20' },
      podCgroupCfsQuota: 'none',
    });
    expect(out.pods[0]!.containers[0]).toEqual({
      name: 'database',
      type: 'app',
      assignment: { cpu: 'pod_exclusive', memory: 'node_shared' },
      isolation: 'container',
      cpus: '1-3,17-19',
      numaNodes: [0],
      memory: [],
      cfsQuota: 'none',
      cfsQuotaMillicores: null,
      memoryLimit: 'container',
      memoryLimitBytes: 12884901888,
    });
    expect(out.pods[0]!.reported.containers).toEqual({
      database: { cpuIds: [1, 2, 3, 17, 18, 19], memory: [] },
    });
    expect(out.metrics.resource_manager_allocations_total.cpu).toEqual({ pod: 1, node: 0 });
    expect(out.metrics.resource_manager_container_assignments.cpu).toEqual({
      node_exclusive: 0,
      pod_exclusive: 1,
      pod_shared: 0,
    });
    expect(out.metrics.kubelet_cpu_manager_pinning_requests_total).toBe(1);
  });
});
