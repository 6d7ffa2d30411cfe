// Where the read commands get their NodeFacts (src/drift/node-facts.ts): the live cluster, or a
// Snapshot file that replaces it (cli.md §8.7: "no kubeconfig is loaded, nothing is contacted;
// node and pod lookups, -n, -A and selectors apply to the file's contents; each live read becomes
// the matching field; takenAt stands for now"). Either way the commands see the same NodeFacts,
// with the --observation and --topology inputs applied on top.
//
// Live: node selection and gathering are src/sources/gather-node-facts.ts. Before the first
// kubelet read, one SelfSubjectAccessReview asks whether `get nodes/proxy` is allowed; when it is
// denied, no kubelet endpoint is touched: every node gets a `forbidden (403)` error for /configz,
// /metrics and /metrics/cadvisor without a warning of its own, and the command prints one warning
// for the whole run (`proxyDenied`). A review that cannot be made (forbidden itself, or
// unavailable) is no answer: the reads are tried.

import { UsageError } from '../errors.js';
import type { NodeFacts } from '../drift/node-facts.js';
import { labelsOf, matchesLabels, parseLabelSelector } from '../parse/label-selector.js';
import type { NodeObservation } from '../schema/observation.js';
import type { Snapshot, SnapshotNode, SnapshotNodeError } from '../schema/snapshot.js';
import { ClusterApiError, proxyFailureMessage } from '../sources/cluster/cluster-source.js';
import type { ClusterSource, KubeObject, ProxyPath } from '../sources/cluster/cluster-source.js';
import { httpFailure } from '../sources/cluster/transport.js';
import { collectorTargets, runCollectors } from '../sources/collector.js';
import type { CollectorOptions } from '../sources/collector.js';
import { gatherNodeFacts, selectNodes } from '../sources/gather-node-facts.js';
import type { SelectedNode, SelectionResult } from '../sources/gather-node-facts.js';
import { mapLimit } from '../sources/map-limit.js';
import { reducePod } from '../sources/reduce-pod.js';
import type { Observations, Topologies } from './node-inputs.js';

export type { SelectedNode, SelectionResult };

/** What to read per node besides the Node object, its pods and /configz. */
export interface GatherRequest {
  /** /metrics (describe, audit; not throttle) */
  readonly metrics: boolean;
  /** /metrics/cadvisor scrapes (live): 1, or 2 `intervalMs` apart */
  readonly cadvisorScrapes: 1 | 2;
  readonly intervalMs: number;
}

export interface GatheredNode {
  readonly facts: NodeFacts;
  /** stderr warnings about this node's inputs and failed sources, without "warning: " */
  readonly warnings: readonly string[];
}

export interface GatherOutcome {
  /** the access review denied `get nodes/proxy`: no kubelet endpoint was read */
  readonly proxyDenied: boolean;
  /** run warnings besides the nodes' (collector pods that could not be deleted) */
  readonly warnings?: readonly string[];
}

export interface FactsProvider {
  readonly mode: 'live' | 'snapshot';
  /** the default of -n: the context's namespace (live), else "default" */
  readonly namespace: string;
  /** the time of the reading, RFC 3339 (live: the start of the run; snapshot: takenAt) */
  readonly now: string;
  /** The nodes of a selection, by name; a named node that does not exist is exit 2. */
  selectNodes(names: readonly string[], labelSelector: string | null): Promise<SelectionResult>;
  /** Named nodes where one that does not exist is a node error (`not-found`), not exit 2. */
  nodesByName(names: readonly string[]): Promise<SelectionResult>;
  /** One pod; one that does not exist is exit 2. */
  getPod(namespace: string, name: string): Promise<KubeObject>;
  /** Pods of a namespace (null: all) matching a label selector (null: all). */
  listPods(namespace: string | null, labelSelector: string | null): Promise<KubeObject[]>;
  /**
   * The facts of the selected nodes; `onNode` gets each node as soon as it is complete (in no
   * fixed order). Nodes in `skipReads` (not linux: cli.md §5.4) get only their Node object.
   */
  gather(
    selection: SelectionResult,
    request: GatherRequest,
    onNode: (node: GatheredNode) => void,
    skipReads?: ReadonlySet<string>,
  ): Promise<GatherOutcome>;
  close(): void;
}

export interface NodeInputs {
  readonly observations: Observations;
  readonly topologies: Topologies;
}

const PROXY_SOURCES: readonly { readonly path: ProxyPath; readonly source: SnapshotNodeError['source'] }[] = [
  { path: 'configz', source: 'configz' },
  { path: 'metrics', source: 'metrics' },
  { path: 'metrics/cadvisor', source: 'cadvisor' },
];

function nameOf(o: KubeObject): string {
  const meta = o.metadata as { name?: unknown } | undefined;
  return typeof meta?.name === 'string' ? meta.name : '';
}

function namespaceOf(o: KubeObject): string {
  const meta = o.metadata as { namespace?: unknown } | undefined;
  return typeof meta?.namespace === 'string' ? meta.namespace : '';
}

/** spec.nodeName, "" when unbound. */
export function podNodeName(pod: object): string {
  const spec = (pod as { spec?: { nodeName?: unknown } }).spec;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function nodeNotFound(name: string, message: string): SelectedNode {
  return { name, node: null, error: { source: 'node', status: 'not-found', httpStatus: 404, message } };
}

/** `node worker-3: cannot read /configz: unavailable (503)`, one per failed source. */
function nodeWarnings(facts: NodeFacts): string[] {
  return facts.errors.map((e) => `node ${facts.name}: ${e.message}`);
}

/** Facts of a node whose kubelet is not read (a skipped node): its Node object only. */
function nodeOnlyFacts(n: SelectedNode, now: string, from: NodeFacts['from']): NodeFacts {
  return {
    name: n.name,
    now,
    from,
    node: n.node,
    configz: null,
    metrics: null,
    cadvisor: [],
    observation: null,
    observationFrom: null,
    topology: null,
    errors: n.error === null ? [] : [n.error],
    pods: [],
  };
}

// ----- live ------------------------------------------------------------------------------------

export interface LiveOptions {
  readonly concurrency: number;
  readonly clock: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  /** --collector: collector pods for the read nodes without an observation (null: off) */
  readonly collector?: CollectorOptions | null;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class LiveFactsProvider implements FactsProvider {
  readonly mode = 'live';
  readonly namespace: string;
  readonly now: string;

  constructor(
    private readonly source: ClusterSource,
    private readonly inputs: NodeInputs,
    private readonly opts: LiveOptions,
  ) {
    this.namespace = source.namespace;
    this.now = rfc3339(opts.clock());
  }

  selectNodes(names: readonly string[], labelSelector: string | null): Promise<SelectionResult> {
    return selectNodes(this.source, { names, labelSelector, pods: [] }, this.opts.concurrency);
  }

  async nodesByName(names: readonly string[]): Promise<SelectionResult> {
    const wanted = [...new Set(names)].sort();
    if (wanted.length > 4 * this.opts.concurrency) {
      // many nodes: one list instead of a GET each
      const all = await this.selectNodes([], null);
      const listed = new Map(all.nodes.map((n) => [n.name, n]));
      return {
        nodes: wanted.map((n) => listed.get(n) ?? nodeNotFound(n, `cannot get node "${n}": not found (404)`)),
        clusterNodes: all.clusterNodes,
        warnings: [],
      };
    }
    const nodes = await mapLimit(wanted, this.opts.concurrency, async (name) => {
      try {
        return (
          (await this.selectNodes([name], null)).nodes[0] ??
          nodeNotFound(name, `cannot get node "${name}": not found (404)`)
        );
      } catch (e) {
        if (e instanceof UsageError) return nodeNotFound(name, `cannot get node "${name}": not found (404)`);
        throw e;
      }
    });
    return { nodes, clusterNodes: null, warnings: [] };
  }

  async getPod(namespace: string, name: string): Promise<KubeObject> {
    try {
      return await this.source.getPod(namespace, name);
    } catch (e) {
      if (e instanceof ClusterApiError && e.failure.httpStatus === 404) {
        throw new UsageError(`pod "${name}" not found in namespace "${namespace}"`, { cause: e });
      }
      throw e;
    }
  }

  listPods(namespace: string | null, labelSelector: string | null): Promise<KubeObject[]> {
    // reduced as they arrive (names, labels, node): `throttle -A` of a big cluster keeps no specs
    return this.source.listPods(
      { namespace, ...(labelSelector === null ? {} : { labelSelector }) },
      reducePod,
    );
  }

  /** One access review for `get nodes/proxy`; a review that cannot be made counts as allowed. */
  private async proxyAllowed(): Promise<boolean> {
    try {
      return (await this.source.accessReview({ verb: 'get', resource: 'nodes', subresource: 'proxy' }))
        .allowed;
    } catch (e) {
      if (e instanceof ClusterApiError && !e.failure.unreachable) return true;
      throw e;
    }
  }

  async gather(
    selection: SelectionResult,
    request: GatherRequest,
    onNode: (node: GatheredNode) => void,
    skipReads: ReadonlySet<string> = new Set(),
  ): Promise<GatherOutcome> {
    for (const n of selection.nodes) {
      if (skipReads.has(n.name)) onNode({ facts: nodeOnlyFacts(n, this.now, 'live'), warnings: [] });
    }
    const read = selection.nodes.filter((n) => !skipReads.has(n.name));
    if (read.length === 0) return { proxyDenied: false };
    const denied = !(await this.proxyAllowed());
    // collector pods first (cli.md §5.8); they are gone before the kubelets and pods are read
    const collected =
      this.opts.collector === undefined || this.opts.collector === null
        ? null
        : await runCollectors(
            this.source,
            collectorTargets(read, this.inputs.observations.byNode),
            this.opts.collector,
          );
    const forbidden = httpFailure(403);
    const paths = PROXY_SOURCES.filter((p) => p.path !== 'metrics' || request.metrics);
    await gatherNodeFacts(this.source, read, {
      now: this.now,
      concurrency: this.opts.concurrency,
      configz: !denied,
      metrics: request.metrics && !denied,
      cadvisorScrapes: denied ? 0 : request.cadvisorScrapes,
      intervalMs: request.intervalMs,
      rawMetrics: false,
      // warnings name the kubelet's own line numbers
      keepLineNumbers: true,
      clusterNodes: selection.clusterNodes,
      observations: this.inputs.observations.byNode,
      ...(collected === null ? {} : { collected: collected.outcomes }),
      topologies: this.inputs.topologies,
      clock: this.opts.clock,
      ...(this.opts.sleep === undefined ? {} : { sleep: this.opts.sleep }),
      onNode: (gathered) => {
        const warnings = nodeWarnings(gathered);
        const facts: NodeFacts = denied
          ? {
              ...gathered,
              errors: [
                ...gathered.errors,
                ...paths.map(({ path, source }) => ({
                  source,
                  status: forbidden.status,
                  httpStatus: forbidden.httpStatus,
                  message: proxyFailureMessage(path, forbidden),
                })),
              ],
            }
          : gathered;
        onNode({ facts, warnings });
      },
    });
    return { proxyDenied: denied, warnings: collected?.warnings ?? [] };
  }

  close(): void {
    this.source.close();
  }
}

// ----- snapshot --------------------------------------------------------------------------------

export class SnapshotFactsProvider implements FactsProvider {
  readonly mode = 'snapshot';
  readonly namespace = 'default';
  readonly now: string;
  private readonly nodes: ReadonlyMap<string, SnapshotNode>;
  private readonly podsByNode = new Map<string, KubeObject[]>();
  private readonly where: string;

  /** `file` as the user named it ("-" = stdin). */
  constructor(
    private readonly snapshot: Snapshot,
    private readonly file: string,
    private readonly inputs: NodeInputs,
  ) {
    this.now = snapshot.takenAt;
    this.where = `in snapshot "${file === '-' ? '<stdin>' : file}"`;
    this.nodes = new Map(snapshot.nodes.map((n) => [n.name, n]));
    for (const pod of snapshot.pods as KubeObject[]) {
      const node = podNodeName(pod);
      if (node === '') continue;
      const list = this.podsByNode.get(node);
      if (list === undefined) this.podsByNode.set(node, [pod]);
      else list.push(pod);
    }
  }

  private selected(n: SnapshotNode): SelectedNode {
    return {
      name: n.name,
      node: n.node as KubeObject | null,
      error: n.node === null ? (n.errors.find((e) => e.source === 'node') ?? null) : null,
    };
  }

  selectNodes(names: readonly string[], labelSelector: string | null): Promise<SelectionResult> {
    let nodes: SnapshotNode[];
    if (names.length > 0) {
      nodes = [...new Set(names)].map((name) => {
        const n = this.nodes.get(name);
        if (n === undefined) throw new UsageError(`node "${name}" not found ${this.where}`);
        return n;
      });
    } else if (labelSelector !== null) {
      const sel = parseLabelSelector(labelSelector);
      nodes = this.snapshot.nodes.filter((n) => n.node !== null && matchesLabels(sel, labelsOf(n.node)));
    } else nodes = [...this.snapshot.nodes];
    return Promise.resolve({
      nodes: nodes.map((n) => this.selected(n)).sort(byName),
      clusterNodes: this.snapshot.nodes.length,
      warnings: [],
    });
  }

  nodesByName(names: readonly string[]): Promise<SelectionResult> {
    const nodes = [...new Set(names)].sort().map((name) => {
      const n = this.nodes.get(name);
      return n === undefined
        ? nodeNotFound(name, `node "${name}" not found ${this.where}`)
        : this.selected(n);
    });
    return Promise.resolve({ nodes, clusterNodes: this.snapshot.nodes.length, warnings: [] });
  }

  getPod(namespace: string, name: string): Promise<KubeObject> {
    const pod = (this.snapshot.pods as KubeObject[]).find(
      (p) => namespaceOf(p) === namespace && nameOf(p) === name,
    );
    if (pod === undefined) {
      return Promise.reject(
        new UsageError(`pod "${name}" not found in namespace "${namespace}" ${this.where}`),
      );
    }
    return Promise.resolve(pod);
  }

  listPods(namespace: string | null, labelSelector: string | null): Promise<KubeObject[]> {
    const sel = labelSelector === null ? null : parseLabelSelector(labelSelector);
    return Promise.resolve(
      (this.snapshot.pods as KubeObject[]).filter(
        (p) =>
          (namespace === null || namespaceOf(p) === namespace) &&
          (sel === null || matchesLabels(sel, labelsOf(p))),
      ),
    );
  }

  /** A snapshot node as the live gathering would have read it, with --observation/--topology. */
  private facts(n: SnapshotNode, request: GatherRequest): GatheredNode {
    const warnings: string[] = [];
    const given: NodeObservation | undefined = this.inputs.observations.byNode.get(n.name);
    let observation = n.observation;
    let observationFrom: NodeFacts['observationFrom'] = n.observation === null ? null : 'snapshot';
    let errors = n.errors;
    if (given !== undefined) {
      const file = this.inputs.observations.files.get(n.name) ?? '';
      if (n.observation !== null) {
        warnings.push(`observation "${file}" of node "${n.name}" replaces the one ${this.where}`);
      }
      observation = given;
      observationFrom = 'observation';
      errors = errors.filter((e) => e.source !== 'observation');
    }
    if (!request.metrics) errors = errors.filter((e) => e.source !== 'metrics');
    const fileTopology =
      this.inputs.topologies.byNode.get(n.name) ?? this.inputs.topologies.all ?? n.topology;
    const facts: NodeFacts = {
      name: n.name,
      now: this.now,
      from: 'snapshot',
      node: n.node,
      configz: n.configz,
      metrics: request.metrics ? n.metrics : null,
      cadvisor: n.cadvisor,
      observation,
      observationFrom,
      topology: observation !== null && observation.topology !== null ? null : fileTopology,
      errors,
      pods: this.podsByNode.get(n.name) ?? [],
    };
    return { facts, warnings: [...warnings, ...nodeWarnings(facts)] };
  }

  gather(
    selection: SelectionResult,
    request: GatherRequest,
    onNode: (node: GatheredNode) => void,
    skipReads: ReadonlySet<string> = new Set(),
  ): Promise<GatherOutcome> {
    for (const s of selection.nodes) {
      const n = this.nodes.get(s.name);
      if (skipReads.has(s.name) || n === undefined) {
        const facts = nodeOnlyFacts(s, this.now, 'snapshot');
        onNode({ facts, warnings: nodeWarnings(facts) });
      } else onNode(this.facts(n, request));
    }
    return Promise.resolve({ proxyDenied: false });
  }

  close(): void {
    // nothing is open: the file was read whole
  }
}
