// The demo cluster (npm run demo): its scenario files place the pods as their comments say, the
// drift engine finds exactly the planted drifts on the fixture nodes built from them (and nothing
// on the same nodes built clean), and demo/snapshot.json is the snapshot rebuilt from them, byte for
// byte. demo/snapshot.json is generated: `UPDATE_GOLDEN=1 npm test -- test/unit/demo` rewrites it
// (then review the diff like code).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeNode } from '../../../src/drift/analyze-node.js';
import type { AnalysisOptions, NodeFacts } from '../../../src/drift/node-facts.js';
import { parseSnapshot } from '../../../src/parse/snapshot.js';
import type { ContainerOut, PodOut, SimulationOut } from '../../../src/render/schema.js';
import type { Finding } from '../../../src/schema/reports.js';
import {
  DEMO_SCRAPE_INTERVAL,
  DEMO_SNAPSHOT_PATH,
  DEMO_TAKEN_AT,
  demoNodes,
  demoSnapshotText,
} from '../../helpers/demo-cluster.js';
import { nodeFixture } from '../../helpers/node-fixture.js';
import { REPO_ROOT } from '../../helpers/run-cli.js';

const OPTIONS: AnalysisOptions = { fidelity: 'source', checks: null, skipChecks: [], requireSources: [] };
const SCENARIOS = ['worker-1', 'worker-2', 'worker-3'].map((n) => `demo/cluster/${n}.yaml`);

let nodes: NodeFacts[];
let text: string;

beforeAll(() => {
  nodes = demoNodes();
  text = demoSnapshotText();
});

function pod(out: SimulationOut, ref: string): PodOut {
  const p = out.pods.find((x) => `${x.namespace}/${x.name}` === ref);
  if (p === undefined) throw new Error(`no pod ${ref} in ${out.node}`);
  return p;
}

function container(p: PodOut, name: string): ContainerOut {
  const c = p.containers.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no container ${name} in ${p.namespace}/${p.name}`);
  return c;
}

describe('the scenario files place the pods as their comments say', () => {
  it('worker-1: db/db-0 as seed 1 with Static memory, redis node_exclusive, checkout-0 with a 250m sidecar', () => {
    const out = nodeFixture(SCENARIOS[0] ?? '').prediction();
    expect(out.pods.every((p) => p.admitted)).toBe(true);
    const db = pod(out, 'db/db-0');
    expect({ path: db.path, pool: db.podPool, shared: db.podSharedPool }).toEqual({
      path: 'pod-level',
      pool: { cpus: '1-4,33-36', memory: [{ type: 'memory', numa: [0], size: 17179869184 }] },
      shared: { cpus: '4,36', memory: [{ type: 'memory', numa: [0], size: 4294967296 }] },
    });
    expect(container(db, 'database').cpus).toBe('1-3,33-35');
    expect(container(db, 'metrics-exporter').assignment).toEqual({ cpu: 'pod_shared', memory: 'pod_shared' });
    expect(container(pod(out, 'cache/redis-0'), 'redis').assignment.cpu).toBe('node_exclusive');
    const checkout = pod(out, 'shop/checkout-0');
    expect(checkout.podSharedPool?.cpus).toBe('7,39');
    const shipper = container(checkout, 'log-shipper');
    expect([shipper.assignment.cpu, shipper.cfsQuota, shipper.cfsQuotaMillicores]).toEqual([
      'pod_shared',
      'container',
      250,
    ]);
    const proxy = container(checkout, 'istio-proxy');
    expect([proxy.assignment.cpu, proxy.cfsQuota, proxy.cfsQuotaMillicores]).toEqual([
      'pod_shared',
      'pod',
      4000,
    ]);
    for (const ref of ['web/frontend-7c9d5', 'batch/report-29120401-k7d2x']) {
      expect(pod(out, ref).containers.map((c) => c.assignment.cpu)).toEqual(['node_shared']);
    }
  });

  it('worker-2: ml/ml-0 as seed 2 (Q1 memory entry), triton-0 four exclusive CPUs of the node', () => {
    const out = nodeFixture(SCENARIOS[1] ?? '').prediction();
    expect(out.pods.every((p) => p.admitted)).toBe(true);
    const ml = pod(out, 'ml/ml-0');
    expect(ml.path).toBe('container');
    expect(container(ml, 'ml-training').cpus).toBe('1,32-33');
    const sidecar = container(ml, 'service-mesh-sidecar');
    expect([sidecar.assignment.cpu, sidecar.cfsQuota, sidecar.cfsQuotaMillicores]).toEqual([
      'node_shared',
      'pod',
      4000,
    ]);
    const triton = container(pod(out, 'inference/triton-0'), 'server');
    expect([triton.assignment.cpu, triton.cpus]).toEqual(['node_exclusive', '2-3,34-35']);
  });

  it('worker-3: without PodLevelResourceManagers db/db-1 gets no pool and no exclusive CPUs', () => {
    const out = nodeFixture(SCENARIOS[2] ?? '').prediction();
    const db = pod(out, 'db/db-1');
    expect({ admitted: db.admitted, path: db.path, pool: db.podPool }).toEqual({
      admitted: true,
      path: 'pod',
      pool: undefined,
    });
    expect(db.containers.map((c) => [c.name, c.assignment.cpu, c.cfsQuota])).toEqual([
      ['metrics-exporter', 'node_shared', 'pod'],
      ['backup-agent', 'node_shared', 'pod'],
      ['database', 'node_shared', 'container'],
    ]);
  });
});

type Short = [code: string, severity: Finding['severity'], pod: string | null, container: string | null];

function short(findings: readonly Finding[]): Short[] {
  return findings.map((f) => [
    f.code,
    f.severity,
    f.pod === null ? null : `${f.namespace ?? ''}/${f.pod}`,
    f.container,
  ]);
}

describe('the drift engine finds what was planted', () => {
  it.each(SCENARIOS.map((s, i) => [s, i] as const))(
    '%s built clean: no drift error or warning',
    (scenario, i) => {
      const fixture = nodeFixture(scenario, { now: DEMO_TAKEN_AT });
      if (i === 2) fixture.withoutObservation();
      const report = analyzeNode(fixture.build(), OPTIONS);
      expect(report.findings.filter((f) => f.code.startsWith('D') && f.severity !== 'info')).toEqual([]);
      expect(report.status).toBe('ok');
    },
  );

  it('worker-1: D7 on db/db-0 metrics-exporter (and C16)', () => {
    const report = analyzeNode(nodes[0] as NodeFacts, OPTIONS);
    expect(short(report.findings)).toEqual([
      // only D7: PodResources reports metrics-exporter empty, which is what 1.36 reports for a
      // container without a CPU entry (no D20), and its memory stays in the pod shared pool
      ['D7', 'error', 'db/db-0', 'metrics-exporter'],
      ['C16', 'info', null, null],
    ]);
    const d7 = report.findings[0];
    expect([d7?.expected, d7?.observed]).toEqual(['4,36', '0,8-32,40-63']);
  });

  it('worker-2: D3 between triton-0 server and ml-0 ml-training, and the gauges it moves', () => {
    const report = analyzeNode(nodes[1] as NodeFacts, OPTIONS);
    expect(short(report.findings)).toEqual([
      ['D3', 'error', 'inference/triton-0', 'server'],
      // the overlap counts CPU 1 twice: 6 exclusive CPUs instead of 7, a shared pool one CPU larger
      ['D13', 'warning', null, null],
      ['D13', 'warning', null, null],
      ['C5', 'info', null, null],
      ['C16', 'info', null, null],
      ['D19', 'info', 'ml/ml-0', 'service-mesh-sidecar'],
    ]);
    expect(report.findings[0]?.observed).toBe('1');
    expect(report.findings.slice(1, 3).map((f) => [f.expected, f.observed])).toEqual([
      [56000, 57000],
      [7, 6],
    ]);
  });

  it('worker-3: C3 only; the checks needing an observation are not checked', () => {
    const report = analyzeNode(nodes[2] as NodeFacts, OPTIONS);
    expect(short(report.findings)).toEqual([['C3', 'warning', null, null]]);
    const notChecked = report.coverage.filter((c) => c.status === 'not-checked').map((c) => c.code);
    expect(notChecked).toEqual(expect.arrayContaining(['D3', 'D7', 'D16', 'D20']));
    expect(report.sources.observation.status).toBe('absent');
  });
});

describe(DEMO_SNAPSHOT_PATH, () => {
  const file = join(REPO_ROOT, DEMO_SNAPSHOT_PATH);

  it('is the snapshot rebuilt from demo/cluster/ (UPDATE_GOLDEN=1 rewrites it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    if (!existsSync(file)) {
      throw new Error(`${DEMO_SNAPSHOT_PATH} does not exist; create it with UPDATE_GOLDEN=1 and review it`);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('reads as a Snapshot: three nodes, two scrapes each, observations of worker-1 and worker-2', () => {
    const snap = parseSnapshot(Buffer.from(text), DEMO_SNAPSHOT_PATH);
    expect(snap.takenAt).toBe(DEMO_TAKEN_AT);
    expect(
      snap.nodes.map((n) => [
        n.name,
        n.cadvisor.length,
        n.observation !== null,
        n.errors.length,
        (Date.parse(n.cadvisor[1]?.scrapedAt ?? '') - Date.parse(n.cadvisor[0]?.scrapedAt ?? '')) / 1000,
      ]),
    ).toEqual([
      ['worker-1', 2, true, 0, DEMO_SCRAPE_INTERVAL],
      ['worker-2', 2, true, 0, DEMO_SCRAPE_INTERVAL],
      ['worker-3', 2, false, 0, DEMO_SCRAPE_INTERVAL],
    ]);
    expect(snap.pods).toHaveLength(11);
  });
});
