// `audit` (cli.md §5.4) run in-process through the CLI: offline from a Snapshot of fixture nodes
// and live against the fake API server serving the same nodes (same report), every output format,
// --fail-on, --checks/--skip-checks, node selection, a node that is not linux, the paged
// cluster-wide pod list, the progress line, and failures: get nodes/proxy denied, a node that
// disappears between the list and its reads, cluster-level errors.

import { parse as parseYaml } from 'yaml';
import type { NodeFacts } from '../../../../src/drift/node-facts.js';
import { realEvery } from '../../../../src/cli/progress.js';
import type { AuditReport } from '../../../../src/schema/reports.js';
import { fixtureCluster, withoutFrom } from '../../../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../../../helpers/fixture-cluster.js';
import { DEFAULT_NOW, nodeFixture } from '../../../helpers/node-fixture.js';
import { nodeObject } from '../../../helpers/k8s-objects.js';
import { linesOf, runCli, warningsOf } from '../../../helpers/run-cli.js';
import type { CliResult } from '../../../helpers/run-cli.js';

const DB = 'examples/tightly-coupled-database.yaml';
const ML = 'examples/ml-workload.yaml';
const FIXED_CLOCK = { clock: () => new Date(DEFAULT_NOW) };

let worker1: NodeFacts;
let worker2: NodeFacts;
let cluster: FixtureCluster;
let snap: string;
const windows = nodeObject('win-1', { labels: { 'kubernetes.io/os': 'windows' } });

beforeAll(async () => {
  worker1 = nodeFixture(DB, { nodeName: 'worker-1' })
    .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
    .build();
  worker2 = nodeFixture(ML, { nodeName: 'worker-2' }).withoutObservation().build();
  cluster = await fixtureCluster([worker1, worker2], { extraNodes: [windows] });
  snap = await cluster.writeSnapshot(DEFAULT_NOW);
  await runCli(['audit', '--snapshot', snap]);
}, 60_000);

afterAll(async () => {
  await cluster.close();
});

beforeEach(() => {
  cluster.server.clearRequests();
});

const offline = (...args: string[]): Promise<CliResult> => runCli(['audit', ...args, '--snapshot', snap]);
const live = (...args: string[]): Promise<CliResult> =>
  runCli(['audit', ...args], { env: cluster.env, deps: FIXED_CLOCK });
const json = (r: CliResult): AuditReport => JSON.parse(r.stdout) as AuditReport;

describe('audit, offline', () => {
  it('table: a row per node, errors and warnings, not-checked lines, the summary; exit 1 for the D7 error', async () => {
    const r = await offline();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    const lines = linesOf(r.stdout);
    expect(lines[0]?.split(/\s{2,}/)).toEqual([
      'NODE',
      'VERSION',
      'CPU',
      'MEMORY',
      'TOPOLOGY',
      'PLRM',
      'PODS',
      'SOURCES',
      'E',
      'W',
      'I',
      'STATUS',
    ]);
    // the finding counts are the drift engine's: the table shows those of the report
    const doc = json(await offline('-o', 'json'));
    const counts = (name: string): string[] => {
      const f = doc.nodes.find((n) => n.name === name)?.findings ?? [];
      return ['error', 'warning', 'info'].map((sev) => String(f.filter((x) => x.severity === sev).length));
    };
    expect(lines[1]?.split(/\s{2,}/)).toEqual([
      'worker-1',
      'v1.36.2',
      'static',
      'None',
      'single-numa-node/pod',
      'active',
      '1',
      'cz m ca obs',
      ...counts('worker-1'),
      'ok',
    ]);
    expect(counts('worker-1')[0]).toBe('1');
    expect(lines[2]?.split(/\s{2,}/)).toEqual([
      'worker-2',
      'v1.36.2',
      'static',
      'None',
      'best-effort/container',
      'container-scope',
      '1',
      'cz m ca',
      ...counts('worker-2'),
      'ok',
    ]);
    expect(lines.some((l) => /^error\s+D7\s+worker-1\s+db\/db-0\s+metrics-exporter/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('info'))).toBe(false);
    expect(lines).toContain(
      'not checked: D3,D4,D6,D7,D8,D16,D17,D18,D20 on worker-2 (no node observation; pass --observation or --collector)',
    );
    const f = doc.summary.findings;
    expect(lines.at(-1)).toBe(
      `2 nodes: 2 audited, 0 unreachable, 0 skipped; 1 error, ${f.warning} warning${f.warning === 1 ? '' : 's'}, ${f.info} info`,
    );
  });

  it('wide: info findings and the coverage table too', async () => {
    const r = await offline('-o', 'wide');
    const lines = linesOf(r.stdout);
    expect(lines[0]).toContain('POD-LEVEL PODS');
    expect(lines.some((l) => /^info\s+C16\s+worker-1/.test(l))).toBe(true);
    expect(lines).toContain('COVERAGE');
  });

  it('json and yaml: one AuditReport; node reports list only pods with findings', async () => {
    const j = await offline('-o', 'json');
    const y = await offline('-o', 'yaml');
    expect([j.code, y.code]).toEqual([1, 1]);
    const doc = json(j);
    expect(parseYaml(y.stdout)).toEqual(doc);
    expect([doc.kind, doc.generatedAt, doc.failOn]).toEqual(['AuditReport', DEFAULT_NOW, 'error']);
    expect(doc.nodes.map((n) => [n.name, n.pods.map((p) => p.name)])).toEqual([
      ['worker-1', ['db-0']],
      ['worker-2', []],
    ]);
    const all = doc.nodes.flatMap((n) => n.findings);
    const count = (sev: string): number => all.filter((x) => x.severity === sev).length;
    expect(count('error')).toBe(1);
    expect(doc.summary).toEqual({
      nodes: 2,
      audited: 2,
      unreachable: 0,
      skipped: 0,
      nodesWithFindings: doc.nodes.filter((n) => n.findings.length > 0).length,
      findings: { error: 1, warning: count('warning'), info: count('info') },
      exitCode: 1,
    });
  });

  it('--fail-on: none → 0, warning and info → 1; the summary carries the exit code', async () => {
    const none = await offline('--fail-on', 'none', '-o', 'json');
    expect([none.code, json(none).summary.exitCode, json(none).failOn]).toEqual([0, 0, 'none']);
    expect((await offline('--fail-on', 'warning')).code).toBe(1);
    expect((await offline('worker-2', '--fail-on', 'error')).code).toBe(0);
    expect((await offline('worker-2', '--fail-on', 'warning')).code).toBe(1);
  });

  it('--checks and --skip-checks: left-out codes are skipped in coverage and raise nothing', async () => {
    const only = json(await offline('--checks', 'D7', '-o', 'json'));
    const w1 = only.nodes[0];
    expect(w1?.findings.map((f) => f.code)).toEqual(['D7']);
    expect(w1?.coverage.find((c) => c.code === 'C7')).toEqual({
      code: 'C7',
      status: 'skipped',
      missing: [],
      reason: 'not selected by --checks',
    });
    const noDrift = await offline('--skip-checks', 'd', '-o', 'json');
    expect(noDrift.code).toBe(0);
    const doc = json(noDrift);
    expect(doc.nodes.flatMap((n) => n.findings.map((f) => f.code)).every((c) => c.startsWith('C'))).toBe(
      true,
    );
    expect(doc.nodes[0]?.coverage.find((c) => c.code === 'D7')?.status).toBe('skipped');
  });

  it('-l selects nodes by label; named nodes are audited in name order', async () => {
    const sel = json(await offline('-l', 'kubernetes.io/hostname=worker-2', '-o', 'json'));
    expect(sel.nodes.map((n) => n.name)).toEqual(['worker-2']);
    const named = json(await offline('worker-2', 'worker-1', '-o', 'json'));
    expect(named.nodes.map((n) => n.name)).toEqual(['worker-1', 'worker-2']);
  });
});

describe('usage errors: exit 2, nothing on stdout', () => {
  it.each([
    [['audit', 'worker-1', '-l', 'a=b'], 'error: node names and --selector cannot be combined'],
    [
      ['audit', '--checks', 'D7,X9'],
      'error: invalid value "D7,X9" for --checks: "X9" is not a check code (C1–C16, D1–D20) or family (C, D)',
    ],
    [
      ['audit', '--skip-checks', 'D21'],
      'error: invalid value "D21" for --skip-checks: "D21" is not a check code (C1–C16, D1–D20) or family (C, D)',
    ],
    [
      ['audit', '--concurrency', '65'],
      'error: invalid value "65" for --concurrency: expected an integer from 1 to 64',
    ],
    [['audit', '-l', 'a in (b'], expect.stringMatching(/^error: invalid value "a in \(b" for --selector: /)],
    [['audit', '--interval', '5s'], 'error: unknown flag "--interval" for "audit"'],
  ])('%j', async (argv, message) => {
    const r = await runCli(argv, { env: { KUBECONFIG: '/no/such/kubeconfig' } });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr.replace(/\n$/, '')).toEqual(message);
  });
});

describe('audit, live (fake API server)', () => {
  it('the same AuditReport as from a snapshot of the same nodes', async () => {
    const flags = await cluster.observationFlags();
    const r = await live('worker-1', 'worker-2', '-o', 'json', ...flags);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: '' });
    expect(withoutFrom(r.stdout)).toEqual(withoutFrom((await offline('-o', 'json')).stdout));
  });

  it('all nodes by default; one not labelled kubernetes.io/os=linux is skipped without reading its kubelet', async () => {
    const r = await live('-o', 'json');
    const doc = json(r);
    expect(doc.nodes.map((n) => [n.name, n.status])).toEqual([
      ['win-1', 'skipped'],
      ['worker-1', 'ok'],
      ['worker-2', 'ok'],
    ]);
    expect(doc.summary.skipped).toBe(1);
    expect(cluster.server.requestLines().filter((l) => l.includes('win-1'))).toEqual([]);
    const table = linesOf((await live()).stdout);
    expect(table.find((l) => l.startsWith('win-1'))?.split(/\s{2,}/)).toEqual([
      'win-1',
      'v1.36.2',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '0',
      '0',
      '0',
      'skipped',
    ]);
    expect(table.at(-1)).toMatch(/^3 nodes: 2 audited, 0 unreachable, 1 skipped; 0 errors, /);
  });

  it('many nodes for the concurrency: one paged cluster-wide pod list, the same report', async () => {
    const perNode = await live('-o', 'json');
    cluster.server.clearRequests();
    const wide = await live('-o', 'json', '--concurrency', '1');
    const pods = cluster.server.requestLines().filter((l) => l.startsWith('GET /api/v1/pods'));
    expect(pods).toEqual(['GET /api/v1/pods?limit=500']);
    expect(wide.stdout).toBe(perNode.stdout);
  });

  it('an unknown node is exit 2 before any kubelet is read', async () => {
    const r = await live('worker-1', 'worker-9');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: node "worker-9" not found\n' });
    expect(cluster.server.requestLines().some((l) => l.includes('/proxy/'))).toBe(false);
  });

  it('progress on a terminal stderr once the run is longer than 2 s; none when piped', async () => {
    // a clock that advances a second per reading: the run "lasts" long enough
    let t = Date.parse(DEFAULT_NOW);
    const deps = { clock: () => new Date((t += 1000)), every: (tick: () => void) => realEvery(tick, 1) };
    const slowOnTty = await runCli(['audit'], { env: cluster.env, deps, stderrTty: true });
    expect(slowOnTty.code).toBe(0);
    const erase = `${String.fromCharCode(27)}[K`;
    const lines = slowOnTty.stderr.split('\r').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^audit: [0-3]\/3 nodes read/);
    expect(lines.every((l) => l.endsWith(erase))).toBe(true);
    expect(lines.at(-1)).toBe(erase);
    const piped = await runCli(['audit'], { env: cluster.env, deps });
    expect(piped.stderr).toBe('');
    const fast = await runCli(['audit'], {
      env: cluster.env,
      deps: { ...FIXED_CLOCK, every: deps.every },
      stderrTty: true,
    });
    expect(fast.stderr).toBe('');
  });
});

describe('audit, failures', () => {
  let broken: FixtureCluster;

  beforeEach(async () => {
    broken = await fixtureCluster([worker1, worker2]);
  });

  afterEach(async () => {
    await broken.close();
  });

  const run = (...args: string[]): Promise<CliResult> =>
    runCli(['audit', ...args], { env: broken.env, deps: FIXED_CLOCK });

  it('get nodes/proxy denied: one warning, no kubelet request, every node unreachable, exit 3', async () => {
    broken.server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy' });
    const r = await run('-o', 'json', '--fail-on', 'none');
    expect(r.code).toBe(3);
    const w = warningsOf(r);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(
      /^warning: cannot read the kubelets' .*: forbidden \(403\); needs get on nodes\/proxy; not checked or partial: C1,/,
    );
    expect(broken.server.requestLines().filter((l) => l.includes('/proxy/'))).toEqual([]);
    const doc = json(r);
    expect(doc.nodes.map((n) => n.status)).toEqual(['unreachable', 'unreachable']);
    expect(doc.nodes[0]?.sources.configz).toEqual({
      status: 'forbidden',
      from: 'live',
      httpStatus: 403,
      message: 'cannot read /configz: forbidden (403); needs get on nodes/proxy',
    });
    expect(doc.summary.exitCode).toBe(3);
    const table = linesOf((await run('--fail-on', 'none')).stdout);
    expect(table).toContainEqual(
      expect.stringMatching(/^not checked: C1,C3,.*,D7,.* on worker-1 \(configz: forbidden \(403\)\)$/),
    );
  });

  it('a node that disappears between the list and its reads: warnings, unreachable, the others audited', async () => {
    broken.server.vanishNode('worker-2');
    const r = await run('-o', 'json', '--fail-on', 'none');
    expect(r.code).toBe(3);
    expect(warningsOf(r)).toEqual([
      'warning: node worker-2: cannot read /configz: not found (404)',
      'warning: node worker-2: cannot read /metrics: not found (404)',
      'warning: node worker-2: cannot read /metrics/cadvisor: not found (404)',
    ]);
    const doc = json(r);
    expect(doc.nodes.map((n) => [n.name, n.status])).toEqual([
      ['worker-1', 'ok'],
      ['worker-2', 'unreachable'],
    ]);
    expect(doc.summary).toMatchObject({ nodes: 2, audited: 1, unreachable: 1 });
    // with worker-1's observation, its D7 error makes exit 1 by default
    expect((await run(...(await broken.observationFlags()))).code).toBe(1);
  });

  it('listing nodes forbidden: exit 3, one error line, nothing on stdout', async () => {
    broken.server.deny({ verb: 'list', resource: 'nodes' });
    expect(await run()).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: cannot list nodes: forbidden (403); needs list on nodes\n',
    });
  });

  it('listing pods forbidden: exit 3, nothing on stdout', async () => {
    broken.server.deny({ verb: 'list', resource: 'pods' });
    const r = await run();
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(
      /^error: cannot list pods on node "worker-[12]": forbidden \(403\); needs list on pods in all namespaces\n$/,
    );
  });

  it('the API server unreachable: exit 3, nothing on stdout', async () => {
    const url = broken.server.url;
    await broken.server.close();
    const r = await run();
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: '' });
    expect(r.stderr).toBe(`error: cannot reach the API server ${url}: connect ECONNREFUSED\n`);
    broken = await fixtureCluster([]);
  });
});
