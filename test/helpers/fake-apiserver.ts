// A fake Kubernetes API server for tests: node:http(s) on 127.0.0.1 with an ephemeral port,
// serving a cluster of fixture objects well enough for the real kubectl and for our cluster
// source:
//
// * discovery (/api, /api/v1, /apis, /apis/authorization.k8s.io/v1, /version); openapi is 404,
//   which kubectl get copes with; aggregated discovery is not offered (kubectl falls back);
// * pods and nodes (and namespaces): list and get, label selectors (=, !=, in, notin, exists, !),
//   field selectors (spec.nodeName, metadata.name, metadata.namespace, status.phase), `limit` and
//   `continue` paging, and server-side Tables when kubectl asks for them
//   (Accept: application/json;as=Table;v=v1;g=meta.k8s.io);
// * node proxy GET /api/v1/nodes/N/proxy/{configz,metrics,metrics/cadvisor} with per-node bodies
//   (cAdvisor: successive scrapes may differ);
// * POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews answered from the same deny
//   rules that make requests fail with 403;
// * collector pods (cli.md §5.8): POST pods in a namespace, GET such a pod (each GET moves it one
//   step along its node's PodLifecycle: Pending → Running → Succeeded, or Failed with a reason, or
//   a container waiting with ImagePullBackOff, or never completing), GET pods/NAME/log (the
//   lifecycle's log, e.g. a fixture node's NodeObservation), DELETE pods (recorded with the grace
//   period); created pods show in pod lists until deleted;
// * Status objects for 400/401/403/404/410/5xx; an optional bearer-token check (401);
// * faults per path and per node: latency, a status, a hang (for timeouts), a reset connection,
//   "node disappears" (still listed, 404 on get and proxy), expired continue tokens (410);
// * TLS with a CA made on the fly (tls-certs.ts), and a kubeconfig file for all of this;
// * a request log for assertions.
//
// Big clusters: every object is serialised once when loaded; lists are written from those strings
// in chunks, filtered lists are cached per query between pages, so 150,000 pods page as fast as
// the client reads.

import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  labelsOf,
  matchesLabels,
  parseLabelSelector,
  SelectorSyntaxError,
} from '../../src/parse/label-selector.js';
import type { Labels, SelectorRequirement } from '../../src/parse/label-selector.js';
import { makeTestCertificates } from './tls-certs.js';

type Obj = Record<string, unknown>;

/** A metrics body: text, or its bytes (UTF-8) when the caller has them already (big clusters). */
export type MetricsBody = string | Uint8Array;

export interface KubeletEndpoints {
  /** the /configz body: an object (serialised) or text as served */
  readonly configz?: object | string;
  readonly metrics?: MetricsBody;
  /** one body, or successive scrapes (the last repeats) */
  readonly cadvisor?: MetricsBody | readonly MetricsBody[];
}

export type ProxyPath = 'configz' | 'metrics' | 'metrics/cadvisor';

export interface Fault {
  readonly method?: string;
  /** exact request path, or a pattern on it */
  readonly path?: string | RegExp;
  /** only requests about this node: GET /api/v1/nodes/N and its proxy paths */
  readonly node?: string;
  /** only this node proxy path (with `node`, or for every node) */
  readonly proxy?: ProxyPath;
  /** wait this long before answering (combined with the other effects, or alone) */
  readonly latencyMs?: number;
  /** answer with a Status of this code */
  readonly status?: number;
  /** never answer (until the client gives up or the server closes) */
  readonly hang?: boolean;
  /** close the connection without an answer */
  readonly reset?: boolean;
  /** how many requests it applies to; default: all */
  readonly times?: number;
}

export interface DenyRule {
  /** get, list, create, … or '*' */
  readonly verb: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** only in this namespace; default: every scope */
  readonly namespace?: string;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly accept: string;
  readonly authorization: string | undefined;
  /** 0 while pending, or for a hang or a reset */
  status: number;
}

/** One state of a created pod, as a GET of the pod shows it. */
export interface PodStep {
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** status.reason (Failed: DeadlineExceeded, Evicted, …) */
  readonly reason?: string;
  /** the container waits with this reason (ContainerCreating, ImagePullBackOff, …) */
  readonly waiting?: string;
  /** Succeeded/Failed: the container's exit code (default 0 / 1) */
  readonly exitCode?: number;
}

/** What a pod created on a node does: one step per GET (the last repeats), and its log. */
export interface PodLifecycle {
  readonly steps: readonly PodStep[];
  /** GET …/log; null: the container never started (400) */
  readonly log: string | null;
}

/** Pending, Running, then Succeeded with this log. */
export function succeedingPod(log: string): PodLifecycle {
  return {
    steps: [{ phase: 'Pending', waiting: 'ContainerCreating' }, { phase: 'Running' }, { phase: 'Succeeded' }],
    log,
  };
}

export interface DeletedPod {
  readonly namespace: string;
  readonly name: string;
  /** from the query or the DeleteOptions body; null when neither gave one */
  readonly gracePeriodSeconds: number | null;
}

export interface FakeApiServerOptions {
  readonly nodes?: readonly object[];
  readonly pods?: readonly object[];
  /** extra namespaces (those of the pods, default and kube-system always exist) */
  readonly namespaces?: readonly string[];
  /** kubelet answers per node; a node without an entry answers /configz, /metrics… with 404 */
  readonly kubelet?: Readonly<Record<string, KubeletEndpoints>>;
  /** serve HTTPS with a fresh CA (default: plain HTTP) */
  readonly tls?: boolean;
  /** require `Authorization: Bearer <token>`; default: no authentication */
  readonly token?: string;
  /** the user named in 403 messages */
  readonly user?: string;
  /** what /version reports; kubectl from gcloud picks its version from it */
  readonly gitVersion?: string;
}

export interface KubeconfigOptions {
  readonly context?: string;
  readonly cluster?: string;
  readonly user?: string;
  readonly namespace?: string;
  /** the bearer token (default: the server's token, if any) */
  readonly token?: string | null;
  /** TLS: trust the CA (default) or skip verification */
  readonly insecure?: boolean;
  /** TLS: write the CA to this file and reference it, instead of certificate-authority-data */
  readonly caFile?: string;
  /** another server URL (an unreachable one, say) */
  readonly server?: string;
}

interface Stored {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly obj: Obj;
  readonly json: string;
  /** pods */
  readonly nodeName: string;
  readonly phase: string;
  row?: string;
}

interface ListCache {
  readonly key: string;
  readonly rv: number;
  readonly items: readonly Stored[];
}

class HttpStatus extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const PROXY_PATHS: readonly ProxyPath[] = ['configz', 'metrics', 'metrics/cadvisor'];
const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const CHUNK = 2000;

function meta(o: Obj): Obj {
  const m = o.metadata;
  return typeof m === 'object' && m !== null ? (m as Obj) : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** k8s.io/apimachinery duration.HumanDuration, as the API server fills Table "Age" cells. */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (y < 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

function ageOf(o: Obj): string {
  const t = Date.parse(str(meta(o).creationTimestamp));
  return Number.isNaN(t) ? '<unknown>' : humanDuration((Date.now() - t) / 1000);
}

// ----- Table columns (pkg/printers/internalversion/printers.go) --------------------------------

interface Column {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly priority: number;
}

const col = (name: string, type: string, priority = 0, format = ''): Column => ({
  name,
  type,
  format,
  priority,
});

const POD_COLUMNS: readonly Column[] = [
  col('Name', 'string', 0, 'name'),
  col('Ready', 'string'),
  col('Status', 'string'),
  col('Restarts', 'string'),
  col('Age', 'string'),
  col('IP', 'string', 1),
  col('Node', 'string', 1),
  col('Nominated Node', 'string', 1),
  col('Readiness Gates', 'string', 1),
];

const NODE_COLUMNS: readonly Column[] = [
  col('Name', 'string', 0, 'name'),
  col('Status', 'string'),
  col('Roles', 'string'),
  col('Age', 'string'),
  col('Version', 'string'),
  col('Internal-IP', 'string', 1),
  col('External-IP', 'string', 1),
  col('OS-Image', 'string', 1),
  col('Kernel-Version', 'string', 1),
  col('Container-Runtime', 'string', 1),
];

const NAMESPACE_COLUMNS: readonly Column[] = [
  col('Name', 'string', 0, 'name'),
  col('Status', 'string'),
  col('Age', 'string'),
];

function podCells(o: Obj): unknown[] {
  const spec = (o.spec ?? {}) as Obj;
  const status = (o.status ?? {}) as Obj;
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  const statuses = (Array.isArray(status.containerStatuses) ? status.containerStatuses : []) as Obj[];
  const ready = statuses.filter((s) => s.ready === true).length;
  const restarts = statuses.reduce(
    (n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0),
    0,
  );
  let reason = str(status.reason) || str(status.phase) || 'Unknown';
  for (const s of statuses) {
    const state = (s.state ?? {}) as Obj;
    const waiting = state.waiting as Obj | undefined;
    const terminated = state.terminated as Obj | undefined;
    if (waiting !== undefined && str(waiting.reason) !== '') reason = str(waiting.reason);
    else if (terminated !== undefined && str(terminated.reason) !== '') reason = str(terminated.reason);
  }
  if (meta(o).deletionTimestamp !== undefined) reason = 'Terminating';
  return [
    str(meta(o).name),
    `${ready}/${containers.length}`,
    reason,
    String(restarts),
    ageOf(o),
    str(status.podIP) || '<none>',
    str(spec.nodeName) || '<none>',
    str(status.nominatedNodeName) || '<none>',
    '<none>',
  ];
}

function nodeCells(o: Obj): unknown[] {
  const status = (o.status ?? {}) as Obj;
  const spec = (o.spec ?? {}) as Obj;
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Obj[];
  const readyCond = conditions.find((c) => c.type === 'Ready');
  const states = [readyCond === undefined ? 'Unknown' : readyCond.status === 'True' ? 'Ready' : 'NotReady'];
  if (spec.unschedulable === true) states.push('SchedulingDisabled');
  const roles = Object.keys(labelsOf(o))
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .sort();
  const info = (status.nodeInfo ?? {}) as Obj;
  const addresses = (Array.isArray(status.addresses) ? status.addresses : []) as Obj[];
  const addr = (type: string) => str(addresses.find((a) => a.type === type)?.address) || '<none>';
  return [
    str(meta(o).name),
    states.join(','),
    roles.length === 0 ? '<none>' : roles.join(','),
    ageOf(o),
    str(info.kubeletVersion),
    addr('InternalIP'),
    addr('ExternalIP'),
    str(info.osImage) || '<unknown>',
    str(info.kernelVersion) || '<unknown>',
    str(info.containerRuntimeVersion) || '<unknown>',
  ];
}

function namespaceCells(o: Obj): unknown[] {
  return [str(meta(o).name), str(((o.status ?? {}) as Obj).phase) || 'Active', ageOf(o)];
}

// ----- field selectors -------------------------------------------------------------------------

interface FieldRequirement {
  readonly field: string;
  readonly equal: boolean;
  readonly value: string;
}

const FIELDS: Readonly<Record<'pods' | 'nodes' | 'namespaces', readonly string[]>> = {
  pods: ['spec.nodeName', 'metadata.name', 'metadata.namespace', 'status.phase'],
  nodes: ['metadata.name', 'spec.unschedulable'],
  namespaces: ['metadata.name', 'status.phase'],
};

function parseFieldSelector(text: string, resource: keyof typeof FIELDS): FieldRequirement[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (m === null)
      throw new HttpStatus(400, 'BadRequest', `invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1] ?? '';
    if (!FIELDS[resource].includes(field)) {
      throw new HttpStatus(
        400,
        'BadRequest',
        `"${field}" is not a known field selector: only "${FIELDS[resource].join('", "')}"`,
      );
    }
    return { field, equal: m[2] !== '!=', value: m[3] ?? '' };
  });
}

function fieldValue(s: Stored, field: string): string {
  switch (field) {
    case 'spec.nodeName':
      return s.nodeName;
    case 'metadata.name':
      return s.name;
    case 'metadata.namespace':
      return s.namespace;
    case 'status.phase':
      return s.phase;
    case 'spec.unschedulable':
      return String(((s.obj.spec ?? {}) as Obj).unschedulable === true);
    default:
      return '';
  }
}

function store(o: object): Stored {
  const json = JSON.stringify(o);
  // the fields are read from our own JSON: strings parsed out of the caller's JSON text would
  // keep that whole text alive (V8 slices long strings out of JSON.parse's input)
  const obj = JSON.parse(json) as Obj;
  const m = meta(obj);
  return {
    name: str(m.name),
    namespace: str(m.namespace),
    labels: labelsOf(obj),
    // parsed again when asked (tables, spec.unschedulable, status updates): the objects of a big
    // cluster are held only as their JSON text, which the garbage collector never has to walk
    get obj(): Obj {
      return JSON.parse(json) as Obj;
    },
    json,
    nodeName: str(((obj.spec ?? {}) as Obj).nodeName),
    phase: str(((obj.status ?? {}) as Obj).phase),
  };
}

const byKey = (a: Stored, b: Stored) =>
  a.namespace < b.namespace
    ? -1
    : a.namespace > b.namespace
      ? 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0;

/** A running fake API server; `await FakeApiServer.start({...})`, `await server.close()`. */
export class FakeApiServer {
  readonly requests: RequestRecord[] = [];
  private pods: Stored[] = [];
  private nodes: Stored[] = [];
  private namespaces: Stored[] = [];
  private podsByNode = new Map<string, Stored[]>();
  private rv = 1;
  private cache: ListCache | null = null;
  private readonly faults: { fault: Fault; left: number }[] = [];
  private readonly denies: DenyRule[] = [];
  private readonly vanished = new Set<string>();
  private readonly kubelet = new Map<string, KubeletEndpoints>();
  private readonly scrapes = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  private readonly opts: Omit<FakeApiServerOptions, 'nodes' | 'pods'>;
  private readonly lifecycles = new Map<string, PodLifecycle>();
  /** created pods by "namespace/name": their lifecycle and how many GETs they have seen */
  private readonly running = new Map<string, { lifecycle: PodLifecycle; gets: number }>();
  private uids = 0;
  /** bodies of POST …/pods, in order */
  readonly createdPods: Obj[] = [];
  /** DELETE …/pods/NAME requests that deleted a pod, in order */
  readonly deletedPods: DeletedPod[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** PEM of the CA when serving TLS */
    readonly caCert: string | null,
    opts: FakeApiServerOptions,
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // the objects live on as their stored JSON only (a big cluster's would fill the heap)
    const { nodes, pods, ...rest } = opts;
    this.opts = rest;
    this.load(nodes ?? [], pods ?? [], opts.namespaces ?? []);
    for (const [node, k] of Object.entries(opts.kubelet ?? {})) this.kubelet.set(node, k);
  }

  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const certs = opts.tls === true ? makeTestCertificates() : null;
    // the handler exists before the server object that answers through it
    const ref: { self?: FakeApiServer } = {};
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      const self = ref.self;
      if (self === undefined) {
        res.writeHead(503).end();
        return;
      }
      self.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) self.sendStatus(res, new HttpStatus(500, 'InternalError', String(e)));
        else res.destroy();
      });
    };
    const server =
      certs === null
        ? createHttpServer(handler)
        : createHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, handler);
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const self = new FakeApiServer(
      server,
      `${certs === null ? 'http' : 'https'}://127.0.0.1:${port}`,
      certs?.caCert ?? null,
      opts,
    );
    ref.self = self;
    return self;
  }

  /** Replaces the cluster's objects (continue tokens of earlier lists expire: 410). */
  load(nodes: readonly object[], pods: readonly object[], namespaces: readonly string[] = []): void {
    this.nodes = nodes.map(store).sort(byKey);
    this.pods = pods.map(store).sort(byKey);
    this.podsByNode = new Map();
    for (const p of this.pods) {
      if (p.nodeName === '') continue;
      const list = this.podsByNode.get(p.nodeName);
      if (list === undefined) this.podsByNode.set(p.nodeName, [p]);
      else list.push(p);
    }
    const nsNames = new Set(['default', 'kube-system', ...namespaces, ...this.pods.map((p) => p.namespace)]);
    this.namespaces = [...nsNames].sort().map((name) =>
      store({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          creationTimestamp: '2026-01-01T00:00:00Z',
          labels: { 'kubernetes.io/metadata.name': name },
        },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      }),
    );
    this.bumpResourceVersion();
  }

  /** Makes every outstanding continue token stale: the next page is 410 Expired. */
  bumpResourceVersion(): void {
    this.rv++;
    this.cache = null;
  }

  setKubelet(node: string, endpoints: KubeletEndpoints): void {
    this.kubelet.set(node, endpoints);
    this.scrapes.delete(node);
  }

  /** What pods created on `node` do from now on (default: succeedingPod("")). */
  setPodLifecycle(node: string, lifecycle: PodLifecycle): void {
    this.lifecycles.set(node, lifecycle);
  }

  /** Removes every deny rule. */
  allow(): void {
    this.denies.length = 0;
  }

  /** Removes the pods created through POST and not deleted (as a user deleting them by hand). */
  removeCreatedPods(): void {
    for (const key of this.running.keys()) {
      const [ns, name] = key.split('/');
      this.pods = this.pods.filter((p) => p.namespace !== ns || p.name !== name);
      for (const [node, list] of this.podsByNode)
        this.podsByNode.set(
          node,
          list.filter((p) => p.namespace !== ns || p.name !== name),
        );
    }
    this.running.clear();
    this.cache = null;
  }

  /** Pods created through POST and not deleted, as "namespace/name". */
  livePods(): string[] {
    return [...this.running.keys()].sort();
  }

  /** Adds a fault; returns a function that removes it. */
  inject(fault: Fault): () => void {
    const entry = { fault, left: fault.times ?? Number.POSITIVE_INFINITY };
    this.faults.push(entry);
    return () => {
      const i = this.faults.indexOf(entry);
      if (i >= 0) this.faults.splice(i, 1);
    };
  }

  /** Denies an action (403 on the request, allowed: false in access reviews). */
  deny(rule: DenyRule): void {
    this.denies.push(rule);
  }

  /** The node stays in lists but GET and its proxy paths answer 404, as after a deletion. */
  vanishNode(name: string): void {
    this.vanished.add(name);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** The requests made so far, as "GET /api/v1/nodes?limit=500" strings. */
  requestLines(): string[] {
    return this.requests.map((r) => {
      const q = new URLSearchParams(r.query).toString();
      return `${r.method} ${r.path}${q === '' ? '' : `?${q}`}`;
    });
  }

  kubeconfig(opts: KubeconfigOptions = {}): object {
    const context = opts.context ?? 'fake';
    const clusterName = opts.cluster ?? `${context}-cluster`;
    const userName = opts.user ?? `${context}-user`;
    const cluster: Obj = { server: opts.server ?? this.url };
    if (this.caCert !== null && opts.insecure === true) cluster['insecure-skip-tls-verify'] = true;
    else if (this.caCert !== null && opts.caFile !== undefined)
      cluster['certificate-authority'] = opts.caFile;
    else if (this.caCert !== null)
      cluster['certificate-authority-data'] = Buffer.from(this.caCert).toString('base64');
    const token = opts.token === undefined ? this.opts.token : opts.token;
    const ctx: Obj = { cluster: clusterName, user: userName };
    if (opts.namespace !== undefined) ctx.namespace = opts.namespace;
    return {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: clusterName, cluster }],
      contexts: [{ name: context, context: ctx }],
      users: [{ name: userName, user: token === null || token === undefined ? {} : { token } }],
      'current-context': context,
    };
  }

  /**
   * Writes a kubeconfig (YAML) for this server; with `caFile`, the CA PEM is written there too
   * (a relative caFile is relative to the kubeconfig, as kubectl reads it).
   */
  async writeKubeconfig(path: string, opts: KubeconfigOptions = {}): Promise<void> {
    if (opts.caFile !== undefined && this.caCert !== null) {
      await writeFile(resolve(dirname(path), opts.caFile), this.caCert);
    }
    await writeFile(path, stringify(this.kubeconfig(opts)));
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  // ----- request handling ----------------------------------------------------------------------

  private matchFault(method: string, path: string, node: string | null, proxy: string | null): Fault | null {
    for (const entry of this.faults) {
      const f = entry.fault;
      if (entry.left <= 0) continue;
      if (f.method !== undefined && f.method !== method) continue;
      if (typeof f.path === 'string' && f.path !== path) continue;
      if (f.path instanceof RegExp && !f.path.test(path)) continue;
      if (f.node !== undefined && f.node !== node) continue;
      if (f.proxy !== undefined && f.proxy !== proxy) continue;
      entry.left--;
      return f;
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const record: RequestRecord = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      accept: req.headers.accept ?? '',
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    const nodeMatch = /^\/api\/v1\/nodes\/([^/]+)(?:\/proxy\/(.*))?$/.exec(path);
    const node = nodeMatch === null ? null : decodeURIComponent(nodeMatch[1] ?? '');
    const proxy = nodeMatch?.[2] ?? null;
    const fault = this.matchFault(method, path, node, proxy);
    if (fault !== null) {
      if (fault.latencyMs !== undefined) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.hang === true) {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      if (fault.reset === true) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const reason = REASONS[fault.status] ?? 'InternalError';
        const message =
          proxy !== null
            ? `error trying to reach service: ${reason}`
            : `the server has received an error: ${reason}`;
        this.sendStatus(res, new HttpStatus(fault.status, reason, message));
        return;
      }
    }
    try {
      if (this.opts.token !== undefined && req.headers.authorization !== `Bearer ${this.opts.token}`) {
        throw new HttpStatus(401, 'Unauthorized', 'Unauthorized');
      }
      const body = method === 'POST' || method === 'DELETE' ? await readBody(req) : Buffer.alloc(0);
      this.route(method, path, url.searchParams, req.headers, body, res);
    } catch (e) {
      if (!(e instanceof HttpStatus)) throw e;
      this.sendStatus(res, e);
    }
  }

  private route(
    method: string,
    path: string,
    q: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
  ): void {
    const accept = headers.accept ?? '';
    if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      this.accessReview(body, headers['content-type'] ?? '', res);
      return;
    }
    const podPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?(\/log)?$/.exec(path);
    if (method === 'POST' && podPath !== null && podPath[2] === undefined) {
      this.createPod(decodeURIComponent(podPath[1] ?? ''), body, res);
      return;
    }
    if (method === 'DELETE' && podPath !== null && podPath[2] !== undefined && podPath[3] === undefined) {
      this.deletePod(decodeURIComponent(podPath[1] ?? ''), decodeURIComponent(podPath[2]), q, body, res);
      return;
    }
    if (method === 'GET' && podPath !== null && podPath[2] !== undefined && podPath[3] !== undefined) {
      this.podLog(decodeURIComponent(podPath[1] ?? ''), decodeURIComponent(podPath[2]), res);
      return;
    }
    if (method !== 'GET')
      throw new HttpStatus(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    const discovery = this.discovery(path);
    if (discovery !== null) {
      sendJson(res, 200, JSON.stringify(discovery));
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/(.*)$/.exec(path)) !== null) {
      this.nodeProxy(decodeURIComponent(m[1] ?? ''), m[2] ?? '', res);
      return;
    }
    if (path === '/api/v1/nodes') {
      this.authorize('list', 'nodes', '', '', '');
      this.list(this.nodes, 'nodes', 'NodeList', q, accept, res);
      return;
    }
    if ((m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path)) !== null) {
      const name = decodeURIComponent(m[1] ?? '');
      this.authorize('get', 'nodes', '', name, '');
      const n = this.vanished.has(name) ? undefined : this.nodes.find((x) => x.name === name);
      if (n === undefined) throw notFound('nodes', name);
      this.single(n, 'nodes', accept, res);
      return;
    }
    if (path === '/api/v1/pods') {
      this.authorize('list', 'pods', '', '', '');
      this.list(this.pods, 'pods', 'PodList', q, accept, res);
      return;
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(path)) !== null) {
      const ns = decodeURIComponent(m[1] ?? '');
      this.authorize('list', 'pods', '', '', ns);
      this.list(this.pods, 'pods', 'PodList', q, accept, res, ns);
      return;
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path)) !== null) {
      const ns = decodeURIComponent(m[1] ?? '');
      const name = decodeURIComponent(m[2] ?? '');
      this.authorize('get', 'pods', '', name, ns);
      this.advance(ns, name);
      const p = this.pods.find((x) => x.namespace === ns && x.name === name);
      if (p === undefined) throw notFound('pods', name);
      this.single(p, 'pods', accept, res);
      return;
    }
    if (path === '/api/v1/namespaces') {
      this.authorize('list', 'namespaces', '', '', '');
      this.list(this.namespaces, 'namespaces', 'NamespaceList', q, accept, res);
      return;
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path)) !== null) {
      const name = decodeURIComponent(m[1] ?? '');
      this.authorize('get', 'namespaces', '', name, '');
      const n = this.namespaces.find((x) => x.name === name);
      if (n === undefined) throw notFound('namespaces', name);
      this.single(n, 'namespaces', accept, res);
      return;
    }
    throw new HttpStatus(404, 'NotFound', 'the server could not find the requested resource');
  }

  // ----- created pods (collector pods) ----------------------------------------------------------

  private putPod(obj: Obj): void {
    const stored = store(obj);
    this.pods = [
      ...this.pods.filter((p) => !(p.namespace === stored.namespace && p.name === stored.name)),
      stored,
    ].sort(byKey);
    if (stored.nodeName !== '') {
      const list = (this.podsByNode.get(stored.nodeName) ?? []).filter(
        (p) => p.name !== stored.name || p.namespace !== stored.namespace,
      );
      this.podsByNode.set(stored.nodeName, [...list, stored].sort(byKey));
    }
    this.cache = null;
  }

  private createPod(ns: string, body: Buffer, res: ServerResponse): void {
    let pod: Obj;
    try {
      pod = JSON.parse(body.toString('utf8')) as Obj;
    } catch {
      throw new HttpStatus(400, 'BadRequest', 'the request body is not JSON');
    }
    const name = str(meta(pod).name);
    this.authorize('create', 'pods', '', name, ns);
    if (!this.namespaces.some((n) => n.name === ns)) throw notFound('namespaces', ns);
    if (name === '') throw new HttpStatus(422, 'Invalid', 'Pod "" is invalid: metadata.name: Required value');
    if (this.pods.some((p) => p.namespace === ns && p.name === name)) {
      throw new HttpStatus(409, 'AlreadyExists', `pods "${name}" already exists`, { name, kind: 'pods' });
    }
    this.createdPods.push(pod);
    const node = str(((pod.spec ?? {}) as Obj).nodeName);
    const lifecycle = this.lifecycles.get(node) ?? succeedingPod('');
    this.running.set(`${ns}/${name}`, { lifecycle, gets: 0 });
    const created: Obj = {
      ...pod,
      metadata: {
        ...meta(pod),
        namespace: ns,
        uid: `00000000-0000-4000-8000-${String(++this.uids).padStart(12, '0')}`,
        creationTimestamp: '2026-05-12T10:01:07Z',
      },
      status: podStatus(pod, { phase: 'Pending' }),
    };
    this.putPod(created);
    sendJson(res, 201, JSON.stringify(created));
  }

  /** A GET of a created pod: its next lifecycle step. */
  private advance(ns: string, name: string): void {
    const r = this.running.get(`${ns}/${name}`);
    if (r === undefined) return;
    const steps = r.lifecycle.steps;
    const step = steps[Math.min(r.gets, steps.length - 1)] ?? { phase: 'Pending' };
    r.gets++;
    const current = this.pods.find((p) => p.namespace === ns && p.name === name);
    if (current !== undefined) this.putPod({ ...current.obj, status: podStatus(current.obj, step) });
  }

  private podLog(ns: string, name: string, res: ServerResponse): void {
    this.authorize('get', 'pods', 'log', name, ns);
    if (!this.pods.some((p) => p.namespace === ns && p.name === name)) throw notFound('pods', name);
    const log = this.running.get(`${ns}/${name}`)?.lifecycle.log ?? null;
    if (log === null) {
      throw new HttpStatus(400, 'BadRequest', `container "collect" in pod "${name}" is waiting to start`);
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(log);
  }

  private deletePod(ns: string, name: string, q: URLSearchParams, body: Buffer, res: ServerResponse): void {
    this.authorize('delete', 'pods', '', name, ns);
    const p = this.pods.find((x) => x.namespace === ns && x.name === name);
    if (p === undefined) throw notFound('pods', name);
    let grace: number | null = q.has('gracePeriodSeconds') ? Number(q.get('gracePeriodSeconds')) : null;
    if (grace === null && body.length > 0) {
      const options = JSON.parse(body.toString('utf8')) as Obj;
      if (typeof options.gracePeriodSeconds === 'number') grace = options.gracePeriodSeconds;
    }
    this.deletedPods.push({ namespace: ns, name, gracePeriodSeconds: grace });
    this.running.delete(`${ns}/${name}`);
    this.pods = this.pods.filter((x) => x !== p);
    if (p.nodeName !== '')
      this.podsByNode.set(
        p.nodeName,
        (this.podsByNode.get(p.nodeName) ?? []).filter((x) => x !== p),
      );
    this.cache = null;
    sendJson(res, 200, p.json);
  }

  private user(): string {
    return this.opts.user ?? 'system:serviceaccount:default:podres-test';
  }

  private isDenied(verb: string, resource: string, sub: string, name: string, ns: string): boolean {
    return this.denies.some(
      (r) =>
        (r.verb === '*' || r.verb === verb) &&
        r.resource === resource &&
        (r.subresource ?? '') === sub &&
        (r.name === undefined || r.name === name) &&
        (r.namespace === undefined || r.namespace === ns),
    );
  }

  private authorize(verb: string, resource: string, sub: string, name: string, ns: string): void {
    if (!this.isDenied(verb, resource, sub, name, ns)) return;
    const full = sub === '' ? resource : `${resource}/${sub}`;
    const what = name === '' ? resource : `${resource} "${name}"`;
    const scope = ns === '' ? 'at the cluster scope' : `in the namespace "${ns}"`;
    throw new HttpStatus(
      403,
      'Forbidden',
      `${what} is forbidden: User "${this.user()}" cannot ${verb} resource "${full}" in API group "" ${scope}`,
      { ...(name === '' ? {} : { name }), kind: resource },
    );
  }

  private accessReview(body: Buffer, contentType: string, res: ServerResponse): void {
    let review: Obj;
    if (contentType.startsWith('application/vnd.kubernetes.protobuf')) {
      // kubectl auth can-i posts protobuf; the answer may be JSON (its Accept allows it)
      review = { spec: { resourceAttributes: ssarAttributesFromProtobuf(body) } };
    } else {
      try {
        review = JSON.parse(body.toString('utf8')) as Obj;
      } catch {
        throw new HttpStatus(400, 'BadRequest', 'the request body is not JSON');
      }
    }
    const attrs = (((review.spec ?? {}) as Obj).resourceAttributes ?? {}) as Obj;
    const denied = this.isDenied(
      str(attrs.verb),
      str(attrs.resource),
      str(attrs.subresource),
      str(attrs.name),
      str(attrs.namespace),
    );
    const out = {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: review.spec ?? {},
      status: denied
        ? { allowed: false, denied: true }
        : { allowed: true, reason: 'allowed by the fake API server' },
    };
    sendJson(res, 201, JSON.stringify(out));
  }

  private nodeProxy(name: string, sub: string, res: ServerResponse): void {
    this.authorize('get', 'nodes', 'proxy', name, '');
    if (this.vanished.has(name) || !this.nodes.some((n) => n.name === name)) throw notFound('nodes', name);
    const k = this.kubelet.get(name);
    if (!(PROXY_PATHS as readonly string[]).includes(sub) || k === undefined) {
      // the kubelet's own mux answers unknown paths with a plain 404
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (sub === 'configz') {
      if (k.configz === undefined) throw new HttpStatus(404, 'NotFound', 'configz not served');
      sendJson(res, 200, typeof k.configz === 'string' ? k.configz : JSON.stringify(k.configz));
      return;
    }
    const text = sub === 'metrics' ? k.metrics : this.nextScrape(name, k.cadvisor);
    if (text === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': METRICS_TYPE }).end(text);
  }

  private nextScrape(
    node: string,
    c: MetricsBody | readonly MetricsBody[] | undefined,
  ): MetricsBody | undefined {
    if (c === undefined || typeof c === 'string' || c instanceof Uint8Array) return c;
    const i = this.scrapes.get(node) ?? 0;
    this.scrapes.set(node, i + 1);
    return c[Math.min(i, c.length - 1)];
  }

  private discovery(path: string): object | null {
    const host = new URL(this.url).host;
    switch (path) {
      case '/version':
        return versionInfo(this.opts.gitVersion ?? 'v1.33.2');
      case '/api':
        return {
          kind: 'APIVersions',
          versions: ['v1'],
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
        };
      case '/apis':
        return {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [AUTHORIZATION_GROUP],
        };
      case '/apis/authorization.k8s.io':
        return { kind: 'APIGroup', apiVersion: 'v1', ...AUTHORIZATION_GROUP };
      case '/api/v1':
        return CORE_RESOURCES;
      case '/apis/authorization.k8s.io/v1':
        return AUTHORIZATION_RESOURCES;
      default:
        return null;
    }
  }

  private filtered(
    all: readonly Stored[],
    resource: 'pods' | 'nodes' | 'namespaces',
    q: URLSearchParams,
    ns: string,
  ): readonly Stored[] {
    const labelText = q.get('labelSelector') ?? '';
    const fieldText = q.get('fieldSelector') ?? '';
    if (labelText === '' && fieldText === '' && ns === '') return all;
    const key = `${resource}|${ns}|${labelText}|${fieldText}`;
    if (this.cache !== null && this.cache.key === key && this.cache.rv === this.rv) return this.cache.items;
    let labels: readonly SelectorRequirement[];
    try {
      labels = parseLabelSelector(labelText);
    } catch (e) {
      if (!(e instanceof SelectorSyntaxError)) throw e;
      throw new HttpStatus(400, 'BadRequest', `unable to parse requirement: ${e.message}`);
    }
    const fields = parseFieldSelector(fieldText, resource);
    // the pods of one node come from the index (the kubelet's own list, and ours)
    const nodeEq =
      resource === 'pods' ? fields.find((f) => f.field === 'spec.nodeName' && f.equal) : undefined;
    const base = nodeEq !== undefined ? (this.podsByNode.get(nodeEq.value) ?? []) : all;
    const items = base.filter(
      (s) =>
        (ns === '' || s.namespace === ns) &&
        matchesLabels(labels, s.labels) &&
        fields.every((f) => (fieldValue(s, f.field) === f.value) === f.equal),
    );
    this.cache = { key, rv: this.rv, items };
    return items;
  }

  private list(
    all: readonly Stored[],
    resource: 'pods' | 'nodes' | 'namespaces',
    kind: string,
    q: URLSearchParams,
    accept: string,
    res: ServerResponse,
    ns = '',
  ): void {
    const items = this.filtered(all, resource, q, ns);
    let offset = 0;
    const token = q.get('continue') ?? '';
    if (token !== '') {
      let parsed: { rv?: unknown; o?: unknown; k?: unknown };
      try {
        parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
      } catch {
        throw new HttpStatus(400, 'BadRequest', 'continue key is not valid: illegal base64 data');
      }
      if (parsed.rv !== this.rv) {
        throw new HttpStatus(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      offset = typeof parsed.o === 'number' ? parsed.o : 0;
    }
    const limitText = q.get('limit');
    const limit = limitText === null || limitText === '' ? 0 : Number(limitText);
    const end = limit > 0 ? Math.min(items.length, offset + limit) : items.length;
    const more = end < items.length;
    const listMeta: Obj = { resourceVersion: String(this.rv) };
    if (more) {
      listMeta.continue = Buffer.from(JSON.stringify({ rv: this.rv, o: end })).toString('base64url');
      listMeta.remainingItemCount = items.length - end;
    }
    const table = tableVersion(accept);
    if (table !== null) {
      const columns =
        resource === 'pods' ? POD_COLUMNS : resource === 'nodes' ? NODE_COLUMNS : NAMESPACE_COLUMNS;
      this.sendTable(
        res,
        table,
        columns,
        listMeta,
        items,
        offset,
        end,
        resource,
        q.get('includeObject') ?? 'Metadata',
      );
      return;
    }
    const head = `{"kind":"${kind}","apiVersion":"v1","metadata":${JSON.stringify(listMeta)},"items":[`;
    writeChunked(res, 'application/json', head, items, offset, end, (s) => s.json, ']}');
  }

  private single(
    s: Stored,
    resource: 'pods' | 'nodes' | 'namespaces',
    accept: string,
    res: ServerResponse,
  ): void {
    const table = tableVersion(accept);
    if (table === null) {
      sendJson(res, 200, s.json);
      return;
    }
    const columns =
      resource === 'pods' ? POD_COLUMNS : resource === 'nodes' ? NODE_COLUMNS : NAMESPACE_COLUMNS;
    this.sendTable(
      res,
      table,
      columns,
      { resourceVersion: String(this.rv) },
      [s],
      0,
      1,
      resource,
      'Metadata',
    );
  }

  private sendTable(
    res: ServerResponse,
    version: string,
    columns: readonly Column[],
    listMeta: Obj,
    items: readonly Stored[],
    from: number,
    to: number,
    resource: 'pods' | 'nodes' | 'namespaces',
    includeObject: string,
  ): void {
    const cells = resource === 'pods' ? podCells : resource === 'nodes' ? nodeCells : namespaceCells;
    const head =
      `{"kind":"Table","apiVersion":"meta.k8s.io/${version}","metadata":${JSON.stringify(listMeta)},` +
      `"columnDefinitions":${JSON.stringify(columns.map((c) => ({ ...c, description: c.name })))},"rows":[`;
    const row = (s: Stored): string => {
      if (includeObject === 'Metadata' && s.row !== undefined) return s.row;
      const object =
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? s.obj
            : { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: meta(s.obj) };
      const text = JSON.stringify(
        object === undefined ? { cells: cells(s.obj) } : { cells: cells(s.obj), object },
      );
      if (includeObject === 'Metadata') s.row = text;
      return text;
    };
    writeChunked(
      res,
      `application/json;as=Table;v=${version};g=meta.k8s.io`,
      head,
      items,
      from,
      to,
      row,
      ']}',
    );
  }

  private sendStatus(res: ServerResponse, e: HttpStatus): void {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: e.message,
      reason: e.reason,
      ...(e.details === undefined ? {} : { details: e.details }),
      code: e.code,
    };
    sendJson(res, e.code, JSON.stringify(status));
  }
}

/** The status of a pod at a lifecycle step: phase, reason, one status per container. */
function podStatus(pod: Obj, step: PodStep): Obj {
  const containers = Array.isArray(((pod.spec ?? {}) as Obj).containers)
    ? ((pod.spec as Obj).containers as Obj[])
    : [];
  const state = (): Obj => {
    if (step.waiting !== undefined) return { waiting: { reason: step.waiting } };
    if (step.phase === 'Running') return { running: { startedAt: '2026-05-12T10:01:08Z' } };
    if (step.phase === 'Succeeded' || (step.phase === 'Failed' && step.exitCode !== undefined)) {
      const exitCode = step.exitCode ?? 0;
      return { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } };
    }
    return { waiting: { reason: 'ContainerCreating' } };
  };
  return {
    phase: step.phase,
    ...(step.reason === undefined ? {} : { reason: step.reason }),
    containerStatuses: containers.map((c) => ({
      name: str(c.name),
      image: str(c.image),
      ready: step.phase === 'Running' && step.waiting === undefined,
      restartCount: 0,
      state: state(),
    })),
  };
}

function notFound(resource: string, name: string): HttpStatus {
  return new HttpStatus(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });
}

function tableVersion(accept: string): string | null {
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('as=Table') || !params.includes('g=meta.k8s.io')) continue;
    if (params.includes('v=v1')) return 'v1';
    if (params.includes('v=v1beta1')) return 'v1beta1';
  }
  return null;
}

function sendJson(res: ServerResponse, code: number, body: string): void {
  res
    .writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    .end(body);
}

/** head + items[from..to) joined by commas + tail, written in chunks (never one giant string). */
function writeChunked(
  res: ServerResponse,
  contentType: string,
  head: string,
  items: readonly Stored[],
  from: number,
  to: number,
  text: (s: Stored) => string,
  tail: string,
): void {
  res.writeHead(200, { 'content-type': contentType });
  if (to - from <= CHUNK) {
    const parts: string[] = [];
    for (let i = from; i < to; i++) parts.push(text(items[i] as Stored));
    res.end(head + parts.join(',') + tail);
    return;
  }
  let i = from;
  const pump = (): void => {
    while (i < to) {
      const parts: string[] = [];
      const stop = Math.min(to, i + CHUNK);
      for (; i < stop; i++) parts.push(text(items[i] as Stored));
      const chunk = (i - parts.length === from ? head : ',') + parts.join(',');
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  pump();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The length-delimited fields of a protobuf message, by field number (other wire types skipped). */
function protoFields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      if (b === undefined) throw new HttpStatus(400, 'BadRequest', 'truncated protobuf');
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) {
      const n = varint();
      out.set(Math.floor(key / 8), buf.subarray(i, i + n));
      i += n;
    } else throw new HttpStatus(400, 'BadRequest', `unsupported protobuf wire type ${wire}`);
  }
  return out;
}

/**
 * ResourceAttributes of a protobuf SelfSubjectAccessReview: the "k8s\0" envelope holds
 * runtime.Unknown{raw = 2}; SelfSubjectAccessReview{spec = 2}; spec{resourceAttributes = 1};
 * ResourceAttributes{namespace 1, verb 2, group 3, version 4, resource 5, subresource 6, name 7}.
 */
function ssarAttributesFromProtobuf(body: Buffer): Obj {
  if (body.subarray(0, 4).toString('latin1') !== 'k8s\0')
    throw new HttpStatus(400, 'BadRequest', 'not a protobuf envelope');
  const raw = protoFields(body.subarray(4)).get(2) ?? Buffer.alloc(0);
  const spec = protoFields(raw).get(2) ?? Buffer.alloc(0);
  const attrs = protoFields(protoFields(spec).get(1) ?? Buffer.alloc(0));
  const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
  const out: Obj = {};
  for (const [n, v] of attrs) if (n >= 1 && n <= 7) out[names[n] ?? ''] = v.toString('utf8');
  return out;
}

function versionInfo(gitVersion: string): object {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '33',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const AUTHORIZATION_GROUP = {
  name: 'authorization.k8s.io',
  versions: [{ groupVersion: 'authorization.k8s.io/v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'authorization.k8s.io/v1', version: 'v1' },
};

const READ = ['get', 'list', 'watch'];

const CORE_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: READ,
      shortNames: ['ns'],
    },
    { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: READ, shortNames: ['no'] },
    {
      name: 'nodes/proxy',
      singularName: '',
      namespaced: false,
      kind: 'NodeProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: READ,
      shortNames: ['po'],
      categories: ['all'],
    },
  ],
};

const AUTHORIZATION_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'authorization.k8s.io/v1',
  resources: [
    {
      name: 'selfsubjectaccessreviews',
      singularName: 'selfsubjectaccessreview',
      namespaced: false,
      kind: 'SelfSubjectAccessReview',
      verbs: ['create'],
    },
  ],
};
