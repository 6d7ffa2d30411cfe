// `kubectl podres snapshot` end to end: the built plugin (dist/, as kubectl-plugin.test.ts) run by
// the real kubectl against the fake API server over TLS with a bearer token, the snapshot read
// back by the snapshot reader. Sealed: a temp HOME and PATH, KUBECONFIG pointing at the server.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSnapshot } from '../../src/parse/snapshot.js';
import { FakeApiServer } from '../helpers/fake-apiserver.js';
import { makeCluster, realText } from '../helpers/k8s-objects.js';
import { findKubectl, runKubectl } from '../helpers/kubectl.js';
import { linesOf, BUILT_PLUGIN } from '../helpers/run-cli.js';
import type { CliResult } from '../helpers/run-cli.js';

const PLUGIN = BUILT_PLUGIN;
const RUN_TIMEOUT_MS = 20_000;

describe('kubectl podres snapshot (the built plugin through the real kubectl)', () => {
  let server: FakeApiServer;
  let root: string;
  let kubectl: string;
  const podres = (...args: string[]): Promise<CliResult> =>
    runKubectl(kubectl, ['podres', ...args], {
      home: join(root, 'home'),
      kubeconfig: join(root, 'config'),
      path: join(root, 'bin'),
      timeoutMs: RUN_TIMEOUT_MS,
    });

  beforeAll(async () => {
    if (!existsSync(PLUGIN))
      throw new Error(`${PLUGIN} does not exist: run \`npm run build\` first (npm test does)`);
    kubectl = findKubectl();
    root = await mkdtemp(join(tmpdir(), 'podres-e2e-snapshot-'));
    await Promise.all([mkdir(join(root, 'bin')), mkdir(join(root, 'home'))]);
    await symlink(PLUGIN, join(root, 'bin', 'kubectl-podres'));
    await symlink(process.execPath, join(root, 'bin', 'node'));
    const kubelet = {
      configz: realText('configz/eks-outposts-1.30-static-single-numa-node.configz.json'),
      metrics: realText('metrics/netdata-kubelet-1.13.4.metrics.txt'),
      cadvisor: realText('cadvisor/nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt'),
    };
    server = await FakeApiServer.start({
      ...makeCluster(3, 2),
      tls: true,
      token: 'e2e',
      kubelet: { 'worker-1': kubelet, 'worker-2': kubelet, 'worker-3': kubelet },
    });
    server.deny({ verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'worker-3' });
    await server.writeKubeconfig(join(root, 'config'), { context: 'e2e', caFile: 'ca.crt' });
  });

  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it(
    'writes a gzip-compressed snapshot: exit 0, a warning per failed source, the summary line',
    async () => {
      const out = join(root, 'snap.json.gz');
      const r = await podres('snapshot', '-o', out);
      expect(r.stdout).toBe('');
      expect(linesOf(r.stderr)).toEqual([
        'warning: node worker-3: cannot read /configz: forbidden (403); needs get on nodes/proxy',
        'warning: node worker-3: cannot read /metrics: forbidden (403); needs get on nodes/proxy',
        'warning: node worker-3: cannot read /metrics/cadvisor: forbidden (403); needs get on nodes/proxy',
        `wrote ${out}: 3 nodes, 6 pods, 1 node with source errors`,
      ]);
      expect(r.code).toBe(0);
      const s = parseSnapshot(await readFile(out), out);
      expect(s.cluster).toEqual({ context: 'e2e', server: server.url });
      expect(s.nodes.map((n) => [n.name, n.errors.length, n.cadvisor.length])).toEqual([
        ['worker-1', 0, 1],
        ['worker-2', 0, 1],
        ['worker-3', 3, 0],
      ]);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'an unknown node: exit 2, one error line, nothing written',
    async () => {
      const r = await podres('snapshot', '-o', join(root, 'none.json'), 'worker-9');
      expect(r).toEqual({ code: 2, stdout: '', stderr: 'error: node "worker-9" not found\n' });
      expect(existsSync(join(root, 'none.json'))).toBe(false);
    },
    RUN_TIMEOUT_MS,
  );
});
