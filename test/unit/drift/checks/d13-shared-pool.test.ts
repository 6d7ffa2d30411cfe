// D13: the node shared pool of the CPU checkpoint and the shared-pool gauges (cli.md §7.2).

import { d13 } from '../../../../src/drift/checks/d13-shared-pool.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, findings } from './analyze.js';
import { brief, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const STRICT = 'test/fixtures/real-scenarios/k8s-blog-strict-cpu-reservation.yaml';
// the init container takes CPU 8 (the sibling of reserved CPU 0), the app container the whole core
// 1,9: the init container's CPU is not reused, 3 exclusive CPUs (2 when it is)
const INIT_NOT_REUSED = 'test/fixtures/scenarios/exclusive-init-cpu-not-reused.yaml';

describe('D13 node shared pool', () => {
  it('is clean as the model leaves the node, with and without strict-cpu-reservation', () => {
    expect(findingsOf(d13, nodeFixture(DB).build())).toEqual([]);
    expect(findingsOf(d13, nodeFixture(STRICT).build())).toEqual([]);
    expect(findingsOf(d13, nodeFixture(STRICT, { scenarioIndex: 1 }).build())).toEqual([]);
  });

  it('error: defaultCpuSet is not all − entries − pools (the gauges keep their sizes here)', () => {
    // the pod pool is 1-4,33-36: CPU 63 missing from the shared pool, pool CPU 4 in it (still 56 CPUs)
    const found = findingsOf(d13, nodeFixture(DB).defaultCpuSet('0,4-32,37-62').build());
    expect(found.map(brief)).toEqual([
      {
        severity: 'error',
        pod: null,
        container: null,
        resource: 'cpu',
        expected: '0,5-32,37-63',
        observed: '0,4-32,37-62',
      },
    ]);
    expect(found[0]?.message).toBe(
      'defaultCpuSet 0,4-32,37-62 is not all CPUs − container entries − pod pools = 0,5-32,37-63 (it lacks 63 and has 4 too)',
    );
    expect(found[0]?.evidence).toEqual(['checkpoint', 'topology']);
  });

  it('error: reserved CPUs left in defaultCpuSet under strict-cpu-reservation', () => {
    const facts = nodeFixture(STRICT, { scenarioIndex: 1 }).defaultCpuSet('0-63').build();
    const errors = findingsOf(d13, facts).filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.expected, f.observed, f.evidence])).toEqual([
      ['2-15,17-31,34-47,49-63', '0-63', ['checkpoint', 'configz', 'topology']],
    ]);
    expect(errors[0]?.message).toContain(
      '− reserved CPUs = 2-15,17-31,34-47,49-63 (it has 0-1,16,32-33,48 too)',
    );
  });

  it('warning: a gauge that disagrees with the model', () => {
    const found = findingsOf(
      d13,
      nodeFixture(DB).setMetric('kubelet_cpu_manager_exclusive_cpu_allocation_count', {}, 6).build(),
    );
    expect(found.map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'cpu', expected: 8, observed: 6 },
    ]);
    expect(found[0]?.message).toBe(
      'kubelet_cpu_manager_exclusive_cpu_allocation_count is 6 but the model gives 8 for the pods on the node',
    );
  });

  it('count mode: the CPUs of the checkpoint are counted against capacity cpu', () => {
    const clean = nodeFixture(DB).dropObservationPart('topology').build();
    expect(findingsOf(d13, clean)).toEqual([]);
    const found = findingsOf(
      d13,
      nodeFixture(DB).dropObservationPart('topology').defaultCpuSet('0,5-32,37-62').build(),
    );
    expect(found.filter((f) => f.severity === 'error').map(brief)).toEqual([
      { severity: 'error', pod: null, container: null, resource: 'cpu', expected: 64, observed: 63 },
    ]);
  });
});

describe('D13 gauges in count mode', () => {
  it.each([
    'examples/single-numa-node-rejection.yaml',
    'examples/full-pcpus-only-smt-rejection.yaml',
    'examples/pod-vs-container-scope.yaml',
  ])('%s: not compared with a replay that admitted other pods than the kubelet', (file) => {
    const report = analyze(nodeFixture(file).withoutObservation());
    expect(findings(report, 'D13')).toEqual([]);
    expect(coverageOf(report, 'D13')).toEqual({
      code: 'D13',
      status: 'partial',
      missing: ['checkpoint', 'topology'],
      reason: 'no node observation; no topology: admissions not replayable',
    });
  });

  it('compared when the replay admitted what the kubelet did', () => {
    const report = analyze(
      nodeFixture(DB)
        .withoutObservation()
        .setMetric('kubelet_cpu_manager_exclusive_cpu_allocation_count', {}, 9),
    );
    expect(findings(report, 'D13').map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'cpu', expected: 8, observed: 9 },
    ]);
    expect(coverageOf(report, 'D13')).toMatchObject({ status: 'partial', reason: 'no node observation' });
  });

  it('an exclusive init container: whether its CPUs were reused is not known, the gauges get a range', () => {
    // the kubelet's gauges: 3 exclusive CPUs, 12 shared (the init container's CPU 8 is not reused)
    const facts = nodeFixture(INIT_NOT_REUSED).withoutObservation();
    expect(findings(analyze(facts), 'D13')).toEqual([]);
    // had it been reused: 2 and 13, also possible
    const reused = nodeFixture(INIT_NOT_REUSED)
      .withoutObservation()
      .setMetric('kubelet_cpu_manager_exclusive_cpu_allocation_count', {}, 2)
      .setMetric('kubelet_cpu_manager_shared_pool_size_millicores', {}, 13000);
    expect(findings(analyze(reused), 'D13')).toEqual([]);
    // outside the range: a finding naming it
    const off = nodeFixture(INIT_NOT_REUSED)
      .withoutObservation()
      .setMetric('kubelet_cpu_manager_exclusive_cpu_allocation_count', {}, 4)
      .setMetric('kubelet_cpu_manager_shared_pool_size_millicores', {}, 11000);
    const found = findings(analyze(off), 'D13');
    expect(found.map((f) => [f.expected, f.observed])).toEqual([
      ['12000-13000', 11000],
      ['2-3', 4],
    ]);
    expect(found[1]?.message).toBe(
      'kubelet_cpu_manager_exclusive_cpu_allocation_count is 4 but the model gives 2-3 for the pods on the node (without the CPU topology it is not known whether the next containers reused the exclusive CPUs of init containers)',
    );
  });

  it('with the topology the init container CPUs are known: one value', () => {
    const facts = nodeFixture(INIT_NOT_REUSED).setMetric(
      'kubelet_cpu_manager_exclusive_cpu_allocation_count',
      {},
      2,
    );
    expect(findingsOf(d13, facts.build()).map(brief)).toEqual([
      { severity: 'warning', pod: null, container: null, resource: 'cpu', expected: 3, observed: 2 },
    ]);
  });
});
