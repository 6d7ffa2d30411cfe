// Reads everything the read commands need about a set of nodes from a live cluster, and returns
// one NodeFacts per node (src/drift/node-facts.ts), the same material a Snapshot holds:
//
//   selectNodes   named nodes (GET each), a label selector (one list), the nodes running given
//                 pods, else all nodes (one list)
//   gatherNodeFacts  per node, `concurrency` nodes at a time: /configz, /metrics and one
//                 /metrics/cadvisor scrape through the node proxy (in parallel within the node);
//                 with a second scrape, a second pass that scrapes each node again once `interval`
//                 has passed since its first scrape (so the whole run takes about one interval,
//                 not one per node); the node's pods; the --observation and --topology inputs.
//
// Pods: with few selected nodes, one list per node (fieldSelector spec.nodeName=N, served from
// the API server's node index: only those pods travel); with many, one paged cluster-wide list
// grouped by spec.nodeName: ceil(pods/500) sequential round trips instead of one per node,
// which wins once the selection is a large part of the cluster (see choosePodStrategy).
//
// Failures: node-level reads (proxy paths, a timeout/5xx on GET node) become the node's
// SnapshotNodeError entries and never stop the run; cluster-level ones (listing nodes or pods,
// 401, 403 on nodes, the API server unreachable) throw ClusterApiError (exit 3). A named node
// that does not exist is a UsageError (exit 2).
//
// Objects are kept reduced (reduce-pod.ts): pods as a snapshot stores them, nodes without
// managedFields and images, metrics filtered to the snapshot families unless `rawMetrics`, so a
// 5,000-node run holds what the analysis reads and nothing more.

import { UsageError } from '../errors.js';
import type { NodeFacts } from '../drift/node-facts.js';
import {
  CADVISOR_SNAPSHOT_FAMILIES,
  KUBELET_SNAPSHOT_FAMILIES,
  filterFamilies,
} from '../parse/prometheus.js';
import type { NodeObservation } from '../schema/observation.js';
import type { ScrapedText, SnapshotErrorSource, SnapshotNodeError } from '../schema/snapshot.js';
import { ClusterApiError, proxyFailureMessage } from './cluster/cluster-source.js';
import type { CollectorOutcome } from './collector.js';
import type { ClusterSource, KubeObject, ProxyPath } from './cluster/cluster-source.js';
import { mapLimit } from './map-limit.js';
import { reduceNode, reducePod } from './reduce-pod.js';

export interface NodeSelection {
  /** node names given as arguments */
  readonly names: readonly string[];
  /** -l; null = none */
  readonly labelSelector: string | null;
  /** --pod: the nodes these pods are bound to */
  readonly pods: readonly { readonly namespace: string; readonly name: string }[];
}

export interface SelectedNode {
  readonly name: string;
  /** the v1 Node as read (full), null when the read failed (see error) */
  readonly node: KubeObject | null;
  readonly error: SnapshotNodeError | null;
}

export interface SelectionResult {
  /** by name, each once */
  readonly nodes: readonly SelectedNode[];
  /** how many nodes the cluster has, when a full node list was read (for the pod strategy) */
  readonly clusterNodes: number | null;
  /** e.g. `pod "db/db-0" is not bound to a node` */
  readonly warnings: readonly string[];
}

function nameOf(o: KubeObject): string {
  const meta = o.metadata as { name?: unknown } | undefined;
  return typeof meta?.name === 'string' ? meta.name : '';
}

function nodeNameOf(pod: KubeObject): string {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}

function nodeError(source: SnapshotNodeError['source'], e: ClusterApiError): SnapshotNodeError {
  return { source, status: e.failure.status, httpStatus: e.failure.httpStatus, message: e.oneLine() };
}

/** GET one named node: 404 → UsageError; 401/403/unreachable → thrown; timeout/5xx → per-node error. */
async function getNamedNode(source: ClusterSource, name: string): Promise<SelectedNode> {
  try {
    return { name, node: await source.getNode(name), error: null };
  } catch (e) {
    if (!(e instanceof ClusterApiError)) throw e;
    if (e.failure.httpStatus === 404) throw new UsageError(`node "${name}" not found`, { cause: e });
    const { status, unreachable } = e.failure;
    if (unreachable || status === 'forbidden') throw e;
    return { name, node: null, error: nodeError('node', e) };
  }
}

/** The nodes of a selection (cli.md §5.4, §5.6), sorted by name. */
export async function selectNodes(
  source: ClusterSource,
  sel: NodeSelection,
  concurrency: number,
): Promise<SelectionResult> {
  const byName = new Map<string, SelectedNode>();
  const warnings: string[] = [];
  let clusterNodes: number | null = null;
  const everything = sel.names.length === 0 && sel.labelSelector === null && sel.pods.length === 0;
  if (everything || sel.labelSelector !== null) {
    const listed = await source.listNodes(
      sel.labelSelector === null ? {} : { labelSelector: sel.labelSelector },
    );
    if (everything) clusterNodes = listed.length;
    for (const n of listed) byName.set(nameOf(n), { name: nameOf(n), node: n, error: null });
  }
  const podNodes = await mapLimit(sel.pods, concurrency, async ({ namespace, name }) => {
    let pod: KubeObject;
    try {
      pod = await source.getPod(namespace, name);
    } catch (e) {
      if (e instanceof ClusterApiError && e.failure.httpStatus === 404) {
        throw new UsageError(`pod "${name}" not found in namespace "${namespace}"`, { cause: e });
      }
      throw e;
    }
    const node = nodeNameOf(pod);
    if (node === '')
      warnings.push(`pod "${namespace}/${name}" is not bound to a node; no node selected for it`);
    return node;
  });
  const toGet = [...new Set([...sel.names, ...podNodes.filter((n) => n !== '')])].filter(
    (n) => !byName.has(n),
  );
  for (const n of await mapLimit(toGet, concurrency, (name) => getNamedNode(source, name)))
    byName.set(n.name, n);
  const nodes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodes, clusterNodes, warnings };
}

export type PodStrategy = 'per-node' | 'cluster-wide';

/**
 * One list per node while the selection is small (at most `concurrency` nodes, or an eighth of
 * the cluster): those lists run in parallel and carry only the selected nodes' pods. Otherwise
 * one paged list of all pods: its round trips grow with the pod count / 500, not with the node
 * count, and it transfers at most 8× what the per-node lists would.
 */
export function choosePodStrategy(
  selected: number,
  clusterNodes: number | null,
  concurrency: number,
): PodStrategy {
  if (selected <= concurrency) return 'per-node';
  if (clusterNodes !== null && selected <= clusterNodes / 8) return 'per-node';
  return clusterNodes === null && selected <= 4 * concurrency ? 'per-node' : 'cluster-wide';
}

export interface GatherOptions {
  /** the reading's time (RFC 3339), NodeFacts.now */
  readonly now: string;
  /** nodes read in parallel (1–64) */
  readonly concurrency: number;
  readonly configz: boolean;
  readonly metrics: boolean;
  /** cAdvisor scrapes per node: 0, 1 or 2 */
  readonly cadvisorScrapes: 0 | 1 | 2;
  /** time between the two scrapes of a node */
  readonly intervalMs: number;
  /** keep all metric families (default: the snapshot families of cli.md §8.7) */
  readonly rawMetrics: boolean;
  /**
   * the kept families' lines keep their line numbers in the kubelet's text (dropped lines leave
   * blank lines), so parse warnings name the kubelet's lines; for the read commands, not for
   * snapshots (whose texts are packed)
   */
  readonly keepLineNumbers?: boolean;
  readonly podStrategy?: PodStrategy;
  /** the cluster's node count, when known (selectNodes' clusterNodes) */
  readonly clusterNodes: number | null;
  /** --observation documents by node name */
  readonly observations: ReadonlyMap<string, NodeObservation>;
  /**
   * --collector outcomes by node name (collector.ts): a document becomes the observation of a
   * node without an --observation one (observationFrom `collector`), a failure its `observation`
   * source error
   */
  readonly collected?: ReadonlyMap<string, CollectorOutcome>;
  /** --topology: per node, and the one for all other nodes (null: none) */
  readonly topologies: { readonly byNode: ReadonlyMap<string, object>; readonly all: object | null };
  /** the clock for scrape times (injected: tests) */
  readonly clock: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Each node's facts as soon as they are complete (its reads done and its pods listed), so a
   * caller can analyse nodes as they arrive; the node's texts are then dropped here, and the
   * result of gatherNodeFacts is empty.
   */
  readonly onNode?: (facts: NodeFacts) => void;
}

interface Partial {
  readonly selected: SelectedNode;
  configz: object | null;
  metrics: ScrapedText | null;
  readonly cadvisor: ScrapedText[];
  readonly errors: SnapshotNodeError[];
  pods: object[];
  /** when the first cAdvisor scrape started (ms) */
  firstScrape: number | null;
  /** every read of the node is done (onNode) */
  readsDone: boolean;
  /** handed to onNode */
  sent: boolean;
}

const FILTERS: Readonly<Record<'metrics' | 'metrics/cadvisor', (family: string) => boolean>> = {
  metrics: KUBELET_SNAPSHOT_FAMILIES,
  'metrics/cadvisor': CADVISOR_SNAPSHOT_FAMILIES,
};

const SOURCE_OF: Readonly<Record<ProxyPath, SnapshotNodeError['source']>> = {
  configz: 'configz',
  metrics: 'metrics',
  'metrics/cadvisor': 'cadvisor',
};

async function scrape(
  source: ClusterSource,
  p: Partial,
  path: 'metrics' | 'metrics/cadvisor',
  opts: GatherOptions,
): Promise<ScrapedText | null> {
  const started = opts.clock();
  if (path === 'metrics/cadvisor' && p.firstScrape === null) p.firstScrape = started.getTime();
  const r = await source.nodeProxy(p.selected.name, path);
  if (!r.ok) {
    p.errors.push({
      source: SOURCE_OF[path],
      status: r.failure.status,
      httpStatus: r.failure.httpStatus,
      message: proxyFailureMessage(path, r.failure),
    });
    return null;
  }
  const text = opts.rawMetrics
    ? r.body
    : filterFamilies(r.body, FILTERS[path], { keepLineNumbers: opts.keepLineNumbers === true });
  return { scrapedAt: rfc3339(started), text };
}

async function readConfigz(source: ClusterSource, p: Partial): Promise<void> {
  const r = await source.nodeProxy(p.selected.name, 'configz');
  if (!r.ok) {
    p.errors.push({
      source: 'configz',
      status: r.failure.status,
      httpStatus: r.failure.httpStatus,
      message: proxyFailureMessage('configz', r.failure),
    });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0] ?? '';
    p.errors.push({
      source: 'configz',
      status: 'invalid',
      httpStatus: 200,
      message: `cannot parse /configz: ${why}`,
    });
    return;
  }
  const kubeletconfig = (body as { kubeletconfig?: unknown } | null)?.kubeletconfig;
  if (typeof kubeletconfig !== 'object' || kubeletconfig === null || Array.isArray(kubeletconfig)) {
    p.errors.push({
      source: 'configz',
      status: 'invalid',
      httpStatus: 200,
      message: 'cannot parse /configz: expected an object with a "kubeletconfig" object',
    });
    return;
  }
  p.configz = body as object;
}

/** RFC 3339 UTC without milliseconds when there are none. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

/** NodeFacts of the selected nodes, by name. Per-node failures are in each node's `errors`. */
export async function gatherNodeFacts(
  source: ClusterSource,
  nodes: readonly SelectedNode[],
  opts: GatherOptions,
): Promise<NodeFacts[]> {
  const parts: Partial[] = nodes.map((selected) => ({
    selected,
    configz: null,
    metrics: null,
    cadvisor: [],
    errors: selected.error === null ? [] : [selected.error],
    pods: [],
    firstScrape: null,
    readsDone: false,
    sent: false,
  }));
  const strategy = opts.podStrategy ?? choosePodStrategy(nodes.length, opts.clusterNodes, opts.concurrency);
  const byNode = new Map(parts.map((p) => [p.selected.name, p]));
  // onNode: a node is handed over once its reads are done and the pods are known
  let podsReady = strategy === 'per-node';
  const emit = (p: Partial): void => {
    if (opts.onNode === undefined || p.sent || !p.readsDone || !podsReady) return;
    p.sent = true;
    const facts = toFacts(p, opts);
    p.configz = null;
    p.metrics = null;
    p.cadvisor.length = 0;
    p.pods = [];
    opts.onNode(facts);
  };
  // Handing nodes over as they come (onNode), the nodes read before the cluster-wide pod list is
  // complete wait for it with their scrapes. At most `readAhead` of them wait: then the node reads
  // pause until the list is in (a 5,000-node audit held 2.5 GB of scrapes otherwise). Without
  // onNode every node is kept to the end anyway.
  const readAhead = opts.onNode === undefined ? Number.POSITIVE_INFINITY : Math.max(32, 4 * opts.concurrency);
  let waiting = 0;
  let listSettled = false;
  const wakers: (() => void)[] = [];
  const roomToRead = async (): Promise<void> => {
    while (!podsReady && !listSettled && waiting >= readAhead) {
      await new Promise<void>((resolve) => wakers.push(resolve));
    }
  };
  const settleList = (): void => {
    listSettled = true;
    for (const wake of wakers.splice(0)) wake();
  };

  // one cluster-wide list, grouped (in parallel with the per-node reads below)
  const clusterWide =
    strategy === 'cluster-wide' && parts.length > 0
      ? source
          .listPods({ namespace: null }, (pod) => {
            const p = byNode.get(nodeNameOf(pod));
            if (p !== undefined) p.pods.push(reducePod(pod));
            return null;
          })
          .then(
            () => {
              podsReady = true;
              for (const p of parts) emit(p);
              settleList();
            },
            (e: unknown) => {
              settleList();
              throw e;
            },
          )
      : Promise.resolve();
  const perNode = (async (): Promise<void> => {
    await mapLimit(parts, opts.concurrency, async (p) => {
      await roomToRead();
      const name = p.selected.name;
      await Promise.all([
        strategy === 'per-node'
          ? source
              .listPods({ namespace: null, fieldSelector: `spec.nodeName=${name}` }, reducePod)
              .then((pods) => {
                p.pods = pods;
              })
          : Promise.resolve(),
        opts.configz ? readConfigz(source, p) : Promise.resolve(),
        opts.metrics
          ? scrape(source, p, 'metrics', opts).then((m) => {
              p.metrics = m;
            })
          : Promise.resolve(),
        opts.cadvisorScrapes > 0
          ? scrape(source, p, 'metrics/cadvisor', opts).then((c) => {
              if (c !== null) p.cadvisor.push(c);
            })
          : Promise.resolve(),
      ]);
      // a node whose first scrape failed gets no second one (see below)
      p.readsDone = !(opts.cadvisorScrapes === 2 && p.cadvisor.length === 1 && p.firstScrape !== null);
      emit(p);
      if (p.readsDone && !p.sent && !podsReady) waiting++;
    });

    if (opts.cadvisorScrapes === 2) {
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      // nodes whose first scrape failed get no second one: there is no window to measure
      const again = parts.filter((p) => p.cadvisor.length === 1 && p.firstScrape !== null);
      await mapLimit(again, opts.concurrency, async (p) => {
        const wait = (p.firstScrape ?? 0) + opts.intervalMs - opts.clock().getTime();
        if (wait > 0) await sleep(wait);
        const c = await scrape(source, p, 'metrics/cadvisor', opts);
        if (c !== null) p.cadvisor.push(c);
        p.readsDone = true;
        emit(p);
      });
    }
  })();
  // fails fast when the pod list fails; node reads still running end on their own
  await Promise.all([clusterWide, perNode]);

  return opts.onNode === undefined ? parts.map((p) => toFacts(p, opts)) : [];
}

function toFacts(p: Partial, opts: GatherOptions): NodeFacts {
  const { name, node } = p.selected;
  const given = opts.observations.get(name) ?? null;
  const collected = given === null ? opts.collected?.get(name) : undefined;
  const observation = given ?? (collected?.ok === true ? collected.observation : null);
  const topology =
    observation !== null && observation.topology !== null
      ? null
      : (opts.topologies.byNode.get(name) ?? opts.topologies.all);
  return {
    name,
    now: opts.now,
    from: 'live',
    node: node === null ? null : reduceNode(node),
    configz: p.configz,
    metrics: p.metrics,
    cadvisor: [...p.cadvisor],
    observation,
    observationFrom: given !== null ? 'observation' : observation !== null ? 'collector' : null,
    topology,
    errors: inSourceOrder(collected?.ok === false ? [...p.errors, collected.error] : p.errors),
    pods: p.pods,
  };
}

const SOURCE_ORDER: Readonly<Record<SnapshotErrorSource, number>> = {
  node: 0,
  configz: 1,
  metrics: 2,
  cadvisor: 3,
  observation: 4,
};

/**
 * A node's source errors in a fixed order (node, configz, metrics, cadvisor, observation) rather
 * than the order the concurrent reads happened to fail in, so warnings and snapshots do not change
 * from run to run. The sort is stable: two cAdvisor scrapes stay first then second.
 */
function inSourceOrder(errors: readonly SnapshotNodeError[]): SnapshotNodeError[] {
  return [...errors].sort((a, b) => SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);
}

/** The stderr warnings of a gathering: `node worker-3: cannot read /configz: forbidden (403); …`. */
export function sourceWarnings(facts: readonly NodeFacts[]): string[] {
  return facts.flatMap((f) => f.errors.map((e) => `node ${f.name}: ${e.message}`));
}
