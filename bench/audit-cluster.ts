// The cluster of `npm run bench:audit`: N nodes × M pods served by the fake API server
// (test/helpers/fake-apiserver.ts), each node with /configz, /metrics and /metrics/cadvisor bodies
// that agree with its pods, as a kubelet following the allocator model would serve them.
//
// How: a few node templates (4 machine shapes × 4 kubelet configurations) are built through the
// node fixture (test/helpers/node-fixture.ts: the model replays the template's pods; Node, Pods,
// /configz, /metrics and cAdvisor are rendered from that replay). Every text of a template is cut
// once into literal parts and "keys" (the node name, node and pod uids, pod names, container and
// sandbox ids, IP prefixes); a cluster node renders its texts by joining the parts with its own
// values, so all nodes of a template hold the same placement with their own names and ids, and
// every source stays consistent (a pod's uid in its object, its cgroup paths and cAdvisor labels).
// Pod objects are rendered at generation time (the API server needs them parsed); the kubelet
// bodies are rendered when requested (getters), as 5,000 cAdvisor scrapes of ~3 MB would not fit
// in memory.
//
// Realistic sizes: pods get what a real API server returns besides the fixture's fields
// (managedFields, owner references, labels, the service-account volume, env, probes…), about
// 6 kB of JSON each (real pods of 1-3 containers: 4.4-7.8 kB). /metrics/cadvisor adds to the
// fixture's CPU families all other families a real cgroup v2 kubelet serves, per pod cgroup,
// sandbox and container, copied from one pod of a real scrape (bench/data/, see bench/README.md);
// /metrics adds the usual families of a modern kubelet (Go runtime, REST client, runtime
// operations, feature gates, work queues… as histograms), written here. Those added families are
// rendered once per template (see Body): audit, describe and snapshot (without --raw-metrics)
// drop them by name.

import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { KubeletEndpoints } from '../test/helpers/fake-apiserver.js';
import { nodeFixture } from '../test/helpers/node-fixture.js';

type Obj = Record<string, unknown>;

export interface BenchClusterOptions {
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly seed: number;
  /** the time of every reading (the kubelets started an hour earlier) */
  readonly now: Date;
  /**
   * the real cAdvisor lines of bench/data/cadvisor-extra-families.txt; null serves only the
   * fixture's CPU families (much smaller scrapes)
   */
  readonly cadvisorExtraFamilies: string | null;
  /** add the usual kubelet families to /metrics (default true) */
  readonly kubeletExtraFamilies?: boolean;
  /**
   * give pods what a real API server returns besides the fixture's fields (managedFields, owner,
   * labels, token volume, env, probes…; default true); false leaves the fixture's pods (~2.5 kB)
   */
  readonly realisticPods?: boolean;
}

export interface TemplateInfo {
  readonly name: string;
  readonly cpus: number;
  readonly config: string;
  readonly kubeletVersion: string;
  readonly nodes: number;
  /** pods the model admits / rejects on each node of this template */
  readonly admitted: number;
  readonly rejected: number;
  readonly bytes: { readonly cadvisor: number; readonly metrics: number; readonly configz: number };
}

export interface BenchCluster {
  readonly nodes: readonly object[];
  readonly pods: readonly object[];
  readonly kubelet: Readonly<Record<string, KubeletEndpoints>>;
  readonly templates: readonly TemplateInfo[];
  /** pods by kind (pod-level, guaranteed, fractional, burstable, besteffort, daemonset) */
  readonly kinds: ReadonlyMap<string, number>;
  /** total JSON bytes of the pod and node objects, and of one scrape of every node */
  readonly bytes: {
    readonly pods: number;
    readonly nodes: number;
    readonly cadvisor: number;
    readonly metrics: number;
    readonly configz: number;
  };
}

// ----- randomness -------------------------------------------------------------------------------

/** mulberry32: small, fast, deterministic; floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rnd = () => number;

const int = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

function pick<T>(rnd: Rnd, list: readonly T[]): T {
  const v = list[Math.floor(rnd() * list.length)];
  if (v === undefined) throw new RangeError('bench cluster: pick from an empty list');
  return v;
}

const HEX = '0123456789abcdef';

/** n characters of `alphabet`, as one flat string (one `+=` per character would leave a chain of
 * n string pieces in memory: 2 kB for a container id, 250 MB for the ids of 1,000 nodes) */
function randomText(rnd: Rnd, n: number, alphabet: string): string {
  const chars: string[] = [];
  for (let i = 0; i < n; i++) chars.push(alphabet[Math.floor(rnd() * alphabet.length)] ?? '0');
  return chars.join('');
}

function hex(rnd: Rnd, n: number): string {
  return randomText(rnd, n, HEX);
}

function uuid(rnd: Rnd): string {
  const h = hex(rnd, 32);
  const variant = HEX[8 + Math.floor(rnd() * 4)] ?? '8';
  // joined, not a template literal: a flat string, not a chain of pieces (see randomText)
  return [h.slice(0, 8), h.slice(8, 12), `4${h.slice(13, 16)}`, variant + h.slice(17, 20), h.slice(20)].join(
    '-',
  );
}

// the alphabet of Kubernetes' generated name suffixes (k8s.io/apimachinery/pkg/util/rand)
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function suffix(rnd: Rnd, n: number): string {
  return randomText(rnd, n, NAME_ALPHABET);
}

// ----- templates: machines, kubelet configurations, pods ----------------------------------------

interface Shape {
  readonly name: string;
  readonly generate: Readonly<Record<string, number>>;
  readonly cpus: number;
  /** GiB per NUMA node */
  readonly memoryGi: number;
}

const SHAPES: readonly Shape[] = [
  {
    name: '64cpu',
    generate: {
      sockets: 2,
      numaNodesPerSocket: 1,
      coresPerSocket: 16,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    },
    cpus: 64,
    memoryGi: 128,
  },
  {
    name: '96cpu',
    generate: {
      sockets: 2,
      numaNodesPerSocket: 1,
      coresPerSocket: 24,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    },
    cpus: 96,
    memoryGi: 192,
  },
  {
    name: '128cpu',
    generate: {
      sockets: 2,
      numaNodesPerSocket: 1,
      coresPerSocket: 32,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 1,
    },
    cpus: 128,
    memoryGi: 256,
  },
  {
    // AMD-style: 4 L3 caches per socket
    name: '128cpu-4l3',
    generate: {
      sockets: 2,
      numaNodesPerSocket: 1,
      coresPerSocket: 32,
      threadsPerCore: 2,
      uncoreCachesPerSocket: 4,
    },
    cpus: 128,
    memoryGi: 256,
  },
];

interface KubeletShape {
  readonly name: string;
  readonly version: '1.36' | '1.37';
  /** even CPU counts only (full-pcpus-only) */
  readonly evenCpus: boolean;
  readonly kubelet: (shape: Shape) => Obj;
}

const RESERVED_MEMORY = {
  kubeReserved: { memory: '500Mi' },
  systemReserved: { memory: '500Mi' },
};

const KUBELETS: readonly KubeletShape[] = [
  {
    name: 'pod scope, single-numa-node, PLRM on',
    version: '1.36',
    evenCpus: false,
    kubelet: (s) => ({
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      cpuManagerPolicy: 'static',
      reservedSystemCPUs: `0,${s.cpus / 2}`,
      ...RESERVED_MEMORY,
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'pod',
    }),
  },
  {
    name: 'container scope, best-effort, PLRM off',
    version: '1.36',
    evenCpus: false,
    kubelet: (s) => ({
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: false },
      cpuManagerPolicy: 'static',
      reservedSystemCPUs: `0,${s.cpus / 2}`,
      ...RESERVED_MEMORY,
      topologyManagerPolicy: 'best-effort',
      topologyManagerScope: 'container',
    }),
  },
  {
    name: 'pod scope, restricted, Static memory manager, PLRM on',
    version: '1.37',
    evenCpus: false,
    kubelet: (s) => ({
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      cpuManagerPolicy: 'static',
      reservedSystemCPUs: `0,${s.cpus / 2}`,
      ...RESERVED_MEMORY,
      memoryManagerPolicy: 'Static',
      reservedMemory: [{ numaNode: 0, limits: { memory: '1100Mi' } }],
      topologyManagerPolicy: 'restricted',
      topologyManagerScope: 'pod',
    }),
  },
  {
    name: 'container scope, full-pcpus-only, no topology policy, PLRM on',
    version: '1.37',
    evenCpus: true,
    kubelet: (s) => ({
      featureGates: { PodLevelResources: true, PodLevelResourceManagers: true },
      cpuManagerPolicy: 'static',
      cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
      reservedSystemCPUs: `0,${s.cpus / 2}`,
      ...RESERVED_MEMORY,
    }),
  },
];

type PodKind = 'pod-level' | 'guaranteed' | 'fractional' | 'burstable' | 'besteffort' | 'daemonset';

interface Role {
  readonly kind: PodKind;
  readonly namespace: string;
  readonly app: string;
  readonly style: 'deployment' | 'statefulset' | 'daemonset';
  /** pod-template-hash / controller-revision-hash */
  readonly hash: string;
  /** the owner's uid (ReplicaSet, StatefulSet, DaemonSet) */
  readonly ownerUid: string;
}

const APPS: Readonly<
  Record<Exclude<PodKind, 'daemonset'>, readonly (readonly [string, string, Role['style']])[]>
> = {
  'pod-level': [
    ['db', 'postgres', 'statefulset'],
    ['ml-serving', 'triton-inference', 'deployment'],
    ['trading', 'order-matcher', 'statefulset'],
  ],
  guaranteed: [
    ['cache', 'redis', 'statefulset'],
    ['ml-training', 'trainer', 'deployment'],
    ['search', 'elasticsearch-data', 'statefulset'],
    ['network', 'dpdk-router', 'deployment'],
  ],
  fractional: [
    ['payments', 'payments-api', 'deployment'],
    ['checkout', 'checkout-service', 'deployment'],
  ],
  burstable: [
    ['payments', 'ledger-worker', 'deployment'],
    ['checkout', 'cart', 'deployment'],
    ['search', 'query-frontend', 'deployment'],
    ['analytics', 'event-collector', 'deployment'],
    ['web', 'storefront', 'deployment'],
    ['web', 'image-resizer', 'deployment'],
    ['messaging', 'kafka-connect', 'deployment'],
  ],
  besteffort: [
    ['batch', 'report-generator', 'deployment'],
    ['tools', 'debug-shell', 'deployment'],
    ['ci', 'runner', 'deployment'],
  ],
};

const DAEMONSETS: readonly (readonly [string, string])[] = [
  ['kube-system', 'kube-proxy'],
  ['monitoring', 'node-exporter'],
  ['logging', 'fluent-bit'],
];

const IMAGES: Readonly<Record<string, string>> = {
  postgres: 'postgres:16.4',
  'triton-inference': 'nvcr.io/nvidia/tritonserver:24.08-py3',
  'order-matcher': 'registry.example.com/trading/order-matcher:3.12.0',
  redis: 'redis:7.4.1',
  trainer: 'registry.example.com/ml/trainer:2025.11.2',
  'elasticsearch-data': 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
  'dpdk-router': 'registry.example.com/network/dpdk-router:1.8.4',
  'payments-api': 'registry.example.com/payments/api:4.2.1',
  'checkout-service': 'registry.example.com/checkout/service:2.9.0',
  'ledger-worker': 'registry.example.com/payments/ledger-worker:4.2.1',
  cart: 'registry.example.com/checkout/cart:2.9.0',
  'query-frontend': 'registry.example.com/search/query-frontend:1.33.0',
  'event-collector': 'registry.example.com/analytics/event-collector:0.48.2',
  storefront: 'registry.example.com/web/storefront:7.1.0',
  'image-resizer': 'registry.example.com/web/image-resizer:1.4.3',
  'kafka-connect': 'confluentinc/cp-kafka-connect:7.7.1',
  'report-generator': 'registry.example.com/batch/report-generator:0.9.1',
  'debug-shell': 'busybox:1.36',
  runner: 'registry.example.com/ci/runner:17.5.0',
  'kube-proxy': 'registry.k8s.io/kube-proxy:v1.36.2',
  'node-exporter': 'quay.io/prometheus/node-exporter:v1.8.2',
  'fluent-bit': 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
};

const gi = (n: number): string => `${n}Gi`;
const mi = (n: number): string => `${n}Mi`;

function res(
  cpu: string | null,
  memory: string | null,
  limitCpu?: string | null,
  limitMemory?: string | null,
): Obj {
  const requests: Obj = {};
  const limits: Obj = {};
  if (cpu !== null) requests.cpu = cpu;
  if (memory !== null) requests.memory = memory;
  const lc = limitCpu === undefined ? cpu : limitCpu;
  const lm = limitMemory === undefined ? memory : limitMemory;
  if (lc !== null) limits.cpu = lc;
  if (lm !== null) limits.memory = lm;
  const out: Obj = {};
  if (Object.keys(requests).length > 0) out.requests = requests;
  if (Object.keys(limits).length > 0) out.limits = limits;
  return out;
}

function container(name: string, image: string, resources: Obj | null, sidecar = false): Obj {
  return {
    name,
    image,
    ...(sidecar ? { restartPolicy: 'Always' } : {}),
    ...(resources === null ? {} : { resources }),
  };
}

/** The pod spec (scenario pods are v1 Pods) of one kind; CPU counts scale with the machine. */
function podSpec(kind: PodKind, app: string, rnd: Rnd, shape: Shape, k: KubeletShape): Obj {
  const scale = shape.cpus / 64;
  const cpus = (lo: number, hi: number): number => {
    const n = Math.max(1, Math.round(int(rnd, lo, hi) * scale));
    return k.evenCpus && n % 2 === 1 ? n + 1 : n;
  };
  const image = IMAGES[app] ?? `registry.example.com/${app}:1.0.0`;
  const mesh = container('istio-proxy', 'docker.io/istio/proxyv2:1.23.2', null, true);
  switch (kind) {
    case 'pod-level': {
      // a pod-level Guaranteed budget: one exclusive app container, shared sidecars and helper
      const budget = cpus(4, 8);
      const exclusive = Math.max(1, budget - (k.evenCpus ? 2 : 1) - (rnd() < 0.5 ? 1 : 0));
      const mem = budget * 2;
      const inits = [mesh, container('log-shipper', 'cr.fluentbit.io/fluent/fluent-bit:3.1.9', null, true)];
      if (rnd() < 0.3) inits.unshift(container('init-schema', image, null));
      return {
        resources: res(String(budget), gi(mem)),
        initContainers: inits,
        containers: [
          container(app, image, res(String(exclusive), gi(Math.max(1, mem - 2)))),
          container('metrics-agent', 'quay.io/prometheus/statsd-exporter:v0.27.1', null),
        ],
      };
    }
    case 'guaranteed': {
      const inits: Obj[] = [];
      if (rnd() < 0.25) inits.push(container('init-config', 'busybox:1.36', res('1', mi(256))));
      if (rnd() < 0.3)
        inits.push(
          container(
            'proxy',
            'docker.io/envoyproxy/envoy:v1.31.2',
            res(k.evenCpus ? '2' : '1', mi(512)),
            true,
          ),
        );
      const apps = [container(app, image, res(String(cpus(1, 4)), gi(int(rnd, 2, 8))))];
      if (rnd() < 0.3)
        apps.push(container('exporter', 'quay.io/oliver006/redis_exporter:v1.66.0', res('250m', mi(128))));
      return { ...(inits.length > 0 ? { initContainers: inits } : {}), containers: apps };
    }
    case 'fractional':
      return {
        containers: [container(app, image, res(pick(rnd, ['500m', '1500m', '2500m']), gi(int(rnd, 1, 4))))],
      };
    case 'burstable': {
      const req = int(rnd, 1, 20) * 100;
      const apps = [
        container(app, image, res(`${req}m`, mi(int(rnd, 2, 16) * 128), `${req * 2}m`, gi(int(rnd, 2, 4)))),
      ];
      const inits =
        rnd() < 0.4
          ? [
              container(
                'istio-proxy',
                'docker.io/istio/proxyv2:1.23.2',
                res('100m', mi(128), null, mi(1024)),
                true,
              ),
            ]
          : [];
      return { ...(inits.length > 0 ? { initContainers: inits } : {}), containers: apps };
    }
    case 'besteffort':
      return { containers: [container(app, image, null)] };
    case 'daemonset':
      return {
        containers: [container(app, image, app === 'kube-proxy' ? null : res('100m', mi(64), null, mi(256)))],
      };
  }
}

/** Kinds of the pods of one node: daemonsets first, then the mix (pod-level, guaranteed, …). */
function podKinds(count: number, rnd: Rnd): PodKind[] {
  const kinds: PodKind[] = [];
  for (let i = 0; i < Math.min(DAEMONSETS.length, count); i++) kinds.push('daemonset');
  const rest = count - kinds.length;
  // shares of the rest: pod-level 12 %, guaranteed 20 %, fractional 8 %, burstable 40 %, best-effort 20 %
  const shares: readonly [PodKind, number][] = [
    ['pod-level', 0.12],
    ['guaranteed', 0.2],
    ['fractional', 0.08],
    ['burstable', 0.4],
    ['besteffort', 0.2],
  ];
  const counts = shares.map(([k, s]) => [k, Math.floor(rest * s)] as const);
  let left = rest - counts.reduce((s, [, n]) => s + n, 0);
  const mix: PodKind[] = counts.flatMap(([k, n]) => Array.from({ length: n }, () => k));
  while (left-- > 0) mix.push('burstable');
  // admission order: shuffled, as pods arrive over a node's life
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [mix[i], mix[j]] = [mix[j] as PodKind, mix[i] as PodKind];
  }
  return [...kinds, ...mix];
}

// ----- key substitution -------------------------------------------------------------------------

/** A text cut into literal parts and key slots. */
class TextTemplate {
  private readonly literals: string[] = [];
  private readonly slots: number[] = [];

  constructor(text: string, keys: readonly string[], re: RegExp, index: ReadonlyMap<string, number>) {
    let last = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const slot = index.get(m[0]);
      if (slot === undefined) throw new RangeError(`bench cluster: unknown key ${m[0]}`);
      this.literals.push(text.slice(last, m.index));
      this.slots.push(slot);
      last = m.index + m[0].length;
    }
    this.literals.push(text.slice(last));
    if (keys.length === 0) this.slots.length = 0;
  }

  render(values: readonly string[]): string {
    let s = this.literals[0] ?? '';
    for (let i = 0; i < this.slots.length; i++)
      s += (values[this.slots[i] ?? 0] ?? '') + (this.literals[i + 1] ?? '');
    return s;
  }
}

type KeyKind =
  | { readonly t: 'node-name' }
  | { readonly t: 'node-uid' }
  | { readonly t: 'machine-id' }
  | { readonly t: 'system-uuid' }
  | { readonly t: 'boot-id' }
  | { readonly t: 'node-ip' }
  | { readonly t: 'pod-net' }
  | { readonly t: 'pod-name'; readonly pod: number }
  | { readonly t: 'pod-uid'; readonly pod: number }
  | { readonly t: 'pod-uid-underscore'; readonly pod: number }
  | { readonly t: 'container-id'; readonly pod: number; readonly n: number };

interface Template {
  readonly info: Omit<TemplateInfo, 'nodes'>;
  readonly roles: readonly Role[];
  readonly keys: readonly KeyKind[];
  /** containers (and the sandbox) per pod: how many ids each pod needs */
  readonly idsPerPod: readonly number[];
  readonly pods: readonly TextTemplate[];
  readonly node: TextTemplate;
  readonly configz: TextTemplate;
  readonly metrics: Body;
  readonly cadvisor: Body;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ----- realistic pod objects --------------------------------------------------------------------

function managedFields(p: Obj, time: string): Obj[] {
  const spec = p.spec as Obj;
  const fieldsOf = (list: unknown): Obj =>
    Object.fromEntries(
      (Array.isArray(list) ? (list as Obj[]) : []).map((c) => [
        `k:{"name":"${String(c.name)}"}`,
        {
          '.': {},
          'f:env': {},
          'f:image': {},
          'f:imagePullPolicy': {},
          'f:name': {},
          'f:ports': {},
          'f:readinessProbe': { '.': {}, 'f:httpGet': { '.': {}, 'f:path': {}, 'f:port': {} } },
          'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} },
          'f:terminationMessagePath': {},
          'f:terminationMessagePolicy': {},
          'f:volumeMounts': {},
        },
      ]),
    );
  return [
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:generateName': {},
          'f:labels': { '.': {}, 'f:app': {}, 'f:app.kubernetes.io/name': {} },
          'f:ownerReferences': { '.': {} },
        },
        'f:spec': {
          'f:containers': fieldsOf(spec.containers),
          ...(spec.initContainers === undefined ? {} : { 'f:initContainers': fieldsOf(spec.initContainers) }),
          'f:dnsPolicy': {},
          'f:enableServiceLinks': {},
          'f:restartPolicy': {},
          'f:schedulerName': {},
          'f:securityContext': {},
          'f:terminationGracePeriodSeconds': {},
          'f:tolerations': {},
          'f:volumes': {},
        },
      },
    },
    {
      manager: 'kubelet',
      operation: 'Update',
      apiVersion: 'v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:status': {
          'f:conditions': {},
          'f:containerStatuses': {},
          'f:hostIP': {},
          'f:hostIPs': {},
          'f:phase': {},
          'f:podIP': {},
          'f:podIPs': { '.': {} },
          'f:startTime': {},
        },
      },
      subresource: 'status',
    },
  ];
}

/**
 * Adds what a real API server returns for a controller's pod besides the fixture's fields:
 * labels, owner reference, managedFields, the service-account token volume and its mounts,
 * env, ports and probes, tolerations, security contexts. `name` is the pod's (template) name.
 */
function decoratePod(p: Obj, role: Role, name: string, rnd: Rnd): Obj {
  const meta = p.metadata as Obj;
  const spec = p.spec as Obj;
  const token = `kube-api-access-${suffix(rnd, 5)}`;
  const owner =
    role.style === 'deployment'
      ? { kind: 'ReplicaSet', name: `${role.app}-${role.hash}` }
      : role.style === 'statefulset'
        ? { kind: 'StatefulSet', name: role.app }
        : { kind: 'DaemonSet', name: role.app };
  const labels: Obj = {
    app: role.app,
    'app.kubernetes.io/name': role.app,
    'app.kubernetes.io/part-of': role.namespace,
    ...(role.style === 'deployment'
      ? { 'pod-template-hash': role.hash }
      : {
          'controller-revision-hash': `${role.app}-${role.hash}`,
          ...(role.style === 'statefulset'
            ? { 'statefulset.kubernetes.io/pod-name': name }
            : { 'pod-template-generation': '3' }),
        }),
  };
  const decorate = (c: Obj, i: number): Obj => ({
    ...c,
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      {
        name: 'POD_NAMESPACE',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
      },
      { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ],
    ...(i === 0
      ? {
          ports: [
            { containerPort: 8080, name: 'http', protocol: 'TCP' },
            { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
          ],
          readinessProbe: {
            failureThreshold: 3,
            httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' },
            periodSeconds: 10,
            successThreshold: 1,
            timeoutSeconds: 1,
          },
          livenessProbe: {
            failureThreshold: 3,
            httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
            initialDelaySeconds: 15,
            periodSeconds: 20,
            successThreshold: 1,
            timeoutSeconds: 1,
          },
        }
      : {}),
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true },
    volumeMounts: [
      { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: token, readOnly: true },
    ],
  });
  const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
  const created = typeof meta.creationTimestamp === 'string' ? meta.creationTimestamp : '';
  const out: Obj = {
    ...p,
    metadata: {
      ...meta,
      ...(role.style === 'statefulset' ? {} : { generateName: `${owner.name}-` }),
      labels,
      annotations: {
        'kubectl.kubernetes.io/default-container': role.app,
        'prometheus.io/port': '9090',
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: owner.kind,
          name: owner.name,
          uid: role.ownerUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [],
    },
    spec: {
      ...spec,
      ...(spec.initContainers === undefined
        ? {}
        : { initContainers: list(spec.initContainers).map(decorate) }),
      containers: list(spec.containers).map(decorate),
      securityContext: { fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      ...(role.style === 'statefulset' ? { hostname: name, subdomain: role.app } : {}),
      tolerations: [
        {
          effect: 'NoExecute',
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          tolerationSeconds: 300,
        },
        {
          effect: 'NoExecute',
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          tolerationSeconds: 300,
        },
      ],
      volumes: [
        {
          name: token,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
              {
                downwardAPI: {
                  items: [
                    { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' },
                  ],
                },
              },
            ],
          },
        },
      ],
    },
  };
  (out.metadata as Obj).managedFields = managedFields(out, created);
  return out;
}

// ----- /metrics: the usual kubelet families -----------------------------------------------------

interface ExtraContainer {
  readonly namespace: string;
  readonly pod: string;
  readonly uid: string;
  readonly container: string;
}

function histogramLines(
  name: string,
  labels: string,
  buckets: readonly number[],
  count: number,
  meanSeconds: number,
): string[] {
  const lines: string[] = [];
  const sep = labels === '' ? '' : ',';
  for (const le of buckets) {
    // an exponential distribution: the share of observations at or below `le`
    const n = Math.round(count * (1 - Math.exp(-le / meanSeconds)));
    lines.push(`${name}_bucket{${labels}${sep}le="${String(le)}"} ${n}`);
  }
  lines.push(`${name}_bucket{${labels}${sep}le="+Inf"} ${count}`);
  const braces = labels === '' ? '' : `{${labels}}`;
  lines.push(`${name}_sum${braces} ${(count * meanSeconds).toFixed(6)}`, `${name}_count${braces} ${count}`);
  return lines;
}

const FEATURE_GATES = [
  'APIResponseCompression',
  'APIServerIdentity',
  'APIServerTracing',
  'AllAlpha',
  'AllBeta',
  'AnonymousAuthConfigurableEndpoints',
  'AnyVolumeDataSource',
  'AuthorizeNodeWithSelectors',
  'AuthorizeWithSelectors',
  'CPUCFSQuotaPeriod',
  'CPUManagerPolicyAlphaOptions',
  'CPUManagerPolicyBetaOptions',
  'CPUManagerPolicyOptions',
  'CRDValidationRatcheting',
  'CSIMigrationPortworx',
  'CSIVolumeHealth',
  'ClusterTrustBundle',
  'ClusterTrustBundleProjection',
  'ComponentSLIs',
  'ConcurrentWatchObjectDecode',
  'ConsistentListFromCache',
  'ContainerCheckpoint',
  'ContextualLogging',
  'CoordinatedLeaderElection',
  'CronJobsScheduledAnnotation',
  'CrossNamespaceVolumeDataSource',
  'CustomCPUCFSQuotaPeriod',
  'DRAAdminAccess',
  'DRAResourceClaimDeviceStatus',
  'DynamicResourceAllocation',
  'EventedPLEG',
  'ExternalServiceAccountTokenSigner',
  'GracefulNodeShutdown',
  'GracefulNodeShutdownBasedOnPodPriority',
  'HPAScaleToZero',
  'HonorPVReclaimPolicy',
  'ImageMaximumGCAge',
  'ImageVolume',
  'InPlacePodVerticalScaling',
  'InTreePluginPortworxUnregister',
  'InformerResourceVersion',
  'JobBackoffLimitPerIndex',
  'JobManagedBy',
  'JobPodReplacementPolicy',
  'JobSuccessPolicy',
  'KubeletCgroupDriverFromCRI',
  'KubeletCrashLoopBackOffMax',
  'KubeletFineGrainedAuthz',
  'KubeletInUserNamespace',
  'KubeletPSI',
  'KubeletPodResourcesDynamicResources',
  'KubeletPodResourcesGet',
  'KubeletSeparateDiskGC',
  'KubeletTracing',
  'LoggingAlphaOptions',
  'LoggingBetaOptions',
  'MatchLabelKeysInPodAffinity',
  'MatchLabelKeysInPodTopologySpread',
  'MaxUnavailableStatefulSet',
  'MemoryManager',
  'MemoryQoS',
  'MultiCIDRServiceAllocator',
  'MutatingAdmissionPolicy',
  'NFTablesProxyMode',
  'NodeInclusionPolicyInPodTopologySpread',
  'NodeLogQuery',
  'NodeSwap',
  'OpenAPIEnums',
  'OrderedNamespaceDeletion',
  'PodAndContainerStatsFromCRI',
  'PodDeletionCost',
  'PodLevelResourceManagers',
  'PodLevelResources',
  'PodLifecycleSleepAction',
  'PodLifecycleSleepActionAllowZero',
  'PodLogsQuerySplitStreams',
  'PodObservedGenerationTracking',
  'PodReadyToStartContainersCondition',
  'PodSchedulingReadiness',
  'PortForwardWebsockets',
  'ProcMountType',
  'QOSReserved',
  'RecoverVolumeExpansionFailure',
  'RecursiveReadOnlyMounts',
  'RelaxedDNSSearchValidation',
  'RelaxedEnvironmentVariableValidation',
  'ReloadKubeletServerCertificateFile',
  'RemoteRequestHeaderUID',
  'ResilientWatchCacheInitialization',
  'ResourceHealthStatus',
  'RotateKubeletServerCertificate',
  'RuntimeClassInImageCriApi',
  'SELinuxChangePolicy',
  'SELinuxMount',
  'SELinuxMountReadWriteOncePod',
  'SchedulerQueueingHints',
  'SeparateTaintEvictionController',
  'ServiceAccountTokenJTI',
  'ServiceAccountTokenNodeBinding',
  'ServiceTrafficDistribution',
  'SidecarContainers',
  'SizeMemoryBackedVolumes',
  'StatefulSetAutoDeletePVC',
  'StorageNamespaceIndex',
  'StorageVersionAPI',
  'StorageVersionHash',
  'StorageVersionMigrator',
  'StreamingCollectionEncodingToJSON',
  'StrictCostEnforcementForVAP',
  'StructuredAuthenticationConfiguration',
  'StructuredAuthorizationConfiguration',
  'SupplementalGroupsPolicy',
  'SystemdWatchdog',
  'TopologyAwareHints',
  'TopologyManagerPolicyAlphaOptions',
  'TopologyManagerPolicyBetaOptions',
  'TopologyManagerPolicyOptions',
  'TranslateStreamCloseWebsocketRequests',
  'UnauthenticatedHTTP2DOSMitigation',
  'UnknownVersionInteroperabilityProxy',
  'UserNamespacesPodSecurityStandards',
  'UserNamespacesSupport',
  'VolumeAttributesClass',
  'WatchCacheInitializationPostStartHook',
  'WatchFromStorageWithoutResourceVersion',
  'WatchList',
  'WatchListClient',
  'WinDSR',
  'WinOverlay',
  'WindowsCPUAndMemoryAffinity',
  'WindowsHostNetwork',
];

const RUNTIME_OPERATIONS = [
  'container_status',
  'create_container',
  'exec_sync',
  'image_fs_info',
  'image_status',
  'list_containers',
  'list_images',
  'list_podsandbox',
  'list_podsandbox_stats',
  'list_container_stats',
  'podsandbox_status',
  'pull_image',
  'remove_container',
  'remove_podsandbox',
  'run_podsandbox',
  'start_container',
  'status',
  'stop_container',
  'stop_podsandbox',
  'update_container_resources',
  'update_runtime_config',
  'version',
  'container_stats',
  'podsandbox_stats',
  'runtime_config',
];

/** The usual families of a modern kubelet's /metrics (those the node fixture does not write). */
function kubeletExtraFamilies(nodeName: string, containers: readonly ExtraContainer[], rnd: Rnd): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string, lines: readonly string[]): void => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
  };
  const latency = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const long = [
    0.005, 0.0125, 0.03125, 0.078125, 0.1953125, 0.48828125, 1.220703125, 3.0517578125, 7.62939453125,
    19.073486328125, 47.6837158203125, 119.20928955078125, 298.0232238769531, 745.0580596923828,
  ];
  const sizes = [64, 256, 512, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
  const queue = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10];
  const n = (lo: number, hi: number) => int(rnd, lo, hi);

  family(
    'go_gc_duration_seconds',
    'summary',
    'A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.',
    [
      ...['0', '0.25', '0.5', '0.75', '1'].map(
        (q, i) => `go_gc_duration_seconds{quantile="${q}"} ${(2.1e-5 * (i + 1)).toExponential(6)}`,
      ),
      `go_gc_duration_seconds_sum ${(n(200, 900) / 100).toFixed(6)}`,
      `go_gc_duration_seconds_count ${n(20000, 90000)}`,
    ],
  );
  family('go_goroutines', 'gauge', 'Number of goroutines that currently exist.', [
    `go_goroutines ${n(400, 900)}`,
  ]);
  family('go_info', 'gauge', 'Information about the Go environment.', ['go_info{version="go1.24.6"} 1']);
  for (const m of [
    'alloc_bytes',
    'alloc_bytes_total',
    'buck_hash_sys_bytes',
    'frees_total',
    'gc_sys_bytes',
    'heap_alloc_bytes',
    'heap_idle_bytes',
    'heap_inuse_bytes',
    'heap_objects',
    'heap_released_bytes',
    'heap_sys_bytes',
    'last_gc_time_seconds',
    'mallocs_total',
    'mcache_inuse_bytes',
    'mcache_sys_bytes',
    'mspan_inuse_bytes',
    'mspan_sys_bytes',
    'next_gc_bytes',
    'other_sys_bytes',
    'stack_inuse_bytes',
    'stack_sys_bytes',
    'sys_bytes',
  ]) {
    const name = `go_memstats_${m}`;
    family(
      name,
      m.endsWith('_total') ? 'counter' : 'gauge',
      `Go runtime memory statistic ${m.replace(/_/g, ' ')}.`,
      [`${name} ${(n(1000, 99999) * 1013).toExponential(9)}`],
    );
  }
  family('go_threads', 'gauge', 'Number of OS threads created.', [`go_threads ${n(60, 120)}`]);
  family('process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [
    `process_cpu_seconds_total ${n(1000, 90000) / 10}`,
  ]);
  family('process_max_fds', 'gauge', 'Maximum number of open file descriptors.', [
    'process_max_fds 1.048576e+06',
  ]);
  family('process_open_fds', 'gauge', 'Number of open file descriptors.', [`process_open_fds ${n(60, 200)}`]);
  family('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [
    `process_resident_memory_bytes ${(n(80, 260) * 1048576).toExponential(8)}`,
  ]);
  family('process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.', [
    `process_virtual_memory_bytes ${(n(2000, 3000) * 1048576).toExponential(9)}`,
  ]);
  family(
    'process_virtual_memory_max_bytes',
    'gauge',
    'Maximum amount of virtual memory available in bytes.',
    ['process_virtual_memory_max_bytes 1.8446744073709552e+19'],
  );

  const host = 'host="10.96.0.1:443"';
  const verbs = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];
  family(
    'rest_client_request_duration_seconds',
    'histogram',
    '[ALPHA] Request latency in seconds. Broken down by verb, and host.',
    verbs.flatMap((v) =>
      histogramLines(
        'rest_client_request_duration_seconds',
        `${host},verb="${v}"`,
        [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
        n(10, 90000),
        0.02,
      ),
    ),
  );
  family(
    'rest_client_request_size_bytes',
    'histogram',
    '[ALPHA] Request size in bytes. Broken down by verb and host.',
    verbs.flatMap((v) =>
      histogramLines('rest_client_request_size_bytes', `${host},verb="${v}"`, sizes, n(10, 90000), 900),
    ),
  );
  family(
    'rest_client_response_size_bytes',
    'histogram',
    '[ALPHA] Response size in bytes. Broken down by verb and host.',
    verbs.flatMap((v) =>
      histogramLines('rest_client_response_size_bytes', `${host},verb="${v}"`, sizes, n(10, 90000), 4000),
    ),
  );
  family(
    'rest_client_rate_limiter_duration_seconds',
    'histogram',
    '[ALPHA] Client side rate limiter latency in seconds. Broken down by verb, and host.',
    verbs.flatMap((v) =>
      histogramLines(
        'rest_client_rate_limiter_duration_seconds',
        `${host},verb="${v}"`,
        [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
        n(10, 90000),
        0.001,
      ),
    ),
  );
  family(
    'rest_client_requests_total',
    'counter',
    '[ALPHA] Number of HTTP requests, partitioned by status code, method, and host.',
    [
      ['200', 'GET'],
      ['200', 'PATCH'],
      ['201', 'POST'],
      ['200', 'PUT'],
      ['404', 'GET'],
      ['409', 'PUT'],
      ['<error>', 'GET'],
    ].map(
      ([code, method]) =>
        `rest_client_requests_total{code="${code ?? ''}",${host},method="${method ?? ''}"} ${n(1, 200000)}`,
    ),
  );

  const paths = [
    'configz',
    'containerLogs',
    'exec',
    'healthz',
    'metrics',
    'metrics/cadvisor',
    'metrics/probes',
    'metrics/resource',
    'pods',
    'stats/summary',
  ];
  family(
    'kubelet_http_requests_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds to serve http requests',
    paths.flatMap((p) =>
      histogramLines(
        'kubelet_http_requests_duration_seconds',
        `long_running="false",method="GET",path="${p}",server_type="readwrite"`,
        latency,
        n(1, 50000),
        0.01,
      ),
    ),
  );
  family(
    'kubelet_http_requests_total',
    'counter',
    '[ALPHA] Number of the http requests received since the server started',
    paths.map(
      (p) =>
        `kubelet_http_requests_total{long_running="false",method="GET",path="${p}",server_type="readwrite"} ${n(1, 50000)}`,
    ),
  );
  family(
    'kubelet_http_inflight_requests',
    'gauge',
    '[ALPHA] Number of the inflight http requests',
    paths.map(
      (p) =>
        `kubelet_http_inflight_requests{long_running="false",method="GET",path="${p}",server_type="readwrite"} 0`,
    ),
  );

  family(
    'kubelet_runtime_operations_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds of runtime operations. Broken down by operation type.',
    RUNTIME_OPERATIONS.flatMap((o) =>
      histogramLines(
        'kubelet_runtime_operations_duration_seconds',
        `operation_type="${o}"`,
        long,
        n(10, 200000),
        0.004,
      ),
    ),
  );
  family(
    'kubelet_runtime_operations_total',
    'counter',
    '[ALPHA] Cumulative number of runtime operations by operation type.',
    RUNTIME_OPERATIONS.map((o) => `kubelet_runtime_operations_total{operation_type="${o}"} ${n(10, 200000)}`),
  );
  family(
    'kubelet_runtime_operations_errors_total',
    'counter',
    '[ALPHA] Cumulative number of runtime operation errors by operation type.',
    ['container_status', 'exec_sync', 'pull_image', 'remove_container'].map(
      (o) => `kubelet_runtime_operations_errors_total{operation_type="${o}"} ${n(1, 40)}`,
    ),
  );
  family(
    'kubelet_pod_worker_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync',
    ['create', 'sync', 'update'].flatMap((o) =>
      histogramLines(
        'kubelet_pod_worker_duration_seconds',
        `operation_type="${o}"`,
        latency,
        n(10, 90000),
        0.05,
      ),
    ),
  );
  family(
    'kubelet_pod_start_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run',
    histogramLines(
      'kubelet_pod_start_duration_seconds',
      '',
      [
        0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800,
        2700, 3600,
      ],
      n(30, 400),
      4,
    ),
  );
  family(
    'kubelet_pod_start_sli_duration_seconds',
    'histogram',
    '[BETA] Duration in seconds to start a pod, excluding time to pull images and run init containers, measured from pod creation timestamp to when all its containers are reported as started and observed via watch',
    histogramLines(
      'kubelet_pod_start_sli_duration_seconds',
      '',
      [
        0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800,
        2700, 3600,
      ],
      n(30, 400),
      2,
    ),
  );
  family(
    'kubelet_pleg_relist_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds for relisting pods in PLEG.',
    histogramLines('kubelet_pleg_relist_duration_seconds', '', latency, n(10000, 900000), 0.01),
  );
  family(
    'kubelet_pleg_relist_interval_seconds',
    'histogram',
    '[ALPHA] Interval in seconds between relisting in PLEG.',
    histogramLines(
      'kubelet_pleg_relist_interval_seconds',
      '',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      n(10000, 900000),
      1,
    ),
  );
  family(
    'kubelet_cgroup_manager_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds for cgroup manager operations. Broken down by method.',
    ['create', 'destroy', 'update'].flatMap((o) =>
      histogramLines(
        'kubelet_cgroup_manager_duration_seconds',
        `operation_type="${o}"`,
        latency,
        n(10, 90000),
        0.01,
      ),
    ),
  );
  family(
    'kubelet_pod_worker_start_duration_seconds',
    'histogram',
    '[ALPHA] Duration in seconds from kubelet seeing a pod to starting a worker.',
    histogramLines('kubelet_pod_worker_start_duration_seconds', '', latency, n(30, 400), 0.001),
  );
  family(
    'kubelet_container_log_filesystem_used_bytes',
    'gauge',
    "[ALPHA] Bytes used by the container's logs on the filesystem.",
    containers.map(
      (c) =>
        `kubelet_container_log_filesystem_used_bytes{container="${c.container}",namespace="${c.namespace}",pod="${c.pod}",uid="${c.uid}"} ${n(4096, 90000000)}`,
    ),
  );
  family(
    'kubelet_running_containers',
    'gauge',
    '[ALPHA] Number of containers currently running',
    ['created', 'exited', 'running', 'unknown'].map(
      (s) =>
        `kubelet_running_containers{container_state="${s}"} ${s === 'running' ? containers.length : n(0, 5)}`,
    ),
  );
  family('kubelet_running_pods', 'gauge', '[ALPHA] Number of pods that have a running pod sandbox', [
    `kubelet_running_pods ${new Set(containers.map((c) => c.uid)).size}`,
  ]);
  family(
    'kubelet_started_containers_total',
    'counter',
    '[ALPHA] Cumulative number of containers started',
    ['container', 'init_container'].map(
      (t) => `kubelet_started_containers_total{container_type="${t}"} ${n(10, 400)}`,
    ),
  );
  family('kubelet_started_pods_total', 'counter', '[ALPHA] Cumulative number of pods started', [
    `kubelet_started_pods_total ${n(30, 400)}`,
  ]);
  family(
    'kubelet_working_pods',
    'gauge',
    '[ALPHA] Number of pods the kubelet is actually running, broken down by lifecycle phase, whether the pod is desired, orphaned, or runtime only (also orphaned), and whether the pod is static.',
    ['desired', 'orphan', 'runtime_only'].flatMap((config) =>
      ['sync', 'terminated', 'terminating'].flatMap((lifecycle) =>
        ['false', 'true'].map(
          (st) =>
            `kubelet_working_pods{config="${config}",lifecycle="${lifecycle}",static="${st}"} ${config === 'desired' && lifecycle === 'sync' && st === 'false' ? (containers.length > 0 ? 30 : 0) : 0}`,
        ),
      ),
    ),
  );
  family(
    'kubelet_desired_pods',
    'gauge',
    '[ALPHA] The number of pods the kubelet is being instructed to run. static is true if the pod is not from the apiserver.',
    ['false', 'true'].map((s) => `kubelet_desired_pods{static="${s}"} ${s === 'false' ? 30 : 0}`),
  );
  family('kubelet_node_name', 'gauge', "[ALPHA] The node's name. The count is always 1.", [
    `kubelet_node_name{node="${nodeName}"} 1`,
  ]);
  family(
    'kubelet_certificate_manager_client_ttl_seconds',
    'gauge',
    "[ALPHA] Gauge of the TTL (time-to-live) of the Kubelet's client certificate.",
    [`kubelet_certificate_manager_client_ttl_seconds ${n(1e6, 3e7)}`],
  );
  family(
    'kubelet_certificate_manager_client_expiration_renew_errors',
    'counter',
    '[ALPHA] Counter of certificate renewal errors.',
    ['kubelet_certificate_manager_client_expiration_renew_errors 0'],
  );
  const ops: readonly (readonly [string, string])[] = [
    ['volume_mount', 'kubernetes.io/projected'],
    ['volume_mount', 'kubernetes.io/configmap'],
    ['volume_mount', 'kubernetes.io/secret'],
    ['volume_mount', 'kubernetes.io/empty-dir'],
    ['volume_unmount', 'kubernetes.io/projected'],
    ['volume_unmount', 'kubernetes.io/configmap'],
    ['volume_unmount', 'kubernetes.io/empty-dir'],
    ['volume_mount', 'kubernetes.io/csi:ebs.csi.aws.com'],
  ];
  family(
    'storage_operation_duration_seconds',
    'histogram',
    '[BETA] Storage operation duration',
    ops.flatMap(([o, p]) =>
      histogramLines(
        'storage_operation_duration_seconds',
        `migrated="false",operation_name="${o}",status="success",volume_plugin="${p}"`,
        [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 25, 50, 120, 300, 600],
        n(1, 900),
        0.08,
      ),
    ),
  );
  family(
    'volume_manager_total_volumes',
    'gauge',
    '[ALPHA] Number of volumes in Volume Manager',
    [
      'kubernetes.io/configmap',
      'kubernetes.io/empty-dir',
      'kubernetes.io/projected',
      'kubernetes.io/secret',
    ].flatMap((p) =>
      ['actual_state_of_world', 'desired_state_of_world'].map(
        (s) => `volume_manager_total_volumes{plugin_name="${p}",state="${s}"} ${n(0, 40)}`,
      ),
    ),
  );
  const queues = [
    'DynamicCABundle-client-ca-bundle',
    'DynamicServingCertificateController',
    'RequestHeaderAuthRequestController',
    'csi_node_driver_registrar',
  ];
  for (const [name, type, help] of [
    ['workqueue_adds_total', 'counter', '[ALPHA] Total number of adds handled by workqueue'],
    ['workqueue_depth', 'gauge', '[ALPHA] Current depth of workqueue'],
    [
      'workqueue_longest_running_processor_seconds',
      'gauge',
      '[ALPHA] How many seconds has the longest running processor for workqueue been running.',
    ],
    ['workqueue_retries_total', 'counter', '[ALPHA] Total number of retries handled by workqueue'],
    [
      'workqueue_unfinished_work_seconds',
      'gauge',
      "[ALPHA] How many seconds of work has done that is in progress and hasn't been observed by work_duration.",
    ],
  ] as const)
    family(
      name,
      type,
      help,
      queues.map((q) => `${name}{name="${q}"} ${type === 'counter' ? n(1, 900) : 0}`),
    );
  family(
    'workqueue_queue_duration_seconds',
    'histogram',
    '[ALPHA] How long in seconds an item stays in workqueue before being requested.',
    queues.flatMap((q) =>
      histogramLines('workqueue_queue_duration_seconds', `name="${q}"`, queue, n(1, 900), 0.0001),
    ),
  );
  family(
    'workqueue_work_duration_seconds',
    'histogram',
    '[ALPHA] How long in seconds processing an item from workqueue takes.',
    queues.flatMap((q) =>
      histogramLines('workqueue_work_duration_seconds', `name="${q}"`, queue, n(1, 900), 0.001),
    ),
  );
  family(
    'kubernetes_feature_enabled',
    'gauge',
    '[BETA] This metric records the data about the stage and enablement of a k8s feature.',
    FEATURE_GATES.map(
      (g, i) =>
        `kubernetes_feature_enabled{name="${g}",stage="${i % 3 === 0 ? 'ALPHA' : i % 3 === 1 ? 'BETA' : ''}"} ${i % 3 === 0 ? 0 : 1}`,
    ),
  );
  family('authentication_attempts', 'counter', '[ALPHA] Counter of authenticated attempts.', [
    'authentication_attempts{result="success"} 41232',
  ]);
  family(
    'authentication_duration_seconds',
    'histogram',
    '[ALPHA] Authentication duration in seconds broken out by result.',
    histogramLines(
      'authentication_duration_seconds',
      'result="success"',
      [
        0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192,
        16.384,
      ],
      n(1000, 90000),
      0.002,
    ),
  );
  family(
    'registered_metrics_total',
    'counter',
    '[BETA] The count of registered metrics broken by stability level and deprecation version.',
    ['ALPHA', 'BETA', 'STABLE'].map(
      (s) => `registered_metrics_total{deprecated_version="",stability_level="${s}"} ${n(10, 200)}`,
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Families of an exposition text, by name (HELP/TYPE lines start a family). */
function familiesOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (name !== null) out.set(name, (out.get(name) ?? '') + lines.join('\n') + '\n');
    lines = [];
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (m !== null && m[1] !== name) {
      flush();
      name = m[1] ?? null;
    }
    lines.push(line);
  }
  flush();
  return out;
}

/**
 * Merges the node fixture's exposition with the extra families: all families sorted by name (as
 * the kubelet writes them), the fixture's winning a family both have. Returns runs of consecutive
 * families by origin (`extra: true` for the added ones).
 */
function mergeExpositions(
  fixture: string,
  extra: string,
): { readonly extra: boolean; readonly text: string }[] {
  const all = new Map<string, { extra: boolean; text: string }>();
  for (const [k, v] of familiesOf(fixture)) all.set(k, { extra: false, text: v });
  for (const [k, v] of familiesOf(extra)) if (!all.has(k)) all.set(k, { extra: true, text: v });
  const runs: { extra: boolean; text: string }[] = [];
  for (const k of [...all.keys()].sort()) {
    const f = all.get(k);
    if (f === undefined) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.extra === f.extra) last.text += f.text;
    else runs.push({ ...f });
  }
  return runs;
}

/**
 * A kubelet body: the node fixture's families rendered per node, the extra families (which only
 * add size: `audit` and `snapshot` drop them) rendered once per template, with the values of its
 * first node, and shared by all its nodes. Rendering 3 MB per request in ~40,000 pieces would cost
 * this process (the API server) 25-35 ms per scrape, as much CPU as the audit spends on a node.
 */
class Body {
  /** per part: the node's own families, or the bytes of the extra ones once rendered */
  private parts: (TextTemplate | Buffer | { readonly extra: TextTemplate })[];

  constructor(parts: readonly { readonly extra: boolean; readonly text: TextTemplate }[]) {
    this.parts = parts.map((p) => (p.extra ? { extra: p.text } : p.text));
  }

  /** The body's bytes (UTF-8): the shared parts are copied, only the node's own are encoded. */
  render(values: readonly string[]): Buffer {
    // the first node renders the extra parts for all (their templates are let go then)
    this.parts = this.parts.map((p) => ('extra' in p ? Buffer.from(p.extra.render(values)) : p));
    return Buffer.concat(
      this.parts.map((p) => (p instanceof TextTemplate ? Buffer.from(p.render(values)) : (p as Buffer))),
    );
  }
}

// ----- /metrics/cadvisor: the families beyond the CPU ones --------------------------------------

interface CadvisorLine {
  readonly family: string;
  readonly name: string;
  /** label name → value, in order */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: string;
}

interface CadvisorExtra {
  readonly help: Map<string, string[]>;
  readonly byKind: Record<'node' | 'pod' | 'sandbox' | 'container', CadvisorLine[]>;
}

const SAMPLE_POD_UID = 'b5812e37-ce78-41e2-9d8d-d93a88e481d6';
const SAMPLE_SANDBOX = 'be511aefbd817127ba1d58acf20a019e6b880dd9728252e71addd999679b53f2';
const SAMPLE_CONTAINER = 'bcbcd3972a517ab0ed8df77d0a07d082c529278f206d0f4a29ebbe940996e9e5';

function parseCadvisorExtra(text: string): CadvisorExtra {
  const help = new Map<string, string[]>();
  const byKind: CadvisorExtra['byKind'] = { node: [], pod: [], sandbox: [], container: [] };
  let family = '';
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (?:HELP|TYPE) (\S+)/.exec(line);
    if (meta !== null) {
      family = meta[1] ?? '';
      help.set(family, [...(help.get(family) ?? []), line]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
    if (m === null) throw new RangeError(`bench cluster: unexpected cAdvisor line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map(
      (l) => [l[1] ?? '', l[2] ?? ''] as const,
    );
    const id = labels.find(([k]) => k === 'id')?.[1] ?? '';
    const kind = id.includes(SAMPLE_SANDBOX)
      ? 'sandbox'
      : id.includes(SAMPLE_CONTAINER)
        ? 'container'
        : id.includes(SAMPLE_POD_UID)
          ? 'pod'
          : 'node';
    byKind[kind].push({ family, name: m[1] ?? '', labels, value: m[3] ?? '' });
  }
  return { help, byKind };
}

/** The cgroup label values of one series (container, id, image, name, namespace, pod). */
type CgroupLabels = Readonly<Record<'container' | 'id' | 'image' | 'name' | 'namespace' | 'pod', string>>;

/**
 * The extra cAdvisor families for the cgroups of a fixture scrape: the sample pod's lines of each
 * kind, relabelled for every pod cgroup, sandbox and container the fixture's
 * container_cpu_usage_seconds_total lists (one line per cgroup), with its timestamp, plus the
 * node-level lines once.
 */
function cadvisorExtraText(extra: CadvisorExtra, fixtureText: string): string {
  const usage = familiesOf(fixtureText).get('container_cpu_usage_seconds_total') ?? '';
  let ts = '';
  const cgroups: { kind: 'pod' | 'sandbox' | 'container'; labels: CgroupLabels }[] = [];
  for (const line of usage.split('\n')) {
    if (!line.startsWith('container_cpu_usage_seconds_total{')) continue;
    const get = (k: string) => new RegExp(`[{,]${k}="([^"]*)"`).exec(line)?.[1] ?? '';
    const labels: CgroupLabels = {
      container: get('container'),
      id: get('id'),
      image: get('image'),
      name: get('name'),
      namespace: get('namespace'),
      pod: get('pod'),
    };
    ts = ts === '' ? (/ (\d+)$/.exec(line)?.[1] ?? '') : ts;
    if (labels.pod === '') continue;
    const kind = labels.container !== '' ? 'container' : labels.name !== '' ? 'sandbox' : 'pod';
    cgroups.push({ kind, labels });
  }
  const families = new Map<string, string[]>();
  const emit = (l: CadvisorLine, over: CgroupLabels | null) => {
    const pairs = l.labels.map(([k, v]) => {
      const value = over !== null && k in over ? over[k as keyof CgroupLabels] : v;
      return `${k}="${value}"`;
    });
    const list = families.get(l.family) ?? [];
    const labels = pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
    list.push(`${l.name}${labels} ${l.value}${ts === '' ? '' : ` ${ts}`}`);
    families.set(l.family, list);
  };
  for (const l of extra.byKind.node) emit(l, null);
  for (const c of cgroups) for (const l of extra.byKind[c.kind]) emit(l, c.labels);
  return [...families]
    .map(([f, lines]) => `${(extra.help.get(f) ?? []).join('\n')}\n${lines.sort().join('\n')}\n`)
    .join('');
}

// ----- building ---------------------------------------------------------------------------------

function roleFor(kind: PodKind, index: number, rnd: Rnd): Role {
  if (kind === 'daemonset') {
    const [namespace, app] = DAEMONSETS[index % DAEMONSETS.length] ?? ['kube-system', 'kube-proxy'];
    return { kind, namespace, app, style: 'daemonset', hash: suffix(rnd, 8), ownerUid: uuid(rnd) };
  }
  const [namespace, app, style] = pick(rnd, APPS[kind]);
  return { kind, namespace, app, style, hash: suffix(rnd, 9), ownerUid: uuid(rnd) };
}

/** Stable marker strings for a template's keys (replaced per node). */
const marker = {
  node: (t: number) => `bench-t${String(t).padStart(2, '0')}-node-x`,
  pod: (t: number, j: number) => `bench-t${String(t).padStart(2, '0')}-pod-${String(j).padStart(4, '0')}-x`,
  uid: (t: number, j: number) =>
    `bbbbbbbb-${String(t).padStart(4, '0')}-4${String(j).padStart(3, '0')}-8${String(j).padStart(3, '0')}-${String(t).padStart(4, '0')}${String(j).padStart(8, '0')}`,
};

function buildTemplate(
  t: number,
  shape: Shape,
  k: KubeletShape,
  podsPerNode: number,
  opts: BenchClusterOptions,
  extra: CadvisorExtra | null,
  roleRnd: Rnd,
): Template {
  const rnd = prng((opts.seed ^ Math.imul(t + 1, 0x9e3779b1)) >>> 0);
  const kinds = podKinds(podsPerNode, rnd);
  const roles: Role[] = [];
  const pods: Obj[] = kinds.map((kind, j) => {
    const role = roleFor(kind, j, roleRnd);
    roles.push(role);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: marker.pod(t, j), namespace: role.namespace, uid: marker.uid(t, j) },
      spec: podSpec(kind, role.app, rnd, shape, k),
    };
  });
  const scenario = {
    apiVersion: 'podres/v1alpha1',
    kind: 'Scenario',
    name: `bench template ${t}: ${shape.name}, ${k.name}`,
    node: {
      name: marker.node(t),
      kubeletVersion: k.version,
      topology: {
        generate: shape.generate,
        memory: [0, 1].map((numa) => ({ numa, memory: gi(shape.memoryGi) })),
      },
      kubelet: k.kubelet(shape),
    },
    pods,
  };
  const nowText = opts.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const facts = nodeFixture(stringify(scenario), { now: nowText }).build();
  if (facts.node === null || facts.configz === null || facts.metrics === null) {
    throw new RangeError(`bench cluster: template ${t} lacks a source`);
  }
  const cadvisorFixture = facts.cadvisor[0]?.text ?? '';

  // the keys of this template: node-level first, then per pod
  const keys: KeyKind[] = [];
  const keyText: string[] = [];
  const add = (text: string, kind: KeyKind) => {
    keyText.push(text);
    keys.push(kind);
  };
  const node = facts.node as Obj;
  const nodeMeta = node.metadata as Obj;
  const nodeInfo = ((node.status as Obj).nodeInfo ?? {}) as Obj;
  add(marker.node(t), { t: 'node-name' });
  add(String(nodeMeta.uid), { t: 'node-uid' });
  add(String(nodeInfo.machineID), { t: 'machine-id' });
  add(String(nodeInfo.systemUUID), { t: 'system-uuid' });
  add(String(nodeInfo.bootID), { t: 'boot-id' });
  add('10.0.0.11', { t: 'node-ip' });
  add('10.244.1.', { t: 'pod-net' });
  const podObjects = facts.pods.map((p) => p as Obj);
  const idsPerPod: number[] = [];
  podObjects.forEach((p, j) => {
    add(marker.pod(t, j), { t: 'pod-name', pod: j });
    add(marker.uid(t, j), { t: 'pod-uid', pod: j });
    add(marker.uid(t, j).replace(/-/g, '_'), { t: 'pod-uid-underscore', pod: j });
    const spec = p.spec as Obj;
    const names = [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])].map(
      (c) => String(c.name),
    );
    const ids = [...names, 'POD'].map((name) =>
      createHash('sha256')
        .update(`${marker.uid(t, j)}/${name}`)
        .digest('hex'),
    );
    ids.forEach((id, n) => {
      add(id, { t: 'container-id', pod: j, n });
    });
    idsPerPod.push(ids.length);
  });
  const index = new Map(keyText.map((s, i) => [s, i]));
  const re = new RegExp(
    [...keyText]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  const cut = (text: string) => new TextTemplate(text, keyText, re, index);

  const decorated =
    opts.realisticPods === false
      ? podObjects
      : podObjects.map((p, j) => decoratePod(p, roles[j] as Role, marker.pod(t, j), rnd));
  const containers: ExtraContainer[] = podObjects.flatMap((p) => {
    const meta = p.metadata as Obj;
    const spec = p.spec as Obj;
    const status = (p.status ?? {}) as Obj;
    if (status.phase !== 'Running') return [];
    return [...((spec.initContainers ?? []) as Obj[]), ...((spec.containers ?? []) as Obj[])].map((c) => ({
      namespace: String(meta.namespace),
      pod: String(meta.name),
      uid: String(meta.uid),
      container: String(c.name),
    }));
  });
  const metricsRuns = mergeExpositions(
    facts.metrics.text,
    opts.kubeletExtraFamilies === false ? '' : kubeletExtraFamilies(marker.node(t), containers, rnd),
  );
  const cadvisorRuns = mergeExpositions(
    cadvisorFixture,
    extra === null ? '' : cadvisorExtraText(extra, cadvisorFixture),
  );
  const body = (runs: readonly { readonly extra: boolean; readonly text: string }[]) =>
    new Body(runs.map((r) => ({ extra: r.extra, text: cut(r.text) })));
  const metrics = body(metricsRuns);
  const cadvisor = body(cadvisorRuns);
  const configzText = JSON.stringify(facts.configz);
  const admitted = podObjects.filter((p) => ((p.status ?? {}) as Obj).phase !== 'Failed').length;
  return {
    info: {
      name: `t${String(t).padStart(2, '0')}`,
      cpus: shape.cpus,
      config: `${shape.name}, ${k.name}`,
      kubeletVersion: String(nodeInfo.kubeletVersion),
      admitted,
      rejected: podObjects.length - admitted,
      // the bodies of the template's first node (all nodes of a template differ only in names)
      bytes: { cadvisor: 0, metrics: 0, configz: configzText.length },
    },
    roles,
    keys,
    idsPerPod,
    pods: decorated.map((p) => cut(JSON.stringify(p))),
    node: cut(JSON.stringify(node)),
    configz: cut(configzText),
    metrics,
    cadvisor,
  };
}

/** The per-node values of a template's keys. */
function nodeValues(tpl: Template, i: number, nodeName: string, rnd: Rnd, names: NameBook): string[] {
  const uids = tpl.roles.map(() => uuid(rnd));
  const podNames = tpl.roles.map((r) => names.next(r, rnd));
  const ids = tpl.idsPerPod.map((n) => Array.from({ length: n }, () => hex(rnd, 64)));
  const nodeIp = `10.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
  const podNet = `10.${64 + (i >> 8)}.${i & 255}.`;
  return tpl.keys.map((k) => {
    switch (k.t) {
      case 'node-name':
        return nodeName;
      case 'node-uid':
      case 'system-uuid':
      case 'boot-id':
        return uuid(rnd);
      case 'machine-id':
        return hex(rnd, 32);
      case 'node-ip':
        return nodeIp;
      case 'pod-net':
        return podNet;
      case 'pod-name':
        return podNames[k.pod] ?? '';
      case 'pod-uid':
        return uids[k.pod] ?? '';
      case 'pod-uid-underscore':
        return (uids[k.pod] ?? '').replace(/-/g, '_');
      case 'container-id':
        return ids[k.pod]?.[k.n] ?? '';
    }
  });
}

/** Pod names as controllers make them, unique per namespace. */
class NameBook {
  private readonly used = new Set<string>();
  private readonly ordinals = new Map<string, number>();

  next(role: Role, rnd: Rnd): string {
    if (role.style === 'statefulset') {
      const key = `${role.namespace}/${role.app}`;
      const n = this.ordinals.get(key) ?? 0;
      this.ordinals.set(key, n + 1);
      return [role.app, String(n)].join('-');
    }
    for (;;) {
      // joined: flat strings (they are kept for the node's bodies; see randomText)
      const name = (
        role.style === 'deployment' ? [role.app, role.hash, suffix(rnd, 5)] : [role.app, suffix(rnd, 5)]
      ).join('-');
      const key = `${role.namespace}/${name}`;
      if (!this.used.has(key)) {
        this.used.add(key);
        return name;
      }
    }
  }
}

/**
 * A node's kubelet answers; the bodies are rendered on request (5,000 cAdvisor scrapes would not
 * fit in memory). Made here, not in generateCluster: closures there would keep its whole scope
 * (every generated pod object) alive as long as the API server serves these.
 */
function kubeletOf(tpl: Template, values: readonly string[]): KubeletEndpoints {
  return {
    configz: tpl.configz.render(values),
    get metrics() {
      return tpl.metrics.render(values);
    },
    get cadvisor() {
      return tpl.cadvisor.render(values);
    },
  };
}

/** The node names: node-00000 … */
export function benchNodeName(i: number): string {
  return `node-${String(i).padStart(5, '0')}`;
}

export function generateCluster(opts: BenchClusterOptions): BenchCluster {
  const extra = opts.cadvisorExtraFamilies === null ? null : parseCadvisorExtra(opts.cadvisorExtraFamilies);
  const roleRnd = prng(opts.seed ^ 0x5eed);
  const count = Math.min(opts.nodes, SHAPES.length * KUBELETS.length);
  const templates: Template[] = [];
  for (let t = 0; t < count; t++) {
    const shape = SHAPES[t % SHAPES.length] as Shape;
    const k = KUBELETS[Math.floor(t / SHAPES.length) % KUBELETS.length] as KubeletShape;
    templates.push(buildTemplate(t, shape, k, opts.podsPerNode, opts, extra, roleRnd));
  }
  const rnd = prng(opts.seed);
  const names = new NameBook();
  const nodes: object[] = [];
  const pods: object[] = [];
  const kubelet: Record<string, KubeletEndpoints> = {};
  const perTemplate = new Map<Template, number>();
  const sizes = new Map<Template, { readonly cadvisor: number; readonly metrics: number }>();
  const kinds = new Map<string, number>();
  const bytes = { pods: 0, nodes: 0, cadvisor: 0, metrics: 0, configz: 0 };
  for (let i = 0; i < opts.nodes; i++) {
    const tpl = templates[i % templates.length] as Template;
    perTemplate.set(tpl, (perTemplate.get(tpl) ?? 0) + 1);
    const name = benchNodeName(i);
    const values = nodeValues(tpl, i, name, rnd, names);
    const nodeJson = tpl.node.render(values);
    bytes.nodes += nodeJson.length;
    nodes.push(JSON.parse(nodeJson) as object);
    tpl.pods.forEach((p, j) => {
      const json = p.render(values);
      bytes.pods += json.length;
      pods.push(JSON.parse(json) as object);
      const kind = tpl.roles[j]?.kind ?? 'unknown';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    });
    if (perTemplate.get(tpl) === 1) {
      sizes.set(tpl, {
        cadvisor: tpl.cadvisor.render(values).length,
        metrics: tpl.metrics.render(values).length,
      });
    }
    bytes.cadvisor += sizes.get(tpl)?.cadvisor ?? 0;
    bytes.metrics += sizes.get(tpl)?.metrics ?? 0;
    bytes.configz += tpl.info.bytes.configz;
    // bodies rendered on request: 5,000 cAdvisor scrapes would not fit in memory
    kubelet[name] = kubeletOf(tpl, values);
  }
  return {
    nodes,
    pods,
    kubelet,
    templates: templates.map((tpl) => ({
      ...tpl.info,
      nodes: perTemplate.get(tpl) ?? 0,
      bytes: { ...tpl.info.bytes, ...sizes.get(tpl) },
    })),
    kinds,
    bytes,
  };
}
