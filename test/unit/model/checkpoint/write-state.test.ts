// Tests for the checkpoint writers from model state (src/model/checkpoint/write-state.ts): which
// versions a kubelet writes, and model state → kubelet JSON → reader → the same state, per version.
import { cpuCheckpointEquals } from '../../../../src/model/checkpoint/cpu-checkpoint.js';
import { memoryCheckpointEquals } from '../../../../src/model/checkpoint/memory-checkpoint.js';
import {
  checkpointFilesFromState,
  checkpointVersionsFor,
  cpuCheckpointFromState,
  memoryCheckpointFromState,
} from '../../../../src/model/checkpoint/write-state.js';
import {
  initialCpuState,
  withCpuEntry,
  withPodEntry,
  type CpuState,
} from '../../../../src/model/cpu/state.js';
import { parseCpuList } from '../../../../src/model/cpuset.js';
import {
  emptyMemoryState,
  withMemoryBlocks,
  type MachineState,
  type MemoryState,
} from '../../../../src/model/memory/state.js';
import { parseCpuCheckpoint } from '../../../../src/parse/cpu-checkpoint.js';
import { parseMemoryCheckpoint } from '../../../../src/parse/memory-checkpoint.js';

const GI = 1024n ** 3n;

describe('checkpointVersionsFor (state_checkpoint.go storeState)', () => {
  it.each([
    ['1.36', false, { cpu: 'v2', memory: 'v1' }],
    ['1.36', true, { cpu: 'v3', memory: 'v2' }],
    ['1.37', false, { cpu: 'v4', memory: 'v3' }],
    ['1.37', true, { cpu: 'v4', memory: 'v3' }],
  ] as const)('kubelet %s, PLRM %s → %j', (kubelet, plrm, expected) => {
    expect(checkpointVersionsFor(kubelet, plrm)).toEqual(expected);
  });
});

// ----- CPU ---------------------------------------------------------------------------------------

function cpuState(withPods: boolean): CpuState {
  let s = initialCpuState(parseCpuList('0-1,8-15'));
  s = withCpuEntry(s, 'uid-db', 'db', parseCpuList('2-5'));
  s = withCpuEntry(s, 'uid-web', 'web', parseCpuList('6-7'));
  // a pod whose last container was removed by hand (the kubelet's state drops such pods)
  s = { ...s, entries: s.entries.set('uid-gone', new Map()) };
  if (withPods) s = withPodEntry(s, 'uid-db', parseCpuList('2-7'));
  return s;
}

describe('cpuCheckpointFromState', () => {
  it('copies the pools and leaves out pods without containers', () => {
    const cp = cpuCheckpointFromState(cpuState(true), 'static');
    expect(cp.version).toBe('v3');
    expect(cp.policyName).toBe('static');
    expect([...cp.entries.keys()]).toEqual(['uid-db', 'uid-web']);
    expect(cp.podEntries.get('uid-db')?.toArray()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(cpuCheckpointFromState(cpuState(false), 'static').version).toBe('v2');
  });

  it.each([
    ['1.36', false, false],
    ['1.36', true, false],
    ['1.36', true, true],
    ['1.37', false, false],
    ['1.37', true, true],
  ] as const)(
    'kubelet %s PLRM %s (pod entries %s): state → JSON → parse is the same state',
    (kubelet, plrm, pods) => {
      const versions = checkpointVersionsFor(kubelet, plrm);
      const files = checkpointFilesFromState(cpuState(pods), undefined, {
        kubeletVersion: kubelet,
        plrmEnabled: plrm,
        cpuPolicyName: 'static',
        memoryPolicyName: 'Static',
      });
      expect(files.memory_manager_state).toBeUndefined();
      const { checkpoint, warnings, checksum } = parseCpuCheckpoint(
        files.cpu_manager_state,
        'cpu_manager_state',
      );
      expect(warnings).toEqual([]);
      expect(checksum.status).toBe('verified');
      expect(checkpoint.version).toBe(versions.cpu);
      const expected = cpuCheckpointFromState(cpuState(pods), 'static', versions.cpu);
      expect(cpuCheckpointEquals(checkpoint, expected)).toBe(true);
      expect(files.cpu_manager_state).not.toContain('uid-gone');
    },
  );

  it('1.36 with the gate on and no pod-level pods still writes v3: the checksum covers the empty PodEntries', () => {
    const text = checkpointFilesFromState(cpuState(false), undefined, {
      kubeletVersion: '1.36',
      plrmEnabled: true,
      cpuPolicyName: 'static',
      memoryPolicyName: 'Static',
    }).cpu_manager_state;
    expect(text).not.toContain('podEntries');
    const { checksum } = parseCpuCheckpoint(text, 'f');
    expect(checksum.variant).toEqual({ typeName: 'CPUManagerCheckpoint', withPodEntries: true });
  });
});

// ----- memory ------------------------------------------------------------------------------------

function memoryState(withPods: boolean): MemoryState {
  const machine: MachineState = new Map(
    [0, 1].map((id) => {
      const total = 64n * GI;
      const reserved = id === 0 ? 12n * GI : 8n * GI;
      const hugeReserved = id === 0 ? 2n * GI : 0n;
      return [
        id,
        {
          numberOfAssignments: id === 0 ? 4 : 2,
          cells: [0, 1],
          memoryMap: new Map([
            [
              'memory',
              {
                total,
                systemReserved: GI,
                allocatable: total - 5n * GI,
                reserved,
                free: total - 5n * GI - reserved,
              },
            ],
            [
              'hugepages-1Gi',
              {
                total: 4n * GI,
                systemReserved: 0n,
                allocatable: 4n * GI,
                reserved: hugeReserved,
                free: 4n * GI - hugeReserved,
              },
            ],
          ]),
        },
      ];
    }),
  );
  let s = emptyMemoryState(machine);
  s = withMemoryBlocks(s, 'uid-db', 'db', [
    { numaAffinity: [0, 1], type: 'memory', size: 20n * GI },
    { numaAffinity: [0, 1], type: 'hugepages-1Gi', size: 2n * GI },
  ]);
  s = withMemoryBlocks(s, 'uid-db', 'sidecar', []); // an entry without blocks (quirk Q1)
  s = { ...s, entries: s.entries.set('uid-gone', new Map()) };
  if (withPods) {
    s = {
      ...s,
      podEntries: s.podEntries.set('uid-db', [
        { numaAffinity: [0, 1], type: 'memory', size: 20n * GI },
        { numaAffinity: [0, 1], type: 'hugepages-1Gi', size: 2n * GI },
      ]),
    };
  }
  return s;
}

describe('memoryCheckpointFromState', () => {
  it('copies the machine state and blocks, keeps empty block lists, leaves out pods without containers', () => {
    const cp = memoryCheckpointFromState(memoryState(true), 'Static');
    expect(cp.version).toBe('v2');
    expect(cp.policyName).toBe('Static');
    expect([...cp.entries.keys()]).toEqual(['uid-db']);
    expect(cp.entries.get('uid-db')?.get('sidecar')).toEqual([]);
    expect(cp.podEntries.get('uid-db')).toHaveLength(2);
    expect(cp.machineState.get(1)?.memoryMap.get('memory')?.reserved).toBe(8n * GI);
    expect(memoryCheckpointFromState(memoryState(false), 'Static').version).toBe('v1');
  });

  it.each([
    ['1.36', false, false],
    ['1.36', true, false],
    ['1.36', true, true],
    ['1.37', false, false],
    ['1.37', true, true],
  ] as const)(
    'kubelet %s PLRM %s (pod entries %s): state → JSON → parse is the same state',
    (kubelet, plrm, pods) => {
      const versions = checkpointVersionsFor(kubelet, plrm);
      const files = checkpointFilesFromState(cpuState(pods), memoryState(pods), {
        kubeletVersion: kubelet,
        plrmEnabled: plrm,
        cpuPolicyName: 'static',
        memoryPolicyName: 'Static',
      });
      const text = files.memory_manager_state ?? '';
      const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(text, 'memory_manager_state');
      expect(warnings).toEqual([]);
      expect(checksum.status).toBe('verified');
      expect(checkpoint.version).toBe(versions.memory);
      const expected = memoryCheckpointFromState(memoryState(pods), 'Static', versions.memory);
      expect(memoryCheckpointEquals(checkpoint, expected)).toBe(true);
      expect(text).toContain('"sidecar":[]');
      expect(text).not.toContain('uid-gone');
    },
  );

  it('1.36 with the gate on and no pod-level pods still writes v2: the checksum covers the empty PodEntries', () => {
    const text =
      checkpointFilesFromState(cpuState(false), memoryState(false), {
        kubeletVersion: '1.36',
        plrmEnabled: true,
        cpuPolicyName: 'static',
        memoryPolicyName: 'Static',
      }).memory_manager_state ?? '';
    expect(text).not.toContain('podEntries');
    const { checkpoint, checksum } = parseMemoryCheckpoint(text, 'f');
    expect(checkpoint.version).toBe('v2');
    expect(checksum.variant).toEqual({ typeName: 'MemoryManagerCheckpoint', withPodEntries: true });
  });

  it('1.36 with the gate off writes v1 with the checksum every kubelet accepts', () => {
    const text =
      checkpointFilesFromState(cpuState(false), memoryState(false), {
        kubeletVersion: '1.36',
        plrmEnabled: false,
        cpuPolicyName: 'static',
        memoryPolicyName: 'Static',
      }).memory_manager_state ?? '';
    expect(parseMemoryCheckpoint(text, 'f').checksum.variant).toEqual({
      typeName: 'MemoryManagerCheckpoint',
      withPodEntries: false,
    });
  });
});
