// A client of the kubelet's PodResources v1 gRPC API (allocator-model.md §7) on its unix socket:
// @grpc/grpc-js with the hand-written codec of src/parse/podresources-proto.ts, no .proto file.
// Every call has its own deadline; a failure becomes one SourceError line naming the method and
// the socket: `cannot call List on unix:///var/lib/kubelet/pod-resources/kubelet.sock: no such file`.

import * as grpc from '@grpc/grpc-js';
import { InputError, SourceError } from '../../errors.js';
import {
  decodeAllocatableResourcesResponse,
  decodeGetPodResourcesResponse,
  decodeListPodResourcesResponse,
  encodeEmptyRequest,
  encodeGetPodResourcesRequest,
  type AllocatableResourcesResponseMsg,
  type GetPodResourcesResponseMsg,
  type ListPodResourcesResponseMsg,
} from '../../parse/podresources-proto.js';

export const PODRESOURCES_SERVICE = 'v1.PodResourcesLister';

export const PODRESOURCES_METHODS = ['List', 'GetAllocatableResources', 'Get'] as const;
export type PodResourcesMethod = (typeof PODRESOURCES_METHODS)[number];

/** The HTTP/2 path of a method: `/v1.PodResourcesLister/List`. */
export function methodPath(method: PodResourcesMethod): string {
  return `/${PODRESOURCES_SERVICE}/${method}`;
}

/** What went wrong, for callers that treat some failures differently (Get: `unimplemented`). */
export type CallFailure = 'unimplemented' | 'unavailable' | 'timeout' | 'forbidden' | 'invalid' | 'rejected';

export class PodResourcesCallError extends SourceError {
  constructor(
    message: string,
    readonly method: PodResourcesMethod,
    readonly failure: CallFailure,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export interface PodResourcesClient {
  /** The gRPC target, `unix:///…`. */
  readonly target: string;
  list(): Promise<ListPodResourcesResponseMsg>;
  getAllocatableResources(): Promise<AllocatableResourcesResponseMsg>;
  get(podName: string, podNamespace: string): Promise<GetPodResourcesResponseMsg>;
  close(): void;
}

export interface PodResourcesClientOptions {
  /** Per-call deadline in milliseconds; null = none. */
  readonly timeoutMs: number | null;
}

/** The kubelet reads up to 16 MiB (podresources.DefaultMaxMsgSize); allow more, never less. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** `unix:///abs/path` for a path (a `unix:` target is taken as it is). */
export function socketTarget(socket: string): string {
  if (socket.startsWith('unix:')) return socket;
  return socket.startsWith('/') ? `unix://${socket}` : `unix:${socket}`;
}

/** "5s", "1.5s", "250ms", "2m0s" (Go's duration style, as the --timeout flag is written). */
export function formatMillis(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${ms / 1000}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${(ms - minutes * 60_000) / 1000}s`;
}

const CONNECT_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ECONNREFUSED: 'connection refused; is the kubelet running?',
  ENOTSOCK: 'not a socket',
  ENOTDIR: 'a parent is not a directory',
  ECONNRESET: 'connection reset',
};

const STATUS_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(grpc.status)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([name, code]) => [code, name.toLowerCase().replace(/_/g, ' ')]),
);

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  return line.charAt(0).toLowerCase() + line.slice(1);
}

function describeFailure(
  err: grpc.ServiceError,
  timeoutMs: number | null,
): { why: string; failure: CallFailure } {
  const details = err.details;
  switch (err.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return {
        why: timeoutMs === null ? 'deadline exceeded' : `deadline exceeded after ${formatMillis(timeoutMs)}`,
        failure: 'timeout',
      };
    case grpc.status.UNIMPLEMENTED:
      return {
        why: `unimplemented${details === '' ? '' : `: ${oneLine(details)}`}`,
        failure: 'unimplemented',
      };
    case grpc.status.PERMISSION_DENIED:
    case grpc.status.UNAUTHENTICATED:
      return { why: 'permission denied', failure: 'forbidden' };
    case grpc.status.UNAVAILABLE: {
      const errno = /\b(E[A-Z]+)\b/.exec(details)?.[1];
      const known = errno === undefined ? undefined : CONNECT_ERRORS[errno];
      if (known !== undefined)
        return { why: known, failure: known === 'permission denied' ? 'forbidden' : 'unavailable' };
      // grpc-js: "No connection established. Last error: Protocol error (2026-05-12T10:01:07.123Z).
      // Resolution note: " → "protocol error"
      const cause = details
        .replace(/^No connection established\. Last error: (?:Error: )?/, '')
        .replace(/ ?Resolution note:.*$/s, '')
        .replace(/ \(\d{4}-\d\d-\d\dT[^)]*\)/g, '');
      return { why: `unavailable: ${oneLine(cause)}`, failure: 'unavailable' };
    }
    default: {
      const name = STATUS_NAMES.get(err.code) ?? `status ${err.code}`;
      return { why: details === '' ? name : `${name}: ${oneLine(details)}`, failure: 'rejected' };
    }
  }
}

function isServiceError(e: unknown): e is grpc.ServiceError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'number' &&
    'details' in e
  );
}

/** Opens a channel to the socket; nothing is sent until the first call. */
export function openPodResourcesClient(socket: string, opts: PodResourcesClientOptions): PodResourcesClient {
  // grpc-js logs channel trouble to the console by default; stderr carries only our own lines
  grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  const target = socketTarget(socket);
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.enable_retries': 0,
  });

  function call<T>(
    method: PodResourcesMethod,
    request: Uint8Array,
    decode: (b: Uint8Array) => T,
  ): Promise<T> {
    const fail = (why: string, failure: CallFailure, cause: unknown) =>
      new PodResourcesCallError(`cannot call ${method} on ${target}: ${why}`, method, failure, cause);
    const options: grpc.CallOptions =
      opts.timeoutMs === null ? {} : { deadline: new Date(Date.now() + opts.timeoutMs) };
    return new Promise<T>((resolve, reject) => {
      client.makeUnaryRequest<Uint8Array, Buffer>(
        methodPath(method),
        (r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength),
        // decoded below, so that a bad response is our InputError, not grpc-js' INTERNAL status
        (b) => b,
        request,
        new grpc.Metadata(),
        options,
        (err, response) => {
          if (err !== null) {
            const { why, failure } = isServiceError(err)
              ? describeFailure(err, opts.timeoutMs)
              : { why: oneLine(String(err)), failure: 'unavailable' as const };
            reject(fail(why, failure, err));
            return;
          }
          try {
            resolve(decode(response ?? Buffer.alloc(0)));
          } catch (e) {
            reject(
              e instanceof InputError
                ? fail(`invalid response: ${e.oneLine()}`, 'invalid', e)
                : e instanceof Error
                  ? e
                  : new Error(String(e)),
            );
          }
        },
      );
    });
  }

  return {
    target,
    list: () => call('List', encodeEmptyRequest(), decodeListPodResourcesResponse),
    getAllocatableResources: () =>
      call('GetAllocatableResources', encodeEmptyRequest(), decodeAllocatableResourcesResponse),
    get: (podName, podNamespace) =>
      call('Get', encodeGetPodResourcesRequest({ podName, podNamespace }), decodeGetPodResourcesResponse),
    close: () => {
      client.close();
    },
  };
}
