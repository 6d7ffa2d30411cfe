// `kubectl podres snapshot -o FILE [NODE…] [-l NODE_SELECTOR] [--pod NAME…]` (cli.md §5.6): reads
// everything the read commands read for a set of nodes (sources/gather-node-facts.ts) and writes
// it as one Snapshot (§8.7): `-` = stdout; .yaml/.yml → YAML, else JSON; a further .gz → gzip.
// The file is replaced atomically (a temp file beside it, then a rename), and nothing is left
// behind when the run fails.
//
// Exit: 0 once written (per-node source failures are inside, and warned on stderr), 2 for usage
// and input errors (found before the cluster is contacted; an unwritable -o included, by creating
// the temp file first), 3 for cluster-level failures.
//
// --collector (§5.8): a collector pod on each selected node without an --observation, before the
// kubelets are read; its document is the node's observation, its failure the node's `observation`
// error. SIGINT/SIGTERM while pods exist: they are deleted, then exit 130/143.
//
// --as-scenario: one Scenario per node instead (drift/to-scenario.ts), always as a multi-document
// YAML stream whatever the file name (no gzip: `simulate -f` reads it as written); a node without
// topology or usable /configz is skipped with a warning.

import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { InputError, UsageError } from '../../errors.js';
import { renderYaml } from '../../render/document.js';
import { buildSnapshot, renderSnapshotJson } from '../../render/snapshot.js';
import { nodeFactsToScenario } from '../../drift/to-scenario.js';
import type { ClusterSource } from '../../sources/cluster/cluster-source.js';
import { collectorOptionsOf, collectorTargets, runCollectors } from '../../sources/collector.js';
import type { SignalHook } from '../../sources/collector.js';
import { gatherNodeFacts, selectNodes, sourceWarnings } from '../../sources/gather-node-facts.js';
import { BUILD_INFO } from '../build-info.js';
import {
  checkSelector,
  parseConcurrency,
  parseDurationFlag,
  parseRequestTimeout,
} from '../cluster-options.js';
import type { Io } from '../io.js';
import { readObservations, readTopologies, unusedInputWarnings } from '../node-inputs.js';
import { openCluster } from '../open-cluster.js';
import { parseCollectorFlags } from '../read-options.js';
import type { CollectorFlags } from '../read-options.js';
import { defaultCollectorImage } from '../release-info.js';

export interface SnapshotArgs {
  /** -o FILE; "-" = stdout */
  readonly output: string;
  readonly nodes: readonly string[];
  /** -l */
  readonly selector: string | null;
  /** --pod NAME, repeatable */
  readonly pods: readonly string[];
  /** -n */
  readonly namespace: string | null;
  /** --interval D: a second cAdvisor scrape D later */
  readonly interval: string | null;
  readonly rawMetrics: boolean;
  readonly observations: readonly string[];
  readonly topologies: readonly string[];
  readonly concurrency: unknown;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly requestTimeout: string;
  readonly debug: boolean;
  /** --collector and its settings; absent: off */
  readonly collector?: CollectorFlags;
  /** --as-scenario: one Scenario per node (multi-document YAML) instead of a Snapshot */
  readonly asScenario?: boolean;
}

/** Replaceable parts, for tests that call the command directly. */
export interface SnapshotDeps {
  readonly openCluster?: typeof openCluster;
  /** the wall clock (takenAt, scrape times) */
  readonly clock?: () => Date;
  /** waits between the two cAdvisor scrapes of --interval, and between collector pod GETs */
  readonly sleep?: (ms: number) => Promise<void>;
  /** a number in [0, 1) for collector pod names */
  readonly random?: () => number;
  /** registers the SIGINT/SIGTERM handler while collector pods exist */
  readonly onSignal?: SignalHook;
  /** time between two GETs of a collector pod */
  readonly collectorPollMs?: number;
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOSPC: 'no space left on device',
};

function writeError(path: string, e: unknown): InputError {
  const code = (e as { code?: string } | null)?.code ?? '';
  const why = WRITE_ERRORS[code] ?? (e instanceof Error ? e.message : String(e));
  return new InputError(`cannot write snapshot "${path}": ${why}`, { cause: e });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The temp file beside `path` that becomes it by rename. */
function tempPathFor(path: string): string {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  return `${dir}.${base}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Pieces of text joined into strings of about 1 MiB: few writes and buffers, none too large. */
function* batched(pieces: readonly string[]): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    parts.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}

function encode(snapshot: ReturnType<typeof buildSnapshot>, output: string): Buffer {
  const gzip = /\.gz$/i.test(output);
  const base = gzip ? output.slice(0, -3) : output;
  const text = /\.ya?ml$/i.test(base) ? [renderYaml(snapshot)] : renderSnapshotJson(snapshot);
  const bytes = Buffer.concat([...batched(text)].map((t) => Buffer.from(t, 'utf8')));
  return gzip ? gzipSync(bytes) : bytes;
}

export async function snapshotCommand(args: SnapshotArgs, io: Io, deps: SnapshotDeps = {}): Promise<number> {
  // ----- flags and input files: exit 2 before anything is contacted or written
  if (args.output.trim() === '')
    throw new UsageError('snapshot: flag -o needs a file name ("-" writes to stdout)');
  if (args.nodes.length > 0 && args.selector !== null) {
    throw new UsageError('node names and --selector cannot be combined');
  }
  if (args.nodes.some((n) => n.trim() === '')) throw new UsageError('snapshot: empty node name');
  if (args.pods.some((p) => p.trim() === '')) throw new UsageError('snapshot: flag --pod needs a pod name');
  const concurrency = parseConcurrency(args.concurrency);
  const requestTimeoutMs = parseRequestTimeout(args.requestTimeout);
  const intervalMs = args.interval === null ? null : parseDurationFlag('interval', args.interval);
  const selector = args.selector === null ? null : checkSelector('selector', args.selector);
  const collector =
    args.collector === undefined
      ? null
      : parseCollectorFlags(args.collector, defaultCollectorImage(BUILD_INFO.version));
  const observations = await readObservations(io, args.observations);
  const topologies = await readTopologies(io, args.topologies);
  const clock = deps.clock ?? (() => new Date());

  const toStdout = args.output === '-';
  const temp = toStdout ? null : tempPathFor(args.output);
  if (temp !== null) {
    try {
      await io.writeFileBytes(temp, new Uint8Array());
    } catch (e) {
      throw writeError(args.output, e);
    }
  }
  let source: ClusterSource | null = null;
  try {
    source = await (deps.openCluster ?? openCluster)(io, {
      kubeconfig: args.kubeconfig,
      context: args.context,
      requestTimeoutMs,
      concurrency,
      debug: args.debug,
    });
    const takenAt = clock();
    const namespace = args.namespace ?? source.namespace;
    const selection = await selectNodes(
      source,
      { names: args.nodes, labelSelector: selector, pods: args.pods.map((name) => ({ namespace, name })) },
      concurrency,
    );
    const collected =
      collector === null
        ? null
        : await runCollectors(
            source,
            collectorTargets(selection.nodes, observations.byNode),
            collectorOptionsOf(collector, concurrency, deps),
          );
    const facts = await gatherNodeFacts(source, selection.nodes, {
      now: rfc3339(takenAt),
      concurrency,
      configz: true,
      metrics: true,
      cadvisorScrapes: intervalMs === null ? 1 : 2,
      intervalMs: intervalMs ?? 0,
      rawMetrics: args.rawMetrics,
      clusterNodes: selection.clusterNodes,
      observations: observations.byNode,
      ...(collected === null ? {} : { collected: collected.outcomes }),
      topologies,
      clock,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
    });
    const baseWarnings = [
      ...selection.warnings,
      ...unusedInputWarnings(new Set(facts.map((f) => f.name)), observations, topologies),
      ...sourceWarnings(facts),
      ...(collected?.warnings ?? []),
    ];
    if (args.asScenario === true) {
      const converted = facts.map((f) => nodeFactsToScenario(f));
      const text = converted
        .flatMap((c) => (c.scenario === null ? [] : [renderYaml(c.scenario)]))
        .join('---\n');
      if (toStdout) io.stdout.write(text);
      else if (temp !== null) {
        try {
          await io.writeFileBytes(temp, Buffer.from(text, 'utf8'));
          await io.rename(temp, args.output);
        } catch (e) {
          throw writeError(args.output, e);
        }
      }
      for (const w of [...baseWarnings, ...converted.flatMap((c) => c.warnings)])
        io.stderr.write(`warning: ${w}\n`);
      const written = converted.filter((c) => c.scenario !== null);
      const pods = written.reduce((n, c) => n + c.pods, 0);
      io.stderr.write(
        `wrote ${toStdout ? '<stdout>' : args.output}: ${plural(written.length, 'scenario')}, ${plural(pods, 'pod')}, ${plural(facts.length - written.length, 'node')} skipped\n`,
      );
      return 0;
    }
    const snapshot = buildSnapshot(facts, {
      takenAt: rfc3339(takenAt),
      podresVersion: BUILD_INFO.version,
      cluster: { context: source.context, server: source.server },
    });
    const warnings = baseWarnings;
    if (toStdout) {
      for (const text of batched(renderSnapshotJson(snapshot))) io.stdout.write(text);
    } else if (temp !== null) {
      const bytes = encode(snapshot, args.output);
      try {
        await io.writeFileBytes(temp, bytes);
        await io.rename(temp, args.output);
      } catch (e) {
        throw writeError(args.output, e);
      }
    }
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
    const failed = facts.filter((f) => f.errors.length > 0).length;
    io.stderr.write(
      `wrote ${toStdout ? '<stdout>' : args.output}: ${plural(snapshot.nodes.length, 'node')}, ${plural(snapshot.pods.length, 'pod')}, ${plural(failed, 'node')} with source errors\n`,
    );
    return 0;
  } finally {
    source?.close();
    if (temp !== null) await io.removeFile(temp).catch(() => undefined);
  }
}
