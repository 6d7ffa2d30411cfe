// The API-server side of a fixture node: the v1 Node, the v1 Pods bound to it (as the kubelet's
// status manager reports them) and the /configz body.

import { FEATURE_GATE_DEFAULTS } from '../../../src/model/kubelet-config.js';
import type { Container, ResourceAmounts, Resources } from '../../../src/model/pod.js';
import {
  formatBytes,
  formatMilliCpu,
  intValue,
  parseQuantity,
  toMilliCpu,
} from '../../../src/model/quantity.js';
import { DEFAULT_EVICTION_HARD } from '../../../src/scenario/kubelet-config.js';
import type { World, WorldPod } from './world.js';
import { iso, modelVersionOf } from './world.js';

type RawObject = Record<string, unknown>;

function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ----- /configz ---------------------------------------------------------------------------------

/** KubeletConfiguration v1beta1 fields in struct order (those the fixture writes). */
const FIELD_ORDER = [
  'enableServer',
  'staticPodPath',
  'podLogsDir',
  'syncFrequency',
  'fileCheckFrequency',
  'httpCheckFrequency',
  'address',
  'port',
  'rotateCertificates',
  'authentication',
  'authorization',
  'registryPullQPS',
  'registryBurst',
  'eventRecordQPS',
  'eventBurst',
  'enableDebuggingHandlers',
  'healthzPort',
  'healthzBindAddress',
  'oomScoreAdj',
  'clusterDomain',
  'clusterDNS',
  'streamingConnectionIdleTimeout',
  'nodeStatusUpdateFrequency',
  'nodeStatusReportFrequency',
  'nodeLeaseDurationSeconds',
  'imageMinimumGCAge',
  'imageMaximumGCAge',
  'imageGCHighThresholdPercent',
  'imageGCLowThresholdPercent',
  'volumeStatsAggPeriod',
  'cgroupRoot',
  'cgroupsPerQOS',
  'cgroupDriver',
  'cpuManagerPolicy',
  'cpuManagerPolicyOptions',
  'cpuManagerReconcilePeriod',
  'memoryManagerPolicy',
  'topologyManagerPolicy',
  'topologyManagerScope',
  'topologyManagerPolicyOptions',
  'runtimeRequestTimeout',
  'hairpinMode',
  'maxPods',
  'podPidsLimit',
  'resolvConf',
  'cpuCFSQuota',
  'cpuCFSQuotaPeriod',
  'nodeStatusMaxImages',
  'maxOpenFiles',
  'contentType',
  'kubeAPIQPS',
  'kubeAPIBurst',
  'serializeImagePulls',
  'evictionHard',
  'evictionPressureTransitionPeriod',
  'enableControllerAttachDetach',
  'makeIPTablesUtilChains',
  'iptablesMasqueradeBit',
  'iptablesDropBit',
  'featureGates',
  'failSwapOn',
  'memorySwap',
  'containerLogMaxSize',
  'containerLogMaxFiles',
  'configMapAndSecretChangeDetectionStrategy',
  'systemReserved',
  'kubeReserved',
  'reservedSystemCPUs',
  'enforceNodeAllocatable',
  'volumePluginDir',
  'logging',
  'enableSystemLogHandler',
  'enableSystemLogQuery',
  'shutdownGracePeriod',
  'shutdownGracePeriodCriticalPods',
  'reservedMemory',
  'enableProfilingHandler',
  'enableDebugFlagsHandler',
  'seccompDefault',
  'memoryThrottlingFactor',
  'registerNode',
  'localStorageCapacityIsolation',
  'containerRuntimeEndpoint',
];

/** What a kubeadm-installed kubelet's /configz shows besides the resource-manager fields. */
function baseConfigz(w: World): RawObject {
  return {
    enableServer: true,
    staticPodPath: '/etc/kubernetes/manifests',
    podLogsDir: '/var/log/pods',
    syncFrequency: '1m0s',
    fileCheckFrequency: '20s',
    httpCheckFrequency: '20s',
    address: '0.0.0.0',
    port: 10250,
    rotateCertificates: true,
    authentication: {
      x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
      webhook: { enabled: true, cacheTTL: '2m0s' },
      anonymous: { enabled: false },
    },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    registryPullQPS: 5,
    registryBurst: 10,
    eventRecordQPS: 50,
    eventBurst: 100,
    enableDebuggingHandlers: true,
    healthzPort: 10248,
    healthzBindAddress: '127.0.0.1',
    oomScoreAdj: -999,
    clusterDomain: 'cluster.local',
    clusterDNS: ['10.96.0.10'],
    streamingConnectionIdleTimeout: '4h0m0s',
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    nodeLeaseDurationSeconds: 40,
    imageMinimumGCAge: '2m0s',
    imageMaximumGCAge: '0s',
    imageGCHighThresholdPercent: 85,
    imageGCLowThresholdPercent: 80,
    volumeStatsAggPeriod: '1m0s',
    cgroupRoot: '/',
    cgroupsPerQOS: true,
    cgroupDriver: w.cgroupDriver,
    cpuManagerPolicy: 'none',
    cpuManagerReconcilePeriod: '10s',
    memoryManagerPolicy: 'None',
    topologyManagerPolicy: 'none',
    topologyManagerScope: 'container',
    runtimeRequestTimeout: '2m0s',
    hairpinMode: 'promiscuous-bridge',
    maxPods: 110,
    podPidsLimit: -1,
    resolvConf: '/run/systemd/resolve/resolv.conf',
    cpuCFSQuota: true,
    cpuCFSQuotaPeriod: '100ms',
    nodeStatusMaxImages: 50,
    maxOpenFiles: 1000000,
    contentType: 'application/vnd.kubernetes.protobuf',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    serializeImagePulls: true,
    evictionHard: { ...DEFAULT_EVICTION_HARD },
    evictionPressureTransitionPeriod: '5m0s',
    enableControllerAttachDetach: true,
    makeIPTablesUtilChains: true,
    iptablesMasqueradeBit: 14,
    iptablesDropBit: 15,
    failSwapOn: true,
    memorySwap: {},
    containerLogMaxSize: '10Mi',
    containerLogMaxFiles: 5,
    configMapAndSecretChangeDetectionStrategy: 'Watch',
    enforceNodeAllocatable: ['pods'],
    volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
    logging: {
      format: 'text',
      flushFrequency: '5s',
      verbosity: 0,
      options: { text: { infoBufferSize: '0' } },
    },
    enableSystemLogHandler: true,
    enableSystemLogQuery: false,
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    enableProfilingHandler: true,
    enableDebugFlagsHandler: true,
    seccompDefault: false,
    memoryThrottlingFactor: 0.9,
    registerNode: true,
    localStorageCapacityIsolation: true,
    containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
  };
}

const stringMap = (v: unknown): RawObject =>
  Object.fromEntries(Object.entries(isObject(v) ? v : {}).map(([k, x]) => [k, String(x)]));

/** A raw `node.kubelet` value as Go's JSON writes the field (quantities and options as strings). */
function normaliseField(key: string, v: unknown): unknown {
  switch (key) {
    case 'kubeReserved':
    case 'systemReserved':
    case 'evictionHard':
    case 'cpuManagerPolicyOptions':
    case 'topologyManagerPolicyOptions':
      return stringMap(v);
    case 'reservedSystemCPUs':
      return String(v);
    case 'reservedMemory':
      return Array.isArray(v)
        ? (v as unknown[]).map((r) => (isObject(r) ? { ...r, limits: stringMap(r.limits) } : r))
        : v;
    default:
      return v;
  }
}

/** The kubelet's configuration as written in the model (parsed scenarios carry no source object). */
function fromModel(w: World): RawObject {
  const c = w.config;
  const q = (m: Readonly<Record<string, { text: string }>>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.text]));
  const defaults = FEATURE_GATE_DEFAULTS[c.kubeletVersion];
  const gates = Object.fromEntries(Object.entries(c.featureGates).filter(([k, v]) => defaults[k] !== v));
  if (c.featureGates.PodLevelResourceManagers === true)
    gates.PodLevelResources = c.featureGates.PodLevelResources ?? true;
  const out: RawObject = {
    cpuManagerPolicy: c.cpuManagerPolicy,
    memoryManagerPolicy: c.memoryManagerPolicy,
    topologyManagerPolicy: c.topologyManagerPolicy,
    topologyManagerScope: c.topologyManagerScope,
    cpuCFSQuota: c.cpuCFSQuota,
    cpuCFSQuotaPeriod: `${c.cpuCFSQuotaPeriodUs / 1000}ms`,
    evictionHard: { ...c.evictionHard },
  };
  if (Object.keys(gates).length > 0) out.featureGates = gates;
  if (Object.keys(c.cpuManagerPolicyOptions).length > 0)
    out.cpuManagerPolicyOptions = { ...c.cpuManagerPolicyOptions };
  if (Object.keys(c.topologyManagerPolicyOptions).length > 0)
    out.topologyManagerPolicyOptions = { ...c.topologyManagerPolicyOptions };
  if (c.reservedSystemCPUs !== null) out.reservedSystemCPUs = c.reservedSystemCPUs.toString();
  if (Object.keys(c.kubeReserved).length > 0) out.kubeReserved = q(c.kubeReserved);
  if (Object.keys(c.systemReserved).length > 0) out.systemReserved = q(c.systemReserved);
  if (c.reservedMemory.length > 0) {
    out.reservedMemory = c.reservedMemory.map((r) => ({
      numaNode: r.numaNode,
      limits: Object.fromEntries(Object.entries(r.limits).map(([k, v]) => [k, formatBytes(v)])),
    }));
  }
  return out;
}

/**
 * The object inside /configz "kubeletconfig": a kubeadm kubelet's defaults overlaid with the
 * scenario's `node.kubelet` as written (featureGates only the gates set explicitly, quantities as
 * strings), fields in KubeletConfiguration struct order. A kubelet older than v1.36 does not know
 * the PodLevelResourceManagers gate, so it is left out there.
 */
export function kubeletConfigz(rawKubelet: RawObject | null, w: World): RawObject {
  const given = rawKubelet === null ? fromModel(w) : rawKubelet;
  const merged: RawObject = { ...baseConfigz(w) };
  for (const [k, v] of Object.entries(given)) merged[k] = normaliseField(k, v);
  if (!modelVersionOf(w.kubeletVersion).plrmKnown && isObject(merged.featureGates)) {
    const gates = { ...merged.featureGates };
    delete gates.PodLevelResourceManagers;
    if (Object.keys(gates).length === 0) delete merged.featureGates;
    else merged.featureGates = gates;
  }
  const ordered: RawObject = {};
  for (const k of FIELD_ORDER) if (k in merged) ordered[k] = merged[k];
  for (const [k, v] of Object.entries(merged)) if (!(k in ordered)) ordered[k] = v;
  return ordered;
}

/** Deep merge of a patch into /configz: objects merge, `null` deletes a key, anything else replaces. */
export function mergeConfigz(target: RawObject, patch: Readonly<Record<string, unknown>>): RawObject {
  const out = new Map(Object.entries(target));
  for (const [k, v] of Object.entries(patch)) {
    const current = out.get(k);
    if (v === null) out.delete(k);
    else if (isObject(v) && isObject(current)) out.set(k, mergeConfigz(current, v));
    else out.set(k, v);
  }
  return Object.fromEntries(out);
}

// ----- Node -------------------------------------------------------------------------------------

function bytesOf(v: string): bigint {
  return intValue(parseQuantity(v));
}

function ki(bytes: bigint): string {
  return `${bytes / 1024n}Ki`;
}

/** `evictionHard["memory.available"]` in bytes (a percentage of `capacity`). */
function evictionMemory(w: World, capacity: bigint): bigint {
  const v = w.config.evictionHard['memory.available'];
  if (v === undefined) return 0n;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct !== null) return (capacity * BigInt(Math.round(Number(pct[1]) * 100))) / 10000n;
  return bytesOf(v);
}

/** The v1 Node the kubelet registers: capacity from the topology, allocatable = capacity − reservations. */
export function nodeObject(w: World): RawObject {
  const topo = w.topology;
  const memory = topo.memory.reduce((s, m) => s + m.memory, 0n);
  const hugepages = new Map<string, bigint>();
  for (const m of topo.memory)
    for (const [k, v] of Object.entries(m.hugepages)) hugepages.set(k, (hugepages.get(k) ?? 0n) + v);
  const hugepageTotal = [...hugepages.values()].reduce((s, v) => s + v, 0n);
  const c = w.config;
  const reservedCpu =
    c.reservedSystemCPUs !== null && c.reservedSystemCPUs.size > 0
      ? c.reservedSystemCPUs.size * 1000
      : (c.kubeReserved.cpu === undefined ? 0 : toMilliCpu(c.kubeReserved.cpu)) +
        (c.systemReserved.cpu === undefined ? 0 : toMilliCpu(c.systemReserved.cpu));
  const reserved = (name: string) =>
    (c.kubeReserved[name] === undefined ? 0n : intValue(c.kubeReserved[name])) +
    (c.systemReserved[name] === undefined ? 0n : intValue(c.systemReserved[name]));
  const allocMemory = memory - reserved('memory') - evictionMemory(w, memory) - hugepageTotal;
  const capacity: RawObject = {
    cpu: String(topo.cpus.length),
    'ephemeral-storage': '101430960Ki',
    ...Object.fromEntries([...hugepages].map(([k, v]) => [k, formatBytes(v)])),
    memory: ki(memory),
    pods: '110',
  };
  const allocatable: RawObject = {
    cpu: formatMilliCpu(topo.cpus.length * 1000 - reservedCpu),
    'ephemeral-storage': '93478772582',
    ...Object.fromEntries([...hugepages].map(([k, v]) => [k, formatBytes(v - reserved(k))])),
    memory: ki(allocMemory),
    pods: '110',
  };
  const since = iso(w.kubeletStart);
  const heartbeat = iso(w.now - 20_000);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: w.nodeName,
      uid: bareContainerUid(`node/${w.nodeName}`),
      creationTimestamp: iso(w.kubeletStart - 86_400_000),
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': w.nodeName,
        'kubernetes.io/os': 'linux',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      capacity,
      allocatable,
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: w.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: bareContainerUid(`machine/${w.nodeName}`).replace(/-/g, ''),
        systemUUID: bareContainerUid(`system/${w.nodeName}`),
        bootID: bareContainerUid(`boot/${w.nodeName}`),
        kernelVersion: '6.8.0-60-generic',
        osImage: 'Ubuntu 24.04.2 LTS',
        containerRuntimeVersion: 'containerd://2.1.4',
        kubeletVersion: w.kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** A UUID-shaped id derived from a string (node uid, boot id, …). */
function bareContainerUid(seed: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

// ----- Pods -------------------------------------------------------------------------------------

function amountsOut(a: ResourceAmounts): RawObject {
  const out: RawObject = {};
  if (a.cpu !== undefined) out.cpu = formatMilliCpu(a.cpu);
  if (a.memory !== undefined) out.memory = formatBytes(a.memory);
  for (const [k, v] of Object.entries(a.hugepages)) out[k] = formatBytes(v);
  return out;
}

/** Resources as the API server stores them after defaulting (canonical quantities). */
function resourcesOut(r: Resources): RawObject {
  const out: RawObject = {};
  const limits = amountsOut(r.limits);
  const requests = amountsOut(r.requests);
  if (Object.keys(limits).length > 0) out.limits = limits;
  if (Object.keys(requests).length > 0) out.requests = requests;
  return out;
}

function containerSpec(raw: unknown, c: Container, image: string): RawObject {
  const given = isObject(raw) ? raw : {};
  return {
    ...given,
    name: c.name,
    image,
    imagePullPolicy: typeof given.imagePullPolicy === 'string' ? given.imagePullPolicy : 'IfNotPresent',
    resources: resourcesOut(c.resources),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...(c.type === 'sidecar' ? { restartPolicy: 'Always' } : {}),
  };
}

/** Docker Hub short names as containerd reports them ("postgres:16" → "docker.io/library/postgres:16"). */
export function fullImageName(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const named = hasRegistry
    ? image
    : image.includes('/')
      ? `docker.io/${image}`
      : `docker.io/library/${image}`;
  const last = named.split('/').pop() ?? '';
  return last.includes(':') || last.includes('@') ? named : `${named}:latest`;
}

/** The v1 Pod of `p` as the API server returns it with the kubelet's status. */
export function podObject(w: World, p: WorldPod): RawObject {
  const raw = p.raw;
  const meta = isObject(raw.metadata) ? raw.metadata : {};
  const spec = isObject(raw.spec) ? raw.spec : {};
  const rawInit = Array.isArray(spec.initContainers) ? (spec.initContainers as unknown[]) : [];
  const rawApps = Array.isArray(spec.containers) ? (spec.containers as unknown[]) : [];
  const byName = (list: unknown[], name: string) => list.find((x) => isObject(x) && x.name === name);
  const image = (name: string) => p.containers.find((c) => c.name === name)?.image ?? name;
  const started = iso(p.startTime);
  const created = iso(p.startTime - 1000);

  const restSpec = Object.fromEntries(
    Object.entries(spec).filter(([k]) => k !== 'resources' && k !== 'initContainers' && k !== 'containers'),
  );
  const podSpec: RawObject = {
    ...restSpec,
    ...(p.pod.podResources === null ? {} : { resources: resourcesOut(p.pod.podResources) }),
    ...(p.pod.initContainers.length > 0
      ? {
          initContainers: p.pod.initContainers.map((c) =>
            containerSpec(byName(rawInit, c.name), c, image(c.name)),
          ),
        }
      : {}),
    containers: p.pod.containers.map((c) => containerSpec(byName(rawApps, c.name), c, image(c.name))),
    restartPolicy: typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    nodeName: w.nodeName,
    schedulerName: 'default-scheduler',
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  const metadata: RawObject = {
    ...meta,
    name: p.pod.name,
    namespace: p.pod.namespace,
    uid: p.pod.uid,
    resourceVersion: String(1000 + w.pods.indexOf(p)),
    creationTimestamp: created,
  };
  const qosClass = p.qos;
  const head = { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
  if (!p.admitted) {
    return {
      ...head,
      status: {
        phase: 'Failed',
        reason: p.reason,
        // kubelet.rejectPod: "Pod was rejected: " + the admit handler's message
        message: `Pod was rejected: ${p.message ?? ''}`,
        qosClass,
        startTime: started,
      },
    };
  }
  const status = (c: (typeof p.containers)[number]) => {
    const base = {
      name: c.name,
      image: fullImageName(c.image),
      imageID: `${fullImageName(c.image).replace(/:[^:/]*$/, '')}@sha256:${c.id.split('').reverse().join('')}`,
      containerID: `containerd://${c.id}`,
      restartCount: 0,
    };
    if (!c.running) {
      return {
        ...base,
        ready: true,
        started: false,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: started,
            finishedAt: started,
            containerID: base.containerID,
          },
        },
        lastState: {},
      };
    }
    return { ...base, ready: true, started: true, state: { running: { startedAt: started } }, lastState: {} };
  };
  const conditionTypes = [
    'PodReadyToStartContainers',
    'Initialized',
    'Ready',
    'ContainersReady',
    'PodScheduled',
  ];
  const inits = p.containers.filter((c) => c.type !== 'app');
  return {
    ...head,
    status: {
      phase: 'Running',
      conditions: conditionTypes.map((type) => ({
        type,
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: type === 'PodScheduled' ? created : started,
      })),
      hostIP: '10.0.0.11',
      hostIPs: [{ ip: '10.0.0.11' }],
      podIP: `10.244.1.${10 + w.pods.indexOf(p)}`,
      podIPs: [{ ip: `10.244.1.${10 + w.pods.indexOf(p)}` }],
      startTime: started,
      ...(inits.length > 0 ? { initContainerStatuses: inits.map(status) } : {}),
      containerStatuses: p.containers.filter((c) => c.type === 'app').map(status),
      qosClass,
    },
  };
}
