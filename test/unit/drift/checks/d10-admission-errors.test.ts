// D10: admissions and error counters (cli.md §7.2).

import { d10 } from '../../../../src/drift/checks/d10-admission-errors.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, findings } from './analyze.js';
import { brief, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const REJECTIONS = 'examples/single-numa-node-rejection.yaml';
const SMT = 'examples/full-pcpus-only-smt-rejection.yaml';
const SCOPES = 'examples/pod-vs-container-scope.yaml';

describe('D10 admission and allocation errors', () => {
  it('is clean when every pod is admitted as predicted', () => {
    expect(findingsOf(d10, nodeFixture(DB).build())).toEqual([]);
  });

  it('info for each rejection the model predicts, with the reason on both sides', () => {
    const found = findingsOf(d10, nodeFixture(REJECTIONS).build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'info',
        pod: 'default/too-wide-for-one-numa',
        container: null,
        resource: null,
        expected: 'TopologyAffinityError',
        observed: 'TopologyAffinityError',
      },
      {
        severity: 'info',
        pod: 'default/empty-shared-pool',
        container: null,
        resource: null,
        expected: 'TopologyAffinityError',
        observed: 'TopologyAffinityError',
      },
    ]);
    expect(found[0]?.evidence).toEqual(['pod-status']);
  });

  it('error: the kubelet rejected a pod the model admits', () => {
    const found = findingsOf(
      d10,
      nodeFixture(DB).rejectPod('db/db-0', 'UnexpectedAdmissionError', 'boom').build(),
    );
    expect(found.filter((f) => f.severity === 'error').map(brief)).toEqual([
      {
        severity: 'error',
        pod: 'db/db-0',
        container: null,
        resource: null,
        expected: 'admitted',
        observed: 'rejected: UnexpectedAdmissionError',
      },
    ]);
    expect(found.find((f) => f.severity === 'error')?.message).toMatch(
      /^the kubelet rejected db\/db-0 \(UnexpectedAdmissionError: .*boom\) but the model admits it$/,
    );
  });

  it('error: the kubelet admitted a pod the model rejects', () => {
    const found = findingsOf(
      d10,
      nodeFixture(REJECTIONS).admitRejectedPod('default/too-wide-for-one-numa').build(),
    );
    expect(found.map((f) => [f.severity, f.pod, f.expected, f.observed])).toEqual([
      ['error', 'too-wide-for-one-numa', 'rejected: TopologyAffinityError', 'admitted'],
      ['info', 'empty-shared-pool', 'TopologyAffinityError', 'TopologyAffinityError'],
    ]);
  });

  it('warning: a rejection with another reason than predicted', () => {
    const facts = nodeFixture(SMT).rejectPod('default/odd-request', 'TopologyAffinityError').build();
    const odd = findingsOf(d10, facts).filter((f) => f.pod === 'odd-request');
    expect(odd.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: 'default/odd-request',
        container: null,
        resource: null,
        expected: 'SMTAlignmentError',
        observed: 'TopologyAffinityError',
      },
    ]);
  });

  it('warning: error counters above what the pods on the node explain; equal or lower is not D10', () => {
    const base = findingsOf(d10, nodeFixture(REJECTIONS).build()).length;
    const more = findingsOf(
      d10,
      nodeFixture(REJECTIONS).addMetric('kubelet_topology_manager_admission_errors_total', {}, 3).build(),
    );
    expect(more.slice(base).map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: null, expected: 2, observed: 5 },
    ]);
    expect(more[base]?.message).toBe(
      'kubelet_topology_manager_admission_errors_total is 5 but the admissions of the pods on the node explain 2',
    );
    const labelled = findingsOf(
      d10,
      nodeFixture(DB)
        .addMetric('resource_manager_allocation_errors_total', { resource_name: 'memory', source: 'node' }, 1)
        .build(),
    );
    expect(labelled.map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'memory', expected: 0, observed: 1 },
    ]);
    expect(
      findingsOf(
        d10,
        nodeFixture(REJECTIONS).lowerCounter('kubelet_topology_manager_admission_errors_total').build(),
      ),
    ).toHaveLength(base);
  });
});

// Count mode: the replay runs on a synthetic one-NUMA machine without SMT, which admits pods the
// real machine rejected (too wide for one NUMA node, SMT alignment); its error counters then explain
// other admissions than the kubelet's.
describe('D10 in count mode', () => {
  it.each([REJECTIONS, SMT, SCOPES])(
    '%s: error counters are not compared with a replay that admitted other pods',
    (file) => {
      const report = analyze(nodeFixture(file).withoutObservation());
      expect(findings(report, 'D10').filter((f) => f.severity !== 'info')).toEqual([]);
      expect(coverageOf(report, 'D10')).toEqual({
        code: 'D10',
        status: 'partial',
        missing: ['topology'],
        reason: 'no topology: admissions not replayable',
      });
    },
  );

  it('a planted error counter is coverage there, not a finding', () => {
    const report = analyze(
      nodeFixture(REJECTIONS)
        .withoutObservation()
        .addMetric('kubelet_memory_manager_pinning_errors_total', {}, 4),
    );
    expect(findings(report, 'D10').filter((f) => f.evidence.includes('metrics'))).toEqual([]);
    expect(coverageOf(report, 'D10')?.status).toBe('partial');
  });

  it('still compares them when the replay admitted what the kubelet did', () => {
    const report = analyze(
      nodeFixture(DB)
        .withoutObservation()
        .addMetric(
          'resource_manager_allocation_errors_total',
          { resource_name: 'memory', source: 'node' },
          1,
        ),
    );
    expect(findings(report, 'D10').map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'memory', expected: 0, observed: 1 },
    ]);
    expect(coverageOf(report, 'D10')?.status).toBe('checked');
  });
});
