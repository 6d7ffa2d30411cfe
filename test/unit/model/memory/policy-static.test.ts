// The Static memory manager, table-driven in the kubelet's style: hints, cross-NUMA groups,
// hugepages, init-container reuse, start-up checks and restored state validation.

import { maskOf } from '../../../../src/model/bitmask.js';
import {
  calculateMemoryHints,
  newStaticMemoryPolicy,
  NO_REUSABLE_MEMORY,
  validateMemoryState,
} from '../../../../src/model/memory/policy-static.js';
import type { MachineState } from '../../../../src/model/memory/state.js';
import { runSimulation } from '../../../../src/model/simulate.js';
import type { Pod } from '../../../../src/model/pod.js';
import { toSimulationOut } from '../../../../src/render/simulation.js';
import {
  aNode,
  aPod,
  guaranteed,
  machines,
  seedKubeletStatic,
  simulation,
} from '../../../helpers/builders.js';
import { cpuInvariantViolations } from '../../../helpers/invariants.js';
import { memoryInvariantViolations } from '../../../helpers/memory-invariants.js';

const Gi = 1n << 30n;
const table = (allocatable: bigint, free = allocatable) => ({
  total: allocatable,
  systemReserved: 0n,
  allocatable,
  reserved: allocatable - free,
  free,
});
function machine(
  nodes: { free: bigint; allocatable?: bigint; assignments?: number; cells?: number[] }[],
): MachineState {
  return new Map(
    nodes.map((n, i) => [
      i,
      {
        numberOfAssignments: n.assignments ?? 0,
        memoryMap: new Map([['memory', table(n.allocatable ?? 10n * Gi, n.free)]]),
        cells: n.cells ?? [i],
      },
    ]),
  );
}
const fmt = (hints: Map<string, { mask: number | null; preferred: boolean }[]>) =>
  (hints.get('memory') ?? []).map(
    (h) => `${h.mask === null ? 'nil' : h.mask.toString(2)}${h.preferred ? '*' : ''}`,
  );

describe('calculateMemoryHints', () => {
  it.each([
    [
      'fresh two-node machine, 4Gi: both single nodes preferred, the pair not',
      [{ free: 10n * Gi }, { free: 10n * Gi }],
      4n * Gi,
      ['1*', '10*', '11'],
    ],
    [
      '12Gi fits no single node: only the pair, preferred',
      [{ free: 10n * Gi }, { free: 10n * Gi }],
      12n * Gi,
      ['11*'],
    ],
    [
      'a busy node 0 (2Gi free) drops {0}; {1} stays preferred',
      [{ free: 2n * Gi, assignments: 1 }, { free: 10n * Gi }],
      4n * Gi,
      ['10*'],
    ],
    [
      'a single-NUMA allocation on node 0 forbids the pair {0,1}',
      [{ free: 2n * Gi, assignments: 1 }, { free: 10n * Gi }],
      12n * Gi,
      [],
    ],
    [
      'nodes grouped as {0,1} take further cross-NUMA requests, never single-node ones',
      [
        { free: 5n * Gi, assignments: 1, cells: [0, 1] },
        { free: 5n * Gi, assignments: 1, cells: [0, 1] },
      ],
      4n * Gi,
      ['11'],
    ],
    ['nothing fits: no hint at all (an empty map)', [{ free: 10n * Gi }, { free: 10n * Gi }], 30n * Gi, []],
  ])('%s', (_name, nodes, request, expected) => {
    expect(
      fmt(calculateMemoryHints(machine(nodes), new Map([['memory', request]]), NO_REUSABLE_MEMORY)),
    ).toEqual(expected);
  });

  it('counts the pod’s reusable init-container memory on exactly the same mask', () => {
    const reusable = new Map([[maskOf([0]), new Map([['memory', 4n * Gi]])]]);
    const m = machine([{ free: 2n * Gi, assignments: 1 }, { free: 1n * Gi }]);
    expect(fmt(calculateMemoryHints(m, new Map([['memory', 6n * Gi]]), reusable))).toEqual(['1*']);
  });

  it('an empty request gives an empty map (the kubelet’s "no preference")', () => {
    expect(calculateMemoryHints(machine([{ free: Gi }]), new Map(), NO_REUSABLE_MEMORY).size).toBe(0);
  });
});

function simulate(kubelet: Record<string, unknown>, pods: Pod[], hugepages: Record<string, string> = {}) {
  const node = aNode().topology(machines.dualSocketHT).memory('64Gi', hugepages).config(kubelet).build();
  const outcome = runSimulation(simulation(node, pods));
  if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.error}`);
  expect(cpuInvariantViolations(outcome.result)).toEqual([]);
  expect(memoryInvariantViolations(outcome.result)).toEqual([]);
  return { result: outcome.result, out: toSimulationOut(outcome.result, { explain: false, warnings: [] }) };
}

const containerScope = {
  ...seedKubeletStatic,
  topologyManagerPolicy: 'best-effort',
  topologyManagerScope: 'container',
};

describe('node-path allocation', () => {
  it('a container larger than one NUMA node gets one block spanning both, and the nodes form a group', () => {
    const big = aPod('big').container('app', guaranteed('2', '100Gi')).build();
    const { out, result } = simulate(containerScope, [big]);
    expect(out.pods[0]!.containers[0]!.memory).toEqual([
      { type: 'memory', numa: [0, 1], size: 100 * 2 ** 30 },
    ]);
    const ms = result.node.memory!.machineState;
    expect([ms.get(0)!.cells, ms.get(1)!.cells]).toEqual([
      [0, 1],
      [0, 1],
    ]);
    expect([ms.get(0)!.numberOfAssignments, ms.get(1)!.numberOfAssignments]).toEqual([1, 1]);
    // charged node by node: NUMA 0 is emptied first
    expect(ms.get(0)!.memoryMap.get('memory')!.free).toBe(0n);
    expect(ms.get(1)!.memoryMap.get('memory')!.reserved).toBe(100n * Gi - 67566043136n);
  });

  it('memory and hugepages: one block per type, one assignment per type on the node', () => {
    const pod = aPod('hp')
      .container('app', {
        requests: { cpu: 2000, memory: 2n * Gi, hugepages: { 'hugepages-1Gi': 2n * Gi } },
        limits: { cpu: 2000, memory: 2n * Gi, hugepages: { 'hugepages-1Gi': 2n * Gi } },
      })
      .build();
    const { out, result } = simulate(containerScope, [pod], { 'hugepages-1Gi': '8Gi' });
    expect(out.pods[0]!.containers[0]!.memory).toEqual([
      { type: 'memory', numa: [0], size: 2 * 2 ** 30 },
      { type: 'hugepages-1Gi', numa: [0], size: 2 * 2 ** 30 },
    ]);
    const numa0 = result.node.memory!.machineState.get(0)!;
    expect(numa0.numberOfAssignments).toBe(2);
    expect(numa0.memoryMap.get('hugepages-1Gi')).toMatchObject({
      total: 8n * Gi,
      allocatable: 8n * Gi,
      free: 6n * Gi,
    });
    // regular memory excludes what the hugepages hold
    expect(numa0.memoryMap.get('memory')!.allocatable).toBe(68719476736n - 1153433600n - 8n * Gi);
    expect(out.metrics.resource_manager_allocations_total.memory).toEqual({ pod: 0, node: 2 });
  });

  it('an app container reuses its init container’s memory; the init block shrinks so Σ blocks = charged', () => {
    const pod = aPod('reuse')
      .init('setup', guaranteed('1', '4Gi'))
      .container('app', guaranteed('1', '3Gi'))
      .build();
    const { result } = simulate(containerScope, [pod]);
    const entries = result.node.memory!.entries.get(pod.uid)!;
    expect(entries.get('setup')).toEqual([{ numaAffinity: [0], type: 'memory', size: 1n * Gi }]);
    expect(entries.get('app')).toEqual([{ numaAffinity: [0], type: 'memory', size: 3n * Gi }]);
    expect(result.node.memory!.machineState.get(0)!.memoryMap.get('memory')!.reserved).toBe(4n * Gi);
  });

  it('a Burstable pod is ignored by the memory manager', () => {
    const pod = aPod('b')
      .container('app', {
        requests: { memory: Gi, hugepages: {} },
        limits: { memory: 2n * Gi, hugepages: {} },
      })
      .build();
    const { out } = simulate(containerScope, [pod]);
    expect(out.pods[0]!.containers[0]!.memory).toEqual([]);
    expect(out.metrics.kubelet_memory_manager_pinning_requests_total).toBe(0);
  });
});

describe('pod-level memory', () => {
  const podScope = { ...seedKubeletStatic, topologyManagerPolicy: 'restricted', topologyManagerScope: 'pod' };

  it('a fractional CPU budget gets a memory pool but no CPU pool', () => {
    const pod = aPod('frac')
      .podLevel('1500m', '4Gi')
      .sidecar('log')
      .container('app', guaranteed('1', '1Gi'))
      .build();
    const { out } = simulate(podScope, [pod]);
    const p = out.pods[0]!;
    expect(p.podPool).toEqual({ memory: [{ type: 'memory', numa: [0], size: 4 * 2 ** 30 }] });
    expect(p.podSharedPool).toEqual({ memory: [{ type: 'memory', numa: [0], size: 3 * 2 ** 30 }] });
    expect(p.containers.map((c) => [c.name, c.assignment.cpu, c.assignment.memory])).toEqual([
      ['log', 'node_shared', 'pod_shared'],
      ['app', 'node_shared', 'pod_exclusive'],
    ]);
  });

  it('exclusive memory using the whole budget next to a shared sidecar is rejected (memory validation text under best-effort)', () => {
    const pod = aPod('full')
      .podLevel('3500m', '4Gi')
      .sidecar('log')
      .container('app', guaranteed('1', '4Gi'))
      .build();
    const { out } = simulate({ ...podScope, topologyManagerPolicy: 'best-effort' }, [pod]);
    expect(out.pods[0]).toMatchObject({
      admitted: false,
      reason: 'EmptyPodSharedPoolError',
      message:
        'pod rejected, sum of exclusive container memory requests equals pod budget, leaving no memory for shared containers',
    });
    expect(out.metrics.resource_manager_allocation_errors_total.memory).toEqual({ pod: 1, node: 0 });
  });
});

describe('start-up checks (§1.7)', () => {
  const topo = aNode().topology(machines.dualSocketHT).memory('64Gi').build().topology;
  const config = (kubelet: Record<string, unknown>) => aNode().config(kubelet).build().config;
  const gates = { plr: true, plrm: true };

  it.each([
    [
      'reservedMemory must match kube + system reserved + eviction',
      { ...seedKubeletStatic, reservedMemory: [{ numaNode: 0, limits: { memory: '1Gi' } }] },
      'the total amount "1Gi" of type "memory" is not equal to the value "1100Mi" determined by Node Allocatable feature',
    ],
    [
      'some system reserved memory is required',
      {
        ...seedKubeletStatic,
        kubeReserved: {},
        systemReserved: {},
        evictionHard: { 'memory.available': '0' },
        reservedMemory: [],
      },
      '[memorymanager] you should specify the system reserved memory',
    ],
  ])('%s', (_name, kubelet, error) => {
    const made = newStaticMemoryPolicy(topo, config(kubelet), gates, 'source');
    expect(made.ok ? null : made.error).toBe(error);
  });

  it('accepts a percentage eviction threshold of the node memory', () => {
    // 1% of 128Gi = 1374389534 bytes; + 1000Mi reserved
    const reservation = 1374389534n + 1000n * (1n << 20n);
    const kubelet = {
      ...seedKubeletStatic,
      evictionHard: { 'memory.available': '1%' },
      reservedMemory: [{ numaNode: 0, limits: { memory: String(reservation) } }],
    };
    expect(newStaticMemoryPolicy(topo, config(kubelet), gates, 'source').ok).toBe(true);
  });

  it('validateState accepts the state the model produced and refuses a tampered one', () => {
    const { result } = simulate(containerScope, [aPod('a').container('app', guaranteed('1', '4Gi')).build()]);
    const policy = result.node.ctx.memoryPolicy!;
    const state = result.node.memory!;
    expect(validateMemoryState(policy, state)).toBeNull();
    const tampered = new Map(state.machineState);
    tampered.set(0, { ...state.machineState.get(0)!, numberOfAssignments: 5 });
    expect(validateMemoryState(policy, { ...state, machineState: tampered })).toBe(
      '[memorymanager] the expected machine state is different from the real one',
    );
  });
});
