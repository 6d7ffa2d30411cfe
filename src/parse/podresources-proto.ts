// The protobuf wire format of the kubelet's PodResources v1 API (k8s.io/kubelet/pkg/apis/
// podresources/v1/api.proto, allocator-model.md §7), written by hand: the gRPC client and the
// fake server (src/sources/podresources/, test/helpers/) need no .proto file and no protobufjs at
// run time. Pure bytes ↔ messages, so it lives in parse/ next to the JSON reader of the same API
// (podresources.ts); the gRPC transport is in sources/.
//
// Decoding follows protobuf-go (the kubelet's runtime):
//   * unknown fields are skipped (newer kubelets add fields; PodResources 4 cpu_ids and 5 memory
//     are 1.37+);
//   * repeated int64 is read packed (wire type 2, what proto3 writers send) and unpacked (wire
//     type 0, what proto2-style writers send), also mixed;
//   * a known field sent with another wire type counts as an unknown field;
//   * the last value of a singular scalar wins; a singular message field that appears twice is
//     merged (later scalars win, lists concatenate);
//   * strings must be valid UTF-8; a truncated or overlong varint, a length past the end of its
//     message or a bad wire type is an InputError naming the message, the field path and the byte.
// Encoding writes fields in field-number order, zero values left out, int64 lists packed, as
// protobuf-go does.
//
// toGoJson*: the responses as Go's encoding/json renders the kubelet's generated structs
// (cli.md §8.6, the `list`/`allocatable` of a NodeObservation): proto field names, 64-bit integers as
// numbers (a value beyond 2^53 as a decimal string, which readers also accept), empty fields left
// out (json:",omitempty"), a present but empty `topology` as `{}`. One exception: a NUMA node
// always carries `ID`, also 0. The generated struct's `json:"ID,omitempty"` would render node 0 as
// `{}`, but the wire cannot tell node 0 from an absent id, and the real dumps of this API
// (fixtures/real/podresources/, OpenShift must-gather) write `{"ID":0}`; every reader treats both
// alike.

import { InputError } from '../errors.js';
import type {
  AllocatableResources,
  ContainerDevicesEntry,
  ContainerMemoryEntry,
  ContainerResourcesEntry,
  PodResourcesEntry,
  PodResourcesList,
} from '../model/pod-resources.js';

// ----- messages ---------------------------------------------------------------------------------

export interface NumaNodeMsg {
  /** int64 ID = 1 */
  readonly id: bigint;
}

export interface TopologyInfoMsg {
  readonly nodes: readonly NumaNodeMsg[];
}

export interface ContainerMemoryMsg {
  readonly memoryType: string;
  /** uint64 */
  readonly size: bigint;
  /** null when the field is absent */
  readonly topology: TopologyInfoMsg | null;
}

export interface ContainerDevicesMsg {
  readonly resourceName: string;
  readonly deviceIds: readonly string[];
  readonly topology: TopologyInfoMsg | null;
}

export interface CdiDeviceMsg {
  readonly name: string;
}

export interface ClaimResourceMsg {
  readonly cdiDevices: readonly CdiDeviceMsg[];
  readonly driverName: string;
  readonly poolName: string;
  readonly deviceName: string;
  /** `optional string share_id = 5`: null when not set */
  readonly shareId: string | null;
}

export interface DynamicResourceMsg {
  readonly claimName: string;
  readonly claimNamespace: string;
  readonly claimResources: readonly ClaimResourceMsg[];
}

export interface ContainerResourcesMsg {
  readonly name: string;
  readonly devices: readonly ContainerDevicesMsg[];
  readonly cpuIds: readonly bigint[];
  readonly memory: readonly ContainerMemoryMsg[];
  readonly dynamicResources: readonly DynamicResourceMsg[];
}

export interface PodResourcesMsg {
  readonly name: string;
  readonly namespace: string;
  readonly containers: readonly ContainerResourcesMsg[];
  /** 1.37+ */
  readonly cpuIds: readonly bigint[];
  /** 1.37+ */
  readonly memory: readonly ContainerMemoryMsg[];
}

export interface ListPodResourcesResponseMsg {
  readonly podResources: readonly PodResourcesMsg[];
}

export interface AllocatableResourcesResponseMsg {
  readonly devices: readonly ContainerDevicesMsg[];
  readonly cpuIds: readonly bigint[];
  readonly memory: readonly ContainerMemoryMsg[];
}

export interface GetPodResourcesRequestMsg {
  readonly podName: string;
  readonly podNamespace: string;
}

export interface GetPodResourcesResponseMsg {
  readonly podResources: PodResourcesMsg | null;
}

/** ListPodResourcesRequest and AllocatableResourcesRequest have no fields. */
export type EmptyMsg = Readonly<Record<string, never>>;

// ----- wire format ------------------------------------------------------------------------------

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;

const UINT64_MAX = (1n << 64n) - 1n;
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_ENCODER = new TextEncoder();

/** A failure at a byte of the message being decoded. */
class WireError extends Error {
  constructor(
    readonly at: number,
    readonly path: string,
    why: string,
  ) {
    super(why);
  }
}

interface Field {
  readonly number: number;
  readonly wireType: number;
  /** offset of the tag, for errors */
  readonly at: number;
}

class Reader {
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  fail(path: string, why: string, at = this.pos): never {
    throw new WireError(at, path, why);
  }

  varint(path: string): bigint {
    const start = this.pos;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(path, 'truncated varint', start);
      const b = this.buf[this.pos++] as number;
      if (i === 9 && b > 1) this.fail(path, 'varint longer than 64 bits', start);
      result |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return result;
    }
    return this.fail(path, 'varint longer than 64 bits', start);
  }

  /** A varint that must fit a JavaScript number (tags, lengths). */
  smallVarint(path: string, what: string): number {
    const start = this.pos;
    const v = this.varint(path);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(path, `${what} ${v} is too large`, start);
    return Number(v);
  }

  tag(path: string): Field {
    const at = this.pos;
    const key = this.varint(path);
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0 || key >> 3n > 0x1fffffffn) this.fail(path, `invalid field number ${key >> 3n}`, at);
    if (wireType > 5) this.fail(path, `invalid wire type ${wireType} of field ${number}`, at);
    return { number, wireType, at };
  }

  /** The [start, end) of a length-delimited value. */
  span(path: string): { start: number; end: number } {
    const at = this.pos;
    const len = this.smallVarint(path, 'length');
    if (len > this.end - this.pos) {
      this.fail(
        path,
        `length ${len} runs past the end of the message (${this.end - this.pos} bytes left)`,
        at,
      );
    }
    const start = this.pos;
    this.pos += len;
    return { start, end: this.pos };
  }

  sub(path: string): Reader {
    const { start, end } = this.span(path);
    return new Reader(this.buf, start, end);
  }

  string(path: string): string {
    const { start, end } = this.span(path);
    try {
      return UTF8.decode(this.buf.subarray(start, end));
    } catch {
      return this.fail(path, 'invalid UTF-8 in a string field', start);
    }
  }

  skip(f: Field, path: string): void {
    switch (f.wireType) {
      case VARINT:
        this.varint(path);
        return;
      case I64:
        this.fixed(8, path);
        return;
      case I32:
        this.fixed(4, path);
        return;
      case LEN:
        this.span(path);
        return;
      case SGROUP:
        for (;;) {
          if (this.pos >= this.end) this.fail(path, `group ${f.number} has no end`, f.at);
          const inner = this.tag(path);
          if (inner.wireType === EGROUP) {
            if (inner.number !== f.number)
              this.fail(path, `group ${f.number} ends as ${inner.number}`, inner.at);
            return;
          }
          this.skip(inner, path);
        }
      default:
        this.fail(path, `unexpected end of group ${f.number}`, f.at);
    }
  }

  private fixed(n: number, path: string): void {
    if (this.end - this.pos < n) this.fail(path, `truncated ${n * 8}-bit value`);
    this.pos += n;
  }

  /** Reads every field; `read` returns false for a field it does not know (it is skipped). */
  fields(path: string, read: (f: Field) => boolean): void {
    while (this.pos < this.end) {
      const f = this.tag(path);
      if (f.wireType === EGROUP) this.fail(path, `unexpected end of group ${f.number}`, f.at);
      if (!read(f)) this.skip(f, path);
    }
  }

  /** One int64 element (wire type 0) or a packed run of them (wire type 2), appended to `into`. */
  int64s(f: Field, path: string, into: bigint[]): boolean {
    if (f.wireType === VARINT) {
      into.push(BigInt.asIntN(64, this.varint(path)));
      return true;
    }
    if (f.wireType !== LEN) return false;
    const packed = this.sub(path);
    while (packed.pos < packed.end) into.push(BigInt.asIntN(64, packed.varint(path)));
    return true;
  }
}

class Writer {
  private readonly chunks: number[] = [];

  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
  }

  tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  raw(field: number, data: Uint8Array): void {
    this.tag(field, LEN);
    this.varint(BigInt(data.length));
    for (const b of data) this.chunks.push(b);
  }

  /** A string field; the empty string (the zero value) is left out unless `always`. */
  string(field: number, value: string, always = false): void {
    if (value !== '' || always) this.raw(field, UTF8_ENCODER.encode(value));
  }

  uint64(field: number, value: bigint): void {
    if (value < 0n || value > UINT64_MAX) throw new RangeError(`${value} is not a uint64`);
    if (value === 0n) return;
    this.tag(field, VARINT);
    this.varint(value);
  }

  int64(field: number, value: bigint): void {
    if (value === 0n) return;
    this.tag(field, VARINT);
    this.varint(value);
  }

  packedInt64(field: number, values: readonly bigint[]): void {
    if (values.length === 0) return;
    const inner = new Writer();
    for (const v of values) inner.varint(v);
    this.raw(field, inner.bytes());
  }

  message<T>(field: number, value: T, encode: (w: Writer, v: T) => void): void {
    const inner = new Writer();
    encode(inner, value);
    this.raw(field, inner.bytes());
  }
}

// ----- decoders ---------------------------------------------------------------------------------

const at = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);
const item = (path: string, name: string, i: number): string => `${at(path, name)}[${i}]`;

function numaNode(r: Reader, path: string): NumaNodeMsg {
  let id = 0n;
  r.fields(path, (f) => {
    if (f.number !== 1 || f.wireType !== VARINT) return false;
    id = BigInt.asIntN(64, r.varint(at(path, 'ID')));
    return true;
  });
  return { id };
}

function topologyInfo(r: Reader, path: string, into?: TopologyInfoMsg): TopologyInfoMsg {
  const nodes: NumaNodeMsg[] = [...(into?.nodes ?? [])];
  r.fields(path, (f) => {
    if (f.number !== 1 || f.wireType !== LEN) return false;
    const p = item(path, 'nodes', nodes.length);
    nodes.push(numaNode(r.sub(p), p));
    return true;
  });
  return { nodes };
}

function containerMemory(r: Reader, path: string): ContainerMemoryMsg {
  let memoryType = '';
  let size = 0n;
  let topology: TopologyInfoMsg | null = null;
  r.fields(path, (f) => {
    if (f.number === 1 && f.wireType === LEN) memoryType = r.string(at(path, 'memory_type'));
    else if (f.number === 2 && f.wireType === VARINT) size = r.varint(at(path, 'size'));
    else if (f.number === 3 && f.wireType === LEN) {
      const p = at(path, 'topology');
      topology = topologyInfo(r.sub(p), p, topology ?? undefined);
    } else return false;
    return true;
  });
  return { memoryType, size, topology };
}

function containerDevices(r: Reader, path: string): ContainerDevicesMsg {
  let resourceName = '';
  const deviceIds: string[] = [];
  let topology: TopologyInfoMsg | null = null;
  r.fields(path, (f) => {
    if (f.number === 1 && f.wireType === LEN) resourceName = r.string(at(path, 'resource_name'));
    else if (f.number === 2 && f.wireType === LEN)
      deviceIds.push(r.string(item(path, 'device_ids', deviceIds.length)));
    else if (f.number === 3 && f.wireType === LEN) {
      const p = at(path, 'topology');
      topology = topologyInfo(r.sub(p), p, topology ?? undefined);
    } else return false;
    return true;
  });
  return { resourceName, deviceIds, topology };
}

function claimResource(r: Reader, path: string): ClaimResourceMsg {
  const cdiDevices: CdiDeviceMsg[] = [];
  let driverName = '';
  let poolName = '';
  let deviceName = '';
  let shareId: string | null = null;
  r.fields(path, (f) => {
    if (f.wireType !== LEN) return false;
    switch (f.number) {
      case 1: {
        const p = item(path, 'cdi_devices', cdiDevices.length);
        const sub = r.sub(p);
        let name = '';
        sub.fields(p, (g) => {
          if (g.number !== 1 || g.wireType !== LEN) return false;
          name = sub.string(at(p, 'name'));
          return true;
        });
        cdiDevices.push({ name });
        return true;
      }
      case 2:
        driverName = r.string(at(path, 'driver_name'));
        return true;
      case 3:
        poolName = r.string(at(path, 'pool_name'));
        return true;
      case 4:
        deviceName = r.string(at(path, 'device_name'));
        return true;
      case 5:
        shareId = r.string(at(path, 'share_id'));
        return true;
      default:
        return false;
    }
  });
  return { cdiDevices, driverName, poolName, deviceName, shareId };
}

function dynamicResource(r: Reader, path: string): DynamicResourceMsg {
  let claimName = '';
  let claimNamespace = '';
  const claimResources: ClaimResourceMsg[] = [];
  r.fields(path, (f) => {
    if (f.wireType !== LEN) return false;
    if (f.number === 2) claimName = r.string(at(path, 'claim_name'));
    else if (f.number === 3) claimNamespace = r.string(at(path, 'claim_namespace'));
    else if (f.number === 4) {
      const p = item(path, 'claim_resources', claimResources.length);
      claimResources.push(claimResource(r.sub(p), p));
    } else return false;
    return true;
  });
  return { claimName, claimNamespace, claimResources };
}

function containerResources(r: Reader, path: string): ContainerResourcesMsg {
  let name = '';
  const devices: ContainerDevicesMsg[] = [];
  const cpuIds: bigint[] = [];
  const memory: ContainerMemoryMsg[] = [];
  const dynamicResources: DynamicResourceMsg[] = [];
  r.fields(path, (f) => {
    if (f.number === 3) return r.int64s(f, at(path, 'cpu_ids'), cpuIds);
    if (f.wireType !== LEN) return false;
    if (f.number === 1) name = r.string(at(path, 'name'));
    else if (f.number === 2) {
      const p = item(path, 'devices', devices.length);
      devices.push(containerDevices(r.sub(p), p));
    } else if (f.number === 4) {
      const p = item(path, 'memory', memory.length);
      memory.push(containerMemory(r.sub(p), p));
    } else if (f.number === 5) {
      const p = item(path, 'dynamic_resources', dynamicResources.length);
      dynamicResources.push(dynamicResource(r.sub(p), p));
    } else return false;
    return true;
  });
  return { name, devices, cpuIds, memory, dynamicResources };
}

function podResources(r: Reader, path: string): PodResourcesMsg {
  let name = '';
  let namespace = '';
  const containers: ContainerResourcesMsg[] = [];
  const cpuIds: bigint[] = [];
  const memory: ContainerMemoryMsg[] = [];
  r.fields(path, (f) => {
    if (f.number === 4) return r.int64s(f, at(path, 'cpu_ids'), cpuIds);
    if (f.wireType !== LEN) return false;
    if (f.number === 1) name = r.string(at(path, 'name'));
    else if (f.number === 2) namespace = r.string(at(path, 'namespace'));
    else if (f.number === 3) {
      const p = item(path, 'containers', containers.length);
      containers.push(containerResources(r.sub(p), p));
    } else if (f.number === 5) {
      const p = item(path, 'memory', memory.length);
      memory.push(containerMemory(r.sub(p), p));
    } else return false;
    return true;
  });
  return { name, namespace, containers, cpuIds, memory };
}

/** protobuf's merge of a message field sent twice: set scalars of the later one win, lists concatenate. */
function mergePods(a: PodResourcesMsg, b: PodResourcesMsg): PodResourcesMsg {
  return {
    name: b.name === '' ? a.name : b.name,
    namespace: b.namespace === '' ? a.namespace : b.namespace,
    containers: [...a.containers, ...b.containers],
    cpuIds: [...a.cpuIds, ...b.cpuIds],
    memory: [...a.memory, ...b.memory],
  };
}

function decodeWith<T>(bytes: Uint8Array, message: string, decode: (r: Reader) => T): T {
  try {
    return decode(new Reader(bytes, 0, bytes.length));
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    const where = e.path === '' ? message : `${message} ${e.path}`;
    throw new InputError(`${where}: ${e.message} at byte ${e.at}`, { cause: e });
  }
}

/** Decodes a `List` response. Throws InputError naming the field path and byte offset. */
export function decodeListPodResourcesResponse(bytes: Uint8Array): ListPodResourcesResponseMsg {
  return decodeWith(bytes, 'ListPodResourcesResponse', (r) => {
    const pods: PodResourcesMsg[] = [];
    r.fields('', (f) => {
      if (f.number !== 1 || f.wireType !== LEN) return false;
      const p = item('', 'pod_resources', pods.length);
      pods.push(podResources(r.sub(p), p));
      return true;
    });
    return { podResources: pods };
  });
}

/** Decodes a `GetAllocatableResources` response. Throws InputError. */
export function decodeAllocatableResourcesResponse(bytes: Uint8Array): AllocatableResourcesResponseMsg {
  return decodeWith(bytes, 'AllocatableResourcesResponse', (r) => {
    const devices: ContainerDevicesMsg[] = [];
    const cpuIds: bigint[] = [];
    const memory: ContainerMemoryMsg[] = [];
    r.fields('', (f) => {
      if (f.number === 2) return r.int64s(f, 'cpu_ids', cpuIds);
      if (f.wireType !== LEN) return false;
      if (f.number === 1) {
        const p = item('', 'devices', devices.length);
        devices.push(containerDevices(r.sub(p), p));
      } else if (f.number === 3) {
        const p = item('', 'memory', memory.length);
        memory.push(containerMemory(r.sub(p), p));
      } else return false;
      return true;
    });
    return { devices, cpuIds, memory };
  });
}

/** Decodes a `Get` response. Throws InputError. */
export function decodeGetPodResourcesResponse(bytes: Uint8Array): GetPodResourcesResponseMsg {
  return decodeWith(bytes, 'GetPodResourcesResponse', (r) => {
    let pod: PodResourcesMsg | null = null;
    r.fields('', (f) => {
      if (f.number !== 1 || f.wireType !== LEN) return false;
      const next = podResources(r.sub('pod_resources'), 'pod_resources');
      pod = pod === null ? next : mergePods(pod, next);
      return true;
    });
    return { podResources: pod };
  });
}

/** Decodes a `Get` request (for the fake server). Throws InputError. */
export function decodeGetPodResourcesRequest(bytes: Uint8Array): GetPodResourcesRequestMsg {
  return decodeWith(bytes, 'GetPodResourcesRequest', (r) => {
    let podName = '';
    let podNamespace = '';
    r.fields('', (f) => {
      if (f.wireType !== LEN) return false;
      if (f.number === 1) podName = r.string('pod_name');
      else if (f.number === 2) podNamespace = r.string('pod_namespace');
      else return false;
      return true;
    });
    return { podName, podNamespace };
  });
}

/** Decodes a request without fields (List, GetAllocatableResources): unknown fields are skipped. */
export function decodeEmptyRequest(bytes: Uint8Array, message: string): EmptyMsg {
  return decodeWith(bytes, message, (r) => {
    r.fields('', () => false);
    return {};
  });
}

// ----- encoders ---------------------------------------------------------------------------------

function writeTopology(w: Writer, t: TopologyInfoMsg): void {
  for (const n of t.nodes)
    w.message(1, n, (nw, node) => {
      nw.int64(1, node.id);
    });
}

function writeMemory(w: Writer, m: ContainerMemoryMsg): void {
  w.string(1, m.memoryType);
  w.uint64(2, m.size);
  if (m.topology !== null) w.message(3, m.topology, writeTopology);
}

function writeDevices(w: Writer, d: ContainerDevicesMsg): void {
  w.string(1, d.resourceName);
  for (const id of d.deviceIds) w.string(2, id, true);
  if (d.topology !== null) w.message(3, d.topology, writeTopology);
}

function writeClaimResource(w: Writer, c: ClaimResourceMsg): void {
  for (const d of c.cdiDevices)
    w.message(1, d, (dw, dev) => {
      dw.string(1, dev.name);
    });
  w.string(2, c.driverName);
  w.string(3, c.poolName);
  w.string(4, c.deviceName);
  // explicit presence: an empty share id is still written
  if (c.shareId !== null) w.string(5, c.shareId, true);
}

function writeDynamicResource(w: Writer, d: DynamicResourceMsg): void {
  w.string(2, d.claimName);
  w.string(3, d.claimNamespace);
  for (const c of d.claimResources) w.message(4, c, writeClaimResource);
}

function writeContainer(w: Writer, c: ContainerResourcesMsg): void {
  w.string(1, c.name);
  for (const d of c.devices) w.message(2, d, writeDevices);
  w.packedInt64(3, c.cpuIds);
  for (const m of c.memory) w.message(4, m, writeMemory);
  for (const d of c.dynamicResources) w.message(5, d, writeDynamicResource);
}

function writePod(w: Writer, p: PodResourcesMsg): void {
  w.string(1, p.name);
  w.string(2, p.namespace);
  for (const c of p.containers) w.message(3, c, writeContainer);
  w.packedInt64(4, p.cpuIds);
  for (const m of p.memory) w.message(5, m, writeMemory);
}

export function encodeListPodResourcesResponse(msg: ListPodResourcesResponseMsg): Uint8Array {
  const w = new Writer();
  for (const p of msg.podResources) w.message(1, p, writePod);
  return w.bytes();
}

export function encodeAllocatableResourcesResponse(msg: AllocatableResourcesResponseMsg): Uint8Array {
  const w = new Writer();
  for (const d of msg.devices) w.message(1, d, writeDevices);
  w.packedInt64(2, msg.cpuIds);
  for (const m of msg.memory) w.message(3, m, writeMemory);
  return w.bytes();
}

export function encodeGetPodResourcesResponse(msg: GetPodResourcesResponseMsg): Uint8Array {
  const w = new Writer();
  if (msg.podResources !== null) w.message(1, msg.podResources, writePod);
  return w.bytes();
}

export function encodeGetPodResourcesRequest(msg: GetPodResourcesRequestMsg): Uint8Array {
  const w = new Writer();
  w.string(1, msg.podName);
  w.string(2, msg.podNamespace);
  return w.bytes();
}

/** ListPodResourcesRequest, AllocatableResourcesRequest: no fields, zero bytes. */
export function encodeEmptyRequest(): Uint8Array {
  return new Uint8Array(0);
}

// ----- Go JSON ----------------------------------------------------------------------------------

/** A JSON object as Go's encoding/json writes the generated struct. */
export type GoJson = Record<string, unknown>;

/** A 64-bit integer as a JSON number, or as a decimal string beyond 2^53 (exact either way). */
function goInt(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v);
}

function put(o: GoJson, key: string, value: unknown): void {
  const empty = value === '' || (Array.isArray(value) && value.length === 0) || value === 0;
  if (!empty) o[key] = value;
}

function topologyGo(t: TopologyInfoMsg): GoJson {
  const o: GoJson = {};
  put(
    o,
    'nodes',
    t.nodes.map((n) => ({ ID: goInt(n.id) })),
  );
  return o;
}

function memoryGo(m: ContainerMemoryMsg): GoJson {
  const o: GoJson = {};
  put(o, 'memory_type', m.memoryType);
  put(o, 'size', goInt(m.size));
  if (m.topology !== null) o.topology = topologyGo(m.topology);
  return o;
}

function devicesGo(d: ContainerDevicesMsg): GoJson {
  const o: GoJson = {};
  put(o, 'resource_name', d.resourceName);
  put(o, 'device_ids', [...d.deviceIds]);
  if (d.topology !== null) o.topology = topologyGo(d.topology);
  return o;
}

function claimResourceGo(c: ClaimResourceMsg): GoJson {
  const o: GoJson = {};
  put(
    o,
    'cdi_devices',
    c.cdiDevices.map((d) => {
      const dev: GoJson = {};
      put(dev, 'name', d.name);
      return dev;
    }),
  );
  put(o, 'driver_name', c.driverName);
  put(o, 'pool_name', c.poolName);
  put(o, 'device_name', c.deviceName);
  // *string: written whenever set, also when empty
  if (c.shareId !== null) o.share_id = c.shareId;
  return o;
}

function dynamicResourceGo(d: DynamicResourceMsg): GoJson {
  const o: GoJson = {};
  put(o, 'claim_name', d.claimName);
  put(o, 'claim_namespace', d.claimNamespace);
  put(o, 'claim_resources', d.claimResources.map(claimResourceGo));
  return o;
}

function containerGo(c: ContainerResourcesMsg): GoJson {
  const o: GoJson = {};
  put(o, 'name', c.name);
  put(o, 'devices', c.devices.map(devicesGo));
  put(o, 'cpu_ids', c.cpuIds.map(goInt));
  put(o, 'memory', c.memory.map(memoryGo));
  put(o, 'dynamic_resources', c.dynamicResources.map(dynamicResourceGo));
  return o;
}

function podGo(p: PodResourcesMsg): GoJson {
  const o: GoJson = {};
  put(o, 'name', p.name);
  put(o, 'namespace', p.namespace);
  put(o, 'containers', p.containers.map(containerGo));
  put(o, 'cpu_ids', p.cpuIds.map(goInt));
  put(o, 'memory', p.memory.map(memoryGo));
  return o;
}

export function listResponseToGoJson(msg: ListPodResourcesResponseMsg): GoJson {
  const o: GoJson = {};
  put(o, 'pod_resources', msg.podResources.map(podGo));
  return o;
}

export function allocatableResponseToGoJson(msg: AllocatableResourcesResponseMsg): GoJson {
  const o: GoJson = {};
  put(o, 'devices', msg.devices.map(devicesGo));
  put(o, 'cpu_ids', msg.cpuIds.map(goInt));
  put(o, 'memory', msg.memory.map(memoryGo));
  return o;
}

export function getResponseToGoJson(msg: GetPodResourcesResponseMsg): GoJson {
  return msg.podResources === null ? {} : { pod_resources: podGo(msg.podResources) };
}

// ----- from the canonical model (what the fake server and the tests send) -----------------------

function topologyOf(numa: readonly number[]): TopologyInfoMsg | null {
  return numa.length === 0 ? null : { nodes: numa.map((id) => ({ id: BigInt(id) })) };
}

function memoryMsg(m: ContainerMemoryEntry): ContainerMemoryMsg {
  return { memoryType: m.type, size: m.size, topology: topologyOf(m.numa) };
}

function devicesMsg(d: ContainerDevicesEntry): ContainerDevicesMsg {
  return { resourceName: d.resourceName, deviceIds: d.deviceIds, topology: topologyOf(d.numa) };
}

function containerMsg(c: ContainerResourcesEntry): ContainerResourcesMsg {
  return {
    name: c.name,
    devices: c.devices.map(devicesMsg),
    cpuIds: c.cpuIds.map(BigInt),
    memory: c.memory.map(memoryMsg),
    dynamicResources: c.dynamicResources.map((d) => ({
      claimName: d.claimName,
      claimNamespace: d.claimNamespace,
      claimResources: d.claimResources.map((r) => ({
        cdiDevices: r.cdiDevices.map((name) => ({ name })),
        driverName: r.driver,
        poolName: r.pool,
        deviceName: r.device,
        shareId: r.shareId,
      })),
    })),
  };
}

export function podResourcesMsg(p: PodResourcesEntry): PodResourcesMsg {
  return {
    name: p.name,
    namespace: p.namespace,
    containers: p.containers.map(containerMsg),
    cpuIds: p.cpuIds.map(BigInt),
    memory: p.memory.map(memoryMsg),
  };
}

/** The `List` response message carrying a canonical list (NUMA ids become topology nodes). */
export function toListResponseMsg(list: PodResourcesList): ListPodResourcesResponseMsg {
  return { podResources: list.pods.map(podResourcesMsg) };
}

export function toAllocatableResponseMsg(a: AllocatableResources): AllocatableResourcesResponseMsg {
  return {
    devices: a.devices.map(devicesMsg),
    cpuIds: a.cpuIds.map(BigInt),
    memory: a.memory.map(memoryMsg),
  };
}
