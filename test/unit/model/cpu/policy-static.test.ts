// The static CPU policy through whole admissions, table-driven in the kubelet's style: one case
// type, named machines, case names that read like specs, invariants on every case.

import { runSimulation } from '../../../../src/model/simulate.js';
import { removeContainer } from '../../../../src/model/cpu/policy-static.js';
import { cpuEntry } from '../../../../src/model/cpu/state.js';
import { toSimulationOut } from '../../../../src/render/simulation.js';
import type { Pod } from '../../../../src/model/pod.js';
import type { CpuStateInput } from '../../../../src/model/simulation-input.js';
import type { GenerateSpec } from '../../../../src/model/topology.js';
import { parseCpuList } from '../../../../src/model/cpuset.js';
import {
  aNode,
  aPod,
  guaranteed,
  machines,
  resources,
  seedDatabasePod,
  simulation,
} from '../../../helpers/builders.js';
import { cpuInvariantViolations } from '../../../helpers/invariants.js';

interface StaticPolicyCase {
  readonly name: string;
  readonly machine?: GenerateSpec;
  readonly kubelet: Record<string, unknown>;
  readonly state?: CpuStateInput;
  readonly pods: readonly Pod[];
  /** pod name → container name → cpus ("" = rejected pod: see reason) */
  readonly expectCpus?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly expectRejected?: Readonly<Record<string, { reason: string; message: string }>>;
  readonly expectReserved?: string;
  readonly expectSharedPool?: string;
}

const staticBase = { cpuManagerPolicy: 'static', reservedSystemCPUs: '0' };
const gu4 = (name: string) => aPod(name).container('app', guaranteed('4', '4Gi')).build();

const cases: StaticPolicyCase[] = [
  {
    name: 'GuPodSingleCore, DualSocketHT, container scope, TM none: 4 CPUs take two whole cores 1-2,33-34',
    kubelet: staticBase,
    pods: [gu4('a')],
    expectCpus: { a: { app: '1-2,33-34' } },
    expectSharedPool: '0,3-32,35-63',
  },
  {
    name: 'reserved from kube+system reserved cpu 500m+600m rounds up to 2 CPUs, taken as core 0 (0,32)',
    kubelet: { cpuManagerPolicy: 'static', kubeReserved: { cpu: '500m' }, systemReserved: { cpu: '600m' } },
    pods: [gu4('a')],
    expectReserved: '0,32',
    expectCpus: { a: { app: '1-2,33-34' } },
  },
  {
    name: 'reservedSystemCPUs overrides kube/system reserved cpu; a 1-CPU request fills the half-reserved core 5 first (37)',
    kubelet: { cpuManagerPolicy: 'static', reservedSystemCPUs: '5', kubeReserved: { cpu: '4' } },
    pods: [aPod('a').container('app', guaranteed('1', '1Gi')).build()],
    expectReserved: '5',
    expectCpus: { a: { app: '37' } },
  },
  {
    name: 'strict-cpu-reservation keeps the reserved CPU out of the node shared pool',
    kubelet: { ...staticBase, cpuManagerPolicyOptions: { 'strict-cpu-reservation': 'true' } },
    pods: [gu4('a')],
    expectCpus: { a: { app: '1-2,33-34' } },
    expectSharedPool: '3-32,35-63',
  },
  {
    name: 'an init container lends its CPUs to the app container of the same pod (reuse)',
    kubelet: staticBase,
    pods: [aPod('a').init('setup', guaranteed('4', '1Gi')).container('app', guaranteed('4', '1Gi')).build()],
    expectCpus: { a: { setup: '1-2,33-34', app: '1-2,33-34' } },
    expectSharedPool: '0,3-32,35-63',
  },
  {
    name: 'a sidecar never lends its CPUs: the app container gets fresh ones',
    kubelet: staticBase,
    pods: [
      aPod('a').sidecar('proxy', guaranteed('2', '1Gi')).container('app', guaranteed('2', '1Gi')).build(),
    ],
    expectCpus: { a: { proxy: '1,33', app: '2,34' } },
  },
  {
    name: 'fractional and Burstable containers stay on the node shared pool',
    kubelet: staticBase,
    pods: [
      aPod('frac').container('app', guaranteed('1500m', '1Gi')).build(),
      aPod('burst')
        .container('app', resources({ cpu: '1' }, { cpu: '2' }))
        .build(),
    ],
    expectCpus: { frac: { app: '0-63' }, burst: { app: '0-63' } },
  },
  {
    name: 'policy none: no exclusive CPUs for anyone',
    kubelet: { cpuManagerPolicy: 'none' },
    pods: [gu4('a')],
    expectCpus: { a: { app: '0-63' } },
    expectReserved: '',
  },
  {
    name: 'pod scope single-numa-node: a second database pod gets the next four cores of NUMA 0',
    kubelet: {
      ...staticBase,
      featureGates: { PodLevelResourceManagers: true },
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'pod',
    },
    pods: [
      seedDatabasePod(),
      aPod('db-1', 'db')
        .podLevel('8', '16Gi')
        .sidecar('exporter')
        .container('database', guaranteed('6', '12Gi'))
        .build(),
    ],
    expectCpus: {
      'db-0': { 'metrics-exporter': '4,36', 'backup-agent': '4,36', database: '1-3,33-35' },
      'db-1': { exporter: '8,40', database: '5-7,37-39' },
    },
  },
  {
    name: 'PodLevelResourceManagers off (1.36 default): a pod-level pod is skipped by the CPU manager',
    kubelet: { ...staticBase, topologyManagerPolicy: 'single-numa-node', topologyManagerScope: 'pod' },
    pods: [seedDatabasePod()],
    expectCpus: { 'db-0': { 'metrics-exporter': '0-63', 'backup-agent': '0-63', database: '0-63' } },
  },
  {
    name: 'pod-level pod with a fractional CPU budget gets no CPU pool',
    kubelet: {
      ...staticBase,
      featureGates: { PodLevelResourceManagers: true },
      topologyManagerPolicy: 'restricted',
      topologyManagerScope: 'pod',
    },
    pods: [aPod('p').podLevel('1500m', '4Gi').container('app', guaranteed('1', '1Gi')).build()],
    expectCpus: { p: { app: '0-63' } },
  },
  {
    name: 'pod-level pod: a non-eligible standard init container runs on the whole pod pool',
    kubelet: {
      ...staticBase,
      featureGates: { PodLevelResourceManagers: true },
      topologyManagerPolicy: 'best-effort',
      topologyManagerScope: 'pod',
    },
    pods: [
      aPod('p')
        .podLevel('4', '4Gi')
        .init('setup')
        .sidecar('log')
        .container('app', guaranteed('2', '2Gi'))
        .build(),
    ],
    expectCpus: { p: { setup: '1-2,33-34', log: '2,34', app: '1,33' } },
  },
  {
    name: 'restored state: CPUs held by a pod from the checkpoint are not handed out again',
    kubelet: staticBase,
    state: {
      defaultCpuSet: parseCpuList('0,3-32,35-63'),
      entries: new Map([['running-pod', new Map([['app', parseCpuList('1-2,33-34')]])]]),
      podEntries: new Map(),
    },
    pods: [gu4('a')],
    expectCpus: { a: { app: '3-4,35-36' } },
  },
  {
    name: 'container scope restricted: a pod that cannot fit one NUMA node is aligned to {0,1}: the free NUMA node 1 whole, then whole cores of NUMA 0',
    kubelet: { ...staticBase, topologyManagerPolicy: 'restricted', topologyManagerScope: 'container' },
    pods: [aPod('big').container('app', guaranteed('40', '1Gi')).build()],
    expectCpus: { big: { app: '1-4,16-31,33-36,48-63' } },
  },
  {
    name: 'single-numa-node rejects a container larger than any NUMA node',
    kubelet: { ...staticBase, topologyManagerPolicy: 'single-numa-node', topologyManagerScope: 'container' },
    pods: [aPod('big').container('app', guaranteed('40', '1Gi')).build()],
    expectRejected: {
      big: {
        reason: 'TopologyAffinityError',
        message: 'Resources cannot be allocated with Topology locality',
      },
    },
    expectSharedPool: '0-63',
  },
  {
    name: 'full-pcpus-only counts the siblings of reserved CPUs as unavailable',
    kubelet: { ...staticBase, cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } },
    pods: [aPod('all').container('app', guaranteed('64', '1Gi')).build()],
    expectRejected: {
      all: {
        reason: 'SMTAlignmentError',
        message:
          'SMT Alignment Error: not enough free physical CPUs: available physical CPUs = 62, requested CPUs = 64, CPUs per core = 2',
      },
    },
  },
];

describe('static policy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let builder = aNode()
      .topology(c.machine ?? machines.dualSocketHT)
      .config(c.kubelet);
    if (c.state !== undefined) builder = builder.cpuState(c.state);
    const outcome = runSimulation(simulation(builder.build(), c.pods));
    if (!outcome.ok) throw new Error(`${outcome.field}: ${outcome.error}`);
    expect(cpuInvariantViolations(outcome.result)).toEqual([]);
    const out = toSimulationOut(outcome.result, { explain: false, warnings: [] });
    for (const [podName, containers] of Object.entries(c.expectCpus ?? {})) {
      const pod = out.pods.find((p) => p.name === podName)!;
      expect({ pod: podName, admitted: pod.admitted, reason: pod.reason, message: pod.message }).toEqual({
        pod: podName,
        admitted: true,
        reason: null,
        message: null,
      });
      expect(Object.fromEntries(pod.containers.map((x) => [x.name, x.cpus]))).toEqual(containers);
    }
    for (const [podName, rejection] of Object.entries(c.expectRejected ?? {})) {
      const pod = out.pods.find((p) => p.name === podName)!;
      expect({ admitted: pod.admitted, reason: pod.reason, message: pod.message }).toEqual({
        admitted: false,
        ...rejection,
      });
    }
    if (c.expectReserved !== undefined) expect(out.reservedCpus).toBe(c.expectReserved);
    if (c.expectSharedPool !== undefined) expect(out.nodeSharedPool.cpus).toBe(c.expectSharedPool);
  });
});

describe('kubelet start-up refusals', () => {
  it.each([
    [
      'no reserved CPUs at all with the static policy',
      { cpuManagerPolicy: 'static' },
      'the static policy requires systemreserved.cpu + kubereserved.cpu to be greater than zero',
    ],
    [
      'an unknown option',
      { ...staticBase, cpuManagerPolicyOptions: { 'go-fast': 'true' } },
      'unknown CPU Manager Policy option: "go-fast"',
    ],
    [
      'an alpha option without CPUManagerPolicyAlphaOptions',
      { ...staticBase, cpuManagerPolicyOptions: { 'align-by-socket': 'true' } },
      'CPU Manager Policy Alpha-level Options not enabled, but option "align-by-socket" provided',
    ],
    [
      'a beta option with CPUManagerPolicyBetaOptions off',
      {
        ...staticBase,
        featureGates: { CPUManagerPolicyBetaOptions: false },
        cpuManagerPolicyOptions: { 'distribute-cpus-across-numa': 'true' },
      },
      'CPU Manager Policy Beta-level Options not enabled, but option "distribute-cpus-across-numa" provided',
    ],
    [
      'full-pcpus-only together with distribute-cpus-across-cores',
      {
        ...staticBase,
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true', 'distribute-cpus-across-cores': 'true' },
      },
      'static policy options full-pcpus-only and distribute-cpus-across-cores can not be used together',
    ],
    [
      'align-by-socket with single-numa-node',
      {
        ...staticBase,
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        cpuManagerPolicyOptions: { 'align-by-socket': 'true' },
        topologyManagerPolicy: 'single-numa-node',
      },
      'Topology manager single-numa-node policy is incompatible with CPUManager align-by-socket policy option',
    ],
    [
      'a checkpoint whose entries overlap the default cpuset',
      { ...staticBase },
      'pod: p, container: c cpuset: "1" overlaps with default cpuset "0-63"',
    ],
  ])('%s', (name, kubelet, error) => {
    let builder = aNode().config(kubelet);
    if (name.startsWith('a checkpoint')) {
      builder = builder.cpuState({
        defaultCpuSet: parseCpuList('0-63'),
        entries: new Map([['p', new Map([['c', parseCpuList('1')]])]]),
        podEntries: new Map(),
      });
    }
    const outcome = runSimulation(simulation(builder.build(), []));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toBe(error);
  });
});

describe('align-by-socket (sub-NUMA clustering: 2 sockets × 2 NUMA nodes)', () => {
  // NUMA 0 = cores 0-7 of socket 0 (0-7,32-39), NUMA 1 = cores 8-15 (8-15,40-47).
  const secondPodCpus = (alignBySocket: boolean) => {
    const node = aNode()
      .topology(machines.snc2)
      .config({
        ...staticBase,
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        topologyManagerPolicy: 'best-effort',
        topologyManagerScope: 'container',
        ...(alignBySocket ? { cpuManagerPolicyOptions: { 'align-by-socket': 'true' } } : {}),
      })
      .build();
    const pods = [
      aPod('first').container('app', guaranteed('10', '1Gi')).build(),
      aPod('second').container('app', guaranteed('10', '1Gi')).build(),
    ];
    const outcome = runSimulation(simulation(node, pods));
    if (!outcome.ok) throw new Error(outcome.error);
    expect(cpuInvariantViolations(outcome.result)).toEqual([]);
    return toSimulationOut(outcome.result, { explain: false, warnings: [] }).pods.map(
      (p) => p.containers[0]!,
    );
  };

  it('without it, a pod that no longer fits NUMA 0 is packed into NUMA 1 alone', () => {
    const [first, second] = secondPodCpus(false);
    expect(first!.cpus).toBe('1-5,33-37');
    expect(second!.cpus).toBe('8-12,40-44');
    expect(second!.numaNodes).toEqual([1]);
  });

  it('with it, the hint {1} widens to socket 0 and the free whole cores of NUMA 0 are used first', () => {
    const [, second] = secondPodCpus(true);
    expect(second!.cpus).toBe('6-10,38-42');
    expect(second!.numaNodes).toEqual([0, 1]);
  });
});

describe('max-allowable-numa-nodes', () => {
  const sixteenNuma = {
    sockets: 2,
    numaNodesPerSocket: 8,
    coresPerSocket: 16,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 1,
  };
  it('a kubelet with a topology manager policy refuses to start on more than 8 NUMA nodes by default', () => {
    const node = aNode()
      .topology(sixteenNuma)
      .config({ ...staticBase, topologyManagerPolicy: 'best-effort' })
      .build();
    const outcome = runSimulation(simulation(node, []));
    expect(outcome).toEqual({
      ok: false,
      field: 'node.kubelet.topologyManagerPolicyOptions',
      error: 'unsupported on machines with more than 8 NUMA Nodes',
    });
  });

  it('starts when the option allows 16 NUMA nodes, and with policy none regardless', () => {
    for (const kubelet of [
      {
        ...staticBase,
        topologyManagerPolicy: 'best-effort',
        topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': '16' },
      },
      { ...staticBase, topologyManagerPolicy: 'none' },
    ]) {
      expect(runSimulation(simulation(aNode().topology(sixteenNuma).config(kubelet).build(), [])).ok).toBe(
        true,
      );
    }
  });
});

describe('container removal (RemoveContainer)', () => {
  const start = (kubelet: Record<string, unknown>, pods: Pod[]) => {
    const outcome = runSimulation(
      simulation(aNode().topology(machines.dualSocketHT).config(kubelet).build(), pods),
    );
    if (!outcome.ok) throw new Error(outcome.error);
    const { node } = outcome.result;
    if (node.ctx.cpuPolicy === null) throw new Error('static policy expected');
    return { policy: node.ctx.cpuPolicy, state: node.cpu };
  };

  it('returns a node-path container’s CPUs to the shared pool', () => {
    const { policy, state } = start(staticBase, [gu4('a')]);
    const after = removeContainer(policy, state, 'uid-default-a', 'app');
    expect(after.defaultCpuSet.toString()).toBe('0-63');
    expect(after.entries.has('uid-default-a')).toBe(false);
    expect(state.defaultCpuSet.toString()).toBe('0,3-32,35-63');
  });

  it('keeps CPUs an init container lent to the app container until the app container goes too', () => {
    const pod = aPod('a')
      .init('setup', guaranteed('4', '1Gi'))
      .container('app', guaranteed('2', '1Gi'))
      .build();
    const { policy, state } = start(staticBase, [pod]);
    expect(cpuEntry(state, pod.uid, 'app')?.toString()).toBe('1,33');
    const withoutInit = removeContainer(policy, state, pod.uid, 'setup');
    expect(withoutInit.defaultCpuSet.toString()).toBe('0,2-32,34-63');
    expect(removeContainer(policy, withoutInit, pod.uid, 'app').defaultCpuSet.toString()).toBe('0-63');
  });

  it('releases a pod-level pod’s whole pool only when its last container is removed', () => {
    const kubelet = {
      ...staticBase,
      featureGates: { PodLevelResourceManagers: true },
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'pod',
    };
    const pod = seedDatabasePod();
    const { policy, state } = start(kubelet, [pod]);
    let s = removeContainer(policy, state, pod.uid, 'database');
    expect(s.defaultCpuSet.toString()).toBe('0,5-32,37-63');
    expect(s.podEntries.get(pod.uid)?.toString()).toBe('1-4,33-36');
    s = removeContainer(policy, s, pod.uid, 'metrics-exporter');
    s = removeContainer(policy, s, pod.uid, 'backup-agent');
    expect(s.defaultCpuSet.toString()).toBe('0-63');
    expect(s.podEntries.has(pod.uid)).toBe(false);
    expect(s.entries.has(pod.uid)).toBe(false);
  });

  it('ignores a container without an entry', () => {
    const { policy, state } = start(staticBase, [gu4('a')]);
    expect(removeContainer(policy, state, 'uid-default-a', 'nope')).toBe(state);
  });
});
