// The hexadecimal cpumask words of sysfs cpumap files ("00000000,003f0000,0000003f"). Lists with
// lscpu's stride form ("0-62:2") are read by parseCpuListWithStrides in model/cpuset.ts.

import { CpuSet } from '../model/cpuset.js';

/**
 * Parses a sysfs cpumask (cpumap, shared_cpu_map): comma-separated 32-bit hex words, most
 * significant word first. Throws RangeError on anything else.
 */
export function parseCpuMask(text: string): CpuSet {
  const s = text.trim();
  if (s === '') return CpuSet.empty;
  const words = s.split(',');
  const ids: number[] = [];
  words.forEach((word, i) => {
    if (!/^[0-9a-fA-F]{1,8}$/.test(word)) throw new RangeError(`invalid cpu mask word "${word}"`);
    const value = Number.parseInt(word, 16);
    const base = (words.length - 1 - i) * 32;
    for (let bit = 0; bit < 32; bit++) {
      if (Math.floor(value / 2 ** bit) % 2 === 1) ids.push(base + bit);
    }
  });
  return CpuSet.from(ids);
}
