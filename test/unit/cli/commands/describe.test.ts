// `describe pod` and `describe node` (cli.md §5.2–§5.3) run in-process through the CLI: offline
// from a Snapshot of fixture nodes and live against the fake API server serving the same nodes
// (same report), every output format, the name forms, a pod bound to no node, unknown pods and
// nodes, usage errors, and the kubelet failing: get nodes/proxy denied, 503, a timeout, a
// malformed /metrics.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { NodeFacts } from '../../../../src/drift/node-facts.js';
import { KUBELET_SNAPSHOT_FAMILIES, filterFamilies } from '../../../../src/parse/prometheus.js';
import type { NodeReport, PodReport } from '../../../../src/schema/reports.js';
import { fixtureCluster, withoutFrom } from '../../../helpers/fixture-cluster.js';
import type { FixtureCluster } from '../../../helpers/fixture-cluster.js';
import { GARBAGE_LINES, DEFAULT_NOW, nodeFixture } from '../../../helpers/node-fixture.js';
import { nodeObject, podObject } from '../../../helpers/k8s-objects.js';
import { REPO_ROOT, linesOf, runCli, warningsOf } from '../../../helpers/run-cli.js';
import type { CliResult } from '../../../helpers/run-cli.js';
import { SPEC_POD_COVERAGE_CODES } from '../../../helpers/spec-codes.js';

const DB = 'examples/tightly-coupled-database.yaml';
const ML = 'examples/ml-workload.yaml';
const FIXED_CLOCK = { clock: () => new Date(DEFAULT_NOW) };

let worker1: NodeFacts;
let worker2: NodeFacts;
let cluster: FixtureCluster;
let snap: string;
const unbound = podObject('pending-0', { namespace: 'db', node: null });
const windows = nodeObject('win-1', { labels: { 'kubernetes.io/os': 'windows' } });
const onWindows = podObject('iis-0', { namespace: 'web', node: 'win-1' });

beforeAll(async () => {
  // worker-1: the D7 drift of cli.md §10 example 2; worker-2: no observation
  worker1 = nodeFixture(DB, { nodeName: 'worker-1' })
    .moveToNodeSharedPool('db/db-0', 'metrics-exporter')
    .build();
  worker2 = nodeFixture(ML, { nodeName: 'worker-2' }).withoutObservation().build();
  cluster = await fixtureCluster([worker1, worker2], {
    extraPods: [unbound, onWindows],
    extraNodes: [windows],
    namespace: 'db',
  });
  snap = await cluster.writeSnapshot(DEFAULT_NOW, 'snap.json', {}, [unbound]);
  // loads the command's modules once, outside the time limit of the first test
  await runCli(['describe', 'node', 'worker-1', '--snapshot', snap]);
}, 60_000);

afterAll(async () => {
  await cluster.close();
});

beforeEach(() => {
  cluster.server.clearRequests();
});

const offline = (...args: string[]): Promise<CliResult> => runCli(['describe', ...args, '--snapshot', snap]);
const live = (...args: string[]): Promise<CliResult> =>
  runCli(['describe', ...args], { env: cluster.env, deps: FIXED_CLOCK });

describe('describe pod, offline', () => {
  it('table: the preamble, one row per container, the findings', async () => {
    const r = await offline('pod', 'db-0', '-n', 'db');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = linesOf(r.stdout);
    expect(lines[0]).toMatch(/^POD\s+db\/db-0\s+node worker-1 \(v1\.36\.2\)\s+Guaranteed\s+path pod-level/);
    expect(lines[2]).toMatch(/^SOURCES\s+cz m ca obs$/);
    expect(lines[3]?.split(/\s{2,}/)).toEqual([
      'CONTAINER',
      'TYPE',
      'CPU',
      'MEMORY',
      'CPUS',
      'NUMA',
      'CFS',
      'THROTTLED',
      'FINDINGS',
    ]);
    const exporter = lines.find((l) => l.startsWith('metrics-exporter'))?.split(/\s{2,}/);
    expect(exporter?.slice(0, 5)).toEqual([
      'metrics-exporter',
      'sidecar',
      'pod_shared→node_shared',
      'node_shared',
      '4,36→0,5-32,37-63',
    ]);
    expect(lines).toContain('FINDINGS');
    expect(lines.find((l) => l.startsWith('error'))).toMatch(
      /^error\s+D7\s+worker-1\s+db\/db-0\s+metrics-exporter\s+cpu\s+metrics-exporter runs on the node shared pool 0,5-32,37-63 instead of the pod shared pool 4,36$/,
    );
  });

  it('json and yaml: the same PodReport', async () => {
    const json = await offline('pod', 'db-0', '-n', 'db', '-o', 'json');
    const yaml = await offline('pod', 'db-0', '-n', 'db', '-o', 'yaml');
    expect([json.code, yaml.code]).toEqual([0, 0]);
    const doc = JSON.parse(json.stdout) as PodReport;
    expect(parseYaml(yaml.stdout)).toEqual(doc);
    expect(json.stdout.startsWith('{\n  "apiVersion": "podres/v1alpha1",\n  "kind": "PodReport",')).toBe(
      true,
    );
    expect([doc.namespace, doc.name, doc.node, doc.path]).toEqual(['db', 'db-0', 'worker-1', 'pod-level']);
    const exporter = doc.containers.find((c) => c.name === 'metrics-exporter');
    expect(exporter?.placement).toBe('drift');
    expect(exporter?.observed.cpus).toBe('0,5-32,37-63');
    expect(doc.findings.map((f) => f.code)).toContain('D7');
    expect(doc.coverage.map((c) => c.code)).toEqual(SPEC_POD_COVERAGE_CODES);
  });

  it('wide: the wide columns and the coverage table', async () => {
    const r = await offline('pod', 'db-0', '-n', 'db', '-o', 'wide');
    expect(r.code).toBe(0);
    const header = linesOf(r.stdout)[3] ?? '';
    for (const col of ['ISOLATION', 'MEMORY BLOCKS', 'CONTAINER ID', 'PLACEMENT'])
      expect(header).toContain(col);
    expect(linesOf(r.stdout)).toContain('COVERAGE');
  });

  it('pod/NAME, po NAME and pods NAME name the same pod', async () => {
    const plain = (await offline('pod', 'db-0', '-n', 'db')).stdout;
    expect((await offline('pod/db-0', '-n', 'db')).stdout).toBe(plain);
    expect((await offline('po', 'db-0', '-n', 'db')).stdout).toBe(plain);
    expect((await offline('pods', 'db-0', '-n', 'db')).stdout).toBe(plain);
  });

  it('--fail-on: exit 1 for the D7 error, 0 when only warnings count is above it', async () => {
    expect((await offline('pod', 'db-0', '-n', 'db', '--fail-on', 'error')).code).toBe(1);
    expect((await offline('pod', 'db-0', '-n', 'db', '--fail-on', 'none')).code).toBe(0);
  });

  it('a pod bound to no node: nothing expected, nothing checked, exit 0', async () => {
    const r = await offline('pod', 'pending-0', '-n', 'db', '-o', 'json', '--fail-on', 'info');
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as PodReport;
    expect([doc.node, doc.expected]).toEqual([null, null]);
    expect(doc.coverage.length).toBeGreaterThan(0);
    for (const c of doc.coverage)
      expect([c.status, c.reason]).toEqual(['not-checked', 'pod is not bound to a node']);
    const table = await offline('pod', 'pending-0', '-n', 'db');
    expect(linesOf(table.stdout)).toContain('not checked: all checks (pod is not bound to a node)');
  });

  it('an unknown pod or node: exit 2, naming the snapshot, nothing on stdout', async () => {
    const pod = await offline('pod', 'db-9', '-n', 'db');
    expect(pod).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: pod "db-9" not found in namespace "db" in snapshot "${snap}"\n`,
    });
    const node = await offline('node', 'worker-9');
    expect(node).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: node "worker-9" not found in snapshot "${snap}"\n`,
    });
  });

  it("--observation replaces the snapshot's one (warning); one of another node is ignored (warning)", async () => {
    const flags = await cluster.observationFlags();
    const replaced = await offline('pod', 'db-0', '-n', 'db', ...flags);
    expect(replaced.code).toBe(0);
    expect(warningsOf(replaced)).toEqual([
      `warning: observation "${flags[1]}" of node "worker-1" replaces the one in snapshot "${snap}"`,
    ]);
    const ignored = await offline('node', 'worker-2', ...flags);
    expect(warningsOf(ignored)).toEqual([
      `warning: observation "${flags[1]}" of node "worker-1" ignored: the node is not selected`,
    ]);
  });
});

describe('describe node, offline', () => {
  it('table: the preamble, a row per container with its pod, config and drift findings', async () => {
    const r = await offline('node', 'worker-1');
    expect(r.code).toBe(0);
    const lines = linesOf(r.stdout);
    expect(lines.map((l) => l.split(/\s+/)[0]).slice(0, 6)).toEqual([
      'NODE',
      'CONFIG',
      'POOLS',
      'SOURCES',
      'METRICS',
      'NAMESPACE',
    ]);
    expect(lines.filter((l) => l.startsWith('db '))).toHaveLength(3);
    expect(lines.some((l) => /^error\s+D7\s+worker-1/.test(l))).toBe(true);
  });

  it('json: a NodeReport with every pod and the coverage of every code', async () => {
    const r = await offline('no', 'worker-2', '-o', 'json');
    const doc = JSON.parse(r.stdout) as NodeReport;
    expect([doc.kind, doc.name, doc.status, doc.topology]).toEqual(['NodeReport', 'worker-2', 'ok', null]);
    expect(doc.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual(['ml/ml-0']);
    expect(doc.coverage).toHaveLength(36);
    expect(doc.coverage.find((c) => c.code === 'D7')).toEqual({
      code: 'D7',
      status: 'not-checked',
      missing: ['podresources', 'checkpoint', 'cgroup'],
      reason: 'no node observation',
    });
  });

  it('--require-sources observation makes a node without one unreachable: exit 3 after the report', async () => {
    const r = await offline('node/worker-2', '--require-sources', 'observation', '-o', 'json');
    expect(r.code).toBe(3);
    expect((JSON.parse(r.stdout) as NodeReport).status).toBe('unreachable');
  });
});

describe('snapshot inputs', () => {
  it('--snapshot - reads the snapshot from stdin', async () => {
    const fromFile = await offline('node', 'worker-2');
    const fromStdin = await runCli(['describe', 'node', 'worker-2', '--snapshot', '-'], {
      stdin: await readFile(snap),
    });
    expect(fromStdin).toEqual(fromFile);
  });

  it('--topology NODE=FILE gives a node without an observation its machine', async () => {
    const scenario = parseYaml(await readFile(join(REPO_ROOT, ML), 'utf8')) as { node: { topology: object } };
    const file = join(cluster.dir, 'topology-worker-2.json');
    await writeFile(file, JSON.stringify(scenario.node.topology));
    const without = JSON.parse((await offline('node', 'worker-2', '-o', 'json')).stdout) as NodeReport;
    const withTopology = JSON.parse(
      (await offline('node', 'worker-2', '-o', 'json', '--topology', `worker-2=${file}`)).stdout,
    ) as NodeReport;
    expect(without.topology).toBeNull();
    expect(withTopology.topology).toEqual({
      cpus: 64,
      cores: 32,
      sockets: 2,
      numaNodes: 2,
      uncoreCaches: 2,
      source: 'file',
    });
    expect(withTopology.sources.topology.status).toBe('ok');
    expect(withTopology.coverage.find((c) => c.code === 'D5')?.reason).not.toBe('no topology');
  });
});

describe('usage and input errors: exit 2, nothing on stdout', () => {
  it.each([
    [['describe', 'pod'], 'error: describe pod: missing pod name'],
    [['describe', 'node/'], 'error: describe node: missing node name'],
    [['describe'], 'error: describe: missing resource type; expected pod NAME or node NAME'],
    [['describe', 'svc', 'web'], 'error: describe: unknown resource type "svc"; expected pod or node'],
    [['describe', 'pod', 'a', 'b'], 'error: unexpected argument "b" for "describe"'],
    [['describe', 'pod/a', 'b'], 'error: unexpected argument "b" for "describe"'],
    [
      ['describe', 'pod', 'a', '--fail-on', 'fatal'],
      'error: invalid value "fatal" for --fail-on: expected one of error, warning, info, none',
    ],
    [
      ['describe', 'pod', 'a', '--fidelity', 'exact'],
      'error: invalid value "exact" for --fidelity: expected one of source, documented',
    ],
    [
      ['describe', 'pod', 'a', '--require-sources', 'metrics,podresources'],
      'error: invalid value "metrics,podresources" for --require-sources: "podresources" is not one of metrics, cadvisor, observation',
    ],
    [
      ['describe', 'pod', 'a', '--snapshot', 's.json', '--kubeconfig', 'k'],
      'error: --snapshot and --kubeconfig cannot be combined',
    ],
    [
      ['describe', 'pod', 'a', '--snapshot', 's.json', '--context', 'c'],
      'error: --snapshot and --context cannot be combined',
    ],
    [['describe', 'pod', 'a', '-A'], 'error: unknown flag "-A" for "describe"'],
    [
      ['describe', 'pod', 'a', '--snapshot', 'test/no-such-snap.json'],
      'error: cannot read snapshot "test/no-such-snap.json": no such file or directory',
    ],
    [
      ['describe', 'pod', 'a', '--snapshot', 'examples/ml-workload.yaml'],
      'error: examples/ml-workload.yaml: kind "Scenario" is not "Snapshot"; replay scenarios with kubectl podres simulate -f',
    ],
  ])('%j', async (argv, message) => {
    const r = await runCli(argv);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });
});

describe('describe, live (fake API server)', () => {
  it('the same PodReport and NodeReport as from a snapshot of the same nodes', async () => {
    const flags = await cluster.observationFlags();
    const pod = await live('pod', 'db-0', '-o', 'json', ...flags);
    expect({ code: pod.code, stderr: pod.stderr }).toEqual({ code: 0, stderr: '' });
    expect(withoutFrom(pod.stdout)).toEqual(
      withoutFrom((await offline('pod', 'db-0', '-n', 'db', '-o', 'json')).stdout),
    );
    const node = await live('node', 'worker-2', '-o', 'json');
    expect(withoutFrom(node.stdout)).toEqual(
      withoutFrom((await offline('node', 'worker-2', '-o', 'json')).stdout),
    );
  });

  it("reads the pod, its node, the node's pods and the kubelet once each, after one access review", async () => {
    await live('pod', 'db-0', '-n', 'db');
    expect(cluster.server.requestLines().sort()).toEqual(
      [
        'GET /api/v1/namespaces/db/pods/db-0',
        'GET /api/v1/nodes/worker-1',
        'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        'GET /api/v1/pods?fieldSelector=spec.nodeName%3Dworker-1&limit=500',
        'GET /api/v1/nodes/worker-1/proxy/configz',
        'GET /api/v1/nodes/worker-1/proxy/metrics',
        'GET /api/v1/nodes/worker-1/proxy/metrics/cadvisor',
      ].sort(),
    );
  });

  it("-n defaults to the context's namespace; an unknown pod or node is exit 2", async () => {
    expect((await live('pod', 'db-0')).code).toBe(0);
    expect(await live('pod', 'db-9')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: pod "db-9" not found in namespace "db"\n',
    });
    expect(await live('node', 'worker-9')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: node "worker-9" not found\n',
    });
  });

  it('a pod bound to no node: its GET only', async () => {
    const r = await live('pod', 'pending-0', '-o', 'json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as PodReport).node).toBeNull();
    expect(cluster.server.requestLines()).toEqual(['GET /api/v1/namespaces/db/pods/pending-0']);
  });

  it('a pod on a node that is not linux: no kubelet read, every check not checked for that reason', async () => {
    const r = await live('pod', 'iis-0', '-n', 'web', '-o', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as PodReport;
    expect(doc.node).toBe('win-1');
    expect(new Set(doc.coverage.map((c) => c.reason))).toEqual(
      new Set(['not a linux node (kubernetes.io/os=windows)']),
    );
    expect(cluster.server.requestLines().some((l) => l.includes('/proxy/'))).toBe(false);
  });

  it('an access review that cannot be made (503): the kubelet is read anyway', async () => {
    const undo = cluster.server.inject({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      status: 503,
    });
    try {
      const r = await live('node', 'worker-2', '-o', 'json');
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(cluster.server.requestLines().filter((l) => l.includes('/proxy/'))).toHaveLength(3);
    } finally {
      undo();
    }
  });

  it('a kubelet answering 503: one warning per failed source, the report, exit 3 (unreachable)', async () => {
    const undo = cluster.server.inject({ node: 'worker-1', proxy: 'configz', status: 503 });
    try {
      const r = await live('node', 'worker-1', '-o', 'json');
      expect(r.code).toBe(3);
      expect(warningsOf(r)).toEqual(['warning: node worker-1: cannot read /configz: unavailable (503)']);
      const doc = JSON.parse(r.stdout) as NodeReport;
      expect([doc.status, doc.sources.configz.status, doc.sources.configz.httpStatus]).toEqual([
        'unreachable',
        'unavailable',
        503,
      ]);
      expect(doc.coverage.find((c) => c.code === 'D7')?.reason).toBe('configz: unavailable (503)');
    } finally {
      undo();
    }
  });

  it('a kubelet that does not answer in --request-timeout: a timeout warning, the node partial', async () => {
    const undo = cluster.server.inject({ node: 'worker-2', proxy: 'metrics/cadvisor', hang: true });
    try {
      const r = await live('node', 'worker-2', '-o', 'json', '--request-timeout', '1500ms');
      expect(r.code).toBe(0);
      expect(warningsOf(r)).toEqual([
        expect.stringMatching(/^warning: node worker-2: cannot read \/metrics\/cadvisor: timeout/),
      ]);
      const doc = JSON.parse(r.stdout) as NodeReport;
      expect([doc.status, doc.sources.cadvisor.status]).toEqual(['partial', 'timeout']);
    } finally {
      undo();
    }
  });

  it('a malformed /metrics line: the scrape is rejected whole (invalid), one warning naming the line', async () => {
    const text = worker2.metrics?.text ?? '';
    cluster.server.setKubelet('worker-2', {
      configz: worker2.configz ?? {},
      metrics: `${text}${GARBAGE_LINES.metrics}\n`,
      cadvisor: worker2.cadvisor.map((s) => s.text),
    });
    try {
      const r = await live('node', 'worker-2', '-o', 'json');
      expect(r.code).toBe(0);
      // the kubelet's own line number, though only the families of cli.md §8.7 are kept
      const line = linesOf(text).length + 1;
      expect(linesOf(filterFamilies(text, KUBELET_SNAPSHOT_FAMILIES)).length).toBeLessThan(line - 1);
      expect(warningsOf(r)).toEqual([
        expect.stringMatching(new RegExp(`^warning: node worker-2: cannot parse /metrics line ${line}: `)),
      ]);
      const doc = JSON.parse(r.stdout) as NodeReport;
      expect([doc.status, doc.sources.metrics.status, doc.observed.metrics]).toEqual([
        'partial',
        'invalid',
        null,
      ]);
    } finally {
      cluster.server.setKubelet('worker-2', {
        configz: worker2.configz ?? {},
        metrics: text,
        cadvisor: worker2.cadvisor.map((s) => s.text),
      });
    }
  });
});

describe('get nodes/proxy denied', () => {
  let denied: FixtureCluster;

  beforeAll(async () => {
    denied = await fixtureCluster([worker1, worker2], { namespace: 'db' });
    denied.server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy' });
  });

  afterAll(async () => {
    await denied.close();
  });

  it('one warning naming the checks it costs, no kubelet request, coverage says why, exit 3', async () => {
    const r = await runCli(['describe', 'pod', 'db-0', '-o', 'json'], { env: denied.env, deps: FIXED_CLOCK });
    expect(r.code).toBe(3);
    const w = warningsOf(r);
    expect(w).toHaveLength(1);
    const [text, codes] = (w[0] ?? '').split('; not checked or partial: ');
    expect(text).toBe(
      "warning: cannot read the kubelets' /configz, /metrics and /metrics/cadvisor through the API server: forbidden (403); needs get on nodes/proxy",
    );
    // the checks reading only the Node object, the pods and the observation still run
    const list = (codes ?? '').split(',');
    expect(list).toEqual(expect.arrayContaining(['C1', 'C7', 'D1', 'D7', 'D12']));
    for (const kept of ['C2', 'C15', 'D17', 'D18']) expect(list).not.toContain(kept);
    expect(denied.server.requestLines().filter((l) => l.includes('/proxy/'))).toEqual([]);
    const doc = JSON.parse(r.stdout) as PodReport;
    expect(doc.expected).toBeNull();
    expect(doc.coverage.find((c) => c.code === 'D7')?.reason).toBe('configz: forbidden (403)');
  });
});
