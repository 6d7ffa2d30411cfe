// Assembles one NodeObservation (cli.md §5.7, §8.6) from the node's four sources, read at the same
// time: PodResources over gRPC (List and GetAllocatableResources), the two checkpoint files, sysfs
// and the kubepods cgroups. A failing source adds entries to `errors` and the others go on; the
// caller learns whether any source could be read at all.

import { isPodresError } from '../../errors.js';
import { allocatableResponseToGoJson, listResponseToGoJson } from '../../parse/podresources-proto.js';
import { DOCUMENT_API_VERSION } from '../../schema/common.js';
import type { NodeObservation, ObservationError, ObservedTopology } from '../../schema/observation.js';
import { openPodResourcesClient } from '../podresources/client.js';
import { readCgroups } from './cgroups.js';
import { readCheckpointFiles } from './checkpoints.js';
import { describeFsError, hostPath, type HostFs } from './host-fs.js';
import { readObservedTopology } from './sysfs.js';

export interface CollectOptions {
  readonly node: string;
  readonly hostRoot: string;
  readonly kubeletRootDir: string;
  /** socket path (or `unix:` target) of the PodResources API */
  readonly socket: string;
  readonly cgroupRoot: string;
  readonly kubeletVersion: string | null;
  /** per gRPC call; null = no deadline */
  readonly timeoutMs: number | null;
  readonly collectorVersion: string;
  /** RFC 3339 */
  readonly collectedAt: string;
}

export interface CollectedObservation {
  readonly observation: NodeObservation;
  /** at least one source gave something */
  readonly readable: boolean;
}

interface PodResourcesPart {
  readonly list: object | null;
  readonly allocatable: object | null;
  readonly errors: readonly ObservationError[];
}

async function readPodResources(socket: string, timeoutMs: number | null): Promise<PodResourcesPart> {
  const client = openPodResourcesClient(socket, { timeoutMs });
  try {
    const [list, allocatable] = await Promise.allSettled([client.list(), client.getAllocatableResources()]);
    const errors: ObservationError[] = [];
    const failed = (r: PromiseRejectedResult): null => {
      const reason: unknown = r.reason;
      if (!isPodresError(reason)) throw reason;
      errors.push({ source: 'podresources', path: socket, message: reason.oneLine() });
      return null;
    };
    return {
      list: list.status === 'fulfilled' ? listResponseToGoJson(list.value) : failed(list),
      allocatable:
        allocatable.status === 'fulfilled'
          ? allocatableResponseToGoJson(allocatable.value)
          : failed(allocatable),
      errors,
    };
  } finally {
    client.close();
  }
}

interface TopologyPart {
  readonly topology: ObservedTopology | null;
  readonly errors: readonly ObservationError[];
}

async function readTopology(fs: HostFs, hostRoot: string): Promise<TopologyPart> {
  try {
    return { topology: await readObservedTopology(fs, hostRoot), errors: [] };
  } catch (e) {
    const dir = hostPath(hostRoot, 'sys/devices/system');
    if (isPodresError(e))
      return { topology: null, errors: [{ source: 'topology', path: dir, message: e.oneLine() }] };
    const path = (e as { path?: unknown }).path;
    const where = typeof path === 'string' ? path : dir;
    return {
      topology: null,
      errors: [{ source: 'topology', path: where, message: `cannot read ${where}: ${describeFsError(e)}` }],
    };
  }
}

export async function collectNodeObservation(o: CollectOptions, fs: HostFs): Promise<CollectedObservation> {
  const [podResources, checkpoints, topology, cgroups] = await Promise.all([
    readPodResources(o.socket, o.timeoutMs),
    readCheckpointFiles(fs, o.hostRoot, o.kubeletRootDir),
    readTopology(fs, o.hostRoot),
    readCgroups(fs, o.cgroupRoot),
  ]);
  const observation: NodeObservation = {
    apiVersion: DOCUMENT_API_VERSION,
    kind: 'NodeObservation',
    node: o.node,
    collectedAt: o.collectedAt,
    collectorVersion: o.collectorVersion,
    kubeletVersion: o.kubeletVersion,
    hostRoot: o.hostRoot,
    kubeletRootDir: o.kubeletRootDir,
    cgroupVersion: cgroups.version,
    topology: topology.topology,
    podResources: { socket: o.socket, list: podResources.list, allocatable: podResources.allocatable },
    checkpoints: { cpuManager: checkpoints.cpuManager, memoryManager: checkpoints.memoryManager },
    cgroups: cgroups.cgroups,
    errors: [...podResources.errors, ...checkpoints.errors, ...topology.errors, ...cgroups.errors],
  };
  const readable =
    podResources.list !== null ||
    podResources.allocatable !== null ||
    checkpoints.cpuManager !== null ||
    checkpoints.memoryManager !== null ||
    topology.topology !== null ||
    cgroups.readable;
  return { observation, readable };
}
