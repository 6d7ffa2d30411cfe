// Tests for the CPU manager checkpoint value, its checksums and its JSON form
// (src/model/checkpoint/cpu-checkpoint.ts ↔ pkg/kubelet/cm/cpumanager/state/checkpoint.go).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { CpuSet, parseCpuList } from '../../../../src/model/cpuset.js';
import {
  CPU_CHECKPOINT_V1_CONTAINER,
  CPU_CHECKSUM_VARIANTS,
  cpuCheckpointChecksum,
  cpuCheckpointDataChecksum,
  cpuCheckpointEquals,
  defaultCpuChecksumVariant,
  formatCpuCheckpointData,
  formatCpuCheckpointJson,
  goJsonString,
  legacyCpuCheckpointChecksum,
  type CpuCheckpoint,
  type CpuCheckpointVersion,
} from '../../../../src/model/checkpoint/cpu-checkpoint.js';
import { fnv1a32 } from '../../../../src/model/checkpoint/spew.js';

const fixtures = path.resolve(process.cwd(), '../shared/fixtures/real/checkpoints');

function checkpoint(
  version: CpuCheckpointVersion,
  policyName: string,
  defaultCpuSet: string,
  entries: Record<string, Record<string, string>> = {},
  podEntries: Record<string, string> = {},
): CpuCheckpoint {
  return {
    version,
    policyName,
    defaultCpuSet: parseCpuList(defaultCpuSet),
    entries: new Map(
      Object.entries(entries).map(([pod, inner]) => [
        pod,
        new Map(Object.entries(inner).map(([c, set]) => [c, parseCpuList(set)])),
      ]),
    ),
    podEntries: new Map(Object.entries(podEntries).map(([pod, set]) => [pod, parseCpuList(set)])),
  };
}

function v1(policyName: string, defaultCpuSet: string, entries: Record<string, string>): CpuCheckpoint {
  const inner = Object.fromEntries(
    Object.entries(entries).map(([id, set]) => [id, { [CPU_CHECKPOINT_V1_CONTAINER]: set }]),
  );
  return checkpoint('v1', policyName, defaultCpuSet, inner);
}

describe('cpuCheckpointChecksum', () => {
  it('reproduces the checksums of the strict-cpu-reservation blog pair (v2, no entries)', () => {
    expect(cpuCheckpointChecksum(checkpoint('v2', 'static', '0-63'))).toBe(1058907510);
    expect(cpuCheckpointChecksum(checkpoint('v2', 'static', '2-15,17-31,34-47,49-63'))).toBe(4141502832);
  });

  it('reproduces a kubeman v2 checksum with entries', () => {
    const cp = checkpoint('v2', 'static', '0-1,5-7,12-13,16-19', {
      'edc14415-460d-4885-b77f-906423c72281': { mytestclient: '2-4,14-15', mytestclient2: '8-11,20-23' },
    });
    expect(cpuCheckpointChecksum(cp)).toBe(2887245658);
  });

  // Upstream test data: kubernetes/kubernetes pkg/kubelet/cm/cpumanager/state/state_checkpoint_test.go
  // (a 1.36 development version with V3/V4 support).
  it('reproduces upstream v1 checksums (flat entries, and no entries)', () => {
    expect(cpuCheckpointChecksum(v1('none', '1-3', {}))).toBe(1694838852);
    expect(cpuCheckpointChecksum(v1('static', '7-9', { containerID1: '4-6', containerID2: '1-3' }))).toBe(
      2026311253,
    );
    expect(cpuCheckpointChecksum(v1('none', '1-3', { containerID1: '4-6', containerID2: '1-3' }))).toBe(
      3680390589,
    );
  });

  it('reproduces upstream v3 checksums computed under the unrenamed CPUManagerCheckpointV3', () => {
    const variant = { typeName: 'CPUManagerCheckpointV3', withPodEntries: true } as const;
    const a = checkpoint(
      'v3',
      'static',
      '1-2',
      { pod1: { container1: '5-6', container2: '3-4' } },
      { pod2: '7-9' },
    );
    expect(cpuCheckpointChecksum(a, variant)).toBe(2284712151);
    const b = checkpoint(
      'v3',
      'none',
      '1-3',
      { pod1: { container1: '4-6', container2: '1-3' } },
      { pod2: '7-9' },
    );
    expect(cpuCheckpointChecksum(b, variant)).toBe(751755688);
    // …and the "v2-looking" upstream file whose checksum covers an empty PodEntries field:
    const c = checkpoint('v2', 'static', '7-9', { pod: { container1: '4-6', container2: '1-3' } });
    expect(cpuCheckpointChecksum(c, variant)).toBe(1942532442);
    expect(cpuCheckpointChecksum(c)).not.toBe(1942532442);
  });

  it('gives a different value for every variant', () => {
    const cp = checkpoint('v3', 'static', '0-3', { p: { c: '4-5' } }, { p: '4-7' });
    const values = CPU_CHECKSUM_VARIANTS.map((variant) => cpuCheckpointChecksum(cp, variant));
    expect(new Set(values).size).toBe(CPU_CHECKSUM_VARIANTS.length);
  });

  it('rejects a PodEntries variant for v1', () => {
    expect(() =>
      cpuCheckpointChecksum(v1('none', '0', {}), { typeName: 'CPUManagerCheckpoint', withPodEntries: true }),
    ).toThrow(RangeError);
  });

  it('hashes raw strings and tells nil maps from empty ones (legacyCpuCheckpointChecksum)', () => {
    const variant = defaultCpuChecksumVariant('v2');
    const raw = (
      defaultCpuSet: string,
      map: ReadonlyMap<string, ReadonlyMap<string, string> | null> | null,
    ) =>
      legacyCpuCheckpointChecksum(
        { policyName: 'static', defaultCpuSet, entries: { shape: 'nested', map }, podEntries: null },
        variant,
      );
    expect(raw('0-63', new Map())).toBe(1058907510);
    expect(raw('0-63', null)).not.toBe(1058907510);
    expect(raw('0-31,32-63', new Map())).not.toBe(1058907510);
  });
});

describe('cpuCheckpointDataChecksum', () => {
  it('is FNV-1a 32 over "(string)" + data', () => {
    const data = '{"policyName":"none","defaultCPUSet":"4-6"}';
    expect(cpuCheckpointDataChecksum(data)).toBe(fnv1a32(`(string)${data}`));
    expect(cpuCheckpointDataChecksum(data)).toBe(657950972); // upstream state_checkpoint_test.go
  });
});

describe('goJsonString', () => {
  it('escapes like encoding/json (HTML-safe)', () => {
    expect(goJsonString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goJsonString('<&>')).toBe('"\\u003c\\u0026\\u003e"');
    expect(goJsonString('\n\r\t\b\f\u0001')).toBe('"\\n\\r\\t\\b\\f\\u0001"');
    expect(goJsonString('\u2028\u2029é😀')).toBe('"\\u2028\\u2029é😀"');
    expect(goJsonString('x\ud800')).toBe('"x\\ufffd"');
  });
});

describe('formatCpuCheckpointJson', () => {
  const trimmed = (file: string) => readFileSync(path.join(fixtures, file), 'utf8').trimEnd();

  it('writes the eks on-disk checkpoint byte for byte', () => {
    const cp = checkpoint('v2', 'static', '0,2-95,97-191', {
      'b8292fdc-57b1-4bc4-937b-34cd3dd1bcb8': { 'ubuntu-netutils': '1' },
      '823ca0b5-ed9e-421a-bfca-76fa078f3195': { 'ubuntu-netutils': '96' },
    });
    expect(formatCpuCheckpointJson(cp)).toBe(trimmed('eks-outposts-1.30-cpu_manager_state.raw.json'));
  });

  it('omits empty entries (blog pair, kubeman case5)', () => {
    expect(formatCpuCheckpointJson(checkpoint('v2', 'static', '0-63'))).toBe(
      trimmed('k8s-blog-strict-cpu-reservation-off.cpu_manager_state.json'),
    );
    expect(formatCpuCheckpointJson(checkpoint('v2', 'static', '0-23'))).toBe(
      trimmed('kubeman-tstbed-1-containerscope-case5.cpu_manager_state.json'),
    );
  });

  it('writes v1 with flat entries', () => {
    expect(formatCpuCheckpointJson(v1('static', '7-9', { containerID2: '1-3', containerID1: '4-6' }))).toBe(
      '{"policyName":"static","defaultCpuSet":"7-9","entries":{"containerID1":"4-6","containerID2":"1-3"},"checksum":2026311253}',
    );
  });

  it('writes v3 with podEntries before the checksum, and {} for an empty pod pool', () => {
    const cp = checkpoint('v3', 'static', '0-1', { p: { c: '2-3' } }, { p: '2-5', q: '' });
    const json = formatCpuCheckpointJson(cp);
    expect(json).toBe(
      `{"policyName":"static","defaultCpuSet":"0-1","entries":{"p":{"c":"2-3"}},"podEntries":{"p":{"cpuSet":"2-5"},"q":{}},"checksum":${cpuCheckpointChecksum(cp)}}`,
    );
    expect(cpuCheckpointChecksum(cp)).toBe(
      cpuCheckpointChecksum(cp, { typeName: 'CPUManagerCheckpoint', withPodEntries: true }),
    );
  });

  it('writes v4: legacy fields with checksum 0, data, dataChecksum', () => {
    const cp = checkpoint('v4', 'static', '0-1', { p: { c: '2-3' } }, { p: '2-5' });
    const data = formatCpuCheckpointData(cp);
    expect(data).toBe(
      '{"policyName":"static","defaultCpuSet":"0-1","entries":{"p":{"c":"2-3"}},"podEntries":{"p":{"cpuSet":"2-5"}}}',
    );
    const parsed = JSON.parse(formatCpuCheckpointJson(cp)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'policyName',
      'defaultCpuSet',
      'entries',
      'podEntries',
      'checksum',
      'data',
      'dataChecksum',
    ]);
    expect(parsed.checksum).toBe(0);
    expect(parsed.data).toBe(data);
    expect(parsed.dataChecksum).toBe(cpuCheckpointDataChecksum(data));
  });

  it('refuses targets that cannot hold the checkpoint', () => {
    expect(() => formatCpuCheckpointJson(v1('none', '0', {}), 'v2')).toThrow(RangeError);
    expect(() => formatCpuCheckpointJson(checkpoint('v2', 'none', '0'), 'v1')).toThrow(RangeError);
    expect(() => formatCpuCheckpointJson(checkpoint('v3', 'static', '0', {}, { p: '1' }), 'v2')).toThrow(
      RangeError,
    );
    const bad: CpuCheckpoint = {
      ...v1('none', '0', {}),
      entries: new Map([['id', new Map([['name', CpuSet.of(1)]])]]),
    };
    expect(() => formatCpuCheckpointJson(bad)).toThrow(RangeError);
  });
});

describe('cpuCheckpointEquals', () => {
  it('compares content and, unless told otherwise, the version', () => {
    const a = checkpoint('v2', 'static', '0-3', { p: { c: '4' } });
    expect(cpuCheckpointEquals(a, checkpoint('v2', 'static', '0-3', { p: { c: '4' } }))).toBe(true);
    expect(cpuCheckpointEquals(a, checkpoint('v3', 'static', '0-3', { p: { c: '4' } }))).toBe(false);
    expect(
      cpuCheckpointEquals(a, checkpoint('v3', 'static', '0-3', { p: { c: '4' } }), { ignoreVersion: true }),
    ).toBe(true);
    expect(cpuCheckpointEquals(a, checkpoint('v2', 'static', '0-3', { p: { c: '5' } }))).toBe(false);
    expect(cpuCheckpointEquals(a, checkpoint('v2', 'static', '0-3', { p: { c: '4' } }, { p: '4' }))).toBe(
      false,
    );
  });
});
