// Readers for the cgroup files `collect` reads per pod and container (file text in, value out):
//
// * cgroup v2: `cpuset.cpus.effective`, `cpuset.mems.effective` (Linux lists "0-3,8", empty when
//   none), `cpu.max` ("max 100000" or "<quota> <period>", µs), `cpu.stat` (flat keyed:
//   `usage_usec …`, `nr_periods`, `nr_throttled`, `throttled_usec`, `nr_bursts`, …);
// * cgroup v1: `cpuset.effective_cpus`, `cpuset.effective_mems`, `cpu.cfs_quota_us` (-1 = no
//   quota) with `cpu.cfs_period_us`, and `cpu.stat` (`nr_periods`, `nr_throttled`,
//   `throttled_time` in ns, newer kernels add `nr_bursts`, `burst_time`, `wait_sum`).
//
// Both versions come out in the v2 forms the NodeObservation document holds (cli.md §8.6):
// `cpuMax` as "max <period>" / "<quota> <period>" and `cpuStat` in microseconds. Keys of cpu.stat
// that are not needed are ignored, but every line must still be "<key> <value>". Errors are
// InputErrors naming the file path and the line: `<path> line 3: <why>` (no line for a missing key).

import { InputError } from '../errors.js';
import { parseCpuList, type CpuSet } from '../model/cpuset.js';
import type { ObservedCgroup } from '../schema/observation.js';

/** Throttling counters of one cgroup, as NodeObservation `cgroups[].cpuStat` holds them. */
export type CgroupCpuStat = NonNullable<ObservedCgroup['cpuStat']>;

/**
 * A cpuset list file (v2 `cpuset.cpus.effective` / `cpuset.mems.effective`, v1
 * `cpuset.effective_cpus` / `cpuset.effective_mems`): one line, "" = empty set.
 */
export function parseCgroupCpuset(text: string, path: string): CpuSet {
  const line = singleLine(text, path);
  try {
    return parseCpuList(line);
  } catch (e) {
    throw fail(path, 1, e instanceof Error ? e.message : String(e), e);
  }
}

/** v2 `cpu.max` → "max <period>" or "<quota> <period>" (µs, normalized spacing). */
export function parseCpuMax(text: string, path: string): string {
  const line = singleLine(text, path);
  const parsed = splitCpuMax(line);
  if (parsed === null) {
    throw fail(path, 1, `expected "max <period>" or "<quota> <period>" in microseconds, got "${line}"`);
  }
  return `${parsed.quota ?? 'max'} ${parsed.period}`;
}

/** v1 `cpu.cfs_quota_us` + `cpu.cfs_period_us` → the v2 `cpu.max` form ("-1" → "max"). */
export function cpuMaxFromCfs(
  quotaText: string,
  quotaPath: string,
  periodText: string,
  periodPath: string,
): string {
  const quota = singleLine(quotaText, quotaPath);
  const period = singleLine(periodText, periodPath);
  if (!isPositiveInteger(period))
    throw fail(periodPath, 1, `expected a period in microseconds, got "${period}"`);
  if (quota === '-1') return `max ${period}`;
  if (!isPositiveInteger(quota))
    throw fail(quotaPath, 1, `expected a quota in microseconds or -1, got "${quota}"`);
  return `${quota} ${period}`;
}

/**
 * The CFS quota of a `cpu.max` value in millicores: quota × 1000 / period, rounded; null for
 * "max" (no quota). "800000 100000" → 8000.
 */
export function cpuMaxMillicores(cpuMax: string): number | null {
  const parsed = splitCpuMax(cpuMax.trim());
  if (parsed === null) {
    throw new InputError(`invalid cpu.max value "${cpuMax}": expected "max <period>" or "<quota> <period>"`);
  }
  return parsed.quota === null ? null : Math.round((parsed.quota * 1000) / parsed.period);
}

/**
 * v2 `cpu.stat` → the throttling counters; null when the file has none of them (the cpu
 * controller is not enabled for the cgroup, so the kernel shows only the usage lines).
 */
export function parseCpuStatV2(text: string, path: string): CgroupCpuStat | null {
  const kv = flatKeyed(text, path);
  if (!['nr_periods', 'nr_throttled', 'throttled_usec'].some((k) => kv.has(k))) return null;
  return {
    nrPeriods: counter(kv, 'nr_periods', path),
    nrThrottled: counter(kv, 'nr_throttled', path),
    throttledUsec: counter(kv, 'throttled_usec', path),
  };
}

/**
 * v1 `cpu.stat` → the throttling counters, `throttled_time` (ns) in µs (rounded down, as the v2
 * kernel derives throttled_usec); null when the file has none of them.
 */
export function parseCpuStatV1(text: string, path: string): CgroupCpuStat | null {
  const kv = flatKeyed(text, path);
  if (!['nr_periods', 'nr_throttled', 'throttled_time'].some((k) => kv.has(k))) return null;
  return {
    nrPeriods: counter(kv, 'nr_periods', path),
    nrThrottled: counter(kv, 'nr_throttled', path),
    throttledUsec: Number(bigCounter(kv, 'throttled_time', path) / 1000n),
  };
}

// ----- helpers ------------------------------------------------------------------------------------

const UNSIGNED = /^\d+$/;

function isPositiveInteger(s: string): boolean {
  return UNSIGNED.test(s) && BigInt(s) > 0n;
}

function splitCpuMax(line: string): { quota: number | null; period: number } | null {
  const fields = line.split(/\s+/);
  if (fields.length !== 2) return null;
  const [quota = '', period = ''] = fields;
  if (!isPositiveInteger(period) || (quota !== 'max' && !isPositiveInteger(quota))) return null;
  return { quota: quota === 'max' ? null : Number(quota), period: Number(period) };
}

/** `<path> line <n>: <why>`; without a line for what the file lacks. */
function fail(path: string, line: number | null, why: string, cause?: unknown): InputError {
  const where = line === null ? path : `${path} line ${line}`;
  return new InputError(`${where}: ${why}`, cause === undefined ? {} : { cause });
}

/** The one line of a single-value file (a trailing newline allowed). */
function singleLine(text: string, path: string): string {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (lines.length > 1) throw fail(path, 2, `expected one line, found ${lines.length}`);
  return (lines[0] ?? '').trim();
}

interface KeyedValue {
  readonly value: string;
  readonly line: number;
}

/** A flat-keyed file ("<key> <value>" per line) → key → value and its line. */
function flatKeyed(text: string, path: string): Map<string, KeyedValue> {
  const out = new Map<string, KeyedValue>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) throw fail(path, i + 1, `expected "<key> <value>", got "${line}"`);
    const [key = '', value = ''] = fields;
    const first = out.get(key);
    if (first !== undefined) throw fail(path, i + 1, `"${key}" given twice (first on line ${first.line})`);
    out.set(key, { value, line: i + 1 });
  });
  return out;
}

function bigCounter(kv: Map<string, KeyedValue>, key: string, path: string): bigint {
  const entry = kv.get(key);
  if (entry === undefined) throw fail(path, null, `no "${key}" line`);
  if (!UNSIGNED.test(entry.value) || BigInt(entry.value) > 0xffffffffffffffffn) {
    throw fail(path, entry.line, `expected an unsigned integer for "${key}", got "${entry.value}"`);
  }
  return BigInt(entry.value);
}

function counter(kv: Map<string, KeyedValue>, key: string, path: string): number {
  return Number(bigCounter(kv, key, path));
}
