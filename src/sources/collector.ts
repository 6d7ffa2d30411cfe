// Collector pods (cli.md §5.8, `--collector`): for each selected node without a node observation,
// one short-lived pod bound to the node runs `kubectl-podres collect` with the host's /sys and the
// kubelet root dir mounted read-only under /host; its log is the node's NodeObservation.
//
// Per node: create the pod, poll it until Succeeded or Failed (or a container waits for a reason
// that does not heal by waiting, such as ImagePullBackOff), read and parse the log, and delete the
// pod with grace period 0 whatever happened. A failure of any step is that node's `observation`
// source error (a warning); it never stops the run. A pod that cannot be deleted is a run warning
// (`cannot delete collector pod …; delete it by hand`).
//
// SIGINT/SIGTERM (cli.md §3 rule 4): a handler registered through the injected `onSignal` hook
// stops every wait at once; the pods created so far are deleted, then runCollectors rejects with
// InterruptedError (`error: interrupted`, exit 130/143). Nodes not started yet are not started.

import { InputError, InterruptedError } from '../errors.js';
import { parseObservation } from '../parse/observation.js';
import type { NodeObservation } from '../schema/observation.js';
import type { SnapshotNodeError } from '../schema/snapshot.js';
import { ClusterApiError } from './cluster/cluster-source.js';
import type { ClusterSource, KubeObject } from './cluster/cluster-source.js';
import { formatDuration } from './cluster/transport.js';

export const COLLECTOR_NAME_LABEL = 'app.kubernetes.io/name';
export const COLLECTOR_NAME_VALUE = 'podres-collector';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'kubectl-podres';
export const COLLECTOR_CONTAINER = 'collect';
/** The kubelet root dir on the host, mounted at /host/var/lib/kubelet. */
export const KUBELET_ROOT_DIR = '/var/lib/kubelet';
/** Time between two GETs of a collector pod. */
export const DEFAULT_POLL_MS = 1000;

/** The characters of Kubernetes' generateName suffixes (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
const NAME_PREFIX = 'podres-collect-';
/** Pod names are DNS subdomains. */
const MAX_NAME = 253;

/**
 * Container waiting reasons that waiting does not heal (the kubelet keeps retrying, but the pod
 * would only end at its deadline): the collector fails at once with the reason.
 */
const HOPELESS_WAITING = new Set([
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
]);

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/**
 * Registers a handler for SIGINT/SIGTERM for as long as collector pods may exist; returns the
 * function that removes it. cmd/ implements it on the process; tests call the handler themselves.
 */
export type SignalHook = (handler: (signal: InterruptSignal) => void) => () => void;

export interface CollectorSettings {
  /** --collector-image */
  readonly image: string;
  /** --collector-namespace */
  readonly namespace: string;
  /** --collector-timeout: creation to complete document, per node */
  readonly timeoutMs: number;
}

export interface CollectorOptions extends CollectorSettings {
  /** collector pods at once (--concurrency) */
  readonly concurrency: number;
  readonly clock: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** a number in [0, 1), for the pod name suffix */
  readonly random: () => number;
  readonly onSignal?: SignalHook;
  /** default DEFAULT_POLL_MS */
  readonly pollMs?: number;
}

/** The replaceable parts of a collector run (the read commands' deps). */
export interface CollectorDeps {
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onSignal?: SignalHook;
  readonly collectorPollMs?: number;
}

/** The collector run's options from its checked flags and the replaceable parts. */
export function collectorOptionsOf(
  settings: CollectorSettings,
  concurrency: number,
  deps: CollectorDeps,
): CollectorOptions {
  return {
    ...settings,
    concurrency,
    clock: deps.clock ?? (() => new Date()),
    sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    random: deps.random ?? Math.random,
    ...(deps.onSignal === undefined ? {} : { onSignal: deps.onSignal }),
    ...(deps.collectorPollMs === undefined ? {} : { pollMs: deps.collectorPollMs }),
  };
}

export interface CollectorTarget {
  readonly name: string;
  /** Node.status.nodeInfo.kubeletVersion, null when unknown (then not passed to collect) */
  readonly kubeletVersion: string | null;
}

export type CollectorOutcome =
  | { readonly ok: true; readonly pod: string; readonly observation: NodeObservation }
  | { readonly ok: false; readonly error: SnapshotNodeError };

export interface CollectorRun {
  /** per node that was given */
  readonly outcomes: ReadonlyMap<string, CollectorOutcome>;
  /** run warnings (without "warning: "): pods that could not be deleted */
  readonly warnings: readonly string[];
}

/**
 * The nodes that get a collector pod: those without an observation whose Node object was read
 * (a pod bound to a node that cannot be read would only wait for its deadline).
 */
export function collectorTargets(
  nodes: readonly { readonly name: string; readonly node: KubeObject | null }[],
  observations: ReadonlyMap<string, unknown>,
): CollectorTarget[] {
  return nodes
    .filter((n) => n.node !== null && !observations.has(n.name))
    .map((n) => {
      const status = isMap(n.node?.status) ? n.node.status : {};
      const info = isMap(status.nodeInfo) ? status.nodeInfo : {};
      const v = info.kubeletVersion;
      return { name: n.name, kubeletVersion: typeof v === 'string' && v !== '' ? v : null };
    });
}

/** `podres-collect-<node>-<5 random chars>`, the node part shortened to keep a valid pod name. */
export function collectorPodName(node: string, random: () => number): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    const r = Math.min(Math.max(random(), 0), 0.999999);
    suffix += SUFFIX_ALPHABET[Math.floor(r * SUFFIX_ALPHABET.length)] ?? 'x';
  }
  const room = MAX_NAME - NAME_PREFIX.length - 1 - SUFFIX_LENGTH;
  // a label may not start with "-": no "." right before the suffix's "-"
  const base = node.toLowerCase().slice(0, room).replace(/\.+$/, '');
  return `${NAME_PREFIX}${base}-${suffix}`;
}

/** activeDeadlineSeconds of a timeout: whole seconds, at least 1. */
export function deadlineSeconds(timeoutMs: number): number {
  return Math.max(1, Math.ceil(timeoutMs / 1000));
}

/** The collector pod of cli.md §5.8 for one node. */
export function collectorPodManifest(
  name: string,
  target: CollectorTarget,
  settings: CollectorSettings,
): object {
  const command = ['kubectl-podres', 'collect', '--host-root', '/host', '--node-name', target.name];
  if (target.kubeletVersion !== null) command.push('--kubelet-version', target.kubeletVersion);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: settings.namespace,
      labels: { [COLLECTOR_NAME_LABEL]: COLLECTOR_NAME_VALUE, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    },
    spec: {
      nodeName: target.name,
      restartPolicy: 'Never',
      activeDeadlineSeconds: deadlineSeconds(settings.timeoutMs),
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
      containers: [
        {
          name: COLLECTOR_CONTAINER,
          image: settings.image,
          command,
          securityContext: { runAsUser: 0 },
          // Burstable: never given exclusive CPUs or memory
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
          volumeMounts: [
            { name: 'host-sys', mountPath: '/host/sys', readOnly: true },
            { name: 'kubelet-root', mountPath: `/host${KUBELET_ROOT_DIR}`, readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'host-sys', hostPath: { path: '/sys', type: 'Directory' } },
        { name: 'kubelet-root', hostPath: { path: KUBELET_ROOT_DIR, type: 'Directory' } },
      ],
    },
  };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a pod failed: status.reason, else the container's terminated reason and exit code. */
function failedReason(pod: KubeObject): string {
  const status = isMap(pod.status) ? pod.status : {};
  if (typeof status.reason === 'string' && status.reason !== '') return status.reason;
  for (const s of Array.isArray(status.containerStatuses) ? (status.containerStatuses as unknown[]) : []) {
    const state = isMap(s) && isMap(s.state) ? s.state : {};
    const t = isMap(state.terminated) ? state.terminated : null;
    if (t === null) continue;
    const reason = typeof t.reason === 'string' && t.reason !== '' ? t.reason : 'Error';
    return typeof t.exitCode === 'number' ? `${reason} (exit code ${t.exitCode})` : reason;
  }
  return 'phase Failed';
}

/** A container waiting reason that waiting does not heal, or null. */
function hopelessWaiting(pod: KubeObject): string | null {
  const status = isMap(pod.status) ? pod.status : {};
  for (const s of Array.isArray(status.containerStatuses) ? (status.containerStatuses as unknown[]) : []) {
    const state = isMap(s) && isMap(s.state) ? s.state : {};
    const w = isMap(state.waiting) ? state.waiting : null;
    if (w !== null && typeof w.reason === 'string' && HOPELESS_WAITING.has(w.reason)) return w.reason;
  }
  return null;
}

function phaseOf(pod: KubeObject): string {
  const status = isMap(pod.status) ? pod.status : {};
  return typeof status.phase === 'string' ? status.phase : '';
}

/** The last `error: …` line a failed collect printed, without the prefix. */
function lastErrorLine(log: string): string | null {
  const lines = log.split('\n').filter((l) => l.startsWith('error: '));
  const last = lines[lines.length - 1];
  return last === undefined ? null : last.slice('error: '.length).trim();
}

/**
 * The observation without the collector pod's own PodResources `List` entry: the pod ran on the
 * node while it collected, and is left out of every replay and report (cli.md §5.8).
 */
export function withoutCollectorPod(obs: NodeObservation, namespace: string, name: string): NodeObservation {
  const list = obs.podResources.list;
  if (!isMap(list)) return obs;
  let changed = false;
  const out: Record<string, unknown> = { ...list };
  for (const key of ['pod_resources', 'podResources']) {
    const pods = list[key];
    if (!Array.isArray(pods)) continue;
    const kept = pods.filter((p) => !(isMap(p) && p.namespace === namespace && p.name === name));
    if (kept.length !== pods.length) {
      out[key] = kept;
      changed = true;
    }
  }
  return changed ? { ...obs, podResources: { ...obs.podResources, list: out } } : obs;
}

class Failed extends Error {
  constructor(readonly error: SnapshotNodeError) {
    super(error.message);
  }
}

function fail(status: SnapshotNodeError['status'], httpStatus: number | null, message: string): Failed {
  return new Failed({ source: 'observation', status, httpStatus, message });
}

/** An API failure of a step on the pod, with the hint of the error when it has one. */
function apiFailure(what: string, e: ClusterApiError): Failed {
  const hint = e.hint === undefined ? '' : `; ${e.hint}`;
  return fail(e.failure.status, e.failure.httpStatus, `${what}: ${e.failure.why}${hint}`);
}

/** Interruption shared by every node of a run. */
class Interrupt {
  signal: InterruptSignal | null = null;
  private readonly waiters = new Set<() => void>();

  fire(signal: InterruptSignal): void {
    if (this.signal !== null) return;
    this.signal = signal;
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** `promise`, or a rejection as soon as the run is interrupted. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal !== null) return Promise.reject(new InterruptedError(this.signal));
    return new Promise<T>((resolve, reject) => {
      const stop = (): void => {
        reject(new InterruptedError(this.signal ?? 'SIGINT'));
      };
      this.waiters.add(stop);
      promise.then(
        (v) => {
          this.waiters.delete(stop);
          resolve(v);
        },
        (e: unknown) => {
          this.waiters.delete(stop);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}

interface Shared {
  readonly source: ClusterSource;
  readonly opts: CollectorOptions;
  readonly interrupt: Interrupt;
  readonly warnings: string[];
}

async function deletePod(sh: Shared, name: string): Promise<void> {
  const ns = sh.opts.namespace;
  try {
    await sh.source.deletePod(ns, name, 0);
  } catch (e) {
    if (!(e instanceof ClusterApiError)) throw e;
    // already gone: nothing to clean up
    if (e.failure.httpStatus === 404) return;
    const hint = e.hint === undefined ? '' : `; ${e.hint}`;
    sh.warnings.push(`cannot delete collector pod ${ns}/${name}: ${e.failure.why}${hint}; delete it by hand`);
  }
}

/** Polls the pod until it succeeded; Failed on a failure or the timeout. */
async function awaitCompletion(sh: Shared, where: string, name: string, started: number): Promise<void> {
  const { opts, interrupt } = sh;
  const poll = opts.pollMs ?? DEFAULT_POLL_MS;
  for (;;) {
    const left = started + opts.timeoutMs - opts.clock().getTime();
    if (left <= 0) throw fail('timeout', null, `${where} timed out after ${formatDuration(opts.timeoutMs)}`);
    await interrupt.race(opts.sleep(Math.min(poll, left)));
    let pod: KubeObject;
    try {
      pod = await interrupt.race(sh.source.getPod(opts.namespace, name));
    } catch (e) {
      if (e instanceof ClusterApiError) {
        if (e.failure.httpStatus === 404) throw fail('not-found', 404, `${where} disappeared`);
        throw apiFailure(`cannot get ${where}`, e);
      }
      throw e;
    }
    const phase = phaseOf(pod);
    if (phase === 'Succeeded') return;
    if (phase === 'Failed') {
      let reason = failedReason(pod);
      // the container ran: its last error line says why (collect writes one line per error)
      if (/exit code/.test(reason)) {
        try {
          const why = lastErrorLine(
            await interrupt.race(sh.source.readPodLog(opts.namespace, name, COLLECTOR_CONTAINER)),
          );
          if (why !== null) reason = `${reason}: ${why}`;
        } catch (e) {
          if (!(e instanceof ClusterApiError)) throw e;
        }
      }
      throw fail('unavailable', null, `${where} failed: ${reason}`);
    }
    const hopeless = hopelessWaiting(pod);
    if (hopeless !== null) throw fail('unavailable', null, `${where} failed: ${hopeless}`);
  }
}

async function collectOne(sh: Shared, target: CollectorTarget): Promise<CollectorOutcome> {
  const { opts, interrupt } = sh;
  const ns = opts.namespace;
  const name = collectorPodName(target.name, opts.random);
  const where = `collector pod ${ns}/${name}`;
  const started = opts.clock().getTime();
  let created = false;
  try {
    try {
      // not raced: a pod whose creation is under way must be known, to be deleted
      await sh.source.createPod(ns, collectorPodManifest(name, target, opts));
      created = true;
    } catch (e) {
      if (e instanceof ClusterApiError) throw apiFailure(`cannot create ${where}`, e);
      throw e;
    }
    if (interrupt.signal !== null) throw new InterruptedError(interrupt.signal);
    await awaitCompletion(sh, where, name, started);
    let log: string;
    try {
      log = await interrupt.race(sh.source.readPodLog(ns, name, COLLECTOR_CONTAINER));
    } catch (e) {
      if (e instanceof ClusterApiError) throw apiFailure(`cannot read the log of ${where}`, e);
      throw e;
    }
    let observation: NodeObservation;
    try {
      observation = parseObservation(log, `log of ${where}`);
    } catch (e) {
      if (e instanceof InputError) throw fail('invalid', null, e.oneLine());
      throw e;
    }
    if (observation.node !== target.name) {
      throw fail('invalid', null, `${where} observed node "${observation.node}", not "${target.name}"`);
    }
    return { ok: true, pod: `${ns}/${name}`, observation: withoutCollectorPod(observation, ns, name) };
  } catch (e) {
    if (e instanceof Failed) return { ok: false, error: e.error };
    throw e;
  } finally {
    if (created) await deletePod(sh, name);
  }
}

/**
 * Runs one collector pod per target (`concurrency` at a time) and returns each node's outcome.
 * Rejects with InterruptedError on SIGINT/SIGTERM, once every pod created is deleted.
 */
export async function runCollectors(
  source: ClusterSource,
  targets: readonly CollectorTarget[],
  opts: CollectorOptions,
): Promise<CollectorRun> {
  const sh: Shared = { source, opts, interrupt: new Interrupt(), warnings: [] };
  const outcomes = new Map<string, CollectorOutcome>();
  if (targets.length === 0) return { outcomes, warnings: [] };
  // after the first signal the handler goes: a second one takes the default action
  const remove: (() => void) | undefined = opts.onSignal?.((signal) => {
    sh.interrupt.fire(signal);
    remove?.();
  });
  // not mapLimit: every started node must end (and delete its pod) before the run ends
  let next = 0;
  const thrown: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < targets.length && sh.interrupt.signal === null && thrown.length === 0) {
      const t = targets[next++] as CollectorTarget;
      try {
        outcomes.set(t.name, await collectOne(sh, t));
      } catch (e) {
        if (!(e instanceof InterruptedError)) thrown.push(e);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, targets.length) }, worker));
  } finally {
    remove?.();
  }
  if (sh.interrupt.signal !== null) throw new InterruptedError(sh.interrupt.signal);
  if (thrown.length > 0) throw thrown[0];
  return { outcomes, warnings: sh.warnings };
}
