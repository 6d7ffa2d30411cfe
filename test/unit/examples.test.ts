// The scenario files under examples/ are documentation users read and run: every outcome their
// comments promise (cpusets, admissions, rejection reasons, paths, pools) is asserted here
// through the same pipeline as `kubectl podres simulate` (parseScenarios → runSimulation →
// toSimulationOut), and each simulation must keep the CPU and memory invariants.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCpuList } from '../../src/model/cpuset.js';
import type { SimulationResult } from '../../src/model/simulate.js';
import { runSimulation } from '../../src/model/simulate.js';
import { toTopology } from '../../src/parse/machine-description.js';
import { parseMachineInfo } from '../../src/parse/machineinfo.js';
import { toSimulationOut } from '../../src/render/simulation.js';
import type { PodOut, SimulationOut } from '../../src/render/schema.js';
import { parseScenarios } from '../../src/scenario/parse-scenario.js';
import { cpuInvariantViolations } from '../helpers/invariants.js';
import { memoryInvariantViolations } from '../helpers/memory-invariants.js';

const examplesDir = path.resolve(process.cwd(), 'examples');
const realTopologies = path.resolve(process.cwd(), '../shared/fixtures/real/topology');

interface Replay {
  readonly out: SimulationOut;
  readonly result: SimulationResult;
}

/** Replays every scenario of an example file, as `simulate -f examples/<file>` does. */
function replayExample(file: string): Replay[] {
  const text = readFileSync(path.join(examplesDir, file), 'utf8');
  return parseScenarios(text, `examples/${file}`).map((input) => {
    const outcome = runSimulation(input);
    if (!outcome.ok) throw new Error(`${file}: ${outcome.field}: ${outcome.error}`);
    return { out: toSimulationOut(outcome.result, { explain: true, warnings: [] }), result: outcome.result };
  });
}

function simulateExample(file: string): SimulationOut[] {
  return replayExample(file).map((r) => r.out);
}

/** The single element (also used while jest collects tests, so it throws instead of expecting). */
function only<T>(items: readonly T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one element, got ${items.length}`);
  return items[0]!;
}

function podNamed(out: SimulationOut, name: string): PodOut {
  const pod = out.pods.find((p) => p.name === name);
  if (pod === undefined) throw new Error(`no pod ${name} in scenario ${out.scenario ?? '?'}`);
  return pod;
}

/** container name → [cpu assignment, cpuset] */
function cpusOf(pod: PodOut): Record<string, [string, string]> {
  return Object.fromEntries(pod.containers.map((c) => [c.name, [c.assignment.cpu, c.cpus]]));
}

/** container name → [memory assignment, memory blocks] */
function memoryOf(pod: PodOut): Record<string, [string, PodOut['containers'][number]['memory']]> {
  return Object.fromEntries(pod.containers.map((c) => [c.name, [c.assignment.memory, c.memory]]));
}

const Gi = 2 ** 30;
const Mi = 2 ** 20;

function rejection(pod: PodOut): { admitted: boolean; reason: string | null; message: string | null } {
  return { admitted: pod.admitted, reason: pod.reason, message: pod.message };
}

const COVERED = [
  'amd-uncore-alignment.yaml',
  'cross-numa-memory-group.yaml',
  'distribute-cpus-across-numa.yaml',
  'full-pcpus-only-smt-rejection.yaml',
  'hugepages.yaml',
  'memory-q1-fidelity.yaml',
  'ml-workload-static-memory.yaml',
  'ml-workload.yaml',
  'pod-vs-container-scope.yaml',
  'single-numa-node-rejection.yaml',
  'tightly-coupled-database-static-memory.yaml',
  'tightly-coupled-database.yaml',
];

it('every file in examples/ is a scenario file with assertions in this test', () => {
  expect(readdirSync(examplesDir).sort()).toEqual(COVERED);
});

it.each(COVERED)('%s replays without warnings and keeps the CPU and memory invariants', (file) => {
  const replays = replayExample(file);
  expect(replays.length).toBeGreaterThan(0);
  for (const { out, result } of replays) {
    expect(out.warnings).toEqual([]);
    expect(cpuInvariantViolations(result)).toEqual([]);
    expect(memoryInvariantViolations(result)).toEqual([]);
  }
});

describe('examples/tightly-coupled-database.yaml (allocator-model §11.1, seed 1)', () => {
  const out = only(simulateExample('tightly-coupled-database.yaml'));
  const pod = only(out.pods);

  it('admits db-0 on the pod-level path, aligned to NUMA 0', () => {
    expect(out).toMatchObject({
      scenario: 'tightly-coupled-database',
      node: 'worker-1',
      kubeletVersion: '1.36',
    });
    expect(pod).toMatchObject({
      namespace: 'db',
      name: 'db-0',
      admitted: true,
      qosClass: 'Guaranteed',
      path: 'pod-level',
      numaAffinity: [0],
    });
  });

  it('carves the pod pool 1-4,33-36: database gets 1-3,33-35 and the sidecars share 4,36', () => {
    expect(pod.podPool).toEqual({ cpus: '1-4,33-36' });
    expect(pod.podSharedPool).toEqual({ cpus: '4,36' });
    expect(cpusOf(pod)).toEqual({
      'metrics-exporter': ['pod_shared', '4,36'],
      'backup-agent': ['pod_shared', '4,36'],
      database: ['pod_exclusive', '1-3,33-35'],
    });
  });

  it('isolates database at container level without quota; sidecars get the 8-CPU pod limit', () => {
    expect(pod.containers.map((c) => [c.name, c.isolation, c.cfsQuota, c.cfsQuotaMillicores])).toEqual([
      ['metrics-exporter', 'pod', 'pod', 8000],
      ['backup-agent', 'pod', 'pod', 8000],
      ['database', 'container', 'none', null],
    ]);
    expect(pod.podCgroupCfsQuota).toBe('none');
    expect(pod.containers.every((c) => c.numaNodes.length === 1 && c.numaNodes[0] === 0)).toBe(true);
  });

  it('takes exactly the 8 pod CPUs out of the node shared pool', () => {
    expect(out.reservedCpus).toBe('0');
    expect(out.nodeSharedPool.cpus).toBe('0,5-32,37-63');
  });
});

describe('examples/ml-workload.yaml (allocator-model §11.2, seed 2)', () => {
  const out = only(simulateExample('ml-workload.yaml'));
  const pod = only(out.pods);

  it('takes the container path: no pod pool although the pod has pod-level resources', () => {
    expect(pod).toMatchObject({
      namespace: 'ml',
      name: 'ml-0',
      admitted: true,
      qosClass: 'Guaranteed',
      path: 'container',
    });
    expect(pod.podPool).toBeUndefined();
    expect(pod.podSharedPool).toBeUndefined();
  });

  it('pins ml-training to 1,32-33 from the node and leaves the sidecar on the node shared pool', () => {
    expect(cpusOf(pod)).toEqual({
      'service-mesh-sidecar': ['node_shared', '0,2-31,34-63'],
      'ml-training': ['node_exclusive', '1,32-33'],
    });
    expect(out.nodeSharedPool.cpus).toBe('0,2-31,34-63');
  });

  it('gives the resource-less sidecar host isolation and the 4-CPU pod limit as CFS quota', () => {
    expect(pod.containers.map((c) => [c.name, c.isolation, c.cfsQuota, c.cfsQuotaMillicores])).toEqual([
      ['service-mesh-sidecar', 'host', 'pod', 4000],
      ['ml-training', 'container', 'none', null],
    ]);
    expect(pod.podCgroupCfsQuota).toBe('none');
  });
});

describe('examples/full-pcpus-only-smt-rejection.yaml', () => {
  const out = only(simulateExample('full-pcpus-only-smt-rejection.yaml'));

  it('rejects the odd 3-CPU request with SMTAlignmentError', () => {
    expect(rejection(podNamed(out, 'odd-request'))).toEqual({
      admitted: false,
      reason: 'SMTAlignmentError',
      message: 'SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2',
    });
    expect(podNamed(out, 'odd-request').containers).toEqual([]);
  });

  it('admits the even 4-CPU request with two whole cores', () => {
    const pod = podNamed(out, 'even-request');
    expect(pod).toMatchObject({ admitted: true, path: 'pod' });
    expect(cpusOf(pod)).toEqual({ app: ['node_exclusive', '1-2,9-10'] });
  });

  it('admits the pod-level pod: the whole-core rule applies to its 4-CPU budget, not to the 3-CPU worker', () => {
    const pod = podNamed(out, 'pod-level');
    expect(pod).toMatchObject({ admitted: true, path: 'pod-level', numaAffinity: [0] });
    expect(pod.podPool).toEqual({ cpus: '3-4,11-12' });
    expect(pod.podSharedPool).toEqual({ cpus: '12' });
    expect(cpusOf(pod)).toEqual({ sidecar: ['pod_shared', '12'], worker: ['pod_exclusive', '3-4,11'] });
  });

  it('rejects 8 CPUs: only 6 free CPUs sit on cores without a reserved CPU', () => {
    expect(rejection(podNamed(out, 'too-big'))).toEqual({
      admitted: false,
      reason: 'SMTAlignmentError',
      message:
        'SMT Alignment Error: not enough free physical CPUs: available physical CPUs = 6, requested CPUs = 8, CPUs per core = 2',
    });
  });

  it('leaves 0,5-8,13-15 in the node shared pool', () => {
    expect(out.nodeSharedPool.cpus).toBe('0,5-8,13-15');
  });
});

describe('examples/single-numa-node-rejection.yaml', () => {
  const out = only(simulateExample('single-numa-node-rejection.yaml'));

  it('rejects the 18-CPU pod that fits no single NUMA node (TopologyAffinityError)', () => {
    const pod = podNamed(out, 'too-wide-for-one-numa');
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'TopologyAffinityError',
      message: 'Resources cannot be allocated with Topology locality',
    });
    expect(pod.path).toBe('pod');
    // The only CPU hint spans both nodes; single-numa-node drops it.
    const step = only(pod.explain!.steps);
    expect(step.providers.cpu).toEqual({ cpu: [{ numaAffinity: [0, 1], preferred: true }] });
    expect(step.merged).toEqual({ numaAffinity: null, preferred: false });
  });

  it('rejects the pod-level pod whose exclusive containers use the whole budget, with the pod-level message', () => {
    const pod = podNamed(out, 'empty-shared-pool');
    expect(pod.path).toBe('pod-level');
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'TopologyAffinityError',
      message: 'Pod Scope pod with pod-level resources failed admission under pod-scope topology manager',
    });
    // The CPU manager answers "cannot be satisfied" (an empty hint list).
    expect(only(pod.explain!.steps).providers.cpu).toEqual({ cpu: [] });
  });

  it('admits pod-scope-mixed on NUMA 0: main-app 1,17 and both sidecars on 2,18', () => {
    const pod = podNamed(out, 'pod-scope-mixed');
    expect(pod).toMatchObject({ admitted: true, path: 'pod-level', numaAffinity: [0] });
    expect(pod.podPool).toEqual({ cpus: '1-2,17-18' });
    expect(pod.podSharedPool).toEqual({ cpus: '2,18' });
    expect(cpusOf(pod)).toEqual({
      'metrics-sidecar': ['pod_shared', '2,18'],
      'logging-sidecar': ['pod_shared', '2,18'],
      'main-app': ['pod_exclusive', '1,17'],
    });
  });

  it('the rejected pods leave nothing behind', () => {
    expect(out.nodeSharedPool.cpus).toBe('0,3-16,19-31');
  });
});

describe('examples/amd-uncore-alignment.yaml (real Ryzen 9 5950X topology)', () => {
  const replays = replayExample('amd-uncore-alignment.yaml');
  const [aligned, packed] = replays.map((r) => r.out) as [SimulationOut, SimulationOut];
  const topo = replays[0]!.result.node.ctx.topology;
  /** The uncore caches (CCDs) a cpuset touches. */
  const uncoresOf = (cpus: string) => [
    ...new Set(
      parseCpuList(cpus)
        .toArray()
        .map((c) => topo.info(c).uncore),
    ),
  ];
  const placements = (out: SimulationOut) =>
    out.pods.map((p) => {
      expect(p.admitted).toBe(true);
      return [p.name, only(p.containers).cpus];
    });

  it('lists exactly the CPUs the MachineInfo reader derives from the real fixture', () => {
    const file = 'cpumgrx-amd-ryzen9-5950x-2ccd.cadvisor-v0.49.machineinfo.json';
    const real = toTopology(parseMachineInfo(readFileSync(path.join(realTopologies, file), 'utf8'), file));
    for (const r of replays) {
      expect(r.result.node.ctx.topology.cpus).toEqual(real.cpus);
      expect(r.result.node.ctx.topology.memory).toEqual(real.memory);
    }
    expect(topo.uncores).toEqual([0, 1]);
    expect(topo.cpusInUncore(0).toString()).toBe('0-7,16-23');
    expect(topo.cpusInUncore(1).toString()).toBe('8-15,24-31');
  });

  it('holds two scenarios with the same pods', () => {
    expect([aligned.scenario, packed.scenario]).toEqual(['amd-uncore-aligned', 'amd-uncore-default-packing']);
    expect(aligned.reservedCpus).toBe('0,16');
    expect(packed.reservedCpus).toBe('0,16');
  });

  it('with prefer-align-cpus-by-uncorecache every container stays inside one L3 cache', () => {
    expect(placements(aligned)).toEqual([
      ['app-a', '1-3,17-19'],
      ['app-b', '8-12,24-28'],
      ['app-c', '13-14,29-30'],
    ]);
    expect(aligned.pods.map((p) => uncoresOf(only(p.containers).cpus))).toEqual([[0], [1], [1]]);
    expect(aligned.nodeSharedPool.cpus).toBe('0,4-7,15-16,20-23,31');
    expect(aligned.metrics.kubelet_container_aligned_compute_resources_count.container!.uncore_cache).toBe(3);
  });

  it('without the option app-b straddles both CCDs', () => {
    expect(placements(packed)).toEqual([
      ['app-a', '1-3,17-19'],
      ['app-b', '4-8,20-24'],
      ['app-c', '9-10,25-26'],
    ]);
    expect(packed.pods.map((p) => uncoresOf(only(p.containers).cpus))).toEqual([[0], [0, 1], [1]]);
    expect(packed.nodeSharedPool.cpus).toBe('0,11-16,27-31');
    expect(packed.metrics.kubelet_container_aligned_compute_resources_count.container!.uncore_cache).toBe(2);
  });
});

describe('examples/distribute-cpus-across-numa.yaml', () => {
  const [distributed, packed] = simulateExample('distribute-cpus-across-numa.yaml') as [
    SimulationOut,
    SimulationOut,
  ];
  const byPod = (out: SimulationOut) =>
    Object.fromEntries(
      out.pods.map((p) => {
        const c = only(p.containers);
        expect(p.admitted).toBe(true);
        return [p.name, [c.cpus, c.numaNodes]];
      }),
    );

  it('distributes the 12-CPU pod 6+6 over NUMA 1 and 2 and puts the small pod on NUMA 3', () => {
    expect(distributed.scenario).toBe('distribute-cpus-across-numa');
    expect(byPod(distributed)).toEqual({
      wide: ['4-6,8-10,20-22,24-26', [1, 2]],
      small: ['12-13,28-29', [3]],
    });
  });

  it('packs the 12-CPU pod 8+4 (NUMA 1 whole, then NUMA 0) and splits the small pod over NUMA 0 and 2', () => {
    expect(packed.scenario).toBe('default-packed');
    expect(byPod(packed)).toEqual({
      wide: ['1-2,4-7,17-18,20-23', [0, 1]],
      small: ['3,8,19,24', [0, 2]],
    });
  });
});

describe('examples/pod-vs-container-scope.yaml (kubeman test bed machine)', () => {
  const [podScope, containerScope] = simulateExample('pod-vs-container-scope.yaml') as [
    SimulationOut,
    SimulationOut,
  ];

  it('scope pod: the 10-CPU pod fits no NUMA node and is rejected', () => {
    const pod = only(podScope.pods);
    expect(pod.path).toBe('pod');
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'TopologyAffinityError',
      message: 'Resources cannot be allocated with Topology locality',
    });
    expect(podScope.nodeSharedPool.cpus).toBe('0-23');
  });

  it('scope container: c1 lands on NUMA 0, c2 on NUMA 1', () => {
    const pod = only(containerScope.pods);
    expect(pod).toMatchObject({ admitted: true, path: 'container' });
    expect(pod.containers.map((c) => [c.name, c.cpus, c.numaNodes])).toEqual([
      ['c1', '2-4,14-15', [0]],
      ['c2', '8-10,20-21', [1]],
    ]);
    expect(containerScope.reservedCpus).toBe('0-1,6-7,12-13,18-19');
    expect(containerScope.nodeSharedPool.cpus).toBe('0-1,5-7,11-13,16-19,22-23');
  });
});

/** The memory manager's machine state of one NUMA node after the last admission. */
function numaState(result: SimulationResult, numa: number) {
  const state = result.node.memory?.machineState.get(numa);
  if (state === undefined) throw new Error(`no memory state for NUMA node ${numa}`);
  return state;
}

const NUMA0_MEMORY = 64 * Gi - 1100 * Mi; // 64Gi minus the 1100Mi of reservedMemory

describe('examples/tightly-coupled-database-static-memory.yaml (§11.1 with the Static memory manager)', () => {
  const { out, result } = only(replayExample('tightly-coupled-database-static-memory.yaml'));
  const pod = only(out.pods);

  it('admits db-0 on the pod-level path on NUMA 0, both managers offering {0} and {1}', () => {
    expect(out.scenario).toBe('tightly-coupled-database-static-memory');
    expect(pod).toMatchObject({
      admitted: true,
      qosClass: 'Guaranteed',
      path: 'pod-level',
      numaAffinity: [0],
    });
    const step = only(pod.explain!.steps);
    const hints = [
      { numaAffinity: [0], preferred: true },
      { numaAffinity: [1], preferred: true },
      { numaAffinity: [0, 1], preferred: false },
    ];
    expect(step.providers).toEqual({ cpu: { cpu: hints }, memory: { memory: hints } });
    expect(step.merged).toEqual({ numaAffinity: [0], preferred: true });
  });

  it('reserves one 16Gi pod block on NUMA 0: database 12Gi exclusive, the sidecars share 4Gi', () => {
    expect(pod.podPool).toEqual({
      cpus: '1-4,33-36',
      memory: [{ type: 'memory', numa: [0], size: 16 * Gi }],
    });
    expect(pod.podSharedPool).toEqual({
      cpus: '4,36',
      memory: [{ type: 'memory', numa: [0], size: 4 * Gi }],
    });
    expect(memoryOf(pod)).toEqual({
      'metrics-exporter': ['pod_shared', [{ type: 'memory', numa: [0], size: 4294967296 }]],
      'backup-agent': ['pod_shared', [{ type: 'memory', numa: [0], size: 4294967296 }]],
      database: ['pod_exclusive', [{ type: 'memory', numa: [0], size: 12884901888 }]],
    });
  });

  it('places the CPUs exactly as without the memory manager; cpuset.mems is NUMA 0 for every container', () => {
    expect(cpusOf(pod)).toEqual({
      'metrics-exporter': ['pod_shared', '4,36'],
      'backup-agent': ['pod_shared', '4,36'],
      database: ['pod_exclusive', '1-3,33-35'],
    });
    expect(out.nodeSharedPool.cpus).toBe('0,5-32,37-63');
    expect(pod.containers.map((c) => c.numaNodes)).toEqual([[0], [0], [0]]);
  });

  it('charges NUMA 0 once with the 16Gi pod total and leaves NUMA 1 untouched', () => {
    expect(numaState(result, 0)).toEqual({
      numberOfAssignments: 1,
      cells: [0],
      memoryMap: new Map([
        [
          'memory',
          {
            total: 68719476736n,
            systemReserved: 1153433600n,
            allocatable: 67566043136n,
            reserved: 17179869184n,
            free: 67566043136n - 17179869184n,
          },
        ],
      ]),
    });
    expect(numaState(result, 1)).toMatchObject({ numberOfAssignments: 0, cells: [1] });
    expect(numaState(result, 1).memoryMap.get('memory')).toMatchObject({ reserved: 0n, free: 68719476736n });
  });

  it('counts 4 memory pinning requests, 3 pod-level memory allocations, 1 pod_exclusive and 2 pod_shared', () => {
    const m = out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(4);
    expect(m.kubelet_memory_manager_pinning_errors_total).toBe(0);
    expect(m.resource_manager_allocations_total.memory).toEqual({ pod: 3, node: 0 });
    expect(m.resource_manager_container_assignments.memory).toEqual({
      node_exclusive: 0,
      pod_exclusive: 1,
      pod_shared: 2,
    });
  });
});

describe('examples/ml-workload-static-memory.yaml (§11.2 with the Static memory manager, quirk Q1)', () => {
  const [bestEffort, singleNuma] = replayExample('ml-workload-static-memory.yaml') as [Replay, Replay];

  it('holds two scenarios with the same pod on the container path', () => {
    expect([bestEffort.out.scenario, singleNuma.out.scenario]).toEqual([
      'ml-workload-static-memory-best-effort',
      'ml-workload-static-memory-single-numa-node',
    ]);
    expect(only(bestEffort.out.pods).path).toBe('container');
    expect(only(singleNuma.out.pods).path).toBe('container');
  });

  it('best-effort: the sidecar gets an EMPTY memory entry, ml-training 6Gi on NUMA 0 and CPUs 1,32-33', () => {
    const pod = only(bestEffort.out.pods);
    expect(pod.admitted).toBe(true);
    expect(pod.podPool).toBeUndefined();
    expect(pod.podSharedPool).toBeUndefined();
    expect(memoryOf(pod)).toEqual({
      'service-mesh-sidecar': ['node_shared', []],
      'ml-training': ['node_exclusive', [{ type: 'memory', numa: [0], size: 6442450944 }]],
    });
    // An entry without blocks (the kubelet writes JSON null), not a missing entry.
    expect(bestEffort.result.node.memory!.entries.get(pod.uid)!.get('service-mesh-sidecar')).toEqual([]);
    expect(pod.containers.map((c) => [c.name, c.numaNodes])).toEqual([
      ['service-mesh-sidecar', [0, 1]],
      ['ml-training', [0]],
    ]);
    expect(cpusOf(pod)).toEqual({
      'service-mesh-sidecar': ['node_shared', '0,2-31,34-63'],
      'ml-training': ['node_exclusive', '1,32-33'],
    });
    expect(pod.explain!.steps[0]!.merged).toEqual({ numaAffinity: [0, 1], preferred: true });
    expect(pod.explain!.notes).toEqual([
      'service-mesh-sidecar: the memory manager recorded an empty memory entry (quirk Q1): no memory pinning, counted as node_exclusive in resource_manager_container_assignments',
    ]);
  });

  it('best-effort: the empty entry counts as a pinning request and as node_exclusive, but allocates nothing', () => {
    const m = bestEffort.out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(2);
    expect(m.resource_manager_container_assignments.memory).toEqual({
      node_exclusive: 2,
      pod_exclusive: 0,
      pod_shared: 0,
    });
    expect(m.resource_manager_allocations_total.memory).toEqual({ pod: 0, node: 1 });
    expect(numaState(bestEffort.result, 0).numberOfAssignments).toBe(1);
    expect(numaState(bestEffort.result, 0).memoryMap.get('memory')!.reserved).toBe(6442450944n);
  });

  it('single-numa-node: rejected at the sidecar because an empty request has no default NUMA affinity', () => {
    const pod = only(singleNuma.out.pods);
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'UnexpectedAdmissionError',
      message:
        'Allocate failed due to [memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory is available, which is unexpected',
    });
    const step = only(pod.explain!.steps);
    expect(step.scope).toBe('service-mesh-sidecar');
    expect(step.merged).toEqual({ numaAffinity: null, preferred: true });
    const m = singleNuma.out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_memory_manager_pinning_errors_total).toBe(1);
    expect(m.resource_manager_allocation_errors_total.memory).toEqual({ pod: 0, node: 1 });
    expect(m.kubelet_topology_manager_admission_errors_total).toBe(1);
    expect(singleNuma.out.nodeSharedPool.cpus).toBe('0-63');
    expect(numaState(singleNuma.result, 0).numberOfAssignments).toBe(0);
  });
});

describe('examples/memory-q1-fidelity.yaml (quirk Q1: fidelity source vs documented)', () => {
  const [source, documented] = replayExample('memory-q1-fidelity.yaml') as [Replay, Replay];

  it('holds the same scenario under both fidelities', () => {
    expect([source.out.scenario, documented.out.scenario]).toEqual(['q1-source', 'q1-documented']);
    expect([source.result.input.fidelity, documented.result.input.fidelity]).toEqual([
      'source',
      'documented',
    ]);
  });

  it('source: the pod is rejected at the resource-less sidecar (UnexpectedAdmissionError)', () => {
    const pod = only(source.out.pods);
    expect(pod.path).toBe('container');
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'UnexpectedAdmissionError',
      message:
        'Allocate failed due to [memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory is available, which is unexpected',
    });
    const m = source.out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_memory_manager_pinning_errors_total).toBe(1);
    expect(m.resource_manager_allocation_errors_total.memory).toEqual({ pod: 0, node: 1 });
    expect(m.kubelet_topology_manager_admission_errors_total).toBe(1);
    expect(source.out.nodeSharedPool.cpus).toBe('0-31');
  });

  it('documented: admitted; the sidecar has no memory entry at all, app gets 4Gi on NUMA 0 and CPUs 1,17', () => {
    const pod = only(documented.out.pods);
    expect(pod).toMatchObject({ admitted: true, path: 'container' });
    expect(memoryOf(pod)).toEqual({
      'proxy-sidecar': ['node_shared', []],
      app: ['node_exclusive', [{ type: 'memory', numa: [0], size: 4294967296 }]],
    });
    expect(documented.result.node.memory!.entries.get(pod.uid)!.has('proxy-sidecar')).toBe(false);
    expect(cpusOf(pod)).toEqual({
      'proxy-sidecar': ['node_shared', '0,2-16,18-31'],
      app: ['node_exclusive', '1,17'],
    });
    expect(pod.containers.map((c) => c.numaNodes)).toEqual([[0, 1], [0]]);
    const m = documented.out.metrics;
    expect(m.kubelet_memory_manager_pinning_requests_total).toBe(1);
    expect(m.kubelet_memory_manager_pinning_errors_total).toBe(0);
    expect(m.resource_manager_container_assignments.memory).toEqual({
      node_exclusive: 1,
      pod_exclusive: 0,
      pod_shared: 0,
    });
  });
});

describe('examples/hugepages.yaml', () => {
  const [containerScope, podLevel] = replayExample('hugepages.yaml') as [Replay, Replay];

  it('holds two scenarios', () => {
    expect([containerScope.out.scenario, podLevel.out.scenario]).toEqual([
      'hugepages-container-scope',
      'hugepages-pod-level',
    ]);
  });

  it('regular memory allocatable excludes the 9Gi of hugepages on each node', () => {
    /** type → [total, systemReserved, allocatable] */
    const tables = (numa: number) =>
      Object.fromEntries(
        [...numaState(podLevel.result, numa).memoryMap].map(([type, t]) => [
          type,
          [t.total, t.systemReserved, t.allocatable],
        ]),
      );
    expect(tables(0)).toEqual({
      memory: [68719476736n, 1153433600n, 57902366720n],
      'hugepages-1Gi': [8589934592n, 0n, 8589934592n],
      'hugepages-2Mi': [1073741824n, 0n, 1073741824n],
    });
    expect(tables(1)).toEqual({
      memory: [68719476736n, 0n, 59055800320n],
      'hugepages-1Gi': [8589934592n, 0n, 8589934592n],
      'hugepages-2Mi': [1073741824n, 0n, 1073741824n],
    });
    expect(57902366720).toBe(64 * Gi - 1100 * Mi - 9 * Gi);
    expect(59055800320).toBe(55 * Gi);
  });

  it('cache (54Gi) fits only NUMA 1: NUMA 0 has 53.9Gi of regular memory after its hugepages', () => {
    const pod = podNamed(containerScope.out, 'cache');
    expect(pod.admitted).toBe(true);
    expect(memoryOf(pod)).toEqual({
      memcached: ['node_exclusive', [{ type: 'memory', numa: [1], size: 57982058496 }]],
    });
    expect(cpusOf(pod)).toEqual({ memcached: ['node_exclusive', '16,48'] });
    expect(only(pod.explain!.steps).providers.memory).toEqual({
      memory: [
        { numaAffinity: [1], preferred: true },
        { numaAffinity: [0, 1], preferred: false },
      ],
    });
  });

  it('dpdk gets one block per type on NUMA 0 and counts one assignment and one allocation per type', () => {
    const pod = podNamed(containerScope.out, 'dpdk');
    expect(pod.admitted).toBe(true);
    expect(memoryOf(pod)).toEqual({
      fwd: [
        'node_exclusive',
        [
          { type: 'memory', numa: [0], size: 4294967296 },
          { type: 'hugepages-1Gi', numa: [0], size: 6442450944 },
        ],
      ],
    });
    expect(cpusOf(pod)).toEqual({ fwd: ['node_exclusive', '1-2,33-34'] });
    expect(only(pod.explain!.steps).providers.memory).toEqual({
      memory: [{ numaAffinity: [0], preferred: true }],
      'hugepages-1Gi': [{ numaAffinity: [0], preferred: true }],
    });
    const numa0 = numaState(containerScope.result, 0);
    expect(numa0.numberOfAssignments).toBe(2);
    expect(numa0.memoryMap.get('hugepages-1Gi')).toMatchObject({
      reserved: 6n * BigInt(Gi),
      free: 2n * BigInt(Gi),
    });
    expect(numa0.memoryMap.get('memory')).toMatchObject({ reserved: 4n * BigInt(Gi) });
    // NUMA 1: all its 1Gi pages free, but only 1Gi of regular memory left after cache.
    const numa1 = numaState(containerScope.result, 1);
    expect(numa1.numberOfAssignments).toBe(1);
    expect(numa1.memoryMap.get('hugepages-1Gi')!.free).toBe(8589934592n);
    expect(numa1.memoryMap.get('memory')!.free).toBe(BigInt(Gi));
    const m = containerScope.out.metrics;
    expect(m.resource_manager_allocations_total.memory).toEqual({ pod: 0, node: 3 });
    expect(m.resource_manager_container_assignments.memory).toEqual({
      node_exclusive: 2,
      pod_exclusive: 0,
      pod_shared: 0,
    });
  });

  it('pod level: pool of 8Gi memory + 512Mi hugepages-2Mi on NUMA 0, split into dataplane and the shared rest', () => {
    const pod = only(podLevel.out.pods);
    expect(pod).toMatchObject({ admitted: true, path: 'pod-level', numaAffinity: [0] });
    expect(pod.podPool).toEqual({
      cpus: '1-2,33-34',
      memory: [
        { type: 'memory', numa: [0], size: 8589934592 },
        { type: 'hugepages-2Mi', numa: [0], size: 536870912 },
      ],
    });
    const half = [
      { type: 'memory', numa: [0], size: 4294967296 },
      { type: 'hugepages-2Mi', numa: [0], size: 268435456 },
    ];
    expect(pod.podSharedPool).toEqual({ cpus: '2,34', memory: half });
    expect(memoryOf(pod)).toEqual({
      'log-shipper': ['pod_shared', half],
      dataplane: ['pod_exclusive', half],
    });
    expect(cpusOf(pod)).toEqual({
      'log-shipper': ['pod_shared', '2,34'],
      dataplane: ['pod_exclusive', '1,33'],
    });
    const numa0 = numaState(podLevel.result, 0);
    expect(numa0.numberOfAssignments).toBe(2); // charged once per type, with the pod totals
    expect(numa0.memoryMap.get('memory')!.reserved).toBe(8589934592n);
    expect(numa0.memoryMap.get('hugepages-2Mi')!.reserved).toBe(536870912n);
    expect(podLevel.out.metrics.kubelet_memory_manager_pinning_requests_total).toBe(3);
  });
});

describe('examples/cross-numa-memory-group.yaml', () => {
  const { out, result } = only(replayExample('cross-numa-memory-group.yaml'));

  it('big: one 100Gi block spanning NUMA 0 and 1, charged node by node; the nodes form the group {0,1}', () => {
    const pod = podNamed(out, 'big');
    expect(pod.admitted).toBe(true);
    expect(memoryOf(pod)).toEqual({
      app: ['node_exclusive', [{ type: 'memory', numa: [0, 1], size: 100 * Gi }]],
    });
    expect(cpusOf(pod)).toEqual({ app: ['node_exclusive', '1,33'] });
    const step = only(pod.explain!.steps);
    expect(step.providers.memory).toEqual({ memory: [{ numaAffinity: [0, 1], preferred: true }] });
    expect(step.merged).toEqual({ numaAffinity: [0, 1], preferred: false });
    expect(100 * Gi - NUMA0_MEMORY).toBe(39808139264);
  });

  it('small: 4Gi would fit one node, but grouped nodes serve only the group -> 4Gi on [0,1]', () => {
    const pod = podNamed(out, 'small');
    expect(pod.admitted).toBe(true);
    expect(memoryOf(pod)).toEqual({
      app: ['node_exclusive', [{ type: 'memory', numa: [0, 1], size: 4294967296 }]],
    });
    expect(cpusOf(pod)).toEqual({ app: ['node_exclusive', '2,34'] });
    const step = only(pod.explain!.steps);
    expect(step.providers.memory).toEqual({ memory: [{ numaAffinity: [0, 1], preferred: false }] });
    expect(step.merged).toEqual({ numaAffinity: [0, 1], preferred: false });
  });

  it('rest: the group lacks 30Gi, the memory manager has no hint, and extending {0} fails', () => {
    const pod = podNamed(out, 'rest');
    expect(rejection(pod)).toEqual({
      admitted: false,
      reason: 'UnexpectedAdmissionError',
      message:
        'Allocate failed due to [memorymanager] failed to find NUMA nodes to extend the current topology hint, which is unexpected',
    });
    const step = only(pod.explain!.steps);
    expect(step.providers.memory).toEqual({}); // an empty hint map: "no preference"
    expect(step.merged).toEqual({ numaAffinity: [0], preferred: true });
  });

  it('leaves the group {0,1} with both blocks, and nothing of the rejected pod', () => {
    const [numa0, numa1] = [numaState(result, 0), numaState(result, 1)];
    expect([numa0.cells, numa1.cells]).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect([numa0.numberOfAssignments, numa1.numberOfAssignments]).toEqual([2, 2]);
    expect(numa0.memoryMap.get('memory')).toMatchObject({ free: 0n, reserved: BigInt(NUMA0_MEMORY) });
    expect(numa1.memoryMap.get('memory')).toMatchObject({ reserved: 39808139264n + 4294967296n });
    // free in the group: 24Gi - 1100Mi < 30Gi
    expect(numa1.memoryMap.get('memory')!.free).toBe(BigInt(24 * Gi - 1100 * Mi));
    expect(out.nodeSharedPool.cpus).toBe('0,3-32,35-63');
    expect(out.metrics.resource_manager_allocation_errors_total.memory).toEqual({ pod: 0, node: 1 });
  });
});
