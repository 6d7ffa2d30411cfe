// D20: PodResources semantics of another version (model §7, §12 Q2).

import { d20 } from '../../../../src/drift/checks/d20-podresources-semantics.js';
import type { DriftContext } from '../../../../src/drift/context.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { brief, contextOf, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';

describe('D20 PodResources semantics', () => {
  it('is clean with each version’s own semantics', () => {
    expect(findingsOf(d20, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture(DB).kubeletVersion('1.37').build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture(DB_MEMORY).kubeletVersion('1.37').build())).toEqual([]);
    expect(findingsOf(d20, nodeFixture('examples/ml-workload.yaml').kubeletVersion('1.37').build())).toEqual(
      [],
    );
  });

  it('1.37 semantics on a 1.36 kubelet: pod-level fields, pod_shared containers reported empty', () => {
    const found = findingsOf(d20, nodeFixture(DB).podResourcesAs('1.37').build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: null,
        resource: 'cpu',
        expected: 'no pod-level field',
        observed: 'cpu_ids 1,2,3,4,33,34,35,36',
      },
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: 'metrics-exporter',
        resource: 'cpu',
        expected: 'the pod shared pool',
        observed: '',
      },
      {
        severity: 'warning',
        pod: 'db/db-0',
        container: 'backup-agent',
        resource: 'cpu',
        expected: 'the pod shared pool',
        observed: '',
      },
    ]);
    expect(found[1]?.message).toBe(
      'db/db-0 metrics-exporter: PodResources reports no cpu for this pod_shared container but kubelet 1.36 reports a pod_shared container with the pod shared pool',
    );
  });

  it('the 1.36 double counting on a 1.37 kubelet, for CPUs and memory', () => {
    const found = findingsOf(
      d20,
      nodeFixture(DB_MEMORY).kubeletVersion('1.37').podResourcesAs('1.36').build(),
    );
    expect(found.map((f) => [f.container, f.resource, f.observed])).toEqual([
      ['metrics-exporter', 'cpu', 'cpu_ids 4,36'],
      ['metrics-exporter', 'memory', 'memory memory:4294967296'],
      ['backup-agent', 'cpu', 'cpu_ids 4,36'],
      ['backup-agent', 'memory', 'memory memory:4294967296'],
    ]);
    expect(found[0]?.message).toBe(
      'db/db-0 metrics-exporter: PodResources reports cpu_ids 4,36 for this pod_shared container but kubelet 1.37 reports pod_shared containers empty (the pool is at pod level)',
    );
  });

  it('pod-level fields for a pod the model gives no pool (container scope)', () => {
    const ctx = contextOf(nodeFixture('examples/ml-workload.yaml').kubeletVersion('1.37').build());
    const planted: DriftContext = {
      ...ctx,
      pods: ctx.pods.map((p) => {
        const pr = p.evidence.podResources;
        if (pr === null || pr === undefined) return p;
        return { ...p, evidence: { ...p.evidence, podResources: { ...pr, cpuIds: [1, 32, 33, 2] } } };
      }),
    };
    const found = findingsOf(d20, planted);
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'ml/ml-0',
        container: null,
        resource: 'cpu',
        expected: 'no pod-level field',
        observed: 'cpu_ids 1,32,33,2',
      },
    ]);
    expect(found[0]?.message).toBe(
      'ml/ml-0: PodResources reports the pod-level cpu_ids 1,32,33,2 but the model gives the pod no cpu pod pool (path container)',
    );
  });
});
