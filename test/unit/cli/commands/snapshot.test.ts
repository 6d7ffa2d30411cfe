// `kubectl podres snapshot` in-process (runCli) against the fake API server: the file written and
// read back by the snapshot reader, the formats, the warnings of failed node sources, and the
// exit codes of usage errors and cluster-level failures (with nothing written).

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot } from '../../../../src/parse/snapshot.js';
import type { Snapshot } from '../../../../src/schema/snapshot.js';
import { FakeApiServer } from '../../../helpers/fake-apiserver.js';
import { makeCluster, podObject, realText } from '../../../helpers/k8s-objects.js';
import { linesOf, runCli } from '../../../helpers/run-cli.js';
import type { CliResult } from '../../../helpers/run-cli.js';

const CONFIGZ = realText('configz/eks-outposts-1.30-static-single-numa-node.configz.json');
const METRICS = realText('metrics/netdata-kubelet-1.13.4.metrics.txt');
const CADVISOR = realText('cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt');
const OBSERVATION = 'test/fixtures/snapshot/observation-worker-1.json';
const TOPOLOGY = 'test/fixtures/snapshot/topology-2s-64cpu.yaml';

describe('kubectl podres snapshot', () => {
  let server: FakeApiServer;
  let dir: string;
  let env: Record<string, string>;
  const snap = (...args: string[]): Promise<CliResult> => runCli(['snapshot', ...args], { env });
  const read = async (name: string): Promise<Snapshot> =>
    parseSnapshot(await readFile(join(dir, name)), name);

  beforeAll(async () => {
    const cluster = makeCluster(3, 4);
    cluster.pods.push(podObject('db-0', { namespace: 'db', node: 'worker-2', sidecar: true }));
    cluster.pods.push(podObject('pending-0', { namespace: 'db', node: null }));
    const kubelet = { configz: CONFIGZ, metrics: METRICS, cadvisor: CADVISOR };
    server = await FakeApiServer.start({
      ...cluster,
      token: 'snap-token',
      kubelet: { 'worker-1': kubelet, 'worker-2': kubelet, 'worker-3': kubelet },
    });
    dir = await mkdtemp(join(tmpdir(), 'podres-snapshot-'));
    await server.writeKubeconfig(join(dir, 'config'), { context: 'prod', namespace: 'db' });
    env = { NO_COLOR: '1', KUBECONFIG: join(dir, 'config'), HOME: join(dir, 'home') };
    // the command's modules (and the cluster client) load once here, not inside the first test
    await import('../../../../src/cli/commands/snapshot.js');
  }, 30_000);

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.clearRequests();
  });

  it('writes every node and its pods, reduced, read back by the snapshot reader', async () => {
    const out = join(dir, 'all.json');
    const r = await snap('-o', out);
    expect(r).toEqual({
      code: 0,
      stdout: '',
      stderr: `wrote ${out}: 3 nodes, 13 pods, 0 nodes with source errors\n`,
    });
    const s = await read('all.json');
    expect(s).toMatchObject({
      apiVersion: 'podres/v1alpha1',
      kind: 'Snapshot',
      podresVersion: '0.1.0',
      cluster: { context: 'prod', server: server.url },
    });
    expect(Date.now() - Date.parse(s.takenAt)).toBeLessThan(60_000);
    expect(s.nodes.map((n) => [n.name, n.errors, n.cadvisor.length, n.observation])).toEqual([
      ['worker-1', [], 1, null],
      ['worker-2', [], 1, null],
      ['worker-3', [], 1, null],
    ]);
    expect(s.nodes[0]?.configz).toEqual(JSON.parse(CONFIGZ));
    const text = await readFile(out, 'utf8');
    expect(text).not.toMatch(
      /managedFields|"images"|DB_PASSWORD|secretKeyRef|"volumes"|last-applied-configuration/,
    );
    // pods by namespace/name; the unbound pod is on no selected node
    const names = s.pods.map((p) => {
      const m = (p as { metadata: { namespace: string; name: string } }).metadata;
      return `${m.namespace}/${m.name}`;
    });
    expect(names[0]).toBe('db/db-0');
    expect(names).not.toContain('db/pending-0');
    expect(names).toEqual([...names].sort());
    // the atomic write left nothing behind
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('takenAt and the scrape times come from the clock', async () => {
    const clock = () => new Date('2026-05-12T10:01:07Z');
    const r = await runCli(['snapshot', '-o', join(dir, 'clock.json'), 'worker-1'], { env, deps: { clock } });
    expect(r.code).toBe(0);
    const s = await read('clock.json');
    expect([s.takenAt, s.nodes[0]?.metrics?.scrapedAt, s.nodes[0]?.cadvisor[0]?.scrapedAt]).toEqual([
      '2026-05-12T10:01:07Z',
      '2026-05-12T10:01:07Z',
      '2026-05-12T10:01:07Z',
    ]);
  });

  it('.yaml.gz: gzip-compressed YAML that reads back to the same nodes', async () => {
    const r = await snap('-o', join(dir, 'all.yaml.gz'), 'worker-1');
    expect(r.code).toBe(0);
    const bytes = await readFile(join(dir, 'all.yaml.gz'));
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const s = await read('all.yaml.gz');
    expect(s.nodes.map((n) => n.name)).toEqual(['worker-1']);
    expect(s.pods).toHaveLength(4);
  });

  it('-o - writes the JSON to stdout', async () => {
    const r = await snap('-o', '-', 'worker-3');
    expect(r.code).toBe(0);
    expect(linesOf(r.stderr)).toEqual(['wrote <stdout>: 1 node, 4 pods, 0 nodes with source errors']);
    expect(parseSnapshot(Buffer.from(r.stdout), '-').nodes[0]?.name).toBe('worker-3');
    expect(r.stdout.startsWith('{\n  "apiVersion": "podres/v1alpha1",\n')).toBe(true);
  });

  it('a 403 on nodes/proxy for one node: its errors and a warning per source, the rest intact, exit 0', async () => {
    server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-2' });
    const out = join(dir, 'partial.json');
    const r = await snap('-o', out);
    expect(r.code).toBe(0);
    expect(linesOf(r.stderr)).toEqual([
      'warning: node worker-2: cannot read /configz: forbidden (403); needs get on nodes/proxy',
      'warning: node worker-2: cannot read /metrics: forbidden (403); needs get on nodes/proxy',
      'warning: node worker-2: cannot read /metrics/cadvisor: forbidden (403); needs get on nodes/proxy',
      `wrote ${out}: 3 nodes, 13 pods, 1 node with source errors`,
    ]);
    const s = await read('partial.json');
    const w2 = s.nodes[1];
    expect([
      w2?.configz,
      w2?.metrics,
      w2?.cadvisor,
      w2?.errors.map((e) => [e.source, e.status, e.httpStatus]),
    ]).toEqual([
      null,
      null,
      [],
      [
        ['configz', 'forbidden', 403],
        ['metrics', 'forbidden', 403],
        ['cadvisor', 'forbidden', 403],
      ],
    ]);
    expect(s.nodes[0]?.errors).toEqual([]);
    expect(s.nodes[2]?.configz).not.toBeNull();
  });

  it("the node of --pod (namespace from -n, else the context's), with all its pods", async () => {
    const r = await snap('-o', join(dir, 'pod.json'), '--pod', 'db-0');
    expect(r.code).toBe(0);
    const s = await read('pod.json');
    expect(s.nodes.map((n) => n.name)).toEqual(['worker-2']);
    expect(s.pods).toHaveLength(5);
    const missing = await snap('-o', join(dir, 'pod.json'), '--pod', 'db-0', '-n', 'shop');
    expect([missing.code, missing.stderr]).toEqual([2, 'error: pod "db-0" not found in namespace "shop"\n']);
  });

  it('-l selects nodes by label', async () => {
    expect((await snap('-o', join(dir, 'even.json'), '-l', 'pool=even')).code).toBe(0);
    expect((await read('even.json')).nodes.map((n) => n.name)).toEqual(['worker-2']);
    expect(server.requests.find((q) => q.path === '/api/v1/nodes')?.query.labelSelector).toBe('pool=even');
  });

  it('--interval: two cAdvisor scrapes per node, at least the interval apart', async () => {
    const r = await snap('-o', join(dir, 'interval.json'), 'worker-1', 'worker-3', '--interval', '300ms');
    expect(r.code).toBe(0);
    for (const n of (await read('interval.json')).nodes) {
      expect(n.cadvisor).toHaveLength(2);
      const [a, b] = n.cadvisor.map((c) => Date.parse(c.scrapedAt));
      expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(300);
    }
  });

  it("--observation and --topology go into their nodes; an unselected node's is warned about", async () => {
    const out = join(dir, 'inputs.json');
    const r = await snap(
      '-o',
      out,
      'worker-1',
      'worker-3',
      '--observation',
      OBSERVATION,
      '--topology',
      `worker-3=${TOPOLOGY}`,
    );
    expect(r.code).toBe(0);
    const s = await read('inputs.json');
    expect(s.nodes[0]?.observation?.node).toBe('worker-1');
    expect(s.nodes[0]?.topology).toBeNull();
    expect(s.nodes[1]?.topology).toMatchObject({ generate: { sockets: 2, coresPerSocket: 16 } });
    const other = await snap('-o', out, 'worker-3', '--observation', OBSERVATION);
    expect(linesOf(other.stderr)[0]).toBe(
      `warning: observation "${OBSERVATION}" of node "worker-1" ignored: the node is not selected`,
    );
  });

  it('a hanging kubelet: timeout after --request-timeout, the snapshot is still written', async () => {
    const undo = server.inject({ node: 'worker-3', proxy: 'configz', hang: true });
    try {
      const r = await snap('-o', join(dir, 'slow.json'), 'worker-3', '--request-timeout', '1500ms');
      expect(r.code).toBe(0);
      expect(linesOf(r.stderr)[0]).toBe('warning: node worker-3: cannot read /configz: timeout after 1.5s');
      expect((await read('slow.json')).nodes[0]?.errors[0]).toMatchObject({
        source: 'configz',
        status: 'timeout',
      });
    } finally {
      undo();
    }
  });

  it('the API server down: exit 3, one error line, nothing written', async () => {
    const down = await FakeApiServer.start({});
    const config = join(dir, 'down-config');
    await down.writeKubeconfig(config);
    await down.close();
    const out = join(dir, 'down.json');
    const r = await runCli(['snapshot', '-o', out], { env: { ...env, KUBECONFIG: config } });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `error: cannot reach the API server ${down.url}: connect ECONNREFUSED\n`,
    });
    expect(
      (await readdir(dir)).filter((f) => f.startsWith('down.json') || f.startsWith('.down.json')),
    ).toEqual([]);
  });

  it('no list permission on pods: exit 3 with the RBAC hint, nothing written', async () => {
    const locked = await FakeApiServer.start(makeCluster(2, 1));
    locked.deny({ verb: 'list', resource: 'pods' });
    const config = join(dir, 'locked-config');
    await locked.writeKubeconfig(config);
    try {
      const r = await runCli(['snapshot', '-o', join(dir, 'locked.json'), 'worker-1'], {
        env: { ...env, KUBECONFIG: config },
      });
      expect([r.code, r.stderr]).toEqual([
        3,
        'error: cannot list pods on node "worker-1": forbidden (403); needs list on pods in all namespaces\n',
      ]);
      expect((await readdir(dir)).filter((f) => f.includes('locked.json'))).toEqual([]);
    } finally {
      await locked.close();
    }
  });

  it.each([
    [['-o', 'x.json', 'worker-1', '-l', 'a=b'], 'error: node names and --selector cannot be combined'],
    [['-o', 'x.json', '-l', 'a in (b'], 'error: invalid value "a in (b" for --selector: expected "," or ")"'],
    [
      ['-o', 'x.json', '--concurrency', '65'],
      'error: invalid value "65" for --concurrency: expected an integer from 1 to 64',
    ],
    [['-o', 'x.json', '--request-timeout', 'soon'], 'error: invalid value "soon" for --request-timeout'],
    [
      ['-o', 'x.json', '--interval', '0'],
      'error: invalid value "0" for --interval: the duration must be greater than 0',
    ],
    [['worker-1'], 'error: snapshot: missing required flag --output'],
    [['-o', 'x.json', '--context', 'staging'], 'error: context "staging" not found in kubeconfig'],
    [['-o', 'x.json', 'worker-9'], 'error: node "worker-9" not found'],
    [
      ['-o', 'x.json', '--observation', 'test/fixtures/scenarios/pod-level-db.yaml'],
      'error: test/fixtures/scenarios/pod-level-db.yaml: kind "Scenario" is not "NodeObservation"',
    ],
  ])('usage and input errors exit 2 before anything is written: %j', async (args, message) => {
    const r = await runCli(['snapshot', ...args.map((a) => (a === 'x.json' ? join(dir, 'x.json') : a))], {
      env,
    });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr.startsWith(message)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.includes('x.json'))).toEqual([]);
  });

  it('-o in a directory that does not exist: exit 2 before the cluster is contacted', async () => {
    const out = join(dir, 'no-such-dir', 'snap.json');
    const r = await snap('-o', out);
    expect([r.code, r.stderr]).toEqual([
      2,
      `error: cannot write snapshot "${out}": no such file or directory\n`,
    ]);
    expect(server.requests).toEqual([]);
  });

  it('no kubeconfig anywhere: exit 3 with the hint', async () => {
    const r = await runCli(['snapshot', '-o', join(dir, 'none.json')], {
      env: { HOME: join(dir, 'nohome') },
    });
    expect([r.code, r.stderr]).toEqual([
      3,
      'error: cannot load kubeconfig: no configuration found; set KUBECONFIG or pass --kubeconfig\n',
    ]);
  });
});
