// CpuSet: immutable set operations and the canonical Linux list format.

import { CpuSet, formatCpuList, parseCpuList, parseCpuListWithStrides } from '../../../src/model/cpuset.js';

describe('CpuSet', () => {
  it.each([
    ['', ''],
    ['0', '0'],
    ['0-3,8', '0-3,8'],
    ['3,1,2,0', '0-3'],
    ['1,32,33', '1,32-33'],
    ['0-1', '0-1'],
    [' 5 , 7-9 ', '5,7-9'],
    ['2,2,2', '2'],
  ])('parses %j and formats it canonically as %j', (text, canonical) => {
    const set = parseCpuList(text);
    expect(formatCpuList(set)).toBe(canonical);
    expect(parseCpuList(set.toString()).equals(set)).toBe(true);
  });

  it.each(['a', '1-', '-1', '3-1', '1,,2', '0-7:2'])('rejects %j', (text) => {
    expect(() => parseCpuList(text)).toThrow(RangeError);
  });

  it('set operations return new sets and leave their operands unchanged', () => {
    const a = parseCpuList('0-7');
    const b = parseCpuList('4-11');
    expect(a.union(b).toString()).toBe('0-11');
    expect(a.intersection(b).toString()).toBe('4-7');
    expect(a.difference(b).toString()).toBe('0-3');
    expect(b.difference(a).toString()).toBe('8-11');
    expect(a.toString()).toBe('0-7');
    expect(b.toString()).toBe('4-11');
    expect(parseCpuList('4-5').isSubsetOf(a)).toBe(true);
    expect(a.intersects(parseCpuList('9'))).toBe(false);
    expect(a.has(7) && !a.has(8)).toBe(true);
    expect(CpuSet.of(3, 1).size).toBe(2);
  });

  it('rejects negative and fractional ids', () => {
    expect(() => CpuSet.of(-1)).toThrow(RangeError);
    expect(() => CpuSet.of(1.5)).toThrow(RangeError);
  });
});

// lscpu's stride form, on lists taken from the real fixtures
describe('parseCpuListWithStrides', () => {
  it.each([
    // utillinux-intel-xeon-x7550-4s.lscpu.txt "NUMA nodeN CPU(s):" lines
    ['0-62:2', '0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58,60,62'],
    ['1-61:4', '1,5,9,13,17,21,25,29,33,37,41,45,49,53,57,61'],
    ['3-63:4', '3,7,11,15,19,23,27,31,35,39,43,47,51,55,59,63'],
    // plain lists as in sysfs (cadvisor-amd-epyc-7402 online, ghw Ryzen L3 shared_cpu_list)
    ['0-23,27-40,42,44,46-47\n', '0-23,27-40,42,44,46-47'],
    ['0-2,6-8', '0-2,6-8'],
    ['', ''],
    ['4-4:3', '4'],
  ])('%j → %s', (text, expected) => {
    expect(parseCpuListWithStrides(text).toString()).toBe(expected);
  });

  it.each([
    ['0-7:0', 'invalid cpu range "0-7:0": stride must be at least 1'],
    ['7-0', 'invalid cpu range "7-0": end before start'],
    ['0-', 'invalid cpu list element "0-"'],
    ['0:2', 'invalid cpu list element "0:2"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseCpuListWithStrides(text)).toThrow(new RangeError(message));
  });
});
