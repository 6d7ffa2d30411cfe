// `kubectl podres collect` on a fake node (test/helpers/collect-node.ts: the real sysfs of
// nto-bm-worker1, real checkpoint files, kubepods cgroup trees, the fake PodResources gRPC server on
// the kubelet's socket path) where every source answers: the document validates with the
// NodeObservation reader and reads back the same, holds each source, matches the golden file; and
// the exit codes of the command (2 for flags and a missing host root, 3 when nothing is readable).
// Sources failing one at a time: collect-sources.test.ts.

import { parse as parseYaml } from 'yaml';
import { BUILD_INFO } from '../../../../src/cli/build-info.js';
import { parseObservation } from '../../../../src/parse/observation.js';
import { toObservedTopology } from '../../../../src/parse/observed-topology.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../../src/parse/podresources.js';
import { parseSysfsTopology } from '../../../../src/parse/sysfs-topology.js';
import {
  CollectNode,
  CPU_STATE,
  expectedCgroups,
  MEMORY_STATE,
  observationOf,
  WORKER1,
  type CollectResult,
} from '../../../helpers/collect-node.js';
import { checkpointFixture, makeTempDir, removeDir, TOPOLOGY_TARBALLS } from '../../../helpers/fake-host.js';
import { expectGolden } from '../../../helpers/golden.js';
import { ALLOCATABLE_137, LIST_137 } from '../../../helpers/podresources-data.js';
import { runCli } from '../../../helpers/run-cli.js';
import { readTarGzFiles } from '../../../helpers/tar.js';

let node: CollectNode;
beforeAll(async () => {
  node = await CollectNode.create();
}, 30_000);
afterAll(async () => {
  await node.close();
});

describe('a node where every source answers', () => {
  let full: CollectResult;
  let calls: string[];
  beforeAll(async () => {
    const before = node.server.calls.length;
    full = await node.collect({});
    calls = node.server.calls.slice(before).map((c) => c.method);
  });

  it('prints one NodeObservation that the reader validates and reads back the same', () => {
    const doc = observationOf(full);
    expect(JSON.parse(full.stdout)).toEqual(doc);
    expect(doc).toMatchObject({
      apiVersion: 'podres/v1alpha1',
      kind: 'NodeObservation',
      node: 'worker-1',
      collectedAt: '2026-05-12T10:01:07Z',
      collectorVersion: BUILD_INFO.version,
      kubeletVersion: 'v1.37.0',
      hostRoot: node.root,
      kubeletRootDir: '/var/lib/kubelet',
      cgroupVersion: 2,
      errors: [],
    });
    // List and GetAllocatableResources, once each; Get is not needed (the fake kubelet lacks it)
    expect(calls.sort()).toEqual(['GetAllocatableResources', 'List']);
  });

  it('holds each source: topology, PodResources (Go JSON), raw checkpoints, cgroups', async () => {
    const doc = observationOf(full);
    const capture = parseSysfsTopology(readTarGzFiles(`${TOPOLOGY_TARBALLS}/${WORKER1}`), WORKER1);
    expect(doc.topology).toEqual(toObservedTopology(capture));
    expect(doc.podResources.socket).toBe(node.socket);
    expect(JSON.stringify(doc.podResources.list)).toContain('"pod_resources":[{"name":"db-0"');
    expect(parsePodResourcesList(JSON.stringify(doc.podResources.list), 'list')).toEqual(LIST_137);
    expect(parseAllocatableResources(JSON.stringify(doc.podResources.allocatable), 'alloc')).toEqual(
      ALLOCATABLE_137,
    );
    expect(doc.checkpoints).toEqual({
      cpuManager: {
        path: `${node.root}/var/lib/kubelet/cpu_manager_state`,
        content: await checkpointFixture(CPU_STATE),
      },
      memoryManager: {
        path: `${node.root}/var/lib/kubelet/memory_manager_state`,
        content: await checkpointFixture(MEMORY_STATE),
      },
    });
    expect(doc.cgroups).toEqual(expectedCgroups('systemd', 'containerd'));
  });

  it('matches the golden document (temp paths written as /host)', () => {
    expectGolden('collect/worker-1.json', full.stdout.split(node.root).join('/host'));
  });

  it('-o yaml: the same document', async () => {
    const json = JSON.parse(full.stdout) as unknown;
    const yaml = await node.collect({ output: 'yaml' });
    expect(parseYaml(yaml.stdout)).toEqual(json);
    expect(parseObservation(yaml.stdout, 'collect.yaml')).toEqual(json);
  });

  it('cgroup v1 with the cgroupfs driver and docker (--cgroup-root)', async () => {
    const doc = observationOf(await node.collect({ cgroupRoot: `${node.root}/cgroup-v1` }));
    expect(doc.cgroupVersion).toBe(1);
    expect(doc.cgroups).toEqual(expectedCgroups('cgroupfs', 'docker'));
  });

  it('node name: --node-name, else $NODE_NAME, else the host name', async () => {
    expect(observationOf(await node.collect({ nodeName: null }, {}, { NODE_NAME: 'worker-7' })).node).toBe(
      'worker-7',
    );
    expect(observationOf(await node.collect({ nodeName: null }, {}, { NODE_NAME: '' })).node).toBe('host-a');
  });

  it('without --kubelet-version: kubeletVersion null', async () => {
    expect(observationOf(await node.collect({ kubeletVersion: null })).kubeletVersion).toBeNull();
  });
});

describe('exit codes', () => {
  it('a missing host root: exit 2, nothing on stdout', async () => {
    const r = await runCli(['collect', '--host-root', `${node.root}/no-such-dir`]);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: --host-root "${node.root}/no-such-dir": no such directory\n`,
    });
  });

  it('a host root that is a file: exit 2', async () => {
    const file = `${node.root}/var/lib/kubelet/cpu_manager_state`;
    await expect(node.collect({ hostRoot: file })).rejects.toMatchObject({
      exitCode: 2,
      message: `--host-root "${file}": not a directory`,
    });
  });

  it('a bad --timeout or -o: exit 2', async () => {
    const r = await runCli(['collect', '--host-root', node.root, '--timeout', '5 seconds']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid value "5 seconds" for --timeout: /);
    const o = await runCli(['collect', '--host-root', node.root, '-o', 'table']);
    expect(o).toMatchObject({ code: 2, stdout: '' });
    expect(o.stderr).toMatch(/^error: invalid value "table" for --output: expected one of json, yaml/);
  });

  it('nothing readable under the host root: exit 3, each failure a warning, nothing on stdout', async () => {
    const empty = await makeTempDir('podres-empty-host-');
    try {
      const r = await runCli(['collect', '--host-root', empty, '--node-name', 'worker-9']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`error: no node source could be read under "${empty}"`);
      expect(lines.slice(0, -1)).toEqual([
        `warning: cannot call List on unix://${empty}/var/lib/kubelet/pod-resources/kubelet.sock: no such file`,
        `warning: cannot call GetAllocatableResources on unix://${empty}/var/lib/kubelet/pod-resources/kubelet.sock: no such file`,
        `warning: cannot read cpu_manager_state "${empty}/var/lib/kubelet/cpu_manager_state": no such file or directory`,
        `warning: cannot read memory_manager_state "${empty}/var/lib/kubelet/memory_manager_state": no such file or directory`,
        `warning: cannot read ${empty}/sys/devices/system/cpu: no such file or directory`,
        `warning: cannot read ${empty}/sys/fs/cgroup: no such file or directory`,
      ]);
    } finally {
      await removeDir(empty);
    }
  });

  it('through run(): exit 0 and a document on stdout, nothing on stderr', async () => {
    const r = await runCli([
      'collect',
      '--host-root',
      node.root,
      '--node-name',
      'worker-1',
      '--timeout',
      '2s',
    ]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const doc = parseObservation(r.stdout, 'run.json');
    expect(doc.collectedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(doc.errors).toEqual([]);
  });
});
