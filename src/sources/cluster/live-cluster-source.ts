// The ClusterSource of a real API server (cluster-source.ts), on top of transport.ts: paged
// lists that follow `continue` (and fall back to one full list when a token expires, 410, as
// client-go's pager does), raw JSON objects, the node proxy with paths built here, and error
// messages in the words of cli.md §4. Response bodies are never printed.

import type { LoadedKubeconfig } from './kubeconfig.js';
import { ClusterApiError } from './cluster-source.js';
import type {
  AccessReview,
  ClusterSource,
  KubeObject,
  PodQuery,
  ProxyPath,
  ProxyResult,
  ResourceAttributes,
} from './cluster-source.js';
import { Transport, TransportError, httpFailure } from './transport.js';
import type { Failure, RequestSpec, Response, TransportOptions } from './transport.js';

const DEFAULT_PAGE = 500;
const METRICS_ACCEPT = 'text/plain;version=0.0.4';

interface Operation {
  /** "cannot list nodes", "cannot list pods on node \"w1\"" */
  readonly what: string;
  /** the hint for a 403: "needs list on nodes" */
  readonly rbac: string;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class LiveClusterSource implements ClusterSource {
  readonly context: string;
  readonly server: string;
  readonly namespace: string;
  private readonly transport: Transport;

  constructor(config: LoadedKubeconfig, opts: TransportOptions) {
    this.context = config.context;
    this.server = config.server;
    this.namespace = config.namespace;
    this.transport = new Transport(config.kc, config.server, opts);
  }

  private error(op: Operation, failure: Failure, cause?: unknown): ClusterApiError {
    if (failure.unreachable) {
      return new ClusterApiError(`cannot reach the API server ${this.server}: ${failure.why}`, failure, {
        cause,
      });
    }
    const hint =
      failure.httpStatus === 401
        ? `check the credentials of context "${this.context}"`
        : failure.httpStatus === 403
          ? op.rbac
          : undefined;
    return new ClusterApiError(`${op.what}: ${failure.why}`, failure, { hint, cause });
  }

  /** GET that must answer 2xx; anything else is a ClusterApiError for `op`. */
  private get(path: string, op: Operation): Promise<Response> {
    return this.send({ path }, op);
  }

  /** A request that must answer 2xx; anything else is a ClusterApiError for `op`. */
  private async send(spec: RequestSpec, op: Operation): Promise<Response> {
    let res: Response;
    try {
      res = await this.transport.request(spec);
    } catch (e) {
      if (e instanceof TransportError) throw this.error(op, e.failure, e);
      throw e;
    }
    if (res.status < 200 || res.status > 299) throw this.error(op, httpFailure(res.status));
    return res;
  }

  private json(res: Response, op: Operation): Record<string, unknown> {
    let v: unknown;
    try {
      v = JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      throw this.error(
        op,
        { status: 'invalid', httpStatus: res.status, why: 'the answer is not JSON', unreachable: false },
        e,
      );
    }
    if (!isObject(v)) {
      throw this.error(op, {
        status: 'invalid',
        httpStatus: res.status,
        why: 'the answer is not a JSON object',
        unreachable: false,
      });
    }
    return v;
  }

  /** Every item of a list, page by page. */
  private async list<T>(
    base: string,
    params: Readonly<Record<string, string | undefined>>,
    pageSize: number,
    op: Operation,
    map: (item: KubeObject) => T,
  ): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    for (;;) {
      let res: Response;
      try {
        res = await this.get(
          base + query({ ...params, limit: pageSize > 0 ? pageSize : undefined, continue: token }),
          op,
        );
      } catch (e) {
        if (token !== undefined && e instanceof ClusterApiError && e.failure.httpStatus === 410) {
          // the continue token expired: one consistent full list instead (client-go's pager)
          out.length = 0;
          const full = this.json(await this.get(base + query(params), op), op);
          for (const item of this.items(full, op)) out.push(map(item));
          return out;
        }
        throw e;
      }
      const page = this.json(res, op);
      for (const item of this.items(page, op)) out.push(map(item));
      const meta = page.metadata;
      const next = isObject(meta) && typeof meta.continue === 'string' ? meta.continue : '';
      if (next === '') return out;
      token = next;
    }
  }

  private items(list: Record<string, unknown>, op: Operation): KubeObject[] {
    const items = list.items;
    if (items === null || items === undefined) return [];
    if (!Array.isArray(items)) {
      throw this.error(op, {
        status: 'invalid',
        httpStatus: 200,
        why: 'the answer has no item list',
        unreachable: false,
      });
    }
    return items.filter(isObject);
  }

  listNodes(opts: { readonly labelSelector?: string } = {}): Promise<KubeObject[]> {
    return this.list(
      '/api/v1/nodes',
      { labelSelector: opts.labelSelector },
      DEFAULT_PAGE,
      { what: 'cannot list nodes', rbac: 'needs list on nodes' },
      (n) => n,
    );
  }

  /** Every namespace (shell completion of -n offers their names). */
  listNamespaces(): Promise<KubeObject[]> {
    return this.list(
      '/api/v1/namespaces',
      {},
      DEFAULT_PAGE,
      { what: 'cannot list namespaces', rbac: 'needs list on namespaces' },
      (n) => n,
    );
  }

  async getNode(name: string): Promise<KubeObject> {
    const op = { what: `cannot get node "${name}"`, rbac: 'needs get on nodes' };
    return this.json(await this.get(`/api/v1/nodes/${enc(name)}`, op), op);
  }

  async getPod(namespace: string, name: string): Promise<KubeObject> {
    const op = {
      what: `cannot get pod "${name}" in namespace "${namespace}"`,
      rbac: `needs get on pods in namespace "${namespace}"`,
    };
    return this.json(await this.get(`/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, op), op);
  }

  listPods<T = KubeObject>(q: PodQuery, map?: (pod: KubeObject) => T): Promise<T[]> {
    const node = /^spec\.nodeName==?([^,]*)$/.exec(q.fieldSelector ?? '')?.[1];
    const where =
      node !== undefined
        ? ` on node "${node}"`
        : q.namespace === null
          ? ''
          : ` in namespace "${q.namespace}"`;
    const op = {
      what: `cannot list pods${where}`,
      rbac:
        q.namespace === null
          ? 'needs list on pods in all namespaces'
          : `needs list on pods in namespace "${q.namespace}"`,
    };
    const base = q.namespace === null ? '/api/v1/pods' : `/api/v1/namespaces/${enc(q.namespace)}/pods`;
    return this.list(
      base,
      { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector },
      q.pageSize ?? DEFAULT_PAGE,
      op,
      map ?? ((p) => p as T),
    );
  }

  async nodeProxy(node: string, path: ProxyPath): Promise<ProxyResult> {
    let res: Response;
    try {
      res = await this.transport.request({
        // each segment encoded, the slashes between them kept: metrics/cadvisor stays a path
        path: `/api/v1/nodes/${enc(node)}/proxy/${path.split('/').map(enc).join('/')}`,
        accept: path === 'configz' ? 'application/json' : METRICS_ACCEPT,
      });
    } catch (e) {
      if (e instanceof TransportError) return { ok: false, failure: e.failure };
      throw e;
    }
    if (res.status < 200 || res.status > 299) return { ok: false, failure: httpFailure(res.status) };
    return { ok: true, body: res.body.toString('utf8'), contentType: res.contentType };
  }

  async accessReview(attrs: ResourceAttributes): Promise<AccessReview> {
    const op = {
      what: 'cannot create a selfsubjectaccessreview',
      rbac: 'needs create on selfsubjectaccessreviews.authorization.k8s.io',
    };
    const body = JSON.stringify({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { group: '', ...attrs } },
    });
    let res: Response;
    try {
      res = await this.transport.request({
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body,
      });
    } catch (e) {
      if (e instanceof TransportError) throw this.error(op, e.failure, e);
      throw e;
    }
    if (res.status < 200 || res.status > 299) throw this.error(op, httpFailure(res.status));
    const status = this.json(res, op).status;
    const s = isObject(status) ? status : {};
    return {
      allowed: s.allowed === true,
      reason: typeof s.reason === 'string' && s.reason !== '' ? s.reason : null,
    };
  }

  async createPod(namespace: string, pod: object): Promise<KubeObject> {
    const op = {
      what: `cannot create a pod in namespace "${namespace}"`,
      rbac: `needs create on pods in namespace "${namespace}"`,
    };
    const res = await this.send(
      { method: 'POST', path: `/api/v1/namespaces/${enc(namespace)}/pods`, body: JSON.stringify(pod) },
      op,
    );
    return this.json(res, op);
  }

  async readPodLog(namespace: string, name: string, container: string): Promise<string> {
    const op = {
      what: `cannot read the log of pod "${name}" in namespace "${namespace}"`,
      rbac: `needs get on pods/log in namespace "${namespace}"`,
    };
    const res = await this.send(
      {
        path: `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}/log${query({ container })}`,
        accept: 'text/plain, */*',
      },
      op,
    );
    return res.body.toString('utf8');
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds: number): Promise<void> {
    const op = {
      what: `cannot delete pod "${name}" in namespace "${namespace}"`,
      rbac: `needs delete on pods in namespace "${namespace}"`,
    };
    await this.send(
      {
        method: 'DELETE',
        path: `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}${query({ gracePeriodSeconds })}`,
        body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds }),
      },
      op,
    );
  }

  close(): void {
    this.transport.close();
  }
}
