// Builders for Topology Manager tests: hints, providers and the named NUMA machines of the
// kubelet's policy_test.go (commonNUMAInfoTwoNodes/FourNodes/EightNodes distance matrices).

import { maskOf } from '../../../../src/model/bitmask.js';
import type { ProviderHints, TopologyHint } from '../../../../src/model/topology-manager/hint.js';
import type { NumaInfo } from '../../../../src/model/topology-manager/numa-info.js';

/** A preferred hint on `nodes`. */
export function pref(...nodes: number[]): TopologyHint {
  return { mask: maskOf(nodes), preferred: true };
}

/** A non-preferred hint on `nodes`. */
export function notPref(...nodes: number[]): TopologyHint {
  return { mask: maskOf(nodes), preferred: false };
}

/** `{nil, preferred}`: any NUMA node, no preference. */
export const anyPref: TopologyHint = { mask: null, preferred: true };
/** `{nil, not preferred}`. */
export const anyNotPref: TopologyHint = { mask: null, preferred: false };

/** A provider answering per resource; `null` = nil list ("don't care"), `[]` = cannot satisfy. */
export function provider(resources: Record<string, readonly TopologyHint[] | null>): ProviderHints {
  return new Map(Object.entries(resources));
}

/** A provider returning a nil map (no preference for any resource). */
export const nilProvider: ProviderHints = null;
/** A provider returning an empty, non-nil map. */
export const emptyProvider: ProviderHints = new Map();

export function machine(nodes: readonly number[], distances: number[][] | null = null): NumaInfo {
  return { nodes, distances };
}

/** 1 NUMA node. */
export const oneNode = machine([0], [[10]]);

/** 2 NUMA nodes, distance 11 between them. */
export const twoNodes = machine(
  [0, 1],
  [
    [10, 11],
    [11, 10],
  ],
);

/** 4 NUMA nodes, pairs {0,1} and {2,3} at 11, across pairs 12. */
export const fourNodes = machine(
  [0, 1, 2, 3],
  [
    [10, 11, 12, 12],
    [11, 10, 12, 12],
    [12, 12, 10, 11],
    [12, 12, 11, 10],
  ],
);

/** 8 NUMA nodes in two sockets of four (30 across sockets); row 7 is asymmetric, as upstream. */
export const eightNodes = machine(
  [0, 1, 2, 3, 4, 5, 6, 7],
  [
    [10, 11, 12, 12, 30, 30, 30, 30],
    [11, 10, 12, 12, 30, 30, 30, 30],
    [12, 12, 10, 11, 30, 30, 30, 30],
    [12, 12, 11, 10, 30, 30, 30, 30],
    [30, 30, 30, 30, 10, 11, 12, 12],
    [30, 30, 30, 30, 11, 10, 12, 12],
    [30, 30, 30, 30, 12, 12, 10, 11],
    [30, 30, 30, 30, 12, 12, 13, 10],
  ],
);
