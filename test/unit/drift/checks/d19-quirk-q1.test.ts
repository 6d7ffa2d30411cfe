// D19: quirk Q1 observed or not, against the replay's prediction (model §6.8, §12).

import { d19 } from '../../../../src/drift/checks/d19-quirk-q1.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { brief, findingsOf } from './check-harness.js';

const Q1 = 'examples/memory-q1-fidelity.yaml';
const ML_MEMORY = 'examples/ml-workload-static-memory.yaml';

describe('D19 quirk Q1', () => {
  it('is silent where Q1 cannot apply (pod scope, memory policy None)', () => {
    expect(
      findingsOf(d19, nodeFixture('examples/tightly-coupled-database-static-memory.yaml').build()),
    ).toEqual([]);
    expect(findingsOf(d19, nodeFixture('examples/ml-workload.yaml').build())).toEqual([]);
  });

  it('info: the Q1 rejection as predicted (single-numa-node, fidelity source)', () => {
    const found = findingsOf(d19, nodeFixture(Q1).build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'info',
        pod: 'default/web-0',
        container: null,
        resource: 'memory',
        expected: 'rejected (Q1)',
        observed: 'rejected (Q1)',
      },
    ]);
    expect(found[0]?.evidence).toEqual(['pod-status']);
  });

  it('warning: the kubelet behaves as documented where the source predicts the rejection', () => {
    const facts = nodeFixture(Q1).kubeletFidelity('documented').build();
    const found = findingsOf(d19, facts);
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'default/web-0',
        container: null,
        resource: 'memory',
        expected: 'rejected (Q1)',
        observed: 'admitted',
      },
    ]);
    // analysed with fidelity documented, the same node is as predicted: no Q1 anywhere
    expect(findingsOf(d19, facts, 'documented')).toEqual([]);
  });

  it('warning: a Q1 rejection although the analysis follows the docs', () => {
    const found = findingsOf(d19, nodeFixture(Q1).build(), 'documented');
    expect(found.map((f) => [f.severity, f.expected, f.observed])).toEqual([
      ['warning', 'admitted', 'rejected (Q1)'],
    ]);
  });

  it('info: the empty memory entry of a non-eligible sidecar, as predicted (best-effort)', () => {
    const found = findingsOf(d19, nodeFixture(ML_MEMORY).build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'info',
        pod: 'ml/ml-0',
        container: 'service-mesh-sidecar',
        resource: 'memory',
        expected: 'empty memory entry (Q1)',
        observed: 'empty memory entry (Q1)',
      },
    ]);
    expect(found[0]?.evidence).toEqual(['checkpoint']);
  });

  it('warning: the predicted empty entry is missing (the kubelet skipped Allocate as documented)', () => {
    const found = findingsOf(d19, nodeFixture(ML_MEMORY).kubeletFidelity('documented').build());
    expect(found.map((f) => [f.severity, f.container, f.expected, f.observed])).toEqual([
      ['warning', 'service-mesh-sidecar', 'empty memory entry (Q1)', 'no memory entry'],
    ]);
  });
});
