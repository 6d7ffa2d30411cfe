// The cgroups source of `collect` (cli.md §5.7, §8.6): for every pod cgroup under kubepods and each
// container cgroup below it, the effective cpuset and memory nodes, the CFS quota (`cpu.max` form)
// and the throttling counters, read with the parsers of src/parse/cgroup.ts.
//   v2: cpuset.cpus.effective, cpuset.mems.effective, cpu.max, cpu.stat
//   v1: cpuset/…/cpuset.effective_cpus, cpuset.effective_mems;
//       cpu,cpuacct/…/cpu.cfs_quota_us + cpu.cfs_period_us (→ "max 100000" form), cpu.stat
//       (throttled_time ns → µs)
// A file that cannot be read or parsed leaves its field null and adds an error entry naming the
// file; the walk goes on. A cgroup whose files are all gone (it ended during the walk) is left out.

import { formatCpuList } from '../../model/cpuset.js';
import {
  cpuMaxFromCfs,
  parseCgroupCpuset,
  parseCpuMax,
  parseCpuStatV1,
  parseCpuStatV2,
} from '../../parse/cgroup.js';
import { InputError } from '../../errors.js';
import type { ObservationError, ObservedCgroup } from '../../schema/observation.js';
import {
  CgroupRootError,
  detectCgroupHierarchies,
  findPodCgroups,
  type CgroupHierarchies,
  type CgroupLocation,
} from './cgroup-tree.js';
import { describeFsError, errorCode, type HostFs } from './host-fs.js';

export interface CgroupsResult {
  readonly version: 1 | 2 | null;
  readonly cgroups: readonly ObservedCgroup[];
  readonly errors: readonly ObservationError[];
  /** a kubepods tree was found and listed */
  readonly readable: boolean;
}

/** A file read: its text, 'gone' (ENOENT), or a failure already written to `errors`. */
type Read = { readonly text: string } | 'gone' | 'failed';

class CgroupReader {
  readonly errors: ObservationError[] = [];

  constructor(private readonly fs: HostFs) {}

  error(path: string, message: string): void {
    this.errors.push({ source: 'cgroup', path, message });
  }

  async read(path: string): Promise<Read> {
    try {
      return { text: await this.fs.readFile(path) };
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return 'gone';
      this.error(path, `cannot read ${path}: ${describeFsError(e)}`);
      return 'failed';
    }
  }

  /** The value of one or more files, or null (with an error entry when one is missing or bad). */
  value<T>(reads: readonly Read[], paths: readonly string[], parse: (...texts: string[]) => T): T | null {
    const texts: string[] = [];
    for (const [i, r] of reads.entries()) {
      if (r === 'failed') return null;
      if (r === 'gone') {
        const path = paths[i] as string;
        this.error(path, `cannot read ${path}: no such file or directory`);
        return null;
      }
      texts.push(r.text);
    }
    try {
      return parse(...texts);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.error(paths[0] as string, `cannot parse ${e.oneLine()}`);
      return null;
    }
  }
}

async function readV2(r: CgroupReader, root: string, at: CgroupLocation): Promise<ObservedCgroup | null> {
  const dir = `${root}${at.path}`;
  const paths = ['cpuset.cpus.effective', 'cpuset.mems.effective', 'cpu.max', 'cpu.stat'].map(
    (f) => `${dir}/${f}`,
  );
  const [cpus, mems, max, stat] = paths as [string, string, string, string];
  const reads = await Promise.all(paths.map((p) => r.read(p)));
  if (reads.every((x) => x === 'gone')) return null;
  const [cpusRead, memsRead, maxRead, statRead] = reads as [Read, Read, Read, Read];
  return {
    ...at,
    cpusetCpus: r.value([cpusRead], [cpus], (t) => formatCpuList(parseCgroupCpuset(t, cpus))),
    cpusetMems: r.value([memsRead], [mems], (t) => formatCpuList(parseCgroupCpuset(t, mems))),
    cpuMax: r.value([maxRead], [max], (t) => parseCpuMax(t, max)),
    cpuStat: r.value([statRead], [stat], (t) => parseCpuStatV2(t, stat)),
  };
}

async function readV1(
  r: CgroupReader,
  h: Extract<CgroupHierarchies, { version: 1 }>,
  at: CgroupLocation,
): Promise<ObservedCgroup | null> {
  const cpusetDir = `${h.cpuset}${at.path}`;
  const cpuDir = `${h.cpu}${at.path}`;
  const cpus = `${cpusetDir}/cpuset.effective_cpus`;
  const mems = `${cpusetDir}/cpuset.effective_mems`;
  const quota = `${cpuDir}/cpu.cfs_quota_us`;
  const period = `${cpuDir}/cpu.cfs_period_us`;
  const stat = `${cpuDir}/cpu.stat`;
  const reads = await Promise.all([cpus, mems, quota, period, stat].map((p) => r.read(p)));
  if (reads.every((x) => x === 'gone')) return null;
  const [cpusRead, memsRead, quotaRead, periodRead, statRead] = reads as [Read, Read, Read, Read, Read];
  return {
    ...at,
    cpusetCpus: r.value([cpusRead], [cpus], (t) => formatCpuList(parseCgroupCpuset(t, cpus))),
    cpusetMems: r.value([memsRead], [mems], (t) => formatCpuList(parseCgroupCpuset(t, mems))),
    cpuMax: r.value([quotaRead, periodRead], [quota, period], (q, p) => cpuMaxFromCfs(q, quota, p, period)),
    cpuStat: r.value([statRead], [stat], (t) => parseCpuStatV1(t, stat)),
  };
}

/** Pod and container cgroups in path order, from every hierarchy root given (v1: cpuset and cpu). */
async function locations(
  r: CgroupReader,
  fs: HostFs,
  roots: readonly string[],
): Promise<CgroupLocation[] | null> {
  const byPath = new Map<string, CgroupLocation>();
  let found = false;
  for (const root of roots) {
    try {
      const list = await findPodCgroups(fs, root);
      if (list === null) continue;
      found = true;
      for (const at of list) if (!byPath.has(at.path)) byPath.set(at.path, at);
    } catch (e) {
      const path = (e as { path?: unknown }).path;
      const where = typeof path === 'string' ? path : root;
      r.error(where, `cannot read ${where}: ${describeFsError(e)}`);
      return null;
    }
  }
  if (!found) {
    r.error(roots[0] ?? '', `no kubepods cgroup under ${roots.map((x) => `"${x}"`).join(' or ')}`);
    return null;
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads the kubepods cgroups under `cgroupRoot` (v2 or v1). Never rejects for file system errors. */
export async function readCgroups(fs: HostFs, cgroupRoot: string): Promise<CgroupsResult> {
  const r = new CgroupReader(fs);
  let h: CgroupHierarchies;
  try {
    h = await detectCgroupHierarchies(fs, cgroupRoot);
  } catch (e) {
    if (e instanceof CgroupRootError) r.error(e.path, e.message);
    else r.error(cgroupRoot, `cannot read ${cgroupRoot}: ${describeFsError(e)}`);
    return { version: null, cgroups: [], errors: r.errors, readable: false };
  }
  const found = await locations(r, fs, h.version === 2 ? [h.root] : [h.cpuset, h.cpu]);
  if (found === null) return { version: h.version, cgroups: [], errors: r.errors, readable: false };
  const read = await Promise.all(
    found.map((at) => (h.version === 2 ? readV2(r, h.root, at) : readV1(r, h, at))),
  );
  return {
    version: h.version,
    cgroups: read.filter((c): c is ObservedCgroup => c !== null),
    // reads finish in any order; errors are listed by path
    errors: [...r.errors].sort((a, b) =>
      (a.path ?? '') < (b.path ?? '') ? -1 : (a.path ?? '') > (b.path ?? '') ? 1 : 0,
    ),
    readable: true,
  };
}
