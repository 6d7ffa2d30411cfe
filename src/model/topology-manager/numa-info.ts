// The machine's NUMA nodes and the two ways of choosing between affinity masks
// (pkg/kubelet/cm/topologymanager/numa_info.go: NUMAInfo, Narrowest, Closest,
// DefaultAffinityMask, NUMADistances.CalculateAverageFor).

import type { NumaMask } from '../bitmask.js';
import { isNarrowerThan, maskCount, maskNodes, maskOf } from '../bitmask.js';

export interface NumaInfo {
  /** NUMA node ids of the machine. */
  readonly nodes: readonly number[];
  /**
   * `distances[a][b]` = distance from node a to node b (sysfs `node<a>/distance`), both indexed
   * by node id as the kubelet indexes its NUMADistances. Only read with
   * prefer-closest-numa-nodes; null when unknown.
   */
  readonly distances: readonly (readonly number[])[] | null;
}

/** All NUMA nodes of the machine (`DefaultAffinityMask`). */
export function defaultMask(info: NumaInfo): NumaMask {
  return maskOf(info.nodes);
}

/** `Narrowest`: `cur` if it is narrower than `cand`, else `cand`. */
export function narrowest(cur: NumaMask, cand: NumaMask): NumaMask {
  return isNarrowerThan(cur, cand) ? cur : cand;
}

/**
 * `CalculateAverageFor`: the mean of `dist[i][j]` over all ordered pairs (i, j) of nodes in the
 * mask, i = j included (so a single node averages to its own distance, usually 10). 0 for an
 * empty mask. Summed in the kubelet's order so float results compare the same way.
 */
export function averageDistance(info: NumaInfo, mask: NumaMask): number {
  const nodes = maskNodes(mask);
  if (nodes.length === 0) return 0;
  let sum = 0;
  let count = 0;
  for (const a of nodes) {
    for (const b of nodes) {
      sum += distance(info, a, b);
      count++;
    }
  }
  return sum / count;
}

/**
 * `Closest` (prefer-closest-numa-nodes): masks of different size → the narrower; same size →
 * the one with the lower average distance; equal averages → the lower numeric value
 * (`IsLessThan`: more lower-numbered nodes). Distances are read only when the sizes are equal.
 */
export function closest(info: NumaInfo, cur: NumaMask, cand: NumaMask): NumaMask {
  if (maskCount(cur) !== maskCount(cand)) return narrowest(cur, cand);
  const dCur = averageDistance(info, cur);
  const dCand = averageDistance(info, cand);
  if (dCur === dCand) return cur < cand ? cur : cand;
  return dCur < dCand ? cur : cand;
}

function distance(info: NumaInfo, from: number, to: number): number {
  const d = info.distances?.[from]?.[to];
  // The kubelet refuses to start without distances when prefer-closest-numa-nodes is set
  // (checkNumaDistances in policy.ts); a short row would make it panic.
  if (d === undefined) throw new RangeError(`no NUMA distance from node ${from} to node ${to}`);
  return d;
}
