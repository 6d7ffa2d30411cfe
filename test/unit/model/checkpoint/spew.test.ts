// Tests for the go-spew `%#v` renderer and FNV-1a 32 (src/model/checkpoint/spew.ts), against the
// rules of davecgh/go-spew spew/format.go and checksums the kubelet itself wrote.
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { CpuSet, parseCpuList } from '../../../../src/model/cpuset.js';
import {
  compareGoStrings,
  deepHashObject,
  fnv1a32,
  goBasic,
  goMap,
  goPointer,
  goSlice,
  goStruct,
  goTypeString,
  spewSharpV,
  GO_CHECKSUM,
  GO_CPUSET,
  GO_EMPTY_STRUCT,
  GO_INT,
  GO_STRING,
  GO_UINT64,
  type GoValue,
} from '../../../../src/model/checkpoint/spew.js';

const fixtures = path.resolve(process.cwd(), '../shared/fixtures/real/checkpoints');

/** Reference FNV-1a 32 over Node's own UTF-8 encoding. */
function referenceFnv(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

describe('fnv1a32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('matches the published FNV-1a 32 vector for %j', (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });

  it.each([
    'static',
    'é and ü',
    '日本語',
    'emoji 😀 astral',
    'lone \ud800 surrogate',
    'x\u2028y',
    'mixed é😀\udc00z',
  ])('hashes the UTF-8 bytes of %j', (text) => {
    expect(fnv1a32(text)).toBe(referenceFnv(text));
  });
});

describe('goTypeString', () => {
  it('prints Go reflect type names', () => {
    expect(goTypeString(goMap(GO_STRING, goMap(GO_STRING, GO_STRING)))).toBe('map[string]map[string]string');
    expect(goTypeString(goMap(GO_INT, GO_EMPTY_STRUCT))).toBe('map[int]struct {}');
    expect(goTypeString(goSlice(goPointer(goStruct('state.Block', []))))).toBe('[]*state.Block');
    expect(
      goTypeString(
        goStruct(undefined, [
          ['A', GO_INT],
          ['B', GO_STRING],
        ]),
      ),
    ).toBe('struct { A int; B string }');
    expect(goTypeString(GO_CHECKSUM)).toBe('checksum.Checksum');
    expect(goTypeString(GO_CPUSET)).toBe('cpuset.CPUSet');
  });
});

describe('spewSharpV', () => {
  it('prints top-level basics with their type and strings unquoted', () => {
    expect(spewSharpV(GO_STRING, 'static')).toBe('(string)static');
    expect(spewSharpV(GO_STRING, 'with space "q"')).toBe('(string)with space "q"');
    expect(spewSharpV(GO_INT, -3)).toBe('(int)-3');
    expect(spewSharpV(GO_UINT64, 18446744073709551615n)).toBe('(uint64)18446744073709551615');
    expect(spewSharpV(GO_CHECKSUM, 0)).toBe('(checksum.Checksum)0');
    expect(spewSharpV(goBasic('bool'), true)).toBe('(bool)true');
  });

  it('prints zero values for undefined', () => {
    expect(spewSharpV(GO_STRING, undefined)).toBe('(string)');
    expect(spewSharpV(GO_UINT64, undefined)).toBe('(uint64)0');
    expect(
      spewSharpV(
        goStruct('p.T', [
          ['A', GO_INT],
          ['M', goMap(GO_STRING, GO_STRING)],
        ]),
        {},
      ),
    ).toBe('(p.T){A:(int)0 M:(map[string]string)<nil>}');
  });

  it('tells a nil map from an empty one, and drops key/value types inside maps', () => {
    const t = goMap(GO_STRING, goMap(GO_STRING, GO_STRING));
    expect(spewSharpV(t, null)).toBe('(map[string]map[string]string)<nil>');
    expect(spewSharpV(t, new Map())).toBe('(map[string]map[string]string)map[]');
    expect(spewSharpV(t, new Map([['pod', new Map([['c', '1-3']])]]))).toBe(
      '(map[string]map[string]string)map[pod:map[c:1-3]]',
    );
    expect(spewSharpV(t, new Map([['pod', null]]))).toBe('(map[string]map[string]string)map[pod:<nil>]');
  });

  it('sorts string keys byte-wise (UTF-8) and integer keys numerically', () => {
    const strings = new Map<string, GoValue>(['b', 'a', 'B', 'aa', '\ue000', '😀'].map((k) => [k, '']));
    expect(spewSharpV(goMap(GO_STRING, GO_STRING), strings)).toBe(
      '(map[string]string)map[B: a: aa: b: \ue000: 😀:]',
    );
    const ints = new Map<number, GoValue>([10, 2, -1, 0].map((k) => [k, k]));
    expect(spewSharpV(goMap(GO_INT, GO_INT), ints)).toBe('(map[int]int)map[-1:-1 0:0 2:2 10:10]');
    expect(compareGoStrings('\uffff', '😀')).toBeLessThan(0); // UTF-16 order would say the opposite
  });

  it('prints slices: elements without types, nil as <nil>', () => {
    expect(spewSharpV(goSlice(GO_INT), [0, 1])).toBe('([]int)[0 1]');
    expect(spewSharpV(goSlice(GO_INT), [])).toBe('([]int)[]');
    expect(spewSharpV(goSlice(GO_INT), null)).toBe('([]int)<nil>');
    const block = goStruct('state.Block', [['Size', GO_UINT64]]);
    expect(spewSharpV(goSlice(block), [{ Size: 1 }, { Size: 2n }])).toBe(
      '([]state.Block)[{Size:(uint64)1} {Size:(uint64)2}]',
    );
  });

  it('renders cpuset.CPUSet as its internal map, sorted, and the zero CPUSet with a nil map', () => {
    expect(spewSharpV(GO_CPUSET, parseCpuList('2,0-1,10'))).toBe(
      '(cpuset.CPUSet){elems:(map[int]struct {})map[0:{} 1:{} 2:{} 10:{}]}',
    );
    expect(spewSharpV(GO_CPUSET, CpuSet.empty)).toBe('(cpuset.CPUSet){elems:(map[int]struct {})map[]}');
    expect(spewSharpV(GO_CPUSET, undefined)).toBe('(cpuset.CPUSet){elems:(map[int]struct {})<nil>}');
  });

  it('prints a pointer with its type at the top, <*> inside maps, and nil pointers', () => {
    const t = goStruct('state.T', [['N', GO_INT]]);
    expect(spewSharpV(goPointer(t), { N: 1 })).toBe('(*state.T){N:(int)1}');
    expect(spewSharpV(goPointer(t), null)).toBe('(*state.T)<nil>');
    expect(spewSharpV(goMap(GO_INT, goPointer(t)), new Map([[0, { N: 1 }]]))).toBe(
      '(map[int]*state.T)map[0:<*>{N:(int)1}]',
    );
    expect(spewSharpV(goPointer(goPointer(GO_INT)), 7)).toBe('(**int)7');
  });

  it("reproduces spew's type-prefix leak after a nil pointer map value", () => {
    // formatPtr returns on a nil pointer without clearing ignoreNextType, so the next field loses "(string)".
    const t = goStruct('p.S', [
      ['M', goMap(GO_STRING, goPointer(goStruct('p.T', [])))],
      ['S', GO_STRING],
      ['U', GO_STRING],
    ]);
    expect(spewSharpV(t, { M: new Map([['a', null]]), S: 'x', U: 'y' })).toBe(
      '(p.S){M:(map[string]*p.T)map[a:<nil>] S:x U:(string)y}',
    );
  });

  it('rejects values that do not fit the type', () => {
    expect(() => spewSharpV(GO_STRING, 3)).toThrow(TypeError);
    expect(() => spewSharpV(GO_INT, 1.5)).toThrow(TypeError);
    expect(() => spewSharpV(GO_UINT64, -1)).toThrow(RangeError);
    expect(() => spewSharpV(goMap(GO_STRING, GO_STRING), {})).toThrow(TypeError);
    expect(() => spewSharpV(GO_CPUSET, 'x')).toThrow(TypeError);
    const structKeys = new Map([
      ['k1', 1],
      ['k2', 2],
    ]);
    expect(() => spewSharpV(goMap(goStruct('p.K', []), GO_INT), structKeys)).toThrow(RangeError);
  });

  it('is checksum.New: deepHashObject of a string is FNV over "(string)" + text', () => {
    expect(deepHashObject(GO_STRING, '{"a":1}')).toBe(fnv1a32('(string){"a":1}'));
  });
});

// The CPU manager's legacy checksum struct (pkg/kubelet/cm/cpumanager/state/checkpoint.go, V2).
describe('cpu manager checkpoint struct', () => {
  const checkpoint = goPointer(
    goStruct('state.CPUManagerCheckpoint', [
      ['PolicyName', GO_STRING],
      ['DefaultCPUSet', GO_STRING],
      ['Entries', goMap(GO_STRING, goMap(GO_STRING, GO_STRING))],
      ['Checksum', GO_CHECKSUM],
    ]),
  );

  it('renders the §9.1 top-level form and reproduces the kubeman checksum written by a real kubelet', () => {
    const value = {
      PolicyName: 'static',
      DefaultCPUSet: '0-1,6-13,18-23',
      Entries: new Map([
        [
          '28c11c89-3493-4972-bb67-7090b9d75e0d',
          new Map([
            ['mytestclient2', '4-5,16-17'],
            ['mytestclient', '2-3,14-15'],
          ]),
        ],
      ]),
      Checksum: 0,
    };
    const text = spewSharpV(checkpoint, value);
    expect(text).toBe(
      '(*state.CPUManagerCheckpoint){PolicyName:(string)static DefaultCPUSet:(string)0-1,6-13,18-23 ' +
        'Entries:(map[string]map[string]string)map[28c11c89-3493-4972-bb67-7090b9d75e0d:map[mytestclient:2-3,14-15 ' +
        'mytestclient2:4-5,16-17]] Checksum:(checksum.Checksum)0}',
    );
    expect(fnv1a32(text)).toBe(1684933537); // kubeman-tstbed-1-podscope-case2.cpu_manager_state.json
  });
});

// §9.2: the memory manager checkpoint (pkg/kubelet/cm/memorymanager/state/{state,checkpoint}.go),
// rendered by the same renderer: NUMANodeMap of pointers, MemoryTable, Block slices, PodEntries.
describe('memory manager checkpoint struct (§9.2)', () => {
  const resourceName = goBasic('string', 'v1.ResourceName');
  const memoryTable = goStruct('state.MemoryTable', [
    ['TotalMemSize', GO_UINT64],
    ['SystemReserved', GO_UINT64],
    ['Allocatable', GO_UINT64],
    ['Reserved', GO_UINT64],
    ['Free', GO_UINT64],
  ]);
  const numaNodeState = goStruct('state.NUMANodeState', [
    ['NumberOfAssignments', GO_INT],
    ['MemoryMap', goMap(resourceName, goPointer(memoryTable))],
    ['Cells', goSlice(GO_INT)],
  ]);
  const numaNodeMap = goMap(GO_INT, goPointer(numaNodeState), 'state.NUMANodeMap');
  const block = goStruct('state.Block', [
    ['NUMAAffinity', goSlice(GO_INT)],
    ['Type', resourceName],
    ['Size', GO_UINT64],
  ]);
  const containerMemoryAssignments = goMap(
    GO_STRING,
    goMap(GO_STRING, goSlice(block)),
    'state.ContainerMemoryAssignments',
  );
  const podMemoryAssignments = goMap(
    GO_STRING,
    goStruct('state.PodEntry', [['MemoryBlocks', goSlice(block)]]),
    'state.PodMemoryAssignments',
  );
  const memoryCheckpoint = (withPodEntries: boolean) =>
    goPointer(
      goStruct('state.MemoryManagerCheckpoint', [
        ['PolicyName', GO_STRING],
        ['MachineState', numaNodeMap],
        ['Entries', containerMemoryAssignments],
        ...(withPodEntries ? [['PodEntries', podMemoryAssignments] as const] : []),
        ['Checksum', GO_CHECKSUM],
      ]),
    );

  // Upstream test data (kubernetes/kubernetes pkg/kubelet/cm/memorymanager/state/state_checkpoint_test.go,
  // "Restore checkpoint from v1 (migration)" and "… from v2 with PodLevelResourceManagers enabled").
  const table = { TotalMemSize: 2048, SystemReserved: 512, Allocatable: 1536, Reserved: 512, Free: 1024 };
  const blocks = [{ NUMAAffinity: [0], Type: 'memory', Size: 512 }];
  const base = {
    PolicyName: 'static',
    MachineState: new Map([
      [0, { NumberOfAssignments: 0, MemoryMap: new Map([['memory', table]]), Cells: [] }],
    ]),
    Entries: new Map([['pod', new Map([['container1', blocks]])]]),
    Checksum: 0,
  };

  it('renders the §9.2 shape exactly', () => {
    expect(
      spewSharpV(memoryCheckpoint(true), {
        ...base,
        PodEntries: new Map([['pod', { MemoryBlocks: blocks }]]),
      }),
    ).toBe(
      '(*state.MemoryManagerCheckpoint){PolicyName:(string)static MachineState:(state.NUMANodeMap)map[0:<*>{' +
        'NumberOfAssignments:(int)0 MemoryMap:(map[v1.ResourceName]*state.MemoryTable)map[memory:<*>{' +
        'TotalMemSize:(uint64)2048 SystemReserved:(uint64)512 Allocatable:(uint64)1536 Reserved:(uint64)512 ' +
        'Free:(uint64)1024}] Cells:([]int)[]}] Entries:(state.ContainerMemoryAssignments)map[pod:map[container1:[' +
        '{NUMAAffinity:([]int)[0] Type:(v1.ResourceName)memory Size:(uint64)512}]]] ' +
        'PodEntries:(state.PodMemoryAssignments)map[pod:{MemoryBlocks:([]state.Block)[{NUMAAffinity:([]int)[0] ' +
        'Type:(v1.ResourceName)memory Size:(uint64)512}]}] Checksum:(checksum.Checksum)0}',
    );
  });

  it('reproduces the upstream V1 and V2 memory checkpoint checksums', () => {
    expect(deepHashObject(memoryCheckpoint(false), base)).toBe(4215593881);
    expect(
      deepHashObject(memoryCheckpoint(true), {
        ...base,
        PodEntries: new Map([['pod', { MemoryBlocks: blocks }]]),
      }),
    ).toBe(1278640530);
  });

  it('reproduces the checksum of the real None-policy memory_manager_state (gengwg)', () => {
    const file = JSON.parse(
      readFileSync(path.join(fixtures, 'gengwg-node0010-none-policy.memory_manager_state.json'), 'utf8'),
    ) as { policyName: string; checksum: number };
    const value = { PolicyName: file.policyName, MachineState: new Map(), Entries: new Map(), Checksum: 0 };
    expect(deepHashObject(memoryCheckpoint(false), value)).toBe(file.checksum);
  });

  it('renders the NUMA node of the real (truncated) Static memory_manager_state with sorted resource names', () => {
    const zero = { TotalMemSize: 0, SystemReserved: 0, Allocatable: 0, Reserved: 0, Free: 0 };
    const node = {
      NumberOfAssignments: 15,
      MemoryMap: new Map<string, GoValue>([
        [
          'memory',
          {
            TotalMemSize: 540065116160n,
            SystemReserved: 17284726784n,
            Allocatable: 522780389376n,
            Reserved: 479743991808n,
            Free: 43036397568n,
          },
        ],
        ['hugepages-2Mi', zero],
        ['hugepages-1Gi', zero],
      ]),
      Cells: [0],
    };
    expect(spewSharpV(numaNodeMap, new Map([[0, node]]))).toBe(
      '(state.NUMANodeMap)map[0:<*>{NumberOfAssignments:(int)15 MemoryMap:(map[v1.ResourceName]*state.MemoryTable)map[' +
        'hugepages-1Gi:<*>{TotalMemSize:(uint64)0 SystemReserved:(uint64)0 Allocatable:(uint64)0 Reserved:(uint64)0 Free:(uint64)0} ' +
        'hugepages-2Mi:<*>{TotalMemSize:(uint64)0 SystemReserved:(uint64)0 Allocatable:(uint64)0 Reserved:(uint64)0 Free:(uint64)0} ' +
        'memory:<*>{TotalMemSize:(uint64)540065116160 SystemReserved:(uint64)17284726784 Allocatable:(uint64)522780389376 ' +
        'Reserved:(uint64)479743991808 Free:(uint64)43036397568}] Cells:([]int)[0]}]',
    );
  });

  it('hashes the V3 data string as checksum.New(string) (upstream dataChecksum 1849615440)', () => {
    const data =
      '{"policyName":"static","machineState":{"0":{"numberOfAssignments":0,"memoryMap":{"memory":{"total":2048,' +
      '"systemReserved":512,"allocatable":1536,"reserved":512,"free":1024}},"cells":[]}},"entries":{"pod":' +
      '{"container1":[{"numaAffinity":[0],"type":"memory","size":512}]}}}';
    expect(deepHashObject(GO_STRING, data)).toBe(1849615440);
  });
});
