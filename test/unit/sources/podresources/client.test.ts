// Tests the PodResources gRPC client against the fake kubelet server on a temp unix socket: the
// real dump and a 1.37 response through the wire, Get and its absence, and every failure the
// collector must turn into one line (missing socket, not a server, deadline, status, bad bytes).

import * as grpc from '@grpc/grpc-js';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allocatableResponseToGoJson,
  listResponseToGoJson,
} from '../../../../src/parse/podresources-proto.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../../src/parse/podresources.js';
import {
  formatMillis,
  openPodResourcesClient,
  PodResourcesCallError,
  socketTarget,
  type PodResourcesClient,
} from '../../../../src/sources/podresources/client.js';
import {
  startFakePodResourcesServer,
  type FakePodResourcesOptions,
  type FakePodResourcesServer,
} from '../../../helpers/fake-podresources-server.js';
import { ALLOCATABLE_137, LIST_137, realListText } from '../../../helpers/podresources-data.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'podres-client-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServer(
  opts: FakePodResourcesOptions,
  fn: (client: PodResourcesClient, server: FakePodResourcesServer) => Promise<void>,
  timeoutMs: number | null = 5000,
): Promise<void> {
  const server = await startFakePodResourcesServer(opts);
  const client = openPodResourcesClient(server.socketPath, { timeoutMs });
  try {
    await fn(client, server);
  } finally {
    client.close();
    await server.close();
  }
}

async function failure(p: Promise<unknown>): Promise<PodResourcesCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PodResourcesCallError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('calls that succeed', () => {
  it('List returns the real dump, which renders back to the same Go JSON', async () => {
    await withServer({ list: realListText() }, async (client, server) => {
      const json = listResponseToGoJson(await client.list());
      expect(JSON.stringify(json)).toBe(realListText().trim());
      expect(server.calls).toEqual([{ method: 'List', request: {} }]);
    });
  });

  it('List and GetAllocatableResources carry a 1.37 response with every field', async () => {
    await withServer({ list: LIST_137, allocatable: ALLOCATABLE_137 }, async (client, server) => {
      const list = JSON.stringify(listResponseToGoJson(await client.list()));
      const alloc = JSON.stringify(allocatableResponseToGoJson(await client.getAllocatableResources()));
      expect(parsePodResourcesList(list, 'list')).toEqual(LIST_137);
      expect(parseAllocatableResources(alloc, 'alloc')).toEqual(ALLOCATABLE_137);
      expect(server.calls.map((c) => c.method)).toEqual(['List', 'GetAllocatableResources']);
    });
  });

  it('Get sends the pod name and namespace and returns that pod', async () => {
    await withServer({ list: LIST_137, get: true }, async (client, server) => {
      const res = await client.get('db-0', 'db');
      expect(res.podResources?.cpuIds).toEqual([4n, 6n, 8n, 10n, 44n, 46n, 48n, 50n]);
      expect(server.calls).toEqual([{ method: 'Get', request: { podName: 'db-0', podNamespace: 'db' } }]);
      const e = await failure(client.get('db-9', 'db'));
      expect(e.message).toBe(
        `cannot call Get on ${socketTarget(server.socketPath)}: unknown: pod db-9 in namespace db not found`,
      );
    });
  });
});

describe('calls that fail', () => {
  it('Get on a kubelet without it: unimplemented', async () => {
    await withServer({ list: LIST_137 }, async (client, server) => {
      const e = await failure(client.get('db-0', 'db'));
      expect(e.failure).toBe('unimplemented');
      expect(e.method).toBe('Get');
      expect(e.message).toMatch(new RegExp(`^cannot call Get on unix://${server.socketPath}: unimplemented`));
    });
  });

  it('a socket that does not exist: no such file', async () => {
    const client = openPodResourcesClient(join(dir, 'pod-resources', 'kubelet.sock'), { timeoutMs: 5000 });
    const e = await failure(client.list());
    client.close();
    expect(e.message).toBe(`cannot call List on unix://${dir}/pod-resources/kubelet.sock: no such file`);
    expect(e.failure).toBe('unavailable');
  });

  it('a regular file where the socket should be: connection refused', async () => {
    const file = join(dir, 'not-a-socket');
    await writeFile(file, 'x');
    const client = openPodResourcesClient(file, { timeoutMs: 5000 });
    const e = await failure(client.getAllocatableResources());
    client.close();
    expect(e.message).toBe(
      `cannot call GetAllocatableResources on unix://${file}: connection refused; is the kubelet running?`,
    );
  });

  it('a socket that does not speak gRPC', async () => {
    const path = join(dir, 'junk.sock');
    const junk: Server = createServer((s) => {
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((resolve) => junk.listen(path, resolve));
    const client = openPodResourcesClient(path, { timeoutMs: 2000 });
    const e = await failure(client.list());
    client.close();
    junk.close();
    expect(e.message).toBe(`cannot call List on unix://${path}: unavailable: protocol error`);
  });

  it('an answer later than the deadline: deadline exceeded after the timeout', async () => {
    await withServer(
      { list: LIST_137, behaviour: { List: { delayMs: 10_000 } } },
      async (client, server) => {
        const started = Date.now();
        const e = await failure(client.list());
        expect(Date.now() - started).toBeLessThan(5000);
        expect(e.failure).toBe('timeout');
        expect(e.message).toBe(
          `cannot call List on unix://${server.socketPath}: deadline exceeded after 200ms`,
        );
      },
      200,
    );
  });

  it('a status from the kubelet (rate limit): its name and details in one line', async () => {
    await withServer(
      {
        allocatable: ALLOCATABLE_137,
        behaviour: {
          GetAllocatableResources: {
            status: { code: grpc.status.RESOURCE_EXHAUSTED, details: 'rejected by rate limit\nretry later' },
          },
        },
      },
      async (client, server) => {
        const e = await failure(client.getAllocatableResources());
        expect(e.message).toBe(
          `cannot call GetAllocatableResources on unix://${server.socketPath}: resource exhausted: rejected by rate limit retry later`,
        );
      },
    );
  });

  it('UNAVAILABLE from the server', async () => {
    await withServer(
      {
        list: LIST_137,
        behaviour: { List: { status: { code: grpc.status.UNAVAILABLE, details: 'shutting down' } } },
      },
      async (client, server) => {
        const e = await failure(client.list());
        expect(e.message).toBe(`cannot call List on unix://${server.socketPath}: unavailable: shutting down`);
      },
    );
  });

  it('a response that is not a ListPodResourcesResponse: invalid response naming the byte', async () => {
    await withServer(
      { list: LIST_137, behaviour: { List: { rawResponse: Uint8Array.from([0x0a, 0x05, 0x0a]) } } },
      async (client, server) => {
        const e = await failure(client.list());
        expect(e.failure).toBe('invalid');
        expect(e.message).toBe(
          `cannot call List on unix://${server.socketPath}: invalid response: ListPodResourcesResponse pod_resources[0]: length 5 runs past the end of the message (1 bytes left) at byte 1`,
        );
      },
    );
  });
});

describe('helpers', () => {
  it('socketTarget: absolute, relative and unix: targets', () => {
    expect(socketTarget('/var/lib/kubelet/pod-resources/kubelet.sock')).toBe(
      'unix:///var/lib/kubelet/pod-resources/kubelet.sock',
    );
    expect(socketTarget('run/kubelet.sock')).toBe('unix:run/kubelet.sock');
    expect(socketTarget('unix:///x.sock')).toBe('unix:///x.sock');
  });

  it('formatMillis writes Go-style durations', () => {
    expect([200, 5000, 1500, 90_000].map(formatMillis)).toEqual(['200ms', '5s', '1.5s', '1m30s']);
  });
});
