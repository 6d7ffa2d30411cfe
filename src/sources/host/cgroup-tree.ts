// Where the kubelet's pod and container cgroups are under a cgroup root (cli.md §5.7): which
// cgroup version the root is, and the walk of the kubepods tree for both cgroup drivers.
//
// cgroup v2: the root has `cgroup.controllers` (the unified hierarchy). cgroup v1 (also hybrid,
// where v2 sits at `unified/`): the root holds one directory per hierarchy; `cpuset/` and
// `cpu,cpuacct/` (or `cpu/`) are the ones read.
//
// Layouts (pkg/kubelet/cm/cgroup_manager_linux.go, the CRI runtimes' scope names):
//   cgroupfs driver  /kubepods[/burstable|/besteffort]/pod<uid>/<64-hex id>   (cri-o: crio-<id>)
//   systemd driver   /kubepods.slice[/kubepods-<qos>.slice]/kubepods[-<qos>]-pod<uid with _>.slice/
//                    cri-containerd-<id>.scope | crio-<id>.scope | docker-<id>.scope
// Sandbox (pause) containers have cgroups like the others and are listed too; conmon scopes
// (crio-conmon-<id>.scope) and any other entry are not containers and are skipped.

import { errorCode, type HostFs } from './host-fs.js';

export type CgroupHierarchies =
  | { readonly version: 2; readonly root: string }
  | { readonly version: 1; readonly cpuset: string; readonly cpu: string };

/** A pod cgroup (containerId "") or a container cgroup below it. */
export interface CgroupLocation {
  /** with dashes */
  readonly podUid: string;
  /** bare 64-hex id; "" = the pod cgroup */
  readonly containerId: string;
  /** below the hierarchy root, starting with "/" (as in /proc/<pid>/cgroup and cAdvisor's `id`) */
  readonly path: string;
}

/** A cgroup root that is neither v2 nor v1; `path` is what was looked at. */
export class CgroupRootError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const V1_CPU_DIRS = ['cpu,cpuacct', 'cpuacct,cpu', 'cpu'];

async function exists(fs: HostFs, path: string, kind: 'file' | 'directory'): Promise<boolean> {
  try {
    return (await fs.kindOf(path)) === kind;
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return false;
    throw e;
  }
}

/** Detects the cgroup version of `root`. Rejects with a CgroupRootError or a file system error. */
export async function detectCgroupHierarchies(fs: HostFs, root: string): Promise<CgroupHierarchies> {
  if (await exists(fs, `${root}/cgroup.controllers`, 'file')) return { version: 2, root };
  const names = new Set((await fs.readDir(root)).map((e) => e.name));
  const cpuDir = V1_CPU_DIRS.find((d) => names.has(d));
  if (names.has('cpuset') && cpuDir !== undefined) {
    return { version: 1, cpuset: `${root}/cpuset`, cpu: `${root}/${cpuDir}` };
  }
  throw new CgroupRootError(
    `${root} is neither a cgroup v2 root (no cgroup.controllers) nor a cgroup v1 root (no cpuset and cpu,cpuacct hierarchies)`,
    root,
  );
}

const POD_CGROUPFS = /^pod([0-9a-zA-Z-]+)$/;
const POD_SYSTEMD = /^kubepods(?:-(?:burstable|besteffort))?-pod([0-9a-zA-Z_]+)\.slice$/;
const QOS_CGROUPFS = /^(?:burstable|besteffort)$/;
const QOS_SYSTEMD = /^kubepods-(?:burstable|besteffort)\.slice$/;
const CONTAINER_CGROUPFS = /^(?:(?:crio|docker)-)?([0-9a-f]{64})$/;
const CONTAINER_SYSTEMD = /^(?:cri-containerd|crio|docker)-([0-9a-f]{64})\.scope$/;

async function subdirs(fs: HostFs, dir: string): Promise<string[]> {
  try {
    return (await fs.readDir(dir))
      .filter((e) => e.kind === 'directory')
      .map((e) => e.name)
      .sort();
  } catch (e) {
    // a pod or container that ended while we walked
    if (errorCode(e) === 'ENOENT') return [];
    throw e;
  }
}

/**
 * The pod and container cgroups under one hierarchy root, pods in path order, each pod's cgroup
 * before its containers. Rejects when a kubepods directory cannot be listed; null when the root
 * has no kubepods tree at all.
 */
export async function findPodCgroups(fs: HostFs, hierarchy: string): Promise<CgroupLocation[] | null> {
  const top = await subdirs(fs, hierarchy);
  const trees: { dir: string; systemd: boolean }[] = [];
  if (top.includes('kubepods.slice')) trees.push({ dir: '/kubepods.slice', systemd: true });
  if (top.includes('kubepods')) trees.push({ dir: '/kubepods', systemd: false });
  if (trees.length === 0) return null;

  const pods: { path: string; uid: string; systemd: boolean }[] = [];
  for (const { dir, systemd } of trees) {
    const podRe = systemd ? POD_SYSTEMD : POD_CGROUPFS;
    const qosRe = systemd ? QOS_SYSTEMD : QOS_CGROUPFS;
    const addPods = (parent: string, names: readonly string[]) => {
      for (const name of names) {
        const m = podRe.exec(name);
        if (m !== null)
          pods.push({ path: `${parent}/${name}`, uid: (m[1] as string).replace(/_/g, '-'), systemd });
      }
    };
    const level1 = await fs.readDir(`${hierarchy}${dir}`);
    const names = level1.filter((e) => e.kind === 'directory').map((e) => e.name);
    addPods(dir, names);
    for (const qos of names.filter((n) => qosRe.test(n))) {
      addPods(`${dir}/${qos}`, await subdirs(fs, `${hierarchy}${dir}/${qos}`));
    }
  }
  pods.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const out: CgroupLocation[] = [];
  const containers = await Promise.all(pods.map((p) => subdirs(fs, `${hierarchy}${p.path}`)));
  pods.forEach((p, i) => {
    out.push({ podUid: p.uid, containerId: '', path: p.path });
    const re = p.systemd ? CONTAINER_SYSTEMD : CONTAINER_CGROUPFS;
    for (const name of containers[i] ?? []) {
      const m = re.exec(name);
      if (m !== null) out.push({ podUid: p.uid, containerId: m[1] as string, path: `${p.path}/${name}` });
    }
  });
  return out;
}
