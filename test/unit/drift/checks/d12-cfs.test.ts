import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, coverageOf, example, findings } from './analyze.js';

const db = () => nodeFixture(example('tightly-coupled-database'));

describe('D12: CFS drift', () => {
  it('is an error for an exclusive container with a quota', () => {
    const report = analyze(db().quotaOnExclusive('db/db-0', 'database'));
    expect(findings(report, 'D12')).toEqual([
      expect.objectContaining({
        severity: 'error',
        container: 'database',
        evidence: ['cgroup'],
        expected: 'none',
        observed: 'set 6000m',
        message:
          'database has exclusive CPUs (pod_exclusive) and should run without a CFS quota but has a CFS quota of 6000m',
      }),
    ]);
  });

  it('is a warning for a pod shared container without its quota', () => {
    const report = analyze(db().cfsQuota('db/db-0', 'backup-agent', null));
    expect(findings(report, 'D12')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        container: 'backup-agent',
        expected: 'pod 8000m',
        observed: 'none',
        message: 'backup-agent CFS quota is not set but the model expects pod 8000m',
      }),
    ]);
  });

  it('warns about a pod cgroup quota although a container is exclusive', () => {
    const report = analyze(db().cfsQuota('db/db-0', '', 8000));
    expect(findings(report, 'D12')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        container: null,
        expected: 'none',
        observed: '8000m',
        message: 'the pod cgroup of db/db-0 has CFS quota 8000m but the model expects none',
      }),
    ]);
  });

  it('uses cAdvisor without cgroups and says what is missing', () => {
    const report = analyze(db().quotaOnExclusive('db/db-0', 'database').withoutObservation());
    expect(findings(report, 'D12').map((f) => f.evidence)).toEqual([['cadvisor']]);
    expect(coverageOf(report, 'D12')).toEqual({
      code: 'D12',
      status: 'partial',
      missing: ['cgroup'],
      reason: 'no node observation',
    });
  });

  it('is not checked when cAdvisor is forbidden and there is no observation', () => {
    const report = analyze(db().withoutObservation().dropSource('cadvisor', 'forbidden'));
    expect(coverageOf(report, 'D12')).toEqual({
      code: 'D12',
      status: 'not-checked',
      missing: ['cadvisor', 'cgroup'],
      reason: 'cadvisor: forbidden (403); no node observation',
    });
    expect(report.status).toBe('partial');
  });
});
