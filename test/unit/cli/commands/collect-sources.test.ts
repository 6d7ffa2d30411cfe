// `kubectl podres collect` on a fake node (test/helpers/collect-node.ts) where one source fails at
// a time: a missing checkpoint, a socket that is no gRPC server, a kubelet answering garbage, too
// late or UNAVAILABLE, an unreadable cgroup file, an unreadable or corrupted sysfs. Each failure is
// an error entry naming its path; everything else is still collected, and the exit code is 0.

import * as grpc from '@grpc/grpc-js';
import { CollectNode, CPU_STATE, observationOf } from '../../../helpers/collect-node.js';
import { FAKE_PODS } from '../../../helpers/fake-cgroups.js';
import { checkpointFixture, failingFs, writeHostFile } from '../../../helpers/fake-host.js';
import { startFakePodResourcesServer } from '../../../helpers/fake-podresources-server.js';
import { ALLOCATABLE_137, LIST_137 } from '../../../helpers/podresources-data.js';

let node: CollectNode;
beforeAll(async () => {
  node = await CollectNode.create();
}, 30_000);
afterAll(async () => {
  await node.close();
});

describe('one source failing alone: an error entry, the rest collected, exit 0', () => {
  it('a missing memory_manager_state (another --kubelet-root-dir)', async () => {
    await writeHostFile(node.root, 'data/kubelet/cpu_manager_state', await checkpointFixture(CPU_STATE));
    const doc = observationOf(
      await node.collect({ kubeletRootDir: '/data/kubelet', podresourcesSocket: node.socket }),
    );
    expect(doc.checkpoints.memoryManager).toBeNull();
    expect(doc.checkpoints.cpuManager?.content).toBe(await checkpointFixture(CPU_STATE));
    expect(doc.errors).toEqual([
      {
        source: 'checkpoint',
        path: `${node.root}/data/kubelet/memory_manager_state`,
        message: `cannot read memory_manager_state "${node.root}/data/kubelet/memory_manager_state": no such file or directory`,
      },
    ]);
    expect(doc.podResources.list).not.toBeNull();
  });

  it('a socket path that is a regular file: both calls fail, named with the socket', async () => {
    const file = `${node.root}/var/lib/kubelet/cpu_manager_state`;
    const doc = observationOf(await node.collect({ podresourcesSocket: file }));
    expect(doc.podResources).toEqual({ socket: file, list: null, allocatable: null });
    expect(doc.errors).toEqual([
      {
        source: 'podresources',
        path: file,
        message: `cannot call List on unix://${file}: connection refused; is the kubelet running?`,
      },
      {
        source: 'podresources',
        path: file,
        message: `cannot call GetAllocatableResources on unix://${file}: connection refused; is the kubelet running?`,
      },
    ]);
    expect(doc.topology).not.toBeNull();
    expect(doc.cgroups.length).toBeGreaterThan(0);
  });

  it('a kubelet answering garbage to List and too slowly to GetAllocatableResources', async () => {
    const odd = await startFakePodResourcesServer({
      list: LIST_137,
      allocatable: ALLOCATABLE_137,
      behaviour: {
        List: { rawResponse: Uint8Array.from([0x0a, 0x02, 0x12]) },
        GetAllocatableResources: { delayMs: 20_000 },
      },
    });
    try {
      const doc = observationOf(await node.collect({ podresourcesSocket: odd.socketPath, timeout: '2s' }));
      expect(doc.errors.map((e) => e.message)).toEqual([
        `cannot call List on unix://${odd.socketPath}: invalid response: ListPodResourcesResponse pod_resources[0]: length 2 runs past the end of the message (1 bytes left) at byte 1`,
        `cannot call GetAllocatableResources on unix://${odd.socketPath}: deadline exceeded after 2s`,
      ]);
    } finally {
      await odd.close();
    }
  });

  it('an unreadable cgroup file', async () => {
    const bad = `${node.root}/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${FAKE_PODS[2]!.uid.replace(/-/g, '_')}.slice/cpu.stat`;
    const doc = observationOf(
      await node.collect({}, { fs: failingFs((p) => p === bad, 'EACCES', node.hostFs) }),
    );
    expect(doc.errors).toEqual([
      { source: 'cgroup', path: bad, message: `cannot read ${bad}: permission denied` },
    ]);
    expect(
      doc.cgroups.find((c) => c.podUid === FAKE_PODS[2]!.uid && c.containerId === '')?.cpuStat,
    ).toBeNull();
  });

  it('an unreadable sysfs', async () => {
    const cpuDir = `${node.root}/sys/devices/system/cpu`;
    const doc = observationOf(
      await node.collect({}, { fs: failingFs((p) => p === cpuDir, 'EACCES', node.hostFs) }),
    );
    expect(doc.topology).toBeNull();
    expect(doc.errors).toEqual([
      { source: 'topology', path: cpuDir, message: `cannot read ${cpuDir}: permission denied` },
    ]);
  });

  it('a corrupted sysfs file (twin of the real one): the parse error, the rest collected', async () => {
    const coreId = `${node.root}/sys/devices/system/cpu/cpu3/topology/core_id`;
    const fs = {
      ...node.hostFs,
      readFile: (p: string) => (p === coreId ? Promise.resolve('x\n') : node.hostFs.readFile(p)),
    };
    const doc = observationOf(await node.collect({}, { fs }));
    expect(doc.errors).toEqual([
      {
        source: 'topology',
        path: `${node.root}/sys/devices/system`,
        message: `sysfs ${coreId}: expected an integer, got "x"`,
      },
    ]);
  });
});

it('the UNAVAILABLE status of a kubelet shutting down becomes an error entry', async () => {
  const down = await startFakePodResourcesServer({
    list: LIST_137,
    allocatable: ALLOCATABLE_137,
    behaviour: { List: { status: { code: grpc.status.UNAVAILABLE, details: 'server shutting down' } } },
  });
  try {
    const doc = observationOf(await node.collect({ podresourcesSocket: down.socketPath }));
    expect(doc.errors).toEqual([
      {
        source: 'podresources',
        path: down.socketPath,
        message: `cannot call List on unix://${down.socketPath}: unavailable: server shutting down`,
      },
    ]);
    expect(doc.podResources.allocatable).not.toBeNull();
  } finally {
    await down.close();
  }
});
