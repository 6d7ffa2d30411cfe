// Kubeconfig loading as kubectl does it: KUBECONFIG path lists merged first-wins, --kubeconfig,
// --context, ~/.kube/config, in-cluster, and the errors of cli.md §4.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SourceError, UsageError } from '../../../../src/errors.js';
import { loadKubeconfig } from '../../../../src/sources/cluster/kubeconfig.js';
import type { KubeconfigInput } from '../../../../src/sources/cluster/kubeconfig.js';
import { LiveClusterSource } from '../../../../src/sources/cluster/live-cluster-source.js';
import { FakeApiServer } from '../../../helpers/fake-apiserver.js';
import { makeCluster } from '../../../helpers/k8s-objects.js';

const readUtf8 = (path: string) => readFile(path, 'utf8');

async function rejectionOf(p: Promise<unknown>): Promise<SourceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error('expected a SourceError');
}

function config(opts: {
  current?: string;
  contexts: [name: string, cluster: string, namespace?: string][];
  clusters: [name: string, server: string][];
  users?: string[];
}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    ...(opts.current === undefined ? {} : { 'current-context': opts.current }),
    clusters: opts.clusters.map(([name, server]) => ({ name, cluster: { server } })),
    contexts: opts.contexts.map(([name, cluster, namespace]) => ({
      name,
      context: { cluster, user: 'u', ...(namespace === undefined ? {} : { namespace }) },
    })),
    users: (opts.users ?? ['u']).map((name) => ({ name, user: { token: `token-of-${name}` } })),
  });
}

describe('loadKubeconfig', () => {
  let dir: string;
  const input = (over: Partial<KubeconfigInput>): KubeconfigInput => ({
    kubeconfig: null,
    context: null,
    env: {},
    readFile: readUtf8,
    ...over,
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'podres-kubeconfig-'));
    await writeFile(
      join(dir, 'a.yaml'),
      config({
        current: 'prod',
        contexts: [['prod', 'prod-cluster', 'shop']],
        clusters: [['prod-cluster', 'https://prod.example:6443/']],
      }),
    );
    await writeFile(
      join(dir, 'b.yaml'),
      config({
        current: 'staging',
        contexts: [
          ['prod', 'staging-cluster', 'overridden'],
          ['staging', 'staging-cluster'],
        ],
        clusters: [
          ['prod-cluster', 'https://not-this.example'],
          ['staging-cluster', 'https://staging.example:6443'],
        ],
      }),
    );
    await writeFile(join(dir, 'broken.yaml'), 'clusters:\n- name: x\n  cluster: {}\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('KUBECONFIG: a path list merged first-wins, missing files skipped', async () => {
    const k = await loadKubeconfig(
      input({
        env: { KUBECONFIG: `${join(dir, 'missing.yaml')}:${join(dir, 'a.yaml')}::${join(dir, 'b.yaml')}` },
      }),
    );
    // a.yaml's current context and its definitions of prod and prod-cluster win
    expect([k.context, k.server, k.namespace]).toEqual(['prod', 'https://prod.example:6443', 'shop']);
    expect(k.files).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
    expect(k.kc.getContexts().map((c) => c.name)).toEqual(['prod', 'staging']);
  });

  it('--context picks a context of a later file; without a namespace it is "default"', async () => {
    const k = await loadKubeconfig(
      input({ context: 'staging', env: { KUBECONFIG: `${join(dir, 'a.yaml')}:${join(dir, 'b.yaml')}` } }),
    );
    expect([k.context, k.server, k.namespace]).toEqual([
      'staging',
      'https://staging.example:6443',
      'default',
    ]);
  });

  it('an unknown --context is a usage error (exit 2)', async () => {
    const p = loadKubeconfig(input({ context: 'nope', env: { KUBECONFIG: join(dir, 'a.yaml') } }));
    await expect(p).rejects.toThrow(new UsageError('context "nope" not found in kubeconfig'));
    await expect(p).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--kubeconfig wins over KUBECONFIG, and must exist', async () => {
    const k = await loadKubeconfig(
      input({ kubeconfig: join(dir, 'b.yaml'), env: { KUBECONFIG: join(dir, 'a.yaml') } }),
    );
    expect(k.context).toBe('staging');
    const missing = loadKubeconfig(input({ kubeconfig: join(dir, 'nope.yaml') }));
    await expect(missing).rejects.toThrow(SourceError);
    await expect(missing).rejects.toThrow(
      `cannot load kubeconfig "${join(dir, 'nope.yaml')}": no such file or directory`,
    );
  });

  it('a kubeconfig client-node cannot read names the file and the field', async () => {
    await expect(loadKubeconfig(input({ kubeconfig: join(dir, 'broken.yaml') }))).rejects.toThrow(
      `cannot load kubeconfig "${join(dir, 'broken.yaml')}": clusters[0].cluster.server is missing`,
    );
  });

  it('without KUBECONFIG: ~/.kube/config', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.kube'), { recursive: true });
    await writeFile(
      join(home, '.kube', 'config'),
      config({ current: 'home', contexts: [['home', 'c']], clusters: [['c', 'https://home.example']] }),
    );
    expect((await loadKubeconfig(input({ env: { HOME: home } }))).context).toBe('home');
  });

  it('nothing at all: cannot load kubeconfig (exit 3), with the hint', async () => {
    const p = loadKubeconfig(input({ env: { HOME: join(dir, 'empty-home') } }));
    await expect(p).rejects.toMatchObject({ exitCode: 3 });
    const e = await rejectionOf(p);
    expect(e.oneLine()).toBe(
      'cannot load kubeconfig: no configuration found; set KUBECONFIG or pass --kubeconfig',
    );
  });

  it('Windows: KUBECONFIG is a ";" list', async () => {
    const k = await loadKubeconfig(
      input({ platform: 'win32', env: { KUBECONFIG: `${join(dir, 'b.yaml')};${join(dir, 'a.yaml')}` } }),
    );
    expect(k.context).toBe('staging');
  });

  it('no current context: an error with the way out', async () => {
    await writeFile(
      join(dir, 'nocurrent.yaml'),
      config({ contexts: [['x', 'c']], clusters: [['c', 'https://x']] }),
    );
    const e = await rejectionOf(loadKubeconfig(input({ kubeconfig: join(dir, 'nocurrent.yaml') })));
    expect(e.oneLine()).toBe(
      'cannot load kubeconfig: no current context; pass --context or run kubectl config use-context',
    );
  });
});

describe('loadKubeconfig in a pod (in-cluster)', () => {
  it('uses KUBERNETES_SERVICE_HOST/PORT, the service-account CA, token and namespace', async () => {
    const server = await FakeApiServer.start({ ...makeCluster(2, 0), tls: true, token: 'sa-token' });
    const sa = await mkdtemp(join(tmpdir(), 'podres-sa-'));
    try {
      await writeFile(join(sa, 'token'), 'sa-token');
      await writeFile(join(sa, 'namespace'), 'podres-system');
      await writeFile(join(sa, 'ca.crt'), server.caCert ?? '');
      const port = new URL(server.url).port;
      const k = await loadKubeconfig({
        kubeconfig: null,
        context: null,
        env: {
          KUBERNETES_SERVICE_HOST: '127.0.0.1',
          KUBERNETES_SERVICE_PORT: port,
          HOME: join(sa, 'nohome'),
        },
        readFile: readUtf8,
        serviceAccountDir: sa,
      });
      expect([k.inCluster, k.server, k.namespace]).toEqual([true, server.url, 'podres-system']);
      const source = new LiveClusterSource(k, { timeoutMs: 5000 });
      try {
        expect((await source.listNodes()).length).toBe(2);
        expect(server.requests[0]?.authorization).toBe('Bearer sa-token');
      } finally {
        source.close();
      }
    } finally {
      await server.close();
      await rm(sa, { recursive: true, force: true });
    }
  });

  it('without a readable token there is no in-cluster configuration', async () => {
    const p = loadKubeconfig({
      kubeconfig: null,
      context: null,
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      readFile: () => Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
      serviceAccountDir: '/nonexistent',
    });
    await expect(p).rejects.toThrow('cannot load kubeconfig: no configuration found');
  });
});
