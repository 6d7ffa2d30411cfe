// Tests for the memory manager checkpoint writer (src/model/checkpoint/memory-checkpoint.ts): the
// exact JSON the kubelet writes (field order, omitempty, [] and null, uint64 numbers, Go's map key
// order) and the legacy / data checksums.
import {
  formatMemoryCheckpointData,
  formatMemoryCheckpointJson,
  legacyMemoryCheckpointGoType,
  MEMORY_CHECKSUM_VARIANTS,
  memoryCheckpointChecksum,
  memoryCheckpointDataChecksum,
  memoryCheckpointEquals,
  renderLegacyMemoryCheckpoint,
  toLegacyMemoryCheckpointFields,
  type MemoryCheckpoint,
} from '../../../../src/model/checkpoint/memory-checkpoint.js';
import { goTypeString } from '../../../../src/model/checkpoint/spew.js';
import type { MemoryTable, NumaNodeState } from '../../../../src/model/memory/state.js';

const t = (total: bigint, reserved = 0n): MemoryTable => ({
  total,
  systemReserved: 0n,
  allocatable: total,
  reserved,
  free: total - reserved,
});
const node = (id: number, memory: MemoryTable, assignments = 0): NumaNodeState => ({
  numberOfAssignments: assignments,
  memoryMap: new Map([['memory', memory]]),
  cells: [id],
});

const base: MemoryCheckpoint = {
  version: 'v1',
  policyName: 'Static',
  machineState: new Map([[0, node(0, t(2048n, 512n), 1)]]),
  entries: new Map([['pod', new Map([['c', [{ numaAffinity: [0], type: 'memory', size: 512n }]]])]]),
  podEntries: new Map(),
};

describe('formatMemoryCheckpointJson', () => {
  it('writes v1 in struct order with a fresh checksum', () => {
    expect(formatMemoryCheckpointJson(base)).toBe(
      '{"policyName":"Static","machineState":{"0":{"numberOfAssignments":1,"memoryMap":{"memory":{"total":2048,' +
        '"systemReserved":0,"allocatable":2048,"reserved":512,"free":1536}},"cells":[0]}},' +
        `"entries":{"pod":{"c":[{"numaAffinity":[0],"type":"memory","size":512}]}},"checksum":${memoryCheckpointChecksum(base)}}`,
    );
  });

  it('omits empty entries and podEntries (omitempty) but always writes machineState', () => {
    const empty: MemoryCheckpoint = { ...base, machineState: new Map(), entries: new Map() };
    expect(formatMemoryCheckpointJson(empty, 'v2')).toMatch(
      /^\{"policyName":"Static","machineState":\{\},"checksum":\d+\}$/,
    );
  });

  it('writes an entry without blocks as [] (the kubelet clones block lists into non-nil slices) and an empty affinity as null', () => {
    const cp: MemoryCheckpoint = {
      ...base,
      entries: new Map([
        [
          'pod',
          new Map([
            ['sidecar', []],
            ['x', [{ numaAffinity: [], type: 'memory', size: 1n }]],
          ]),
        ],
      ]),
    };
    expect(formatMemoryCheckpointJson(cp)).toContain(
      '"entries":{"pod":{"sidecar":[],"x":[{"numaAffinity":null,"type":"memory","size":1}]}}',
    );
    expect(
      renderLegacyMemoryCheckpoint(toLegacyMemoryCheckpointFields(cp), MEMORY_CHECKSUM_VARIANTS[0]!),
    ).toContain(
      'map[pod:map[sidecar:[] x:[{NUMAAffinity:([]int)<nil> Type:(v1.ResourceName)memory Size:(uint64)1}]]]',
    );
  });

  it('writes uint64 byte counts exactly, beyond 2^53', () => {
    const huge = 18446744073709551615n;
    const cp: MemoryCheckpoint = { ...base, machineState: new Map([[0, node(0, t(huge, huge - 1n))]]) };
    expect(formatMemoryCheckpointJson(cp)).toContain(
      '{"total":18446744073709551615,"systemReserved":0,"allocatable":18446744073709551615,"reserved":18446744073709551614,"free":1}',
    );
  });

  it('sorts NUMA ids as strings in JSON (encoding/json) but numerically in the checksum rendering (spew)', () => {
    const ids = [0, 1, 2, 10, 11];
    const cp: MemoryCheckpoint = {
      ...base,
      machineState: new Map(ids.map((id) => [id, node(id, t(1n))])),
      entries: new Map(),
    };
    const json = formatMemoryCheckpointJson(cp);
    expect([...json.matchAll(/"(\d+)":\{"numberOfAssignments"/g)].map((m) => m[1])).toEqual([
      '0',
      '1',
      '10',
      '11',
      '2',
    ]);
    const rendering = renderLegacyMemoryCheckpoint(
      toLegacyMemoryCheckpointFields(cp),
      MEMORY_CHECKSUM_VARIANTS[0]!,
    );
    expect([...rendering.matchAll(/[ [](\d+):<\*>\{NumberOfAssignments/g)].map((m) => m[1])).toEqual([
      '0',
      '1',
      '2',
      '10',
      '11',
    ]);
  });

  it('sorts resource names byte-wise', () => {
    const cp: MemoryCheckpoint = {
      ...base,
      machineState: new Map([
        [
          0,
          {
            numberOfAssignments: 0,
            cells: [0],
            memoryMap: new Map([
              ['memory', t(1n)],
              ['hugepages-2Mi', t(2n)],
              ['hugepages-1Gi', t(3n)],
            ]),
          },
        ],
      ]),
    };
    expect(formatMemoryCheckpointJson(cp)).toContain('"memoryMap":{"hugepages-1Gi":{"total":3,');
    expect(formatMemoryCheckpointJson(cp)).toMatch(/"hugepages-2Mi":\{"total":2,.*"memory":\{"total":1,/);
  });

  it('v2 adds podEntries as {"memoryBlocks": [...]} and hashes MemoryManagerCheckpoint with PodEntries', () => {
    const cp: MemoryCheckpoint = {
      ...base,
      version: 'v2',
      podEntries: new Map([['pod', [{ numaAffinity: [0], type: 'memory', size: 512n }]]]),
    };
    const text = formatMemoryCheckpointJson(cp);
    expect(text).toContain(
      ',"podEntries":{"pod":{"memoryBlocks":[{"numaAffinity":[0],"type":"memory","size":512}]}},"checksum":',
    );
    const withPods = { typeName: 'MemoryManagerCheckpoint', withPodEntries: true } as const;
    expect(text.endsWith(`"checksum":${memoryCheckpointChecksum(cp, withPods)}}`)).toBe(true);
    expect(goTypeString(legacyMemoryCheckpointGoType(withPods))).toBe('*state.MemoryManagerCheckpoint');
  });

  it('refuses to write pod entries into v1', () => {
    const cp: MemoryCheckpoint = { ...base, podEntries: new Map([['pod', []]]) };
    expect(() => formatMemoryCheckpointJson(cp, 'v1')).toThrow(RangeError);
  });

  it('v3: the v1 fields with a valid v1 checksum (no pod entries), then data and dataChecksum', () => {
    const cp: MemoryCheckpoint = {
      ...base,
      version: 'v3',
      podEntries: new Map([['pod', [{ numaAffinity: [0], type: 'memory', size: 512n }]]]),
    };
    const text = formatMemoryCheckpointJson(cp);
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual([
      'policyName',
      'machineState',
      'entries',
      'checksum',
      'data',
      'dataChecksum',
    ]);
    const legacy = { typeName: 'MemoryManagerCheckpoint', withPodEntries: false } as const;
    expect(file.checksum).toBe(memoryCheckpointChecksum({ ...cp, podEntries: new Map() }, legacy));
    const data = formatMemoryCheckpointData(cp);
    expect(file.data).toBe(data);
    expect(file.dataChecksum).toBe(memoryCheckpointDataChecksum(data));
    expect(Object.keys(JSON.parse(data) as object)).toEqual([
      'policyName',
      'machineState',
      'entries',
      'podEntries',
    ]);
  });

  it('escapes strings as encoding/json does (HTML-safe)', () => {
    const cp: MemoryCheckpoint = { ...base, policyName: 'a<b>&"c"' };
    expect(formatMemoryCheckpointJson(cp)).toContain('"policyName":"a\\u003cb\\u003e\\u0026\\"c\\""');
  });
});

describe('checksums', () => {
  it('renders and hashes the upstream v1 test state (4215593881) through the model value', () => {
    const cp: MemoryCheckpoint = {
      version: 'v1',
      policyName: 'static',
      machineState: new Map([
        [
          0,
          {
            numberOfAssignments: 0,
            cells: [],
            memoryMap: new Map([
              [
                'memory',
                { ...t(2048n), systemReserved: 512n, allocatable: 1536n, reserved: 512n, free: 1024n },
              ],
            ]),
          },
        ],
      ]),
      entries: new Map([
        ['pod', new Map([['container1', [{ numaAffinity: [0], type: 'memory', size: 512n }]]])],
      ]),
      podEntries: new Map(),
    };
    expect(memoryCheckpointChecksum(cp)).toBe(4215593881);
    expect(
      memoryCheckpointChecksum({
        ...cp,
        version: 'v2',
        podEntries: new Map([['pod', [{ numaAffinity: [0], type: 'memory', size: 512n }]]]),
      }),
    ).toBe(1278640530);
  });

  it('the three variants differ, and the V1 name is only a rename of the type', () => {
    const fields = toLegacyMemoryCheckpointFields(base);
    const texts = MEMORY_CHECKSUM_VARIANTS.map((v) => renderLegacyMemoryCheckpoint(fields, v));
    expect(new Set(texts).size).toBe(3);
    expect(texts[2]).toBe(texts[0]!.replace('MemoryManagerCheckpoint', 'MemoryManagerCheckpointV1'));
  });
});

describe('memoryCheckpointEquals', () => {
  it('compares content and, unless told, the version', () => {
    expect(memoryCheckpointEquals(base, { ...base })).toBe(true);
    expect(memoryCheckpointEquals(base, { ...base, version: 'v3' })).toBe(false);
    expect(memoryCheckpointEquals(base, { ...base, version: 'v3' }, { ignoreVersion: true })).toBe(true);
    expect(
      memoryCheckpointEquals(base, { ...base, machineState: new Map([[0, node(0, t(2048n, 511n), 1)]]) }),
    ).toBe(false);
    expect(
      memoryCheckpointEquals(base, {
        ...base,
        machineState: new Map([[0, { ...node(0, t(2048n, 512n), 1), cells: [0, 1] }]]),
      }),
    ).toBe(false);
    expect(memoryCheckpointEquals(base, { ...base, entries: new Map([['pod', new Map([['c', []]])]]) })).toBe(
      false,
    );
  });
});
