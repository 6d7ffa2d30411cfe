// A fake kubelet PodResources v1 gRPC server on a temp unix socket, for the client and `collect`
// tests. It serves `List` and `GetAllocatableResources` (and `Get` when asked) from canonical data
// (src/model/pod-resources.ts) or from a JSON dump as real tools write it (Go encoding/json or
// protojson, read with src/parse/podresources.ts), encoded with the same hand-written codec the
// client decodes with. A method without data is not registered, so grpc answers UNIMPLEMENTED, as a
// kubelet without the method does. Failure injection per method: a gRPC status, a delay (for
// deadlines), or raw response bytes (for damaged responses). Every call is recorded.

import * as grpc from '@grpc/grpc-js';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AllocatableResources, PodResourcesList } from '../../src/model/pod-resources.js';
import {
  decodeEmptyRequest,
  decodeGetPodResourcesRequest,
  encodeAllocatableResourcesResponse,
  encodeGetPodResourcesResponse,
  encodeListPodResourcesResponse,
  podResourcesMsg,
  toAllocatableResponseMsg,
  toListResponseMsg,
} from '../../src/parse/podresources-proto.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../src/parse/podresources.js';
import { methodPath, type PodResourcesMethod } from '../../src/sources/podresources/client.js';

export interface FakeBehaviour {
  /** answer with this status instead of a response */
  readonly status?: { readonly code: grpc.status; readonly details: string };
  /** wait this long before answering */
  readonly delayMs?: number;
  /** send these bytes as the response message */
  readonly rawResponse?: Uint8Array;
}

export interface FakePodResourcesOptions {
  /** canonical list, or the text of a JSON dump */
  readonly list?: PodResourcesList | string;
  readonly allocatable?: AllocatableResources | string;
  /** serve `Get` from the list (else Get is unimplemented) */
  readonly get?: boolean;
  readonly behaviour?: Partial<Record<PodResourcesMethod, FakeBehaviour>>;
  /** where to listen (its directory is created); default: kubelet.sock in a new temp directory */
  readonly socketPath?: string;
}

export interface FakeCall {
  readonly method: PodResourcesMethod;
  /** the decoded request (Get: pod name and namespace) */
  readonly request: object;
}

export interface FakePodResourcesServer {
  readonly socketPath: string;
  readonly calls: readonly FakeCall[];
  close(): Promise<void>;
}

type Handler = (request: Uint8Array) => Uint8Array | grpc.ServiceError;

function notFound(details: string): grpc.ServiceError {
  return Object.assign(new Error(details), {
    code: grpc.status.UNKNOWN,
    details,
    metadata: new grpc.Metadata(),
  });
}

export async function startFakePodResourcesServer(
  opts: FakePodResourcesOptions = {},
): Promise<FakePodResourcesServer> {
  const ownDir = opts.socketPath === undefined ? await mkdtemp(join(tmpdir(), 'podres-grpc-')) : null;
  const socketPath = opts.socketPath ?? join(ownDir as string, 'kubelet.sock');
  await mkdir(dirname(socketPath), { recursive: true });
  const list =
    typeof opts.list === 'string' ? parsePodResourcesList(opts.list, 'fake list') : (opts.list ?? null);
  const allocatable =
    typeof opts.allocatable === 'string'
      ? parseAllocatableResources(opts.allocatable, 'fake allocatable')
      : (opts.allocatable ?? null);
  const calls: FakeCall[] = [];

  const handlers = new Map<PodResourcesMethod, Handler>();
  if (list !== null) {
    const bytes = encodeListPodResourcesResponse(toListResponseMsg(list));
    handlers.set('List', (req) => {
      calls.push({ method: 'List', request: decodeEmptyRequest(req, 'ListPodResourcesRequest') });
      return bytes;
    });
    if (opts.get === true) {
      handlers.set('Get', (req) => {
        const r = decodeGetPodResourcesRequest(req);
        calls.push({ method: 'Get', request: r });
        const pod = list.pods.find((p) => p.name === r.podName && p.namespace === r.podNamespace);
        if (pod === undefined) return notFound(`pod ${r.podName} in namespace ${r.podNamespace} not found`);
        return encodeGetPodResourcesResponse({ podResources: podResourcesMsg(pod) });
      });
    }
  }
  if (allocatable !== null) {
    const bytes = encodeAllocatableResourcesResponse(toAllocatableResponseMsg(allocatable));
    handlers.set('GetAllocatableResources', (req) => {
      calls.push({
        method: 'GetAllocatableResources',
        request: decodeEmptyRequest(req, 'AllocatableResourcesRequest'),
      });
      return bytes;
    });
  }

  const service: Record<string, grpc.MethodDefinition<Uint8Array, Uint8Array>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const [method, handle] of handlers) {
    service[method] = {
      path: methodPath(method),
      requestStream: false,
      responseStream: false,
      requestSerialize: (r: Uint8Array) => Buffer.from(r),
      requestDeserialize: (b: Buffer) => new Uint8Array(b),
      responseSerialize: (r: Uint8Array) => Buffer.from(r),
      responseDeserialize: (b: Buffer) => new Uint8Array(b),
    };
    const unary: grpc.handleUnaryCall<Uint8Array, Uint8Array> = (call, callback) => {
      const behaviour = opts.behaviour?.[method] ?? {};
      const answer = () => {
        if (behaviour.status !== undefined) {
          calls.push({ method, request: {} });
          callback({ code: behaviour.status.code, details: behaviour.status.details });
          return;
        }
        const out = handle(call.request);
        if (out instanceof Error) callback(out);
        else callback(null, behaviour.rawResponse ?? out);
      };
      if (behaviour.delayMs === undefined) answer();
      else setTimeout(answer, behaviour.delayMs).unref();
    };
    implementation[method] = unary;
  }

  const server = new grpc.Server();
  server.addService(service, implementation);
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => {
      if (err === null) resolve();
      else reject(err);
    });
  });

  return {
    socketPath,
    calls,
    close: async () => {
      server.forceShutdown();
      if (ownDir !== null) await rm(ownDir, { recursive: true, force: true });
    },
  };
}
