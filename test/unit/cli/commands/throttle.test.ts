// `throttle` (cli.md §5.5) run in-process through the CLI: offline from a Snapshot of fixture
// nodes (two scrapes 30 s apart → interval; one → cumulative), live against the fake API server
// serving the same nodes with an injected clock and sleep (the same report, no real waiting), pod
// selection, --threshold/--all/--since-start, --fail-on, and usage errors.

import { readFile, writeFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { NodeFacts } from '../../../../src/drift/node-facts.js';
import type { ThrottleReport } from '../../../../src/schema/reports.js';
import type { Snapshot } from '../../../../src/schema/snapshot.js';
import { fixtureCluster, withoutFrom } from '../../../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../../../helpers/fixture-cluster.js';
import { DEFAULT_NOW, nodeFixture } from '../../../helpers/node-fixture.js';
import { podObject } from '../../../helpers/k8s-objects.js';
import { linesOf, runCli } from '../../../helpers/run-cli.js';
import type { CliResult } from '../../../helpers/run-cli.js';

const DB = 'examples/tightly-coupled-database.yaml';
const ML = 'examples/ml-workload.yaml';
const NOW_MS = Date.parse(DEFAULT_NOW);

let worker1: NodeFacts;
let worker2: NodeFacts;
let cluster: FixtureCluster;
let snap: string;
let oneScrape: string;

beforeAll(async () => {
  // cli.md §10 example 4: the ml sidecar bursts past the pod limit it gets as its quota
  worker1 = nodeFixture(DB, { nodeName: 'worker-1' }).cadvisorScrapes(2, 30).build();
  worker2 = nodeFixture(ML, { nodeName: 'worker-2' })
    .withoutObservation()
    .cadvisorScrapes(2, 30)
    .cpuUsage('ml/ml-0', 'service-mesh-sidecar', { cores: 3.97, throttledRatio: 0.31 })
    .build();
  cluster = await fixtureCluster([worker1, worker2], {
    namespace: 'ml',
    extraPods: [podObject('pending-0', { namespace: 'ml', node: null })],
  });
  snap = await cluster.writeSnapshot(DEFAULT_NOW);
  const doc = JSON.parse(await readFile(snap, 'utf8')) as Snapshot;
  oneScrape = snap.replace(/snap\.json$/, 'snap-one-scrape.json');
  await writeFile(
    oneScrape,
    JSON.stringify({ ...doc, nodes: doc.nodes.map((n) => ({ ...n, cadvisor: n.cadvisor.slice(-1) })) }),
  );
  await runCli(['throttle', '-A', '--snapshot', snap]);
}, 60_000);

afterAll(async () => {
  await cluster.close();
});

beforeEach(() => {
  cluster.server.clearRequests();
  cluster.resetScrapes();
});

const offline = (...args: string[]): Promise<CliResult> => runCli(['throttle', ...args, '--snapshot', snap]);
const report = (r: CliResult): ThrottleReport => JSON.parse(r.stdout) as ThrottleReport;

/** A clock that stands still but for the sleeps, which return at once and advance it. */
function fakeTime(startMs: number): {
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
} {
  let t = startMs;
  const slept: number[] = [];
  return {
    slept,
    clock: () => new Date(t),
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

describe('throttle, offline (two scrapes 30 s apart)', () => {
  it('table: only the rows at or above the threshold or with a cause', async () => {
    const r = await offline('-A');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(linesOf(r.stdout).map((l) => l.split(/\s{2,}/))).toEqual([
      [
        'NAMESPACE',
        'POD',
        'CONTAINER',
        'CPU',
        'CPUS',
        'QUOTA',
        'THROTTLED',
        'POD THROTTLED',
        'USAGE',
        'CAUSE',
      ],
      [
        'ml',
        'ml-0',
        'service-mesh-sidecar',
        'node_shared',
        '61',
        'pod 4000m',
        '31.0%',
        '-',
        '3.97',
        'pod-limit-as-container-quota',
      ],
    ]);
  });

  it('json and yaml: the interval window, the threshold, the nodes and the T1 finding', async () => {
    const j = await offline('-A', '-o', 'json');
    const y = await offline('-A', '-o', 'yaml');
    const doc = report(j);
    expect(parseYaml(y.stdout)).toEqual(doc);
    expect(doc.window).toEqual({
      mode: 'interval',
      seconds: 30,
      from: '2026-05-12T10:00:37Z',
      to: DEFAULT_NOW,
    });
    expect(doc.threshold).toBe(0.25);
    expect(doc.nodes.map((n) => [n.name, n.status, Object.keys(n.sources)])).toEqual([
      ['worker-1', 'ok', ['node', 'configz', 'cadvisor']],
      ['worker-2', 'ok', ['node', 'configz', 'cadvisor']],
    ]);
    expect(doc.findings.map((f) => [f.code, f.severity, f.pod, f.container])).toEqual([
      ['T1', 'warning', 'ml-0', 'service-mesh-sidecar'],
    ]);
  });

  it('--fail-on warning: exit 1 for the T1 finding', async () => {
    expect((await offline('-A', '--fail-on', 'warning')).code).toBe(1);
    expect((await offline('-A', '--fail-on', 'error')).code).toBe(0);
  });

  it('POD: every container of that pod', async () => {
    const doc = report(await offline('db-0', '-n', 'db', '-o', 'json'));
    expect(doc.rows.map((r) => [r.container, r.assignment, r.cause])).toEqual([
      ['metrics-exporter', 'pod_shared', 'none'],
      ['backup-agent', 'pod_shared', 'none'],
      ['database', 'pod_exclusive', 'none'],
    ]);
    expect(doc.nodes.map((n) => n.name)).toEqual(['worker-1']);
  });

  it('--threshold hides rows below it; --all shows them', async () => {
    expect(report(await offline('-A', '--threshold', '0.5', '-o', 'json')).rows).toEqual([]);
    const all = report(await offline('-A', '--threshold', '0.5', '--all', '-o', 'json'));
    expect(all.rows.map((r) => `${r.namespace}/${r.pod} ${r.container}`)).toEqual([
      'db/db-0 metrics-exporter',
      'db/db-0 backup-agent',
      'db/db-0 database',
      'ml/ml-0 service-mesh-sidecar',
      'ml/ml-0 ml-training',
    ]);
  });

  it('-n and --node select the pods, and only their nodes are read', async () => {
    expect(report(await offline('-n', 'ml', '-o', 'json')).nodes.map((n) => n.name)).toEqual(['worker-2']);
    const onNode = report(await offline('-A', '--node', 'worker-1', '--all', '-o', 'json'));
    expect([...new Set(onNode.rows.map((r) => r.pod))]).toEqual(['db-0']);
    expect(report(await offline('-l', 'app=nothing', '-A', '-o', 'json'))).toMatchObject({
      rows: [],
      nodes: [],
    });
  });

  it('one scrape per node → cumulative counters, no usage; --since-start too', async () => {
    const one = report(await runCli(['throttle', '-A', '-o', 'json', '--snapshot', oneScrape]));
    expect(one.window).toEqual({ mode: 'cumulative', seconds: null, from: null, to: DEFAULT_NOW });
    expect(one.rows.map((r) => [r.container, r.containerCfs?.throttledRatio, r.usageCores])).toEqual([
      ['service-mesh-sidecar', 0.31, null],
    ]);
    expect(report(await offline('-A', '--since-start', '-o', 'json')).window.mode).toBe('cumulative');
  });

  it('wide: node, type, cpuset, periods, throttled seconds and the message', async () => {
    const header = linesOf((await offline('-A', '-o', 'wide')).stdout)[0] ?? '';
    for (const col of ['NODE', 'TYPE', 'CPUSET', 'PERIODS', 'THROTTLED SECONDS', 'MESSAGE'])
      expect(header).toContain(col);
  });
});

describe('throttle, live (fake API server, injected clock)', () => {
  it('two scrapes --interval apart (no real wait), the same report as the snapshot of the same nodes', async () => {
    const time = fakeTime(NOW_MS - 30_000);
    const r = await runCli(['throttle', '-A', '--interval', '30s', '-o', 'json'], {
      env: cluster.env,
      deps: time,
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(time.slept).toEqual([30_000]);
    expect(withoutFrom(r.stdout)).toEqual(withoutFrom((await offline('-A', '-o', 'json')).stdout));
    const kubelet = cluster.server
      .requestLines()
      .filter((l) => l.includes('/proxy/'))
      .sort();
    expect(kubelet).toEqual([
      'GET /api/v1/nodes/worker-1/proxy/configz',
      'GET /api/v1/nodes/worker-1/proxy/metrics/cadvisor',
      'GET /api/v1/nodes/worker-1/proxy/metrics/cadvisor',
      'GET /api/v1/nodes/worker-2/proxy/configz',
      'GET /api/v1/nodes/worker-2/proxy/metrics/cadvisor',
      'GET /api/v1/nodes/worker-2/proxy/metrics/cadvisor',
    ]);
  });

  it('--interval defaults to 10s; --since-start scrapes once and does not wait', async () => {
    const time = fakeTime(NOW_MS);
    await runCli(['throttle'], { env: cluster.env, deps: time });
    expect(time.slept).toEqual([10_000]);
    cluster.resetScrapes();
    cluster.server.clearRequests();
    const once = fakeTime(NOW_MS);
    const r = await runCli(['throttle', '--since-start', '-o', 'json'], { env: cluster.env, deps: once });
    expect(once.slept).toEqual([]);
    expect(report(r).window.mode).toBe('cumulative');
    // -n defaults to the context's namespace (ml): only worker-2 is read
    expect(cluster.server.requestLines().filter((l) => l.includes('/proxy/metrics/cadvisor'))).toEqual([
      'GET /api/v1/nodes/worker-2/proxy/metrics/cadvisor',
    ]);
  });

  it('POD bound to no node: a warning, no rows, no node read, exit 0', async () => {
    const r = await runCli(['throttle', 'pending-0', '-o', 'json'], {
      env: cluster.env,
      deps: fakeTime(NOW_MS),
    });
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: 'warning: pod "ml/pending-0" is not bound to a node\n',
    });
    expect(report(r)).toMatchObject({ rows: [], nodes: [], findings: [] });
    expect(cluster.server.requestLines()).toEqual(['GET /api/v1/namespaces/ml/pods/pending-0']);
  });

  it('an unknown pod or --node is exit 2', async () => {
    expect(await runCli(['throttle', 'ml-9'], { env: cluster.env })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: pod "ml-9" not found in namespace "ml"\n',
    });
    expect(await runCli(['throttle', '--node', 'worker-9'], { env: cluster.env })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: node "worker-9" not found\n',
    });
  });
});

describe('usage errors: exit 2, nothing on stdout', () => {
  it.each([
    [
      ['throttle', '--snapshot', 's.json', '--interval', '5s'],
      "error: --snapshot and --interval cannot be combined; the window is the snapshot's scrapes",
    ],
    [['throttle', '-n', 'db', '-A'], 'error: --namespace and --all-namespaces cannot be combined'],
    [['throttle', 'db-0', '-l', 'a=b'], 'error: a pod name and --selector cannot be combined'],
    [['throttle', 'db-0', '-A'], 'error: a pod name and --all-namespaces cannot be combined'],
    [
      ['throttle', '--since-start', '--interval', '5s'],
      'error: --since-start and --interval cannot be combined',
    ],
    [
      ['throttle', '--threshold', '0'],
      'error: invalid value "0" for --threshold: expected a number greater than 0 and at most 1',
    ],
    [
      ['throttle', '--threshold', 'high'],
      'error: invalid value "high" for --threshold: expected a number greater than 0 and at most 1',
    ],
    [
      ['throttle', '--interval', '0s'],
      'error: invalid value "0s" for --interval: the duration must be greater than 0',
    ],
    [['throttle', '--checks', 'D7'], 'error: unknown flag "--checks" for "throttle"'],
  ])('%j', async (argv, message) => {
    expect(await runCli(argv, { env: { KUBECONFIG: '/no/such/kubeconfig' } })).toEqual({
      code: 2,
      stdout: '',
      stderr: `${message}\n`,
    });
  });

  it('offline: an unknown pod names the snapshot', async () => {
    expect(await offline('ml-9', '-n', 'ml')).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: pod "ml-9" not found in namespace "ml" in snapshot "${snap}"\n`,
    });
  });
});
