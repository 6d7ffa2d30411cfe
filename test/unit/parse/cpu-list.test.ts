// Tests the sysfs cpumask reader on masks taken from the real fixtures.
import { parseCpuMask } from '../../../src/parse/cpu-list.js';

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
