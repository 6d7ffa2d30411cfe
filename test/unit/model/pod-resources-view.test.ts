// The model's prediction of the PodResources API (allocator-model.md §7): `List` on 1.36 vs 1.37
// for pod-level and classic pods, with and without the Static memory manager, and
// `GetAllocatableResources`; and that a prediction has exactly the shape a parsed observation has.

import type { KubeletVersion } from '../../../src/model/kubelet-config.js';
import type { Pod } from '../../../src/model/pod.js';
import type { PodResourcesEntry } from '../../../src/model/pod-resources.js';
import { allocatableResources, reportedPodResources } from '../../../src/model/pod-resources-view.js';
import { runSimulation, type SimulationResult } from '../../../src/model/simulate.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../src/parse/podresources.js';
import {
  aNode,
  aPod,
  guaranteed,
  machines,
  seedDatabasePod,
  seedKubelet,
  seedKubeletStatic,
  seedMlPod,
  simulation,
} from '../../helpers/builders.js';

const Gi = 1073741824n;

function run(kubelet: Record<string, unknown>, pods: Pod[], version: KubeletVersion, memory = false) {
  const builder = aNode().topology(machines.dualSocketHT).config(kubelet).kubeletVersion(version);
  const node = (memory ? builder.memory('64Gi') : builder).build();
  const outcome = runSimulation(simulation(node, pods));
  if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.error}`);
  return outcome.result;
}

/** The model's `List` entry for admitted pod `i`, from the final state (as render/simulation.ts builds it). */
function reported(result: SimulationResult, i = 0, withMemory = true): PodResourcesEntry {
  const a = result.admissions[i]!;
  expect(a.admitted).toBe(true);
  const { node } = result;
  const uid = a.pod.uid;
  const exclusiveByName = new Map(a.placements.map((p) => [p.container.name, p.exclusiveCpus]));
  const memory = withMemory
    ? { entries: node.memory?.entries.get(uid), podBlocks: node.memory?.podEntries.get(uid) }
    : undefined;
  return reportedPodResources(
    node.ctx.config.kubeletVersion,
    a.pod,
    node.cpu.entries.get(uid),
    node.cpu.podEntries.get(uid),
    exclusiveByName,
    memory,
  );
}

const container = (name: string, cpuIds: number[], memory: PodResourcesEntry['memory'] = []) => ({
  name,
  cpuIds,
  memory,
  devices: [],
  dynamicResources: [],
});

const podScope = (kubelet: Record<string, unknown>, policy = 'single-numa-node') => ({
  ...kubelet,
  topologyManagerPolicy: policy,
  topologyManagerScope: 'pod',
});
const containerScope = (kubelet: Record<string, unknown>, policy: string) => ({
  ...kubelet,
  topologyManagerPolicy: policy,
  topologyManagerScope: 'container',
});

describe('seed 1 under pod scope with PLRM on, CPU side (§7, §11.1 step 7)', () => {
  it('1.36: no pod-level fields; the shared sidecars report the pod shared pool 4,36 (quirk Q2)', () => {
    expect(reported(run(podScope(seedKubelet), [seedDatabasePod()], '1.36'))).toStrictEqual({
      name: 'db-0',
      namespace: 'db',
      cpuIds: [],
      memory: [],
      containers: [
        container('metrics-exporter', [4, 36]),
        container('backup-agent', [4, 36]),
        container('database', [1, 2, 3, 33, 34, 35]),
      ],
    });
  });

  it('1.37: the pod reports the pod pool 1-4,33-36; the shared sidecars report nothing', () => {
    expect(reported(run(podScope(seedKubelet), [seedDatabasePod()], '1.37'))).toStrictEqual({
      name: 'db-0',
      namespace: 'db',
      cpuIds: [1, 2, 3, 4, 33, 34, 35, 36],
      memory: [],
      containers: [
        container('metrics-exporter', []),
        container('backup-agent', []),
        container('database', [1, 2, 3, 33, 34, 35]),
      ],
    });
  });

  it('1.37: Pod.cpu_ids − ∪ container cpu_ids is the pod shared pool', () => {
    const entry = reported(run(podScope(seedKubelet), [seedDatabasePod()], '1.37'));
    const used = new Set(entry.containers.flatMap((c) => c.cpuIds));
    expect(entry.cpuIds.filter((c) => !used.has(c))).toEqual([4, 36]);
  });

  it('keeps the 5-argument call: memory is empty without memory blocks', () => {
    const result = run(podScope(seedKubeletStatic), [seedDatabasePod()], '1.37', true);
    const entry = reported(result, 0, false);
    expect(entry.memory).toEqual([]);
    expect(entry.containers.every((c) => c.memory.length === 0)).toBe(true);
  });
});

describe('seed 1 under pod scope with the Static memory manager', () => {
  it('1.36: the sidecars report the shared 4Gi block (double counting), the database its 12Gi', () => {
    const entry = reported(run(podScope(seedKubeletStatic), [seedDatabasePod()], '1.36', true));
    expect(entry).toStrictEqual({
      name: 'db-0',
      namespace: 'db',
      cpuIds: [],
      memory: [],
      containers: [
        container('metrics-exporter', [4, 36], [{ type: 'memory', size: 4n * Gi, numa: [0] }]),
        container('backup-agent', [4, 36], [{ type: 'memory', size: 4n * Gi, numa: [0] }]),
        container('database', [1, 2, 3, 33, 34, 35], [{ type: 'memory', size: 12n * Gi, numa: [0] }]),
      ],
    });
  });

  it('1.37: the pod reports 16Gi on NUMA 0, the database 12Gi, the sidecars nothing', () => {
    const entry = reported(run(podScope(seedKubeletStatic), [seedDatabasePod()], '1.37', true));
    expect(entry).toStrictEqual({
      name: 'db-0',
      namespace: 'db',
      cpuIds: [1, 2, 3, 4, 33, 34, 35, 36],
      memory: [{ type: 'memory', size: 16n * Gi, numa: [0] }],
      containers: [
        container('metrics-exporter', []),
        container('backup-agent', []),
        container('database', [1, 2, 3, 33, 34, 35], [{ type: 'memory', size: 12n * Gi, numa: [0] }]),
      ],
    });
  });

  it('1.37: a container with 1500m CPUs but equivalent Guaranteed memory reports its memory and no CPUs', () => {
    const pod = aPod('web-0', 'web')
      .podLevel('4', '8Gi')
      .sidecar('proxy')
      .container('web', guaranteed('1500m', '2Gi'))
      .build();
    const result = run(podScope(seedKubeletStatic), [pod], '1.37', true);
    const placements = result.admissions[0]!.placements.map((p) => [p.container.name, p.cpu, p.memory]);
    expect(placements).toEqual([
      ['proxy', 'pod_shared', 'pod_shared'],
      ['web', 'pod_shared', 'pod_exclusive'],
    ]);
    const entry = reported(result);
    expect(entry.cpuIds).toEqual([1, 2, 33, 34]);
    expect(entry.memory).toEqual([{ type: 'memory', size: 8n * Gi, numa: [0] }]);
    expect(entry.containers).toStrictEqual([
      container('proxy', []),
      container('web', [], [{ type: 'memory', size: 2n * Gi, numa: [0] }]),
    ]);
  });
});

describe('standard init containers and container scope', () => {
  it('a standard init container is not listed (1.36 and 1.37)', () => {
    const pod = aPod('job-0', 'batch')
      .podLevel('4', '8Gi')
      .init('setup')
      .sidecar('log-shipper')
      .container('worker', guaranteed('2', '4Gi'))
      .build();
    for (const version of ['1.36', '1.37'] as const) {
      const entry = reported(run(podScope(seedKubeletStatic), [pod], version, true));
      expect(entry.containers.map((c) => c.name)).toEqual(['log-shipper', 'worker']);
    }
  });

  it.each(['1.36', '1.37'] as const)(
    'seed 2, container scope, best-effort, %s: no pod-level fields; the Q1 sidecar reports empty memory',
    (version) => {
      const result = run(containerScope(seedKubeletStatic, 'best-effort'), [seedMlPod()], version, true);
      // the sidecar has an empty memory entry (quirk Q1)
      expect(result.node.memory?.entries.get(seedMlPod().uid)?.get('service-mesh-sidecar')).toEqual([]);
      expect(reported(result)).toStrictEqual({
        name: 'ml-0',
        namespace: 'ml',
        cpuIds: [],
        memory: [],
        containers: [
          container('service-mesh-sidecar', []),
          container('ml-training', [1, 32, 33], [{ type: 'memory', size: 6n * Gi, numa: [0] }]),
        ],
      });
    },
  );

  it('a classic Guaranteed pod reports its exclusive CPUs; a Burstable one reports nothing', () => {
    const classic = aPod('db-1', 'db').container('db', guaranteed('2', '1Gi')).build();
    const burstable = aPod('web-1', 'web').container('web').build();
    const result = run(podScope(seedKubelet), [classic, burstable], '1.37');
    expect(reported(result, 0)).toStrictEqual({
      name: 'db-1',
      namespace: 'db',
      cpuIds: [],
      memory: [],
      containers: [container('db', [1, 33])],
    });
    expect(reported(result, 1).containers).toStrictEqual([container('web', [])]);
  });
});

describe('the prediction has the shape of a parsed observation', () => {
  it('a classic pod: the model entry deep-equals the parsed Go JSON and protojson dumps of it', () => {
    // Guaranteed: the 500m exporter shares CPUs but the memory manager pins its memory too.
    const pod = aPod('db-1', 'db')
      .container('db', guaranteed('2', '1Gi'))
      .container('exporter', guaranteed('500m', '256Mi'))
      .build();
    const predicted = reported(
      run(containerScope(seedKubeletStatic, 'single-numa-node'), [pod], '1.36', true),
    );
    // What a kubelet would answer for this pod (written for this test, in both spellings).
    const goJson = JSON.stringify({
      pod_resources: [
        {
          name: 'db-1',
          namespace: 'db',
          containers: [
            {
              name: 'db',
              cpu_ids: [33, 1],
              memory: [{ memory_type: 'memory', size: 1073741824, topology: { nodes: [{ ID: 0 }] } }],
            },
            {
              name: 'exporter',
              memory: [{ memory_type: 'memory', size: 268435456, topology: { nodes: [{ ID: 0 }] } }],
            },
          ],
        },
      ],
    });
    const protojson = JSON.stringify({
      podResources: [
        {
          name: 'db-1',
          namespace: 'db',
          containers: [
            {
              name: 'db',
              cpuIds: ['1', '33'],
              memory: [{ memoryType: 'memory', size: '1073741824', topology: { nodes: [{}] } }],
            },
            {
              name: 'exporter',
              memory: [{ memoryType: 'memory', size: '268435456', topology: { nodes: [{}] } }],
            },
          ],
        },
      ],
    });
    expect(predicted.containers[1]?.memory).toEqual([{ type: 'memory', size: 268435456n, numa: [0] }]);
    expect(parsePodResourcesList(goJson, 'go.json').pods[0]).toStrictEqual(predicted);
    expect(parsePodResourcesList(protojson, 'protojson.json').pods[0]).toStrictEqual(predicted);
  });

  it('seed 1 on 1.37: the model entry deep-equals a parsed protojson answer', () => {
    const predicted = reported(run(podScope(seedKubeletStatic), [seedDatabasePod()], '1.37', true));
    const protojson = JSON.stringify({
      podResources: [
        {
          name: 'db-0',
          namespace: 'db',
          containers: [
            { name: 'metrics-exporter' },
            { name: 'backup-agent' },
            {
              name: 'database',
              cpuIds: ['1', '2', '3', '33', '34', '35'],
              memory: [{ memoryType: 'memory', size: '12884901888', topology: { nodes: [{}] } }],
            },
          ],
          cpuIds: ['1', '2', '3', '4', '33', '34', '35', '36'],
          memory: [{ memoryType: 'memory', size: '17179869184', topology: { nodes: [{}] } }],
        },
      ],
    });
    expect(parsePodResourcesList(protojson, 'x').pods[0]).toStrictEqual(predicted);
  });
});

describe('allocatableResources (GetAllocatableResources)', () => {
  it('static CPU policy and Static memory: all CPUs but the reserved one, one entry per NUMA node', () => {
    const result = run(podScope(seedKubeletStatic), [seedDatabasePod()], '1.37', true);
    const { ctx, memory } = result.node;
    const predicted = allocatableResources(ctx.topology, ctx.cpuPolicy, memory?.machineState ?? null);
    expect(predicted.cpuIds).toEqual(Array.from({ length: 63 }, (_, i) => i + 1));
    // allocatable, not free: the seed 1 pod does not change it
    expect(predicted.memory).toStrictEqual([
      { type: 'memory', size: 67566043136n, numa: [0] },
      { type: 'memory', size: 68719476736n, numa: [1] },
    ]);
    expect(predicted.devices).toEqual([]);
    const observed = parseAllocatableResources(
      JSON.stringify({
        cpuIds: predicted.cpuIds.map(String).reverse(),
        memory: [
          { memoryType: 'memory', size: '68719476736', topology: { nodes: [{ ID: '1' }] } },
          { memoryType: 'memory', size: '67566043136', topology: { nodes: [{}] } },
        ],
      }),
      'x',
    );
    expect(observed).toStrictEqual(predicted);
  });

  it('lists hugepages with allocatable > 0 as their own entries (memory excludes the hugepages)', () => {
    const node = aNode()
      .topology(machines.dualSocketHT)
      .memory('64Gi', { 'hugepages-1Gi': '4Gi', 'hugepages-2Mi': '0' })
      .config(seedKubeletStatic)
      .build();
    const outcome = runSimulation(simulation(node, []));
    if (!outcome.ok) throw new Error(outcome.error);
    const { ctx, memory } = outcome.result.node;
    expect(allocatableResources(ctx.topology, ctx.cpuPolicy, memory?.machineState ?? null).memory).toEqual([
      { type: 'hugepages-1Gi', size: 4n * Gi, numa: [0] },
      { type: 'hugepages-1Gi', size: 4n * Gi, numa: [1] },
      { type: 'memory', size: 60n * Gi - 1153433600n, numa: [0] },
      { type: 'memory', size: 60n * Gi, numa: [1] },
    ]);
  });

  it('policy none and memory policy None: empty', () => {
    const result = run({ cpuManagerPolicy: 'none' }, [], '1.36');
    const { ctx, memory } = result.node;
    expect(ctx.cpuPolicy).toBeNull();
    expect(memory).toBeNull();
    expect(allocatableResources(ctx.topology, ctx.cpuPolicy, null)).toStrictEqual({
      cpuIds: [],
      memory: [],
      devices: [],
    });
  });
});
