// Topology Manager policies, their options and start-up checks
// (pkg/kubelet/cm/topologymanager/policy_none.go, policy_best_effort.go, policy_restricted.go,
// policy_single_numa_node.go, policy_options.go, and the checks of NewManager in
// topology_manager.go).

import { maskCount } from '../bitmask.js';
import type { TopologyManagerPolicy } from '../kubelet-config.js';
import type { ProviderHints, TopologyHint } from './hint.js';
import { filterProvidersHints, mergeFilteredHints } from './merge-hints.js';
import type { NumaInfo } from './numa-info.js';
import { defaultMask } from './numa-info.js';

export interface TopologyManagerOptions {
  readonly preferClosestNumaNodes: boolean;
  readonly maxAllowableNumaNodes: number;
}

export const PREFER_CLOSEST_NUMA_NODES = 'prefer-closest-numa-nodes';
export const MAX_ALLOWABLE_NUMA_NODES = 'max-allowable-numa-nodes';
export const DEFAULT_MAX_ALLOWABLE_NUMA_NODES = 8;

export const DEFAULT_TOPOLOGY_MANAGER_OPTIONS: TopologyManagerOptions = {
  preferClosestNumaNodes: false,
  maxAllowableNumaNodes: DEFAULT_MAX_ALLOWABLE_NUMA_NODES,
};

type Maturity = 'alpha' | 'beta' | 'stable';

/** Both options are GA in v1.36/v1.37 (prefer-closest since 1.32, max-allowable since 1.35). */
const OPTION_MATURITY: ReadonlyMap<string, Maturity> = new Map<string, Maturity>([
  [PREFER_CLOSEST_NUMA_NODES, 'stable'],
  [MAX_ALLOWABLE_NUMA_NODES, 'stable'],
]);

const MATURITY_GATE = {
  alpha: 'TopologyManagerPolicyAlphaOptions',
  beta: 'TopologyManagerPolicyBetaOptions',
} as const;

const GO_BOOL = new Map<string, boolean>([
  ['1', true],
  ['t', true],
  ['T', true],
  ['TRUE', true],
  ['true', true],
  ['True', true],
  ['0', false],
  ['f', false],
  ['F', false],
  ['FALSE', false],
  ['false', false],
  ['False', false],
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's %q for the plain strings seen in configuration. */
function quote(s: string): string {
  return JSON.stringify(s);
}

/** strconv.Atoi on a 64-bit kubelet: optional sign, decimal digits, int64 range. */
function parseGoInt(value: string): { ok: true; value: number } | { ok: false; error: string } {
  if (!/^[+-]?[0-9]+$/.test(value)) {
    return { ok: false, error: `strconv.Atoi: parsing ${quote(value)}: invalid syntax` };
  }
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) {
    return { ok: false, error: `strconv.Atoi: parsing ${quote(value)}: value out of range` };
  }
  return { ok: true, value: Number(big) };
}

/**
 * `NewPolicyOptions` + `CheckPolicyOptionAvailable`: unknown option, option above the enabled
 * maturity, bad boolean (Go's ParseBool spellings), non-integer or < 8 max-allowable-numa-nodes.
 * Options are checked in sorted name order (the kubelet's map order is random, so with several
 * bad options it may report another one first). The kubelet skips all of this for policy
 * `none` (NewManager returns before parsing options): callers should not call it then.
 */
export function parseTopologyManagerOptions(
  raw: Readonly<Record<string, string>>,
  gates: Readonly<Record<string, boolean>>,
): { ok: true; options: TopologyManagerOptions } | { ok: false; error: string } {
  let preferClosestNumaNodes = DEFAULT_TOPOLOGY_MANAGER_OPTIONS.preferClosestNumaNodes;
  let maxAllowableNumaNodes = DEFAULT_TOPOLOGY_MANAGER_OPTIONS.maxAllowableNumaNodes;
  for (const name of Object.keys(raw).sort()) {
    const value = raw[name] ?? '';
    const maturity = OPTION_MATURITY.get(name);
    if (maturity === undefined) {
      return { ok: false, error: `unknown Topology Manager Policy option: ${quote(name)}` };
    }
    if (maturity !== 'stable' && gates[MATURITY_GATE[maturity]] !== true) {
      return {
        ok: false,
        error: `topology manager policy ${maturity}-level options not enabled, but option ${quote(name)} provided`,
      };
    }
    if (name === PREFER_CLOSEST_NUMA_NODES) {
      const b = GO_BOOL.get(value);
      if (b === undefined) {
        return {
          ok: false,
          error: `bad value for option ${quote(name)}: strconv.ParseBool: parsing ${quote(value)}: invalid syntax`,
        };
      }
      preferClosestNumaNodes = b;
    } else {
      const n = parseGoInt(value);
      if (!n.ok) {
        return { ok: false, error: `unable to convert policy option to integer ${quote(name)}: ${n.error}` };
      }
      if (n.value < DEFAULT_MAX_ALLOWABLE_NUMA_NODES) {
        return {
          ok: false,
          error: `the minimum value of ${quote(name)} should not be less than ${DEFAULT_MAX_ALLOWABLE_NUMA_NODES}`,
        };
      }
      maxAllowableNumaNodes = n.value;
    }
  }
  return { ok: true, options: { preferClosestNumaNodes, maxAllowableNumaNodes } };
}

/**
 * NewManager's start-up check: with any policy but `none`, a machine with more NUMA nodes than
 * max-allowable-numa-nodes makes the kubelet refuse to start. Returns its error, or null.
 */
export function checkMaxAllowableNumaNodes(
  policy: TopologyManagerPolicy,
  numaCount: number,
  opts: Pick<TopologyManagerOptions, 'maxAllowableNumaNodes'>,
): string | null {
  if (policy === 'none' || numaCount <= opts.maxAllowableNumaNodes) return null;
  return `unsupported on machines with more than ${opts.maxAllowableNumaNodes} NUMA Nodes`;
}

/**
 * NewNUMAInfo's start-up check: with prefer-closest-numa-nodes (any policy but `none`, even
 * single-numa-node, which then ignores the distances) every NUMA node needs its distance row.
 */
export function checkNumaDistances(
  policy: TopologyManagerPolicy,
  info: NumaInfo,
  opts: Pick<TopologyManagerOptions, 'preferClosestNumaNodes'>,
): string | null {
  if (policy === 'none' || !opts.preferClosestNumaNodes) return null;
  const { distances } = info;
  if (distances !== null && info.nodes.every((n) => distances[n] !== undefined)) return null;
  return 'cannot discover NUMA topology: error getting NUMA distances from cadvisor';
}

/**
 * single-numa-node's `filterSingleNumaHints`: keep only preferred hints whose mask is nil or a
 * single NUMA node. Non-preferred hints go too, so a resource that "cannot be satisfied"
 * (`[{nil, not preferred}]`) leaves an empty list and no permutation at all.
 */
export function filterSingleNumaHints(filtered: readonly (readonly TopologyHint[])[]): TopologyHint[][] {
  return filtered.map((list) =>
    list.filter((h) => h.preferred && (h.mask === null || maskCount(h.mask) === 1)),
  );
}

export interface PolicyMergeResult {
  readonly hint: TopologyHint;
  readonly admit: boolean;
}

/**
 * `Policy.Merge` of each policy:
 * - none: no merge; `{nil, not preferred}`, admitted.
 * - best-effort: filter + merge; always admitted.
 * - restricted: filter + merge; admitted only if the hint is preferred.
 * - single-numa-node: filter, keep single-node preferred hints, merge with Narrowest (never
 *   Closest); a result equal to the default mask becomes `{nil, same preferred}`; admitted only
 *   if preferred.
 */
export function mergeForPolicy(
  policy: TopologyManagerPolicy,
  info: NumaInfo,
  opts: Pick<TopologyManagerOptions, 'preferClosestNumaNodes'>,
  providers: readonly ProviderHints[],
): PolicyMergeResult {
  switch (policy) {
    case 'none':
      return { hint: { mask: null, preferred: false }, admit: true };
    case 'best-effort': {
      const hint = mergeFilteredHints(info, filterProvidersHints(providers), opts);
      return { hint, admit: true };
    }
    case 'restricted': {
      const hint = mergeFilteredHints(info, filterProvidersHints(providers), opts);
      return { hint, admit: hint.preferred };
    }
    case 'single-numa-node': {
      const filtered = filterSingleNumaHints(filterProvidersHints(providers));
      const merged = mergeFilteredHints(info, filtered, { preferClosestNumaNodes: false });
      const hint: TopologyHint =
        merged.mask === defaultMask(info) ? { mask: null, preferred: merged.preferred } : merged;
      return { hint, admit: hint.preferred };
    }
  }
}
