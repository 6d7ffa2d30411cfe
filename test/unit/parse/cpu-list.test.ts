// Tests the CPU list readers on lists and masks taken from the real fixtures.
import { parseCpuListWithStrides, parseCpuMask } from '../../../src/parse/cpu-list.js';

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

describe('parseCpuMask', () => {
  it.each([
    // utillinux-amd-epyc-7451-2s-8numa.sysfs.tar.gz node0 and node7 cpumap
    ['00000000,003f0000,0000003f\n', '0-5,48-53'],
    ['fc000000,0000fc00,00000000', '42-47,90-95'],
    // debugtools-dell-r640 node1 cpumap (odd CPUs 1-103)
    ['aa,aaaaaaaa,aaaaaaaa,aaaaaaaa', Array.from({ length: 52 }, (_, i) => 2 * i + 1).join(',')],
    ['3', '0-1'],
    ['', ''],
  ])('%j → %s', (text, expected) => {
    expect(parseCpuMask(text).toString()).toBe(expected);
  });

  it('rejects a word that is not hexadecimal', () => {
    expect(() => parseCpuMask('00000000,0000000g')).toThrow(
      new RangeError('invalid cpu mask word "0000000g"'),
    );
  });
});
