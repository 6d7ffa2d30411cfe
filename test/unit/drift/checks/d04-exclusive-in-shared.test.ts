import { nodeFixture } from '../../../helpers/node-fixture.js';
import { analyze, example, findings } from './analyze.js';

describe('D4: exclusive CPUs in defaultCpuSet or on reserved CPUs', () => {
  it('finds an exclusive CPU that is also in the node shared pool', () => {
    const report = analyze(
      nodeFixture(example('ml-workload')).exclusiveInDefaultCpuSet('ml/ml-0', 'ml-training'),
    );
    expect(findings(report, 'D4')).toEqual([
      expect.objectContaining({
        severity: 'error',
        pod: 'ml-0',
        container: 'ml-training',
        evidence: ['checkpoint'],
        expected: '',
        observed: '1',
        message: 'ml-training CPUs 1,32-33 are also in the node shared pool 0-31,34-63 (at 1)',
      }),
    ]);
  });

  it('finds an exclusive set on a reserved CPU', () => {
    const report = analyze(
      nodeFixture(example('ml-workload')).exclusiveOnReservedCpu('ml/ml-0', 'ml-training'),
    );
    expect(findings(report, 'D4')).toEqual([
      expect.objectContaining({
        container: 'ml-training',
        evidence: ['checkpoint', 'configz'],
        observed: '0',
        message: 'ml-training CPUs 0,32-33 include the reserved CPUs 0 (at 0)',
      }),
    ]);
  });
});
