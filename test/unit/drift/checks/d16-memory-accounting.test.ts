// D16: memory accounting of memory_manager_state (cli.md §7.2, model §6.5, §9.2).

import { d16 } from '../../../../src/drift/checks/d16-memory-accounting.js';
import type { DriftContext, DriftPod } from '../../../../src/drift/context.js';
import type { MemoryBlock } from '../../../../src/model/memory/state.js';
import { nodeFixture } from '../../../helpers/node-fixture.js';
import { brief, contextOf, findingsOf } from './check-harness.js';

const DB_MEMORY = 'examples/tightly-coupled-database-static-memory.yaml';
const GiB = 1n << 30n;

function block(size: bigint): MemoryBlock {
  return { numaAffinity: [0], type: 'memory', size };
}

/** The context with db/db-0's checkpoint evidence edited. */
function withPodEvidence(
  ctx: DriftContext,
  edit: (e: DriftPod['evidence']) => DriftPod['evidence'],
): DriftContext {
  return {
    ...ctx,
    pods: ctx.pods.map((p) => (p.status.name === 'db-0' ? { ...p, evidence: edit(p.evidence) } : p)),
  };
}

describe('D16 memory accounting', () => {
  it.each([
    [DB_MEMORY, 0],
    ['examples/hugepages.yaml', 0],
    ['examples/hugepages.yaml', 1],
    ['examples/cross-numa-memory-group.yaml', 0],
    ['examples/ml-workload-static-memory.yaml', 0],
  ])('%s (scenario %i) is clean as the model leaves it', (file, scenarioIndex) => {
    expect(findingsOf(d16, nodeFixture(file, { scenarioIndex }).build())).toEqual([]);
  });

  it('a machine state whose reserved bytes do not match the blocks', () => {
    const found = findingsOf(d16, nodeFixture(DB_MEMORY).memoryMachineState(0, { reserved: 0n }).build());
    expect(found.map(brief)).toEqual([
      { severity: 'error', pod: null, container: null, resource: 'memory', expected: '16Gi', observed: '0' },
    ]);
    expect(found[0]?.message).toBe(
      'memory_manager_state machineState[0].memoryMap.memory.reserved is 0 but the machine, /configz and the blocks give 16Gi; the kubelet refuses this state on restart',
    );
    expect(found[0]?.evidence).toEqual(['checkpoint', 'configz', 'topology']);
  });

  it('a machine state with another assignment count', () => {
    const found = findingsOf(
      d16,
      nodeFixture(DB_MEMORY).memoryMachineState(0, { numberOfAssignments: 2 }).build(),
    );
    expect(found.map((f) => [f.expected, f.observed])).toEqual([['1', '2']]);
    expect(found[0]?.message).toContain('machineState[0].numberOfAssignments is 2');
  });

  it('totals against the machine and /configz need the topology; count mode checks the bookkeeping only', () => {
    const total = nodeFixture(DB_MEMORY).memoryMachineState(1, { total: 32n * GiB });
    expect(findingsOf(d16, total.build()).map((f) => [f.expected, f.observed])).toEqual([['64Gi', '32Gi']]);
    const countMode = nodeFixture(DB_MEMORY)
      .dropObservationPart('topology')
      .memoryMachineState(1, { total: 32n * GiB });
    expect(findingsOf(d16, countMode.build())).toEqual([]);
    // NUMA 0: 64Gi − 1100Mi reserved = 64436Mi allocatable, − the 16Gi pod block = 48052Mi free
    const free = nodeFixture(DB_MEMORY)
      .dropObservationPart('topology')
      .memoryMachineState(0, { free: 0n })
      .build();
    const found = findingsOf(d16, free);
    expect(found.map((f) => [f.expected, f.observed, f.evidence])).toEqual([
      ['48052Mi', '0', ['checkpoint']],
    ]);
    expect(found[0]?.message).toContain("the file's own totals and blocks give 48052Mi");
  });

  it('a pod block that is not the pod request', () => {
    const ctx = withPodEvidence(contextOf(nodeFixture(DB_MEMORY).build()), (e) => ({
      ...e,
      checkpointPoolMemory: [block(8n * GiB)],
    }));
    const found = findingsOf(d16, ctx);
    expect(found.map(brief)).toEqual([
      {
        severity: 'error',
        pod: 'db/db-0',
        container: null,
        resource: 'memory',
        expected: '16Gi',
        observed: '8Gi',
      },
      {
        severity: 'error',
        pod: 'db/db-0',
        container: null,
        resource: 'memory',
        expected: '<=8Gi',
        observed: '12Gi',
      },
    ]);
  });

  it('a shared container block that is not the pod block less the exclusive blocks', () => {
    const ctx = withPodEvidence(contextOf(nodeFixture(DB_MEMORY).build()), (e) => {
      const entries = new Map(e.checkpointMemoryEntries ?? []);
      entries.set('metrics-exporter', [block(3n * GiB)]);
      return { ...e, checkpointMemoryEntries: entries };
    });
    const found = findingsOf(d16, ctx);
    expect(found.map(brief)).toEqual([
      {
        severity: 'error',
        pod: 'db/db-0',
        container: 'metrics-exporter',
        resource: 'memory',
        expected: '4Gi',
        observed: '3Gi',
      },
    ]);
    expect(found[0]?.message).toBe(
      'db/db-0 metrics-exporter: its shared memory block is 3Gi but the pod block 16Gi less the exclusive blocks 12Gi leaves 4Gi',
    );
  });
});
