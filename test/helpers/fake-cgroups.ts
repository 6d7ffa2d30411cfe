// kubepods cgroup trees in a temp host root, laid out as the kubelet and the CRI runtimes make them
// and with the files the kernel shows in them (cgroup v2 unified hierarchy, or the v1 cpuset and
// cpu,cpuacct hierarchies with the `cpu`/`cpuacct` links), for `collect` and the cgroup reader.
// The values describe the pods of test/helpers/podresources-data.ts LIST_137 on nto-bm-worker1
// (80 CPUs, NUMA 0 = even CPUs, reserved 0,40): db-0 is a pod-level Guaranteed pod (pod pool on
// NUMA 0, exclusive `db`), trainer-0 a Guaranteed pod on NUMA 1, plus a Burstable and a BestEffort
// pod in the shared pool. Every pod has its sandbox (pause) container too.

import { symlink } from 'node:fs/promises';
import { posix } from 'node:path';
import { writeHostFile } from './fake-host.js';

export type CgroupDriver = 'systemd' | 'cgroupfs';
export type ContainerRuntime = 'containerd' | 'crio' | 'docker';

export interface FakeCgroup {
  readonly cpus: string;
  readonly mems: string;
  /** µs per period; null = no quota */
  readonly quota: number | null;
  readonly period: number;
  readonly nrPeriods: number;
  readonly nrThrottled: number;
  readonly throttledUsec: number;
}

export interface FakeContainer extends FakeCgroup {
  /** 64 hex digits */
  readonly id: string;
}

export interface FakePod {
  readonly uid: string;
  readonly qos: 'guaranteed' | 'burstable' | 'besteffort';
  readonly cgroup: FakeCgroup;
  readonly containers: readonly FakeContainer[];
}

/** The node's shared pool: all CPUs but the reserved and the exclusive ones. */
const SHARED = '1-2,7,9,11-39,41-42,47,49,51-79';
const unlimited = { quota: null, period: 100000, nrPeriods: 0, nrThrottled: 0, throttledUsec: 0 } as const;
const id = (c: string) => c.repeat(64);

export const FAKE_PODS: readonly FakePod[] = [
  {
    // db/db-0: pod-level resources 8 CPUs, pod scope; `db` exclusive, the sidecars in the pod pool
    uid: '5f0c3c0e-8a8e-4b7c-9c55-0f4f5b2e1a01',
    qos: 'guaranteed',
    cgroup: { cpus: '4,6,8,10,44,46,48,50', mems: '0', ...unlimited },
    containers: [
      {
        id: id('a'),
        cpus: '4,44',
        mems: '0',
        quota: 200000,
        period: 100000,
        nrPeriods: 4631,
        nrThrottled: 212,
        throttledUsec: 5368221,
      },
      {
        id: id('b'),
        cpus: '4,44',
        mems: '0',
        quota: 200000,
        period: 100000,
        nrPeriods: 1200,
        nrThrottled: 0,
        throttledUsec: 0,
      },
      { id: id('c'), cpus: '6,8,10,46,48,50', mems: '0', ...unlimited, nrPeriods: 0 },
      // the sandbox
      { id: id('d'), cpus: '4,44', mems: '0', ...unlimited },
    ],
  },
  {
    // ml/trainer-0
    uid: '9b2d6f1e-3c4a-4e8b-a7d2-6c1f0e9d8b02',
    qos: 'guaranteed',
    cgroup: {
      cpus: SHARED,
      mems: '0-1',
      quota: 400000,
      period: 100000,
      nrPeriods: 8812,
      nrThrottled: 3,
      throttledUsec: 1042,
    },
    containers: [
      {
        id: id('e'),
        cpus: '3,5,43,45',
        mems: '1',
        quota: 400000,
        period: 100000,
        nrPeriods: 8812,
        nrThrottled: 3,
        throttledUsec: 1042,
      },
      { id: id('f'), cpus: SHARED, mems: '0-1', ...unlimited },
    ],
  },
  {
    uid: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c503',
    qos: 'burstable',
    cgroup: {
      cpus: SHARED,
      mems: '0-1',
      quota: 50000,
      period: 100000,
      nrPeriods: 30211,
      nrThrottled: 5120,
      throttledUsec: 981234567,
    },
    containers: [
      {
        id: id('1'),
        cpus: SHARED,
        mems: '0-1',
        quota: 50000,
        period: 100000,
        nrPeriods: 30211,
        nrThrottled: 5120,
        throttledUsec: 981234567,
      },
      { id: id('2'), cpus: SHARED, mems: '0-1', ...unlimited },
    ],
  },
  {
    uid: 'e4f5a6b7-c8d9-4e0f-9a1b-2c3d4e5f6a04',
    qos: 'besteffort',
    cgroup: { cpus: SHARED, mems: '0-1', ...unlimited },
    containers: [{ id: id('3'), cpus: SHARED, mems: '0-1', ...unlimited }],
  },
];

/** The pod cgroup path below the hierarchy root. */
export function podCgroupPath(driver: CgroupDriver, pod: FakePod): string {
  if (driver === 'cgroupfs') return `/kubepods${pod.qos === 'guaranteed' ? '' : `/${pod.qos}`}/pod${pod.uid}`;
  const u = pod.uid.replace(/-/g, '_');
  if (pod.qos === 'guaranteed') return `/kubepods.slice/kubepods-pod${u}.slice`;
  return `/kubepods.slice/kubepods-${pod.qos}.slice/kubepods-${pod.qos}-pod${u}.slice`;
}

export function containerCgroupPath(
  driver: CgroupDriver,
  runtime: ContainerRuntime,
  pod: FakePod,
  containerId: string,
): string {
  const prefix = { containerd: 'cri-containerd', crio: 'crio', docker: 'docker' }[runtime];
  if (driver === 'systemd') return `${podCgroupPath(driver, pod)}/${prefix}-${containerId}.scope`;
  return `${podCgroupPath(driver, pod)}/${runtime === 'crio' ? `crio-${containerId}` : containerId}`;
}

/** The files of one cgroup as the kernel shows them (v2), relevant ones with the given values. */
function v2Files(c: FakeCgroup): Record<string, string> {
  return {
    'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
    'cgroup.procs': '',
    'cgroup.type': 'domain\n',
    'cpu.max': `${c.quota ?? 'max'} ${c.period}\n`,
    'cpu.max.burst': '0\n',
    'cpu.weight': '79\n',
    'cpu.stat':
      `usage_usec ${c.nrPeriods * 31000 + 7}\nuser_usec ${c.nrPeriods * 20000}\nsystem_usec ${c.nrPeriods * 11000 + 7}\n` +
      `core_sched.force_idle_usec 0\nnr_periods ${c.nrPeriods}\nnr_throttled ${c.nrThrottled}\n` +
      `throttled_usec ${c.throttledUsec}\nnr_bursts 0\nburst_usec 0\n`,
    'cpuset.cpus': '',
    'cpuset.cpus.effective': `${c.cpus}\n`,
    'cpuset.cpus.partition': 'member\n',
    'cpuset.mems': '',
    'cpuset.mems.effective': `${c.mems}\n`,
    'memory.max': 'max\n',
  };
}

function v1CpusetFiles(c: FakeCgroup): Record<string, string> {
  return {
    'cgroup.procs': '',
    'cpuset.cpus': `${c.cpus}\n`,
    'cpuset.effective_cpus': `${c.cpus}\n`,
    'cpuset.mems': `${c.mems}\n`,
    'cpuset.effective_mems': `${c.mems}\n`,
    'cpuset.cpu_exclusive': '0\n',
    tasks: '',
  };
}

function v1CpuFiles(c: FakeCgroup): Record<string, string> {
  return {
    'cgroup.procs': '',
    'cpu.cfs_period_us': `${c.period}\n`,
    'cpu.cfs_quota_us': `${c.quota ?? -1}\n`,
    'cpu.shares': '2048\n',
    // v1 counts throttled time in nanoseconds
    'cpu.stat': `nr_periods ${c.nrPeriods}\nnr_throttled ${c.nrThrottled}\nthrottled_time ${c.throttledUsec * 1000 + 417}\n`,
    'cpuacct.usage': `${c.nrPeriods * 31000000}\n`,
    tasks: '',
  };
}

async function writeFiles(root: string, dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeHostFile(root, posix.join(dir, name), text);
}

const QOS_DIRS: Record<CgroupDriver, string[]> = {
  systemd: [
    '/kubepods.slice',
    '/kubepods.slice/kubepods-burstable.slice',
    '/kubepods.slice/kubepods-besteffort.slice',
  ],
  cgroupfs: ['/kubepods', '/kubepods/burstable', '/kubepods/besteffort'],
};

const NODE_CGROUP: FakeCgroup = { cpus: '0-79', mems: '0-1', ...unlimited };

/**
 * Writes a cgroup root with a kubepods tree under `<root>/<cgroupDir>` (default sys/fs/cgroup):
 * the node-level cgroups (root, kubepods, QoS level, system.slice on v2) and every pod and
 * container cgroup of `pods` (default FAKE_PODS).
 */
export async function writeCgroupTree(
  root: string,
  opts: {
    readonly version: 1 | 2;
    readonly driver: CgroupDriver;
    readonly runtime?: ContainerRuntime;
    readonly pods?: readonly FakePod[];
    readonly cgroupDir?: string;
  },
): Promise<void> {
  const base = opts.cgroupDir ?? 'sys/fs/cgroup';
  const runtime = opts.runtime ?? 'containerd';
  const pods = opts.pods ?? FAKE_PODS;
  const cgroups: { path: string; c: FakeCgroup }[] = QOS_DIRS[opts.driver].map((path) => ({
    path,
    c: NODE_CGROUP,
  }));
  for (const pod of pods) {
    cgroups.push({ path: podCgroupPath(opts.driver, pod), c: pod.cgroup });
    for (const c of pod.containers)
      cgroups.push({ path: containerCgroupPath(opts.driver, runtime, pod, c.id), c });
  }
  if (opts.version === 2) {
    await writeFiles(root, base, {
      'cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n',
      'cgroup.subtree_control': 'cpuset cpu io memory hugetlb pids\n',
      'cpu.stat': 'usage_usec 91823749812\nuser_usec 61238127\nsystem_usec 30585622\n',
    });
    await writeFiles(root, `${base}/system.slice`, v2Files(NODE_CGROUP));
    for (const { path, c } of cgroups) await writeFiles(root, `${base}${path}`, v2Files(c));
    return;
  }
  await writeFiles(root, `${base}/cpuset`, v1CpusetFiles(NODE_CGROUP));
  await writeFiles(root, `${base}/cpu,cpuacct`, v1CpuFiles(NODE_CGROUP));
  await writeFiles(root, `${base}/memory`, { 'memory.limit_in_bytes': '9223372036854771712\n' });
  await writeFiles(root, `${base}/unified`, { 'cgroup.controllers': '' });
  await symlink('cpu,cpuacct', posix.join(root, base, 'cpu'));
  await symlink('cpu,cpuacct', posix.join(root, base, 'cpuacct'));
  for (const { path, c } of cgroups) {
    await writeFiles(root, `${base}/cpuset${path}`, v1CpusetFiles(c));
    await writeFiles(root, `${base}/cpu,cpuacct${path}`, v1CpuFiles(c));
  }
}

/** What the reader must give for a pod cgroup or container cgroup of FAKE_PODS. */
export function expectedCgroup(
  driver: CgroupDriver,
  runtime: ContainerRuntime,
  pod: FakePod,
  container: FakeContainer | null,
): {
  podUid: string;
  containerId: string;
  path: string;
  cpusetCpus: string;
  cpusetMems: string;
  cpuMax: string;
  cpuStat: { nrPeriods: number; nrThrottled: number; throttledUsec: number };
} {
  const c = container ?? pod.cgroup;
  return {
    podUid: pod.uid,
    containerId: container?.id ?? '',
    path:
      container === null
        ? podCgroupPath(driver, pod)
        : containerCgroupPath(driver, runtime, pod, container.id),
    cpusetCpus: c.cpus,
    cpusetMems: c.mems,
    cpuMax: `${c.quota ?? 'max'} ${c.period}`,
    cpuStat: { nrPeriods: c.nrPeriods, nrThrottled: c.nrThrottled, throttledUsec: c.throttledUsec },
  };
}
