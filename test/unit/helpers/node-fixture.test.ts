// The fixture-node builder: a clean node's artefacts agree with the model and read with the
// project's parsers (checksums verified, no metric issues), a replay built only from the artefacts
// reproduces the prediction, and every knob changes what it should and nothing else.

import { readdirSync, readFileSync } from 'node:fs';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { CpuSet } from '../../../src/model/cpuset.js';
import type { PodResourcesEntry } from '../../../src/model/pod-resources.js';
import { canonicalMemory, memoryEntry } from '../../../src/model/pod-resources.js';
import { runSimulation } from '../../../src/model/simulate.js';
import { parseCpuCheckpoint } from '../../../src/parse/cpu-checkpoint.js';
import type { CadvisorCpuSeries } from '../../../src/parse/kubelet-metrics.js';
import { parseCadvisorCpu, parseKubeletMetrics } from '../../../src/parse/kubelet-metrics.js';
import { parseMemoryCheckpoint } from '../../../src/parse/memory-checkpoint.js';
import { parseObservation } from '../../../src/parse/observation.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../src/parse/podresources.js';
import { parseSnapshot } from '../../../src/parse/snapshot.js';
import type { PodOut, ReportedOut, SimulationOut } from '../../../src/render/schema.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import type { NodeObservation, ObservedCgroup } from '../../../src/schema/observation.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';
import {
  DEFAULT_NOW,
  GARBAGE_LINES,
  STALE_POD_UID,
  goFloat,
  nodeFixture,
  toSnapshot,
} from '../../helpers/node-fixture.js';
import { REPO_ROOT } from '../../helpers/node-fixture/world.js';

const DB = 'examples/tightly-coupled-database.yaml';
const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';
const ML = 'examples/ml-workload.yaml';
const NODE_SHARED_DB = '0,5-32,37-63';

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Raw;
}

function list(v: unknown): Raw[] {
  if (!Array.isArray(v)) throw new Error(`not a list: ${JSON.stringify(v)}`);
  return (v as unknown[]).map(obj);
}

function observation(f: NodeFacts): NodeObservation {
  if (f.observation === null) throw new Error('no observation');
  return f.observation;
}

function cpuCheckpoint(f: NodeFacts) {
  const file = observation(f).checkpoints.cpuManager;
  if (file === null) throw new Error('no cpu checkpoint');
  return parseCpuCheckpoint(file.content, file.path);
}

/** The CPU checkpoint entry of a container, as a cpuset string (undefined: no entry). */
function entryCpus(f: NodeFacts, ns: string, pod: string, container: string): string | undefined {
  return cpuCheckpoint(f)
    .checkpoint.entries.get(uidOf(f, ns, pod))
    ?.get(container)
    ?.toString();
}

function memoryCheckpoint(f: NodeFacts) {
  const file = observation(f).checkpoints.memoryManager;
  if (file === null) throw new Error('no memory checkpoint');
  return parseMemoryCheckpoint(file.content, file.path);
}

function podResources(f: NodeFacts) {
  return parsePodResourcesList(JSON.stringify(observation(f).podResources.list), 'list');
}

function podOf(f: NodeFacts, ns: string, name: string): Raw {
  const p = f.pods.map(obj).find((x) => obj(x.metadata).namespace === ns && obj(x.metadata).name === name);
  if (p === undefined) throw new Error(`no pod ${ns}/${name}`);
  return p;
}

function uidOf(f: NodeFacts, ns: string, name: string): string {
  return String(obj(podOf(f, ns, name).metadata).uid);
}

function containerIdOf(f: NodeFacts, ns: string, name: string, container: string): string {
  const status = obj(podOf(f, ns, name).status);
  const all = [...list(status.initContainerStatuses ?? []), ...list(status.containerStatuses ?? [])];
  const s = all.find((x) => x.name === container);
  if (s === undefined) throw new Error(`no status of ${container}`);
  return String(s.containerID).replace(/^containerd:\/\//, '');
}

function cgroupOf(f: NodeFacts, ns: string, name: string, container: string): ObservedCgroup {
  const uid = uidOf(f, ns, name);
  const id = container === '' ? '' : containerIdOf(f, ns, name, container);
  const c = observation(f).cgroups.find((x) => x.podUid === uid && x.containerId === id);
  if (c === undefined) throw new Error(`no cgroup of ${ns}/${name} ${container}`);
  return c;
}

function cadvisor(f: NodeFacts, scrape = -1): CadvisorCpuSeries[] {
  const s = f.cadvisor.at(scrape);
  if (s === undefined) throw new Error('no cadvisor scrape');
  const parsed = parseCadvisorCpu(s.text, 'cadvisor');
  expect(parsed.issues).toEqual([]);
  return [...parsed.series];
}

function seriesOf(f: NodeFacts, ns: string, pod: string, container: string, scrape = -1): CadvisorCpuSeries {
  const uid = uidOf(f, ns, pod).replace(/-/g, '_');
  const found = cadvisor(f, scrape).find(
    (s) =>
      s.namespace === ns &&
      s.pod === pod &&
      s.container === container &&
      (container !== '' || s.id.endsWith(`pod${uid}.slice`)),
  );
  if (found === undefined) throw new Error(`no cadvisor series of ${ns}/${pod} ${container}`);
  return found;
}

function metrics(f: NodeFacts) {
  if (f.metrics === null) throw new Error('no metrics');
  const parsed = parseKubeletMetrics(f.metrics.text, 'metrics');
  expect(parsed.issues).toEqual([]);
  return parsed;
}

/** The model's reported view in the canonical PodResources form. */
function reportedEntry(p: PodOut): PodResourcesEntry {
  const mem = (r: ReportedOut | ReportedOut['containers'][string]) =>
    canonicalMemory(r.memory.map((m) => memoryEntry(m.type, BigInt(m.size), m.numa)));
  return {
    name: p.name,
    namespace: p.namespace,
    cpuIds: [...p.reported.cpuIds],
    memory: mem(p.reported),
    containers: Object.entries(p.reported.containers).map(([name, r]) => ({
      name,
      cpuIds: [...r.cpuIds],
      memory: mem(r),
      devices: [],
      dynamicResources: [],
    })),
  };
}

/** What `describe`/`audit` replays: a scenario made only of the fixture's artefacts. */
function replayFromArtefacts(f: NodeFacts, fidelity: 'source' | 'documented' = 'source'): SimulationOut {
  const node = obj(f.node);
  const version = String(obj(obj(node.status).nodeInfo).kubeletVersion).startsWith('v1.37') ? '1.37' : '1.36';
  const admissionReasons = [
    'TopologyAffinityError',
    'SMTAlignmentError',
    'EmptyPodSharedPoolError',
    'UnexpectedAdmissionError',
  ];
  const pods = f.pods
    .map(obj)
    .filter((p) => {
      const s = obj(p.status);
      return s.phase === 'Running' || (s.phase === 'Failed' && admissionReasons.includes(String(s.reason)));
    })
    .sort((a, b) => String(obj(a.status).startTime).localeCompare(String(obj(b.status).startTime)))
    .map((p) => {
      const m = obj(p.metadata);
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: m.name, namespace: m.namespace, uid: m.uid },
        spec: p.spec,
      };
    });
  const scenario = {
    apiVersion: 'podres/v1alpha1',
    kind: 'Scenario',
    model: { fidelity },
    node: {
      name: f.name,
      kubeletVersion: version,
      topology: observation(f).topology,
      kubelet: obj(f.configz).kubeletconfig,
    },
    pods,
  };
  const [input] = parseScenarios(JSON.stringify(scenario), 'artefacts');
  if (input === undefined) throw new Error('no scenario');
  const outcome = runSimulation(input);
  if (!outcome.ok) throw new Error(outcome.error);
  return toSimulationOut(outcome.result, { explain: false, warnings: [] });
}

/** The output without the scenario name and warnings (which a replay from artefacts cannot know). */
function stripScenarioName(o: SimulationOut): SimulationOut {
  return { ...o, scenario: null, warnings: [] };
}

const EXAMPLES = readdirSync(`${REPO_ROOT}/examples`)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((file) =>
    parseScenarios(readFileSync(`${REPO_ROOT}/examples/${file}`, 'utf8'), file).map((d, i) => ({
      file: `examples/${file}`,
      index: i,
      name: d.name ?? file,
      fidelity: d.fidelity,
    })),
  );

describe('clean fixture nodes agree with the model and with the parsers', () => {
  it.each(EXAMPLES)('$name ($file #$index)', ({ file, index, fidelity }) => {
    const fixture = nodeFixture(file, { scenarioIndex: index });
    const f = fixture.build();
    const predicted = fixture.prediction();
    const obs = parseObservation(JSON.stringify(f.observation), 'obs.json');

    // checkpoints: checksums verified, content = the model's final state
    const cpu = cpuCheckpoint(f);
    expect(cpu.checksum.status).toBe('verified');
    expect(cpu.warnings).toEqual([]);
    expect(cpu.checkpoint.defaultCpuSet.toString()).toBe(predicted.nodeSharedPool.cpus);
    const memory = memoryCheckpoint(f);
    expect(memory.checksum.status).toBe('verified');

    // PodResources = the model's reported view of every admitted pod
    const admitted = predicted.pods.filter((p) => p.admitted);
    expect(podResources(f).pods).toEqual(admitted.map(reportedEntry));
    const allocatable = parseAllocatableResources(
      JSON.stringify(obs.podResources.allocatable),
      'allocatable',
    );
    expect(allocatable.cpuIds).toEqual(predicted.allocatable.cpuIds);

    // /metrics: every family present equals the prediction
    const m = metrics(f);
    for (const [name, value] of Object.entries(m.values)) {
      expect([name, value]).toEqual([name, predicted.metrics[name as keyof SimulationOut['metrics']]]);
    }
    expect(m.buildVersion).toBe('v1.36.2');
    expect(m.processStartTimeSeconds).toBe(Date.parse(DEFAULT_NOW) / 1000 - 3600);

    // cgroups and cAdvisor follow model §6.6 per container and pod
    for (const p of admitted) {
      const podQuota = seriesOf(f, p.namespace, p.name, '').specQuota;
      expect(podQuota).toBe(typeof p.podCgroupCfsQuota === 'number' ? p.podCgroupCfsQuota * 100 : null);
      for (const c of p.containers.filter((x) => x.type !== 'init')) {
        const cg = cgroupOf(f, p.namespace, p.name, c.name);
        expect(cg.cpusetCpus).toBe(c.cpus);
        const mems = c.memory.length === 0 ? null : CpuSet.from(c.memory.flatMap((b) => b.numa)).toString();
        expect(cg.cpusetMems).toBe(
          mems ?? CpuSet.from(obs.topology?.cpus.map((x) => x.numa) ?? []).toString(),
        );
        const quota = c.cfsQuotaMillicores === null ? 'max' : String(c.cfsQuotaMillicores * 100);
        expect(cg.cpuMax).toBe(`${quota} 100000`);
        const s = seriesOf(f, p.namespace, p.name, c.name);
        expect(s.specQuota).toBe(c.cfsQuotaMillicores === null ? null : c.cfsQuotaMillicores * 100);
        expect(s.cfsPeriods === null).toBe(c.cfsQuotaMillicores === null);
        expect(s.specPeriod).toBe(100000);
        expect(`containerd://${s.name}`).toBe(`containerd://${cg.containerId}`);
      }
    }

    // pods: admitted Running, rejected Failed with the kubelet's message
    for (const p of predicted.pods) {
      const status = obj(podOf(f, p.namespace, p.name).status);
      expect(status.phase).toBe(p.admitted ? 'Running' : 'Failed');
      expect(status.qosClass).toBe(p.qosClass);
      if (!p.admitted) {
        expect(status.reason).toBe(p.reason);
        expect(status.message).toBe(`Pod was rejected: ${p.message ?? ''}`);
      }
    }

    // a replay from the artefacts alone reproduces the prediction
    expect(stripScenarioName(replayFromArtefacts(f, fidelity))).toEqual(stripScenarioName(predicted));
  });
});

describe('the clean seed-1 node (allocator-model §11.1)', () => {
  const fixture = nodeFixture(DB_MEMORY);
  const f = fixture.build();

  it('is a v1.36.2 linux node with capacity and allocatable from topology and reservations', () => {
    const node = obj(f.node);
    const labels = obj(obj(node.metadata).labels);
    expect(labels['kubernetes.io/os']).toBe('linux');
    expect(labels['kubernetes.io/hostname']).toBe('worker-1');
    const status = obj(node.status);
    expect(obj(status.nodeInfo).kubeletVersion).toBe('v1.36.2');
    expect(obj(status.capacity)).toMatchObject({ cpu: '64', memory: `${128 * 1024 * 1024}Ki` });
    // 128Gi − 500Mi − 500Mi − 100Mi eviction
    expect(obj(status.allocatable)).toMatchObject({
      cpu: '63',
      memory: `${128 * 1024 * 1024 - 1100 * 1024}Ki`,
    });
    expect(list(status.conditions).find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('renders /configz with the explicit gates only and quantities as strings', () => {
    const kc = obj(obj(f.configz).kubeletconfig);
    expect(kc.featureGates).toEqual({ PodLevelResources: true, PodLevelResourceManagers: true });
    expect(kc.reservedMemory).toEqual([{ numaNode: 0, limits: { memory: '1100Mi' } }]);
    expect(kc).toMatchObject({
      cpuManagerPolicy: 'static',
      reservedSystemCPUs: '0',
      cpuCFSQuotaPeriod: '100ms',
    });
  });

  it('holds the checkpoints, PodResources, cgroups and metrics of §11.1', () => {
    const cpu = cpuCheckpoint(f).checkpoint;
    const uid = uidOf(f, 'db', 'db-0');
    expect(cpu.version).toBe('v3');
    expect(cpu.podEntries.get(uid)?.toString()).toBe('1-4,33-36');
    expect(cpu.entries.get(uid)?.get('database')?.toString()).toBe('1-3,33-35');
    expect(memoryCheckpoint(f).checkpoint.version).toBe('v2');
    expect(cgroupOf(f, 'db', 'db-0', 'metrics-exporter')).toMatchObject({
      cpusetCpus: '4,36',
      cpusetMems: '0',
      cpuMax: '800000 100000',
    });
    expect(cgroupOf(f, 'db', 'db-0', '').cpuMax).toBe('max 100000');
    const v = metrics(f).values;
    expect(v.resource_manager_container_assignments?.cpu).toEqual({
      node_exclusive: 0,
      pod_exclusive: 1,
      pod_shared: 2,
    });
    expect(v.kubelet_memory_manager_pinning_requests_total).toBe(4);
    expect(v.kubelet_cpu_manager_shared_pool_size_millicores).toBe(55000);
  });

  it('gives stable container ids derived from the uid and the container name', () => {
    expect(fixture.containerId('db/db-0', 'database')).toBe(
      `containerd://${containerIdOf(f, 'db', 'db-0', 'database')}`,
    );
    expect(fixture.containerId('db/db-0', 'database')).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(nodeFixture(DB_MEMORY).build()).toEqual(f);
  });

  it('reads its metrics families in the format of a real kubelet', () => {
    const text = f.metrics?.text ?? '';
    expect(text).toContain('# TYPE resource_manager_allocations_total counter');
    expect(text).toContain('resource_manager_allocations_total{resource_name="cpu",source="pod"} 3\n');
    expect(text).not.toMatch(/^kubelet_resource_manager/m);
    // labelled counters without increment have no series
    expect(text).not.toContain('node_exclusive');
    expect(text).toContain('kubelet_cpu_manager_pinning_errors_total 0\n');
  });
});

describe('goFloat formats like strconv.FormatFloat(v, g, -1, 64)', () => {
  it.each([
    [63000, '63000'],
    [0.3, '0.3'],
    [8216887296, '8.216887296e+09'],
    [1234567, '1.234567e+06'],
    [0.00001, '1e-05'],
    [1778576467.5, '1.7785764675e+09'],
    [Infinity, '+Inf'],
  ])('%p → %s', (v, text) => {
    expect(goFloat(v)).toBe(text);
  });
});

describe('drift knobs', () => {
  it('moveToNodeSharedPool: the cli.md §10 example D7, consistent in every source', () => {
    const clean = nodeFixture(DB).build();
    const f = nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'metrics-exporter').build();
    const uid = uidOf(f, 'db', 'db-0');
    const cpu = cpuCheckpoint(f);
    expect(cpu.checksum.status).toBe('verified');
    expect(cpu.checkpoint.entries.get(uid)?.has('metrics-exporter')).toBe(false);
    expect(cpu.checkpoint.defaultCpuSet.toString()).toBe(NODE_SHARED_DB);
    expect(cgroupOf(f, 'db', 'db-0', 'metrics-exporter')).toMatchObject({
      cpusetCpus: NODE_SHARED_DB,
      cpuMax: '800000 100000',
    });
    expect(seriesOf(f, 'db', 'db-0', 'metrics-exporter').specQuota).toBe(800000);
    const pr = podResources(f).pods[0]?.containers.find((c) => c.name === 'metrics-exporter');
    expect(pr?.cpuIds).toEqual([]);
    // nothing else moved
    expect(cgroupOf(f, 'db', 'db-0', 'backup-agent')).toEqual(cgroupOf(clean, 'db', 'db-0', 'backup-agent'));
    expect(f.metrics).toEqual(clean.metrics);
  });

  it('moveToNodeSharedPool of a node_exclusive container returns its CPUs to the shared pool', () => {
    const f = nodeFixture(ML).moveToNodeSharedPool('ml/ml-0', 'ml-training').build();
    expect(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString()).toBe('0-63');
    expect(cgroupOf(f, 'ml', 'ml-0', 'ml-training')).toMatchObject({
      cpusetCpus: '0-63',
      cpuMax: '300000 100000',
    });
    expect(metrics(f).values.kubelet_cpu_manager_shared_pool_size_millicores).toBe(63000);
  });

  it('moveToNodeSharedPool with memory releases a node-path block from the machine state', () => {
    const file = 'examples/ml-workload-static-memory.yaml';
    const clean = memoryCheckpoint(nodeFixture(file).build()).checkpoint;
    const f = nodeFixture(file, { from: 'snapshot' })
      .moveToNodeSharedPool('ml/ml-0', 'ml-training', { memory: true })
      .build();
    const mem = memoryCheckpoint(f);
    expect(mem.checksum.status).toBe('verified');
    const uid = uidOf(f, 'ml', 'ml-0');
    expect(mem.checkpoint.entries.get(uid)?.has('ml-training')).toBe(false);
    const reserved = (m: typeof clean) => m.machineState.get(0)?.memoryMap.get('memory')?.reserved ?? 0n;
    expect(reserved(clean) - reserved(mem.checkpoint)).toBe(6n << 30n);
    expect(cgroupOf(f, 'ml', 'ml-0', 'ml-training').cpusetMems).toBe('0-1');
    expect([f.from, f.observationFrom]).toEqual(['snapshot', 'snapshot']);
  });

  it('giveExclusiveSlice: a shared container with its own CPUs and no quota', () => {
    const f = nodeFixture(ML).giveExclusiveSlice('ml/ml-0', 'service-mesh-sidecar', 2).build();
    const uid = uidOf(f, 'ml', 'ml-0');
    const entry = cpuCheckpoint(f).checkpoint.entries.get(uid)?.get('service-mesh-sidecar');
    expect(entry?.toString()).toBe('2,34');
    expect(cgroupOf(f, 'ml', 'ml-0', 'service-mesh-sidecar')).toMatchObject({
      cpusetCpus: '2,34',
      cpuMax: 'max 100000',
    });
    expect(seriesOf(f, 'ml', 'ml-0', 'service-mesh-sidecar').specQuota).toBeNull();
    expect(podResources(f).pods[0]?.containers[0]).toMatchObject({
      name: 'service-mesh-sidecar',
      cpuIds: [2, 34],
    });
    expect(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString()).toBe('0,3-31,35-63');
  });

  it('giveExclusiveSlice inside a pod pool carves the slice out of the pod shared pool', () => {
    const f = nodeFixture(DB).giveExclusiveSlice('db/db-0', 'metrics-exporter', 1).build();
    const entries = cpuCheckpoint(f).checkpoint.entries.get(uidOf(f, 'db', 'db-0'));
    expect(entries?.get('metrics-exporter')?.toString()).toBe('4');
    expect(entries?.get('backup-agent')?.toString()).toBe('36');
  });

  const twoPods = `
apiVersion: podres/v1alpha1
kind: Scenario
name: two-guaranteed
node:
  name: worker-9
  kubeletVersion: "1.36"
  topology:
    generate: {sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 4, threadsPerCore: 2, uncoreCachesPerSocket: 2}
    memory: [{numa: 0, memory: 16Gi}, {numa: 1, memory: 16Gi}]
  kubelet:
    cpuManagerPolicy: static
    cpuManagerPolicyOptions: {full-pcpus-only: "true"}
    reservedSystemCPUs: "0,8"
    kubeReserved: {memory: 500Mi}
    systemReserved: {memory: 500Mi}
    topologyManagerPolicy: single-numa-node
    memoryManagerPolicy: Static
    reservedMemory: [{numaNode: 0, limits: {memory: 1100Mi}}]
pods:
  - metadata: {name: a, namespace: apps}
    spec:
      containers:
        - name: main
          image: busybox
          resources: {limits: {cpu: "2", memory: 1Gi}}
  - metadata: {name: b, namespace: apps}
    spec:
      containers:
        - name: main
          resources: {limits: {cpu: "2", memory: 1Gi}}
  - metadata: {name: burst, namespace: apps}
    spec:
      containers:
        - name: web
          resources: {requests: {cpu: 500m}, limits: {cpu: "1"}}
`;

  it('the inline scenario places as expected (the base of the next knobs)', () => {
    const p = nodeFixture(twoPods).prediction();
    expect(p.pods.map((x) => x.containers[0]?.cpus)).toEqual(['1,9', '2,10', '0,3-8,11-15']);
    expect(p.reservedCpus).toBe('0,8');
  });

  it('overlapExclusive: B takes A first CPU, its own last CPU goes back to the shared pool', () => {
    const f = nodeFixture(twoPods).overlapExclusive('apps/a', 'main', 'apps/b', 'main').build();
    const cp = cpuCheckpoint(f).checkpoint;
    expect(entryCpus(f, 'apps', 'b', 'main')).toBe('1-2');
    expect(cp.defaultCpuSet.toString()).toBe('0,3-8,10-15');
    expect(cgroupOf(f, 'apps', 'b', 'main').cpusetCpus).toBe('1-2');
  });

  it('exclusiveInDefaultCpuSet and exclusiveOnReservedCpu', () => {
    const f = nodeFixture(twoPods).exclusiveInDefaultCpuSet('apps/a', 'main').build();
    expect(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString()).toBe('0-1,3-8,11-15');
    expect(cgroupOf(f, 'apps', 'burst', 'web').cpusetCpus).toBe('0-1,3-8,11-15');
    expect(metrics(f).values.kubelet_cpu_manager_shared_pool_size_millicores).toBe(11000);
    const r = nodeFixture(twoPods).exclusiveOnReservedCpu('apps/a', 'main').build();
    const cp = cpuCheckpoint(r).checkpoint;
    expect(entryCpus(r, 'apps', 'a', 'main')).toBe('0,9');
    expect(cp.defaultCpuSet.toString()).toBe('1,3-8,11-15');
  });

  it('wrongNuma moves a CPU slice or memory blocks (and their machine-state charge) to another node', () => {
    const f = nodeFixture(twoPods).wrongNuma('apps/a', 'main', 'cpu').build();
    expect(cgroupOf(f, 'apps', 'a', 'main').cpusetCpus).toBe('4,12');
    expect(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString()).toBe('0-1,3,5-9,11,13-15');
    const m = nodeFixture(twoPods).wrongNuma('apps/a', 'main', 'memory').build();
    const mem = memoryCheckpoint(m);
    expect(mem.checksum.status).toBe('verified');
    const uid = uidOf(m, 'apps', 'a');
    expect(mem.checkpoint.entries.get(uid)?.get('main')?.[0]?.numaAffinity).toEqual([1]);
    const reserved = (n: number) => mem.checkpoint.machineState.get(n)?.memoryMap.get('memory')?.reserved;
    expect([reserved(0), reserved(1)]).toEqual([1n << 30n, 1n << 30n]);
    expect(cgroupOf(m, 'apps', 'a', 'main').cpusetMems).toBe('1');
  });

  it('partialCore and extraUncoreCache swap one CPU of a slice', () => {
    const f = nodeFixture(twoPods).partialCore('apps/a', 'main').build();
    expect(cgroupOf(f, 'apps', 'a', 'main').cpusetCpus).toBe('1,3');
    const u = nodeFixture(twoPods).extraUncoreCache('apps/a', 'main').build();
    // uncore caches of socket 0: cores 0-1 and 2-3; the slice 1,9 is behind cache 0
    expect(cgroupOf(u, 'apps', 'a', 'main').cpusetCpus).toBe('1,3');
  });

  it('corruptPodSharedPool overlaps a slice, leaves the pool or shrinks', () => {
    const shared = (how: 'overlap' | 'outside' | 'shrink') => {
      const f = nodeFixture(DB).corruptPodSharedPool('db/db-0', how).build();
      const e = cpuCheckpoint(f).checkpoint.entries.get(uidOf(f, 'db', 'db-0'));
      expect(e?.get('backup-agent')).toEqual(e?.get('metrics-exporter'));
      return [e?.get('metrics-exporter')?.toString(), cgroupOf(f, 'db', 'db-0', 'backup-agent').cpusetCpus];
    };
    expect(shared('overlap')).toEqual(['1,4,36', '1,4,36']);
    expect(shared('outside')).toEqual(['4-5,36', '4-5,36']);
    expect(shared('shrink')).toEqual(['4', '4']);
  });

  it('dropPodEntry and addPodEntry', () => {
    const d = nodeFixture(DB_MEMORY).dropPodEntry('db/db-0', 'both').build();
    expect(cpuCheckpoint(d).checkpoint.podEntries.size).toBe(0);
    expect(memoryCheckpoint(d).checkpoint.podEntries.size).toBe(0);
    const a = nodeFixture(ML).addPodEntry('ml/ml-0').build();
    const cp = cpuCheckpoint(a).checkpoint;
    expect(cp.podEntries.get(uidOf(a, 'ml', 'ml-0'))?.toString()).toBe('1-2,32-33');
    expect(cp.defaultCpuSet.toString()).toBe('0,3-31,34-63');
  });

  it('defaultCpuSet changes the checkpoint and the shared-pool gauges', () => {
    const f = nodeFixture(DB).defaultCpuSet('0,5-31,37-63').build();
    expect(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString()).toBe('0,5-31,37-63');
    const v = metrics(f).values;
    expect(v.kubelet_cpu_manager_shared_pool_size_millicores).toBe(54000);
    expect(v.kubelet_cpu_manager_exclusive_cpu_allocation_count).toBe(9);
  });

  it('memoryMachineState patches one NUMA node (checksum still valid)', () => {
    const f = nodeFixture(DB_MEMORY)
      .memoryMachineState(0, { reserved: 1n << 30n, numberOfAssignments: 3 })
      .build();
    const mem = memoryCheckpoint(f);
    expect(mem.checksum.status).toBe('verified');
    expect(mem.checkpoint.machineState.get(0)?.numberOfAssignments).toBe(3);
    expect(mem.checkpoint.machineState.get(0)?.memoryMap.get('memory')?.reserved).toBe(1n << 30n);
  });

  it('staleEntry plants state of a pod the API server does not know', () => {
    const f = nodeFixture(ML)
      .staleEntry({ podResources: { namespace: 'gone', name: 'old-0' } })
      .build();
    const cp = cpuCheckpoint(f).checkpoint;
    expect(cp.entries.get(STALE_POD_UID)?.get('app')?.toString()).toBe('2,34');
    expect(podResources(f).pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['ml/ml-0', 'gone/old-0']);
    expect(f.pods).toHaveLength(1);
  });

  it('checkpointPolicyName, checkpointFormat and corruptChecksum', () => {
    const p = nodeFixture(DB).checkpointPolicyName('cpu', 'none').build();
    expect(cpuCheckpoint(p).checkpoint.policyName).toBe('none');
    const v4 = nodeFixture(DB).checkpointFormat({ cpu: 'v4' }).build();
    expect(cpuCheckpoint(v4).checkpoint.version).toBe('v4');
    expect(obj(obj(v4.node).status).nodeInfo).toMatchObject({ kubeletVersion: 'v1.36.2' });
    const broken = nodeFixture(DB_MEMORY).corruptChecksum('cpu').corruptChecksum('memory').build();
    expect(cpuCheckpoint(broken).checksum.status).toBe('mismatch');
    expect(memoryCheckpoint(broken).checksum.status).toBe('mismatch');
  });

  it('a kubelet with PodLevelResourceManagers off cannot hold pod entries unless a format is chosen', () => {
    const off = twoPods.replace(
      'cpuManagerPolicy: static',
      'cpuManagerPolicy: static\n    featureGates: {PodLevelResourceManagers: false}',
    );
    expect(() => nodeFixture(off).addPodEntry('apps/a').build()).toThrow(/writes no pod entries/);
    const v3 = nodeFixture(off).addPodEntry('apps/a').checkpointFormat({ cpu: 'v3' }).build();
    expect(cpuCheckpoint(v3).checkpoint.podEntries.size).toBe(1);
  });

  it('configz patches /configz only', () => {
    const f = nodeFixture(DB)
      .configz({ featureGates: { PodLevelResourceManagers: false }, topologyManagerScope: null })
      .build();
    const kc = obj(obj(f.configz).kubeletconfig);
    expect(kc.featureGates).toEqual({ PodLevelResources: true, PodLevelResourceManagers: false });
    expect('topologyManagerScope' in kc).toBe(false);
    expect(cpuCheckpoint(f).checkpoint.version).toBe('v3');
  });

  it('podResourcesAs(1.37) on a 1.36 kubelet reports pod-level fields (D20)', () => {
    const f = nodeFixture(DB).podResourcesAs('1.37').build();
    const pod = podResources(f).pods[0];
    expect(pod?.cpuIds).toEqual([1, 2, 3, 4, 33, 34, 35, 36]);
    expect(pod?.containers.find((c) => c.name === 'metrics-exporter')?.cpuIds).toEqual([]);
  });
});

describe('kubelet version, fidelity and admission knobs', () => {
  it('kubeletVersion(1.37): v1.37.0, checkpoints v4/v3, PodResources pod-level fields', () => {
    const f = nodeFixture(DB_MEMORY).kubeletVersion('1.37').build();
    expect(obj(obj(obj(f.node).status).nodeInfo).kubeletVersion).toBe('v1.37.0');
    expect(cpuCheckpoint(f).checkpoint.version).toBe('v4');
    expect(memoryCheckpoint(f).checkpoint.version).toBe('v3');
    expect(podResources(f).pods[0]?.cpuIds).toEqual([1, 2, 3, 4, 33, 34, 35, 36]);
    expect(metrics(f).buildVersion).toBe('v1.37.0');
  });

  it('an older kubelet (v1.35.4) has no pod-level managers, no resource_manager_* families', () => {
    const f = nodeFixture(DB, { kubeletVersion: 'v1.35.4' }).build();
    const kc = obj(obj(f.configz).kubeletconfig);
    expect(kc.featureGates).toEqual({ PodLevelResources: true });
    expect(cpuCheckpoint(f).checkpoint.version).toBe('v2');
    expect(metrics(f).families.filter((n) => n.startsWith('resource_manager_'))).toEqual([]);
    // the pod-level pod is skipped by the managers: every container on the node shared pool
    expect(cgroupOf(f, 'db', 'db-0', 'database').cpusetCpus).toBe('0-63');
  });

  it('kubeletFidelity(documented): quirk Q1 does not happen on the node (D19)', () => {
    const file = 'examples/memory-q1-fidelity.yaml';
    const source = nodeFixture(file).build();
    expect(obj(podOf(source, 'default', 'web-0').status).phase).toBe('Failed');
    const f = nodeFixture(file).kubeletFidelity('documented').build();
    expect(obj(podOf(f, 'default', 'web-0').status).phase).toBe('Running');
    expect(obj(f.configz)).toEqual(obj(source.configz));
  });

  it('rejectPod: Failed, no state, later pods placed as without it, counters', () => {
    const clean = nodeFixture(twoPodsScenario()).build();
    const f = nodeFixture(twoPodsScenario())
      .rejectPod('apps/a', 'TopologyAffinityError', 'Resources cannot be allocated with Topology locality')
      .build();
    const status = obj(podOf(f, 'apps', 'a').status);
    expect(status).toMatchObject({
      phase: 'Failed',
      reason: 'TopologyAffinityError',
      message: 'Pod was rejected: Resources cannot be allocated with Topology locality',
    });
    expect(cgroupOf(f, 'apps', 'b', 'main').cpusetCpus).toBe('1,9');
    const before = metrics(clean).values;
    const after = metrics(f).values;
    expect(after.kubelet_topology_manager_admission_errors_total).toBe(1);
    expect(after.kubelet_topology_manager_admission_requests_total).toBe(
      before.kubelet_topology_manager_admission_requests_total,
    );
    expect(after.kubelet_admission_rejections_total).toEqual({ TopologyAffinityError: 1 });
  });

  it('admitRejectedPod: Running on the node shared pool, the rejection counters taken back', () => {
    const file = 'examples/single-numa-node-rejection.yaml';
    const clean = nodeFixture(file);
    const rejected = clean.prediction().pods.find((p) => !p.admitted);
    if (rejected === undefined) throw new Error('the example rejects nothing');
    const f = nodeFixture(file).admitRejectedPod(`${rejected.namespace}/${rejected.name}`).build();
    expect(obj(podOf(f, rejected.namespace, rejected.name).status).phase).toBe('Running');
    const before = metrics(clean.build()).values;
    const after = metrics(f).values;
    expect(after.kubelet_topology_manager_admission_errors_total).toBe(
      (before.kubelet_topology_manager_admission_errors_total ?? 0) - 1,
    );
    const app = String(list(obj(podOf(f, rejected.namespace, rejected.name).spec).containers)[0]?.name);
    const cg = cgroupOf(f, rejected.namespace, rejected.name, app);
    expect(cg.cpusetCpus).toBe(cpuCheckpoint(f).checkpoint.defaultCpuSet.toString());
    expect(cpuCheckpoint(f).checkpoint.entries.has(uidOf(f, rejected.namespace, rejected.name))).toBe(false);
  });
});

function twoPodsScenario(): string {
  return `
apiVersion: podres/v1alpha1
kind: Scenario
node:
  name: worker-9
  topology:
    generate: {sockets: 2, numaNodesPerSocket: 1, coresPerSocket: 4, threadsPerCore: 2}
    memory: [{numa: 0, memory: 16Gi}, {numa: 1, memory: 16Gi}]
  kubelet: {cpuManagerPolicy: static, reservedSystemCPUs: "0,8", topologyManagerPolicy: single-numa-node}
pods:
  - metadata: {name: a, namespace: apps}
    spec: {containers: [{name: main, resources: {limits: {cpu: "2", memory: 1Gi}}}]}
  - metadata: {name: b, namespace: apps}
    spec: {containers: [{name: main, resources: {limits: {cpu: "2", memory: 1Gi}}}]}
`;
}

describe('metrics knobs', () => {
  it('setMetric, lowerCounter, addMetric and dropMetric', () => {
    const f = nodeFixture(DB)
      .lowerCounter('resource_manager_container_assignments', {
        assignment_type: 'pod_shared',
        resource_name: 'cpu',
      })
      .setMetric('kubelet_cpu_manager_shared_pool_size_millicores', {}, 1000)
      .addMetric('resource_manager_allocation_errors_total', { resource_name: 'cpu', source: 'pod' }, 2)
      .dropMetric('kubelet_topology_manager_admission_requests_total')
      .build();
    const v = metrics(f).values;
    expect(v.resource_manager_container_assignments?.cpu?.pod_shared).toBe(1);
    expect(v.kubelet_cpu_manager_shared_pool_size_millicores).toBe(1000);
    expect(v.resource_manager_allocation_errors_total?.cpu?.pod).toBe(2);
    expect(v.kubelet_topology_manager_admission_requests_total).toBeUndefined();
  });

  it('rejects unknown families, wrong labels and negative counters', () => {
    expect(() => nodeFixture(DB).setMetric('kubelet_nope', {}, 1).build()).toThrow(
      /unknown metric family "kubelet_nope"/,
    );
    expect(() =>
      nodeFixture(DB).setMetric('resource_manager_allocations_total', { source: 'pod' }, 1).build(),
    ).toThrow(/has labels \[resource_name, source\]/);
    expect(() =>
      nodeFixture(DB).lowerCounter('kubelet_cpu_manager_pinning_requests_total', {}, 5).build(),
    ).toThrow(/would become -4/);
  });
});

describe('cAdvisor and cgroup knobs', () => {
  it('reproduces cli.md §10 example 4: the ml sidecar throttled 31% at 3.97 cores over 30 s', () => {
    const f = nodeFixture(ML)
      .cadvisorScrapes(2, 30)
      .cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 3.97, throttledRatio: 0.31 })
      .build();
    expect(f.cadvisor.map((s) => s.scrapedAt)).toEqual(['2026-05-12T10:00:37Z', DEFAULT_NOW]);
    const [older, newer] = [
      seriesOf(f, 'ml', 'ml-0', 'service-mesh-sidecar', 0),
      seriesOf(f, 'ml', 'ml-0', 'service-mesh-sidecar', 1),
    ];
    const periods = (newer.cfsPeriods ?? 0) - (older.cfsPeriods ?? 0);
    expect(periods).toBe(300);
    expect(((newer.cfsThrottledPeriods ?? 0) - (older.cfsThrottledPeriods ?? 0)) / periods).toBeCloseTo(
      0.31,
      10,
    );
    expect(((newer.usageSeconds ?? 0) - (older.usageSeconds ?? 0)) / 30).toBeCloseTo(3.97, 5);
    expect(newer.specQuota).toBe(400000);
    expect(cgroupOf(f, 'ml', 'ml-0', 'service-mesh-sidecar').cpuStat?.nrThrottled).toBe(
      newer.cfsThrottledPeriods,
    );
  });

  it('cfsQuota and quotaOnExclusive put a quota where the model has none (D12)', () => {
    const f = nodeFixture(DB).quotaOnExclusive('db/db-0', 'database').cfsQuota('db/db-0', '', 8000).build();
    expect(cgroupOf(f, 'db', 'db-0', 'database').cpuMax).toBe('600000 100000');
    expect(seriesOf(f, 'db', 'db-0', 'database').specQuota).toBe(600000);
    expect(seriesOf(f, 'db', 'db-0', '').specQuota).toBe(800000);
    const none = nodeFixture(DB).cfsQuota('db/db-0', 'backup-agent', null).build();
    expect(seriesOf(none, 'db', 'db-0', 'backup-agent').cfsPeriods).toBeNull();
  });

  it('refuses usage above the quota or the cpuset', () => {
    expect(() => nodeFixture(ML).cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 4.5 }).build()).toThrow(
      /usage 4.5 cores of ml\/ml-0 service-mesh-sidecar exceeds its CFS quota 4000m/,
    );
    expect(() => nodeFixture(DB).cpuUsage('db/db-0', 'database', { cores: 7 }).build()).toThrow(
      /exceeds its 6 CPUs/,
    );
  });

  it('uses cgroupfs paths with that driver', () => {
    const f = nodeFixture(DB, { cgroupDriver: 'cgroupfs' }).build();
    const uid = uidOf(f, 'db', 'db-0');
    expect(cgroupOf(f, 'db', 'db-0', '').path).toBe(`/sys/fs/cgroup/kubepods/pod${uid}`);
  });
});

describe('source knobs', () => {
  it('dropSource nulls the source and records why', () => {
    const f = nodeFixture(DB)
      .dropSource('configz', 'unavailable')
      .dropSource('cadvisor', 'forbidden')
      .build();
    expect(f.configz).toBeNull();
    expect(f.cadvisor).toEqual([]);
    expect(f.errors).toEqual([
      {
        source: 'configz',
        status: 'unavailable',
        httpStatus: 503,
        message: 'cannot read /configz: unavailable (503)',
      },
      {
        source: 'cadvisor',
        status: 'forbidden',
        httpStatus: 403,
        message: 'cannot read /metrics/cadvisor: forbidden (403)',
      },
    ]);
    const o = nodeFixture(DB).dropSource('observation', 'timeout').build();
    expect([o.observation, o.observationFrom, o.errors[0]?.httpStatus]).toEqual([null, null, null]);
  });

  it('dropObservationPart and withoutObservation', () => {
    const f = nodeFixture(DB)
      .dropObservationPart('podresources')
      .dropObservationPart('cpuCheckpoint')
      .build();
    const obs = parseObservation(JSON.stringify(f.observation), 'obs.json');
    expect(obs.podResources.list).toBeNull();
    expect(obs.checkpoints.cpuManager).toBeNull();
    expect(obs.errors.map((e) => e.source)).toEqual(['podresources', 'checkpoint']);
    expect(metrics(f).values).not.toHaveProperty('kubelet_pod_resources_endpoint_requests_total');
    const w = nodeFixture(DB).withoutObservation({ topologyFile: true }).build();
    expect(w.observation).toBeNull();
    expect(obj(w.topology).cpus).toHaveLength(64);
  });

  it('garbageLine plants one unreadable line that survives a snapshot', () => {
    const f = nodeFixture(DB).garbageLine('metrics').garbageLine('cadvisor').build();
    const text = f.metrics?.text ?? '';
    const parsed = parseKubeletMetrics(text, 'metrics');
    expect(parsed.issues).toHaveLength(1);
    expect(text.split('\n')[(parsed.issues[0]?.line ?? 0) - 1]).toBe(GARBAGE_LINES.metrics);
    expect(parseCadvisorCpu(f.cadvisor[0]?.text ?? '', 'c').issues).toHaveLength(1);
    const snap = toSnapshot([f], f.now);
    expect(snap.nodes[0]?.metrics?.text).toContain(GARBAGE_LINES.metrics);
  });
});

describe('toSnapshot', () => {
  it('writes a Snapshot the snapshot reader accepts, pods reduced, metrics filtered', () => {
    const db = nodeFixture(DB).build();
    const ml = nodeFixture(ML, { nodeName: 'worker-2' })
      .cadvisorScrapes(2)
      .dropSource('metrics', 'forbidden')
      .build();
    const snap = toSnapshot([ml, db], DEFAULT_NOW);
    const read = parseSnapshot(new TextEncoder().encode(JSON.stringify(snap)), 'snap.json');
    expect(read).toEqual(snap);
    expect(snap.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2']);
    expect(snap.pods.map((p) => obj(obj(p).metadata).name)).toEqual(['db-0', 'ml-0']);
    expect(JSON.stringify(snap.pods)).not.toContain('terminationMessagePath');
    expect(snap.nodes[0]?.metrics?.text).not.toContain('kubelet_node_name');
    expect(snap.nodes[0]?.metrics?.text).toContain('resource_manager_allocations_total');
    expect(snap.nodes[1]?.cadvisor).toHaveLength(2);
    expect(snap.nodes[1]?.cadvisor[0]?.text).not.toContain('container_cpu_user_seconds_total');
    expect(snap.nodes[1]?.errors[0]?.status).toBe('forbidden');
  });
});

describe('scenario inputs', () => {
  it('accepts parsed input and text alike', () => {
    const text = readFileSync(`${REPO_ROOT}/${DB}`, 'utf8');
    const [input] = parseScenarios(text, DB);
    if (input === undefined) throw new Error('no scenario');
    const fromText = nodeFixture(text).build();
    const fromInput = nodeFixture(input).build();
    expect(fromInput.observation).toEqual(fromText.observation);
    expect(fromInput.metrics).toEqual(fromText.metrics);
    expect(obj(obj(fromInput.configz).kubeletconfig).featureGates).toEqual({
      PodLevelResources: true,
      PodLevelResourceManagers: true,
    });
    expect(stripScenarioName(replayFromArtefacts(fromInput))).toEqual(
      stripScenarioName(nodeFixture(input).prediction()),
    );
  });

  it('names unknown pods and containers', () => {
    expect(() => nodeFixture(DB).moveToNodeSharedPool('db/db-9', 'x').build()).toThrow(
      /no pod db\/db-9 in the scenario \(pods: db\/db-0\)/,
    );
    expect(() => nodeFixture(DB).moveToNodeSharedPool('db/db-0', 'x').build()).toThrow(/has no container x/);
    expect(() => nodeFixture(ML).moveToNodeSharedPool('ml/ml-0', 'service-mesh-sidecar').build()).toThrow(
      /has no CPU entry/,
    );
  });
});

describe('a node with the none policies', () => {
  const scenario = `
apiVersion: podres/v1alpha1
kind: Scenario
node:
  name: plain
  topology:
    generate: {sockets: 1, numaNodesPerSocket: 1, coresPerSocket: 4, threadsPerCore: 2}
    memory: [{numa: 0, memory: 32Gi}]
pods:
  - metadata: {name: web, namespace: shop}
    spec: {containers: [{name: nginx, image: nginx:1.27, resources: {requests: {cpu: 250m}, limits: {cpu: "1"}}}]}
`;

  it('writes the checkpoints a kubelet with policies none/None writes', () => {
    const f = nodeFixture(scenario).build();
    const cpu = cpuCheckpoint(f);
    expect(cpu.checksum.status).toBe('verified');
    expect([cpu.checkpoint.policyName, cpu.checkpoint.defaultCpuSet.toString()]).toEqual(['none', '']);
    // the same bytes a real v1.2x kubelet wrote (fixtures/real/checkpoints/gengwg-node0010-none-policy)
    const memory = memoryCheckpoint(f);
    expect(memory.checksum.file).toBe(4236770233n);
    expect(cgroupOf(f, 'shop', 'web', 'nginx')).toMatchObject({ cpusetCpus: '0-7', cpuMax: '100000 100000' });
    expect(parseAllocatableResources(JSON.stringify(observation(f).podResources.allocatable), 'a')).toEqual({
      cpuIds: [],
      memory: [],
      devices: [],
    });
    expect(obj(obj(f.configz).kubeletconfig)).toMatchObject({
      cpuManagerPolicy: 'none',
      memoryManagerPolicy: 'None',
    });
    expect(metrics(f).values.kubelet_cpu_manager_shared_pool_size_millicores).toBe(0);
    expect(obj(podOf(f, 'shop', 'web').status).qosClass).toBe('Burstable');
    expect(cgroupOf(f, 'shop', 'web', '').path).toMatch(
      /^\/sys\/fs\/cgroup\/kubepods\.slice\/kubepods-burstable\.slice\/kubepods-burstable-pod[0-9a-f_]+\.slice$/,
    );
  });
});
