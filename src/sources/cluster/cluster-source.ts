// What the read commands need from a cluster, as a small interface: nodes, pods (paged), the
// kubelet's /configz, /metrics and /metrics/cadvisor through the API server's node proxy, access
// reviews, and the few writes of `--collector` (create, read the log of, delete a collector pod).
// live-cluster-source.ts implements it against an API server; tests use a fake.
//
// Cluster-level reads (nodes, pods, access reviews) throw ClusterApiError, a SourceError (exit 3)
// whose message already reads as cli.md §4 wants; callers look at `failure` to turn a 404 into
// "node not found" (exit 2). Node proxy reads never throw: a failure is data (a per-node source
// error), so one bad kubelet never stops a run.

import { SourceError } from '../../errors.js';
import type { Failure } from './transport.js';

export type { Failure } from './transport.js';

/** A Kubernetes object as JSON (Node, Pod, …). */
export type KubeObject = Readonly<Record<string, unknown>>;

export type ProxyPath = 'configz' | 'metrics' | 'metrics/cadvisor';

export const PROXY_PATHS: readonly ProxyPath[] = ['configz', 'metrics', 'metrics/cadvisor'];

export interface PodQuery {
  /** null = all namespaces */
  readonly namespace: string | null;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** items per page (limit); default 500, as kubectl */
  readonly pageSize?: number;
}

export type ProxyResult =
  | { readonly ok: true; readonly body: string; readonly contentType: string }
  | { readonly ok: false; readonly failure: Failure };

export interface ResourceAttributes {
  readonly verb: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly group?: string;
}

export interface AccessReview {
  readonly allowed: boolean;
  /** the authorizer's reason, when it gave one */
  readonly reason: string | null;
}

export interface ClusterSource {
  /** the kubeconfig context, null when not from a kubeconfig */
  readonly context: string | null;
  /** the API server URL (never credentials) */
  readonly server: string | null;
  /** the context's namespace, else "default" */
  readonly namespace: string;
  listNodes(opts?: { readonly labelSelector?: string }): Promise<KubeObject[]>;
  getNode(name: string): Promise<KubeObject>;
  getPod(namespace: string, name: string): Promise<KubeObject>;
  /**
   * Every pod of the query, page by page (limit/continue); `map` runs on each pod as its page
   * arrives, so a caller keeping a reduced form never holds all the full objects.
   */
  listPods<T = KubeObject>(query: PodQuery, map?: (pod: KubeObject) => T): Promise<T[]>;
  /** GET /api/v1/nodes/NODE/proxy/PATH; metrics as text/plain;version=0.0.4. Never throws. */
  nodeProxy(node: string, path: ProxyPath): Promise<ProxyResult>;
  accessReview(attrs: ResourceAttributes): Promise<AccessReview>;
  /** POST a Pod into `namespace` (collector pods, cli.md §5.8); the created object. */
  createPod(namespace: string, pod: object): Promise<KubeObject>;
  /** GET …/pods/NAME/log: the container's log as text. */
  readPodLog(namespace: string, name: string, container: string): Promise<string>;
  /** DELETE a pod with this grace period (seconds). */
  deletePod(namespace: string, name: string, gracePeriodSeconds: number): Promise<void>;
  /** releases connections */
  close(): void;
}

/** A failed cluster-level read: one line "<what>: <why>[; <hint>]", exit 3. */
export class ClusterApiError extends SourceError {
  constructor(
    message: string,
    readonly failure: Failure,
    details: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, details);
  }
}

/** "cannot read /configz: forbidden (403); needs get on nodes/proxy" (cli.md §4). */
export function proxyFailureMessage(path: ProxyPath, failure: Failure): string {
  const base = `cannot read /${path}: ${failure.why}`;
  return failure.httpStatus === 403 ? `${base}; needs get on nodes/proxy` : base;
}
