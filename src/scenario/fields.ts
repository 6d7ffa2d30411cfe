// Typed readers for untyped document values (parsed YAML/JSON). Each names the field in its
// error ("expected integer, got "a""). `null` counts as absent, as in Kubernetes JSON.

import { parseQuantity, type Quantity } from '../model/quantity.js';
import type { Where } from './where.js';

export type RawMap = Readonly<Record<string, unknown>>;

/** How a value is named in "got …": strings quoted, lists and mappings by kind. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

function expected(what: string, v: unknown, w: Where): never {
  return w.fail(`expected ${what}, got ${describeValue(v)}`);
}

export function isAbsent(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isMap(v: unknown): v is RawMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asMap(v: unknown, w: Where): RawMap {
  if (isAbsent(v)) return w.fail('required');
  return isMap(v) ? v : expected('mapping', v, w);
}

/** A mapping, or `{}` when absent. */
export function optMap(v: unknown, w: Where): RawMap {
  return isAbsent(v) ? {} : asMap(v, w);
}

export function asList(v: unknown, w: Where): readonly unknown[] {
  if (isAbsent(v)) return w.fail('required');
  return Array.isArray(v) ? (v as unknown[]) : expected('list', v, w);
}

/** A list, or `[]` when absent. */
export function optList(v: unknown, w: Where): readonly unknown[] {
  return isAbsent(v) ? [] : asList(v, w);
}

/** Rejects keys outside `known`. */
export function checkKeys(map: RawMap, known: readonly string[], w: Where): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) w.child(key).fail('unknown field', `known fields: ${known.join(', ')}`);
  }
}

export function asString(v: unknown, w: Where): string {
  if (isAbsent(v)) return w.fail('required');
  return typeof v === 'string' ? v : expected('string', v, w);
}

export function optString(v: unknown, w: Where): string | undefined {
  return isAbsent(v) ? undefined : asString(v, w);
}

/** A non-empty string. */
export function asName(v: unknown, w: Where): string {
  const s = asString(v, w);
  return s === '' ? w.fail('required') : s;
}

/** A string, or a number/boolean written unquoted where the schema has a string. */
export function asScalarString(v: unknown, w: Where): string {
  if (isAbsent(v)) return w.fail('required');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return expected('string', v, w);
}

export function asBool(v: unknown, w: Where): boolean {
  if (isAbsent(v)) return w.fail('required');
  return typeof v === 'boolean' ? v : expected('boolean', v, w);
}

export function asInt(v: unknown, w: Where, min = 0): number {
  if (isAbsent(v)) return w.fail('required');
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return expected('integer', v, w);
  return v < min ? w.fail(`must be ${min === 0 ? 'non-negative' : `at least ${min}`}, got ${v}`) : v;
}

export function optInt(v: unknown, w: Where, min = 0): number | undefined {
  return isAbsent(v) ? undefined : asInt(v, w, min);
}

export function asEnum<T extends string>(v: unknown, allowed: readonly T[], w: Where): T {
  const s = asString(v, w);
  if ((allowed as readonly string[]).includes(s)) return s as T;
  return w.fail(
    `invalid value ${JSON.stringify(s)}: expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
  );
}

/** A Kubernetes quantity written as a string ("1500m", "16Gi") or a number. */
export function asQuantity(v: unknown, w: Where): Quantity {
  if (isAbsent(v)) return w.fail('required');
  if (typeof v !== 'string' && typeof v !== 'number') return expected('quantity', v, w);
  try {
    return parseQuantity(v);
  } catch (e) {
    return w.fail(`invalid quantity ${describeValue(v)}`, undefined, e);
  }
}

/** A quantity that must not be negative. */
export function asNonNegativeQuantity(v: unknown, w: Where): Quantity {
  const q = asQuantity(v, w);
  return q.num < 0n ? w.fail(`must be greater than or equal to 0, got "${q.text}"`) : q;
}

const HUGEPAGES_PREFIX = 'hugepages-';

export function isHugepagesName(name: string): boolean {
  return name.startsWith(HUGEPAGES_PREFIX);
}

/**
 * The page size in bytes of a `hugepages-<size>` resource name ("hugepages-2Mi" → 2097152), as
 * the API server's HugePageSizeFromResourceName reads it: a positive whole number of bytes.
 */
export function hugepageSize(name: string, w: Where): bigint {
  const sizeText = name.slice(HUGEPAGES_PREFIX.length);
  let size: Quantity | undefined;
  try {
    size = parseQuantity(sizeText);
  } catch {
    size = undefined;
  }
  if (size?.den !== 1n || size.num <= 0n) return w.fail(`invalid hugepages resource name "${name}"`);
  return size.num;
}
