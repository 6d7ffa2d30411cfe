// An in-memory ClusterSource (src/sources/cluster/cluster-source.ts) for unit tests of code that
// reads a cluster: nodes, pods, node-proxy bodies or failures, access rules, and a log of every
// call, so a test can assert what was read and how often. Label and field selectors work as on an
// API server (the field selector: spec.nodeName=N only).

import { labelsOf, matchesLabels, parseLabelSelector } from '../../src/parse/label-selector.js';
import { ClusterApiError } from '../../src/sources/cluster/cluster-source.js';
import type {
  AccessReview,
  ClusterSource,
  Failure,
  KubeObject,
  PodQuery,
  ProxyPath,
  ProxyResult,
  ResourceAttributes,
} from '../../src/sources/cluster/cluster-source.js';
import { httpFailure } from '../../src/sources/cluster/transport.js';

export type ProxyAnswer = string | Failure | ((call: number) => string | Failure);

export interface FakeClusterOptions {
  readonly nodes?: readonly KubeObject[];
  readonly pods?: readonly KubeObject[];
  /** per node, per path: a body, a failure, or a function of the call number (0, 1, …) */
  readonly proxy?: Readonly<Record<string, Partial<Record<ProxyPath, ProxyAnswer>>>>;
  readonly context?: string;
  readonly namespace?: string;
  /** failures of cluster-level reads: "listNodes", "listPods", "getNode:N", "getPod:NS/N" */
  readonly failures?: Readonly<Record<string, Failure>>;
  readonly denied?: readonly ResourceAttributes[];
  /**
   * Collector pods: a created pod is Succeeded at once, and its log is the text given for its
   * node (none: GET log is 404). Failures: "createPod:NS", "deletePod:NS/N".
   */
  readonly podLogs?: Readonly<Record<string, string>>;
}

const nameOf = (o: KubeObject): string => (o.metadata as { name?: string } | undefined)?.name ?? '';
const nsOf = (o: KubeObject): string => (o.metadata as { namespace?: string } | undefined)?.namespace ?? '';
const nodeOf = (o: KubeObject): string => (o.spec as { nodeName?: string } | undefined)?.nodeName ?? '';

export class FakeClusterSource implements ClusterSource {
  readonly context: string;
  readonly server = 'https://fake.example:6443';
  readonly namespace: string;
  /** "listNodes", "listPods spec.nodeName=w1", "proxy w1 configz", … in call order */
  readonly calls: string[] = [];
  closed = false;
  private readonly proxyCalls = new Map<string, number>();
  /** pods made by createPod, by "namespace/name" */
  private readonly created = new Map<string, KubeObject>();

  constructor(private readonly opts: FakeClusterOptions = {}) {
    this.context = opts.context ?? 'fake';
    this.namespace = opts.namespace ?? 'default';
  }

  private fail(key: string, what: string): void {
    const f = this.opts.failures?.[key];
    if (f !== undefined) throw new ClusterApiError(`${what}: ${f.why}`, f);
  }

  listNodes(opts: { readonly labelSelector?: string } = {}): Promise<KubeObject[]> {
    this.calls.push(`listNodes${opts.labelSelector === undefined ? '' : ` ${opts.labelSelector}`}`);
    this.fail('listNodes', 'cannot list nodes');
    const sel = parseLabelSelector(opts.labelSelector ?? '');
    return Promise.resolve((this.opts.nodes ?? []).filter((n) => matchesLabels(sel, labelsOf(n))));
  }

  getNode(name: string): Promise<KubeObject> {
    this.calls.push(`getNode ${name}`);
    this.fail(`getNode:${name}`, `cannot get node "${name}"`);
    const n = (this.opts.nodes ?? []).find((x) => nameOf(x) === name);
    if (n === undefined)
      throw new ClusterApiError(`cannot get node "${name}": not found (404)`, httpFailure(404));
    return Promise.resolve(n);
  }

  getPod(namespace: string, name: string): Promise<KubeObject> {
    this.calls.push(`getPod ${namespace}/${name}`);
    this.fail(`getPod:${namespace}/${name}`, `cannot get pod "${name}"`);
    const p =
      this.created.get(`${namespace}/${name}`) ??
      (this.opts.pods ?? []).find((x) => nameOf(x) === name && nsOf(x) === namespace);
    if (p === undefined)
      throw new ClusterApiError(`cannot get pod "${name}": not found (404)`, httpFailure(404));
    return Promise.resolve(p);
  }

  listPods<T = KubeObject>(q: PodQuery, map?: (pod: KubeObject) => T): Promise<T[]> {
    this.calls.push(`listPods${q.fieldSelector === undefined ? '' : ` ${q.fieldSelector}`}`);
    this.fail('listPods', 'cannot list pods');
    const node = /^spec\.nodeName=(.*)$/.exec(q.fieldSelector ?? '')?.[1];
    const sel = parseLabelSelector(q.labelSelector ?? '');
    const pods = (this.opts.pods ?? []).filter(
      (p) =>
        (q.namespace === null || nsOf(p) === q.namespace) &&
        (node === undefined || nodeOf(p) === node) &&
        matchesLabels(sel, labelsOf(p)),
    );
    return Promise.resolve(pods.map((p) => (map === undefined ? (p as T) : map(p))));
  }

  nodeProxy(node: string, path: ProxyPath): Promise<ProxyResult> {
    this.calls.push(`proxy ${node} ${path}`);
    const key = `${node} ${path}`;
    const call = this.proxyCalls.get(key) ?? 0;
    this.proxyCalls.set(key, call + 1);
    const answer = this.opts.proxy?.[node]?.[path];
    const value = typeof answer === 'function' ? answer(call) : answer;
    if (value === undefined) return Promise.resolve({ ok: false, failure: httpFailure(404) });
    if (typeof value === 'string') {
      return Promise.resolve({
        ok: true,
        body: value,
        contentType: path === 'configz' ? 'application/json' : 'text/plain',
      });
    }
    return Promise.resolve({ ok: false, failure: value });
  }

  accessReview(attrs: ResourceAttributes): Promise<AccessReview> {
    this.calls.push(
      `accessReview ${attrs.verb} ${attrs.resource}${attrs.subresource === undefined ? '' : `/${attrs.subresource}`}`,
    );
    const denied = (this.opts.denied ?? []).some(
      (d) =>
        d.verb === attrs.verb &&
        d.resource === attrs.resource &&
        d.subresource === attrs.subresource &&
        (d.name === undefined || d.name === attrs.name),
    );
    return Promise.resolve({ allowed: !denied, reason: null });
  }

  createPod(namespace: string, pod: object): Promise<KubeObject> {
    const name = nameOf(pod as KubeObject);
    this.calls.push(`createPod ${namespace}/${name}`);
    this.fail(`createPod:${namespace}`, `cannot create a pod in namespace "${namespace}"`);
    const created = { ...(pod as KubeObject), status: { phase: 'Succeeded' } };
    this.created.set(`${namespace}/${name}`, created);
    return Promise.resolve(created);
  }

  readPodLog(namespace: string, name: string, container: string): Promise<string> {
    this.calls.push(`readPodLog ${namespace}/${name} ${container}`);
    const pod = this.created.get(`${namespace}/${name}`);
    const log = pod === undefined ? undefined : this.opts.podLogs?.[nodeOf(pod)];
    if (log === undefined)
      throw new ClusterApiError(`cannot read the log of pod "${name}": not found (404)`, httpFailure(404));
    return Promise.resolve(log);
  }

  deletePod(namespace: string, name: string, gracePeriodSeconds: number): Promise<void> {
    this.calls.push(`deletePod ${namespace}/${name} grace=${gracePeriodSeconds}`);
    this.fail(`deletePod:${namespace}/${name}`, `cannot delete pod "${name}"`);
    if (!this.created.delete(`${namespace}/${name}`))
      throw new ClusterApiError(`cannot delete pod "${name}": not found (404)`, httpFailure(404));
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}
