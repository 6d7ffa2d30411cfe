// CpuSet: immutable set operations and the canonical Linux list format.

import { CpuSet, formatCpuList, parseCpuList } from '../../../src/model/cpuset.js';

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
