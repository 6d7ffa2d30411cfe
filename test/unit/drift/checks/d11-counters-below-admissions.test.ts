// D11: counters below what the pods admitted since the kubelet started must have added.

import { d11 } from '../../../../src/drift/checks/d11-counters-below-admissions.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, findings } from './analyze.js';
import { brief, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const SMT = 'examples/full-pcpus-only-smt-rejection.yaml';
const POD_EXCLUSIVE_CPU = { resource_name: 'cpu', assignment_type: 'pod_exclusive' };

describe('D11 counters below the admissions since kubelet start', () => {
  it('is clean on every seed layout the model leaves', () => {
    expect(findingsOf(d11, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d11, nodeFixture(SMT).build())).toEqual([]);
  });

  it('a lowered counter', () => {
    const found = findingsOf(
      d11,
      nodeFixture(DB).lowerCounter('resource_manager_container_assignments', POD_EXCLUSIVE_CPU).build(),
    );
    expect(found.map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'cpu', expected: 1, observed: 0 },
    ]);
    expect(found[0]?.evidence).toEqual(['metrics']);
    expect(found[0]?.message).toBe(
      'resource_manager_container_assignments{resource_name="cpu",assignment_type="pod_exclusive"} is 0 but the 1 pod admitted since the kubelet started (2026-05-12T09:01:07Z) must have added at least 1',
    );
  });

  it('higher is normal (deleted pods, re-admissions after a restart)', () => {
    const facts = nodeFixture(DB)
      .addMetric('resource_manager_container_assignments', POD_EXCLUSIVE_CPU, 7)
      .addMetric('kubelet_cpu_manager_pinning_requests_total', {}, 3)
      .build();
    expect(findingsOf(d11, facts)).toEqual([]);
  });

  it('a family missing from the scrape had no increment: its series read 0', () => {
    const found = findingsOf(
      d11,
      nodeFixture(DB).dropMetric('resource_manager_container_assignments').build(),
    );
    expect(found.map((f) => [f.expected, f.observed, f.message.split(' is ')[0]])).toEqual([
      [1, 0, 'resource_manager_container_assignments{resource_name="cpu",assignment_type="pod_exclusive"}'],
      [2, 0, 'resource_manager_container_assignments{resource_name="cpu",assignment_type="pod_shared"}'],
    ]);
  });

  it('rejected pods count with their partial increments', () => {
    const fixture = nodeFixture(SMT);
    const errors = fixture.prediction().metrics.kubelet_cpu_manager_pinning_errors_total;
    expect(errors).toBeGreaterThan(0);
    const found = findingsOf(
      d11,
      nodeFixture(SMT).lowerCounter('kubelet_cpu_manager_pinning_errors_total').build(),
    );
    expect(found.map(brief)).toEqual([
      {
        severity: 'warning',
        pod: null,
        container: null,
        resource: null,
        expected: errors,
        observed: errors - 1,
      },
    ]);
  });

  it('only pods started since the kubelet started count', () => {
    // pods start at -15 s, -5 s, +5 s, +15 s from the kubelet's start: the last two count
    const layout = { firstPodDelaySeconds: -15, podIntervalSeconds: 10 };
    const at = (value: number) =>
      findingsOf(
        d11,
        nodeFixture(SMT, layout)
          .setMetric('kubelet_topology_manager_admission_requests_total', {}, value)
          .build(),
      );
    expect(at(2)).toEqual([]);
    expect(at(1).map((f) => [f.expected, f.observed])).toEqual([[2, 1]]);
    expect(at(1)[0]?.message).toContain('the 2 pods admitted since the kubelet started');
  });

  it('nothing to expect when every pod predates the kubelet start', () => {
    const facts = nodeFixture(DB, { firstPodDelaySeconds: -600 })
      .setMetric('resource_manager_container_assignments', POD_EXCLUSIVE_CPU, 0)
      .build();
    expect(findingsOf(d11, facts)).toEqual([]);
  });

  it('a pod the kubelet rejected against the model is left to D10', () => {
    const facts = nodeFixture(DB)
      .rejectPod('db/db-0', 'UnexpectedAdmissionError', 'boom')
      .setMetric('resource_manager_container_assignments', POD_EXCLUSIVE_CPU, 0)
      .build();
    expect(findingsOf(d11, facts)).toEqual([]);
  });
});

describe('D11 coverage: what it cannot know', () => {
  const UNCORE = { scope: 'container', boundary: 'uncore_cache' };
  const AMD_NO_OPTION = { scenarioIndex: 1 }; // app-b straddles two uncore caches: 2 aligned of 3

  it('no process_start_time_seconds: partial, and a lowered counter is not reported', () => {
    const report = analyze(
      nodeFixture(DB)
        .dropMetric('process_start_time_seconds')
        .lowerCounter('resource_manager_container_assignments', POD_EXCLUSIVE_CPU),
    );
    expect(findings(report, 'D11')).toEqual([]);
    expect(coverageOf(report, 'D11')).toEqual({
      code: 'D11',
      status: 'partial',
      missing: ['metrics'],
      reason: 'metrics: no process_start_time_seconds',
    });
  });

  it('checked with the kubelet start and the machine known', () => {
    expect(coverageOf(analyze(nodeFixture(DB)), 'D11')?.status).toBe('checked');
  });

  it.each(['examples/single-numa-node-rejection.yaml', SMT, 'examples/pod-vs-container-scope.yaml'])(
    '%s in count mode: nothing is compared with a replay that admitted other pods',
    (file) => {
      const report = analyze(
        nodeFixture(file)
          .withoutObservation()
          .lowerCounter('kubelet_topology_manager_admission_requests_total'),
      );
      expect(findings(report, 'D11')).toEqual([]);
      expect(coverageOf(report, 'D11')).toEqual({
        code: 'D11',
        status: 'partial',
        missing: ['topology'],
        reason: 'no topology: admissions not replayable',
      });
    },
  );

  it('count mode: the uncore cache alignment count depends on the machine’s caches', () => {
    const amd = () => nodeFixture('examples/amd-uncore-alignment.yaml', AMD_NO_OPTION);
    const report = analyze(amd().withoutObservation());
    expect(findings(report, 'D11')).toEqual([]);
    expect(coverageOf(report, 'D11')).toEqual({
      code: 'D11',
      status: 'partial',
      missing: ['topology'],
      reason: 'no topology: uncore cache alignment not replayable',
    });
    // the other series are still compared there
    const lowered = analyze(
      amd().withoutObservation().lowerCounter('kubelet_cpu_manager_pinning_requests_total'),
    );
    expect(findings(lowered, 'D11').map((f) => [f.expected, f.observed])).toEqual([[3, 2]]);
    // with the topology the uncore count is known and compared
    expect(coverageOf(analyze(amd()), 'D11')?.status).toBe('checked');
    const withTopology = analyze(
      amd().lowerCounter('kubelet_container_aligned_compute_resources_count', UNCORE),
    );
    expect(findings(withTopology, 'D11').map((f) => [f.expected, f.observed])).toEqual([[2, 1]]);
  });
});
