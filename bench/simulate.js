// `npm run bench`: admits 10,000 mixed pods on a generated 512-CPU, 8-NUMA node under several
// kubelet configurations and prints, per configuration, the model's throughput (runSimulation
// only; inputs are built beforehand), the time to build the output document (toSimulationOut)
// and the admitted/rejected counts; then a summary with the peak RSS of the process.
//
// The pod mix is deterministic (seeded PRNG): classic Guaranteed pods with integer CPUs (some
// with init containers and sidecars), pod-level pods (Guaranteed budgets with exclusive and
// shared containers), fractional Guaranteed, Burstable and BestEffort pods. The node fills up
// after a few hundred exclusive allocations; the rest of the Guaranteed pods exercise the
// rejection path.

import { performance } from 'node:perf_hooks';
import { runSimulation } from '../dist/src/model/simulate.js';
import { buildTopology, generateCpuRecords } from '../dist/src/model/topology.js';
import { toSimulationOut } from '../dist/src/render/simulation.js';
import { toKubeletConfig } from '../dist/src/scenario/kubelet-config.js';

const POD_COUNT = 10_000;
const SEED = 0x5eed;
const TARGET_MS = 2000;
const GiB = 1024n ** 3n;
const MiB = 1024n ** 2n;

/** mulberry32: small, fast, deterministic; returns floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Model pod shapes (src/model/pod.ts): milli-CPUs as numbers, bytes as bigints.
const NONE = { requests: { hugepages: {} }, limits: { hugepages: {} } };

function amounts(milliCpu, bytes) {
  return { cpu: milliCpu, memory: bytes, hugepages: {} };
}

function guaranteed(milliCpu, bytes) {
  const a = amounts(milliCpu, bytes);
  return { requests: a, limits: a };
}

function burstable(reqMilli, limMilli, reqBytes, limBytes) {
  return { requests: amounts(reqMilli, reqBytes), limits: amounts(limMilli, limBytes) };
}

function container(name, type, resources) {
  return { name, type, resources };
}

function pod(i, kind, podResources, initContainers, containers) {
  const name = `${kind}-${i}`;
  return {
    namespace: 'bench',
    name,
    uid: `uid-bench-${i}`,
    statusQosClass: null,
    podResources,
    initContainers,
    containers,
  };
}

/** The deterministic pod mix. */
function generatePods(count, seed) {
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const mem = () => BigInt(int(1, 8)) * GiB;
  const pods = [];
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.4) {
      // Classic Guaranteed, integer CPUs: 1-3 app containers of 1-8 CPUs, sometimes an init
      // container (exclusive) and sidecars (exclusive or fractional).
      const inits = [];
      if (rnd() < 0.25) inits.push(container('setup', 'init', guaranteed(int(1, 4) * 1000, mem())));
      if (rnd() < 0.3) inits.push(container('proxy', 'sidecar', guaranteed(int(1, 2) * 1000, 256n * MiB)));
      if (rnd() < 0.2) inits.push(container('logs', 'sidecar', guaranteed(250, 128n * MiB)));
      const apps = [];
      const n = int(1, 3);
      for (let k = 0; k < n; k++)
        apps.push(container(`app-${k}`, 'app', guaranteed(int(1, 8) * 1000, mem())));
      pods.push(pod(i, 'guaranteed', null, inits, apps));
    } else if (r < 0.6) {
      // Pod-level: a Guaranteed budget, exclusive containers inside it and shared ones.
      const budget = int(4, 16);
      const inits = [container('mesh', 'sidecar', NONE)];
      if (rnd() < 0.3) inits.push(container('init-db', 'init', NONE));
      const apps = [];
      let left = budget - 1; // keep at least one CPU for the pod shared pool
      const exclusive = int(1, 2);
      for (let k = 0; k < exclusive && left > 0; k++) {
        const cpus = int(1, Math.min(left, 6));
        apps.push(container(`worker-${k}`, 'app', guaranteed(cpus * 1000, 2n * GiB)));
        left -= cpus;
      }
      apps.push(container('helper', 'app', NONE));
      pods.push(pod(i, 'pod-level', guaranteed(budget * 1000, BigInt(budget * 2) * GiB), inits, apps));
    } else if (r < 0.75) {
      // Guaranteed with fractional CPUs: shared pool only.
      const apps = [container('app', 'app', guaranteed(int(1, 9) * 100 + 1000 * int(0, 2), mem()))];
      pods.push(pod(i, 'fractional', null, [], apps));
    } else if (r < 0.9) {
      const req = int(1, 20) * 100;
      const apps = [container('app', 'app', burstable(req, req * 2, 512n * MiB, GiB))];
      if (rnd() < 0.5)
        apps.push(container('sidecar', 'app', burstable(100, undefined, 64n * MiB, undefined)));
      pods.push(pod(i, 'burstable', null, [], apps));
    } else {
      pods.push(pod(i, 'besteffort', null, [], [container('app', 'app', NONE)]));
    }
  }
  return pods;
}

const topology = buildTopology(
  generateCpuRecords({
    sockets: 2,
    numaNodesPerSocket: 4,
    coresPerSocket: 128,
    threadsPerCore: 2,
    uncoreCachesPerSocket: 16,
  }),
  // 256 GiB per NUMA node, for the configurations with the Static memory manager
  { memory: [0, 1, 2, 3, 4, 5, 6, 7].map((numa) => ({ numa, memory: 256n * GiB, hugepages: {} })) },
);

const base = { cpuManagerPolicy: 'static', reservedSystemCPUs: '0,256' };
// Static memory manager: 1100Mi of kube + system reserved + eviction memory, reserved on NUMA 0.
const staticMemory = {
  memoryManagerPolicy: 'Static',
  kubeReserved: { memory: '500Mi' },
  systemReserved: { memory: '500Mi' },
  reservedMemory: [{ numaNode: 0, limits: { memory: '1100Mi' } }],
};
const configurations = [
  {
    name: 'pod scope, single-numa-node, PLRM on',
    kubelet: {
      ...base,
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'pod',
    },
  },
  {
    name: 'container scope, best-effort, PLRM off',
    kubelet: {
      ...base,
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: false },
      topologyManagerPolicy: 'best-effort',
      topologyManagerScope: 'container',
    },
  },
  {
    name: 'pod scope, restricted, distribute-cpus-across-numa, PLRM on',
    kubelet: {
      ...base,
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      cpuManagerPolicyOptions: { 'distribute-cpus-across-numa': 'true' },
      topologyManagerPolicy: 'restricted',
      topologyManagerScope: 'pod',
    },
  },
  {
    name: 'pod scope, single-numa-node, PLRM on, Static memory manager',
    kubelet: {
      ...base,
      ...staticMemory,
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'pod',
    },
  },
  {
    name: 'container scope, best-effort, PLRM on, Static memory manager',
    kubelet: {
      ...base,
      ...staticMemory,
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      topologyManagerPolicy: 'best-effort',
      topologyManagerScope: 'container',
    },
  },
];

function fmt(n, digits = 0) {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const pods = generatePods(POD_COUNT, SEED);
const inputs = configurations.map((c) => ({
  name: c.name,
  input: {
    name: `bench: ${c.name}`,
    fidelity: 'source',
    node: {
      name: 'bench-node',
      topology,
      config: toKubeletConfig(c.kubelet, '1.36', `bench ${c.name}`),
      cpuState: null,
      memoryState: null,
    },
    pods,
    warnings: [],
  },
}));

const kinds = new Map();
for (const p of pods) {
  const kind = p.name.slice(0, p.name.lastIndexOf('-'));
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
}
process.stdout.write(
  `node: ${topology.cpus.length} CPUs, ${topology.numaNodes.length} NUMA nodes, ${topology.sockets.length} sockets; ` +
    `${fmt(POD_COUNT)} pods (seed 0x${SEED.toString(16)}): ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}\n` +
    `node ${process.version}, ${process.platform}/${process.arch}\n\n`,
);

let totalModelMs = 0;
let totalOutMs = 0;
let totalPods = 0;
let slowest = 0;
for (const { name, input } of inputs) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = runSimulation(input);
  const modelMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const modelCpuMs = (cpu.user + cpu.system) / 1000;
  if (!outcome.ok) throw new Error(`${name}: kubelet would not start: ${outcome.field}: ${outcome.error}`);
  const t1 = performance.now();
  const doc = toSimulationOut(outcome.result, { explain: false, warnings: [] });
  const outMs = performance.now() - t1;

  const admitted = outcome.result.admissions.filter((a) => a.admitted).length;
  const rejected = outcome.result.admissions.length - admitted;
  const reasons = new Map();
  for (const a of outcome.result.admissions) {
    if (a.reason !== null) reasons.set(a.reason, (reasons.get(a.reason) ?? 0) + 1);
  }
  if (doc.pods.length !== POD_COUNT) throw new Error(`${name}: ${doc.pods.length} pods in the output`);
  totalModelMs += modelMs;
  totalOutMs += outMs;
  totalPods += POD_COUNT;
  slowest = Math.max(slowest, modelMs);
  process.stdout.write(
    `${name}\n` +
      `  model: ${fmt(modelMs)} ms (cpu ${fmt(modelCpuMs)} ms), ${fmt((POD_COUNT / modelMs) * 1000)} pods/s; ` +
      `admitted ${fmt(admitted)}, rejected ${fmt(rejected)}, shared pool left ${doc.nodeSharedPool.cpus}\n` +
      `  rejections: ${[...reasons].map(([r, n]) => `${r} ${fmt(n)}`).join(', ') || 'none'}\n` +
      `  toSimulationOut: ${fmt(outMs)} ms\n`,
  );
}

const maxRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `\nsummary: ${fmt(totalPods)} admissions in ${fmt(totalModelMs)} ms (${fmt((totalPods / totalModelMs) * 1000)} pods/s), ` +
    `toSimulationOut ${fmt(totalOutMs)} ms, peak RSS ${fmt(maxRssMiB, 1)} MiB; ` +
    `slowest configuration ${fmt(slowest)} ms (target ≤ ${fmt(TARGET_MS)} ms per ${fmt(POD_COUNT)}: ${slowest <= TARGET_MS ? 'met' : 'NOT met'})\n`,
);
