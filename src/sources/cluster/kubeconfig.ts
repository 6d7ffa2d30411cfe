// Loads the kubeconfig the way kubectl does (client-go clientcmd loading rules), into a
// client-node KubeConfig whose current context is the one to use:
//
// 1. `--kubeconfig PATH`: that file only; it must exist.
// 2. else `$KUBECONFIG`: a path list (":" on Unix, ";" on Windows); missing files are skipped; the
//    files are merged with the first file winning: the first current-context set, and for each
//    cluster, user and context name the first definition. (client-node's own loadFromDefault
//    throws on duplicate names and lets later files change the current context.)
// 3. else `~/.kube/config` ($HOME; on Windows also %USERPROFILE%), when it exists.
// 4. with nothing loaded: the in-cluster configuration when KUBERNETES_SERVICE_HOST and
//    KUBERNETES_SERVICE_PORT are set and the service-account token is readable.
//
// `--context` picks another context (unknown: exit 2); the namespace is the context's, else
// "default". Relative file references resolve against the kubeconfig file's directory. Files
// and the environment come in through parameters, so tests inject both.

import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { SourceError, UsageError } from '../../errors.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeconfigInput {
  /** --kubeconfig, or null */
  readonly kubeconfig: string | null;
  /** --context, or null */
  readonly context: string | null;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** reads a UTF-8 file; rejects with the Node error (code ENOENT, …) */
  readonly readFile: (path: string) => Promise<string>;
  /** "linux", "win32", …: the path-list separator and the home directory follow it */
  readonly platform?: string;
  /** where the in-cluster token, ca.crt and namespace are (tests point elsewhere) */
  readonly serviceAccountDir?: string;
}

export interface LoadedKubeconfig {
  /** client-node configuration with the chosen context as its current context */
  readonly kc: KubeConfig;
  readonly context: string;
  /** the API server URL, without a trailing slash */
  readonly server: string;
  /** the context's namespace, else "default" */
  readonly namespace: string;
  /** the files that were read, in order (empty for in-cluster) */
  readonly files: readonly string[];
  readonly inCluster: boolean;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

function reason(e: unknown): string {
  const code = (e as { code?: string } | null)?.code ?? '';
  return REASONS[code] ?? (e instanceof Error ? e.message : String(e));
}

function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? path.slice(0, 1) : path.slice(0, i);
}

interface Parsed {
  readonly file: string;
  readonly kc: KubeConfig;
}

async function readKubeconfig(
  file: string,
  input: KubeconfigInput,
  mustExist: boolean,
): Promise<Parsed | null> {
  let text: string;
  try {
    text = await input.readFile(file);
  } catch (e) {
    const code = (e as { code?: string } | null)?.code;
    if (!mustExist && code === 'ENOENT') return null;
    throw new SourceError(`cannot load kubeconfig "${file}": ${reason(e)}`, { cause: e });
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0] ?? '';
    throw new SourceError(`cannot load kubeconfig "${file}": ${why.charAt(0).toLowerCase()}${why.slice(1)}`, {
      cause: e,
    });
  }
  kc.makePathsAbsolute(dirOf(file));
  return { file, kc };
}

/** The client-go merge: the first file to define a name (or the current context) wins. */
function merge(parsed: readonly Parsed[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = '';
  for (const { kc } of parsed) {
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    const cur = kc.getCurrentContext() as string | undefined;
    if (current === '' && cur !== undefined && cur !== '') current = cur;
  }
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext: current,
  });
  return out;
}

function homeOf(env: KubeconfigInput['env'], platform: string): string | null {
  const home = env.HOME ?? (platform === 'win32' ? (env.USERPROFILE ?? null) : null);
  return home === null || home === '' ? null : home;
}

async function inCluster(input: KubeconfigInput): Promise<KubeConfig | null> {
  const host = input.env.KUBERNETES_SERVICE_HOST ?? '';
  const port = input.env.KUBERNETES_SERVICE_PORT ?? '';
  if (host === '' || port === '') return null;
  const dir = input.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  try {
    await input.readFile(`${dir}/token`);
  } catch {
    return null;
  }
  let namespace: string | undefined;
  try {
    namespace = (await input.readFile(`${dir}/namespace`)).trim() || undefined;
  } catch {
    namespace = undefined;
  }
  const kc = new KubeConfig();
  const h = host.includes(':') ? `[${host}]` : host;
  kc.loadFromOptions({
    clusters: [
      { name: 'in-cluster', server: `https://${h}:${port}`, caFile: `${dir}/ca.crt`, skipTLSVerify: false },
    ],
    users: [
      { name: 'in-cluster', authProvider: { name: 'tokenFile', config: { tokenFile: `${dir}/token` } } },
    ],
    contexts: [{ name: 'in-cluster', cluster: 'in-cluster', user: 'in-cluster', namespace }],
    currentContext: 'in-cluster',
  });
  return kc;
}

const NO_CONFIG = new SourceError('cannot load kubeconfig: no configuration found', {
  hint: 'set KUBECONFIG or pass --kubeconfig',
});

/**
 * The kubeconfig files merged as kubectl merges them (or the in-cluster configuration), before any
 * context is chosen.
 */
async function mergedKubeconfig(
  input: KubeconfigInput,
): Promise<{ readonly kc: KubeConfig; readonly files: readonly string[]; readonly inCluster: boolean }> {
  const platform = input.platform ?? 'linux';
  const parsed: Parsed[] = [];
  if (input.kubeconfig !== null && input.kubeconfig !== '') {
    const one = await readKubeconfig(input.kubeconfig, input, true);
    if (one !== null) parsed.push(one);
  } else {
    const list = input.env.KUBECONFIG ?? '';
    const files =
      list !== ''
        ? [...new Set(list.split(platform === 'win32' ? ';' : ':').filter((f) => f !== ''))]
        : (() => {
            const home = homeOf(input.env, platform);
            return home === null ? [] : [`${home}/.kube/config`];
          })();
    for (const f of files) {
      const one = await readKubeconfig(f, input, false);
      if (one !== null) parsed.push(one);
    }
  }
  const loaded = parsed.length === 0 ? null : merge(parsed);
  const empty =
    loaded === null ||
    (loaded.getContexts().length === 0 &&
      loaded.getClusters().length === 0 &&
      loaded.getUsers().length === 0);
  const kc = empty ? await inCluster(input) : loaded;
  if (kc === null) {
    if (input.kubeconfig !== null && input.kubeconfig !== '') {
      throw new SourceError(`cannot load kubeconfig "${input.kubeconfig}": no configuration found`, {
        hint: 'the file defines no context',
      });
    }
    throw NO_CONFIG;
  }
  return { kc, files: parsed.map((p) => p.file), inCluster: empty };
}

/** The context names of the merged kubeconfig (`input.context` is not looked at), sorted. */
export async function kubeconfigContexts(input: KubeconfigInput): Promise<string[]> {
  const { kc } = await mergedKubeconfig(input);
  return kc
    .getContexts()
    .map((c) => c.name)
    .sort();
}

export async function loadKubeconfig(input: KubeconfigInput): Promise<LoadedKubeconfig> {
  const { kc, files, inCluster: empty } = await mergedKubeconfig(input);
  const contextName = input.context ?? '';
  if (contextName !== '') {
    if (kc.getContextObject(contextName) === null) {
      throw new UsageError(`context "${contextName}" not found in kubeconfig`);
    }
    kc.setCurrentContext(contextName);
  }
  const current = kc.getCurrentContext() as string | undefined;
  if (current === undefined || current === '') {
    throw new SourceError('cannot load kubeconfig: no current context', {
      hint: 'pass --context or run kubectl config use-context',
    });
  }
  const ctx = kc.getContextObject(current);
  if (ctx === null) {
    throw new SourceError(`cannot load kubeconfig: the current context "${current}" is not defined`, {
      hint: 'pass --context or run kubectl config use-context',
    });
  }
  const cluster = kc.getCluster(ctx.cluster);
  if (cluster === null) {
    throw new SourceError(
      `cannot load kubeconfig: context "${current}" names cluster "${ctx.cluster}", which is not defined`,
    );
  }
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    // A plain-HTTP server has no TLS to verify; client-node refuses to make an agent for it unless
    // verification is "skipped", kubectl just connects.
    kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c));
  }
  return {
    kc,
    context: current,
    server: cluster.server.replace(/\/+$/, ''),
    namespace: ctx.namespace ?? 'default',
    files,
    inCluster: empty,
  };
}
