// Shared helpers for the topology reader tests: where the real fixtures are, and one assertion
// that compares a Topology with facts read off a fixture (cpusets as canonical strings).

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Topology } from '../../../src/model/topology.js';

/** ../shared/fixtures/real/topology, relative to the project root the tests run from. */
export const TOPOLOGY_DIR = path.resolve(process.cwd(), '../shared/fixtures/real/topology');

export function fixturePath(name: string): string {
  return path.join(TOPOLOGY_DIR, name);
}

export function fixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** Fixture file names ending in `suffix`. */
export function fixturesEndingWith(suffix: string): string[] {
  return readdirSync(TOPOLOGY_DIR)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

/** Canonical list of start, start+step, …, end ("0,2,4" or "0-3" for step 1). */
export function stride(start: number, end: number, step: number): string {
  if (step === 1) return start === end ? `${start}` : `${start}-${end}`;
  const ids: number[] = [];
  for (let id = start; id <= end; id += step) ids.push(id);
  return ids.join(',');
}

export interface TopologyFacts {
  /** All CPUs. */
  readonly cpus: string;
  /** NUMA node id → its CPUs. */
  readonly numa: Readonly<Record<number, string>>;
  /** Socket id → its CPUs. */
  readonly sockets: Readonly<Record<number, string>>;
  readonly cores: number;
  readonly cpusPerCore: number;
  readonly uncores: number;
  readonly numaFirst: boolean;
  /** Some uncore ids → their CPUs. */
  readonly uncoreCpus?: Readonly<Record<number, string>>;
  /** Some CPUs → the CPUs of their core (the sibling pairs). */
  readonly coreOf?: Readonly<Record<number, string>>;
}

export function expectFacts(t: Topology, facts: TopologyFacts): void {
  const byId = (ids: readonly number[], cpus: (id: number) => { toString(): string }) =>
    Object.fromEntries(ids.map((id) => [id, cpus(id).toString()]));
  expect({
    cpus: t.all.toString(),
    numa: byId(t.numaNodes, (n) => t.cpusInNuma(n)),
    sockets: byId(t.sockets, (s) => t.cpusInSocket(s)),
    cores: t.cores.length,
    cpusPerCore: t.cpusPerCore,
    uncores: t.uncores.length,
    numaFirst: t.numaFirst,
  }).toEqual({
    cpus: facts.cpus,
    numa: facts.numa,
    sockets: facts.sockets,
    cores: facts.cores,
    cpusPerCore: facts.cpusPerCore,
    uncores: facts.uncores,
    numaFirst: facts.numaFirst,
  });
  const uncoreIds = Object.keys(facts.uncoreCpus ?? {}).map(Number);
  expect(byId(uncoreIds, (u) => t.cpusInUncore(u))).toEqual(facts.uncoreCpus ?? {});
  const cpus = Object.keys(facts.coreOf ?? {}).map(Number);
  expect(byId(cpus, (c) => t.cpusInCore(t.info(c).core))).toEqual(facts.coreOf ?? {});
}

/** Runs `fn`, expecting it to throw; returns the error. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw e;
  }
  throw new Error('expected an error, none was thrown');
}

/** The shape every InputError message must have: one line, no final period, starting with the source. */
export function expectMessageShape(message: string, source: string): void {
  expect(message.startsWith(`${source} `) || message.startsWith(`${source}:`)).toBe(true);
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/\.$/);
  const afterSource = message.slice(source.length).replace(/^[ :]+/, '');
  expect(afterSource.charAt(0)).toBe(afterSource.charAt(0).toLowerCase());
}
