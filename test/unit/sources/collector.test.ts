// src/sources/collector.ts on its own, against the in-memory cluster source: pod names (the
// random suffix, long and dotted node names), which nodes get a pod, the collector pod's own
// PodResources entry left out (both JSON encodings), and runCollectors' outcomes: success, a log
// of another node, a failed create, a pod already gone at deletion, an interruption while a pod
// is being created.

import { InterruptedError } from '../../../src/errors.js';
import type { NodeObservation } from '../../../src/schema/observation.js';
import type { KubeObject } from '../../../src/sources/cluster/cluster-source.js';
import { httpFailure } from '../../../src/sources/cluster/transport.js';
import {
  collectorPodName,
  collectorTargets,
  deadlineSeconds,
  runCollectors,
  withoutCollectorPod,
} from '../../../src/sources/collector.js';
import type { CollectorOptions, InterruptSignal } from '../../../src/sources/collector.js';
import { FakeClusterSource } from '../../helpers/fake-cluster-source.js';
import { nodeFixture } from '../../helpers/node-fixture.js';

const DB = 'examples/tightly-coupled-database.yaml';
const observation = nodeFixture(DB, { nodeName: 'worker-1' }).build().observation as NodeObservation;
const log = JSON.stringify(observation);

function options(over: Partial<CollectorOptions> = {}): CollectorOptions {
  return {
    image: 'registry.example/podres:1',
    namespace: 'kube-system',
    timeoutMs: 10_000,
    concurrency: 4,
    clock: () => new Date('2026-05-12T10:01:07Z'),
    sleep: () => Promise.resolve(),
    random: () => 0,
    ...over,
  };
}

describe('collectorPodName', () => {
  it('podres-collect-<node>-<5 chars of the generateName alphabet>', () => {
    const seq = [0, 0.99, 0.5, 0.2, 0.7];
    let i = 0;
    expect(collectorPodName('worker-1', () => seq[i++] ?? 0)).toBe('podres-collect-worker-1-b9rhx');
  });

  it('stays a DNS subdomain of at most 253 characters for a long, dotted node name', () => {
    const node = `${'a'.repeat(200)}.${'b'.repeat(31)}.example.com`;
    const name = collectorPodName(node, () => 0);
    expect(name.length).toBeLessThanOrEqual(253);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
    // cut right after a dot: the dot goes, no label starts with "-"
    const cut = `${'a'.repeat(231)}.bbb`;
    expect(collectorPodName(cut, () => 0)).toBe(`podres-collect-${'a'.repeat(231)}-bbbbb`);
  });

  it('activeDeadlineSeconds: whole seconds, rounded up, at least 1', () => {
    expect([deadlineSeconds(60_000), deadlineSeconds(1500), deadlineSeconds(1)]).toEqual([60, 2, 1]);
  });
});

describe('collectorTargets', () => {
  it('nodes without an observation whose Node object was read, with their kubelet version', () => {
    const node = (name: string, version?: string): KubeObject => ({
      metadata: { name },
      status: version === undefined ? {} : { nodeInfo: { kubeletVersion: version } },
    });
    const targets = collectorTargets(
      [
        { name: 'a', node: node('a', 'v1.37.0') },
        { name: 'b', node: node('b', 'v1.36.2') },
        { name: 'c', node: null },
        { name: 'd', node: node('d') },
      ],
      new Map([['b', observation]]),
    );
    expect(targets).toEqual([
      { name: 'a', kubeletVersion: 'v1.37.0' },
      { name: 'd', kubeletVersion: null },
    ]);
  });
});

describe('withoutCollectorPod', () => {
  const self = { name: 'podres-collect-worker-1-bbbbb', namespace: 'kube-system', containers: [] };
  const other = { name: 'db-0', namespace: 'db', containers: [] };
  it.each(['pod_resources', 'podResources'])('drops the entry of the pod itself (%s)', (key) => {
    const obs = {
      ...observation,
      podResources: { ...observation.podResources, list: { [key]: [other, self] } },
    };
    const out = withoutCollectorPod(obs, 'kube-system', self.name);
    expect(out.podResources.list).toEqual({ [key]: [other] });
    expect(out.cgroups).toBe(obs.cgroups);
  });

  it('keeps the document as it is when the pod is not listed or there is no list', () => {
    expect(withoutCollectorPod(observation, 'kube-system', 'podres-collect-worker-1-zzzzz')).toBe(
      observation,
    );
    const noList = { ...observation, podResources: { ...observation.podResources, list: null } };
    expect(withoutCollectorPod(noList, 'kube-system', self.name)).toBe(noList);
  });
});

describe('runCollectors', () => {
  const workers = [{ name: 'worker-1', kubeletVersion: 'v1.36.2' }];

  it('a Succeeded pod: its log is the observation, the pod is deleted with grace 0', async () => {
    const source = new FakeClusterSource({ podLogs: { 'worker-1': log } });
    const run = await runCollectors(source, workers, options());
    const outcome = run.outcomes.get('worker-1');
    expect(outcome?.ok).toBe(true);
    if (outcome?.ok === true) {
      expect(outcome.pod).toBe('kube-system/podres-collect-worker-1-bbbbb');
      expect(outcome.observation.node).toBe('worker-1');
    }
    expect(run.warnings).toEqual([]);
    expect(source.calls).toEqual([
      'createPod kube-system/podres-collect-worker-1-bbbbb',
      'getPod kube-system/podres-collect-worker-1-bbbbb',
      'readPodLog kube-system/podres-collect-worker-1-bbbbb collect',
      'deletePod kube-system/podres-collect-worker-1-bbbbb grace=0',
    ]);
  });

  it('a document of another node is invalid', async () => {
    const source = new FakeClusterSource({ podLogs: { 'worker-2': log } });
    const run = await runCollectors(source, [{ name: 'worker-2', kubeletVersion: null }], options());
    expect(run.outcomes.get('worker-2')).toEqual({
      ok: false,
      error: {
        source: 'observation',
        status: 'invalid',
        httpStatus: null,
        message:
          'collector pod kube-system/podres-collect-worker-2-bbbbb observed node "worker-1", not "worker-2"',
      },
    });
    expect(source.calls.at(-1)).toBe('deletePod kube-system/podres-collect-worker-2-bbbbb grace=0');
  });

  it('a failed create is the node error, and nothing is deleted', async () => {
    const source = new FakeClusterSource({
      podLogs: { 'worker-1': log },
      failures: { 'createPod:kube-system': httpFailure(503) },
    });
    const run = await runCollectors(source, workers, options());
    expect(run.outcomes.get('worker-1')).toEqual({
      ok: false,
      error: {
        source: 'observation',
        status: 'unavailable',
        httpStatus: 503,
        message: 'cannot create collector pod kube-system/podres-collect-worker-1-bbbbb: unavailable (503)',
      },
    });
    expect(source.calls.some((c) => c.startsWith('deletePod'))).toBe(false);
  });

  it('a pod already gone when it is deleted is no warning', async () => {
    const source = new FakeClusterSource({ podLogs: { 'worker-1': log } });
    const original = source.readPodLog.bind(source);
    source.readPodLog = async (ns, name, container) => {
      const text = await original(ns, name, container);
      await source.deletePod(ns, name, 0);
      return text;
    };
    const run = await runCollectors(source, workers, options());
    expect(run.outcomes.get('worker-1')?.ok).toBe(true);
    expect(run.warnings).toEqual([]);
  });

  it('a signal while a pod is being created: the pod is deleted once created, then InterruptedError', async () => {
    const source = new FakeClusterSource({ podLogs: { 'worker-1': log, 'worker-2': log } });
    let fire: ((s: InterruptSignal) => void) | null = null;
    const original = source.createPod.bind(source);
    source.createPod = async (ns, pod) => {
      fire?.('SIGINT');
      return original(ns, pod);
    };
    const run = runCollectors(
      source,
      [...workers, { name: 'worker-2', kubeletVersion: null }],
      options({
        concurrency: 1,
        onSignal: (h) => {
          fire = h;
          return () => {
            fire = null;
          };
        },
      }),
    );
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    await expect(run).rejects.toMatchObject({ exitCode: 130, message: 'interrupted' });
    // worker-2 was never started
    expect(source.calls).toEqual([
      'createPod kube-system/podres-collect-worker-1-bbbbb',
      'deletePod kube-system/podres-collect-worker-1-bbbbb grace=0',
    ]);
    expect(fire).toBeNull();
  });
});
