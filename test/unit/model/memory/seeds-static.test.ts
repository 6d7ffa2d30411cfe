// The worked examples of allocator-model.md §11 with the Static memory manager.

import type { Fidelity } from '../../../../src/model/simulation-input.js';
import { runSimulation } from '../../../../src/model/simulate.js';
import type { SimulationResult } from '../../../../src/model/simulate.js';
import type { Pod } from '../../../../src/model/pod.js';
import { toSimulationOut } from '../../../../src/render/simulation.js';
import {
  aNode,
  machines,
  seedDatabasePod,
  seedKubeletStatic,
  seedMlPod,
  simulation,
} from '../../../helpers/builders.js';
import { cpuInvariantViolations } from '../../../helpers/invariants.js';
import { memoryInvariantViolations } from '../../../helpers/memory-invariants.js';

const Gi = 1073741824;

function run(kubelet: Record<string, unknown>, pods: Pod[], fidelity: Fidelity = 'source') {
  const node = aNode().topology(machines.dualSocketHT).memory('64Gi').config(kubelet).build();
  const outcome = runSimulation({ ...simulation(node, pods), fidelity });
  if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.error}`);
  const result: SimulationResult = outcome.result;
  expect(cpuInvariantViolations(result)).toEqual([]);
  expect(memoryInvariantViolations(result)).toEqual([]);
  return { result, out: toSimulationOut(result, { explain: false, warnings: [] }) };
}

const podScope = {
  ...seedKubeletStatic,
  topologyManagerPolicy: 'single-numa-node',
  topologyManagerScope: 'pod',
};
const containerScope = (policy: string) => ({
  ...seedKubeletStatic,
  topologyManagerPolicy: policy,
  topologyManagerScope: 'container',
});

describe('seed 1 with the Static memory manager (§11.1 steps 5 and 8)', () => {
  it('gives the pod a 16Gi block on NUMA 0, the database 12Gi exclusive, the sidecars the 4Gi shared block', () => {
    const { out, result } = run(podScope, [seedDatabasePod()]);
    const pod = out.pods[0]!;
    expect(pod.podPool).toEqual({
      cpus: '1-4,33-36',
      memory: [{ type: 'memory', numa: [0], size: 16 * Gi }],
    });
    expect(pod.podSharedPool).toEqual({
      cpus: '4,36',
      memory: [{ type: 'memory', numa: [0], size: 4 * Gi }],
    });
    expect(pod.containers.map((c) => [c.name, c.assignment.memory, c.memory])).toEqual([
      ['metrics-exporter', 'pod_shared', [{ type: 'memory', numa: [0], size: 4 * Gi }]],
      ['backup-agent', 'pod_shared', [{ type: 'memory', numa: [0], size: 4 * Gi }]],
      ['database', 'pod_exclusive', [{ type: 'memory', numa: [0], size: 12 * Gi }]],
    ]);
    const numa0 = result.node.memory!.machineState.get(0)!;
    expect(numa0.numberOfAssignments).toBe(1);
    expect(numa0.cells).toEqual([0]);
    expect(numa0.memoryMap.get('memory')).toEqual({
      total: 68719476736n,
      systemReserved: 1153433600n,
      allocatable: 67566043136n,
      reserved: 17179869184n,
      free: 67566043136n - 17179869184n,
    });
    expect(result.node.memory!.machineState.get(1)!.memoryMap.get('memory')!.free).toBe(68719476736n);
  });

  it('gives the sidecars the pod-level memory limit (no limit of their own, §6.6) and the node its allocatable', () => {
    const { out } = run(podScope, [seedDatabasePod()]);
    const pod = out.pods[0]!;
    expect(pod.containers.map((c) => [c.name, c.memoryLimit, c.memoryLimitBytes])).toEqual([
      ['metrics-exporter', 'pod', 16 * Gi],
      ['backup-agent', 'pod', 16 * Gi],
      ['database', 'container', 12 * Gi],
    ]);
    expect(pod.podCgroupMemoryLimit).toBe(16 * Gi);
    expect(out.allocatable.cpuIds).toHaveLength(63);
    expect(out.allocatable.memory).toEqual([
      { type: 'memory', numa: [0], size: 67566043136 },
      { type: 'memory', numa: [1], size: 68719476736 },
    ]);
  });

  it('counts the memory metrics of step 8', () => {
    const m = run(podScope, [seedDatabasePod()]).out.metrics;
    expect(m.resource_manager_allocations_total.memory).toEqual({ pod: 3, node: 0 });
    expect(m.resource_manager_container_assignments.memory).toEqual({
      node_exclusive: 0,
      pod_exclusive: 1,
      pod_shared: 2,
    });
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(4);
  });
});

describe('seed 1 PodResources view with memory (§11.1 step 7)', () => {
  it('on 1.36 the sidecars report the shared 4Gi block, the database its 12Gi', () => {
    const { out } = run(podScope, [seedDatabasePod()]);
    const r = out.pods[0]!.reported;
    expect(r.memory).toEqual([]);
    expect(r.containers['metrics-exporter']!.memory).toEqual([{ type: 'memory', numa: [0], size: 4 * Gi }]);
    expect(r.containers.database!.memory).toEqual([{ type: 'memory', numa: [0], size: 12 * Gi }]);
  });

  it('on 1.37 the pod reports 16Gi@0 at pod level and the sidecars nothing', () => {
    const node = aNode()
      .topology(machines.dualSocketHT)
      .memory('64Gi')
      .config(podScope)
      .kubeletVersion('1.37')
      .build();
    const outcome = runSimulation(simulation(node, [seedDatabasePod()]));
    if (!outcome.ok) throw new Error(outcome.error);
    const r = toSimulationOut(outcome.result, { explain: false, warnings: [] }).pods[0]!.reported;
    expect(r.memory).toEqual([{ type: 'memory', numa: [0], size: 16 * Gi }]);
    expect(r.cpuIds).toEqual([1, 2, 3, 4, 33, 34, 35, 36]);
    expect(r.containers['backup-agent']).toEqual({ cpuIds: [], memory: [] });
    expect(r.containers.database!.memory).toEqual([{ type: 'memory', numa: [0], size: 12 * Gi }]);
  });
});

describe('seed 2 with the Static memory manager (§11.2, quirk Q1)', () => {
  it.each(['best-effort', 'restricted'])(
    'under %s the sidecar gets an empty memory entry and ml-training 6Gi on NUMA 0',
    (policy) => {
      const { out, result } = run(containerScope(policy), [seedMlPod()]);
      const pod = out.pods[0]!;
      expect(pod.admitted).toBe(true);
      expect(pod.containers.map((c) => [c.name, c.assignment.memory, c.memory, c.numaNodes])).toEqual([
        ['service-mesh-sidecar', 'node_shared', [], [0, 1]],
        ['ml-training', 'node_exclusive', [{ type: 'memory', numa: [0], size: 6 * Gi }], [0]],
      ]);
      expect(result.node.memory!.entries.get(pod.uid)!.get('service-mesh-sidecar')).toEqual([]);
      const m = out.metrics;
      expect(m.resource_manager_allocations_total.memory).toEqual({ pod: 0, node: 1 });
      expect(m.resource_manager_container_assignments.memory?.node_exclusive).toBe(2);
      expect(m.kubelet_memory_manager_pinning_requests_total).toBe(2);
    },
  );

  it('under single-numa-node the source rejects the pod at the sidecar (UnexpectedAdmissionError)', () => {
    const { out } = run(containerScope('single-numa-node'), [seedMlPod()]);
    expect(out.pods[0]).toMatchObject({
      admitted: false,
      reason: 'UnexpectedAdmissionError',
      message:
        'Allocate failed due to [memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory is available, which is unexpected',
    });
    const m = out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_memory_manager_pinning_errors_total).toBe(1);
    expect(m.resource_manager_allocation_errors_total.memory).toEqual({ pod: 0, node: 1 });
    expect(m.kubelet_topology_manager_admission_errors_total).toBe(1);
    expect(out.nodeSharedPool.cpus).toBe('0-63');
  });

  it('under topology manager policy none the sidecar hits Q1 too (§6.9): no hint, no default hint', () => {
    const { out } = run({ ...seedKubeletStatic, topologyManagerPolicy: 'none' }, [seedMlPod()]);
    expect(out.pods[0]).toMatchObject({ admitted: false, reason: 'UnexpectedAdmissionError', path: 'none' });
    expect(out.pods[0]!.message).toContain('[memorymanager] failed to get the default NUMA affinity');
    const documented = run(
      { ...seedKubeletStatic, topologyManagerPolicy: 'none' },
      [seedMlPod()],
      'documented',
    ).out;
    expect(documented.pods[0]!.admitted).toBe(true);
    // no alignment under policy none: the memory manager's own default hint picks NUMA 0
    expect(documented.pods[0]!.containers[1]!.memory).toEqual([{ type: 'memory', numa: [0], size: 6 * Gi }]);
  });

  it('under single-numa-node with fidelity documented the pod is admitted, the sidecar without any memory entry', () => {
    const { out, result } = run(containerScope('single-numa-node'), [seedMlPod()], 'documented');
    expect(out.pods[0]!.admitted).toBe(true);
    expect(out.pods[0]!.containers[1]!.memory).toEqual([{ type: 'memory', numa: [0], size: 6 * Gi }]);
    expect(result.node.memory!.entries.get(out.pods[0]!.uid)!.has('service-mesh-sidecar')).toBe(false);
    expect(out.metrics.kubelet_memory_manager_pinning_requests_total).toBe(1);
  });

  it('under best-effort a second such pod is rejected once NUMA 0 holds a single-NUMA allocation (Q1 violation case)', () => {
    const second = { ...seedMlPod(), name: 'ml-1', uid: 'uid-ml-ml-1' };
    const { out } = run(containerScope('best-effort'), [seedMlPod(), second]);
    expect(out.pods[1]).toMatchObject({
      admitted: false,
      reason: 'UnexpectedAdmissionError',
      message:
        'Allocate failed due to [memorymanager] preferred hint violates NUMA node allocation, which is unexpected',
    });
  });
});
