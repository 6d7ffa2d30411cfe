// The flags of the commands that read a cluster (cli.md §2), shared by their yargs definitions,
// and the checks of their values (UsageError, exit 2, before any request is made). Light on
// purpose: run.ts imports it when it builds the program, so nothing here loads the cluster
// client (open-cluster.ts does, when a command runs).

import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseLabelSelector, SelectorSyntaxError } from '../parse/label-selector.js';
import { parseGoDuration } from '../parse/go-duration.js';

export const DEFAULT_REQUEST_TIMEOUT = '30s';
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;

/** --kubeconfig, --context, --request-timeout */
export function clusterOptions<T>(y: Argv<T>) {
  return y
    .option('kubeconfig', {
      type: 'string',
      describe: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)',
    })
    .option('context', { type: 'string', describe: 'kubeconfig context (default: the current context)' })
    .option('request-timeout', {
      type: 'string',
      default: DEFAULT_REQUEST_TIMEOUT,
      describe: 'per API-server request, kubelet proxy requests included; 0 = none',
    });
}

function invalid(flag: string, value: string, why: string): UsageError {
  return new UsageError(`invalid value "${value}" for --${flag}: ${why}`);
}

/**
 * A duration flag in Go syntax ("10s", "1m30s", "250ms") as milliseconds (sub-millisecond
 * values round up). `zero`: "0" is allowed (meaning none). `bareSeconds`: a plain integer is
 * seconds, as kubectl reads --request-timeout.
 */
export function parseDurationFlag(
  flag: string,
  text: string,
  opts: { readonly zero?: boolean; readonly bareSeconds?: boolean } = {},
): number {
  const t = text.trim();
  let ns: bigint;
  if (opts.bareSeconds === true && /^\d+$/.test(t)) ns = BigInt(t) * 1_000_000_000n;
  else {
    try {
      ns = parseGoDuration(t);
    } catch (e) {
      throw invalid(
        flag,
        text,
        `expected a duration such as 30s or 1m (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }
  if (ns < 0n) throw invalid(flag, text, 'the duration must not be negative');
  if (ns === 0n) {
    if (opts.zero === true) return 0;
    throw invalid(flag, text, 'the duration must be greater than 0');
  }
  return Number((ns + 999_999n) / 1_000_000n);
}

/** --request-timeout: milliseconds, 0 = none. */
export function parseRequestTimeout(text: string): number {
  return parseDurationFlag('request-timeout', text, { zero: true, bareSeconds: true });
}

/** --concurrency: an integer from 1 to 64. */
export function parseConcurrency(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    throw invalid('concurrency', String(value), `expected an integer from 1 to ${MAX_CONCURRENCY}`);
  }
  return n;
}

/** -l: checked here, so a bad selector is exit 2 before the cluster is contacted. */
export function checkSelector(flag: string, text: string): string {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw invalid(flag, text, e.message);
    throw e;
  }
  return text;
}
