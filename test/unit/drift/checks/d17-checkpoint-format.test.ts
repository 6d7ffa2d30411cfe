// D17: checkpoint formats and checksums (cli.md §7.2, model §9).

import { d17 } from '../../../../src/drift/checks/d17-checkpoint-format.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { brief, coverageOf, findingsOf } from './check-harness.js';

const DB = 'examples/tightly-coupled-database.yaml';
const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';

describe('D17 checkpoint format drift', () => {
  it('is clean with the formats each version writes', () => {
    expect(findingsOf(d17, nodeFixture(DB_MEMORY).build())).toEqual([]);
    expect(findingsOf(d17, nodeFixture(DB_MEMORY).kubeletVersion('1.37').build())).toEqual([]);
    expect(findingsOf(d17, nodeFixture('examples/ml-workload.yaml').build())).toEqual([]);
  });

  it('warning: a checksum the content does not reproduce, per file', () => {
    const cpu = findingsOf(d17, nodeFixture(DB_MEMORY).corruptChecksum('cpu').build());
    expect(cpu.map((f) => [f.severity, f.resource])).toEqual([['warning', 'cpu']]);
    expect(cpu[0]?.message).toMatch(
      /^cpu_manager_state checksum is \d+ but its content gives \d+; the kubelet refuses the file on restart$/,
    );
    expect(cpu[0]?.observed).not.toBe(cpu[0]?.expected);
    const memory = findingsOf(
      d17,
      nodeFixture(DB_MEMORY).kubeletVersion('1.37').corruptChecksum('memory').build(),
    );
    expect(memory.map((f) => [f.severity, f.resource])).toEqual([['warning', 'memory']]);
    expect(memory[0]?.message).toContain('memory_manager_state dataChecksum is');
  });

  it('error: the 1.37 formats on a 1.36 kubelet', () => {
    const found = findingsOf(
      d17,
      nodeFixture(DB_MEMORY).checkpointFormat({ cpu: 'v4', memory: 'v3' }).build(),
    );
    expect(found.map(brief)).toEqual([
      {
        severity: 'error',
        pod: null,
        container: null,
        resource: 'cpu',
        expected: 'a format before V4',
        observed: 'V4',
      },
      {
        severity: 'error',
        pod: null,
        container: null,
        resource: 'memory',
        expected: 'a format before V3',
        observed: 'V3',
      },
    ]);
    expect(found[0]?.message).toBe(
      'cpu_manager_state is V4, which only kubelet 1.37 writes, but the node runs kubelet v1.36.2',
    );
  });

  it('error: pod entries although /configz has PodLevelResourceManagers off', () => {
    const facts = nodeFixture(DB_MEMORY)
      .configz({ featureGates: { PodLevelResourceManagers: false } })
      .build();
    const found = findingsOf(d17, facts);
    expect(found.map((f) => [f.severity, f.resource, f.observed])).toEqual([
      ['error', 'cpu', 'PodLevelResourceManagers=false'],
      ['error', 'memory', 'PodLevelResourceManagers=false'],
    ]);
    expect(found[0]?.message).toBe(
      'cpu_manager_state has pod entries for 1 pod but PodLevelResourceManagers is off in /configz; a kubelet with this configuration does not write it',
    );
  });

  it('needs no model: still checks the checksum when /configz is forbidden', () => {
    const facts = nodeFixture(DB).corruptChecksum('cpu').dropSource('configz', 'forbidden').build();
    expect(coverageOf(d17, facts).status).toBe('checked');
    expect(findingsOf(d17, facts).map((f) => f.severity)).toEqual(['warning']);
  });
});
