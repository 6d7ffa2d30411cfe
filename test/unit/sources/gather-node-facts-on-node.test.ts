// gatherNodeFacts with `onNode` (src/sources/gather-node-facts.ts): each node's facts are handed
// over as soon as its reads are done and its pods are known, so a big audit analyses nodes as
// they arrive; the facts handed over are the same as those returned without onNode.

import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { gatherNodeFacts, selectNodes } from '../../../src/sources/gather-node-facts.js';
import type { GatherOptions } from '../../../src/sources/gather-node-facts.js';
import { FakeClusterSource } from '../../helpers/fake-cluster-source.js';
import { nodeObject, podObject } from '../../helpers/k8s-objects.js';

const CONFIGZ = JSON.stringify({ kubeletconfig: { cpuManagerPolicy: 'static' } });
const CADVISOR = (n: number) => `container_cpu_cfs_periods_total{container="c",namespace="a",pod="p"} ${n}\n`;

function cluster(): FakeClusterSource {
  const kubelet = {
    configz: CONFIGZ,
    metrics: '',
    'metrics/cadvisor': (call: number) => CADVISOR(100 * (call + 1)),
  };
  return new FakeClusterSource({
    nodes: ['w1', 'w2', 'w3'].map((n) => nodeObject(n)),
    pods: [podObject('a', { node: 'w1' }), podObject('b', { node: 'w2' }), podObject('c', { node: 'w2' })],
    proxy: {
      w1: kubelet,
      w2: kubelet,
      // w3's first scrape fails: it gets no second one
      w3: {
        configz: CONFIGZ,
        'metrics/cadvisor': {
          status: 'unavailable',
          httpStatus: 503,
          why: 'unavailable (503)',
          unreachable: false,
        },
      },
    },
  });
}

function options(over: Partial<GatherOptions> = {}): GatherOptions {
  let t = Date.parse('2026-05-12T10:00:00Z');
  return {
    now: '2026-05-12T10:00:00Z',
    concurrency: 1,
    configz: true,
    metrics: false,
    cadvisorScrapes: 1,
    intervalMs: 0,
    rawMetrics: true,
    clusterNodes: 3,
    observations: new Map(),
    topologies: { byNode: new Map(), all: null },
    clock: () => new Date(t),
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    ...over,
  };
}

async function handedOver(
  src: FakeClusterSource,
  over: Partial<GatherOptions>,
): Promise<{ facts: NodeFacts[]; callsAt: number[]; result: NodeFacts[] }> {
  const { nodes } = await selectNodes(src, { names: [], labelSelector: null, pods: [] }, 1);
  const facts: NodeFacts[] = [];
  const callsAt: number[] = [];
  const result = await gatherNodeFacts(src, nodes, {
    ...options(over),
    onNode: (f) => {
      facts.push(f);
      callsAt.push(src.calls.length);
    },
  });
  return { facts, callsAt, result };
}

describe('gatherNodeFacts with onNode', () => {
  it('per-node pod lists: each node as soon as its own reads are done, the same facts as without onNode', async () => {
    const streamed = cluster();
    const { facts, callsAt, result } = await handedOver(streamed, { podStrategy: 'per-node' });
    expect(result).toEqual([]);
    expect(facts.map((f) => f.name)).toEqual(['w1', 'w2', 'w3']);
    // w1 is handed over before any read of w2 is made
    expect(streamed.calls.slice(0, callsAt[0])).not.toContainEqual(expect.stringContaining('w2'));
    const plain = cluster();
    const { nodes } = await selectNodes(plain, { names: [], labelSelector: null, pods: [] }, 1);
    expect(facts).toEqual(await gatherNodeFacts(plain, nodes, options({ podStrategy: 'per-node' })));
    expect(facts.map((f) => f.pods.length)).toEqual([1, 2, 0]);
  });

  it('one cluster-wide pod list: nodes are handed over once it is complete, with their pods', async () => {
    const src = cluster();
    const { facts, callsAt } = await handedOver(src, { podStrategy: 'cluster-wide' });
    const listAt = src.calls.indexOf('listPods') + 1;
    expect(listAt).toBeGreaterThan(0);
    for (const at of callsAt) expect(at).toBeGreaterThanOrEqual(listAt);
    expect(Object.fromEntries(facts.map((f) => [f.name, f.pods.length]))).toEqual({ w1: 1, w2: 2, w3: 0 });
  });

  it('two scrapes: a node is handed over after its second one; a node whose first failed, after its first', async () => {
    const src = cluster();
    const { facts } = await handedOver(src, {
      podStrategy: 'per-node',
      cadvisorScrapes: 2,
      intervalMs: 10_000,
    });
    expect(facts.map((f) => [f.name, f.cadvisor.map((s) => s.text)])).toEqual([
      ['w3', []],
      ['w1', [CADVISOR(100), CADVISOR(200)]],
      ['w2', [CADVISOR(100), CADVISOR(200)]],
    ]);
    expect(facts[0]?.errors.map((e) => e.source)).toEqual(['cadvisor']);
  });
});
