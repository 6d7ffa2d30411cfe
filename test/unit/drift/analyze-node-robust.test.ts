// The engine on what a live cluster can hand it unvalidated: Node objects, /configz bodies, pod
// fields, /metrics and /metrics/cadvisor texts come straight from the API server and the kubelets
// (only observations and snapshots go through strict readers first). Seeded random damage to each
// of them, on the demo snapshot's three nodes: the analysis never throws, it reports the node.

import { readFileSync } from 'node:fs';
import { analyzeNodeFull } from '../../../src/drift/analyze-node.js';
import type { AnalysisOptions, NodeFacts } from '../../../src/drift/node-facts.js';
import { parseSnapshot } from '../../../src/parse/snapshot.js';
import type { NodeReportBody } from '../../../src/schema/reports.js';

const SNAPSHOT = parseSnapshot(readFileSync('demo/snapshot.json'), 'demo/snapshot.json');
const OPTIONS: AnalysisOptions = { fidelity: 'source', checks: null, skipChecks: [], requireSources: [] };
const VALUES: readonly unknown[] = [
  null,
  undefined,
  '',
  'x',
  -1,
  0,
  1.5,
  1e12,
  true,
  [],
  {},
  '-5',
  'NaN',
  '0-999',
  [1, 'a'],
  { a: 1 },
];

/** A deterministic PRNG (LCG), so a failure names its seed. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

type Path = readonly (string | number)[];

function pathsOf(o: unknown, minDepth: number, prefix: Path = [], out: Path[] = []): Path[] {
  if (o === null || typeof o !== 'object' || prefix.length > 12) return out;
  for (const k of Object.keys(o)) {
    const p = [...prefix, k];
    if (p.length >= minDepth) out.push(p);
    pathsOf((o as Record<string, unknown>)[k], minDepth, p, out);
  }
  return out;
}

/** 1–3 fields anywhere at `minDepth` or below set to an odd value or deleted. */
function damage<T>(value: T, rnd: () => number, minDepth = 1): T {
  const copy = structuredClone(value);
  const paths = pathsOf(copy, minDepth);
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n && paths.length > 0; i++) {
    const path = paths[Math.floor(rnd() * paths.length)] ?? [];
    let target: unknown = copy;
    for (const k of path.slice(0, -1)) target = (target as Record<string, unknown> | null)?.[k];
    if (target === null || typeof target !== 'object') continue;
    const key = String(path.at(-1));
    const v = VALUES[Math.floor(rnd() * VALUES.length)];
    if (v === undefined) Reflect.deleteProperty(target, key);
    else (target as Record<string, unknown>)[key] = structuredClone(v);
  }
  return copy;
}

/** Cuts about one line in twenty short and appends an odd token. */
function garble(text: string, rnd: () => number): string {
  return text
    .split('\n')
    .map((l) =>
      rnd() < 0.05 ? l.slice(0, Math.floor(rnd() * l.length)) + String(VALUES[Math.floor(rnd() * 7)]) : l,
    )
    .join('\n');
}

function factsOf(i: number): NodeFacts {
  const node = SNAPSHOT.nodes[i % SNAPSHOT.nodes.length];
  if (node === undefined) throw new Error('the demo snapshot has no nodes');
  return {
    ...node,
    now: SNAPSHOT.takenAt,
    from: 'snapshot',
    observationFrom: node.observation === null ? null : 'snapshot',
    pods: SNAPSHOT.pods.filter((p) => (p as { spec?: { nodeName?: string } }).spec?.nodeName === node.name),
  };
}

const baselines = new Map<string, string>();
/** The report of the undamaged node, as JSON. */
function undamaged(facts: NodeFacts): string {
  let json = baselines.get(facts.name);
  if (json === undefined) {
    json = JSON.stringify(analyzeNodeFull(facts, OPTIONS).report);
    baselines.set(facts.name, json);
  }
  return json;
}

describe('analyzeNodeFull on damaged live inputs', () => {
  it.each([
    ['the Node object', 0],
    ['the /configz body', 1],
    ['fields inside the pods', 2],
    ['the /metrics text', 3],
    ['the /metrics/cadvisor texts', 4],
  ])('%s: never throws, always a report of the node (120 seeded cases)', (_what, part) => {
    let changed = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const rnd = prng(seed * 31 + part);
      const base = factsOf(seed);
      const facts: NodeFacts =
        part === 0
          ? { ...base, node: damage(base.node, rnd) }
          : part === 1
            ? { ...base, configz: damage(base.configz, rnd) }
            : part === 2
              ? // depth 2: a list from the API server holds objects; their fields can be anything
                { ...base, pods: damage(base.pods, rnd, 2) }
              : part === 3
                ? {
                    ...base,
                    metrics: base.metrics && { ...base.metrics, text: garble(base.metrics.text, rnd) },
                  }
                : { ...base, cadvisor: base.cadvisor.map((s) => ({ ...s, text: garble(s.text, rnd) })) };
      let report: NodeReportBody | null = null;
      expect(() => {
        report = analyzeNodeFull(facts, OPTIONS).report;
      }).not.toThrow();
      expect({ seed, name: (report as NodeReportBody | null)?.name }).toEqual({ seed, name: base.name });
      if (JSON.stringify(report) !== undamaged(base)) changed++;
    }
    // the damage reaches the analysis
    expect(changed).toBeGreaterThan(10);
  });
});
