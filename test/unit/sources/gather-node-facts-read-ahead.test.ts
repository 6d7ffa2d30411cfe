// gatherNodeFacts with `onNode` and the cluster-wide pod list (src/sources/gather-node-facts.ts):
// nodes read before the list is complete wait for it with their scrapes; at most a bounded number
// of them wait, then the node reads pause until the list is in, so a big audit does not hold
// thousands of scrapes while the pods page in.

import type { NodeFacts } from '../../../src/drift/node-facts.js';
import type { KubeObject, PodQuery } from '../../../src/sources/cluster/cluster-source.js';
import { gatherNodeFacts, selectNodes } from '../../../src/sources/gather-node-facts.js';
import type { GatherOptions } from '../../../src/sources/gather-node-facts.js';
import { FakeClusterSource } from '../../helpers/fake-cluster-source.js';
import type { FakeClusterOptions } from '../../helpers/fake-cluster-source.js';
import { nodeObject, podObject } from '../../helpers/k8s-objects.js';

const NODES = 100;
const CONFIGZ = JSON.stringify({ kubeletconfig: { cpuManagerPolicy: 'static' } });
const CADVISOR = 'container_cpu_cfs_periods_total{container="c",namespace="a",pod="p"} 100\n';

/** A cluster whose pod list answers only when `release()` is called (or fails with `failList()`). */
class SlowListSource extends FakeClusterSource {
  private readonly gate: Promise<void>;
  release: () => void = () => undefined;
  failList: (e: Error) => void = () => undefined;

  constructor(opts: FakeClusterOptions) {
    super(opts);
    this.gate = new Promise<void>((resolve, reject) => {
      this.release = resolve;
      this.failList = reject;
    });
  }

  override async listPods<T = KubeObject>(q: PodQuery, map?: (pod: KubeObject) => T): Promise<T[]> {
    await this.gate;
    return super.listPods(q, map);
  }
}

function slowCluster(): SlowListSource {
  const names = Array.from({ length: NODES }, (_, i) => `w${String(i).padStart(3, '0')}`);
  return new SlowListSource({
    nodes: names.map((n) => nodeObject(n)),
    pods: names.map((n, i) => podObject(`p${String(i)}`, { node: n })),
    proxy: Object.fromEntries(names.map((n) => [n, { configz: CONFIGZ, 'metrics/cadvisor': CADVISOR }])),
  });
}

function options(concurrency: number, onNode: ((f: NodeFacts) => void) | undefined): GatherOptions {
  return {
    now: '2026-05-12T10:00:00Z',
    concurrency,
    configz: true,
    metrics: false,
    cadvisorScrapes: 1,
    intervalMs: 0,
    rawMetrics: true,
    podStrategy: 'cluster-wide',
    clusterNodes: NODES,
    observations: new Map(),
    topologies: { byNode: new Map(), all: null },
    clock: () => new Date('2026-05-12T10:00:00Z'),
    ...(onNode === undefined ? {} : { onNode }),
  };
}

/** Lets every read that can make progress make it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

const scraped = (src: FakeClusterSource) => src.calls.filter((c) => c.endsWith(' metrics/cadvisor')).length;

describe('gatherNodeFacts: read-ahead while the cluster-wide pod list pages in', () => {
  it('with onNode, at most 32 (or 4 × concurrency) nodes are read ahead of the list; all follow once it is in', async () => {
    for (const concurrency of [2, 16]) {
      const src = slowCluster();
      const { nodes } = await selectNodes(src, { names: [], labelSelector: null, pods: [] }, concurrency);
      const facts: NodeFacts[] = [];
      const done = gatherNodeFacts(
        src,
        nodes,
        options(concurrency, (f) => facts.push(f)),
      );
      await settle();
      const limit = Math.max(32, 4 * concurrency);
      // the reads stop at the limit (plus the reads already running when it was reached)
      expect(scraped(src)).toBeGreaterThanOrEqual(limit);
      expect(scraped(src)).toBeLessThan(limit + concurrency);
      expect(facts).toEqual([]);
      src.release();
      await done;
      expect(scraped(src)).toBe(NODES);
      expect(facts).toHaveLength(NODES);
      expect(facts.every((f) => f.pods.length === 1 && f.cadvisor.length === 1)).toBe(true);
    }
  });

  it('without onNode nothing waits: every node is read while the list is still out', async () => {
    const src = slowCluster();
    const { nodes } = await selectNodes(src, { names: [], labelSelector: null, pods: [] }, 4);
    const done = gatherNodeFacts(src, nodes, options(4, undefined));
    await settle();
    expect(scraped(src)).toBe(NODES);
    src.release();
    const result = await done;
    expect(result.map((f) => f.pods.length)).toEqual(Array.from({ length: NODES }, () => 1));
  });

  it('a failing pod list fails the gathering and releases the waiting reads', async () => {
    const src = slowCluster();
    const { nodes } = await selectNodes(src, { names: [], labelSelector: null, pods: [] }, 2);
    const done = gatherNodeFacts(
      src,
      nodes,
      options(2, () => undefined),
    );
    await settle();
    src.failList(new Error('cannot list pods: unavailable (503)'));
    await expect(done).rejects.toThrow('cannot list pods: unavailable (503)');
    await settle();
    // the paused reads went on to the end (nothing is left hanging)
    expect(scraped(src)).toBe(NODES);
  });
});
