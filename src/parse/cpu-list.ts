// CPU id list readers for machine descriptions: Linux lists with lscpu's stride form ("0-62:2") and
// the hexadecimal cpumask words of sysfs cpumap files ("00000000,003f0000,0000003f").

import { CpuSet } from '../model/cpuset.js';

const MAX_RANGE = 1 << 20;

/**
 * Parses a Linux CPU list that may use strides as lscpu prints them ("0-62:2" = 0,2,…,62) and
 * the kernel's bitmap_parselist accepts; plain lists ("0-3,8", "") parse as with parseCpuList.
 * Throws RangeError naming the offending element; callers wrap it into an InputError.
 */
export function parseCpuListWithStrides(text: string): CpuSet {
  const s = text.trim();
  if (s === '') return CpuSet.empty;
  const ids: number[] = [];
  for (const raw of s.split(',')) {
    const part = raw.trim();
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (m === null) throw new RangeError(`invalid cpu list element "${part}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    const stride = m[3] === undefined ? 1 : Number(m[3]);
    if (end < start) throw new RangeError(`invalid cpu range "${part}": end before start`);
    if (stride < 1) throw new RangeError(`invalid cpu range "${part}": stride must be at least 1`);
    if (end - start > MAX_RANGE) throw new RangeError(`cpu range "${part}" too large`);
    for (let id = start; id <= end; id += stride) ids.push(id);
  }
  return CpuSet.from(ids);
}

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
