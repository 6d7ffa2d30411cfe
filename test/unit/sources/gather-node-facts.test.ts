// Node selection and gathering (src/sources/gather-node-facts.ts) over the in-memory cluster
// source: which reads are made, how failures land in a node's errors, pod strategies, the second
// cAdvisor scrape, reductions and metric filtering on real kubelet texts.

import { parseObservation } from '../../../src/parse/observation.js';
import { parsePrometheusText } from '../../../src/parse/prometheus.js';
import { UsageError } from '../../../src/errors.js';
import { ClusterApiError } from '../../../src/sources/cluster/cluster-source.js';
import type { KubeObject } from '../../../src/sources/cluster/cluster-source.js';
import { httpFailure } from '../../../src/sources/cluster/transport.js';
import {
  choosePodStrategy,
  gatherNodeFacts,
  selectNodes,
  sourceWarnings,
} from '../../../src/sources/gather-node-facts.js';
import type { GatherOptions } from '../../../src/sources/gather-node-facts.js';
import { FakeClusterSource } from '../../helpers/fake-cluster-source.js';
import { nodeObject, podObject, realNode, realText } from '../../helpers/k8s-objects.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/run-cli.js';

const CONFIGZ = realText('configz/eks-outposts-1.30-static-single-numa-node.configz.json');
const METRICS = realText('metrics/netdata-kubelet-1.13.4.metrics.txt');
const CADVISOR = realText('cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt');
const TIMEOUT = {
  status: 'timeout' as const,
  httpStatus: null,
  why: 'timeout after 30s',
  unreachable: false,
};

const families = (text: string): string[] =>
  parsePrometheusText(text)
    .families.map((f) => f.name)
    .sort();

function options(over: Partial<GatherOptions> = {}): GatherOptions {
  return {
    now: '2026-05-12T10:00:00Z',
    concurrency: 4,
    configz: true,
    metrics: true,
    cadvisorScrapes: 1,
    intervalMs: 0,
    rawMetrics: false,
    clusterNodes: null,
    observations: new Map(),
    topologies: { byNode: new Map(), all: null },
    clock: () => new Date('2026-05-12T10:00:00Z'),
    ...over,
  };
}

function cluster(extra: Partial<ConstructorParameters<typeof FakeClusterSource>[0]> = {}): FakeClusterSource {
  const kubelet = { configz: CONFIGZ, metrics: METRICS, 'metrics/cadvisor': CADVISOR };
  return new FakeClusterSource({
    nodes: [
      nodeObject('worker-1', { labels: { pool: 'db' } }),
      nodeObject('worker-2'),
      realNode('nto-bm-worker1.internal.node.yaml'),
    ],
    pods: [
      podObject('db-0', { namespace: 'db', node: 'worker-1', sidecar: true }),
      podObject('web-0', { namespace: 'shop', node: 'worker-2' }),
      podObject('web-1', { namespace: 'shop', node: 'worker-1' }),
      podObject('pending-0', { namespace: 'shop', node: null }),
    ],
    proxy: { 'worker-1': kubelet, 'worker-2': kubelet, 'worker1.internal': kubelet },
    ...extra,
  });
}

describe('selectNodes', () => {
  it('all nodes: one list, and the cluster size is known', async () => {
    const src = cluster();
    const r = await selectNodes(src, { names: [], labelSelector: null, pods: [] }, 4);
    expect(r.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2', 'worker1.internal']);
    expect([r.clusterNodes, src.calls]).toEqual([3, ['listNodes']]);
  });

  it('a label selector: one list with it', async () => {
    const src = cluster();
    const r = await selectNodes(src, { names: [], labelSelector: 'pool=db', pods: [] }, 4);
    expect(r.nodes.map((n) => n.name)).toEqual(['worker-1']);
    expect([r.clusterNodes, src.calls]).toEqual([null, ['listNodes pool=db']]);
  });

  it('named nodes and the nodes of --pod: one GET each, duplicates once, sorted', async () => {
    const src = cluster();
    const r = await selectNodes(
      src,
      {
        names: ['worker-2', 'worker-1'],
        labelSelector: null,
        pods: [
          { namespace: 'db', name: 'db-0' },
          { namespace: 'shop', name: 'pending-0' },
        ],
      },
      2,
    );
    expect(r.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2']);
    expect(r.warnings).toEqual(['pod "shop/pending-0" is not bound to a node; no node selected for it']);
    expect(src.calls.filter((c) => c.startsWith('getNode')).sort()).toEqual([
      'getNode worker-1',
      'getNode worker-2',
    ]);
  });

  it('an unknown node or pod is a usage error (exit 2)', async () => {
    const node = selectNodes(cluster(), { names: ['worker-9'], labelSelector: null, pods: [] }, 1);
    await expect(node).rejects.toBeInstanceOf(UsageError);
    await expect(node).rejects.toThrow('node "worker-9" not found');
    const pod = selectNodes(
      cluster(),
      { names: [], labelSelector: null, pods: [{ namespace: 'db', name: 'db-9' }] },
      1,
    );
    await expect(pod).rejects.toBeInstanceOf(UsageError);
    await expect(pod).rejects.toThrow('pod "db-9" not found in namespace "db"');
  });

  it("a named node that times out is that node's error; a 403 on nodes ends the run", async () => {
    const slow = cluster({ failures: { 'getNode:worker-2': TIMEOUT } });
    const r = await selectNodes(slow, { names: ['worker-2'], labelSelector: null, pods: [] }, 1);
    expect(r.nodes).toEqual([
      {
        name: 'worker-2',
        node: null,
        error: {
          source: 'node',
          status: 'timeout',
          httpStatus: null,
          message: 'cannot get node "worker-2": timeout after 30s',
        },
      },
    ]);
    const denied = cluster({ failures: { 'getNode:worker-2': httpFailure(403) } });
    await expect(
      selectNodes(denied, { names: ['worker-2'], labelSelector: null, pods: [] }, 1),
    ).rejects.toThrow(ClusterApiError);
  });
});

describe('gatherNodeFacts', () => {
  async function gather(src: FakeClusterSource, names: string[], over: Partial<GatherOptions> = {}) {
    const sel = await selectNodes(src, { names, labelSelector: null, pods: [] }, 4);
    src.calls.length = 0;
    return gatherNodeFacts(src, sel.nodes, options(over));
  }

  it('reads configz, metrics and one cAdvisor scrape per node, and its pods (reduced)', async () => {
    const src = cluster();
    const [w1, w2] = await gather(src, ['worker-1', 'worker-2']);
    expect(w1?.name).toBe('worker-1');
    expect(w1?.configz).toEqual(JSON.parse(CONFIGZ));
    expect(w1?.metrics?.scrapedAt).toBe('2026-05-12T10:00:00Z');
    expect(w1?.cadvisor).toHaveLength(1);
    expect(w1?.errors).toEqual([]);
    expect(w1?.pods.map((p) => (p as KubeObject & { metadata: { name: string } }).metadata.name)).toEqual([
      'db-0',
      'web-1',
    ]);
    expect(JSON.stringify(w1?.pods)).not.toMatch(
      /DB_PASSWORD|secretKeyRef|volumeMounts|last-applied|managedFields/,
    );
    expect(w2?.pods).toHaveLength(1);
    expect([w1?.from, w1?.now, w1?.observation, w1?.topology]).toEqual([
      'live',
      '2026-05-12T10:00:00Z',
      null,
      null,
    ]);
    expect(src.calls.sort()).toEqual(
      [
        'listPods spec.nodeName=worker-1',
        'listPods spec.nodeName=worker-2',
        'proxy worker-1 configz',
        'proxy worker-1 metrics',
        'proxy worker-1 metrics/cadvisor',
        'proxy worker-2 configz',
        'proxy worker-2 metrics',
        'proxy worker-2 metrics/cadvisor',
      ].sort(),
    );
  });

  it('keeps only the snapshot families of real scrapes, unless rawMetrics', async () => {
    const [filtered] = await gather(cluster(), ['worker-1']);
    expect(families(filtered?.metrics?.text ?? '')).toEqual([
      'kubernetes_build_info',
      'process_start_time_seconds',
    ]);
    expect(families(filtered?.cadvisor[0]?.text ?? '')).toEqual([
      'cadvisor_version_info',
      'container_cpu_cfs_periods_total',
      'container_cpu_cfs_throttled_periods_total',
      'container_cpu_cfs_throttled_seconds_total',
      'container_cpu_usage_seconds_total',
      'container_spec_cpu_period',
      'container_spec_cpu_quota',
      'container_spec_cpu_shares',
      'machine_cpu_cores',
      'machine_cpu_physical_cores',
      'machine_cpu_sockets',
      'machine_memory_bytes',
    ]);
    // the real scrape had these too
    expect(families(CADVISOR)).toEqual(
      expect.arrayContaining(['container_cpu_system_seconds_total', 'container_cpu_user_seconds_total']),
    );
    const [raw] = await gather(cluster(), ['worker-1'], { rawMetrics: true });
    expect([raw?.metrics?.text, raw?.cadvisor[0]?.text]).toEqual([METRICS, CADVISOR]);
  });

  it('drops managedFields and images of a real Node object, nothing else', async () => {
    const [facts] = await gather(cluster(), ['worker1.internal']);
    const full = realNode('nto-bm-worker1.internal.node.yaml') as {
      metadata: Record<string, unknown>;
      status: Record<string, unknown>;
    };
    const metadata = Object.fromEntries(Object.entries(full.metadata).filter(([k]) => k !== 'managedFields'));
    const status = Object.fromEntries(Object.entries(full.status).filter(([k]) => k !== 'images'));
    expect(facts?.node).toEqual({ ...full, metadata, status });
  });

  it('a failed source is an error of that node, with the cli.md wording; the others are read', async () => {
    const src = cluster({
      proxy: {
        'worker-1': {
          configz: httpFailure(403),
          metrics: httpFailure(503),
          'metrics/cadvisor': TIMEOUT,
        },
        'worker-2': { configz: 'not json', metrics: METRICS, 'metrics/cadvisor': CADVISOR },
      },
    });
    const facts = await gather(src, ['worker-1', 'worker-2']);
    expect(facts[0]?.errors).toEqual([
      {
        source: 'configz',
        status: 'forbidden',
        httpStatus: 403,
        message: 'cannot read /configz: forbidden (403); needs get on nodes/proxy',
      },
      {
        source: 'metrics',
        status: 'unavailable',
        httpStatus: 503,
        message: 'cannot read /metrics: unavailable (503)',
      },
      {
        source: 'cadvisor',
        status: 'timeout',
        httpStatus: null,
        message: 'cannot read /metrics/cadvisor: timeout after 30s',
      },
    ]);
    expect([facts[0]?.configz, facts[0]?.metrics, facts[0]?.cadvisor]).toEqual([null, null, []]);
    expect(facts[1]?.errors).toEqual([
      {
        source: 'configz',
        status: 'invalid',
        httpStatus: 200,
        message: expect.stringMatching(/^cannot parse \/configz: /),
      },
    ]);
    expect(facts[1]?.metrics).not.toBeNull();
    expect(sourceWarnings(facts)).toEqual([
      'node worker-1: cannot read /configz: forbidden (403); needs get on nodes/proxy',
      'node worker-1: cannot read /metrics: unavailable (503)',
      'node worker-1: cannot read /metrics/cadvisor: timeout after 30s',
      expect.stringMatching(/^node worker-2: cannot parse \/configz: /),
    ]);
  });

  it("a node's errors come in source order, not in the order the concurrent reads failed", async () => {
    const src = cluster({
      proxy: {
        'worker-1': { configz: httpFailure(403), metrics: httpFailure(403), 'metrics/cadvisor': TIMEOUT },
      },
    });
    // /configz fails last: after both scrapes have failed
    const later = Object.assign(Object.create(src) as FakeClusterSource, {
      nodeProxy: async (node: string, path: Parameters<FakeClusterSource['nodeProxy']>[1]) => {
        if (path === 'configz') await new Promise((r) => setTimeout(r, 20));
        return src.nodeProxy(node, path);
      },
    });
    const facts = await gather(later, ['worker-1']);
    expect(src.calls.filter((c) => c.startsWith('proxy'))).toEqual([
      'proxy worker-1 metrics',
      'proxy worker-1 metrics/cadvisor',
      'proxy worker-1 configz',
    ]);
    expect(facts[0]?.errors.map((e) => e.source)).toEqual(['configz', 'metrics', 'cadvisor']);
  });

  it('a pod list that fails ends the gathering (cluster-level, exit 3)', async () => {
    const src = cluster({ failures: { listPods: httpFailure(403) } });
    await expect(gather(src, ['worker-1'])).rejects.toThrow(ClusterApiError);
  });

  it('onNode: each node handed over once complete, the same facts, nothing returned', async () => {
    for (const podStrategy of ['per-node', 'cluster-wide'] as const) {
      const whole = await gather(cluster(), ['worker-1', 'worker-2'], { podStrategy });
      const streamed: unknown[] = [];
      const returned = await gather(cluster(), ['worker-1', 'worker-2'], {
        podStrategy,
        onNode: (f) => streamed.push(f),
      });
      expect(returned).toEqual([]);
      expect(streamed).toHaveLength(2);
      expect(streamed).toEqual(expect.arrayContaining(whole));
    }
  });

  it('cluster-wide: one pod list for all nodes, grouped by node', async () => {
    const src = cluster();
    const facts = await gather(src, ['worker-1', 'worker-2'], { podStrategy: 'cluster-wide' });
    expect(src.calls.filter((c) => c.startsWith('listPods'))).toEqual(['listPods']);
    expect(facts.map((f) => f.pods.length)).toEqual([2, 1]);
  });

  it("--interval: a second scrape once the interval has passed since the node's first", async () => {
    let now = Date.parse('2026-05-12T10:00:00Z');
    const slept: number[] = [];
    const src = cluster({
      proxy: {
        'worker-1': {
          configz: CONFIGZ,
          metrics: METRICS,
          'metrics/cadvisor': (n) => `machine_cpu_cores ${n + 1}\n`,
        },
        'worker-2': { configz: CONFIGZ, metrics: METRICS, 'metrics/cadvisor': httpFailure(503) },
      },
    });
    const facts = await gather(src, ['worker-1', 'worker-2'], {
      cadvisorScrapes: 2,
      intervalMs: 10_000,
      clock: () => new Date(now),
      sleep: (ms) => {
        slept.push(ms);
        now += ms;
        return Promise.resolve();
      },
    });
    expect(slept).toEqual([10_000]);
    expect(facts[0]?.cadvisor).toEqual([
      { scrapedAt: '2026-05-12T10:00:00Z', text: 'machine_cpu_cores 1\n' },
      { scrapedAt: '2026-05-12T10:00:10Z', text: 'machine_cpu_cores 2\n' },
    ]);
    // no first scrape, no second: one error, one request
    expect(facts[1]?.cadvisor).toEqual([]);
    expect(src.calls.filter((c) => c === 'proxy worker-2 metrics/cadvisor')).toHaveLength(1);
  });

  it('observations go to their node; --topology only to nodes without an observed topology', async () => {
    const obsText = readFileSync(join(REPO_ROOT, 'test/fixtures/snapshot/observation-worker-1.json'), 'utf8');
    const obs = parseObservation(obsText, 'obs.json');
    const topo = { generate: { sockets: 1, coresPerSocket: 8 } };
    const facts = await gather(cluster(), ['worker-1', 'worker-2'], {
      observations: new Map([['worker-1', obs]]),
      topologies: { byNode: new Map(), all: topo },
    });
    expect([facts[0]?.observation, facts[0]?.observationFrom, facts[0]?.topology]).toEqual([
      obs,
      'observation',
      null,
    ]);
    expect([facts[1]?.observation, facts[1]?.topology]).toEqual([null, topo]);
  });
});

describe('choosePodStrategy', () => {
  it.each([
    ['a few nodes', 3, 5000, 8, 'per-node'],
    ['up to the concurrency', 8, null, 8, 'per-node'],
    ['an eighth of a known cluster', 600, 5000, 8, 'per-node'],
    ['the whole cluster', 5000, 5000, 8, 'cluster-wide'],
    ['a quarter of it', 1250, 5000, 8, 'cluster-wide'],
    ['many named nodes, cluster size unknown', 100, null, 8, 'cluster-wide'],
  ] as const)('%s', (_name, selected, clusterNodes, concurrency, expected) => {
    expect(choosePodStrategy(selected, clusterNodes, concurrency)).toBe(expected);
  });
});
