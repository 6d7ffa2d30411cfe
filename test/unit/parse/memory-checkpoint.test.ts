// Tests for parseMemoryCheckpoint (src/parse/memory-checkpoint.ts): every real memory_manager_state
// fixture, the checksums of the real file and of upstream test vectors reproduced exactly, corrupted
// twins, and round trips through the kubelet's JSON in v1, v2 and v3.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { InputError } from '../../../src/errors.js';
import {
  formatMemoryCheckpointData,
  formatMemoryCheckpointJson,
  legacyMemoryCheckpointChecksum,
  memoryCheckpointChecksum,
  memoryCheckpointDataChecksum,
  memoryCheckpointEquals,
  renderLegacyMemoryCheckpoint,
  toLegacyMemoryCheckpointFields,
  type MemoryCheckpoint,
} from '../../../src/model/checkpoint/memory-checkpoint.js';
import type { MachineState, MemoryBlock, MemoryTable } from '../../../src/model/memory/state.js';
import { parseMemoryCheckpoint } from '../../../src/parse/memory-checkpoint.js';

const fixtures = path.resolve(process.cwd(), '../shared/fixtures/real/checkpoints');
const read = (file: string): string => readFileSync(path.join(fixtures, file), 'utf8');

const NONE = 'gengwg-node0010-none-policy.memory_manager_state.json';
const TRUNCATED = 'gengwg-static-policy.memory_manager_state.truncated.txt';
const LEGACY = { typeName: 'MemoryManagerCheckpoint', withPodEntries: false } as const;
const WITH_PODS = { typeName: 'MemoryManagerCheckpoint', withPodEntries: true } as const;

/** The InputError a parse throws (fails the test when it does not throw one). */
function inputError(text: string, source = 'memory_manager_state'): InputError {
  try {
    parseMemoryCheckpoint(text, source);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

const table = (total: bigint, systemReserved: bigint, reserved: bigint, hugepages = 0n): MemoryTable => {
  const allocatable = total - systemReserved - hugepages;
  return { total, systemReserved, allocatable, reserved, free: allocatable - reserved };
};

/** Machine state as plain data (bigints as strings), for assertions. */
function machineOf(m: MachineState): unknown {
  return Object.fromEntries(
    [...m].map(([node, s]) => [
      node,
      {
        numberOfAssignments: s.numberOfAssignments,
        cells: s.cells,
        memoryMap: Object.fromEntries(
          [...s.memoryMap].map(([type, t]) => [
            type,
            [t.total, t.systemReserved, t.allocatable, t.reserved, t.free].map(String),
          ]),
        ),
      },
    ]),
  );
}

describe('every real memory_manager_state fixture', () => {
  const files = readdirSync(fixtures).filter((f) => f.includes('memory_manager_state'));

  it('covers the fixtures this test knows', () => {
    expect(files.sort()).toEqual([NONE, TRUNCATED]);
  });

  describe(`${NONE} (policy None, written by a ≤1.35 kubelet)`, () => {
    it('parses as v1 with an empty machine state and verifies the real checksum 4236770233', () => {
      const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(read(NONE), NONE);
      expect(warnings).toEqual([]);
      expect(checkpoint.version).toBe('v1');
      expect(checkpoint.policyName).toBe('None');
      expect(checkpoint.machineState.size).toBe(0);
      expect(checkpoint.entries.size).toBe(0);
      expect(checkpoint.podEntries.size).toBe(0);
      expect(checksum).toEqual({
        field: 'checksum',
        file: 4236770233n,
        status: 'verified',
        computed: 4236770233,
        variant: LEGACY,
      });
      // and the model alone computes it from the parsed value:
      expect(memoryCheckpointChecksum(checkpoint)).toBe(4236770233);
    });

    it('is reproduced exactly by the writer (compact, as the kubelet writes it)', () => {
      const { checkpoint } = parseMemoryCheckpoint(read(NONE), NONE);
      expect(formatMemoryCheckpointJson(checkpoint)).toBe(JSON.stringify(JSON.parse(read(NONE))));
      expect(formatMemoryCheckpointJson(checkpoint)).toBe(
        '{"policyName":"None","machineState":{},"checksum":4236770233}',
      );
    });
  });

  describe(`${TRUNCATED} (Static, cut off by its author at "....." after NUMA node 0)`, () => {
    it('is an InputError naming the file and the position of the cut, not a crash', () => {
      const e = inputError(read(TRUNCATED), TRUNCATED);
      expect(e.message).toBe(`${TRUNCATED}: line 33 column 1: unexpected character '.', expected a key`);
      expect(e.oneLine()).not.toContain('\n');
    });

    it('cut at the end of node 0 it is an InputError "unexpected end of input" with the truncation hint', () => {
      const text = read(TRUNCATED).replace(/\.+\s*$/, '');
      const e = inputError(text, TRUNCATED);
      expect(e.message).toBe(`${TRUNCATED}: line 33 column 1: unexpected end of input, expected a key`);
      expect(e.hint).toBe('the file looks truncated');
    });

    it('closed after node 0 it is the real node: 15 assignments, 540 GB memory, empty hugepages maps', () => {
      const text = read(TRUNCATED).replace(/,\s*\.+\s*$/, '\n  }\n}\n');
      const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(text, TRUNCATED);
      expect(warnings).toEqual([]);
      expect(checksum.status).toBe('unverified'); // no checksum field: 0, as Go reads it
      expect(checkpoint.version).toBe('v1');
      expect(checkpoint.policyName).toBe('Static');
      expect(machineOf(checkpoint.machineState)).toEqual({
        0: {
          numberOfAssignments: 15,
          cells: [0],
          memoryMap: {
            'hugepages-1Gi': ['0', '0', '0', '0', '0'],
            'hugepages-2Mi': ['0', '0', '0', '0', '0'],
            memory: ['540065116160', '17284726784', '522780389376', '479743991808', '43036397568'],
          },
        },
      });
      // the accounting invariants hold in the real data
      const memory = checkpoint.machineState.get(0)?.memoryMap.get('memory');
      expect(memory).toEqual(table(540065116160n, 17284726784n, 479743991808n));
    });
  });

  it('a cpu_manager_state is rejected with a pointer to what it is', () => {
    const e = inputError(
      read('kubeman-tstbed-1-podscope-case2.cpu_manager_state.json'),
      'kubeman-tstbed-1-podscope-case2.cpu_manager_state.json',
    );
    expect(e.message).toBe(
      'kubeman-tstbed-1-podscope-case2.cpu_manager_state.json machineState: missing field',
    );
    expect(e.hint).toBe('this looks like a cpu_manager_state file');
  });

  it('the hand-annotated cpu checkpoint is a syntax error with its position', () => {
    const file = 'gengwg-node0010-256cpu-96cpu-pod.cpu_manager_state.annotated.txt';
    const e = inputError(read(file), file);
    expect(e.message).toBe(`${file}: line 6 column 37: unexpected character '#', expected ',' or '}'`);
    expect(e.hint).toBe('JSON has no comments; the kubelet cannot read this file either');
  });
});

// Upstream test data (kubernetes/kubernetes pkg/kubelet/cm/memorymanager/state/state_checkpoint_test.go,
// the 1.37 development version with V3): files the kubelet restores, and the data strings its
// json.Marshal produced.
describe('upstream checkpoint test vectors', () => {
  const machine =
    '"machineState":{"0":{"numberOfAssignments":0,"memoryMap":{"memory":{"total":2048,"systemReserved":512,"allocatable":1536,"reserved":512,"free":1024}},"cells":[]}}';
  const entries = '"entries":{"pod":{"container1":[{"numaAffinity":[0],"type":"memory","size":512}]}}';
  const podEntries =
    '"podEntries":{"pod":{"memoryBlocks":[{"numaAffinity":[0],"type":"memory","size":512}]}}';
  const v1 = `{"policyName":"static",${machine},${entries},"checksum":4215593881}`;
  const v2 = `{"policyName":"static",${machine},${entries},${podEntries},"checksum":1278640530}`;
  const data = `{"policyName":"static",${machine},${entries}}`;
  const dataWithPods = `{"policyName":"static",${machine},${entries},${podEntries}}`;
  // the top-level copy is "intentionally corrupted" upstream, to prove 1.37 uses only data
  const corruptTop =
    '"policyName":"other","machineState":{"0":{"numberOfAssignments":5,"memoryMap":{"memory":{"total":1024,"systemReserved":256,"allocatable":768,"reserved":256,"free":512}},"cells":[]}},"entries":{"pod":{"containerX":[{"numaAffinity":[0],"type":"memory","size":128}]}},"checksum":1234';

  it('v1 (migration): checksum 4215593881, the ≤1.35 variant', () => {
    const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(v1, 'upstream');
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe('v1');
    expect(checksum).toMatchObject({ status: 'verified', computed: 4215593881, variant: LEGACY });
    expect(checkpoint.entries.get('pod')?.get('container1')).toEqual([
      { numaAffinity: [0], type: 'memory', size: 512n },
    ]);
  });

  it('v2 with pod entries: checksum 1278640530, the variant the v2 reader accepts', () => {
    const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(v2, 'upstream');
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe('v2');
    expect(checksum).toMatchObject({ status: 'verified', computed: 1278640530, variant: WITH_PODS });
    expect(checkpoint.podEntries.get('pod')).toEqual([{ numaAffinity: [0], type: 'memory', size: 512n }]);
  });

  it('the writer reproduces both files byte for byte (modulo the test’s whitespace)', () => {
    const parsedV1 = parseMemoryCheckpoint(v1, 'upstream').checkpoint;
    const parsedV2 = parseMemoryCheckpoint(v2, 'upstream').checkpoint;
    expect(formatMemoryCheckpointJson(parsedV1)).toBe(v1);
    expect(formatMemoryCheckpointJson(parsedV2)).toBe(v2);
  });

  it('the writer reproduces the data strings json.Marshal produced, and their dataChecksums', () => {
    const cp = parseMemoryCheckpoint(v2, 'upstream').checkpoint;
    expect(formatMemoryCheckpointData(cp)).toBe(dataWithPods);
    expect(formatMemoryCheckpointData({ ...cp, podEntries: new Map() })).toBe(data);
    expect(memoryCheckpointDataChecksum(data)).toBe(1849615440);
    expect(memoryCheckpointDataChecksum(dataWithPods)).toBe(637296054);
  });

  it.each([
    ['without pod entries', data, 1849615440, 0],
    ['with pod entries', dataWithPods, 637296054, 1],
  ])(
    'v3 %s: reads data, verifies dataChecksum, warns about the corrupted top-level copy',
    (_n, d, sum, pods) => {
      const text = `{${corruptTop},"data":${JSON.stringify(d)},"dataChecksum":${sum}}`;
      const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(text, 'f');
      expect(checkpoint.version).toBe('v3');
      expect(checkpoint.policyName).toBe('static');
      expect(checkpoint.podEntries.size).toBe(pods);
      expect(checksum).toEqual({
        field: 'dataChecksum',
        file: BigInt(sum),
        status: 'verified',
        computed: sum,
      });
      const computedTop = legacyMemoryCheckpointChecksum(
        {
          policyName: 'other',
          machineState: new Map([
            [
              0,
              {
                numberOfAssignments: 5,
                memoryMap: new Map([['memory', table(1024n, 256n, 256n)]]),
                cells: [],
              },
            ],
          ]),
          entries: new Map([
            ['pod', new Map([['containerX', [{ numaAffinity: [0], type: 'memory', size: 128n }]]])],
          ]),
          podEntries: new Map(),
        },
        LEGACY,
      );
      expect(warnings).toEqual([
        `f: the top-level checksum does not verify (file 1234, computed ${computedTop}); kubelets before 1.37 reject the file`,
        'f: the top-level fields differ from data; kubelet 1.37 uses data, older kubelets the top-level fields',
      ]);
    },
  );

  it('v3 with an unknown field in data (dataChecksum 2100279793)', () => {
    const withUnknown = `{"unknownField":"value",${data.slice(1)}`;
    const text = `{"data":${JSON.stringify(withUnknown)},"dataChecksum":2100279793}`;
    const { checksum, warnings, checkpoint } = parseMemoryCheckpoint(text, 'f');
    expect(warnings).toEqual([]);
    expect(checksum.status).toBe('verified');
    expect(checkpoint.entries.get('pod')?.get('container1')?.[0]?.size).toBe(512n);
  });

  it('v3 failures the kubelet reports as corrupt: missing data, bad data JSON, bad dataChecksum', () => {
    expect(
      inputError(`{"policyName":"static",${machine},"checksum":4215593881,"dataChecksum":1234}`, 'f').message,
    ).toBe('f data: missing field');
    expect(inputError(`{"data":"{","dataChecksum":1234}`, 'f').message).toBe(
      "f data: line 1 column 2: unexpected end of input, expected a key or '}'",
    );
    const { warnings, checksum } = parseMemoryCheckpoint(
      `{"data":${JSON.stringify(data)},"dataChecksum":1234}`,
      'f',
    );
    expect(checksum.status).toBe('mismatch');
    expect(warnings).toEqual(['f: data checksum mismatch (file 1234, computed 1849615440)']);
    // no dataChecksum at all: 0, which does not verify
    expect(parseMemoryCheckpoint(`{"data":${JSON.stringify(data)}}`, 'f').checksum.status).toBe('mismatch');
  });

  it('v1 with checksum 0 is accepted unverified; a v1 with a wrong checksum is a mismatch warning', () => {
    const zero = parseMemoryCheckpoint(v1.replace('4215593881', '0'), 'f');
    expect(zero.warnings).toEqual([]);
    expect(zero.checksum.status).toBe('unverified');
    const bad = parseMemoryCheckpoint(v1.replace('4215593881', '101010'), 'f');
    expect(bad.warnings).toEqual(['f: checksum mismatch (file 101010, computed 4215593881)']);
    expect(bad.checksum.status).toBe('mismatch');
  });

  it('v2 with checksum 0: only the v1 reader accepts it, dropping the pod entries', () => {
    const { warnings, checkpoint } = parseMemoryCheckpoint(v2.replace('1278640530', '0'), 'f');
    expect(checkpoint.version).toBe('v2');
    expect(warnings).toEqual([
      'f: checksum 0 is accepted only by the v1 reader; a kubelet reads this file as v1 and drops its 1 podEntries',
    ]);
  });

  it('v2 whose checksum covers only the v1 fields: verified, with a warning that pod entries are dropped', () => {
    const text = v2.replace('1278640530', '4215593881');
    const { warnings, checksum } = parseMemoryCheckpoint(text, 'f');
    expect(checksum).toMatchObject({ status: 'verified', variant: LEGACY });
    expect(warnings).toEqual([
      'f: the checksum does not cover podEntries; a kubelet reads this file as v1 and drops its 1 podEntries',
    ]);
  });

  it('a v1-shaped file written by a 1.36 kubelet with the gate on (empty PodEntries hashed) is v2', () => {
    const cp = parseMemoryCheckpoint(v1, 'f').checkpoint;
    const text = formatMemoryCheckpointJson(cp, 'v2');
    expect(text).not.toContain('podEntries');
    const { checkpoint, checksum, warnings } = parseMemoryCheckpoint(text, 'f');
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe('v2');
    expect(checksum.variant).toEqual(WITH_PODS);
  });

  it('the MemoryManagerCheckpointV1 type-name variant (1.36 pre-release v1 writer) verifies with a warning', () => {
    const cp = parseMemoryCheckpoint(v1, 'f').checkpoint;
    const variant = { typeName: 'MemoryManagerCheckpointV1', withPodEntries: false } as const;
    const sum = memoryCheckpointChecksum(cp, variant);
    expect(sum).not.toBe(4215593881);
    const { checksum, warnings } = parseMemoryCheckpoint(v1.replace('4215593881', String(sum)), 'f');
    expect(checksum).toMatchObject({ status: 'verified', variant });
    expect(warnings).toEqual([
      'f: the checksum is over the type name MemoryManagerCheckpointV1 (a 1.36 pre-release writer); only kubelet 1.36 with PodLevelResourceManagers off accepts it',
    ]);
  });
});

describe('nil versus empty, as the checksum sees it', () => {
  it('JSON null for cells, blocks, maps hashes as <nil>; [] and {} as empty', () => {
    const text =
      '{"policyName":"Static","machineState":{"0":{"numberOfAssignments":1,"memoryMap":null,"cells":null}},' +
      '"entries":{"p":{"a":null,"b":[]},"q":null},"podEntries":null,"checksum":0}';
    const { checkpoint, checksum } = parseMemoryCheckpoint(text, 'f');
    // empty in the domain …
    expect(checkpoint.machineState.get(0)).toEqual({
      numberOfAssignments: 1,
      memoryMap: new Map(),
      cells: [],
    });
    expect(checkpoint.entries.get('p')).toEqual(
      new Map([
        ['a', []],
        ['b', []],
      ]),
    );
    expect(checkpoint.entries.get('q')).toEqual(new Map());
    // … but the checksum of the file is over the nils
    const sum = checksum.computed;
    const again = parseMemoryCheckpoint(text.replace('"checksum":0', `"checksum":${sum}`), 'f');
    expect(again.checksum.status).toBe('verified');
    expect(sum).not.toBe(memoryCheckpointChecksum(checkpoint));
  });

  it('renders the nils the way spew does', () => {
    const text = renderLegacyMemoryCheckpoint(
      {
        policyName: 'Static',
        machineState: new Map([[0, { numberOfAssignments: 1, memoryMap: null, cells: null }]]),
        entries: new Map([['p', new Map([['a', null]])]]),
        podEntries: null,
      },
      WITH_PODS,
    );
    expect(text).toBe(
      '(*state.MemoryManagerCheckpoint){PolicyName:(string)Static MachineState:(state.NUMANodeMap)map[0:<*>{' +
        'NumberOfAssignments:(int)1 MemoryMap:(map[v1.ResourceName]*state.MemoryTable)<nil> Cells:([]int)<nil>}] ' +
        'Entries:(state.ContainerMemoryAssignments)map[p:map[a:<nil>]] PodEntries:(state.PodMemoryAssignments)<nil> ' +
        'Checksum:(checksum.Checksum)0}',
    );
  });
});

describe('corrupted twins of the real fixtures', () => {
  const closed = read(TRUNCATED).replace(/,\s*\.+\s*$/, '\n  }\n}\n');

  it(`${NONE}: a flipped checksum digit is a warning naming the file, not an error`, () => {
    const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(
      read(NONE).replace('4236770233', '4236770234'),
      NONE,
    );
    expect(warnings).toEqual([`${NONE}: checksum mismatch (file 4236770234, computed 4236770233)`]);
    expect(checksum.status).toBe('mismatch');
    expect(checkpoint.policyName).toBe('None');
  });

  it(`${NONE}: with CRLF line endings it is the same file; annotated with a comment it is a syntax error`, () => {
    const crlf = parseMemoryCheckpoint(read(NONE).replace(/\n/g, '\r\n'), NONE);
    expect(crlf.warnings).toEqual([]);
    expect(crlf.checksum.status).toBe('verified');
    const annotated = read(NONE).replace('"machineState": {},', '"machineState": {},   # policy None: empty');
    const e = inputError(annotated, NONE);
    expect(e.message).toBe(`${NONE}: line 3 column 25: unexpected character '#', expected a key`);
    expect(e.hint).toBe('JSON has no comments; the kubelet cannot read this file either');
  });

  it(`${NONE}: cut in half it is an InputError at the end of input`, () => {
    const text = read(NONE);
    const e = inputError(text.slice(0, Math.floor(text.length / 2)), NONE);
    expect(e.message).toMatch(
      new RegExp(`^${NONE.replace(/\./g, '\\.')}: line 3 column \\d+: unexpected end of input`),
    );
    expect(e.hint).toBe('the file looks truncated');
  });

  it.each([
    [
      '"numberOfAssignments": 15',
      '"numberOfAssignments": "15"',
      'machineState.0.numberOfAssignments: expected an integer, got a string (line 5 column 30)',
    ],
    [
      '"numberOfAssignments": 15',
      '"numberOfAssignments": 1.5',
      'machineState.0.numberOfAssignments: expected an integer, got 1.5 (line 5 column 30)',
    ],
    [
      '"total": 540065116160',
      '"total": -540065116160',
      'machineState.0.memoryMap.memory.total: expected an unsigned 64-bit integer, got -540065116160 (line 22 column 20)',
    ],
    [
      '"free": 43036397568',
      '"free": 4.3e10',
      'machineState.0.memoryMap.memory.free: expected an unsigned 64-bit integer, got 4.3e10 (line 26 column 19)',
    ],
    [
      '"cells": [',
      '"cells": ["0",',
      'machineState.0.cells.0: expected an integer, got a string (line 29 column 17)',
    ],
    ['"0": {', '"zero": {', 'machineState.zero: NUMA node id "zero" is not an integer (line 4 column 13)'],
    [
      '"memoryMap": {',
      '"memoryMap": "none", "was": {',
      'machineState.0.memoryMap: expected an object of resource name → memory table, got a string (line 6 column 20)',
    ],
    [
      '"policyName": "Static"',
      '"policyName": null',
      'policyName: expected a string, got null (line 2 column 17)',
    ],
  ])('%s → %s is an InputError with the JSON path', (from, to, why) => {
    const text = closed.replace(from, to);
    expect(inputError(text, TRUNCATED).message).toBe(`${TRUNCATED} ${why}`);
  });

  it('a null NUMA node or memory table is an InputError (the kubelet would dereference nil)', () => {
    expect(inputError('{"policyName":"Static","machineState":{"0":null},"checksum":0}').message).toBe(
      'memory_manager_state machineState.0: null NUMA node state (line 1 column 44)',
    );
    expect(
      inputError('{"policyName":"Static","machineState":{"0":{"memoryMap":{"memory":null}}}}').message,
    ).toBe('memory_manager_state machineState.0.memoryMap.memory: null memory table (line 1 column 67)');
  });

  it('wrong types in entries and podEntries name the path', () => {
    const base = '{"policyName":"Static","machineState":{},';
    expect(inputError(`${base}"entries":{"p":{"c":{"size":1}}}}`).message).toBe(
      'memory_manager_state entries.p.c: expected an array of memory blocks, got an object (line 1 column 62)',
    );
    expect(inputError(`${base}"entries":{"p":{"c":[{"size":"1Gi"}]}}}`).message).toBe(
      'memory_manager_state entries.p.c.0.size: expected an unsigned 64-bit integer, got a string (line 1 column 71)',
    );
    expect(inputError(`${base}"entries":{"p":{"c":[{"numaAffinity":[0.5]}]}}}`).message).toBe(
      'memory_manager_state entries.p.c.0.numaAffinity.0: expected an integer, got 0.5 (line 1 column 80)',
    );
    expect(inputError(`${base}"podEntries":{"p":[]}}`).message).toBe(
      'memory_manager_state podEntries.p: expected an object {"memoryBlocks": [block]}, got an array (line 1 column 60)',
    );
    expect(inputError(`${base}"checksum":"1"}`).message).toBe(
      'memory_manager_state checksum: expected an unsigned 64-bit integer, got a string (line 1 column 53)',
    );
  });

  it('reads field names like encoding/json: case-insensitively, the last duplicate wins, unknown fields ignored', () => {
    const { checkpoint } = parseMemoryCheckpoint(
      '{"PolicyName":"a","policyname":"Static","MachineState":{"1":{"NumberOfAssignments":2,"Cells":[1],"extra":1}}}',
      's',
    );
    expect(checkpoint.policyName).toBe('Static');
    expect(checkpoint.machineState.get(1)).toMatchObject({ numberOfAssignments: 2, cells: [1] });
  });
});

// ----- round trips -----------------------------------------------------------------------------

const GI = 1024n ** 3n;
const block = (nodes: number[], type: string, size: bigint): MemoryBlock => ({
  numaAffinity: nodes,
  type,
  size,
});

/** A §9.2-shaped Static state: 2 NUMA nodes with 1Gi hugepages, a cross-NUMA group, a pod-level pod. */
function sampleCheckpoint(): MemoryCheckpoint {
  const node = (
    id: number,
    reservedMemory: bigint,
    reservedHuge: bigint,
    assignments: number,
    cells: number[],
  ) => ({
    numberOfAssignments: assignments,
    cells,
    memoryMap: new Map([
      ['hugepages-1Gi', table(4n * GI, 0n, reservedHuge)],
      ['memory', table(64n * GI, id === 0 ? GI : 0n, reservedMemory, 4n * GI)],
    ]),
  });
  return {
    version: 'v2',
    policyName: 'Static',
    machineState: new Map([
      [0, node(0, 20n * GI, 2n * GI, 4, [0, 1])],
      [1, node(1, 8n * GI, 0n, 2, [0, 1])],
    ]),
    entries: new Map([
      [
        'uid-db',
        new Map([
          ['db', [block([0, 1], 'memory', 24n * GI), block([0, 1], 'hugepages-1Gi', 2n * GI)]],
          ['sidecar', []],
        ]),
      ],
      ['uid-web', new Map([['web', [block([0], 'memory', 4n * GI)]]])],
    ]),
    podEntries: new Map([
      ['uid-db', [block([0, 1], 'memory', 24n * GI), block([0, 1], 'hugepages-1Gi', 2n * GI)]],
    ]),
  };
}

describe('round trip through the kubelet JSON', () => {
  it.each(['v1', 'v2', 'v3'] as const)(
    '%s: format → parse gives the same checkpoint, checksums verified',
    (version) => {
      const cp = version === 'v1' ? { ...sampleCheckpoint(), podEntries: new Map() } : sampleCheckpoint();
      const text = formatMemoryCheckpointJson(cp, version);
      const { checkpoint, warnings, checksum } = parseMemoryCheckpoint(text, 'round-trip');
      expect(warnings).toEqual([]);
      expect(checksum.status).toBe('verified');
      expect(checkpoint.version).toBe(version);
      expect(memoryCheckpointEquals(checkpoint, cp, { ignoreVersion: true })).toBe(true);
      expect(formatMemoryCheckpointJson(checkpoint, version)).toBe(text);
    },
  );

  it('the §9.2 v2 example verifies with the variant the v2 reader accepts (MemoryManagerCheckpoint + PodEntries)', () => {
    const cp = sampleCheckpoint();
    const text = formatMemoryCheckpointJson(cp, 'v2');
    const { checksum } = parseMemoryCheckpoint(text, 'f');
    expect(checksum.variant).toEqual(WITH_PODS);
    const rendering = renderLegacyMemoryCheckpoint(toLegacyMemoryCheckpointFields(cp), WITH_PODS);
    expect(rendering).toMatch(
      /^\(\*state\.MemoryManagerCheckpoint\)\{PolicyName:\(string\)Static MachineState:\(state\.NUMANodeMap\)map\[0:<\*>\{NumberOfAssignments:\(int\)4 MemoryMap:\(map\[v1\.ResourceName\]\*state\.MemoryTable\)map\[hugepages-1Gi:<\*>\{TotalMemSize:\(uint64\)4294967296 /,
    );
    expect(rendering).toContain(
      ' Entries:(state.ContainerMemoryAssignments)map[uid-db:map[db:[{NUMAAffinity:([]int)[0 1] Type:(v1.ResourceName)memory Size:(uint64)25769803776} {NUMAAffinity:([]int)[0 1] Type:(v1.ResourceName)hugepages-1Gi Size:(uint64)2147483648}] sidecar:[]] uid-web:',
    );
    expect(rendering).toContain(
      ' PodEntries:(state.PodMemoryAssignments)map[uid-db:{MemoryBlocks:([]state.Block)[{NUMAAffinity:([]int)[0 1] ',
    );
    expect(rendering.endsWith('}]}] Checksum:(checksum.Checksum)0}')).toBe(true);
    expect(text).toContain(
      `"checksum":${legacyMemoryCheckpointChecksum(toLegacyMemoryCheckpointFields(cp), WITH_PODS)}}`,
    );
  });
});
