// Scenarios ported from the kubelet's topologymanager policy_test.go (TestMaxOfMinAffinityCounts,
// TestCompareHintsNarrowest, the "no policies" merge cases), numa_info_test.go (TestClosest,
// TestCalculateAvgDistanceFor) and bitmask_test.go (TestAnd, TestIsNarrowerThan).

import { maskOf } from '../../../../src/model/bitmask.js';
import type { ProviderHints, TopologyHint } from '../../../../src/model/topology-manager/hint.js';
import { formatHint } from '../../../../src/model/topology-manager/hint.js';
import type { HintMergerContext, MergedHint } from '../../../../src/model/topology-manager/merge-hints.js';
import {
  compareHints,
  filterProvidersHints,
  maxOfMinAffinityCounts,
  mergeFilteredHints,
  mergePermutation,
} from '../../../../src/model/topology-manager/merge-hints.js';
import type { NumaInfo } from '../../../../src/model/topology-manager/numa-info.js';
import {
  averageDistance,
  closest,
  defaultMask,
  narrowest,
} from '../../../../src/model/topology-manager/numa-info.js';
import {
  anyNotPref,
  anyPref,
  eightNodes,
  emptyProvider,
  fourNodes,
  machine,
  nilProvider,
  notPref,
  pref,
  provider,
} from './builders.js';

const fmt = (lists: readonly (readonly TopologyHint[])[]): string[][] => lists.map((l) => l.map(formatHint));

describe('formatHint', () => {
  it.each([
    { name: 'a preferred two-node hint', hint: pref(0, 1), expected: '{0,1} preferred' },
    { name: 'a nil mask, not preferred', hint: anyNotPref, expected: '{nil} not preferred' },
    { name: 'a nil mask, preferred', hint: anyPref, expected: '{nil} preferred' },
    { name: 'an empty mask', hint: { mask: 0, preferred: false }, expected: '{} not preferred' },
  ])('$name → $expected', ({ hint, expected }) => {
    expect(formatHint(hint)).toBe(expected);
  });
});

describe('filterProvidersHints', () => {
  interface Case {
    name: string;
    providers: ProviderHints[];
    expected: string[][];
  }
  const cases: Case[] = [
    { name: 'no providers → no lists', providers: [], expected: [] },
    {
      name: 'a provider with a nil map → one list {nil} preferred',
      providers: [nilProvider],
      expected: [['{nil} preferred']],
    },
    {
      name: 'a provider with an empty map → one list {nil} preferred',
      providers: [emptyProvider],
      expected: [['{nil} preferred']],
    },
    {
      name: 'a resource with a nil list ("don\'t care") → {nil} preferred',
      providers: [provider({ cpu: null })],
      expected: [['{nil} preferred']],
    },
    {
      name: 'a resource with an empty list ("cannot satisfy") → {nil} not preferred',
      providers: [provider({ cpu: [] })],
      expected: [['{nil} not preferred']],
    },
    {
      name: 'one list per resource, in provider then resource order',
      providers: [
        provider({ 'example.com/gpu': [pref(1)] }),
        nilProvider,
        provider({ cpu: [pref(0), notPref(0, 1)], memory: [] }),
      ],
      expected: [
        ['{1} preferred'],
        ['{nil} preferred'],
        ['{0} preferred', '{0,1} not preferred'],
        ['{nil} not preferred'],
      ],
    },
  ];
  it.each(cases)('$name', ({ providers, expected }) => {
    expect(fmt(filterProvidersHints(providers))).toEqual(expected);
  });
});

describe('mergePermutation', () => {
  interface Case {
    name: string;
    permutation: TopologyHint[];
    expected: string;
  }
  const all = maskOf([0, 1, 2, 3]);
  const cases: Case[] = [
    { name: 'empty permutation → default mask preferred', permutation: [], expected: '{0,1,2,3} preferred' },
    {
      name: '{0,1} AND {0,1} → {0,1} preferred',
      permutation: [pref(0, 1), pref(0, 1)],
      expected: '{0,1} preferred',
    },
    {
      name: '{0,1} AND {1} → {1}, not preferred (masks differ)',
      permutation: [pref(0, 1), pref(1)],
      expected: '{1} not preferred',
    },
    {
      name: '{0} AND {0} AND {1} AND {0,1} → empty',
      permutation: [pref(0), pref(0), pref(1), pref(0, 1)],
      expected: '{} not preferred',
    },
    {
      name: '{0,1,2,3} AND {1,2,3} AND {2,3} AND {3} → {3}',
      permutation: [pref(0, 1, 2, 3), pref(1, 2, 3), pref(2, 3), pref(3)],
      expected: '{3} not preferred',
    },
    {
      name: 'nil masks do not narrow and do not break equality → {1} preferred',
      permutation: [anyPref, pref(1), anyPref, pref(1)],
      expected: '{1} preferred',
    },
    {
      name: 'a nil mask that is not preferred makes the result not preferred',
      permutation: [pref(1), anyNotPref],
      expected: '{1} not preferred',
    },
    {
      name: 'equal masks, one not preferred → not preferred',
      permutation: [pref(2), notPref(2)],
      expected: '{2} not preferred',
    },
    {
      name: 'only nil masks → default mask',
      permutation: [anyPref, anyPref],
      expected: '{0,1,2,3} preferred',
    },
  ];
  it.each(cases)('$name', ({ permutation, expected }) => {
    expect(formatHint(mergePermutation(all, permutation))).toBe(expected);
  });
});

describe('maxOfMinAffinityCounts (bestNonPreferredAffinityCount)', () => {
  interface Case {
    name: string;
    lists: TopologyHint[][];
    expected: number;
  }
  const cases: Case[] = [
    { name: 'no lists → 0', lists: [], expected: 0 },
    { name: 'only an empty mask → 0', lists: [[{ mask: 0, preferred: true }]], expected: 0 },
    { name: 'only nil masks → 0', lists: [[anyPref, anyNotPref]], expected: 0 },
    { name: 'one list {0} → 1', lists: [[pref(0)]], expected: 1 },
    { name: 'one list {0,1} → 2', lists: [[pref(0, 1)]], expected: 2 },
    { name: 'one list {0,1},{0,1,2} → its narrowest, 2', lists: [[pref(0, 1), pref(0, 1, 2)]], expected: 2 },
    {
      name: 'lists narrowest 2 and 3 → the larger, 3',
      lists: [[pref(0, 1), pref(0, 1, 2)], [pref(0, 1, 2)]],
      expected: 3,
    },
    {
      name: 'lists narrowest 2 and 3 (3 of {0,1,2},{0,1,2,3}) → 3',
      lists: [
        [pref(0, 1), pref(0, 1, 2)],
        [pref(0, 1, 2), pref(0, 1, 2, 3)],
      ],
      expected: 3,
    },
    {
      name: 'nil masks are skipped when finding the narrowest',
      lists: [[anyPref, notPref(2, 3)]],
      expected: 2,
    },
  ];
  it.each(cases)('$name', ({ lists, expected }) => {
    expect(maxOfMinAffinityCounts(lists)).toBe(expected);
  });
});

describe('compareHints (HintMerger.compare, Narrowest)', () => {
  interface Case {
    name: string;
    best: number;
    current: MergedHint | null;
    candidate: MergedHint;
    expected: 'current' | 'candidate';
  }
  const m = (nodes: number[], preferred: boolean): MergedHint => ({ mask: maskOf(nodes), preferred });
  const cases: Case[] = [
    {
      name: 'an empty candidate never replaces a missing current',
      best: -1,
      current: null,
      candidate: m([], false),
      expected: 'current',
    },
    {
      name: 'an empty candidate never replaces current',
      best: -1,
      current: m([], true),
      candidate: m([], false),
      expected: 'current',
    },
    {
      name: 'no current, preferred candidate → candidate',
      best: -1,
      current: null,
      candidate: m([0], true),
      expected: 'candidate',
    },
    {
      name: 'no current, non-preferred candidate → candidate',
      best: -1,
      current: null,
      candidate: m([0], false),
      expected: 'candidate',
    },
    {
      name: 'preferred candidate beats non-preferred current',
      best: -1,
      current: m([0], false),
      candidate: m([0], true),
      expected: 'candidate',
    },
    {
      name: 'non-preferred candidate never beats preferred current',
      best: -1,
      current: m([0], true),
      candidate: m([0], false),
      expected: 'current',
    },
    {
      name: 'both preferred, equal masks → current',
      best: -1,
      current: m([0], true),
      candidate: m([0], true),
      expected: 'current',
    },
    {
      name: 'both preferred, narrower candidate {0} over {0,1} → candidate',
      best: -1,
      current: m([0, 1], true),
      candidate: m([0], true),
      expected: 'candidate',
    },
    {
      name: 'both preferred, wider candidate {0,1} over {0} → current',
      best: -1,
      current: m([0], true),
      candidate: m([0, 1], true),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| > B, equal masks → current (case 1)',
      best: 1,
      current: m([0, 1], false),
      candidate: m([0, 1], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| > B, candidate {0,1} lower than {1,2} → candidate (case 1)',
      best: 1,
      current: m([1, 2], false),
      candidate: m([0, 1], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |current| > B, candidate {1,2} higher than {0,1} → current (case 1)',
      best: 1,
      current: m([0, 1], false),
      candidate: m([1, 2], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| = B, |candidate| ≠ B → current (case 2)',
      best: 2,
      current: m([0, 1], false),
      candidate: m([0], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| = B = |candidate|, equal masks → current (case 2)',
      best: 2,
      current: m([0, 1], false),
      candidate: m([0, 1], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| = B = |candidate|, lower candidate → candidate (case 2)',
      best: 2,
      current: m([1, 2], false),
      candidate: m([0, 1], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |current| = B = |candidate|, higher candidate → current (case 2)',
      best: 2,
      current: m([0, 1], false),
      candidate: m([1, 2], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| < B < |candidate| → current (case 3a)',
      best: 2,
      current: m([0], false),
      candidate: m([0, 1, 2], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |current| < B = |candidate| → candidate (case 3b)',
      best: 2,
      current: m([0], false),
      candidate: m([0, 1], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |current| < |candidate| < B → candidate (case 3ca, {0,1})',
      best: 3,
      current: m([0], false),
      candidate: m([0, 1], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |current| < |candidate| < B → candidate (case 3ca, {1,2})',
      best: 3,
      current: m([0], false),
      candidate: m([1, 2], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |current| < |candidate| < B → candidate (case 3ca, B = 4)',
      best: 4,
      current: m([0, 1], false),
      candidate: m([1, 2, 3], false),
      expected: 'candidate',
    },
    {
      name: 'non-preferred, |candidate| < |current| < B → current (case 3cb)',
      best: 4,
      current: m([1, 2, 3], false),
      candidate: m([0, 1], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |candidate| = |current| < B, equal masks → current (case 3cc)',
      best: 4,
      current: m([0, 1, 2], false),
      candidate: m([0, 1, 2], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |candidate| = |current| < B, higher candidate → current (case 3cc)',
      best: 4,
      current: m([0, 1, 2], false),
      candidate: m([1, 2, 3], false),
      expected: 'current',
    },
    {
      name: 'non-preferred, |candidate| = |current| < B, lower candidate → candidate (case 3cc)',
      best: 4,
      current: m([1, 2, 3], false),
      candidate: m([0, 1, 2], false),
      expected: 'candidate',
    },
  ];
  it.each(cases)('$name', ({ best, current, candidate, expected }) => {
    const ctx: HintMergerContext = {
      info: machine([]),
      preferClosestNumaNodes: false,
      bestNonPreferredAffinityCount: best,
    };
    const result = compareHints(ctx, current, candidate);
    expect(result).toBe(expected === 'current' ? current : candidate);
  });
});

describe('narrowest (IsNarrowerThan)', () => {
  it.each([
    { name: '{0} is narrower than {0,1}', cur: [0], cand: [0, 1], expected: [0] },
    { name: '{0,1} is not narrower than {0}', cur: [0, 1], cand: [0], expected: [0] },
    { name: 'equal size: {0} beats {1} (lower value)', cur: [0], cand: [1], expected: [0] },
    { name: 'equal size: {1} loses to {0}', cur: [1], cand: [0], expected: [0] },
    { name: 'equal masks → the candidate (same value)', cur: [2, 3], cand: [2, 3], expected: [2, 3] },
  ])('$name', ({ cur, cand, expected }) => {
    expect(narrowest(maskOf(cur), maskOf(cand))).toBe(maskOf(expected));
  });
});

describe('averageDistance (CalculateAverageFor)', () => {
  it.each([
    { name: '1 node → its own distance', info: machine([0], [[10]]), nodes: [0], expected: 10 },
    {
      name: '2 nodes, 1 in the mask → 10',
      info: machine(
        [0, 1],
        [
          [10, 11],
          [11, 10],
        ],
      ),
      nodes: [0],
      expected: 10,
    },
    {
      name: '2 nodes, both in the mask → 10.5',
      info: machine(
        [0, 1],
        [
          [10, 11],
          [11, 10],
        ],
      ),
      nodes: [0, 1],
      expected: 10.5,
    },
    { name: '4 nodes, {0,2} → 11', info: fourNodes, nodes: [0, 2], expected: 11 },
    { name: '4 nodes, {0,2,3} → 100/9', info: fourNodes, nodes: [0, 2, 3], expected: 11.11111111111111 },
    { name: 'empty mask → 0', info: machine([], []), nodes: [], expected: 0 },
  ])('$name', ({ info, nodes, expected }) => {
    expect(averageDistance(info, maskOf(nodes))).toBe(expected);
  });
});

describe('closest (prefer-closest-numa-nodes)', () => {
  const flat3 = machine(
    [0, 1, 2],
    [
      [10, 10, 10],
      [10, 10, 10],
      [10, 10, 10],
    ],
  );
  const flat4 = machine(
    [0, 1, 2, 3],
    [
      [10, 10, 10, 10],
      [10, 10, 10, 10],
      [10, 10, 10, 10],
      [10, 10, 10, 10],
    ],
  );
  interface Case {
    name: string;
    info: NumaInfo;
    current: number[];
    candidate: number[];
    expected: 'current' | 'candidate';
  }
  const cases: Case[] = [
    {
      name: 'different sizes → the narrower, without reading distances',
      info: machine([0, 1, 2]),
      current: [0],
      candidate: [0, 2],
      expected: 'current',
    },
    {
      name: 'same size and distance → current {0,1} has the lower value',
      info: flat3,
      current: [0, 1],
      candidate: [0, 2],
      expected: 'current',
    },
    {
      name: 'same size and distance → candidate {0,2} has the lower value than {0,3}',
      info: flat4,
      current: [0, 3],
      candidate: [0, 2],
      expected: 'candidate',
    },
    {
      name: 'same size, candidate {0,1} closer than {0,3}',
      info: fourNodes,
      current: [0, 3],
      candidate: [0, 1],
      expected: 'candidate',
    },
    {
      name: 'same size, current {2,3} closer than {0,3}',
      info: fourNodes,
      current: [2, 3],
      candidate: [0, 3],
      expected: 'current',
    },
    {
      name: 'closer beats lower value: {2,3} (10.5) over {1,2} (11)',
      info: fourNodes,
      current: [1, 2],
      candidate: [2, 3],
      expected: 'candidate',
    },
  ];
  it.each(cases)('$name', ({ info, current, candidate, expected }) => {
    const result = closest(info, maskOf(current), maskOf(candidate));
    expect(result).toBe(maskOf(expected === 'current' ? current : candidate));
  });

  it('same size without distances → RangeError (the kubelet would not have started)', () => {
    expect(() => closest(machine([0, 1]), maskOf([0]), maskOf([1]))).toThrow(RangeError);
  });
});

describe('defaultMask', () => {
  it.each([
    { name: 'nodes 0-3 → {0,1,2,3}', info: fourNodes, expected: [0, 1, 2, 3] },
    { name: 'non-contiguous nodes 0,2 → {0,2}', info: machine([0, 2]), expected: [0, 2] },
  ])('$name', ({ info, expected }) => {
    expect(defaultMask(info)).toBe(maskOf(expected));
  });
});

describe('mergeFilteredHints (HintMerger.Merge)', () => {
  interface Case {
    name: string;
    info: NumaInfo;
    preferClosestNumaNodes: boolean;
    lists: TopologyHint[][];
    expected: string;
  }
  const bnp5 = [
    [notPref(0, 1, 2, 3), notPref(0, 1)],
    [notPref(1, 2), notPref(2, 3)],
  ];
  const bnp6 = [
    [notPref(0, 1, 2, 3), notPref(0, 1)],
    [notPref(1, 2, 3), notPref(1, 2), notPref(1, 3), notPref(2, 3)],
  ];
  const cases: Case[] = [
    {
      name: 'no lists → one empty permutation → default mask preferred',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: [],
      expected: '{0,1,2,3} preferred',
    },
    {
      name: 'an empty list → no permutation → default mask not preferred',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: [[pref(0)], []],
      expected: '{0,1,2,3} not preferred',
    },
    {
      name: 'all permutations empty → default mask not preferred',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: [[pref(0)], [pref(1)]],
      expected: '{0,1,2,3} not preferred',
    },
    {
      name: 'B = 2, non-preferred {1,2} and {2,3} candidates, Narrowest → {1,2} (bestNonPreferredAffinityCount 5)',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: bnp5,
      expected: '{1,2} not preferred',
    },
    {
      name: 'B = 2, non-preferred {1,2} and {2,3} candidates, Closest → {2,3} (bestNonPreferredAffinityCount 5)',
      info: eightNodes,
      preferClosestNumaNodes: true,
      lists: bnp5,
      expected: '{2,3} not preferred',
    },
    {
      name: 'B = 2, four two-node candidates, Narrowest → {1,2} (bestNonPreferredAffinityCount 6)',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: bnp6,
      expected: '{1,2} not preferred',
    },
    {
      name: 'B = 2, four two-node candidates, Closest → {2,3} (bestNonPreferredAffinityCount 6)',
      info: eightNodes,
      preferClosestNumaNodes: true,
      lists: bnp6,
      expected: '{2,3} not preferred',
    },
    {
      name: 'non-preferred merge climbs back to B: {0} then {0,1} with B = 2 → {0,1}',
      info: fourNodes,
      preferClosestNumaNodes: false,
      lists: [[notPref(0), notPref(0, 1)], [notPref(0, 1)]],
      expected: '{0,1} not preferred',
    },
  ];
  it.each(cases)('$name', ({ info, preferClosestNumaNodes, lists, expected }) => {
    expect(formatHint(mergeFilteredHints(info, lists, { preferClosestNumaNodes }))).toBe(expected);
  });
});
