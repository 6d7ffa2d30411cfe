// Tests the hand-written PodResources protobuf codec: round trips through the canonical model and
// the Go JSON rendering (on the real OpenShift dump and on a 1.37 response with every field),
// byte-exact encodings worked out from the protobuf wire format, packed and unpacked int64 lists,
// unknown fields, and damaged messages (each error names the message, the field path and the byte).

import { InputError } from '../../../src/errors.js';
import {
  allocatableResponseToGoJson,
  decodeAllocatableResourcesResponse,
  decodeEmptyRequest,
  decodeGetPodResourcesRequest,
  decodeGetPodResourcesResponse,
  decodeListPodResourcesResponse,
  encodeAllocatableResourcesResponse,
  encodeEmptyRequest,
  encodeGetPodResourcesRequest,
  encodeGetPodResourcesResponse,
  encodeListPodResourcesResponse,
  getResponseToGoJson,
  listResponseToGoJson,
  podResourcesMsg,
  toAllocatableResponseMsg,
  toListResponseMsg,
  type ListPodResourcesResponseMsg,
} from '../../../src/parse/podresources-proto.js';
import { parseAllocatableResources, parsePodResourcesList } from '../../../src/parse/podresources.js';
import { ALLOCATABLE_137, LIST_137, realList, realListText } from '../../helpers/podresources-data.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => [...Buffer.from(s, 'utf8')];

function decodeError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.oneLine();
  }
  throw new Error('expected an InputError');
}

describe('the real OpenShift 4.11 List dump', () => {
  it('encodes, decodes and renders back to the very same Go JSON', () => {
    const wire = encodeListPodResourcesResponse(toListResponseMsg(realList()));
    const json = listResponseToGoJson(decodeListPodResourcesResponse(wire));
    expect(JSON.stringify(json)).toBe(realListText().trim());
  });

  it('renders NUMA node 0 as {"ID":0} and leaves the empty lists out', () => {
    const json = JSON.stringify(
      listResponseToGoJson(
        decodeListPodResourcesResponse(encodeListPodResourcesResponse(toListResponseMsg(realList()))),
      ),
    );
    expect(json).toContain(
      '{"name":"node-probe","memory":[{"memory_type":"memory","size":268435456,"topology":{"nodes":[{"ID":0}]}}]}',
    );
    expect(json).not.toMatch(/cpu_ids|devices|"containers":\[\]/);
  });
});

describe('1.37 responses with every field', () => {
  it('List: canonical → wire → Go JSON → parsePodResourcesList gives the canonical list back', () => {
    const wire = encodeListPodResourcesResponse(toListResponseMsg(LIST_137));
    const text = JSON.stringify(listResponseToGoJson(decodeListPodResourcesResponse(wire)));
    expect(parsePodResourcesList(text, 'list.json')).toEqual(LIST_137);
  });

  it('List: Go JSON uses the proto field names, numbers for 64-bit integers, an empty share_id kept', () => {
    const json = listResponseToGoJson(
      decodeListPodResourcesResponse(encodeListPodResourcesResponse(toListResponseMsg(LIST_137))),
    );
    expect(json).toEqual({
      pod_resources: [
        {
          name: 'db-0',
          namespace: 'db',
          containers: [
            { name: 'metrics-exporter' },
            { name: 'backup-agent' },
            {
              name: 'db',
              cpu_ids: [6, 8, 10, 46, 48, 50],
              memory: [{ memory_type: 'memory', size: 12884901888, topology: { nodes: [{ ID: 0 }] } }],
            },
          ],
          cpu_ids: [4, 6, 8, 10, 44, 46, 48, 50],
          memory: [{ memory_type: 'memory', size: 17179869184, topology: { nodes: [{ ID: 0 }] } }],
        },
        {
          name: 'trainer-0',
          namespace: 'ml',
          containers: [
            {
              name: 'trainer',
              devices: [
                {
                  resource_name: 'intel.com/sriov_netdevice',
                  device_ids: ['0000:3b:02.1'],
                  topology: { nodes: [{ ID: 1 }] },
                },
              ],
              cpu_ids: [3, 5, 43, 45],
              memory: [
                { memory_type: 'hugepages-1Gi', size: 4294967296, topology: { nodes: [{ ID: 1 }] } },
                { memory_type: 'memory', size: 8589934592, topology: { nodes: [{ ID: 1 }] } },
              ],
              dynamic_resources: [
                {
                  claim_name: 'gpu-claim',
                  claim_namespace: 'ml',
                  claim_resources: [
                    {
                      cdi_devices: [{ name: 'example.com/gpu=gpu-1' }],
                      driver_name: 'gpu.example.com',
                      pool_name: 'worker-1',
                      device_name: 'gpu-1',
                    },
                    {
                      driver_name: 'gpu.example.com',
                      pool_name: 'worker-1',
                      device_name: 'gpu-2',
                      share_id: '',
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('GetAllocatableResources: canonical → wire → Go JSON → parseAllocatableResources round trip', () => {
    const wire = encodeAllocatableResourcesResponse(toAllocatableResponseMsg(ALLOCATABLE_137));
    const json = allocatableResponseToGoJson(decodeAllocatableResourcesResponse(wire));
    expect(Object.keys(json)).toEqual(['devices', 'cpu_ids', 'memory']);
    expect(parseAllocatableResources(JSON.stringify(json), 'alloc.json')).toEqual(ALLOCATABLE_137);
  });

  it('Get: request and response round trips', () => {
    const req = { podName: 'db-0', podNamespace: 'db' };
    expect(decodeGetPodResourcesRequest(encodeGetPodResourcesRequest(req))).toEqual(req);
    const pod = LIST_137.pods[0]!;
    const res = decodeGetPodResourcesResponse(
      encodeGetPodResourcesResponse({ podResources: podResourcesMsg(pod) }),
    );
    const list = parsePodResourcesList(
      JSON.stringify({ pod_resources: [getResponseToGoJson(res).pod_resources] }),
      'get',
    );
    expect(list.pods).toEqual([pod]);
    expect(
      getResponseToGoJson(
        decodeGetPodResourcesResponse(encodeGetPodResourcesResponse({ podResources: null })),
      ),
    ).toEqual({});
  });

  it('empty requests are zero bytes; unknown fields in them are skipped', () => {
    expect(encodeEmptyRequest()).toEqual(new Uint8Array(0));
    expect(decodeEmptyRequest(bytes(0x08, 0x01, 0x12, 0x01, 0x61), 'ListPodResourcesRequest')).toEqual({});
  });
});

describe('the wire format, byte by byte', () => {
  // ListPodResourcesResponse{pod_resources: [{name: "p", namespace: "n", containers: [{name: "c",
  // cpu_ids: [2, 300]}]}]}: 300 = varint ac 02; cpu_ids packed as field 3, wire type 2 (0x1a).
  const container = [0x0a, 0x01, ...ascii('c'), 0x1a, 0x03, 0x02, 0xac, 0x02];
  const pod = [0x0a, 0x01, ...ascii('p'), 0x12, 0x01, ...ascii('n'), 0x1a, container.length, ...container];
  const list = [0x0a, pod.length, ...pod];
  const msg: ListPodResourcesResponseMsg = {
    podResources: [
      {
        name: 'p',
        namespace: 'n',
        containers: [{ name: 'c', devices: [], cpuIds: [2n, 300n], memory: [], dynamicResources: [] }],
        cpuIds: [],
        memory: [],
      },
    ],
  };

  it('encodes as protobuf-go does: field order, packed int64, zero values left out', () => {
    expect([...encodeListPodResourcesResponse(msg)]).toEqual(list);
    expect(decodeListPodResourcesResponse(bytes(...list))).toEqual(msg);
  });

  it('reads unpacked and mixed int64 lists (wire type 0) as well as packed ones', () => {
    const unpacked = [0x0a, 0x01, ...ascii('c'), 0x18, 0x02, 0x18, 0xac, 0x02];
    const mixed = [0x0a, 0x01, ...ascii('c'), 0x18, 0x02, 0x1a, 0x02, 0xac, 0x02];
    for (const c of [unpacked, mixed]) {
      const p = [0x0a, 0x01, ...ascii('p'), 0x12, 0x01, ...ascii('n'), 0x1a, c.length, ...c];
      expect(decodeListPodResourcesResponse(bytes(0x0a, p.length, ...p))).toEqual(msg);
    }
  });

  it('reads a negative int64 (ten-byte varint) and writes it back the same', () => {
    const minusOne = [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    const alloc = decodeAllocatableResourcesResponse(bytes(...minusOne));
    expect(alloc.cpuIds).toEqual([-1n]);
    expect([...encodeAllocatableResourcesResponse(alloc)]).toEqual([0x12, 0x0a, ...minusOne.slice(1)]);
  });

  it('skips unknown fields of every wire type, and known fields sent with another wire type', () => {
    const unknown = [
      0xf8,
      0x01,
      0x05, // field 31 varint
      0xf9,
      0x01,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8, // field 31 fixed64
      0xfd,
      0x01,
      1,
      2,
      3,
      4, // field 31 fixed32
      0xfa,
      0x01,
      0x02,
      0x08,
      0x01, // field 31 bytes
      0xfb,
      0x01,
      0x08,
      0x01,
      0xfc,
      0x01, // field 31 group with a varint inside
      0x08,
      0x07, // field 1 (name) as a varint: not a string, skipped as protobuf-go does
    ];
    const p = [
      ...unknown,
      0x0a,
      0x01,
      ...ascii('p'),
      0x12,
      0x01,
      ...ascii('n'),
      0x1a,
      container.length,
      ...container,
    ];
    expect(decodeListPodResourcesResponse(bytes(0x0a, p.length, ...p, 0x10, 0x01))).toEqual(msg);
  });

  it('keeps a present but empty topology as {} and an absent one out of the Go JSON', () => {
    // ContainerMemory{memory_type: "memory", size: 1, topology: {}} and one without topology
    const withEmpty = [0x0a, 0x06, ...ascii('memory'), 0x10, 0x01, 0x1a, 0x00];
    const without = [0x0a, 0x06, ...ascii('memory'), 0x10, 0x01];
    const alloc = bytes(0x1a, withEmpty.length, ...withEmpty, 0x1a, without.length, ...without);
    expect(allocatableResponseToGoJson(decodeAllocatableResourcesResponse(alloc))).toEqual({
      memory: [
        { memory_type: 'memory', size: 1, topology: {} },
        { memory_type: 'memory', size: 1 },
      ],
    });
  });

  it('writes a uint64 beyond 2^53 as a decimal string in Go JSON (exact), which the reader accepts', () => {
    const big = (1n << 60n) + 1n;
    const alloc = { devices: [], cpuIds: [], memory: [{ memoryType: 'memory', size: big, topology: null }] };
    const json = allocatableResponseToGoJson(
      decodeAllocatableResourcesResponse(encodeAllocatableResourcesResponse(alloc)),
    );
    expect(json).toEqual({ memory: [{ memory_type: 'memory', size: '1152921504606846977' }] });
    expect(parseAllocatableResources(JSON.stringify(json), 'a').memory[0]?.size).toBe(big);
  });

  it('merges a Get response whose pod_resources field comes twice', () => {
    const a = [0x0a, 0x01, ...ascii('p'), 0x1a, 0x03, 0x0a, 0x01, ...ascii('a')];
    const b = [0x12, 0x01, ...ascii('n'), 0x1a, 0x03, 0x0a, 0x01, ...ascii('b')];
    const res = decodeGetPodResourcesResponse(bytes(0x0a, a.length, ...a, 0x0a, b.length, ...b));
    expect(res.podResources?.name).toBe('p');
    expect(res.podResources?.namespace).toBe('n');
    expect(res.podResources?.containers.map((c) => c.name)).toEqual(['a', 'b']);
  });
});

describe('damaged messages', () => {
  const real = encodeListPodResourcesResponse(toListResponseMsg(realList()));

  it('a truncated real response names the message, the field path and the byte', () => {
    // cut inside the 10th pod's memory block (node-probe's size varint)
    const at = Buffer.from(real).indexOf(Buffer.from('memory', 'utf8')) + 8;
    const line = decodeError(() => decodeListPodResourcesResponse(real.subarray(0, at)));
    // the length of the 10th pod (perf-node-gather-daemonset-g265c) is checked before its fields
    expect(line).toBe(
      'ListPodResourcesResponse pod_resources[9]: length 86 runs past the end of the message (78 bytes left) at byte 764',
    );
  });

  it('every cut of the real response either decodes to a prefix or fails with a positioned error', () => {
    for (let n = 0; n < real.length; n += 37) {
      try {
        decodeListPodResourcesResponse(real.subarray(0, n));
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).oneLine()).toMatch(/^ListPodResourcesResponse( \S+)?: .* at byte \d+$/);
      }
    }
  });

  it.each([
    ['a truncated varint', [0x10, 0x80], 'AllocatableResourcesResponse cpu_ids: truncated varint at byte 1'],
    [
      'a varint longer than 64 bits',
      [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
      'AllocatableResourcesResponse cpu_ids: varint longer than 64 bits at byte 1',
    ],
    ['wire type 6', [0x0e], 'AllocatableResourcesResponse: invalid wire type 6 of field 1 at byte 0'],
    ['field number 0', [0x02, 0x00], 'AllocatableResourcesResponse: invalid field number 0 at byte 0'],
    [
      'a packed list longer than its message',
      [0x12, 0x05, 0x01],
      'AllocatableResourcesResponse cpu_ids: length 5 runs past the end of the message (1 bytes left) at byte 1',
    ],
    ['a stray end-group', [0x0c], 'AllocatableResourcesResponse: unexpected end of group 1 at byte 0'],
    [
      'an unclosed group',
      [0xfb, 0x01, 0x08, 0x01],
      'AllocatableResourcesResponse: group 31 has no end at byte 0',
    ],
    [
      'invalid UTF-8 in a memory type',
      [0x1a, 0x04, 0x0a, 0x02, 0xc3, 0x28],
      'AllocatableResourcesResponse memory[0].memory_type: invalid UTF-8 in a string field at byte 4',
    ],
    [
      'a NUMA id cut short inside the topology',
      [0x1a, 0x06, 0x1a, 0x04, 0x0a, 0x02, 0x08, 0x81],
      'AllocatableResourcesResponse memory[0].topology.nodes[0].ID: truncated varint at byte 7',
    ],
  ])('%s', (_name, b, message) => {
    expect(decodeError(() => decodeAllocatableResourcesResponse(bytes(...b)))).toBe(message);
  });

  it('names nested paths in a List response', () => {
    const c = [0x0a, 0x01, ...ascii('c'), 0x1a, 0x02, 0x02];
    const p = [0x1a, c.length, ...c];
    expect(decodeError(() => decodeListPodResourcesResponse(bytes(0x0a, p.length, ...p)))).toBe(
      'ListPodResourcesResponse pod_resources[0].containers[0].cpu_ids: length 2 runs past the end of the message (1 bytes left) at byte 8',
    );
  });
});
