// v1 Pod → model Pod: API-server defaulting and validation (allocator-model.md §2.1, §6.3), and
// the three pod manifests of the Kubernetes website's pod-level resource managers page.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { FEATURE_GATE_DEFAULTS } from '../../../src/model/kubelet-config.js';
import { derivedUid, toPod } from '../../../src/scenario/v1-pod.js';

const GATES = FEATURE_GATE_DEFAULTS['1.36'];
const PLR_OFF = { ...GATES, PodLevelResources: false };
const Gi = 1n << 30n;
const Mi = 1n << 20n;

const REAL_PODS = '../shared/fixtures/real/pods';
function realPod(name: string): unknown {
  return parse(readFileSync(`${REAL_PODS}/k8s-website-pod-level-resource-managers-${name}.yaml`, 'utf8'));
}

/** A v1 Pod object; `spec` replaces the default single BestEffort container spec. */
function v1(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): unknown {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.oneLine();
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('toPod: real manifests (kubernetes/website, pod-level resource managers)', () => {
  it('pod-scope-mixed: two BestEffort sidecars and one Guaranteed app container in a 4 CPU / 4Gi budget', () => {
    const pod = toPod(realPod('pod-scope-mixed'), 'pod-scope-mixed.yaml', GATES);
    expect(pod.name).toBe('pod-scope-mixed');
    expect(pod.namespace).toBe('default');
    expect(pod.uid).toBe(derivedUid('default', 'pod-scope-mixed'));
    expect(pod.statusQosClass).toBeNull();
    expect(pod.podResources).toEqual({
      requests: { cpu: 4000, memory: 4n * Gi, hugepages: {} },
      limits: { cpu: 4000, memory: 4n * Gi, hugepages: {} },
    });
    expect(pod.initContainers.map((c) => [c.name, c.type])).toEqual([
      ['metrics-sidecar', 'sidecar'],
      ['logging-sidecar', 'sidecar'],
    ]);
    expect(pod.initContainers[0]?.resources).toEqual({
      requests: { hugepages: {} },
      limits: { hugepages: {} },
    });
    expect(pod.containers).toEqual([
      {
        name: 'main-app',
        type: 'app',
        resources: {
          requests: { cpu: 2000, memory: 2n * Gi, hugepages: {} },
          limits: { cpu: 2000, memory: 2n * Gi, hugepages: {} },
        },
      },
    ]);
  });

  it('container-scope-mixed: a Guaranteed sidecar and two BestEffort workers', () => {
    const pod = toPod(realPod('container-scope-mixed'), 'container-scope-mixed.yaml', GATES);
    expect(pod.initContainers).toEqual([
      {
        name: 'infrastructure-sidecar',
        type: 'sidecar',
        resources: {
          requests: { cpu: 2000, memory: 2n * Gi, hugepages: {} },
          limits: { cpu: 2000, memory: 2n * Gi, hugepages: {} },
        },
      },
    ]);
    expect(pod.containers.map((c) => [c.name, c.type, c.resources.requests.cpu])).toEqual([
      ['worker-1', 'app', undefined],
      ['worker-2', 'app', undefined],
    ]);
    expect(pod.podResources?.requests).toEqual({ cpu: 4000, memory: 4n * Gi, hugepages: {} });
  });

  it('empty-shared-pool: valid for the API server (the kubelet rejects it, not the parser)', () => {
    const pod = toPod(realPod('empty-shared-pool'), 'empty-shared-pool.yaml', GATES);
    expect(pod.initContainers.map((c) => [c.name, c.type, c.resources.requests.cpu])).toEqual([
      ['metrics-sidecar', 'sidecar', 1000],
      ['logging-sidecar', 'sidecar', undefined],
    ]);
    expect(pod.containers.map((c) => [c.name, c.resources.limits.cpu, c.resources.limits.memory])).toEqual([
      ['main-app', 3000, 3n * Gi],
    ]);
    expect(pod.podResources?.limits).toEqual({ cpu: 4000, memory: 4n * Gi, hugepages: {} });
  });
});

describe('toPod: metadata and container types', () => {
  it('keeps an explicit uid and namespace, reads status.qosClass', () => {
    const pod = toPod(
      {
        metadata: { name: 'db', namespace: 'prod', uid: 'u-1' },
        spec: { containers: [{ name: 'a', image: 'x', env: [{ name: 'A' }] }] },
        status: { qosClass: 'Burstable', phase: 'Running' },
      },
      'w',
      GATES,
    );
    expect([pod.namespace, pod.name, pod.uid, pod.statusQosClass]).toEqual([
      'prod',
      'db',
      'u-1',
      'Burstable',
    ]);
  });

  it('derives a stable UUID-shaped uid from namespace/name', () => {
    const uid = derivedUid('default', 'db');
    expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedUid('default', 'db')).toBe(uid);
    expect(derivedUid('other', 'db')).not.toBe(uid);
  });

  it('init containers without restartPolicy Always are standard init containers', () => {
    const pod = toPod(
      v1({
        initContainers: [
          { name: 'i', restartPolicy: 'Never' },
          { name: 'j' },
          { name: 's', restartPolicy: 'Always' },
        ],
        containers: [{ name: 'a' }],
      }),
      'w',
      GATES,
    );
    expect(pod.initContainers.map((c) => c.type)).toEqual(['init', 'init', 'sidecar']);
  });

  it('keeps only cpu, memory and hugepages; other resources are parsed and dropped', () => {
    const pod = toPod(
      v1({
        containers: [
          {
            name: 'a',
            resources: {
              limits: {
                cpu: '500m',
                memory: '1Gi',
                'hugepages-2Mi': '4Mi',
                'nvidia.com/gpu': 1,
                'ephemeral-storage': '1Gi',
              },
            },
          },
        ],
      }),
      'w',
      GATES,
    );
    expect(pod.containers[0]?.resources.limits).toEqual({
      cpu: 500,
      memory: Gi,
      hugepages: { 'hugepages-2Mi': 4n * Mi },
    });
  });
});

describe('toPod: API-server defaulting', () => {
  it('container requests default to limits, per resource', () => {
    const pod = toPod(
      v1({
        containers: [
          { name: 'a', resources: { requests: { cpu: '1' }, limits: { cpu: '2', memory: '1Gi' } } },
        ],
      }),
      'w',
      GATES,
    );
    expect(pod.containers[0]?.resources.requests).toEqual({ cpu: 1000, memory: Gi, hugepages: {} });
  });

  it('a limits-only container gets requests = limits (Guaranteed-able)', () => {
    const pod = toPod(
      v1({ containers: [{ name: 'a', resources: { limits: { cpu: 4, memory: '8Gi' } } }] }),
      'w',
      GATES,
    );
    expect(pod.containers[0]?.resources.requests).toEqual(pod.containers[0]?.resources.limits);
    expect(pod.containers[0]?.resources.requests).toEqual({ cpu: 4000, memory: 8n * Gi, hugepages: {} });
  });

  it('quantities are rounded up to milli precision', () => {
    const pod = toPod(
      v1({ containers: [{ name: 'a', resources: { limits: { cpu: '0.0001', memory: '1.5' } } }] }),
      'w',
      GATES,
    );
    expect(pod.containers[0]?.resources.limits).toEqual({ cpu: 1, memory: 2n, hugepages: {} });
  });

  it('pod limits only → pod requests = pod limits (§2.1: a Guaranteed budget)', () => {
    const pod = toPod(
      v1({ resources: { limits: { cpu: '8', memory: '16Gi' } }, containers: [{ name: 'a' }, { name: 'b' }] }),
      'w',
      GATES,
    );
    expect(pod.podResources).toEqual({
      requests: { cpu: 8000, memory: 16n * Gi, hugepages: {} },
      limits: { cpu: 8000, memory: 16n * Gi, hugepages: {} },
    });
  });

  it('missing pod cpu/memory requests default to the aggregated container requests first (KEP-753 formula)', () => {
    const pod = toPod(
      v1({
        resources: { limits: { cpu: '8', memory: '16Gi' } },
        initContainers: [
          { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } },
          { name: 'init', resources: { requests: { cpu: '4' } } }, // 4 + 1 sidecar before it = 5
          { name: 'side2', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } },
        ],
        containers: [{ name: 'a', resources: { requests: { cpu: '2' } } }],
      }),
      'w',
      GATES,
    );
    // app 2 + sidecars 1.5 = 3.5 < init phase max 5 → 5; memory has no container request → the pod limit.
    expect(pod.podResources?.requests).toEqual({ cpu: 5000, memory: 16n * Gi, hugepages: {} });
  });

  it('pod requests without pod limits are not defaulted further (no pod-limit defaulting on v1.36)', () => {
    const pod = toPod(
      v1({
        resources: { requests: { cpu: '2' } },
        containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }],
      }),
      'w',
      GATES,
    );
    expect(pod.podResources).toEqual({ requests: { cpu: 2000, hugepages: {} }, limits: { hugepages: {} } });
  });

  it('pod-level hugepages limits are derived from the containers when absent', () => {
    const pod = toPod(
      v1({
        resources: { limits: { cpu: '4', memory: '4Gi' } },
        containers: [
          { name: 'a', resources: { limits: { cpu: '1', memory: '1Gi', 'hugepages-2Mi': '4Mi' } } },
          { name: 'b', resources: { limits: { cpu: '1', memory: '1Gi', 'hugepages-2Mi': '2Mi' } } },
        ],
      }),
      'w',
      GATES,
    );
    expect(pod.podResources?.limits.hugepages).toEqual({ 'hugepages-2Mi': 6n * Mi });
    expect(pod.podResources?.requests.hugepages).toEqual({ 'hugepages-2Mi': 6n * Mi });
  });

  it('with PodLevelResources off, spec.resources is kept as written and not defaulted or validated', () => {
    const pod = toPod(
      v1({
        resources: { limits: { cpu: '1' } },
        containers: [{ name: 'a', resources: { requests: { cpu: '2' } } }],
      }),
      'w',
      PLR_OFF,
    );
    expect(pod.podResources).toEqual({ requests: { hugepages: {} }, limits: { cpu: 1000, hugepages: {} } });
  });
});

describe('toPod: what the API server rejects', () => {
  const w = 'scenario.yaml doc 1 pods[2]';
  it.each<[string, unknown, string]>([
    [
      'bad quantity',
      v1({ containers: [{ name: 'a', resources: { limits: { cpu: '2x' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.limits.cpu: invalid quantity "2x"',
    ],
    [
      'negative quantity',
      v1({ containers: [{ name: 'a', resources: { requests: { memory: '-1Gi' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.requests.memory: must be greater than or equal to 0, got "-1Gi"',
    ],
    [
      'container request above its limit',
      v1({ containers: [{ name: 'a', resources: { requests: { cpu: '3' }, limits: { cpu: '2' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.requests.cpu: must be less than or equal to the cpu limit 2, got 3',
    ],
    [
      'pod-level request above the pod-level limit',
      v1({
        resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } },
        containers: [{ name: 'a' }],
      }),
      'scenario.yaml doc 1 pods[2].spec.resources.requests.memory: must be less than or equal to the memory limit 1Gi, got 2Gi',
    ],
    [
      'aggregated container requests above the pod-level request (sidecar + app)',
      v1({
        resources: { requests: { cpu: '4' }, limits: { cpu: '4' } },
        initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '2' } } }],
        containers: [{ name: 'a', resources: { requests: { cpu: '2500m' } } }],
      }),
      'scenario.yaml doc 1 pods[2].spec.resources.requests.cpu: must be greater than or equal to the aggregate container requests of 4500m, got 4',
    ],
    [
      'a standard init container above the pod-level request',
      v1({
        resources: { requests: { memory: '1Gi' }, limits: { memory: '1Gi' } },
        initContainers: [{ name: 'i', resources: { limits: { memory: '2Gi' } } }],
        containers: [{ name: 'a' }],
      }),
      'scenario.yaml doc 1 pods[2].spec.resources.requests.memory: must be greater than or equal to the aggregate container requests of 2Gi, got 1Gi',
    ],
    [
      'pod limit below the aggregated container requests: the defaulted pod request exceeds the limit',
      v1({
        resources: { limits: { cpu: '1' } },
        containers: [{ name: 'a', resources: { requests: { cpu: '2' } } }],
      }),
      'scenario.yaml doc 1 pods[2].spec.resources.requests.cpu: must be less than or equal to the cpu limit 1, got 2',
    ],
    [
      'an app container limit above the pod-level limit',
      v1({
        resources: { requests: { cpu: '1' }, limits: { cpu: '1' } },
        containers: [{ name: 'a', resources: { requests: { cpu: '500m' }, limits: { cpu: '2' } } }],
      }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.limits.cpu: must be less than or equal to the pod-level cpu limit 1, got 2',
    ],
    [
      'unsupported pod-level resource',
      v1({ resources: { limits: { 'ephemeral-storage': '1Gi', cpu: '1' } }, containers: [{ name: 'a' }] }),
      'scenario.yaml doc 1 pods[2].spec.resources.limits.ephemeral-storage: resource "ephemeral-storage" is not supported at pod level; pod-level resources support cpu, memory and hugepages-<size>',
    ],
    [
      'claims at pod level',
      v1({ resources: { claims: [{ name: 'c' }] }, containers: [{ name: 'a' }] }),
      'scenario.yaml doc 1 pods[2].spec.resources.claims: claims cannot be set for resources at pod level',
    ],
    [
      'hugepages request different from the limit',
      v1({
        containers: [
          {
            name: 'a',
            resources: {
              requests: { memory: '1Gi', 'hugepages-2Mi': '2Mi' },
              limits: { memory: '1Gi', 'hugepages-2Mi': '4Mi' },
            },
          },
        ],
      }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.requests.hugepages-2Mi: must be equal to the hugepages-2Mi limit 4Mi, got 2Mi',
    ],
    [
      'hugepages not a multiple of the page size',
      v1({ containers: [{ name: 'a', resources: { limits: { memory: '1Gi', 'hugepages-2Mi': '3Mi' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.limits.hugepages-2Mi: must be a whole multiple of the page size 2Mi, got 3Mi',
    ],
    [
      'hugepages without cpu or memory',
      v1({ containers: [{ name: 'a', resources: { limits: { 'hugepages-1Gi': '1Gi' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources: hugepages require a cpu or memory request or limit',
    ],
    [
      'unknown field inside resources',
      v1({ containers: [{ name: 'a', resources: { limit: { cpu: '1' } } }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].resources.limit: unknown field; known fields: requests, limits, claims',
    ],
    [
      'duplicate container names over init and app containers',
      v1({ initContainers: [{ name: 'a' }], containers: [{ name: 'b' }, { name: 'a' }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[1].name: duplicate container name "a" (also spec.initContainers[0])',
    ],
    [
      'missing container name',
      v1({ containers: [{ image: 'x' }] }),
      'scenario.yaml doc 1 pods[2].spec.containers[0].name: required',
    ],
    [
      'no containers',
      v1({ containers: [] }),
      'scenario.yaml doc 1 pods[2].spec.containers: a pod needs at least one container',
    ],
    [
      'missing metadata.name',
      v1({ containers: [{ name: 'a' }] }, {}),
      'scenario.yaml doc 1 pods[2].metadata.name: required',
    ],
    [
      'wrong qosClass',
      { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] }, status: { qosClass: 'Gold' } },
      'scenario.yaml doc 1 pods[2].status.qosClass: invalid value "Gold": expected one of "Guaranteed", "Burstable", "BestEffort"',
    ],
    [
      'not a Pod',
      { kind: 'Deployment', metadata: { name: 'p' } },
      'scenario.yaml doc 1 pods[2].kind: kind "Deployment" is not "Pod"',
    ],
  ])('%s', (_name, raw, message) => {
    expect(errorOf(() => toPod(raw, w, GATES))).toBe(message);
  });
});
