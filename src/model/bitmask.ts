// NUMA affinity masks (pkg/kubelet/cm/topologymanager/bitmask/bitmask.go). A mask is a set of
// NUMA node ids held as an integer bitfield; bit n = node n. Masks cover up to 30 NUMA nodes
// (the kubelet's default max-allowable-numa-nodes is 8).

export type NumaMask = number;

export const MAX_MASK_NODES = 30;

export function maskOf(nodes: Iterable<number>): NumaMask {
  let m = 0;
  for (const n of nodes) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_MASK_NODES) throw new RangeError(`invalid NUMA node ${n}`);
    m |= 1 << n;
  }
  return m;
}

export function maskNodes(mask: NumaMask): number[] {
  const out: number[] = [];
  for (let n = 0; n <= MAX_MASK_NODES; n++) if ((mask & (1 << n)) !== 0) out.push(n);
  return out;
}

export function maskCount(mask: NumaMask): number {
  let c = 0;
  let m = mask;
  while (m !== 0) {
    m &= m - 1;
    c++;
  }
  return c;
}

export function maskAnd(a: NumaMask, b: NumaMask): NumaMask {
  return a & b;
}

export function maskIsSubsetOf(a: NumaMask, b: NumaMask): boolean {
  return (a & ~b) === 0;
}

/** `IsNarrowerThan`: fewer nodes, or as many with a lower numeric value. */
export function isNarrowerThan(a: NumaMask, b: NumaMask): boolean {
  const ca = maskCount(a);
  const cb = maskCount(b);
  return ca === cb ? a < b : ca < cb;
}

/**
 * Every non-empty subset of `nodes`, by increasing size and, within one size, in lexicographic
 * order of the sorted node list ({0},{1},…,{0,1},{0,2},…), as bitmask.IterateBitMasks does.
 */
export function iterateMasks(nodes: readonly number[]): NumaMask[] {
  const sorted = [...nodes].sort((a, b) => a - b);
  maskOf(sorted); // validates every node id once
  // One depth-first walk visits every combination once, in lexicographic order of its sorted
  // node list; bucketed by size, that is the lexicographic order within each size. The
  // combination is carried as its mask (bit n = node n), so no node list is built per mask.
  const bySize: NumaMask[][] = sorted.map(() => []);
  const rec = (start: number, size: number, mask: NumaMask): void => {
    for (let i = start; i < sorted.length; i++) {
      const next = mask | (1 << (sorted[i] as number));
      (bySize[size] as NumaMask[]).push(next);
      rec(i + 1, size + 1, next);
    }
  };
  rec(0, 0, 0);
  const out: NumaMask[] = [];
  for (const masks of bySize) for (const m of masks) out.push(m);
  return out;
}
