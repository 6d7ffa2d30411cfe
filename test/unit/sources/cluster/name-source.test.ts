// Live names in shell completion: `kubectl podres __complete …` (what kubectl_complete-podres
// runs) in-process against the fake API server, through the real NameSource
// (src/sources/cluster/name-source.ts): node, pod, namespace and context names, the flags of the
// command line being completed (--kubeconfig, --context, -n, -A) honoured, and silence (no
// candidates, nothing on stderr, exit 0) on every failure and when the budget runs out.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { complete, NAME_BUDGET_MS } from '../../../../src/cli/complete.js';
import { clusterNameSource } from '../../../../src/sources/cluster/name-source.js';
import { FakeApiServer } from '../../../helpers/fake-apiserver.js';
import { nodeObject, podObject } from '../../../helpers/k8s-objects.js';
import { linesOf, runCli } from '../../../helpers/run-cli.js';

let main: FakeApiServer;
let other: FakeApiServer;
let dir = '';
/** kubeconfig of `main` (context "fake", namespace "db") */
let kubeconfig = '';
/** kubeconfig of `other` (context "other", namespace "ml") */
let otherConfig = '';

beforeAll(async () => {
  main = await FakeApiServer.start({
    nodes: ['worker-1', 'worker-2', 'gpu-1'].map((n) => nodeObject(n)),
    pods: [
      podObject('db-0', { namespace: 'db' }),
      podObject('db-1', { namespace: 'db' }),
      podObject('web-0', { namespace: 'web' }),
      podObject('ml-0', { namespace: 'ml' }),
    ],
    namespaces: ['monitoring'],
    token: 'tok-main',
  });
  other = await FakeApiServer.start({
    nodes: [nodeObject('other-node')],
    pods: [podObject('trainer-0', { namespace: 'ml' })],
  });
  dir = await mkdtemp(join(tmpdir(), 'podres-names-'));
  kubeconfig = join(dir, 'config');
  await main.writeKubeconfig(kubeconfig, { namespace: 'db' });
  otherConfig = join(dir, 'other');
  await other.writeKubeconfig(otherConfig, { context: 'other', namespace: 'ml' });
});

afterAll(async () => {
  await main.close();
  await other.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  main.allow();
});

/** `kubectl podres <words> <partial><TAB>` with KUBECONFIG set as given. */
async function tab(words: readonly string[], partial: string, env: Record<string, string> = {}) {
  const r = await runCli(['__complete', ...words, partial], {
    env: { KUBECONFIG: kubeconfig, HOME: dir, ...env },
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return linesOf(r.stdout);
}

describe('live names against the API server', () => {
  it('describe node <TAB> offers the node names', async () => {
    expect(await tab(['describe', 'node'], '')).toEqual(['gpu-1', 'worker-1', 'worker-2', ':4']);
    expect(await tab(['describe', 'no'], 'wor')).toEqual(['worker-1', 'worker-2', ':4']);
  });

  it('describe node/<TAB> completes the name in the same word', async () => {
    expect(await tab(['describe'], 'node/w')).toEqual(['node/worker-1', 'node/worker-2', ':4']);
    expect(await tab(['describe'], 'po/db-')).toEqual(['po/db-0', 'po/db-1', ':4']);
    // a whole target in one word takes no name after it
    expect(await tab(['describe', 'node/worker-1'], '')).toEqual([':4']);
  });

  it('describe pod <TAB> -n NS offers the pods of that namespace; without -n, the context namespace', async () => {
    expect(await tab(['describe', 'pod', '-n', 'web'], '')).toEqual(['web-0', ':4']);
    expect(await tab(['describe', '--namespace=ml', 'pods'], '')).toEqual(['ml-0', ':4']);
    expect(await tab(['describe', 'pod'], '')).toEqual(['db-0', 'db-1', ':4']);
  });

  it('throttle -A <TAB> offers the pods of all namespaces; throttle --node <TAB> the nodes', async () => {
    expect(await tab(['throttle', '-A'], '')).toEqual(['db-0', 'db-1', 'ml-0', 'web-0', ':4']);
    expect(await tab(['throttle', '--node'], 'g')).toEqual(['gpu-1', ':4']);
  });

  it('audit and snapshot offer node names for every positional', async () => {
    expect(await tab(['audit', 'worker-1'], 'w')).toEqual(['worker-1', 'worker-2', ':4']);
    expect(await tab(['snapshot', '-o', 'snap.json'], 'gpu')).toEqual(['gpu-1', ':4']);
  });

  it('-n <TAB> offers the namespaces', async () => {
    expect(await tab(['describe', 'pod', '-n'], '')).toEqual([
      'db',
      'default',
      'kube-system',
      'ml',
      'monitoring',
      'web',
      ':4',
    ]);
  });

  it('--kubeconfig and --context on the line being completed choose the cluster', async () => {
    expect(await tab(['describe', 'node', '--kubeconfig', otherConfig], '')).toEqual(['other-node', ':4']);
    expect(await tab(['throttle', '--kubeconfig', otherConfig], '')).toEqual(['trainer-0', ':4']);
    // both files in KUBECONFIG: the first one's current context, unless --context says otherwise
    const both = { KUBECONFIG: `${kubeconfig}:${otherConfig}` };
    expect(await tab(['describe', 'node'], '', both)).toEqual(['gpu-1', 'worker-1', 'worker-2', ':4']);
    expect(await tab(['describe', 'node', '--context', 'other'], '', both)).toEqual(['other-node', ':4']);
    expect(await tab(['describe', 'node', '--context=nope'], '', both)).toEqual([':4']);
  });

  it('--context <TAB> offers the contexts of the kubeconfig', async () => {
    const both = { KUBECONFIG: `${kubeconfig}:${otherConfig}` };
    expect(await tab(['describe', 'node', '--context'], '', both)).toEqual(['fake', 'other', ':4']);
    expect(await tab(['audit'], '--context=o', both)).toEqual(['--context=other', ':4']);
    expect(await tab(['audit', '--kubeconfig', otherConfig, '--context'], '')).toEqual(['other', ':4']);
  });

  it('--context <TAB> with a kubeconfig that has no current context: its contexts all the same', async () => {
    const config = parse(await readFile(kubeconfig, 'utf8')) as Record<string, unknown>;
    const noCurrent = join(dir, 'no-current');
    await writeFile(noCurrent, stringify({ ...config, 'current-context': '' }));
    expect(await tab(['audit', '--context'], '', { KUBECONFIG: noCurrent })).toEqual(['fake', ':4']);
    // names need a context: none given, none current → nothing
    expect(await tab(['describe', 'node'], '', { KUBECONFIG: noCurrent })).toEqual([':4']);
    expect(await tab(['describe', 'node', '--context', 'fake'], '', { KUBECONFIG: noCurrent })).toEqual([
      'gpu-1',
      'worker-1',
      'worker-2',
      ':4',
    ]);
  });
});

describe('silence on failure', () => {
  it('a 403 gives nothing', async () => {
    main.deny({ verb: 'list', resource: 'nodes' });
    expect(await tab(['describe', 'node'], '')).toEqual([':4']);
    main.deny({ verb: 'list', resource: 'pods', namespace: 'db' });
    expect(await tab(['describe', 'pod', '-n', 'db'], '')).toEqual([':4']);
  });

  it('an unreachable server gives nothing, at once', async () => {
    const down = await FakeApiServer.start({});
    const config = join(dir, 'down');
    await down.writeKubeconfig(config);
    await down.close();
    const start = Date.now();
    expect(await tab(['describe', 'node'], '', { KUBECONFIG: config })).toEqual([':4']);
    expect(Date.now() - start).toBeLessThan(NAME_BUDGET_MS);
  });

  it('a server that never answers gives nothing once the budget (2 s) is spent', async () => {
    const removeFault = main.inject({ path: '/api/v1/nodes', hang: true });
    try {
      const start = Date.now();
      expect(await tab(['describe', 'node'], '')).toEqual([':4']);
      const took = Date.now() - start;
      expect(took).toBeGreaterThanOrEqual(NAME_BUDGET_MS - 50);
      expect(took).toBeLessThan(NAME_BUDGET_MS + 1500);
    } finally {
      removeFault();
    }
  }, 10_000);

  it('the budget, not the request timeout, bounds the wait', async () => {
    const removeFault = main.inject({ path: '/api/v1/nodes', hang: true });
    try {
      const names = clusterNameSource({
        env: { KUBECONFIG: kubeconfig },
        readFile: (p) => readFile(p, 'utf8'),
        timeoutMs: 60_000,
      });
      const start = Date.now();
      const c = await complete(['describe', 'node'], '', { names, budgetMs: 300 });
      expect(c.candidates).toEqual([]);
      expect(Date.now() - start).toBeLessThan(1500);
    } finally {
      removeFault();
    }
  });

  it('no kubeconfig, a missing --kubeconfig, a broken kubeconfig: nothing', async () => {
    const broken = join(dir, 'broken');
    await writeFile(broken, stringify({ apiVersion: 'v1', kind: 'Config', contexts: 'not a list' }));
    expect(await tab(['describe', 'node'], '', { KUBECONFIG: join(dir, 'missing') })).toEqual([':4']);
    expect(await tab(['describe', 'node', '--kubeconfig', join(dir, 'missing')], '')).toEqual([':4']);
    expect(await tab(['describe', 'node', '--kubeconfig', broken], '')).toEqual([':4']);
    expect(await tab(['audit', '--context'], '', { KUBECONFIG: broken })).toEqual([':4']);
  });
});
