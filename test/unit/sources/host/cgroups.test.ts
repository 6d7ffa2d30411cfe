// Tests the cgroup source of `collect` on kubepods trees written as the kubelet and the runtimes
// lay them out (test/helpers/fake-cgroups.ts): cgroup v2 and v1, systemd and cgroupfs drivers,
// containerd / cri-o / docker names, and the failures that must become error entries (an
// unreadable or corrupted file, no kubepods tree, a root that is no cgroup root).

import { mkdir, symlink } from 'node:fs/promises';
import { detectCgroupHierarchies, findPodCgroups } from '../../../../src/sources/host/cgroup-tree.js';
import { readCgroups } from '../../../../src/sources/host/cgroups.js';
import { liveHostFs } from '../../../../src/sources/host/host-fs.js';
import {
  expectedCgroup,
  FAKE_PODS,
  podCgroupPath,
  writeCgroupTree,
  type CgroupDriver,
  type ContainerRuntime,
} from '../../../helpers/fake-cgroups.js';
import { failingFs, makeTempDir, removeDir, writeHostFile } from '../../../helpers/fake-host.js';

let root: string;
let cg: string;
beforeEach(async () => {
  root = await makeTempDir('podres-cgroups-');
  cg = `${root}/sys/fs/cgroup`;
});
afterEach(async () => {
  await removeDir(root);
});

function expectedAll(driver: CgroupDriver, runtime: ContainerRuntime) {
  return FAKE_PODS.flatMap((pod) => [
    expectedCgroup(driver, runtime, pod, null),
    ...pod.containers.map((c) => expectedCgroup(driver, runtime, pod, c)),
  ]).sort((a, b) => (a.path < b.path ? -1 : 1));
}

describe.each([
  [2, 'systemd', 'containerd'],
  [2, 'cgroupfs', 'containerd'],
  [2, 'systemd', 'crio'],
  [1, 'cgroupfs', 'docker'],
  [1, 'systemd', 'containerd'],
  [1, 'cgroupfs', 'crio'],
] as const)('cgroup v%d, %s driver, %s', (version, driver, runtime) => {
  it('reads every pod and container cgroup (sandboxes too), in path order', async () => {
    await writeCgroupTree(root, { version, driver, runtime });
    const got = await readCgroups(liveHostFs, cg);
    expect(got.errors).toEqual([]);
    expect(got.version).toBe(version);
    expect(got.readable).toBe(true);
    expect(got.cgroups).toEqual(expectedAll(driver, runtime));
  });
});

describe('values', () => {
  it('v1: throttled_time in ns becomes µs (rounded down), quota -1 becomes "max"', async () => {
    await writeCgroupTree(root, { version: 1, driver: 'cgroupfs' });
    const got = await readCgroups(liveHostFs, cg);
    const burstable = got.cgroups.find((c) => c.path === `/kubepods/burstable/pod${FAKE_PODS[2]!.uid}`);
    // cpu.stat throttled_time 981234567417 ns
    expect(burstable?.cpuStat).toEqual({ nrPeriods: 30211, nrThrottled: 5120, throttledUsec: 981234567 });
    expect(burstable?.cpuMax).toBe('50000 100000');
    expect(got.cgroups.find((c) => c.containerId === 'c'.repeat(64))?.cpuMax).toBe('max 100000');
  });

  it('podUid with dashes from the systemd slice name (underscores)', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'systemd' });
    const { cgroups } = await readCgroups(liveHostFs, cg);
    expect(cgroups[0]?.path).toBe(
      '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pode4f5a6b7_c8d9_4e0f_9a1b_2c3d4e5f6a04.slice',
    );
    expect(cgroups[0]?.podUid).toBe('e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a04');
  });

  it('skips what is not a pod or container cgroup (conmon scopes, other slices, files)', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'systemd', runtime: 'crio', pods: FAKE_PODS.slice(3) });
    const pod = `${cg}${podCgroupPath('systemd', FAKE_PODS[3]!)}`;
    await writeHostFile(
      root,
      `${pod.slice(root.length)}/crio-conmon-${'3'.repeat(64)}.scope/cpu.max`,
      'max 100000\n',
    );
    await writeHostFile(
      root,
      'sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/other.slice/cpu.max',
      'max 100000\n',
    );
    const { cgroups, errors } = await readCgroups(liveHostFs, cg);
    expect(errors).toEqual([]);
    expect(cgroups.map((c) => c.containerId)).toEqual(['', '3'.repeat(64)]);
  });

  it('a static pod (uid a 32-hex config hash) under cgroupfs', async () => {
    const staticPod = { ...FAKE_PODS[3]!, uid: '6a3a3c3e0e52b3c2f7b3e8c1d0a9f8e7' };
    await writeCgroupTree(root, { version: 2, driver: 'cgroupfs', pods: [staticPod] });
    const { cgroups } = await readCgroups(liveHostFs, cg);
    expect(cgroups.map((c) => c.podUid)).toEqual([staticPod.uid, staticPod.uid]);
  });

  it('cpu.stat without throttling counters (cpu controller off): cpuStat null, no error', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'systemd', pods: FAKE_PODS.slice(3) });
    const pod = podCgroupPath('systemd', FAKE_PODS[3]!);
    await writeHostFile(
      root,
      `sys/fs/cgroup${pod}/cpu.stat`,
      'usage_usec 100\nuser_usec 60\nsystem_usec 40\n',
    );
    const { cgroups, errors } = await readCgroups(liveHostFs, cg);
    expect(errors).toEqual([]);
    expect(cgroups[0]?.cpuStat).toBeNull();
  });
});

describe('failures become error entries; the rest is read', () => {
  it('an unreadable cpu.max of one container', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'systemd' });
    const bad = `${cg}${podCgroupPath('systemd', FAKE_PODS[0]!)}/cri-containerd-${'a'.repeat(64)}.scope/cpu.max`;
    const got = await readCgroups(
      failingFs((p) => p === bad),
      cg,
    );
    expect(got.errors).toEqual([
      { source: 'cgroup', path: bad, message: `cannot read ${bad}: permission denied` },
    ]);
    expect(got.readable).toBe(true);
    const c = got.cgroups.find((x) => x.containerId === 'a'.repeat(64));
    expect(c?.cpuMax).toBeNull();
    expect(c?.cpusetCpus).toBe('4,44');
    expect(got.cgroups).toHaveLength(expectedAll('systemd', 'containerd').length);
  });

  it('a corrupted cpuset.cpus.effective (twin): the parse error names the file and line', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'cgroupfs' });
    const file = `/kubepods/burstable/pod${FAKE_PODS[2]!.uid}/cpuset.cpus.effective`;
    await writeHostFile(root, `sys/fs/cgroup${file}`, '1-2,7,9-\n');
    const got = await readCgroups(liveHostFs, cg);
    expect(got.errors).toEqual([
      {
        source: 'cgroup',
        path: `${cg}${file}`,
        message: `cannot parse ${cg}${file} line 1: invalid cpu list element "9-"`,
      },
    ]);
    expect(
      got.cgroups.find((c) => c.path === file.replace('/cpuset.cpus.effective', ''))?.cpusetCpus,
    ).toBeNull();
  });

  it('a v1 cgroup missing from the cpu hierarchy: its cpu fields null with errors, cpuset read', async () => {
    await writeCgroupTree(root, { version: 1, driver: 'cgroupfs', pods: FAKE_PODS.slice(3) });
    await removeDir(`${cg}/cpu,cpuacct/kubepods/besteffort/pod${FAKE_PODS[3]!.uid}/${'3'.repeat(64)}`);
    const got = await readCgroups(liveHostFs, cg);
    const c = got.cgroups.find((x) => x.containerId === '3'.repeat(64));
    expect(c).toMatchObject({ cpusetCpus: FAKE_PODS[3]!.cgroup.cpus, cpuMax: null, cpuStat: null });
    expect(got.errors.map((e) => e.path?.replace(cg, ''))).toEqual([
      `/cpu,cpuacct/kubepods/besteffort/pod${FAKE_PODS[3]!.uid}/${'3'.repeat(64)}/cpu.cfs_quota_us`,
      `/cpu,cpuacct/kubepods/besteffort/pod${FAKE_PODS[3]!.uid}/${'3'.repeat(64)}/cpu.stat`,
    ]);
  });

  it('an unlistable kubepods.slice: one error, nothing read', async () => {
    await writeCgroupTree(root, { version: 2, driver: 'systemd' });
    const got = await readCgroups(
      failingFs((p) => p === `${cg}/kubepods.slice`),
      cg,
    );
    expect(got).toEqual({
      version: 2,
      cgroups: [],
      readable: false,
      errors: [
        {
          source: 'cgroup',
          path: `${cg}/kubepods.slice`,
          message: `cannot read ${cg}/kubepods.slice: permission denied`,
        },
      ],
    });
  });

  it('a cgroup root without kubepods', async () => {
    await writeHostFile(root, 'sys/fs/cgroup/cgroup.controllers', 'cpuset cpu memory\n');
    await mkdir(`${cg}/system.slice`);
    const got = await readCgroups(liveHostFs, cg);
    expect(got.errors).toEqual([{ source: 'cgroup', path: cg, message: `no kubepods cgroup under "${cg}"` }]);
    expect(got.version).toBe(2);
  });

  it('a directory that is no cgroup root, and one that does not exist', async () => {
    await mkdir(cg, { recursive: true });
    const got = await readCgroups(liveHostFs, cg);
    expect(got.version).toBeNull();
    expect(got.errors[0]?.message).toBe(
      `${cg} is neither a cgroup v2 root (no cgroup.controllers) nor a cgroup v1 root (no cpuset and cpu,cpuacct hierarchies)`,
    );
    const missing = await readCgroups(liveHostFs, `${root}/nope`);
    expect(missing.errors).toEqual([
      {
        source: 'cgroup',
        path: `${root}/nope`,
        message: `cannot read ${root}/nope: no such file or directory`,
      },
    ]);
  });
});

describe('the tree walk', () => {
  it('v1 detection follows the cpu → cpu,cpuacct link layout', async () => {
    await mkdir(`${cg}/cpuset`, { recursive: true });
    await mkdir(`${cg}/cpu,cpuacct`);
    await symlink('cpu,cpuacct', `${cg}/cpu`);
    expect(await detectCgroupHierarchies(liveHostFs, cg)).toEqual({
      version: 1,
      cpuset: `${cg}/cpuset`,
      cpu: `${cg}/cpu,cpuacct`,
    });
  });

  it('no kubepods tree: null', async () => {
    await mkdir(`${cg}/system.slice`, { recursive: true });
    expect(await findPodCgroups(liveHostFs, cg)).toBeNull();
  });
});
