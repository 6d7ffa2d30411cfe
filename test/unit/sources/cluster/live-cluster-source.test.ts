// The live cluster source against the fake API server (in-process, 127.0.0.1): what it sends
// (paths, paging, selectors, Accept, credentials) and how every kind of failure reads.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../../../src/sources/cluster/kubeconfig.js';
import { ClusterApiError } from '../../../../src/sources/cluster/cluster-source.js';
import { LiveClusterSource } from '../../../../src/sources/cluster/live-cluster-source.js';
import { FakeApiServer } from '../../../helpers/fake-apiserver.js';
import type { KubeconfigOptions } from '../../../helpers/fake-apiserver.js';
import { makeCluster, podObject, realText } from '../../../helpers/k8s-objects.js';

const CONFIGZ = realText('configz/kubeadm-1.28-ubuntu-containerd-none-policy.configz.json');
const METRICS = realText('metrics/netdata-kubelet-1.13.4.metrics.txt');
const CADVISOR = realText('cadvisor/nri-k8s-minikube-1.15-cgroupv1.metrics-cadvisor.cpu-families.txt');

const readFileUtf8 = async (path: string): Promise<string> =>
  (await import('node:fs/promises')).readFile(path, 'utf8');

async function sourceFor(
  server: FakeApiServer,
  kubeconfig: KubeconfigOptions = {},
  timeoutMs = 5000,
): Promise<LiveClusterSource> {
  const dir = await mkdtemp(join(tmpdir(), 'podres-live-'));
  const path = join(dir, 'config');
  await server.writeKubeconfig(path, kubeconfig);
  const loaded = await loadKubeconfig({ kubeconfig: path, context: null, env: {}, readFile: readFileUtf8 });
  await rm(dir, { recursive: true, force: true });
  return new LiveClusterSource(loaded, { timeoutMs });
}

async function rejection(p: Promise<unknown>): Promise<ClusterApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClusterApiError) return e;
    throw e;
  }
  throw new Error('expected a ClusterApiError');
}

describe('LiveClusterSource over HTTP', () => {
  let server: FakeApiServer;
  let source: LiveClusterSource;

  beforeAll(async () => {
    const cluster = makeCluster(4, 5);
    cluster.pods.push(podObject('pending-0', { namespace: 'db', node: null }));
    server = await FakeApiServer.start({
      ...cluster,
      token: 'tok-1',
      kubelet: {
        'worker-1': { configz: CONFIGZ, metrics: METRICS, cadvisor: CADVISOR },
        'worker-2': { configz: CONFIGZ, metrics: METRICS, cadvisor: ['scrape 1\n', 'scrape 2\n'] },
      },
    });
    source = await sourceFor(server, { context: 'prod', namespace: 'db' });
  });

  afterAll(async () => {
    source.close();
    await server.close();
  });

  beforeEach(() => {
    server.clearRequests();
  });

  it('knows its context, server and namespace, and sends the token', async () => {
    expect([source.context, source.server, source.namespace]).toEqual(['prod', server.url, 'db']);
    await source.listNodes();
    expect(server.requests[0]?.authorization).toBe('Bearer tok-1');
  });

  it('pages a pod list with limit/continue until the end, mapping each pod as its page arrives', async () => {
    const names = await source.listPods(
      { namespace: null, pageSize: 6 },
      (p) => (p.metadata as { name: string }).name,
    );
    expect(names).toHaveLength(21);
    expect(names[0]).toBe('pending-0');
    expect(server.requestLines()).toEqual([
      'GET /api/v1/pods?limit=6',
      expect.stringMatching(/^GET \/api\/v1\/pods\?limit=6&continue=/),
      expect.stringMatching(/^GET \/api\/v1\/pods\?limit=6&continue=/),
      expect.stringMatching(/^GET \/api\/v1\/pods\?limit=6&continue=/),
    ]);
  });

  it('sends label and field selectors, in one namespace or all', async () => {
    const onNode = await source.listPods({ namespace: null, fieldSelector: 'spec.nodeName=worker-3' });
    expect(onNode.map((p) => (p.spec as { nodeName: string }).nodeName)).toEqual(Array(5).fill('worker-3'));
    const inNs = await source.listPods({ namespace: 'ns-2', labelSelector: 'app in (app-1,app-2)' });
    expect(inNs.map((p) => (p.metadata as { name: string }).name)).toEqual(['app-1-2', 'app-2-2']);
    const even = await source.listNodes({ labelSelector: 'pool=even,!gpu' });
    expect(even.map((n) => (n.metadata as { name: string }).name)).toEqual(['worker-2', 'worker-4']);
    expect(server.requests.map((r) => [r.path, r.query])).toEqual([
      ['/api/v1/pods', { fieldSelector: 'spec.nodeName=worker-3', limit: '500' }],
      ['/api/v1/namespaces/ns-2/pods', { labelSelector: 'app in (app-1,app-2)', limit: '500' }],
      ['/api/v1/nodes', { labelSelector: 'pool=even,!gpu', limit: '500' }],
    ]);
  });

  it('falls back to one full list when a continue token expires (410), as client-go does', async () => {
    let pages = 0;
    const names = await source.listPods({ namespace: null, pageSize: 8 }, (p) => {
      pages++;
      if (pages === 8) server.bumpResourceVersion();
      return (p.metadata as { name: string }).name;
    });
    expect(names).toHaveLength(21);
    expect(new Set(names).size).toBe(21);
    expect(server.requests.map((r) => r.status)).toEqual([200, 410, 200]);
    expect(server.requests[2]?.query).toEqual({});
  });

  it('reads the node proxy paths as written (metrics/cadvisor is not %2F-encoded), metrics as text 0.0.4', async () => {
    const configz = await source.nodeProxy('worker-1', 'configz');
    const metrics = await source.nodeProxy('worker-1', 'metrics');
    const cadvisor = await source.nodeProxy('worker-1', 'metrics/cadvisor');
    expect(configz.ok && JSON.parse(configz.body)).toEqual(JSON.parse(CONFIGZ));
    expect(metrics.ok && metrics.body).toBe(METRICS);
    expect(cadvisor.ok && cadvisor.body).toBe(CADVISOR);
    expect(server.requests.map((r) => [r.path, r.accept])).toEqual([
      ['/api/v1/nodes/worker-1/proxy/configz', 'application/json'],
      ['/api/v1/nodes/worker-1/proxy/metrics', 'text/plain;version=0.0.4'],
      ['/api/v1/nodes/worker-1/proxy/metrics/cadvisor', 'text/plain;version=0.0.4'],
    ]);
  });

  it('node proxy failures are data: 403, 404 (node gone), 503, never an exception', async () => {
    server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-3' });
    server.vanishNode('worker-4');
    const undo = server.inject({ node: 'worker-2', proxy: 'metrics', status: 503 });
    try {
      expect(await source.nodeProxy('worker-3', 'configz')).toEqual({
        ok: false,
        failure: { status: 'forbidden', httpStatus: 403, why: 'forbidden (403)', unreachable: false },
      });
      expect(await source.nodeProxy('worker-4', 'metrics/cadvisor')).toEqual({
        ok: false,
        failure: { status: 'not-found', httpStatus: 404, why: 'not found (404)', unreachable: false },
      });
      expect(await source.nodeProxy('worker-2', 'metrics')).toEqual({
        ok: false,
        failure: { status: 'unavailable', httpStatus: 503, why: 'unavailable (503)', unreachable: false },
      });
      // worker-4 is still listed, but GET says 404
      const e = await rejection(source.getNode('worker-4'));
      expect(e.message).toBe('cannot get node "worker-4": not found (404)');
      expect(e.failure.httpStatus).toBe(404);
    } finally {
      undo();
    }
  });

  it('cluster-level 403s name the missing permission', async () => {
    server.deny({ verb: 'list', resource: 'pods' });
    const e = await rejection(source.listPods({ namespace: null, fieldSelector: 'spec.nodeName=worker-1' }));
    expect(e.oneLine()).toBe(
      'cannot list pods on node "worker-1": forbidden (403); needs list on pods in all namespaces',
    );
    expect(e.exitCode).toBe(3);
    const ns = await rejection(source.listPods({ namespace: 'ns-1' }));
    expect(ns.oneLine()).toBe(
      'cannot list pods in namespace "ns-1": forbidden (403); needs list on pods in namespace "ns-1"',
    );
  });

  it('access reviews answer from the same rules', async () => {
    expect(
      await source.accessReview({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-3' }),
    ).toEqual({
      allowed: false,
      reason: null,
    });
    expect(
      (await source.accessReview({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-1' }))
        .allowed,
    ).toBe(true);
    const body = server.requests.at(-1);
    expect([body?.method, body?.path]).toEqual([
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    ]);
  });

  it('a wrong token: 401 with the context named', async () => {
    const bad = await sourceFor(server, { context: 'prod', token: 'nope' });
    try {
      const e = await rejection(bad.listNodes());
      expect(e.oneLine()).toBe(
        'cannot list nodes: unauthorized (401); check the credentials of context "prod"',
      );
      expect(e.failure.status).toBe('forbidden');
    } finally {
      bad.close();
    }
  });

  it('times out a hanging request after --request-timeout, proxy paths included', async () => {
    const quick = await sourceFor(server, {}, 150);
    const undo = server.inject({ node: 'worker-1', proxy: 'metrics/cadvisor', hang: true });
    const undoList = server.inject({ path: '/api/v1/nodes', hang: true, times: 1 });
    try {
      const started = Date.now();
      expect(await quick.nodeProxy('worker-1', 'metrics/cadvisor')).toEqual({
        ok: false,
        failure: { status: 'timeout', httpStatus: null, why: 'timeout after 150ms', unreachable: false },
      });
      expect(Date.now() - started).toBeLessThan(2000);
      const e = await rejection(quick.listNodes());
      expect(e.oneLine()).toBe('cannot list nodes: timeout after 150ms');
    } finally {
      undo();
      undoList();
      quick.close();
    }
  });

  it('a slow answer within the limit is fine', async () => {
    const undo = server.inject({ node: 'worker-2', proxy: 'configz', latencyMs: 100 });
    try {
      const r = await source.nodeProxy('worker-2', 'configz');
      expect(r.ok).toBe(true);
    } finally {
      undo();
    }
  });

  it('successive cAdvisor scrapes get successive bodies', async () => {
    const a = await source.nodeProxy('worker-2', 'metrics/cadvisor');
    const b = await source.nodeProxy('worker-2', 'metrics/cadvisor');
    expect([a.ok && a.body, b.ok && b.body]).toEqual(['scrape 1\n', 'scrape 2\n']);
  });
});

describe('LiveClusterSource: an API server that is not there', () => {
  it('cannot reach the API server: connect ECONNREFUSED (exit 3), proxy reads unavailable', async () => {
    const server = await FakeApiServer.start({});
    const dir = await mkdtemp(join(tmpdir(), 'podres-down-'));
    const path = join(dir, 'config');
    await server.writeKubeconfig(path);
    await server.close();
    const loaded = await loadKubeconfig({ kubeconfig: path, context: null, env: {}, readFile: readFileUtf8 });
    const source = new LiveClusterSource(loaded, { timeoutMs: 2000 });
    try {
      const e = await rejection(source.listNodes());
      expect(e.oneLine()).toBe(`cannot reach the API server ${server.url}: connect ECONNREFUSED`);
      expect(e.exitCode).toBe(3);
      const r = await source.nodeProxy('worker-1', 'configz');
      expect(r).toEqual({
        ok: false,
        failure: { status: 'unavailable', httpStatus: null, why: 'connect ECONNREFUSED', unreachable: true },
      });
    } finally {
      source.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('LiveClusterSource over TLS', () => {
  let server: FakeApiServer;
  let dir: string;

  beforeAll(async () => {
    server = await FakeApiServer.start({ ...makeCluster(1, 1), tls: true, token: 't' });
    dir = await mkdtemp(join(tmpdir(), 'podres-tls-'));
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function nodesWith(opts: KubeconfigOptions): Promise<string[]> {
    const path = join(dir, `config-${Math.random().toString(36).slice(2)}`);
    await server.writeKubeconfig(path, opts);
    const source = new LiveClusterSource(
      await loadKubeconfig({ kubeconfig: path, context: null, env: {}, readFile: readFileUtf8 }),
      { timeoutMs: 5000 },
    );
    try {
      return (await source.listNodes()).map((n) => (n.metadata as { name: string }).name);
    } finally {
      source.close();
    }
  }

  it('trusts the CA of certificate-authority-data', async () => {
    expect(await nodesWith({})).toEqual(['worker-1']);
  });

  it('trusts the CA of a certificate-authority file named relative to the kubeconfig', async () => {
    await writeFile(join(dir, 'ca.crt'), server.caCert ?? '');
    expect(await nodesWith({ caFile: 'ca.crt' })).toEqual(['worker-1']);
  });

  it('insecure-skip-tls-verify skips verification', async () => {
    expect(await nodesWith({ insecure: true, caFile: undefined })).toEqual(['worker-1']);
  });

  it('a server whose certificate is not trusted is unreachable, with the TLS reason', async () => {
    const path = join(dir, 'untrusted');
    const config = server.kubeconfig({}) as { clusters: { cluster: Record<string, unknown> }[] };
    delete config.clusters[0]?.cluster['certificate-authority-data'];
    await writeFile(path, JSON.stringify(config));
    const source = new LiveClusterSource(
      await loadKubeconfig({ kubeconfig: path, context: null, env: {}, readFile: readFileUtf8 }),
      { timeoutMs: 5000 },
    );
    try {
      const e = await rejection(source.listNodes());
      expect(e.oneLine()).toMatch(new RegExp(`^cannot reach the API server ${server.url}: tls: `));
      expect(e.failure.unreachable).toBe(true);
    } finally {
      source.close();
    }
  });
});
