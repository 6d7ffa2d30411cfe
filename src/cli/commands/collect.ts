// `kubectl podres collect [--host-root DIR] [--kubelet-root-dir DIR] [--podresources-socket PATH]
// [--cgroup-root DIR] [--node-name NAME] [--kubelet-version V] [--timeout D] [-o json|yaml]`
// (cli.md §5.7): runs on the node, reads its PodResources API, checkpoint files, sysfs topology and
// kubepods cgroups, and prints one NodeObservation. Never contacts the API server; writes nothing.
//
// Exit 0 with the document (per-source failures inside it, nothing on stderr: a collector pod's log
// is read as the document), 2 for a bad flag or a missing host root, 3 when no source could be read
// (each source's failure as a warning line first).

import { hostname } from 'node:os';
import { SourceError, UsageError } from '../../errors.js';
import { renderJson, renderYaml } from '../../render/document.js';
import { parseGoDuration } from '../../parse/go-duration.js';
import { describeFsError, errorCode, hostPath, liveHostFs, type HostFs } from '../../sources/host/host-fs.js';
import { collectNodeObservation } from '../../sources/host/node-observation.js';
import { BUILD_INFO } from '../build-info.js';
import type { COLLECT_OUTPUTS } from '../command-table.js';
import type { Io } from '../io.js';

export type CollectOutput = (typeof COLLECT_OUTPUTS)[number];

export interface CollectArgs {
  readonly hostRoot: string;
  readonly kubeletRootDir: string;
  /** null: `<host-root><kubelet-root-dir>/pod-resources/kubelet.sock` */
  readonly podresourcesSocket: string | null;
  /** null: `<host-root>/sys/fs/cgroup` */
  readonly cgroupRoot: string | null;
  /** null: $NODE_NAME, else the host name */
  readonly nodeName: string | null;
  readonly kubeletVersion: string | null;
  /** Go duration per gRPC call; "0" = none */
  readonly timeout: string;
  readonly output: CollectOutput;
}

/** What `collect` needs from its surroundings besides Io; tests replace them. */
export interface CollectDeps {
  readonly fs: HostFs;
  readonly now: () => Date;
  readonly hostname: () => string;
}

export function liveCollectDeps(): CollectDeps {
  return { fs: liveHostFs, now: () => new Date(), hostname };
}

/** RFC 3339 UTC, whole seconds: 2026-05-12T10:01:07Z. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeoutMillis(text: string): number | null {
  let ns: bigint;
  try {
    ns = parseGoDuration(text);
  } catch (e) {
    throw new UsageError(
      `invalid value "${text}" for --timeout: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (ns < 0n) throw new UsageError(`invalid value "${text}" for --timeout: must not be negative`);
  if (ns === 0n) return null;
  // below a millisecond still means a deadline
  return Math.max(1, Number(ns / 1_000_000n));
}

async function checkHostRoot(fs: HostFs, hostRoot: string): Promise<void> {
  let kind: string;
  try {
    kind = await fs.kindOf(hostRoot);
  } catch (e) {
    const why = errorCode(e) === 'ENOENT' ? 'no such directory' : describeFsError(e);
    throw new UsageError(`--host-root "${hostRoot}": ${why}`, { cause: e });
  }
  if (kind !== 'directory') throw new UsageError(`--host-root "${hostRoot}": not a directory`);
}

function nonEmpty(flag: string, value: string | null): void {
  if (value?.trim() === '') throw new UsageError(`invalid value "" for --${flag}: must not be empty`);
}

export async function collectCommand(
  args: CollectArgs,
  io: Io,
  deps: CollectDeps = liveCollectDeps(),
): Promise<number> {
  nonEmpty('host-root', args.hostRoot);
  nonEmpty('kubelet-root-dir', args.kubeletRootDir);
  nonEmpty('podresources-socket', args.podresourcesSocket);
  nonEmpty('cgroup-root', args.cgroupRoot);
  nonEmpty('node-name', args.nodeName);
  nonEmpty('kubelet-version', args.kubeletVersion);
  const timeoutMs = timeoutMillis(args.timeout);
  await checkHostRoot(deps.fs, args.hostRoot);
  const envNode = io.env.NODE_NAME;
  const node = args.nodeName ?? (envNode !== undefined && envNode !== '' ? envNode : deps.hostname());

  const { observation, readable } = await collectNodeObservation(
    {
      node,
      hostRoot: args.hostRoot,
      kubeletRootDir: args.kubeletRootDir,
      socket:
        args.podresourcesSocket ?? hostPath(args.hostRoot, args.kubeletRootDir, 'pod-resources/kubelet.sock'),
      cgroupRoot: args.cgroupRoot ?? hostPath(args.hostRoot, 'sys/fs/cgroup'),
      kubeletVersion: args.kubeletVersion,
      timeoutMs,
      collectorVersion: BUILD_INFO.version,
      collectedAt: rfc3339(deps.now()),
    },
    deps.fs,
  );
  if (!readable) {
    for (const e of observation.errors) io.stderr.write(`warning: ${e.message}\n`);
    throw new SourceError(`no node source could be read under "${args.hostRoot}"`);
  }
  io.stdout.write(args.output === 'yaml' ? renderYaml(observation) : renderJson(observation));
  return 0;
}
