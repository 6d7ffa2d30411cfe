// Tests for parseCpuCheckpoint (src/parse/cpu-checkpoint.ts): every real cpu_manager_state fixture,
// its checksum reproduced exactly, corrupted twins, and round trips through the kubelet's JSON.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { InputError } from '../../../src/errors.js';
import { formatCpuList } from '../../../src/model/cpuset.js';
import {
  cpuCheckpointChecksum,
  cpuCheckpointDataChecksum,
  cpuCheckpointEquals,
  formatCpuCheckpointData,
  formatCpuCheckpointJson,
  type CpuCheckpoint,
} from '../../../src/model/checkpoint/cpu-checkpoint.js';
import { parseCpuCheckpoint } from '../../../src/parse/cpu-checkpoint.js';

const fixtures = path.resolve(process.cwd(), '../shared/fixtures/real/checkpoints');
const read = (file: string): string => readFileSync(path.join(fixtures, file), 'utf8');

/** entries as plain data with canonical cpuset strings, for assertions. */
function entriesOf(cp: CpuCheckpoint): Record<string, Record<string, string>> {
  return Object.fromEntries(
    [...cp.entries].map(([pod, inner]) => [
      pod,
      Object.fromEntries([...inner].map(([c, s]) => [c, formatCpuList(s)])),
    ]),
  );
}

/** The InputError a parse throws (fails the test when it does not throw one). */
function inputError(text: string, source = 'cpu_manager_state'): InputError {
  try {
    parseCpuCheckpoint(text, source);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

interface FixtureCase {
  readonly file: string;
  readonly policy: string;
  readonly defaultCpuSet: string;
  readonly entries: Record<string, Record<string, string>>;
  readonly checksum: number;
}

const LEGACY = { typeName: 'CPUManagerCheckpoint', withPodEntries: false } as const;

// Expected content, read off each file by hand; all are v2 and all carry a checksum that must verify.
const FIXTURES: readonly FixtureCase[] = [
  {
    file: 'eks-outposts-1.30-cpu_manager_state.pretty.json',
    policy: 'static',
    defaultCpuSet: '0,2-47,50-95,97-143,145-191',
    entries: {
      '07348c4c-8d90-4303-a162-b6c2040fd184': { 'ubuntu-frr': '48' },
      '2b7f6116-12e4-4453-9e60-d28bc2f9ad09': { 'ubuntu-netutils': '144' },
      '30c78fd5-4bbd-41a8-ad05-655f4b4eeb9b': { 'ubuntu-netutils': '96' },
      '8fafa644-09a4-4342-8ad5-c01b64b75daf': { 'ubuntu-netutils': '49' },
      'a8a42ad9-e6ac-45c3-99ec-a8a623e037d2': { 'ubuntu-netutils': '1' },
    },
    checksum: 1885545006,
  },
  {
    file: 'eks-outposts-1.30-cpu_manager_state.raw.json',
    policy: 'static',
    defaultCpuSet: '0,2-95,97-191',
    entries: {
      '823ca0b5-ed9e-421a-bfca-76fa078f3195': { 'ubuntu-netutils': '96' },
      'b8292fdc-57b1-4bc4-937b-34cd3dd1bcb8': { 'ubuntu-netutils': '1' },
    },
    checksum: 4076905443,
  },
  {
    file: 'gengwg-node0010-256cpu-150cpu-pod-cross-numa.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0,13-63,141-191',
    entries: {
      'b761e594-0b6c-40e7-8dcf-bc45db599c19': { 'gengwg-test': '2-12,64-127,130-140,192-255' },
      'd633f2d8-f174-43b3-8713-0b80d38d9259': { 'node-exporter': '129' },
      'd6a85864-cf3f-45a3-baee-a9b3d5c2c4bc': { driver: '128', registrar: '1' },
    },
    checksum: 636988944,
  },
  {
    file: 'gengwg-node0010-256cpu-burstable-only.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0,2-127,130-255',
    entries: {
      'c049633f-a288-4c3f-a20b-69fa1bba4ca9': { 'node-exporter': '129' },
      'f3209a26-d78e-4a22-81bb-55a8bcabae83': { driver: '128', registrar: '1' },
    },
    checksum: 3270456661,
  },
  {
    file: 'k8s-blog-strict-cpu-reservation-off.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-63',
    entries: {},
    checksum: 1058907510,
  },
  {
    file: 'k8s-blog-strict-cpu-reservation-on.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '2-15,17-31,34-47,49-63',
    entries: {},
    checksum: 4141502832,
  },
  {
    file: 'kubeman-tstbed-1-containerscope-case1.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,5-7,12-13,16-19',
    entries: {
      'edc14415-460d-4885-b77f-906423c72281': { mytestclient: '2-4,14-15', mytestclient2: '8-11,20-23' },
    },
    checksum: 2887245658,
  },
  {
    file: 'kubeman-tstbed-1-containerscope-case2.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,6-13,18-23',
    entries: { '063f2280-ef6d-4937-bf05-fef9df0c8c91': { mytestclient2: '2-5,14-17' } },
    checksum: 83294669,
  },
  {
    file: 'kubeman-tstbed-1-containerscope-case4.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,4-13,16-23',
    entries: { '584e9c4c-9809-4a36-8180-b2dd9e8811b4': { mytestclient2: '2-3,14-15' } },
    checksum: 2084937289,
  },
  {
    file: 'kubeman-tstbed-1-containerscope-case5.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-23',
    entries: {},
    checksum: 1538133146,
  },
  {
    file: 'kubeman-tstbed-1-containerscope-case6.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,4-7,11-13,16-19,22-23',
    entries: {
      '970925e3-c85b-491c-af5a-ab24681d68ef': { mytestclient: '8-10,20-21', mytestclient2: '2-3,14-15' },
    },
    checksum: 1830434018,
  },
  {
    file: 'kubeman-tstbed-1-podscope-case2.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,6-13,18-23',
    entries: {
      '28c11c89-3493-4972-bb67-7090b9d75e0d': { mytestclient: '2-3,14-15', mytestclient2: '4-5,16-17' },
    },
    checksum: 1684933537,
  },
  {
    file: 'kubeman-tstbed-1-podscope-case3.cpu_manager_state.json',
    policy: 'static',
    defaultCpuSet: '0-1,4-13,16-23',
    entries: { '6d33c60b-5e34-4ab3-ab0c-a616627b0a94': { mytestclient2: '2-3,14-15' } },
    checksum: 641473090,
  },
];

const ANNOTATED = 'gengwg-node0010-256cpu-96cpu-pod.cpu_manager_state.annotated.txt';

describe('parseCpuCheckpoint on the real fixtures', () => {
  it('covers every cpu_manager_state fixture', () => {
    const onDisk = readdirSync(fixtures)
      .filter((f) => f.includes('cpu_manager_state'))
      .sort();
    expect(onDisk).toEqual([...FIXTURES.map((c) => c.file), ANNOTATED].sort());
  });

  it.each(FIXTURES)('$file: v2 content, checksum $checksum reproduced', (c) => {
    const { checkpoint, warnings, checksum } = parseCpuCheckpoint(read(c.file), c.file);
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe('v2');
    expect(checkpoint.policyName).toBe(c.policy);
    expect(formatCpuList(checkpoint.defaultCpuSet)).toBe(c.defaultCpuSet);
    expect(entriesOf(checkpoint)).toEqual(c.entries);
    expect(checkpoint.podEntries.size).toBe(0);
    expect(checksum).toEqual({
      field: 'checksum',
      file: BigInt(c.checksum),
      status: 'verified',
      computed: c.checksum,
      variant: LEGACY,
    });
    // and the model alone computes it from the parsed value:
    expect(cpuCheckpointChecksum(checkpoint)).toBe(c.checksum);
  });

  it('gives the same checkpoint for the pretty and raw eks files where they overlap: every pinned CPU is out of defaultCpuSet', () => {
    for (const file of [
      'eks-outposts-1.30-cpu_manager_state.pretty.json',
      'eks-outposts-1.30-cpu_manager_state.raw.json',
    ]) {
      const { checkpoint } = parseCpuCheckpoint(read(file), file);
      for (const inner of checkpoint.entries.values()) {
        for (const set of inner.values()) expect(set.intersects(checkpoint.defaultCpuSet)).toBe(false);
      }
    }
  });

  it('strict-cpu-reservation: the "on" file lacks exactly the reserved CPUs 0,1,16,32,33,48', () => {
    const off = parseCpuCheckpoint(
      read('k8s-blog-strict-cpu-reservation-off.cpu_manager_state.json'),
      'off',
    ).checkpoint;
    const on = parseCpuCheckpoint(
      read('k8s-blog-strict-cpu-reservation-on.cpu_manager_state.json'),
      'on',
    ).checkpoint;
    expect(formatCpuList(off.defaultCpuSet.difference(on.defaultCpuSet))).toBe('0-1,16,32-33,48');
  });

  describe(`${ANNOTATED} (hand-annotated: not JSON)`, () => {
    it('is an InputError naming the file and the position of the comment', () => {
      const e = inputError(read(ANNOTATED), ANNOTATED);
      expect(e.message).toBe(`${ANNOTATED}: line 6 column 37: unexpected character '#', expected ',' or '}'`);
      expect(e.hint).toBe('JSON has no comments; the kubelet cannot read this file either');
      expect(e.oneLine()).not.toContain('\n');
    });

    it('without the author\'s "# <----" marker it is the real v2 checkpoint, checksum 1279870076 reproduced', () => {
      const text = read(ANNOTATED).replace(/ *# <-+$/m, '');
      const { checkpoint, warnings, checksum } = parseCpuCheckpoint(text, ANNOTATED);
      expect(warnings).toEqual([]);
      expect(checksum.status).toBe('verified');
      expect(checksum.file).toBe(1279870076n);
      expect(formatCpuList(checkpoint.defaultCpuSet)).toBe('0,50-127,178-255');
      expect(entriesOf(checkpoint)).toEqual({
        'b200f08b-399a-4079-bfce-e415cb5344b8': { 'gengwg-test': '2-49,130-177' },
        'd633f2d8-f174-43b3-8713-0b80d38d9259': { 'node-exporter': '129' },
        'd6a85864-cf3f-45a3-baee-a9b3d5c2c4bc': { driver: '128', registrar: '1' },
      });
    });
  });

  it('rejects the memory_manager_state fixtures with a pointer to what they are', () => {
    const none = inputError(read('gengwg-node0010-none-policy.memory_manager_state.json'), 'mm.json');
    expect(none.message).toBe('mm.json defaultCpuSet: missing field');
    expect(none.hint).toBe('this looks like a memory_manager_state file');
    const truncated = inputError(read('gengwg-static-policy.memory_manager_state.truncated.txt'), 'mm.txt');
    expect(truncated.message).toBe("mm.txt: line 33 column 1: unexpected character '.', expected a key");
  });
});

describe('corrupted twins of the real fixtures', () => {
  const flipDigit = (text: string, checksum: number): string => {
    const s = String(checksum);
    const last = Number(s.at(-1));
    return text
      .replace(`"checksum": ${s}`, `"checksum": ${s.slice(0, -1)}${(last + 1) % 10}`)
      .replace(`"checksum":${s}`, `"checksum":${s.slice(0, -1)}${(last + 1) % 10}`);
  };

  it.each(FIXTURES)('$file: a flipped checksum digit is a warning, not an error', (c) => {
    const bad = flipDigit(read(c.file), c.checksum);
    const flipped = Number(
      String(c.checksum).slice(0, -1) + String((Number(String(c.checksum).at(-1)) + 1) % 10),
    );
    const { checkpoint, warnings, checksum } = parseCpuCheckpoint(bad, c.file);
    expect(warnings).toEqual([`${c.file}: checksum mismatch (file ${flipped}, computed ${c.checksum})`]);
    expect(checksum.status).toBe('mismatch');
    expect(checkpoint.version).toBe('v2');
    expect(entriesOf(checkpoint)).toEqual(c.entries);
  });

  it.each(FIXTURES)('$file: cut in half it is an InputError at the end of input', (c) => {
    const text = read(c.file);
    const e = inputError(text.slice(0, Math.floor(text.length / 2)), c.file);
    expect(e.message).toMatch(
      new RegExp(`^${c.file.replace(/\./g, '\\.')}: line \\d+ column \\d+: unexpected end of input`),
    );
    expect(e.hint).toBe('the file looks truncated');
  });

  it('a number where a cpuset string belongs is an InputError with the JSON path', () => {
    const file = 'eks-outposts-1.30-cpu_manager_state.pretty.json';
    const e = inputError(read(file).replace('"ubuntu-frr": "48"', '"ubuntu-frr": 48'), file);
    expect(e.message).toBe(
      `${file} entries.07348c4c-8d90-4303-a162-b6c2040fd184.ubuntu-frr: expected a cpuset string, got a number (line 6 column 21)`,
    );
  });

  it('a string where a pod object belongs is an InputError (v1 and v2 shapes mixed)', () => {
    const file = 'kubeman-tstbed-1-containerscope-case1.cpu_manager_state.json';
    const text = read(file).replace('"entries":{', '"entries":{"abc":{"c":"1"},"def":"2",');
    const e = inputError(text, file);
    expect(e.message).toMatch(
      / entries\.def: expected an object of container → cpuset .*, got a string \(line 1 column \d+\)$/,
    );
  });

  it('an invalid cpuset string is an InputError with the path', () => {
    const file = 'kubeman-tstbed-1-podscope-case3.cpu_manager_state.json';
    const e = inputError(read(file).replace('"2-3,14-15"', '"2-3, 14-15"'), file);
    expect(e.message).toMatch(
      /^kubeman\S+ entries\.6d33c60b-5e34-4ab3-ab0c-a616627b0a94\.mytestclient2: invalid cpuset "2-3, 14-15": expected a cpu list such as "0-3,8" \(line 1 column \d+\)$/,
    );
    expect(inputError('{"policyName":"static","defaultCpuSet":"5-1","checksum":0}').message).toBe(
      'cpu_manager_state defaultCpuSet: invalid cpuset "5-1": invalid cpu range "5-1": end before start (line 1 column 40)',
    );
  });

  it('an empty defaultCpuSet with entries is an InputError', () => {
    const e = inputError('{"policyName":"static","defaultCpuSet":"","entries":{"p":{"c":"1"}},"checksum":0}');
    expect(e.message).toBe(
      'cpu_manager_state defaultCpuSet: empty while entries pin cpus for 1 pod(s) (line 1 column 40)',
    );
    expect(e.hint).toContain('default cpuset cannot be empty');
  });
});

describe('JSON syntax and types', () => {
  it.each([
    ['', 'line 1 column 1: unexpected end of input, expected a value'],
    ['[]', 'expected a JSON object, got an array (line 1 column 1)'],
    ['{"policyName":"static",}', "line 1 column 24: unexpected character '}', expected a key"],
    ['{"policyName":"static"} x', "line 1 column 25: unexpected character 'x' after the top-level value"],
    ['\uFEFF{}', 'line 1 column 1: unexpected character U+FEFF, expected a value'],
    ['{"a":"x\ty"}', 'line 1 column 8: invalid control character U+0009 in a string'],
    ['{"a":"\\q"}', "line 1 column 7: invalid escape '\\q' in a string"],
    ['{"a":01}', "line 1 column 7: unexpected character '1', expected ',' or '}'"],
    ['{\n  // note\n}', "line 2 column 3: unexpected character '/', expected a key or '}'"],
  ])('%j → %s', (text, why) => {
    const e = inputError(text);
    expect(e.message).toBe(`cpu_manager_state: ${why}`);
  });

  it.each([
    [
      '{"policyName":1,"defaultCpuSet":"0"}',
      'policyName: expected a string, got a number (line 1 column 15)',
    ],
    ['{"policyName":"s"}', 'defaultCpuSet: missing field'],
    [
      '{"policyName":"s","defaultCpuSet":"0","checksum":-1}',
      'checksum: expected an unsigned 64-bit integer, got -1 (line 1 column 50)',
    ],
    [
      '{"policyName":"s","defaultCpuSet":"0","checksum":1.5}',
      'checksum: expected an unsigned 64-bit integer, got 1.5 (line 1 column 50)',
    ],
    [
      '{"policyName":"s","defaultCpuSet":"0","checksum":18446744073709551616}',
      'checksum: expected an unsigned 64-bit integer, got 18446744073709551616 (line 1 column 50)',
    ],
    [
      '{"policyName":"s","defaultCpuSet":"0","podEntries":{"p":"1"}}',
      'podEntries.p: expected an object {"cpuSet": cpuset}, got a string (line 1 column 57)',
    ],
    [
      '{"policyName":"s","defaultCpuSet":"0","entries":{"a b":{"c":null}}}',
      'entries["a b"].c: expected a cpuset string, got null (line 1 column 61)',
    ],
  ])('%j → %s', (text, why) => {
    expect(inputError(text).message).toBe(`cpu_manager_state ${why}`);
  });

  it('matches field names like encoding/json: exact first, then case-insensitively; the last duplicate wins', () => {
    const { checkpoint } = parseCpuCheckpoint(
      '{"PolicyName":"a","policyname":"b","defaultCPUSet":"1-3","checksum":0}',
      's',
    );
    expect(checkpoint.policyName).toBe('b');
    expect(formatCpuList(checkpoint.defaultCpuSet)).toBe('1-3');
  });
});

// Upstream test data (kubernetes/kubernetes pkg/kubelet/cm/cpumanager/state/state_checkpoint_test.go,
// a 1.36 development version): files the kubelet restores successfully.
describe('upstream checkpoint test vectors', () => {
  it.each([
    [
      'v1, no entries',
      '{"policyName": "none","defaultCPUSet": "1-3","checksum": 1694838852}',
      'v1',
      'CPUManagerCheckpoint',
      false,
    ],
    [
      'v1 (migration)',
      '{"policyName": "static","defaultCPUSet": "7-9","entries": {"containerID1": "4-6","containerID2": "1-3"},"checksum": 2026311253}',
      'v1',
      'CPUManagerCheckpoint',
      false,
    ],
    [
      'v2-shaped, written by a v3 writer (checksum covers an empty PodEntries)',
      '{"policyName": "static","defaultCPUSet": "7-9","entries": {"pod": {"container1": "4-6","container2": "1-3"}},"checksum": 1942532442}',
      'v3',
      'CPUManagerCheckpointV3',
      true,
    ],
    [
      'v3',
      '{"policyName": "static","defaultCPUSet": "1-2","entries": {"pod1": {"container1": "5-6","container2": "3-4"}},"podEntries": {"pod2": {"cpuSet":"7-9"}},"checksum": 2284712151}',
      'v3',
      'CPUManagerCheckpointV3',
      true,
    ],
  ] as const)('%s', (_name, text, version, typeName, withPodEntries) => {
    const { checkpoint, warnings, checksum } = parseCpuCheckpoint(text, 'upstream');
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe(version);
    expect(checksum.status).toBe('verified');
    expect(checksum.variant).toEqual({ typeName, withPodEntries });
  });

  it('v1 entries are keyed by container id with the "" container', () => {
    const { checkpoint } = parseCpuCheckpoint(
      '{"policyName":"static","defaultCpuSet":"7-9","entries":{"containerID1":"4-6"},"checksum":2026311253}',
      'upstream',
    );
    expect(entriesOf(checkpoint)).toEqual({ containerID1: { '': '4-6' } });
  });

  it('v3 pod entries', () => {
    const { checkpoint } = parseCpuCheckpoint(
      '{"policyName":"none","defaultCPUSet":"1-3","entries":{"pod1":{"container1":"4-6","container2":"1-3"}},"podEntries":{"pod2":{"cpuSet":"7-9"}},"checksum":751755688}',
      'upstream',
    );
    expect(formatCpuList(checkpoint.podEntries.get('pod2')!)).toBe('7-9');
  });
});

describe('checksum 0 and podEntries', () => {
  it('accepts 0 on v1/v2 without verifying (old file backend)', () => {
    const { warnings, checksum, checkpoint } = parseCpuCheckpoint(
      '{"policyName":"none","defaultCpuSet":"0-3","checksum":0}',
      's',
    );
    expect(warnings).toEqual([]);
    expect(checksum.status).toBe('unverified');
    expect(checkpoint.version).toBe('v2');
  });

  it('treats a missing checksum as 0, like Go', () => {
    expect(parseCpuCheckpoint('{"policyName":"none","defaultCpuSet":"0-3"}', 's').checksum.status).toBe(
      'unverified',
    );
  });

  it('warns that a kubelet drops podEntries when checksum is 0 or does not cover them', () => {
    const zero = parseCpuCheckpoint(
      '{"policyName":"static","defaultCpuSet":"0-1","entries":{"p":{"c":"2"}},"podEntries":{"p":{"cpuSet":"2-3"}},"checksum":0}',
      's',
    );
    expect(zero.checkpoint.version).toBe('v3');
    expect(zero.warnings).toEqual([
      's: checksum 0 is accepted only by the v1/v2 readers; a kubelet reads this file as v2 and drops its 1 podEntries',
    ]);

    const v2 = formatCpuCheckpointJson(zero.checkpoint, 'v3').replace(/"checksum":\d+/, '"checksum":0');
    const v2Checksum = cpuCheckpointChecksum({ ...zero.checkpoint, version: 'v2', podEntries: new Map() });
    const uncovered = parseCpuCheckpoint(v2.replace('"checksum":0', `"checksum":${v2Checksum}`), 's');
    expect(uncovered.checksum.status).toBe('verified');
    expect(uncovered.warnings).toEqual([
      's: the checksum does not cover podEntries; a kubelet reads this file as v2 and drops its 1 podEntries',
    ]);
  });
});

describe('v4', () => {
  const cp: CpuCheckpoint = parseCpuCheckpoint(
    '{"policyName":"static","defaultCpuSet":"0-1,6-7","entries":{"pod-a":{"app":"2-3"},"pod-b":{"app":"4"}},"podEntries":{"pod-a":{"cpuSet":"2-5"}},"checksum":0}',
    'seed',
  ).checkpoint;
  const v4 = formatCpuCheckpointJson(cp, 'v4');

  it('reads the data payload and verifies dataChecksum', () => {
    const { checkpoint, warnings, checksum } = parseCpuCheckpoint(v4, 'cpu_manager_state');
    expect(warnings).toEqual([]);
    expect(checkpoint.version).toBe('v4');
    expect(cpuCheckpointEquals(checkpoint, cp, { ignoreVersion: true })).toBe(true);
    const data = formatCpuCheckpointData(cp);
    expect(checksum).toEqual({
      field: 'dataChecksum',
      file: BigInt(cpuCheckpointDataChecksum(data)),
      status: 'verified',
      computed: cpuCheckpointDataChecksum(data),
    });
  });

  it('warns on a dataChecksum mismatch', () => {
    const bad = v4.replace(/"dataChecksum":\d+/, '"dataChecksum":1234');
    const { warnings, checksum } = parseCpuCheckpoint(bad, 'f');
    expect(warnings).toEqual([`f: data checksum mismatch (file 1234, computed ${checksum.computed})`]);
  });

  it('warns when the top-level copy differs from data', () => {
    const bad = v4.replace('"defaultCpuSet":"0-1,6-7"', '"defaultCpuSet":"0-1"');
    expect(parseCpuCheckpoint(bad, 'f').warnings).toEqual([
      'f: the top-level fields differ from data; kubelet 1.37 uses data, older kubelets the top-level fields',
    ]);
  });

  it('only warns about an invalid top-level copy (kubelet 1.37 never parses it), but rejects wrong types there', () => {
    const bad = v4.replace('"defaultCpuSet":"0-1,6-7"', '"defaultCpuSet":""');
    expect(parseCpuCheckpoint(bad, 'f').warnings).toEqual([
      'f: the top-level copy that kubelets before 1.37 read is invalid: defaultCpuSet: empty while entries pin cpus for 2 pod(s)',
    ]);
    expect(inputError(v4.replace('"defaultCpuSet":"0-1,6-7"', '"defaultCpuSet":7'), 'f').message).toBe(
      'f defaultCpuSet: expected a cpuset string, got a number (line 1 column 40)',
    );
  });

  it('reports syntax errors inside data with the position in the data string', () => {
    const e = inputError('{"data":"{\\"policyName\\":\\"static\\",","dataChecksum":1}', 'f');
    expect(e.message).toBe('f data: line 1 column 24: unexpected end of input, expected a key');
  });

  it('reports type errors inside data with the path in the payload', () => {
    const e = inputError(
      '{"data":"{\\"policyName\\":\\"s\\",\\"defaultCpuSet\\":\\"0\\",\\"entries\\":{\\"p\\":\\"1\\"}}","dataChecksum":1}',
      'f',
    );
    expect(e.message).toBe(
      'f data: entries.p: expected an object of container → cpuset, got a string (data line 1 column 54)',
    );
  });

  it('needs data when dataChecksum is present', () => {
    expect(inputError('{"dataChecksum":1}', 'f').message).toBe('f data: missing field');
  });
});

describe('round trip through the kubelet JSON', () => {
  const parsed = FIXTURES.map((c) => ({
    file: c.file,
    checkpoint: parseCpuCheckpoint(read(c.file), c.file).checkpoint,
  }));

  it.each(parsed)('$file re-parses equal, checksum verified, in v2, v3 and v4', ({ checkpoint }) => {
    for (const version of ['v2', 'v3', 'v4'] as const) {
      const again = parseCpuCheckpoint(formatCpuCheckpointJson(checkpoint, version), 'round-trip');
      expect(again.warnings).toEqual([]);
      expect(again.checksum.status).toBe('verified');
      expect(again.checkpoint.version).toBe(version);
      expect(cpuCheckpointEquals(again.checkpoint, checkpoint, { ignoreVersion: true })).toBe(true);
    }
  });

  it('the compact fixtures are reproduced byte for byte', () => {
    for (const { file, checkpoint } of parsed) {
      const text = read(file);
      if (text.trimStart().startsWith('{\n')) continue; // pretty-printed by jq
      expect(formatCpuCheckpointJson(checkpoint)).toBe(text.trimEnd());
    }
  });

  it('v1 and v3 round trips', () => {
    for (const text of [
      '{"policyName":"static","defaultCpuSet":"7-9","entries":{"containerID1":"4-6","containerID2":"1-3"},"checksum":2026311253}',
      '{"policyName":"static","defaultCpuSet":"0-1","entries":{"p":{"c":"2-3"}},"podEntries":{"p":{"cpuSet":"2-5"},"q":{}},"checksum":0}',
    ]) {
      const { checkpoint } = parseCpuCheckpoint(text, 's');
      const again = parseCpuCheckpoint(formatCpuCheckpointJson(checkpoint), 's');
      expect(again.checksum.status).toBe('verified');
      expect(cpuCheckpointEquals(again.checkpoint, checkpoint)).toBe(true);
    }
  });
});
