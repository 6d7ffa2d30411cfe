// Reads PodResources API responses (k8s.io/kubelet/pkg/apis/podresources/v1, allocator-model.md
// §7) as real tools dump them to JSON:
//   * protojson (grpcurl, protojson.Marshal): lowerCamelCase names (`podResources`, `cpuIds`,
//     `memoryType`, `deviceIds`, `dynamicResources`, `claimName` …), int64/uint64 as strings
//     (`"cpuIds": ["2", "3"]`, `"size": "268435456"`), zero values omitted (`"nodes": [{}]` is
//     NUMA node 0);
//   * Go's encoding/json on the generated structs or on copies of them (podresourcesapi-tools'
//     `podrescli`, OpenShift must-gather `podresources.json`): the proto field names
//     (`pod_resources`, `cpu_ids`, `memory_type`, `device_ids` …) and numbers.
// `topology.nodes[].ID` keeps its capital letters in both. Names match exactly or, as in Go,
// case-insensitively; unknown fields are ignored (newer kubelets add fields), a missing or null
// field is its zero value (empty list, empty string, NUMA node 0). Wrong types are InputErrors
// naming the source and the JSON path (with the keys as the document spells them).
//
// Syntax errors: JSON.parse gives no position for every error, so a syntax error carries the
// line and column only when the engine's message has a position.

import { InputError } from '../errors.js';
import { lineColumn } from './json-with-positions.js';
import {
  canonicalDevices,
  canonicalMemory,
  sortedIds,
  type AllocatableResources,
  type ClaimResourceEntry,
  type ContainerDevicesEntry,
  type ContainerMemoryEntry,
  type ContainerResourcesEntry,
  type DynamicResourceEntry,
  type PodResourcesEntry,
  type PodResourcesList,
} from '../model/pod-resources.js';

type JsonObject = Readonly<Record<string, unknown>>;

/** A field's JSON name (protojson) and, when it differs, its proto name. */
type Names = readonly [json: string, proto?: string];

/**
 * Parses a `List` response (ListPodResourcesResponse). Lists of ids come back sorted and memory
 * and device entries in canonical order (model/pod-resources.ts); pods and containers keep the
 * response order. Throws InputError.
 */
export function parsePodResourcesList(text: string, source: string): PodResourcesList {
  return toPodResourcesList(new Decoder(source).parse(text), source);
}

/**
 * The same for an already parsed value, e.g. the `podResources.list` inside a NodeObservation:
 * `path` is its field path, which errors name before the response's own path.
 */
export function toPodResourcesList(value: unknown, source: string, path = ''): PodResourcesList {
  const d = new Decoder(source);
  const root = d.object(value, path);
  return { pods: d.list(root, path, ['podResources', 'pod_resources'], (v, p) => d.pod(v, p)) };
}

/** Parses a `GetAllocatableResources` response (AllocatableResourcesResponse). Throws InputError. */
export function parseAllocatableResources(text: string, source: string): AllocatableResources {
  return toAllocatableResources(new Decoder(source).parse(text), source);
}

/** parseAllocatableResources for an already parsed value at field path `path`. */
export function toAllocatableResources(value: unknown, source: string, path = ''): AllocatableResources {
  const d = new Decoder(source);
  const root = d.object(value, path);
  return {
    cpuIds: d.ids(root, path),
    memory: d.memory(root, path),
    devices: d.devices(root, path),
  };
}

const UINT64_MAX = 0xffffffffffffffffn;
const INT64_MAX = 0x7fffffffffffffffn;
const DECIMAL = /^-?(?:0|[1-9]\d*)$/;

class Decoder {
  constructor(private readonly source: string) {}

  fail(path: string, why: string, hint?: string): never {
    const where = path === '' ? this.source : `${this.source} ${path}`;
    throw new InputError(`${where}: ${why}`, hint === undefined ? {} : { hint });
  }

  parse(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      const { why, at, hint } = describeSyntaxError(text, e.message);
      const where = at === undefined ? this.source : `${this.source}: ${lineColumn(text, at)}`;
      throw new InputError(`${where}: invalid json: ${why}`, {
        cause: e,
        ...(hint === undefined ? {} : { hint }),
      });
    }
  }

  object(value: unknown, path: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    return value as JsonObject;
  }

  /** The value of a field under any of its names (exact first, then case-insensitive), with its path. */
  field(obj: JsonObject, path: string, names: Names): { value: unknown; path: string } | undefined {
    const wanted = names.filter((n): n is string => n !== undefined);
    const keys = Object.keys(obj);
    let found = keys.filter((k) => wanted.includes(k));
    if (found.length === 0) {
      const lower = wanted.map((n) => n.toLowerCase());
      found = keys.filter((k) => lower.includes(k.toLowerCase()));
    }
    if (found.length > 1) {
      this.fail(path, `${found.map((k) => JSON.stringify(k)).join(' and ')} name the same field; keep one`);
    }
    const key = found[0];
    if (key === undefined) return undefined;
    const value = obj[key];
    return value === null ? undefined : { value, path: join(path, key) };
  }

  /** A repeated field: absent or null is empty. */
  list<T>(obj: JsonObject, path: string, names: Names, item: (v: unknown, path: string) => T): T[] {
    const f = this.field(obj, path, names);
    if (f === undefined) return [];
    if (!Array.isArray(f.value)) this.fail(f.path, `expected an array, got ${describe(f.value)}`);
    return (f.value as readonly unknown[]).map((v, i) => item(v, `${f.path}[${i}]`));
  }

  /** A message field: absent or null is undefined. */
  message(obj: JsonObject, path: string, names: Names): { obj: JsonObject; path: string } | undefined {
    const f = this.field(obj, path, names);
    return f === undefined ? undefined : { obj: this.object(f.value, f.path), path: f.path };
  }

  string(obj: JsonObject, path: string, names: Names): string {
    return this.optionalString(obj, path, names) ?? '';
  }

  optionalString(obj: JsonObject, path: string, names: Names): string | undefined {
    const f = this.field(obj, path, names);
    if (f === undefined) return undefined;
    if (typeof f.value !== 'string') this.fail(f.path, `expected a string, got ${describe(f.value)}`);
    return f.value;
  }

  /** An int64 used as an id (CPU, NUMA node): a non-negative integer, as a number or a decimal string. */
  id(value: unknown, path: string): number {
    const n = this.integer(value, path, 'a non-negative integer');
    if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.fail(path, `expected a non-negative integer, got ${describe(value)}`);
    }
    return Number(n);
  }

  /** A uint64 (memory size in bytes), as a number or a decimal string. */
  uint64(value: unknown, path: string): bigint {
    const n = this.integer(value, path, 'an unsigned 64-bit integer');
    if (n < 0n || n > UINT64_MAX)
      this.fail(path, `expected an unsigned 64-bit integer, got ${describe(value)}`);
    return n;
  }

  private integer(value: unknown, path: string, what: string): bigint {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) this.fail(path, `expected ${what}, got ${describe(value)}`);
      if (!Number.isSafeInteger(value)) {
        // JSON.parse already rounded it; protojson writes 64-bit integers as strings for this reason.
        this.fail(
          path,
          `${describe(value)} is too large to be read exactly as a json number`,
          'write it as a string',
        );
      }
      return BigInt(value);
    }
    if (typeof value === 'string' && DECIMAL.test(value)) {
      const n = BigInt(value);
      if (n <= UINT64_MAX && n >= -INT64_MAX - 1n) return n;
    }
    return this.fail(path, `expected ${what}, got ${describe(value)}`);
  }

  ids(obj: JsonObject, path: string): number[] {
    return sortedIds(this.list(obj, path, ['cpuIds', 'cpu_ids'], (v, p) => this.id(v, p)));
  }

  numa(obj: JsonObject, path: string): number[] {
    const topology = this.message(obj, path, ['topology']);
    if (topology === undefined) return [];
    const nodes = this.list(topology.obj, topology.path, ['nodes'], (v, p) => {
      const node = this.object(v, p);
      const f = this.field(node, p, ['ID']);
      // protojson and Go's omitempty leave out ID 0.
      return f === undefined ? 0 : this.id(f.value, f.path);
    });
    return sortedIds(nodes);
  }

  memory(obj: JsonObject, path: string): ContainerMemoryEntry[] {
    return canonicalMemory(
      this.list(obj, path, ['memory'], (v, p) => {
        const m = this.object(v, p);
        const size = this.field(m, p, ['size']);
        return {
          type: this.string(m, p, ['memoryType', 'memory_type']),
          size: size === undefined ? 0n : this.uint64(size.value, size.path),
          numa: this.numa(m, p),
        };
      }),
    );
  }

  devices(obj: JsonObject, path: string): ContainerDevicesEntry[] {
    return canonicalDevices(
      this.list(obj, path, ['devices'], (v, p) => {
        const dev = this.object(v, p);
        return {
          resourceName: this.string(dev, p, ['resourceName', 'resource_name']),
          deviceIds: this.list(dev, p, ['deviceIds', 'device_ids'], (id, ip) => this.stringItem(id, ip)),
          numa: this.numa(dev, p),
        };
      }),
    );
  }

  private stringItem(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    return value;
  }

  dynamicResources(obj: JsonObject, path: string): DynamicResourceEntry[] {
    return this.list(obj, path, ['dynamicResources', 'dynamic_resources'], (v, p) => {
      const dr = this.object(v, p);
      return {
        claimName: this.string(dr, p, ['claimName', 'claim_name']),
        claimNamespace: this.string(dr, p, ['claimNamespace', 'claim_namespace']),
        claimResources: this.list(dr, p, ['claimResources', 'claim_resources'], (cv, cp) =>
          this.claimResource(cv, cp),
        ),
      };
    });
  }

  private claimResource(value: unknown, path: string): ClaimResourceEntry {
    const cr = this.object(value, path);
    return {
      driver: this.string(cr, path, ['driverName', 'driver_name']),
      pool: this.string(cr, path, ['poolName', 'pool_name']),
      device: this.string(cr, path, ['deviceName', 'device_name']),
      cdiDevices: this.list(cr, path, ['cdiDevices', 'cdi_devices'], (dv, dp) =>
        this.string(this.object(dv, dp), dp, ['name']),
      ),
      shareId: this.optionalString(cr, path, ['shareId', 'share_id']) ?? null,
    };
  }

  container(value: unknown, path: string): ContainerResourcesEntry {
    const c = this.object(value, path);
    return {
      name: this.string(c, path, ['name']),
      cpuIds: this.ids(c, path),
      memory: this.memory(c, path),
      devices: this.devices(c, path),
      dynamicResources: this.dynamicResources(c, path),
    };
  }

  pod(value: unknown, path: string): PodResourcesEntry {
    const p = this.object(value, path);
    return {
      name: this.string(p, path, ['name']),
      namespace: this.string(p, path, ['namespace']),
      cpuIds: this.ids(p, path),
      memory: this.memory(p, path),
      containers: this.list(p, path, ['containers'], (v, cp) => this.container(v, cp)),
    };
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function join(path: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

/**
 * Turns V8's JSON.parse message into one lower-case line and, when the message has one, an
 * offset. V8 gives "… in JSON at position N" (newer versions add "(line L column C)") for most
 * errors, but only the offending token and a quote of the input for an unexpected token.
 */
function describeSyntaxError(text: string, message: string): { why: string; at?: number; hint?: string } {
  if (text.trim() === '') return { why: 'empty input', at: text.length };
  if (/^Unexpected end of JSON input/.test(message)) {
    return { why: 'unexpected end of input', at: text.length, hint: 'the file looks truncated' };
  }
  const token = /^Unexpected token '?(.+?)'?, .* is not valid JSON$/s.exec(message);
  if (token !== null) return { why: `unexpected token ${JSON.stringify(token[1] ?? '')}` };
  const positioned = /^(.*?) in JSON at position (\d+)/s.exec(message);
  if (positioned !== null) {
    const at = Number(positioned[2]);
    const why = oneLine(positioned[1] ?? '');
    return at >= text.length ? { why, at, hint: 'the file looks truncated' } : { why, at };
  }
  return { why: oneLine(message) };
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.charAt(0).toLowerCase() + line.slice(1);
}
