// D18: state of pods that are not active on the node (cli.md §6.5, §7.2).

import { d18 } from '../../../../src/drift/checks/d18-stale-state.js';
import { STALE_POD_UID, nodeFixture } from '../../../helpers/node-fixture.js';
import { findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';

describe('D18 stale state', () => {
  it('is clean when every entry belongs to an active pod', () => {
    expect(findingsOf(d18, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d18, nodeFixture('examples/hugepages.yaml').build())).toEqual([]);
  });

  it('checkpoint entries and a pod pool of a pod the pod list does not know', () => {
    const found = findingsOf(
      d18,
      nodeFixture(DB)
        .staleEntry({ containers: { app: '60,61' }, podPool: '62' })
        .build(),
    );
    expect(found).toEqual([
      {
        code: 'D18',
        severity: 'warning',
        node: 'worker-1',
        namespace: null,
        pod: null,
        podUid: STALE_POD_UID,
        container: null,
        resource: 'cpu',
        evidence: ['checkpoint', 'pod-status'],
        expected: 'no state',
        observed: 'cpu_manager_state entries, cpu_manager_state podEntries',
        message: `cpu_manager_state entries, cpu_manager_state podEntries hold state for pod ${STALE_POD_UID}, which is not active on the node (not in the pod list)`,
      },
    ]);
  });

  it('a PodResources entry of a pod the API server does not know', () => {
    const facts = nodeFixture(DB)
      .staleEntry({ podResources: { namespace: 'gone', name: 'ghost-0' } })
      .build();
    const found = findingsOf(d18, facts);
    expect(found.map((f) => [f.evidence, f.namespace, f.pod, f.podUid])).toEqual([
      [['checkpoint', 'pod-status'], null, null, STALE_POD_UID],
      [['podresources', 'pod-status'], 'gone', 'ghost-0', null],
    ]);
    expect(found[1]?.message).toBe(
      'PodResources List reports gone/ghost-0, which is not active on the node (not in the pod list)',
    );
  });

  it('state of a pod the kubelet rejected is named after it', () => {
    const fixture = nodeFixture('examples/single-numa-node-rejection.yaml');
    const uid = fixture.uid('default/too-wide-for-one-numa');
    const found = findingsOf(d18, fixture.staleEntry({ uid, containers: { app: '60' } }).build());
    expect(found.map((f) => [f.namespace, f.pod, f.podUid])).toEqual([
      ['default', 'too-wide-for-one-numa', uid],
    ]);
    expect(found[0]?.message).toContain(
      'which is not active on the node (phase Failed (TopologyAffinityError))',
    );
  });
});
