// Scenarios ported from the kubelet's topologymanager policy_test.go (commonPolicyMergeTestCases,
// bestEffortPolicy.mergeTestCases / mergeTestCasesClosestNUMA, singleNumaNodePolicy
// .mergeTestCases), policy_single_numa_node_test.go (TestPolicySingleNumaNodeFilterHints),
// policy_options_test.go and topology_manager_test.go (TestNewManager), plus our own cases.

import type { TopologyManagerPolicy } from '../../../../src/model/kubelet-config.js';
import type { ProviderHints, TopologyHint } from '../../../../src/model/topology-manager/hint.js';
import { formatHint } from '../../../../src/model/topology-manager/hint.js';
import type { NumaInfo } from '../../../../src/model/topology-manager/numa-info.js';
import {
  checkMaxAllowableNumaNodes,
  checkNumaDistances,
  filterSingleNumaHints,
  mergeForPolicy,
  parseTopologyManagerOptions,
} from '../../../../src/model/topology-manager/policy.js';
import {
  anyNotPref,
  anyPref,
  eightNodes,
  emptyProvider,
  fourNodes,
  machine,
  nilProvider,
  notPref,
  oneNode,
  pref,
  provider,
  twoNodes,
} from './builders.js';

interface MergeCase {
  name: string;
  providers: ProviderHints[];
  /** formatHint of the merged hint */
  expected: string;
}

/** commonPolicyMergeTestCases: the same answer from best-effort, restricted and single-numa-node. */
const commonCases: MergeCase[] = [
  {
    name: 'two providers, one hint each, both {0} preferred → {0} preferred',
    providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [pref(0)] })],
    expected: '{0} preferred',
  },
  {
    name: 'two providers, one hint each, both {1} preferred → {1} preferred',
    providers: [provider({ resource1: [pref(1)] }), provider({ resource2: [pref(1)] })],
    expected: '{1} preferred',
  },
  {
    name: 'one provider without hints, one preferring {0} → {0} preferred',
    providers: [nilProvider, provider({ resource: [pref(0)] })],
    expected: '{0} preferred',
  },
  {
    name: 'one provider without hints, one preferring {1} → {1} preferred',
    providers: [nilProvider, provider({ resource: [pref(1)] })],
    expected: '{1} preferred',
  },
  {
    name: 'one provider prefers {0} or {1}, the other only {0} → {0} preferred',
    providers: [provider({ resource1: [pref(0), pref(1)] }), provider({ resource2: [pref(0)] })],
    expected: '{0} preferred',
  },
  {
    name: 'one provider prefers {0} or {1}, the other only {1} → {1} preferred',
    providers: [provider({ resource1: [pref(0), pref(1)] }), provider({ resource2: [pref(1)] })],
    expected: '{1} preferred',
  },
  {
    name: 'both providers have two hints, the narrower preferred {0} matches → {0} preferred',
    providers: [
      provider({ resource1: [pref(0), pref(1)] }),
      provider({ resource2: [pref(0), notPref(0, 1)] }),
    ],
    expected: '{0} preferred',
  },
  {
    name: 'a less narrow preferred hint wins over narrower non-preferred ones → {1} preferred',
    providers: [
      provider({ resource1: [pref(1), notPref(0, 1)] }),
      provider({ resource2: [pref(0), pref(1), notPref(0, 1)] }),
    ],
    expected: '{1} preferred',
  },
  {
    name: 'two resources of the same provider, common preferred {1} → {1} preferred',
    providers: [
      provider({
        resource1: [pref(1), notPref(0, 1)],
        resource2: [pref(0), pref(1), notPref(0, 1)],
      }),
    ],
    expected: '{1} preferred',
  },
];

/** bestEffortPolicy.mergeTestCases; `all` = the machine's default mask as text. */
function bestEffortCases(all: string): MergeCase[] {
  return [
    {
      name: 'both providers prefer {0,1} or {0,2} → the narrower {0,1} preferred',
      providers: [
        provider({ resource1: [pref(0, 1), pref(0, 2)] }),
        provider({ resource2: [pref(0, 1), pref(0, 2)] }),
      ],
      expected: '{0,1} preferred',
    },
    { name: 'no providers → default mask preferred', providers: [], expected: `{${all}} preferred` },
    {
      name: 'a provider returns an empty map → default mask preferred',
      providers: [emptyProvider],
      expected: `{${all}} preferred`,
    },
    {
      name: 'a resource with a nil hint list → default mask preferred',
      providers: [provider({ resource: null })],
      expected: `{${all}} preferred`,
    },
    {
      name: 'a resource with an empty hint list (cannot satisfy) → default mask not preferred',
      providers: [provider({ resource: [] })],
      expected: `{${all}} not preferred`,
    },
    {
      name: 'a single {nil} preferred hint → default mask preferred',
      providers: [provider({ resource: [anyPref] })],
      expected: `{${all}} preferred`,
    },
    {
      name: 'a single {nil} not preferred hint → default mask not preferred',
      providers: [provider({ resource: [anyNotPref] })],
      expected: `{${all}} not preferred`,
    },
    {
      name: 'one provider prefers {0}, the other {1}: no common node → default mask not preferred',
      providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [pref(1)] })],
      expected: `{${all}} not preferred`,
    },
    {
      name: 'both on {0}, one not preferred → {0} not preferred',
      providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [notPref(0)] })],
      expected: '{0} not preferred',
    },
    {
      name: 'both on {1}, one not preferred → {1} not preferred',
      providers: [provider({ resource1: [pref(1)] }), provider({ resource2: [notPref(1)] })],
      expected: '{1} not preferred',
    },
    {
      name: 'one prefers {0}, the other {0,1} preferred: masks differ → {0} not preferred',
      providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [pref(0, 1)] })],
      expected: '{0} not preferred',
    },
    {
      name: 'one prefers {0} or {1}, the other only {0,1} not preferred → {0} not preferred',
      providers: [provider({ resource1: [pref(0), pref(1)] }), provider({ resource2: [notPref(0, 1)] })],
      expected: '{0} not preferred',
    },
    {
      name: 'one prefers {1}, the other {0,1} preferred: masks differ → {1} not preferred',
      providers: [provider({ resource1: [pref(1)] }), provider({ resource2: [pref(0, 1)] })],
      expected: '{1} not preferred',
    },
    {
      name: 'non-preferred {0,1,2,3} or {0,1} with {0,1}: B = 2 → {0,1} not preferred',
      providers: [
        provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
        provider({ resource2: [notPref(0, 1)] }),
      ],
      expected: '{0,1} not preferred',
    },
    {
      name: 'non-preferred {0,1,2,3} or {0,1} with {0,3}: B = 2 keeps {0,3} over {0} → {0,3} not preferred',
      providers: [
        provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
        provider({ resource2: [notPref(0, 3)] }),
      ],
      expected: '{0,3} not preferred',
    },
    {
      name: 'non-preferred {0,1,2,3} or {0,1} with {1,2}: B = 2 keeps {1,2} over {1} → {1,2} not preferred',
      providers: [
        provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
        provider({ resource2: [notPref(1, 2)] }),
      ],
      expected: '{1,2} not preferred',
    },
    {
      name: 'non-preferred {0,1,2,3} or {0,1} with {2,3}: only {2,3} is non-empty → {2,3} not preferred',
      providers: [
        provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
        provider({ resource2: [notPref(2, 3)] }),
      ],
      expected: '{2,3} not preferred',
    },
  ];
}

const bnp5: ProviderHints[] = [
  provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
  provider({ resource2: [notPref(1, 2), notPref(2, 3)] }),
];
const bnp6: ProviderHints[] = [
  provider({ resource1: [notPref(0, 1, 2, 3), notPref(0, 1)] }),
  provider({ resource2: [notPref(1, 2, 3), notPref(1, 2), notPref(1, 3), notPref(2, 3)] }),
];

/** bestEffortPolicy.mergeTestCasesNoPolicies (Narrowest, four nodes). */
const narrowestOnlyCases: MergeCase[] = [
  {
    name: 'non-preferred {1,2} or {2,3} candidates at B = 2, Narrowest → the lower {1,2} not preferred',
    providers: bnp5,
    expected: '{1,2} not preferred',
  },
  {
    name: 'four non-preferred two-node candidates at B = 2, Narrowest → {1,2} not preferred',
    providers: bnp6,
    expected: '{1,2} not preferred',
  },
];

/** bestEffortPolicy.mergeTestCasesClosestNUMA (Closest, eight nodes). */
const closestCases: MergeCase[] = [
  {
    name: 'both prefer {0,4} or {0,2}: {0,2} (avg 11) is closer than {0,4} (avg 20) → {0,2} preferred',
    providers: [
      provider({ resource1: [pref(0, 4), pref(0, 2)] }),
      provider({ resource2: [pref(0, 4), pref(0, 2)] }),
    ],
    expected: '{0,2} preferred',
  },
  {
    name: 'both prefer {4} or {0,2}: different sizes → the narrower {4} preferred',
    providers: [
      provider({ resource1: [pref(4), pref(0, 2)] }),
      provider({ resource2: [pref(4), pref(0, 2)] }),
    ],
    expected: '{4} preferred',
  },
  {
    name: 'non-preferred {1,2} or {2,3} candidates at B = 2, Closest → {2,3} (avg 10.5) not preferred',
    providers: bnp5,
    expected: '{2,3} not preferred',
  },
  {
    name: 'four non-preferred two-node candidates at B = 2, Closest → {2,3} not preferred',
    providers: bnp6,
    expected: '{2,3} not preferred',
  },
];

/** singleNumaNodePolicy.mergeTestCases (four nodes). */
const singleNumaNodeCases: MergeCase[] = [
  { name: 'no providers → {nil} preferred', providers: [], expected: '{nil} preferred' },
  {
    name: 'a provider returns an empty map → {nil} preferred',
    providers: [emptyProvider],
    expected: '{nil} preferred',
  },
  {
    name: 'a resource with a nil hint list → {nil} preferred',
    providers: [provider({ resource: null })],
    expected: '{nil} preferred',
  },
  {
    name: 'a resource with an empty hint list (cannot satisfy) → {nil} not preferred',
    providers: [provider({ resource: [] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'a single {nil} preferred hint → {nil} preferred',
    providers: [provider({ resource: [anyPref] })],
    expected: '{nil} preferred',
  },
  {
    name: 'a single {nil} not preferred hint is filtered out → {nil} not preferred',
    providers: [provider({ resource: [anyNotPref] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'one provider prefers {0}, the other {1}: no common node → {nil} not preferred',
    providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [pref(1)] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'both on {0}, one not preferred: that hint is filtered out → {nil} not preferred',
    providers: [provider({ resource1: [pref(0)] }), provider({ resource2: [notPref(0)] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'both on {1}, one not preferred: that hint is filtered out → {nil} not preferred',
    providers: [provider({ resource1: [pref(1)] }), provider({ resource2: [notPref(1)] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'one prefers {0} or {1}, the other only {0,1} not preferred → {nil} not preferred',
    providers: [provider({ resource1: [pref(0), pref(1)] }), provider({ resource2: [notPref(0, 1)] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'one resource only preferred on {0,1} (two nodes) → {nil} not preferred',
    providers: [provider({ resource1: [pref(0, 1)], resource2: [pref(0), pref(1), notPref(0, 1)] })],
    expected: '{nil} not preferred',
  },
  {
    name: 'a provider without preference next to one preferring {0} or {1} → {0} preferred',
    providers: [provider({ resource1: [pref(0), pref(1), notPref(0, 1)] }), nilProvider],
    expected: '{0} preferred',
  },
];

type MergingPolicy = Exclude<TopologyManagerPolicy, 'none'>;

interface PolicyCase extends MergeCase {
  policy: MergingPolicy;
  info: NumaInfo;
  preferClosestNumaNodes: boolean;
  admit: boolean;
}

/** restricted and single-numa-node admit only preferred hints; best-effort admits everything. */
function admits(policy: MergingPolicy, expected: string): boolean {
  return policy === 'best-effort' || !expected.endsWith('not preferred');
}

function withPolicy(
  policy: MergingPolicy,
  info: NumaInfo,
  preferClosestNumaNodes: boolean,
  cases: MergeCase[],
): PolicyCase[] {
  const machineName = `${info.nodes.length} nodes${preferClosestNumaNodes ? ', prefer-closest' : ''}`;
  return cases.map((c) => ({
    ...c,
    name: `${policy} (${machineName}): ${c.name}`,
    policy,
    info,
    preferClosestNumaNodes,
    admit: admits(policy, c.expected),
  }));
}

const policyCases: PolicyCase[] = [
  ...withPolicy('best-effort', fourNodes, false, [
    ...commonCases,
    ...bestEffortCases('0,1,2,3'),
    ...narrowestOnlyCases,
  ]),
  ...withPolicy('best-effort', eightNodes, true, [
    ...commonCases,
    ...bestEffortCases('0,1,2,3,4,5,6,7'),
    ...closestCases,
  ]),
  ...withPolicy('restricted', fourNodes, false, [
    ...commonCases,
    ...bestEffortCases('0,1,2,3'),
    ...narrowestOnlyCases,
  ]),
  ...withPolicy('restricted', eightNodes, true, [
    ...commonCases,
    ...bestEffortCases('0,1,2,3,4,5,6,7'),
    ...closestCases,
  ]),
  ...withPolicy('single-numa-node', fourNodes, false, [...commonCases, ...singleNumaNodeCases]),
  // prefer-closest-numa-nodes is ignored by single-numa-node: same answers.
  ...withPolicy('single-numa-node', fourNodes, true, [...commonCases, ...singleNumaNodeCases]),
];

describe('mergeForPolicy: kubelet policy_test.go scenarios', () => {
  it.each(policyCases)('$name', ({ policy, info, preferClosestNumaNodes, providers, expected, admit }) => {
    const result = mergeForPolicy(policy, info, { preferClosestNumaNodes }, providers);
    expect(formatHint(result.hint)).toBe(expected);
    expect(result.admit).toBe(admit);
  });
});

describe('mergeForPolicy: our own scenarios', () => {
  // Self-distances that differ make Closest and Narrowest disagree on single-node masks.
  const lopsided = machine(
    [0, 1],
    [
      [20, 21],
      [21, 10],
    ],
  );
  interface Case {
    name: string;
    policy: TopologyManagerPolicy;
    info: NumaInfo;
    preferClosestNumaNodes: boolean;
    providers: ProviderHints[];
    expected: string;
    admit: boolean;
  }
  const cpuOn0or1 = provider({ cpu: [pref(0), pref(1), notPref(0, 1)] });
  const cases: Case[] = [
    {
      name: 'none: no merge at all → {nil} not preferred, admitted',
      policy: 'none',
      info: twoNodes,
      preferClosestNumaNodes: false,
      providers: [provider({ cpu: [] })],
      expected: '{nil} not preferred',
      admit: true,
    },
    {
      name: 'best-effort: cpu on {0} or {1}, memory cannot be satisfied → {0} not preferred, admitted',
      policy: 'best-effort',
      info: twoNodes,
      preferClosestNumaNodes: false,
      providers: [cpuOn0or1, provider({ memory: [] })],
      expected: '{0} not preferred',
      admit: true,
    },
    {
      name: 'restricted: cpu on {0} or {1}, memory cannot be satisfied → {0} not preferred, rejected',
      policy: 'restricted',
      info: twoNodes,
      preferClosestNumaNodes: false,
      providers: [cpuOn0or1, provider({ memory: [] })],
      expected: '{0} not preferred',
      admit: false,
    },
    {
      name: 'restricted: cpu needs both nodes, preferred {0,1} → {0,1} preferred, admitted',
      policy: 'restricted',
      info: twoNodes,
      preferClosestNumaNodes: false,
      providers: [
        provider({ cpu: [pref(0, 1)] }),
        provider({ memory: [notPref(0), notPref(1), pref(0, 1)] }),
      ],
      expected: '{0,1} preferred',
      admit: true,
    },
    {
      name: 'single-numa-node: cpu needs both nodes → {nil} not preferred, rejected',
      policy: 'single-numa-node',
      info: twoNodes,
      preferClosestNumaNodes: false,
      providers: [provider({ cpu: [pref(0, 1)] })],
      expected: '{nil} not preferred',
      admit: false,
    },
    {
      name: 'single-numa-node on one NUMA node: {0} is the default mask → {nil} preferred, admitted',
      policy: 'single-numa-node',
      info: oneNode,
      preferClosestNumaNodes: false,
      providers: [provider({ cpu: [pref(0)] }), provider({ memory: [pref(0)] })],
      expected: '{nil} preferred',
      admit: true,
    },
    {
      name: 'best-effort with prefer-closest: {1} (self-distance 10) beats {0} (20) → {1} preferred',
      policy: 'best-effort',
      info: lopsided,
      preferClosestNumaNodes: true,
      providers: [provider({ cpu: [pref(0), pref(1)] })],
      expected: '{1} preferred',
      admit: true,
    },
    {
      name: 'single-numa-node ignores prefer-closest: Narrowest keeps {0} → {0} preferred',
      policy: 'single-numa-node',
      info: lopsided,
      preferClosestNumaNodes: true,
      providers: [provider({ cpu: [pref(0), pref(1)] })],
      expected: '{0} preferred',
      admit: true,
    },
    {
      name: 'restricted: every resource "don\'t care" → default mask preferred, admitted',
      policy: 'restricted',
      info: fourNodes,
      preferClosestNumaNodes: false,
      providers: [nilProvider, provider({ cpu: null, memory: null })],
      expected: '{0,1,2,3} preferred',
      admit: true,
    },
  ];
  it.each(cases)('$name', ({ policy, info, preferClosestNumaNodes, providers, expected, admit }) => {
    const result = mergeForPolicy(policy, info, { preferClosestNumaNodes }, providers);
    expect(formatHint(result.hint)).toBe(expected);
    expect(result.admit).toBe(admit);
  });
});

describe('filterSingleNumaHints', () => {
  interface Case {
    name: string;
    lists: TopologyHint[][];
    expected: string[][];
  }
  const cases: Case[] = [
    { name: 'no lists → no lists', lists: [], expected: [] },
    {
      name: 'a {nil} not preferred hint is dropped, a {nil} preferred one kept',
      lists: [[anyNotPref], [anyPref]],
      expected: [[], ['{nil} preferred']],
    },
    {
      name: 'single-node preferred hints and {nil} preferred are kept',
      lists: [
        [pref(0), anyNotPref],
        [pref(1), anyPref],
      ],
      expected: [['{0} preferred'], ['{1} preferred', '{nil} preferred']],
    },
    {
      name: 'an empty list stays empty',
      lists: [[pref(1), pref(0), anyNotPref], []],
      expected: [['{1} preferred', '{0} preferred'], []],
    },
    {
      name: 'multi-node and non-preferred single-node hints are dropped',
      lists: [
        [pref(0), pref(1), notPref(1, 2), notPref(0, 1, 2), anyNotPref],
        [notPref(1, 2), notPref(0, 1, 2), notPref(0, 2), notPref(3)],
        [notPref(1, 2), notPref(0, 1, 2), notPref(0, 2)],
      ],
      expected: [['{0} preferred', '{1} preferred'], [], []],
    },
  ];
  it.each(cases)('$name', ({ lists, expected }) => {
    expect(filterSingleNumaHints(lists).map((l) => l.map(formatHint))).toEqual(expected);
  });
});

describe('parseTopologyManagerOptions', () => {
  const noGates = {};
  interface Case {
    name: string;
    raw: Record<string, string>;
    expected: { preferClosestNumaNodes: boolean; maxAllowableNumaNodes: number } | string;
  }
  const cases: Case[] = [
    {
      name: 'no options → defaults',
      raw: {},
      expected: { preferClosestNumaNodes: false, maxAllowableNumaNodes: 8 },
    },
    {
      name: 'prefer-closest-numa-nodes "true" and max-allowable-numa-nodes "8"',
      raw: { 'prefer-closest-numa-nodes': 'true', 'max-allowable-numa-nodes': '8' },
      expected: { preferClosestNumaNodes: true, maxAllowableNumaNodes: 8 },
    },
    {
      name: 'max-allowable-numa-nodes "12"',
      raw: { 'max-allowable-numa-nodes': '12' },
      expected: { preferClosestNumaNodes: false, maxAllowableNumaNodes: 12 },
    },
    {
      name: 'Go ParseBool spelling "T"',
      raw: { 'prefer-closest-numa-nodes': 'T' },
      expected: { preferClosestNumaNodes: true, maxAllowableNumaNodes: 8 },
    },
    {
      name: 'Go ParseBool spelling "0"',
      raw: { 'prefer-closest-numa-nodes': '0' },
      expected: { preferClosestNumaNodes: false, maxAllowableNumaNodes: 8 },
    },
    {
      name: 'Go Atoi accepts a sign: "+16"',
      raw: { 'max-allowable-numa-nodes': '+16' },
      expected: { preferClosestNumaNodes: false, maxAllowableNumaNodes: 16 },
    },
    {
      name: 'an unknown option',
      raw: { 'unknown-option': 'true' },
      expected: 'unknown Topology Manager Policy option: "unknown-option"',
    },
    {
      name: 'a bad boolean',
      raw: { 'prefer-closest-numa-nodes': 'yes' },
      expected:
        'bad value for option "prefer-closest-numa-nodes": strconv.ParseBool: parsing "yes": invalid syntax',
    },
    {
      name: 'a non-integer max-allowable-numa-nodes',
      raw: { 'max-allowable-numa-nodes': 'a' },
      expected:
        'unable to convert policy option to integer "max-allowable-numa-nodes": strconv.Atoi: parsing "a": invalid syntax',
    },
    {
      name: 'an out-of-range max-allowable-numa-nodes',
      raw: { 'max-allowable-numa-nodes': '99999999999999999999' },
      expected:
        'unable to convert policy option to integer "max-allowable-numa-nodes": strconv.Atoi: parsing "99999999999999999999": value out of range',
    },
    {
      name: 'max-allowable-numa-nodes below 8',
      raw: { 'max-allowable-numa-nodes': '7' },
      expected: 'the minimum value of "max-allowable-numa-nodes" should not be less than 8',
    },
  ];
  it.each(cases)('$name', ({ raw, expected }) => {
    const result = parseTopologyManagerOptions(raw, noGates);
    if (typeof expected === 'string') expect(result).toEqual({ ok: false, error: expected });
    else expect(result).toEqual({ ok: true, options: expected });
  });

  it('both options are GA: accepted with the alpha and beta option gates off', () => {
    const result = parseTopologyManagerOptions(
      { 'prefer-closest-numa-nodes': 'true', 'max-allowable-numa-nodes': '10' },
      { TopologyManagerPolicyAlphaOptions: false, TopologyManagerPolicyBetaOptions: false },
    );
    expect(result).toEqual({
      ok: true,
      options: { preferClosestNumaNodes: true, maxAllowableNumaNodes: 10 },
    });
  });
});

describe('checkMaxAllowableNumaNodes', () => {
  it.each([
    {
      name: 'best-effort on 9 NUMA nodes with the default limit → refuses to start',
      policy: 'best-effort' as const,
      count: 9,
      max: 8,
      expected: 'unsupported on machines with more than 8 NUMA Nodes',
    },
    {
      name: 'best-effort on 8 NUMA nodes → fine',
      policy: 'best-effort' as const,
      count: 8,
      max: 8,
      expected: null,
    },
    {
      name: 'none on 9 NUMA nodes → fine (never checked)',
      policy: 'none' as const,
      count: 9,
      max: 8,
      expected: null,
    },
    {
      name: 'restricted on 12 NUMA nodes with max-allowable-numa-nodes 12 → fine',
      policy: 'restricted' as const,
      count: 12,
      max: 12,
      expected: null,
    },
    {
      name: 'single-numa-node on 16 NUMA nodes with max-allowable-numa-nodes 12 → refuses to start',
      policy: 'single-numa-node' as const,
      count: 16,
      max: 12,
      expected: 'unsupported on machines with more than 12 NUMA Nodes',
    },
  ])('$name', ({ policy, count, max, expected }) => {
    expect(checkMaxAllowableNumaNodes(policy, count, { maxAllowableNumaNodes: max })).toBe(expected);
  });
});

describe('checkNumaDistances', () => {
  const missing = 'cannot discover NUMA topology: error getting NUMA distances from cadvisor';
  it.each([
    {
      name: 'prefer-closest without distances → refuses to start',
      policy: 'best-effort' as const,
      info: machine([0]),
      prefer: true,
      expected: missing,
    },
    {
      name: 'prefer-closest with a node lacking its row → refuses to start',
      policy: 'restricted' as const,
      info: machine([0, 1], [[10, 11]]),
      prefer: true,
      expected: missing,
    },
    {
      name: 'single-numa-node still needs distances with prefer-closest',
      policy: 'single-numa-node' as const,
      info: machine([0, 1]),
      prefer: true,
      expected: missing,
    },
    {
      name: 'prefer-closest with all rows → fine',
      policy: 'best-effort' as const,
      info: fourNodes,
      prefer: true,
      expected: null,
    },
    {
      name: 'without prefer-closest → fine',
      policy: 'best-effort' as const,
      info: machine([0, 1]),
      prefer: false,
      expected: null,
    },
    {
      name: 'policy none → fine',
      policy: 'none' as const,
      info: machine([0, 1]),
      prefer: true,
      expected: null,
    },
  ])('$name', ({ policy, info, prefer, expected }) => {
    expect(checkNumaDistances(policy, info, { preferClosestNumaNodes: prefer })).toBe(expected);
  });
});
