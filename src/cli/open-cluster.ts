// Connects a command to the cluster: the kubeconfig loaded as kubectl loads it (files and the
// environment from the Io) and a live ClusterSource with the request timeout and a connection
// pool sized for the node concurrency. With --debug, one stderr line per request.

import { loadKubeconfig } from '../sources/cluster/kubeconfig.js';
import { LiveClusterSource } from '../sources/cluster/live-cluster-source.js';
import type { Io } from './io.js';

export interface ClusterFlags {
  readonly kubeconfig: string | null;
  readonly context: string | null;
  /** milliseconds, 0 = none */
  readonly requestTimeoutMs: number;
  /** nodes read in parallel (the pool holds a few connections per node) */
  readonly concurrency: number;
  readonly debug: boolean;
}

export async function openCluster(io: Io, flags: ClusterFlags): Promise<LiveClusterSource> {
  const config = await loadKubeconfig({
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    env: io.env,
    readFile: (path) => io.readFile(path),
    // Windows always sets OS=Windows_NT: KUBECONFIG is then a ";" list
    platform: io.env.OS === 'Windows_NT' ? 'win32' : 'linux',
  });
  return new LiveClusterSource(config, {
    timeoutMs: flags.requestTimeoutMs,
    // configz, metrics, cadvisor and the pod list of each node at once, plus a cluster-wide list
    maxSockets: flags.concurrency * 4 + 1,
    log: flags.debug ? (line) => io.stderr.write(`debug: ${line}\n`) : undefined,
  });
}
