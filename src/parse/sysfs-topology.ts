// Reader for a sysfs capture (devices/system/{cpu,node}) that rebuilds what cAdvisor's
// GetNodesInfo (utils/sysinfo/sysinfo.go) hands the kubelet: online CPUs grouped into cores per node.

import type { CpuSet } from '../model/cpuset.js';
import type { NumaMemory } from '../model/topology.js';
import { parseCpuListWithStrides } from '../model/cpuset.js';
import { parseCpuMask } from './cpu-list.js';
import {
  distanceMatrix,
  hugepageResourceName,
  machineInputError,
  recordsFromNodes,
  type MachineDescription,
  type NodeCore,
  type NodeCores,
  type OuterCache,
} from './machine-description.js';

const SYSTEM = 'devices/system/';
const CPU_DIR = 'devices/system/cpu/';

interface Entry {
  /** The key as given by the caller, named in errors. */
  readonly key: string;
  readonly text: string;
}

type Entries = ReadonlyMap<string, Entry>;

/**
 * Parses a sysfs capture. `files` maps paths to file contents; a path may carry any prefix before
 * `devices/system/` (a whole tree: `sys/devices/system/cpu/cpu3/topology/core_id`, a ghw snapshot,
 * `/sys/…`), or be relative to the cpu directory itself (`…/cpu3/topology/core_id`, `…/online`,
 * as in cAdvisor's test data). Symlinks (`node/node0/cpu3`, `cpu/cpu3/node0`) only need to be
 * present as keys; their values are ignored.
 *
 * As cAdvisor: a CPU counts when it is online (`cpu/online`; a capture without it falls back to
 * `cpu/cpuN/online` and `cpu/offline`, else every CPU is online) and has `topology/core_id` and
 * `topology/physical_package_id`; cores are grouped per node by (package, core_id); a node's CPUs
 * are its `cpuN` links (or `cpulist`, `cpumap`, the CPUs' `nodeN` links). Without any node
 * directory, cAdvisor's fallback applies: one node per physical package, with the package id.
 * Uncore caches follow recordsFromNodes. Throws InputError naming `source` and the path.
 */
export function parseSysfsTopology(files: ReadonlyMap<string, string>, source: string): MachineDescription {
  const entries = normalise(files, source);
  const fail: (e: Entry | string, why: string, cause?: unknown) => never = (e, why, cause) => {
    throw machineInputError(source, typeof e === 'string' ? e : e.key, why, cause);
  };
  const intOf = (e: Entry, min: number): number => {
    const t = e.text.trim();
    if (!/^-?\d+$/.test(t) || !Number.isSafeInteger(Number(t)) || Number(t) < min) {
      fail(e, `expected ${min === 0 ? 'a non-negative integer' : 'an integer'}, got "${clip(t)}"`);
    }
    return Number(t);
  };
  const listOf = (e: Entry, parse: (text: string) => CpuSet = parseCpuListWithStrides): CpuSet => {
    try {
      return parse(e.text);
    } catch (err) {
      if (err instanceof RangeError) fail(e, err.message, err);
      throw err;
    }
  };

  // Inventory: CPU ids, node ids, and which node each CPU belongs to.
  const cpuIds = new Set<number>();
  const nodeDirs = new Set<number>();
  const nodeOfCpu = new Map<number, { node: number; where: Entry }>();
  const caches = new Map<number, Map<string, Map<string, Entry>>>();
  const hugepages = new Map<number, Map<number, Entry>>();
  const assign = (cpu: number, node: number, where: Entry) => {
    const before = nodeOfCpu.get(cpu);
    if (before === undefined) nodeOfCpu.set(cpu, { node, where });
    else if (before.node !== node)
      fail(where, `cpu ${cpu} is also in node ${before.node} (${before.where.key})`);
  };
  for (const [rel, e] of entries) {
    let m = /^devices\/system\/cpu\/cpu(\d+)\/(.+)$/.exec(rel);
    if (m !== null) {
      const cpu = Number(m[1]);
      const sub = m[2] as string;
      cpuIds.add(cpu);
      const link = /^node(\d+)$/.exec(sub);
      if (link !== null) assign(cpu, Number(link[1]), e);
      const cache = /^cache\/(index\d+)\/([a-z_]+)$/.exec(sub);
      if (cache !== null) {
        const byIndex = caches.get(cpu) ?? new Map<string, Map<string, Entry>>();
        caches.set(cpu, byIndex);
        const byFile = byIndex.get(cache[1] as string) ?? new Map<string, Entry>();
        byIndex.set(cache[1] as string, byFile);
        byFile.set(cache[2] as string, e);
      }
      continue;
    }
    m = /^devices\/system\/node\/node(\d+)\/(.+)$/.exec(rel);
    if (m !== null) {
      const node = Number(m[1]);
      const sub = m[2] as string;
      nodeDirs.add(node);
      const link = /^cpu(\d+)$/.exec(sub);
      if (link !== null) assign(Number(link[1]), node, e);
      else if (sub === 'cpulist') for (const cpu of listOf(e)) assign(cpu, node, e);
      else if (sub === 'cpumap') for (const cpu of listOf(e, parseCpuMask)) assign(cpu, node, e);
      const hp = /^hugepages\/hugepages-(\d+)kB\/nr_hugepages$/.exec(sub);
      if (hp !== null) {
        const sizes = hugepages.get(node) ?? new Map<number, Entry>();
        hugepages.set(node, sizes);
        sizes.set(Number(hp[1]), e);
      }
    }
  }
  if (cpuIds.size === 0) fail('', `no ${CPU_DIR}cpuN entries found`);

  // Online CPUs (sysfs.IsCPUOnline).
  const onlineFile = entries.get(`${CPU_DIR}online`);
  const offlineFile = entries.get(`${CPU_DIR}offline`);
  const online = onlineFile === undefined ? null : listOf(onlineFile);
  const offline = offlineFile === undefined ? null : listOf(offlineFile);
  const isOnline = (cpu: number): boolean => {
    if (online !== null) return online.has(cpu);
    const own = entries.get(`${CPU_DIR}cpu${cpu}/online`);
    if (own !== undefined) {
      const v = own.text.trim();
      if (v !== '0' && v !== '1') fail(own, `expected 0 or 1, got "${clip(v)}"`);
      return v === '1';
    }
    return offline === null || !offline.has(cpu);
  };

  // Cores per node (getCoresInfo): online CPUs with core_id and physical_package_id.
  const useNodes = nodeDirs.size > 0 || nodeOfCpu.size > 0;
  const coresByNode = new Map<number, Map<string, { socket: number; threads: number[] }>>();
  for (const node of nodeDirs) coresByNode.set(node, new Map());
  for (const cpu of [...cpuIds].sort((a, b) => a - b)) {
    if (!isOnline(cpu)) continue;
    const coreFile = entries.get(`${CPU_DIR}cpu${cpu}/topology/core_id`);
    const packageFile = entries.get(`${CPU_DIR}cpu${cpu}/topology/physical_package_id`);
    if (coreFile === undefined || packageFile === undefined) continue;
    const coreId = intOf(coreFile, -Infinity);
    const socket = intOf(packageFile, -Infinity);
    const node = useNodes ? nodeOfCpu.get(cpu)?.node : socket;
    if (node === undefined) continue;
    if (node < 0) fail(packageFile, `cannot use package ${socket} as numa node id`);
    const cores = coresByNode.get(node) ?? new Map<string, { socket: number; threads: number[] }>();
    coresByNode.set(node, cores);
    const key = `${socket}/${coreId}`;
    const core = cores.get(key);
    if (core === undefined) cores.set(key, { socket, threads: [cpu] });
    else core.threads.push(cpu);
  }

  const nodes: NodeCores[] = [...coresByNode.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, cores]) => ({
      id,
      cores: [...cores.values()].map((c): NodeCore => ({
        socket: c.socket,
        threads: c.threads,
        outerCaches: outerCachesOf(firstInGlobOrder(c.threads)),
      })),
    }));

  function outerCachesOf(cpu: number): OuterCache[] {
    const byIndex = caches.get(cpu);
    if (byIndex === undefined) return [];
    const out: OuterCache[] = [];
    for (const name of [...byIndex.keys()].sort()) {
      const f = byIndex.get(name) as Map<string, Entry>;
      const level = f.get('level');
      const id = f.get('id');
      if (level === undefined || id === undefined || intOf(level, 0) <= 2) continue;
      const map = f.get('shared_cpu_map');
      const list = f.get('shared_cpu_list');
      let shared: CpuSet | null = null;
      if (map !== undefined) shared = listOf(map, parseCpuMask);
      else if (list !== undefined) shared = listOf(list);
      if (shared !== null) out.push({ id: intOf(id, 0), cpus: shared.size });
    }
    return out;
  }

  const records = recordsFromNodes(nodes);
  if (records.length === 0) {
    fail('', 'no online cpu with topology/core_id and topology/physical_package_id');
  }

  // Memory, hugepages and distances: node directories only (cAdvisor's fallback has none).
  const nodeIds = [...nodeDirs].sort((a, b) => a - b);
  const nodePath = (node: number, sub: string) => `${SYSTEM}node/node${node}/${sub}`;
  const memory: NumaMemory[] = [];
  let anyMemory = false;
  for (const node of nodeIds) {
    const meminfo = entries.get(nodePath(node, 'meminfo'));
    let bytes = 0n;
    if (meminfo !== undefined) {
      anyMemory = true;
      const m = /MemTotal:\s*(\d+) kB/.exec(meminfo.text);
      if (m === null) fail(meminfo, 'no "MemTotal: <n> kB" line');
      bytes = BigInt(m[1] as string) * 1024n;
    }
    const pages: Record<string, bigint> = {};
    for (const [sizeKiB, e] of [...(hugepages.get(node) ?? new Map<number, Entry>())].sort(
      ([a], [b]) => a - b,
    )) {
      anyMemory = true;
      pages[hugepageResourceName(sizeKiB)] = BigInt(sizeKiB) * 1024n * BigInt(intOf(e, 0));
    }
    memory.push({ numa: node, memory: bytes, hugepages: pages });
  }

  let distances: number[][] | null = null;
  const rows = new Map<number, number[]>();
  for (const node of nodeIds) {
    const e = entries.get(nodePath(node, 'distance'));
    if (e === undefined) break;
    const fields = e.text.trim().split(/\s+/);
    rows.set(
      node,
      fields.map((f) => intOf({ key: e.key, text: f }, 0)),
    );
  }
  if (nodeIds.length > 0 && rows.size === nodeIds.length) {
    const m = distanceMatrix(rows);
    if (!Array.isArray(m)) {
      fail((entries.get(nodePath(m.node, 'distance')) as Entry).key, m.why);
    }
    distances = m;
  }

  return { records, memory: anyMemory ? memory : [], distances, source };
}

/** cAdvisor takes a core's Threads[0]: the first CPU in glob (lexical) order of the cpuN entries. */
function firstInGlobOrder(threads: readonly number[]): number {
  return [...threads].sort((a, b) => (String(a) < String(b) ? -1 : 1))[0] as number;
}

/** Maps every key below `devices/system/` (or below a bare cpu directory) to its sysfs-relative path. */
function normalise(files: ReadonlyMap<string, string>, source: string): Entries {
  const out = new Map<string, Entry>();
  const prefixes = new Set<string>();
  for (const [key, text] of files) {
    const k = key.replace(/^(\.\/)+/, '');
    let at = -1;
    for (let i = k.indexOf(SYSTEM); i >= 0; i = k.indexOf(SYSTEM, i + 1)) {
      if (i === 0 || k[i - 1] === '/') {
        at = i;
        break;
      }
    }
    if (at < 0) continue;
    prefixes.add(k.slice(0, at));
    out.set(k.slice(at), { key, text });
  }
  if (prefixes.size > 1) {
    const list = [...prefixes].map((p) => `"${p}"`).join(', ');
    throw machineInputError(source, '', `files from more than one sysfs tree (prefixes ${list})`);
  }
  if (out.size > 0) return out;

  // cAdvisor's test data: the cpu directory is the root (cpu0/topology/core_id, online).
  let root: string | null = null;
  for (const key of files.keys()) {
    const m = /^(.*?)(?:^|\/)cpu\d+\/topology\//.exec(key.replace(/^(\.\/)+/, ''));
    if (m !== null) {
      const p = m[1] === '' ? '' : `${m[1] as string}/`;
      if (root === null || p.length < root.length) root = p;
    }
  }
  if (root === null) return out;
  for (const [key, text] of files) {
    const k = key.replace(/^(\.\/)+/, '');
    if (k.startsWith(root)) out.set(CPU_DIR + k.slice(root.length), { key, text });
  }
  return out;
}

function clip(s: string): string {
  const line = s.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}
