// Hint filtering and merging (pkg/kubelet/cm/topologymanager/policy.go: filterProvidersHints,
// mergePermutation, narrowestHint, maxOfMinAffinityCounts, HintMerger.compare/Merge,
// iterateAllProviderTopologyHints).

import type { NumaMask } from '../bitmask.js';
import { isNarrowerThan, maskCount } from '../bitmask.js';
import type { ProviderHints, TopologyHint } from './hint.js';
import type { NumaInfo } from './numa-info.js';
import { closest, defaultMask, narrowest } from './numa-info.js';

/** A merged hint: always carries a mask (possibly empty), never nil. */
export interface MergedHint extends TopologyHint {
  readonly mask: NumaMask;
}

export interface MergeOptions {
  /** Compare masks with `closest` instead of `narrowest` (never for single-numa-node). */
  readonly preferClosestNumaNodes: boolean;
}

/** What `compareHints` needs besides the two hints (the kubelet's HintMerger fields). */
export interface HintMergerContext extends MergeOptions {
  readonly info: NumaInfo;
  readonly bestNonPreferredAffinityCount: number;
}

const NO_PREFERENCE: TopologyHint = { mask: null, preferred: true };
const CANNOT_SATISFY: TopologyHint = { mask: null, preferred: false };

/**
 * One hint list per provider resource, in provider order:
 * - a provider with a nil or empty map → `[{nil, preferred}]` (no preference at all);
 * - a resource with a nil list → `[{nil, preferred}]` (no preference for it);
 * - a resource with an empty list → `[{nil, not preferred}]` (cannot be satisfied);
 * - otherwise the resource's list as given.
 */
export function filterProvidersHints(providers: readonly ProviderHints[]): TopologyHint[][] {
  const all: TopologyHint[][] = [];
  for (const hints of providers) {
    if (hints === null || hints.size === 0) {
      all.push([NO_PREFERENCE]);
      continue;
    }
    for (const list of hints.values()) {
      if (list === null) all.push([NO_PREFERENCE]);
      else if (list.length === 0) all.push([CANNOT_SATISFY]);
      else all.push([...list]);
    }
  }
  return all;
}

/**
 * Every way of taking one hint from each list, first list outermost, handed to `callback` (which
 * must not keep the array: it is reused for the next permutation). No lists → one empty
 * permutation; any empty list → none.
 */
function iterateAllProviderTopologyHints(
  lists: readonly (readonly TopologyHint[])[],
  callback: (permutation: readonly TopologyHint[]) => void,
): void {
  const accum: TopologyHint[] = [];
  const iterate = (i: number): void => {
    const list = lists[i];
    if (list === undefined) {
      callback(accum);
      return;
    }
    for (const h of list) {
      accum.push(h);
      iterate(i + 1);
      accum.pop();
    }
  };
  iterate(0);
}

/**
 * `mergePermutation`: mask = `defaultMask` AND every non-nil mask; preferred only if every hint
 * is preferred and every non-nil mask equals the first non-nil mask.
 */
export function mergePermutation(
  defaultAffinity: NumaMask,
  permutation: readonly TopologyHint[],
): MergedHint {
  let preferred = true;
  let mask = defaultAffinity;
  let first: NumaMask | null = null;
  for (const h of permutation) {
    if (h.mask !== null) {
      if (first === null) first = h.mask;
      else if (h.mask !== first) preferred = false;
      mask &= h.mask;
    }
    if (!h.preferred) preferred = false;
  }
  return { mask, preferred };
}

/** `narrowestHint`: the narrowest non-nil mask of one list, or null when it has none. */
function narrowestHint(hints: readonly TopologyHint[]): NumaMask | null {
  let best: NumaMask | null = null;
  for (const h of hints) {
    if (h.mask === null) continue;
    if (best === null || isNarrowerThan(h.mask, best)) best = h.mask;
  }
  return best;
}

/**
 * `maxOfMinAffinityCounts` = the merger's BestNonPreferredAffinityCount: over all lists, the
 * largest size of a list's narrowest non-nil mask (0 if none). Among non-preferred merged hints
 * the merger tries to land as close to (not above) this size as it can.
 */
export function maxOfMinAffinityCounts(filtered: readonly (readonly TopologyHint[])[]): number {
  let max = 0;
  for (const list of filtered) {
    const n = narrowestHint(list);
    if (n !== null && maskCount(n) > max) max = maskCount(n);
  }
  return max;
}

/**
 * `CompareNUMAAffinityMasks`: equal masks keep `current`; else `closest` (prefer-closest) or
 * `narrowest` picks the mask, and the hint carrying it wins.
 */
function compareMasks(ctx: HintMergerContext, current: MergedHint, candidate: MergedHint): MergedHint {
  if (candidate.mask === current.mask) return current;
  const best = ctx.preferClosestNumaNodes
    ? closest(ctx.info, current.mask, candidate.mask)
    : narrowest(current.mask, candidate.mask);
  return best === current.mask ? current : candidate;
}

/**
 * `HintMerger.compare`: returns `current` or `candidate` (the same object), whichever stays best.
 * 1. A candidate with an empty mask never wins; with no current the candidate wins.
 * 2. Preferred beats non-preferred; two preferred → `compareMasks`.
 * 3. Two non-preferred, with B = bestNonPreferredAffinityCount, c = |current|, n = |candidate|:
 *    c > B → compareMasks; c = B → current unless n = B (then compareMasks);
 *    c < B: n > B → current; n = B → candidate; n > c → candidate; n < c → current;
 *    n = c → compareMasks.
 */
export function compareHints(
  ctx: HintMergerContext,
  current: MergedHint | null,
  candidate: MergedHint,
): MergedHint | null {
  if (maskCount(candidate.mask) === 0) return current;
  if (current === null) return candidate;
  if (!current.preferred && candidate.preferred) return candidate;
  if (current.preferred && !candidate.preferred) return current;
  if (current.preferred && candidate.preferred) return compareMasks(ctx, current, candidate);

  const best = ctx.bestNonPreferredAffinityCount;
  const c = maskCount(current.mask);
  const n = maskCount(candidate.mask);
  if (c > best) return compareMasks(ctx, current, candidate);
  if (c === best) return n === best ? compareMasks(ctx, current, candidate) : current;
  if (n > best) return current;
  if (n === best) return candidate;
  if (n > c) return candidate;
  if (n < c) return current;
  return compareMasks(ctx, current, candidate);
}

/**
 * `HintMerger.Merge`: merge every permutation of the filtered lists and keep the best by
 * `compareHints`; if no permutation has a non-empty mask, `{defaultMask, not preferred}`.
 */
export function mergeFilteredHints(
  info: NumaInfo,
  filtered: readonly (readonly TopologyHint[])[],
  opts: MergeOptions,
): MergedHint {
  const ctx: HintMergerContext = {
    info,
    preferClosestNumaNodes: opts.preferClosestNumaNodes,
    bestNonPreferredAffinityCount: maxOfMinAffinityCounts(filtered),
  };
  const defaultAffinity = defaultMask(info);
  // Replaced inside the callback (a holder, so TypeScript does not narrow it away).
  const merger: { best: MergedHint | null } = { best: null };
  iterateAllProviderTopologyHints(filtered, (permutation) => {
    merger.best = compareHints(ctx, merger.best, mergePermutation(defaultAffinity, permutation));
  });
  return merger.best ?? { mask: defaultAffinity, preferred: false };
}
