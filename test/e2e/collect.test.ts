// `kubectl podres collect` end to end: the built plugin (dist/, as kubectl-plugin.test.ts) run by
// the real kubectl on a fake node in a temp directory (test/helpers/collect-node.ts: the real sysfs
// of nto-bm-worker1, real checkpoints, a cgroup v2 tree, the fake PodResources gRPC server on the
// kubelet's socket path). Sealed: a temp HOME and PATH, KUBECONFIG pointing at nothing (collect
// never contacts a cluster).

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseObservation } from '../../src/parse/observation.js';
import { parsePodResourcesList } from '../../src/parse/podresources.js';
import { CollectNode, expectedCgroups } from '../helpers/collect-node.js';
import { findKubectl, runKubectl } from '../helpers/kubectl.js';
import { LIST_137 } from '../helpers/podresources-data.js';
import { BUILT_PLUGIN, type CliResult } from '../helpers/run-cli.js';

const PLUGIN = BUILT_PLUGIN;
const RUN_TIMEOUT_MS = 20_000;

describe('kubectl podres collect (the built plugin through the real kubectl)', () => {
  let node: CollectNode;
  let dir: string;
  let kubectl: string;
  const podres = (...args: string[]): Promise<CliResult> =>
    runKubectl(kubectl, ['podres', ...args], {
      home: join(dir, 'home'),
      kubeconfig: join(dir, 'no-such-kubeconfig'),
      path: join(dir, 'bin'),
      timeoutMs: RUN_TIMEOUT_MS,
    });

  beforeAll(async () => {
    if (!existsSync(PLUGIN))
      throw new Error(`${PLUGIN} does not exist: run \`npm run build\` first (npm test does)`);
    kubectl = findKubectl();
    dir = await mkdtemp(join(tmpdir(), 'podres-e2e-collect-'));
    await Promise.all([mkdir(join(dir, 'bin')), mkdir(join(dir, 'home'))]);
    await symlink(PLUGIN, join(dir, 'bin', 'kubectl-podres'));
    await symlink(process.execPath, join(dir, 'bin', 'node'));
    node = await CollectNode.create();
  }, 30_000);

  afterAll(async () => {
    await node.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'collect --host-root <node> prints a NodeObservation with every source, nothing on stderr',
    async () => {
      const r = await podres(
        'collect',
        '--host-root',
        node.root,
        '--node-name',
        'worker-1',
        '--kubelet-version',
        'v1.37.0',
      );
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const doc = parseObservation(r.stdout, 'collect.json');
      expect(doc).toMatchObject({
        node: 'worker-1',
        kubeletVersion: 'v1.37.0',
        hostRoot: node.root,
        cgroupVersion: 2,
      });
      expect(doc.errors).toEqual([]);
      expect(doc.topology?.cpus).toHaveLength(80);
      expect(parsePodResourcesList(JSON.stringify(doc.podResources.list), 'list')).toEqual(LIST_137);
      expect(doc.checkpoints.cpuManager?.content).toMatch(/^\{"policyName":"static"/);
      expect(doc.cgroups).toEqual(expectedCgroups('systemd', 'containerd'));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'a missing host root: exit 2, one error line, nothing on stdout',
    async () => {
      const r = await podres('collect', '--host-root', join(dir, 'no-host'));
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: `error: --host-root "${join(dir, 'no-host')}": no such directory\n`,
      });
    },
    RUN_TIMEOUT_MS,
  );
});
