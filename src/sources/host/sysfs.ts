// The machine topology from `<host-root>/sys/devices/system/{cpu,node}`: reads the files cAdvisor
// reads into a path → text map, parses it with parseSysfsTopology (src/parse/sysfs-topology.ts,
// the cAdvisor rules) and writes it in the NodeObservation's explicit form (observed-topology.ts).
// Only the files the parser uses are read (a 256-CPU machine has tens of thousands under cpu/),
// and symlinks are never followed (node/node0/cpu3 → cpu/cpu3 → node0 … loops): their names are
// what counts, as the parser's map keys.

import { toObservedTopology } from '../../parse/observed-topology.js';
import { parseSysfsTopology } from '../../parse/sysfs-topology.js';
import type { ObservedTopology } from '../../schema/observation.js';
import { errorCode, hostPath, readOptional, type DirEntry, type HostFs } from './host-fs.js';

/** The name parse errors are prefixed with; the map keys carry the full paths. */
const SOURCE = 'sysfs';

const CPU_TOPOLOGY_FILES = ['topology/core_id', 'topology/physical_package_id', 'online'];
const CACHE_FILES = ['level', 'id', 'shared_cpu_map', 'shared_cpu_list'];
const NODE_FILES = ['cpulist', 'meminfo', 'distance'];

/** A directory listing, or [] when the directory does not exist. */
async function listOptional(fs: HostFs, path: string): Promise<DirEntry[]> {
  try {
    return await fs.readDir(path);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return [];
    throw e;
  }
}

/**
 * Reads the sysfs files parseSysfsTopology needs, keyed by their full path. Rejects with the file
 * system error of the first file that exists but cannot be read, or when `…/cpu` is missing.
 */
export async function readSysfsFiles(fs: HostFs, hostRoot: string): Promise<Map<string, string>> {
  const system = hostPath(hostRoot, 'sys/devices/system');
  const files = new Map<string, string>();
  const readInto = async (path: string): Promise<void> => {
    const text = await readOptional(fs, path);
    if (text !== null) files.set(path, text);
  };
  const cpuDir = `${system}/cpu`;
  const nodeDir = `${system}/node`;
  const cpuEntries = await fs.readDir(cpuDir);
  // every read is started before any is awaited, so that a failure rejects Promise.all only
  const jobs: Promise<void>[] = [readInto(`${cpuDir}/online`), readInto(`${cpuDir}/offline`)];
  for (const cpu of cpuEntries.filter((e) => /^cpu\d+$/.test(e.name) && e.kind === 'directory')) {
    const dir = `${cpuDir}/${cpu.name}`;
    for (const f of CPU_TOPOLOGY_FILES) jobs.push(readInto(`${dir}/${f}`));
    jobs.push(
      (async () => {
        for (const e of await listOptional(fs, dir))
          if (/^node\d+$/.test(e.name)) files.set(`${dir}/${e.name}`, '');
      })(),
      (async () => {
        const indexes = (await listOptional(fs, `${dir}/cache`)).filter((e) => /^index\d+$/.test(e.name));
        await Promise.all(
          indexes.flatMap((index) => CACHE_FILES.map((f) => readInto(`${dir}/cache/${index.name}/${f}`))),
        );
      })(),
    );
  }
  jobs.push(
    (async () => {
      const nodes = (await listOptional(fs, nodeDir)).filter((e) => /^node\d+$/.test(e.name));
      await Promise.all(
        nodes.map(async (node) => {
          const dir = `${nodeDir}/${node.name}`;
          const [entries, sizes] = await Promise.all([
            listOptional(fs, dir),
            listOptional(fs, `${dir}/hugepages`),
            ...NODE_FILES.map((f) => readInto(`${dir}/${f}`)),
          ]);
          for (const e of entries) if (/^cpu\d+$/.test(e.name)) files.set(`${dir}/${e.name}`, '');
          await Promise.all(
            sizes
              .filter((e) => /^hugepages-\d+kB$/.test(e.name))
              .map((e) => readInto(`${dir}/hugepages/${e.name}/nr_hugepages`)),
          );
        }),
      );
    })(),
  );
  await Promise.all(jobs);
  return files;
}

/** Reads and parses the topology. Rejects with a file system error or an InputError (sysfs <path>: …). */
export async function readObservedTopology(fs: HostFs, hostRoot: string): Promise<ObservedTopology> {
  return toObservedTopology(parseSysfsTopology(await readSysfsFiles(fs, hostRoot), SOURCE));
}
