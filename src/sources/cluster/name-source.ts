// Live names for shell completion (the NameSource of src/cli/complete.ts): node, pod and
// namespace names listed from the API server of the kubeconfig and context that the command line
// being completed names (--kubeconfig, --context, -n/-A; else the kubeconfig's current context
// and its namespace), and context names straight from the kubeconfig. Every failure rejects:
// complete() then offers no names and prints nothing about it.
//
// Imported lazily, only when a completion asks for names (the kubeconfig loader brings in
// @kubernetes/client-node). The npm launcher loads it as dist/bundle/live-names.mjs (scripts/build.js).

import type { NameQuery, NameSource } from '../../cli/complete.js';
import type { KubeObject } from './cluster-source.js';
import { kubeconfigContexts, loadKubeconfig } from './kubeconfig.js';
import { LiveClusterSource } from './live-cluster-source.js';

export interface ClusterNameDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** reads a UTF-8 file; rejects with the Node error */
  readonly readFile: (path: string) => Promise<string>;
  /** the longest any one API request may take (the completion's budget) */
  readonly timeoutMs: number;
}

function nameOf(o: KubeObject): string {
  const meta = o.metadata as { name?: unknown } | undefined;
  return typeof meta?.name === 'string' ? meta.name : '';
}

const sortedUnique = (names: readonly string[]): string[] =>
  [...new Set(names.filter((n) => n !== ''))].sort();

/**
 * The names of `query.kind`. `signal` aborting (the budget is spent) closes the connections, so
 * a pending request fails at once and the process can end.
 */
export async function clusterNames(
  deps: ClusterNameDeps,
  query: NameQuery,
  signal: AbortSignal,
): Promise<string[]> {
  signal.throwIfAborted();
  const input = {
    kubeconfig: query.kubeconfig ?? null,
    context: query.context ?? null,
    env: deps.env,
    readFile: deps.readFile,
    // Windows always sets OS=Windows_NT: KUBECONFIG is then a ";" list (as open-cluster.ts)
    platform: deps.env.OS === 'Windows_NT' ? ('win32' as const) : ('linux' as const),
  };
  // the contexts are listed whatever --context says, and without a current context
  if (query.kind === 'context') return sortedUnique(await kubeconfigContexts(input));
  const config = await loadKubeconfig(input);
  signal.throwIfAborted();
  const source = new LiveClusterSource(config, { timeoutMs: deps.timeoutMs, maxSockets: 1 });
  const stop = () => {
    source.close();
  };
  signal.addEventListener('abort', stop, { once: true });
  try {
    switch (query.kind) {
      case 'node':
        return sortedUnique((await source.listNodes()).map(nameOf));
      case 'namespace':
        return sortedUnique((await source.listNamespaces()).map(nameOf));
      case 'pod': {
        const namespace = query.allNamespaces === true ? null : (query.namespace ?? config.namespace);
        return sortedUnique(await source.listPods({ namespace }, nameOf));
      }
    }
  } finally {
    signal.removeEventListener('abort', stop);
    source.close();
  }
}

export function clusterNameSource(deps: ClusterNameDeps): NameSource {
  return { names: (query, signal) => clusterNames(deps, query, signal) };
}
