// The fake API server (test/helpers/fake-apiserver.ts) proves itself against the real kubectl:
// if kubectl reads the cluster, pages, selects, proxies and reports RBAC errors through it, our
// cluster source's tests against it mean something. TLS with the generated CA included.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { makeCluster, podObject, realText } from '../helpers/k8s-objects.js';
import { findKubectl, runKubectl } from '../helpers/kubectl.js';
import { linesOf } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';

const CONFIGZ = realText('configz/eks-outposts-1.30-static-single-numa-node.configz.json');
const CADVISOR = realText('cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt');
const TOKEN = 'e2e-token-7f3a';

describe('the fake API server, read by the real kubectl over TLS', () => {
  let server: FakeApiServer;
  let dir: string;
  let kubectl: string;
  const run = (...args: string[]): Promise<CliResult> =>
    runKubectl(kubectl, args, { home: join(dir, 'home'), kubeconfig: join(dir, 'config') });

  beforeAll(async () => {
    kubectl = findKubectl();
    dir = await mkdtemp(join(tmpdir(), 'podres-fake-api-'));
    const cluster = makeCluster(3, 4);
    cluster.pods.push(podObject('db-0', { namespace: 'db', node: 'worker-2', labels: { tier: 'database' } }));
    server = await FakeApiServer.start({
      ...cluster,
      tls: true,
      token: TOKEN,
      kubelet: {
        'worker-1': {
          configz: CONFIGZ,
          metrics: 'kubelet_cpu_manager_pinning_requests_total 3\n',
          cadvisor: CADVISOR,
        },
      },
    });
    await server.writeKubeconfig(join(dir, 'config'), {
      context: 'e2e',
      namespace: 'db',
      caFile: join(dir, 'ca.crt'),
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.clearRequests();
  });

  it('kubectl get pods -A lists every pod with its namespace, from a server-side Table', async () => {
    const r = await run('get', 'pods', '-A');
    expect(r.code).toBe(0);
    const rows = linesOf(r.stdout).map((l) => l.split(/\s+/));
    expect(rows[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows).toHaveLength(1 + 13);
    expect(rows.find((row) => row[1] === 'db-0')?.slice(0, 5)).toEqual(['db', 'db-0', '1/1', 'Running', '0']);
    const list = server.requests.find((q) => q.path === '/api/v1/pods');
    expect(list?.accept).toContain('as=Table');
    expect(list?.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('kubectl get nodes -o wide shows status, version and addresses', async () => {
    const r = await run('get', 'nodes', '-o', 'wide');
    expect(r.code).toBe(0);
    const rows = linesOf(r.stdout).map((l) => l.split(/\s{2,}/));
    expect(rows.slice(1).map((row) => [row[0], row[1], row[4], row[5]])).toEqual([
      ['worker-1', 'Ready', 'v1.36.2', '10.0.0.11'],
      ['worker-2', 'Ready', 'v1.36.2', '10.0.0.11'],
      ['worker-3', 'Ready', 'v1.36.2', '10.0.0.11'],
    ]);
  });

  it('kubectl get --raw reaches the node proxy: /configz and /metrics/cadvisor bodies as served', async () => {
    const configz = await run('get', '--raw', '/api/v1/nodes/worker-1/proxy/configz');
    expect(configz.code).toBe(0);
    expect(JSON.parse(configz.stdout)).toEqual(JSON.parse(CONFIGZ));
    const cadvisor = await run('get', '--raw', '/api/v1/nodes/worker-1/proxy/metrics/cadvisor');
    expect(cadvisor.stdout).toBe(CADVISOR);
  });

  it('pages with --chunk-size: one request per chunk, continue tokens followed to the end', async () => {
    const r = await run('get', 'pods', '-A', '--chunk-size=4', '-o', 'name');
    expect(r.code).toBe(0);
    expect(linesOf(r.stdout)).toHaveLength(13);
    const pages = server.requests.filter((q) => q.path === '/api/v1/pods');
    expect(pages.map((q) => [q.query.limit, q.query.continue === undefined])).toEqual([
      ['4', true],
      ['4', false],
      ['4', false],
      ['4', false],
    ]);
  });

  it('filters with a label selector (set-based) and a field selector', async () => {
    const bySet = await run('get', 'pods', '-A', '-l', 'app in (app-1,app-3),app!=app-3', '-o', 'name');
    expect(linesOf(bySet.stdout)).toEqual(['pod/app-1-0', 'pod/app-1-1', 'pod/app-1-2', 'pod/app-1-3']);
    const byNode = await run('get', 'pods', '-A', '--field-selector', 'spec.nodeName=worker-2', '-o', 'name');
    expect(linesOf(byNode.stdout)).toHaveLength(5);
    expect(linesOf(byNode.stdout)).toContain('pod/db-0');
  });

  it('a 403 is shown by kubectl as the Status message, and auth can-i agrees', async () => {
    server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-3' });
    const r = await run('get', '--raw', '/api/v1/nodes/worker-3/proxy/configz');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Forbidden): nodes "worker-3" is forbidden: User "system:serviceaccount:default:podres-test" cannot get resource "nodes/proxy"',
    );
    const canI = await run('auth', 'can-i', 'get', 'nodes/worker-3', '--subresource=proxy');
    expect([canI.code, canI.stdout.trim()]).toEqual([1, 'no']);
    const canOther = await run('auth', 'can-i', 'get', 'nodes/worker-1', '--subresource=proxy');
    expect([canOther.code, canOther.stdout.trim()]).toEqual([0, 'yes']);
  });

  it('a wrong token is a 401 that kubectl reports as unauthorized', async () => {
    const bad = join(dir, 'bad-token');
    await server.writeKubeconfig(bad, { token: 'wrong', caFile: join(dir, 'ca.crt') });
    const r = await runKubectl(kubectl, ['get', 'nodes'], { home: join(dir, 'home'), kubeconfig: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Unauthorized|provide credentials/);
  });
});
