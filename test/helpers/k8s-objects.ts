// Real-shaped v1 Node and Pod objects for the fake API server and the cluster-source tests: what
// an API server returns, with the parts a snapshot must drop (managedFields, images, env,
// secrets, volumes, commands, probes, other annotations) filled in. The real Node objects of
// /work/shared/fixtures/real/noderesourcetopology are loaded by realNode().

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REAL_FIXTURES = '/work/shared/fixtures/real';

type Obj = Record<string, unknown>;

export interface NodeSpec {
  readonly cpu?: string;
  readonly memory?: string;
  readonly kubeletVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly ready?: boolean;
  readonly created?: string;
}

export function nodeObject(name: string, spec: NodeSpec = {}): Obj {
  const cpu = spec.cpu ?? '64';
  const memory = spec.memory ?? '263846192Ki';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: `00000000-0000-4000-8000-${name
        .replace(/[^a-z0-9]/g, '')
        .padStart(12, '0')
        .slice(-12)}`,
      resourceVersion: '4711',
      creationTimestamp: spec.created ?? '2026-05-01T08:00:00Z',
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...spec.labels,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      managedFields: [
        {
          manager: 'kubelet',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-05-12T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:status': { 'f:images': {}, 'f:nodeInfo': {} } },
        },
      ],
    },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    status: {
      capacity: {
        cpu,
        memory,
        pods: '110',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        'ephemeral-storage': '488245288Ki',
      },
      allocatable: {
        cpu: String(Number(cpu) - 1),
        memory,
        pods: '110',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
      },
      conditions: [
        {
          type: 'Ready',
          status: spec.ready === false ? 'False' : 'True',
          lastHeartbeatTime: '2026-05-12T10:00:00Z',
          lastTransitionTime: '2026-05-01T08:01:00Z',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
        systemUUID: 'ec2f1c1e-8d55-4c8e-a3f2-2d9c7f8e1b3a',
        bootID: '7d9d0f5e-1c2b-4a3d-9e8f-0a1b2c3d4e5f',
        kernelVersion: '6.8.0-1015-aws',
        osImage: 'Ubuntu 24.04.1 LTS',
        containerRuntimeVersion: 'containerd://2.0.2',
        kubeletVersion: spec.kubeletVersion ?? 'v1.36.2',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [
        {
          names: [
            'registry.k8s.io/pause@sha256:7031c1b283388d2c2e09b57badb803c05ebed362dc88d84b480cc47f72a21097',
            'registry.k8s.io/pause:3.10',
          ],
          sizeBytes: 320368,
        },
      ],
    },
  };
}

export interface PodSpec {
  readonly namespace?: string;
  readonly node?: string | null;
  readonly cpu?: string;
  readonly memory?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly phase?: string;
  readonly sidecar?: boolean;
  readonly created?: string;
}

/** A Running pod with one app container (and a sidecar when asked), env, secrets and volumes. */
export function podObject(name: string, spec: PodSpec = {}): Obj {
  const namespace = spec.namespace ?? 'default';
  const cpu = spec.cpu ?? '2';
  const memory = spec.memory ?? '4Gi';
  const uid = `5d0e${(name + namespace)
    .replace(/[^a-z0-9]/g, '')
    .padEnd(28, '0')
    .slice(0, 28)}`.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
  const res = { requests: { cpu, memory }, limits: { cpu, memory } };
  const app = {
    name: 'app',
    image: 'registry.example.com/app:1.4.2',
    command: ['/bin/app'],
    args: ['--port=8080'],
    env: [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ],
    ports: [{ containerPort: 8080, protocol: 'TCP' }],
    resources: res,
    volumeMounts: [{ name: 'credentials', mountPath: '/etc/credentials', readOnly: true }],
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
    terminationMessagePath: '/dev/termination-log',
    imagePullPolicy: 'IfNotPresent',
  };
  const sidecar = {
    name: 'log-shipper',
    image: 'registry.example.com/shipper:0.9',
    restartPolicy: 'Always',
    env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'shipper-token', key: 'token' } } }],
    resources: { requests: { cpu: '100m', memory: '64Mi' } },
  };
  const node = spec.node === undefined ? 'worker-1' : spec.node;
  const phase = spec.phase ?? (node === null ? 'Pending' : 'Running');
  const statusOf = (c: string) => ({
    name: c,
    containerID: `containerd://${(c + name)
      .replace(/[^a-f0-9]/g, 'a')
      .padEnd(64, '0')
      .slice(0, 64)}`,
    image: 'registry.example.com/app:1.4.2',
    imageID: 'registry.example.com/app@sha256:' + '1'.repeat(64),
    ready: true,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: '2026-05-12T09:00:00Z' } },
    lastState: {},
  });
  const pod: Obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid,
      resourceVersion: '90210',
      generation: 1,
      creationTimestamp: spec.created ?? '2026-05-12T08:59:00Z',
      labels: { app: name.replace(/-\d+$/, ''), ...spec.labels },
      annotations: {
        'kubernetes.io/config.seen': '2026-05-12T09:00:00.000000000Z',
        'kubernetes.io/config.source': 'api',
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"apiVersion":"v1","kind":"Pod","secret":"hunter2"}',
        'checksum/secret': 'abc123',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          name: name.replace(/-\d+$/, ''),
          uid: '11111111-2222-4333-8444-555555555555',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'v1',
          time: '2026-05-12T08:59:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {},
        },
      ],
    },
    spec: {
      ...(node === null ? {} : { nodeName: node }),
      ...(spec.sidecar === true ? { initContainers: [sidecar] } : {}),
      containers: [app],
      volumes: [
        { name: 'credentials', secret: { secretName: 'db-credentials', defaultMode: 420 } },
        {
          name: 'kube-api-access-x7k2q',
          projected: { sources: [{ serviceAccountToken: { path: 'token' } }] },
        },
      ],
      serviceAccountName: 'app',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      imagePullSecrets: [{ name: 'registry-pull' }],
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    },
    status: {
      phase,
      qosClass: 'Guaranteed',
      ...(node === null
        ? {}
        : {
            startTime: '2026-05-12T09:00:00Z',
            podIP: '10.244.1.17',
            hostIP: '10.0.0.11',
            containerStatuses: [statusOf('app')],
            ...(spec.sidecar === true ? { initContainerStatuses: [statusOf('log-shipper')] } : {}),
          }),
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-05-12T09:00:05Z' }],
    },
  };
  return pod;
}

/** A cluster of `nodes` nodes named worker-1…, `podsPerNode` pods on each (namespaces ns-0…ns-9). */
export function makeCluster(nodes: number, podsPerNode: number): { nodes: Obj[]; pods: Obj[] } {
  const ns: Obj[] = [];
  const ps: Obj[] = [];
  for (let n = 1; n <= nodes; n++) {
    const name = `worker-${n}`;
    ns.push(nodeObject(name, { labels: { pool: n % 2 === 0 ? 'even' : 'odd' } }));
    for (let p = 0; p < podsPerNode; p++) {
      ps.push(podObject(`app-${n}-${p}`, { namespace: `ns-${p % 10}`, node: name }));
    }
  }
  return { nodes: ns, pods: ps };
}

/** A real Node object from the fixtures (noderesourcetopology/<file>). */
export function realNode(file: string): Obj {
  const docs = readFileSync(join(REAL_FIXTURES, 'noderesourcetopology', file), 'utf8');
  return parse(docs.replace(/^---\n/, '')) as Obj;
}

export function realText(relative: string): string {
  return readFileSync(join(REAL_FIXTURES, relative), 'utf8');
}
