// Re-implements the `%#v` renderer of github.com/davecgh/go-spew spew/format.go (v1.1.1, with the
// key ordering of spew/common.go sortValues) under the printer config the kubelet hashes with
// (k8s.io/apimachinery/pkg/util/dump.ForHash, formerly pkg/util/hash.DeepHashObject: SortKeys,
// DisableMethods, SpewKeys, DisablePointerAddresses, DisableCapacities), plus the FNV-1a 32-bit
// hash of Go's hash/fnv New32a. Together they are pkg/kubelet/checkpointmanager/checksum/checksum.go.
//
// Go values are given as a typed description (`GoType`) plus a plain JavaScript value (`GoValue`),
// because `%#v` prints Go type names that JavaScript values do not carry. What the renderer prints:
//   * a value not reached through a map, slice or pointer carries its type: `(string)static`,
//     `(map[string]string)map[a:1]`, `(*state.CPUManagerCheckpoint){…}`;
//   * map keys and values, slice elements and pointees do not: `map[a:1]`, `[1 2]`, `<*>{…}`;
//   * strings are unquoted, struct fields print as `Name:value` separated by one space;
//   * map keys are sorted (strings byte-wise, numbers numerically); a nil map or slice is `<nil>`
//     (after its type, if shown), an empty one `map[]` / `[]`; a nil pointer is `(*T)<nil>`;
//   * no pointer addresses and no capacities (those need the `+` flag, never used here).
// The `ignoreNextType` flag is threaded exactly as spew does, including its one leak: a nil pointer
// printed as a map value or slice element leaves the flag set, so the next struct field loses its
// type prefix.

import { CpuSet } from '../cpuset.js';

export type GoBasicKind = 'bool' | 'int' | 'int32' | 'int64' | 'uint' | 'uint32' | 'uint64' | 'string';

/** A predeclared Go type, or a named type over one (`name: 'checksum.Checksum'` over uint64). */
export interface GoBasicType {
  readonly kind: GoBasicKind;
  readonly name?: string | undefined;
}

export interface GoField {
  readonly name: string;
  readonly type: GoType;
}

/** A struct. Without a name it prints as a Go struct literal type (`struct {}`). */
export interface GoStructType {
  readonly kind: 'struct';
  readonly name?: string | undefined;
  readonly fields: readonly GoField[];
}

export interface GoMapType {
  readonly kind: 'map';
  readonly name?: string | undefined;
  readonly key: GoType;
  readonly elem: GoType;
}

export interface GoSliceType {
  readonly kind: 'slice';
  readonly name?: string | undefined;
  readonly elem: GoType;
}

export interface GoPointerType {
  readonly kind: 'pointer';
  readonly elem: GoType;
}

/**
 * k8s.io/utils/cpuset.CPUSet, i.e. `struct { elems map[int]struct{} }`. Its value is a `CpuSet`; it
 * renders as `{elems:(map[int]struct {})map[1:{} 2:{}]}` (the zero value, `undefined`, has a nil map).
 */
export interface GoCpuSetType {
  readonly kind: 'cpuset';
}

export type GoType = GoBasicType | GoStructType | GoMapType | GoSliceType | GoPointerType | GoCpuSetType;

export type GoMapKey = string | number | bigint | boolean;

/** A struct value: field name → value. A missing field is the Go zero value of its type. */
export interface GoStructValue {
  readonly [field: string]: GoValue;
}

/**
 * A Go value for a `GoType`: boolean; number or bigint (integers); string; `CpuSet` (cpuset);
 * array (slice); `ReadonlyMap` (map); plain object (struct); for a pointer, the pointee's value.
 * `null` is nil (map, slice, pointer); `undefined` is the zero value of the type.
 */
export type GoValue =
  | boolean
  | number
  | bigint
  | string
  | null
  | undefined
  | CpuSet
  | readonly GoValue[]
  | ReadonlyMap<GoMapKey, GoValue>
  | GoStructValue;

// ----- type constructors -----------------------------------------------------------------------

export function goBasic(kind: GoBasicKind, name?: string): GoBasicType {
  return name === undefined ? { kind } : { kind, name };
}

export function goStruct(
  name: string | undefined,
  fields: readonly (readonly [string, GoType])[],
): GoStructType {
  return { kind: 'struct', name, fields: fields.map(([fieldName, type]) => ({ name: fieldName, type })) };
}

export function goMap(key: GoType, elem: GoType, name?: string): GoMapType {
  return { kind: 'map', name, key, elem };
}

export function goSlice(elem: GoType, name?: string): GoSliceType {
  return { kind: 'slice', name, elem };
}

export function goPointer(elem: GoType): GoPointerType {
  return { kind: 'pointer', elem };
}

export const GO_STRING: GoBasicType = goBasic('string');
export const GO_INT: GoBasicType = goBasic('int');
export const GO_UINT64: GoBasicType = goBasic('uint64');
/** `struct{}`, the element type of Go sets. */
export const GO_EMPTY_STRUCT: GoStructType = goStruct(undefined, []);
export const GO_CPUSET: GoCpuSetType = { kind: 'cpuset' };
/** pkg/kubelet/checkpointmanager/checksum.Checksum (uint64). */
export const GO_CHECKSUM: GoBasicType = goBasic('uint64', 'checksum.Checksum');

/** The struct behind `GO_CPUSET`: k8s.io/utils/cpuset.CPUSet. */
const CPUSET_STRUCT: GoStructType = goStruct('cpuset.CPUSet', [['elems', goMap(GO_INT, GO_EMPTY_STRUCT)]]);

/** Go's reflect.Type.String() for the described type. */
export function goTypeString(type: GoType): string {
  switch (type.kind) {
    case 'cpuset':
      return 'cpuset.CPUSet';
    case 'pointer':
      return `*${goTypeString(type.elem)}`;
    case 'map':
      return type.name ?? `map[${goTypeString(type.key)}]${goTypeString(type.elem)}`;
    case 'slice':
      return type.name ?? `[]${goTypeString(type.elem)}`;
    case 'struct':
      if (type.name !== undefined) return type.name;
      if (type.fields.length === 0) return 'struct {}';
      return `struct { ${type.fields.map((f) => `${f.name} ${goTypeString(f.type)}`).join('; ')} }`;
    default:
      return type.name ?? type.kind;
  }
}

// ----- ordering --------------------------------------------------------------------------------

/**
 * Go's string order (byte-wise over UTF-8, i.e. code point order). JavaScript's `<` compares UTF-16
 * code units, which differs only when a surrogate meets a BMP character at or above U+E000.
 */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function integerKey(keyType: GoType, key: GoMapKey): bigint {
  if (typeof key === 'bigint') return key;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return BigInt(key);
  throw new TypeError(
    `${goTypeString(keyType)} map key must be an integer, got ${typeof key} ${String(key)}`,
  );
}

function compareKeys(keyType: GoType, a: GoMapKey, b: GoMapKey): number {
  switch (keyType.kind) {
    case 'string':
      return compareGoStrings(String(a), String(b));
    case 'bool':
      return Number(a === true) - Number(b === true);
    case 'int':
    case 'int32':
    case 'int64':
    case 'uint':
    case 'uint32':
    case 'uint64': {
      const x = integerKey(keyType, a);
      const y = integerKey(keyType, b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      throw new RangeError(`map keys of type ${goTypeString(keyType)} are not supported`);
  }
}

// ----- the renderer ----------------------------------------------------------------------------

function isPlainObject(v: unknown): v is GoStructValue {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof CpuSet)
  );
}

function cpuSetStruct(v: GoValue): GoStructValue {
  if (v === undefined) return {};
  if (!(v instanceof CpuSet)) throw new TypeError(`cpuset.CPUSet value must be a CpuSet, got ${describe(v)}`);
  return { elems: new Map(v.toArray().map((id) => [id, {}])) };
}

function describe(v: GoValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'Map';
  if (v instanceof CpuSet) return 'CpuSet';
  return typeof v;
}

function integerText(type: GoBasicType, v: GoValue): string {
  if (v === undefined) return '0';
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else
    throw new TypeError(
      `${goTypeString(type)} value must be an integer, got ${typeof v === 'number' ? v : describe(v)}`,
    );
  if (type.kind.startsWith('uint') && n < 0n) {
    throw new RangeError(`${goTypeString(type)} value must not be negative, got ${n.toString()}`);
  }
  return n.toString();
}

class SharpVFormatter {
  private readonly out: string[] = [];
  private ignoreNextType = false;

  text(): string {
    return this.out.join('');
  }

  format(type: GoType, value: GoValue): void {
    if (type.kind === 'cpuset') {
      this.format(CPUSET_STRUCT, cpuSetStruct(value));
      return;
    }
    if (type.kind === 'pointer') {
      this.formatPtr(type, value);
      return;
    }
    if (!this.ignoreNextType) this.out.push('(', goTypeString(type), ')');
    this.ignoreNextType = false;

    switch (type.kind) {
      case 'bool':
        if (value !== undefined && typeof value !== 'boolean') {
          throw new TypeError(`bool value must be a boolean, got ${describe(value)}`);
        }
        this.out.push(value === true ? 'true' : 'false');
        return;
      case 'string':
        if (value !== undefined && typeof value !== 'string') {
          throw new TypeError(`${goTypeString(type)} value must be a string, got ${describe(value)}`);
        }
        this.out.push(value ?? '');
        return;
      case 'int':
      case 'int32':
      case 'int64':
      case 'uint':
      case 'uint32':
      case 'uint64':
        this.out.push(integerText(type, value));
        return;
      case 'slice':
        this.formatSlice(type, value);
        return;
      case 'map':
        this.formatMap(type, value);
        return;
      case 'struct':
        this.formatStruct(type, value);
        return;
    }
  }

  /** spew formatPtr: type (or `<*>` when types are suppressed), then the pointee without a type. */
  private formatPtr(type: GoPointerType, pointee: GoValue): void {
    const value = pointee === undefined ? null : pointee; // the zero pointer is nil
    if (value === null && this.ignoreNextType) {
      // spew returns here without clearing ignoreNextType (the leak described at the top).
      this.out.push('<nil>');
      return;
    }
    let indirects = 0;
    let target: GoType = type;
    let nilFound = false;
    while (target.kind === 'pointer') {
      if (value === null) {
        nilFound = true;
        break;
      }
      indirects++;
      target = target.elem;
    }
    if (!this.ignoreNextType) {
      this.out.push('(', '*'.repeat(indirects), goTypeString(target), ')');
    } else {
      const extra = nilFound ? (goTypeString(target).match(/\*/g) ?? []).length : 0;
      this.out.push('<', '*'.repeat(indirects + extra), '>');
    }
    if (nilFound) {
      this.out.push('<nil>');
      return;
    }
    this.ignoreNextType = true;
    this.format(target, value);
  }

  private formatSlice(type: GoSliceType, value: GoValue): void {
    if (value === null || value === undefined) {
      this.out.push('<nil>');
      return;
    }
    if (!Array.isArray(value)) {
      throw new TypeError(`${goTypeString(type)} value must be an array, got ${describe(value)}`);
    }
    const items = value as readonly GoValue[];
    this.out.push('[');
    items.forEach((item, i) => {
      if (i > 0) this.out.push(' ');
      this.ignoreNextType = true;
      this.format(type.elem, item);
    });
    this.out.push(']');
  }

  private formatMap(type: GoMapType, value: GoValue): void {
    if (value === null || value === undefined) {
      this.out.push('<nil>');
      return;
    }
    if (!(value instanceof Map)) {
      throw new TypeError(`${goTypeString(type)} value must be a Map, got ${describe(value)}`);
    }
    const map = value as ReadonlyMap<GoMapKey, GoValue>;
    const keys = [...map.keys()].sort((a, b) => compareKeys(type.key, a, b));
    this.out.push('map[');
    keys.forEach((key, i) => {
      if (i > 0) this.out.push(' ');
      this.ignoreNextType = true;
      this.format(type.key, key);
      this.out.push(':');
      this.ignoreNextType = true;
      this.format(type.elem, map.get(key));
    });
    this.out.push(']');
  }

  private formatStruct(type: GoStructType, value: GoValue): void {
    if (value !== undefined && !isPlainObject(value)) {
      throw new TypeError(`${goTypeString(type)} value must be a plain object, got ${describe(value)}`);
    }
    const record: GoStructValue = value ?? {};
    this.out.push('{');
    type.fields.forEach((field, i) => {
      if (i > 0) this.out.push(' ');
      this.out.push(field.name, ':');
      this.format(field.type, record[field.name]);
    });
    this.out.push('}');
  }
}

/** `printer.Sprintf("%#v", value)` with the kubelet's hashing printer config. */
export function spewSharpV(type: GoType, value: GoValue): string {
  const formatter = new SharpVFormatter();
  formatter.format(type, value);
  return formatter.text();
}

/** FNV-1a 32-bit (Go hash/fnv New32a) over the UTF-8 bytes of `text`; lone surrogates hash as U+FFFD. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const add = (b: number): void => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      add(c);
      continue;
    }
    if (c < 0x800) {
      add(0xc0 | (c >> 6));
      add(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        add(0xf0 | (cp >> 18));
        add(0x80 | ((cp >> 12) & 0x3f));
        add(0x80 | ((cp >> 6) & 0x3f));
        add(0x80 | (cp & 0x3f));
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    add(0xe0 | (c >> 12));
    add(0x80 | ((c >> 6) & 0x3f));
    add(0x80 | (c & 0x3f));
  }
  return h >>> 0;
}

/**
 * checksum.New(value): FNV-1a 32 over the `%#v` rendering (hashutil.DeepHashObject). For a
 * checkpoint, pass `goPointer(struct)` as the kubelet hashes the checkpoint pointer.
 */
export function deepHashObject(type: GoType, value: GoValue): number {
  return fnv1a32(spewSharpV(type, value));
}
