// The cluster of `npm run bench:audit` (bench/audit-cluster.ts): every node's pods, Node object and
// kubelet bodies agree with each other under the node's own names and ids, as the audit joins them
// (pod uid in cgroup paths, container ids in cAdvisor's `name` label, pod names in its `pod` label).

import { readFileSync } from 'node:fs';
import { generateCluster } from '../../../bench/audit-cluster.js';
import {
  CADVISOR_SNAPSHOT_FAMILIES,
  KUBELET_SNAPSHOT_FAMILIES,
  filterFamilies,
} from '../../../src/parse/prometheus.js';
import { parseCadvisorCpu, parseKubeletMetrics } from '../../../src/parse/kubelet-metrics.js';
import { analyzeNode } from '../../../src/drift/analyze-node.js';
import type { NodeFacts } from '../../../src/drift/node-facts.js';
import { reduceNode, reducePod } from '../../../src/sources/reduce-pod.js';

type Obj = Record<string, unknown>;

const EXTRA = readFileSync('bench/data/cadvisor-extra-families.txt', 'utf8');

function text(body: string | Uint8Array | readonly (string | Uint8Array)[] | undefined): string {
  if (body === undefined) throw new Error('no body');
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new Error('one scrape expected');
}

describe('the audit benchmark cluster', () => {
  const cluster = generateCluster({
    nodes: 18,
    podsPerNode: 12,
    seed: 7,
    now: new Date('2026-05-12T10:01:07Z'),
    cadvisorExtraFamilies: EXTRA,
  });
  const pods = cluster.pods as Obj[];
  const podsOf = (node: string) => pods.filter((p) => (p.spec as Obj).nodeName === node);

  it('has the asked nodes and pods, unique names and uids, from 16 templates', () => {
    expect(cluster.nodes).toHaveLength(18);
    expect(pods).toHaveLength(18 * 12);
    expect(cluster.templates).toHaveLength(16);
    const names = cluster.nodes.map((n) => ((n as Obj).metadata as Obj).name);
    expect(new Set(names).size).toBe(18);
    const keys = pods.map(
      (p) => `${String((p.metadata as Obj).namespace)}/${String((p.metadata as Obj).name)}`,
    );
    expect(new Set(keys).size).toBe(pods.length);
    expect(new Set(pods.map((p) => (p.metadata as Obj).uid)).size).toBe(pods.length);
    // no template marker is left in any object or body
    expect(JSON.stringify([cluster.nodes, pods])).not.toContain('bench-t');
    for (const node of ['node-00001', 'node-00016']) {
      const k = cluster.kubelet[node];
      expect(JSON.stringify(k?.configz)).not.toContain('bench-t');
      expect(text(k?.metrics)).not.toContain('bench-t');
      expect(text(k?.cadvisor)).not.toContain('bench-t');
    }
  });

  it('each node’s cAdvisor families that the audit reads name its own running pods, by uid, id and name', () => {
    // nodes 0 and 16 come from the same template
    for (const [node, other] of [
      ['node-00000', 'node-00016'],
      ['node-00016', 'node-00000'],
    ] as const) {
      const kept = filterFamilies(text(cluster.kubelet[node]?.cadvisor), CADVISOR_SNAPSHOT_FAMILIES);
      const cpu = parseCadvisorCpu(kept, node);
      expect(cpu.issues).toEqual([]);
      const running = podsOf(node).filter((p) => (p.status as Obj).phase === 'Running');
      expect(running.length).toBeGreaterThan(0);
      for (const p of running) {
        const meta = p.metadata as Obj;
        const uid = String(meta.uid).replace(/-/g, '_');
        const series = cpu.series.filter((s) => s.pod === meta.name && s.namespace === meta.namespace);
        // the pod cgroup, the sandbox and each running container
        expect(series.filter((s) => s.container === '' && s.name === '')).toHaveLength(1);
        expect(series.every((s) => s.id.includes(uid))).toBe(true);
        const status = p.status as Obj;
        for (const c of (status.containerStatuses ?? []) as Obj[]) {
          const id = String(c.containerID).replace('containerd://', '');
          expect(series.find((s) => s.container === c.name)?.name).toBe(id);
        }
      }
      for (const p of podsOf(other))
        expect(kept).not.toContain(String((p.metadata as Obj).uid).replace(/-/g, '_'));
    }
  });

  it('the bodies have a real kubelet’s size, the families the audit keeps are the fixture’s', () => {
    const body = text(cluster.kubelet['node-00003']?.cadvisor);
    expect(body.length).toBeGreaterThan(1_000_000);
    const kept = filterFamilies(body, CADVISOR_SNAPSHOT_FAMILIES);
    expect(kept.length).toBeLessThan(body.length / 5);
    const metrics = text(cluster.kubelet['node-00003']?.metrics);
    expect(metrics).toContain('kubelet_node_name{node="node-00003"} 1');
    const parsed = parseKubeletMetrics(filterFamilies(metrics, KUBELET_SNAPSHOT_FAMILIES), 'node-00003');
    expect(parsed.issues).toEqual([]);
    expect(parsed.processStartTimeSeconds).not.toBeNull();
  });

  it('no drift: each template’s node, read as the audit reads it (no observation), has no D finding', () => {
    const now = '2026-05-12T10:01:07Z';
    // the benchmark's own seed and pods per node, one node per template
    const bench = generateCluster({
      nodes: 16,
      podsPerNode: 30,
      seed: 0x5eed,
      now: new Date(now),
      cadvisorExtraFamilies: null,
    });
    const podsOf = (node: string) => (bench.pods as Obj[]).filter((p) => (p.spec as Obj).nodeName === node);
    const configCodes = new Set<string>();
    for (const node of bench.nodes as Obj[]) {
      const name = String((node.metadata as Obj).name);
      const k = bench.kubelet[name];
      const facts: NodeFacts = {
        name,
        now,
        from: 'live',
        node: reduceNode(node),
        configz: (typeof k?.configz === 'string' ? JSON.parse(k.configz) : null) as object | null,
        metrics: { scrapedAt: now, text: filterFamilies(text(k?.metrics), KUBELET_SNAPSHOT_FAMILIES) },
        cadvisor: [{ scrapedAt: now, text: filterFamilies(text(k?.cadvisor), CADVISOR_SNAPSHOT_FAMILIES) }],
        observation: null,
        observationFrom: null,
        topology: null,
        errors: [],
        pods: podsOf(name).map(reducePod),
      };
      const report = analyzeNode(facts, {
        fidelity: 'source',
        checks: null,
        skipChecks: [],
        requireSources: [],
      });
      const drift = report.findings.filter((f) => f.code.startsWith('D') && f.severity !== 'info');
      expect({ name, drift }).toEqual({ name, drift: [] });
      for (const f of report.findings) if (f.code.startsWith('C')) configCodes.add(f.code);
    }
    // the inputs were read: the templates' deliberate misconfigurations are found
    expect([...configCodes].sort()).toEqual(['C16', 'C3', 'C4', 'C7']);
  });

  it('the same seed gives the same cluster', () => {
    const again = generateCluster({
      nodes: 18,
      podsPerNode: 12,
      seed: 7,
      now: new Date('2026-05-12T10:01:07Z'),
      cadvisorExtraFamilies: EXTRA,
    });
    expect(again.pods).toEqual(cluster.pods);
    expect(text(again.kubelet['node-00009']?.cadvisor)).toBe(text(cluster.kubelet['node-00009']?.cadvisor));
  });
});
