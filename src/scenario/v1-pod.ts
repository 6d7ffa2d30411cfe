// Maps a v1 Pod (scenario files, the API server) to the model's Pod, applying the API server's
// defaulting and rejecting what its validation would reject (allocator-model.md §2.1, §6.3).
//
// Read: metadata.name/namespace/uid, status.qosClass, spec.resources, spec.initContainers[]
// (restartPolicy Always → sidecar, else init), spec.containers[] (name, resources). Every other
// Pod field (image, command, env, volumes, …) is accepted and ignored; inside a `resources`
// block only requests, limits and claims (ignored) are fields. All resource quantities are
// parsed and checked, but only cpu, memory and hugepages-<size> reach the model.
//
// Defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Pod as of v1.36):
//   1. every quantity is rounded up to milli precision (SetDefaults_ResourceList);
//   2. container requests default to limits, per resource, for init and app containers;
//   3. with PodLevelResources on and spec.resources set:
//      a. defaultHugePagePodLimits: a pod-level hugepages limit absent from both pod requests and
//         limits defaults to the aggregated container limit (when any pod-level value is set);
//      b. defaultPodRequests (only when pod-level limits are set): cpu/memory pod requests absent
//         default to the aggregated container requests, then any supported resource still
//         absent defaults to its pod limit.
// The pod-level limit defaulting added for v1.37 (gate PodLevelResourcesFixDefaulting,
// kubernetes#140514) is not applied.
//
// Aggregation is AggregateContainerRequests/Limits (component-helpers/resource, KEP-753):
//   sum(app) + sum(sidecars), raised to max over standard init containers i of
//   (init_i + sum(sidecars declared before i)).
//
// Validation (pkg/apis/core/validation, ValidateResourceRequirements and
// validatePodResourceConsistency): non-negative quantities, request ≤ limit, hugepages request =
// limit and a multiple of the page size, hugepages need cpu or memory; pod-level: only cpu,
// memory, hugepages-<size>; pod requests ≥ aggregated container requests; pod hugepages limits ≥
// aggregated container limits; every app container limit ≤ the pod limit; container names
// present and unique over init and app containers; at least one app container.
//
// The gates passed in stand for the API server's: the scenario's kubelet gates are assumed to
// match them. spec.resources is kept even with PodLevelResources off (a kubelet with the gate
// off still receives it from an API server with it on; allocator-model.md §2.3).

import { createHash } from 'node:crypto';
import type { Container, ContainerType, Pod, QosClass, ResourceAmounts, Resources } from '../model/pod.js';
import { formatBytes, formatMilliCpu } from '../model/quantity.js';
import {
  asEnum,
  asList,
  asMap,
  asName,
  asNonNegativeQuantity,
  checkKeys,
  hugepageSize,
  isAbsent,
  isHugepagesName,
  optList,
  optMap,
  optString,
} from './fields.js';
import { Where } from './where.js';

const QOS_CLASSES: readonly QosClass[] = ['Guaranteed', 'Burstable', 'BestEffort'];
const RESOURCES_FIELDS = ['requests', 'limits', 'claims'];

/** Resource name → value in milli-units (the value rounded up to milli precision). */
type ResourceList = Map<string, bigint>;

interface Requirements {
  readonly requests: ResourceList;
  readonly limits: ResourceList;
  readonly w: Where;
}

interface SpecContainer extends Requirements {
  readonly name: string;
  readonly type: ContainerType;
  /** The container itself (`w` is its resources block). */
  readonly at: Where;
}

export function toPod(raw: unknown, where: string | Where, gates: Readonly<Record<string, boolean>>): Pod {
  const w = Where.from(where);
  const pod = asMap(raw, w);
  if (!isAbsent(pod.apiVersion) && pod.apiVersion !== 'v1') {
    w.child('apiVersion').fail(`apiVersion ${JSON.stringify(pod.apiVersion)} is not "v1"`);
  }
  if (!isAbsent(pod.kind) && pod.kind !== 'Pod')
    w.child('kind').fail(`kind ${JSON.stringify(pod.kind)} is not "Pod"`);

  const mw = w.child('metadata');
  const meta = asMap(pod.metadata, mw);
  const name = asName(meta.name, mw.child('name'));
  const namespace = optString(meta.namespace, mw.child('namespace')) ?? 'default';
  const uid = optString(meta.uid, mw.child('uid')) ?? derivedUid(namespace, name);

  const sw = w.child('status');
  const status = optMap(pod.status, sw);
  const statusQosClass = isAbsent(status.qosClass)
    ? null
    : asEnum(status.qosClass, QOS_CLASSES, sw.child('qosClass'));

  const specW = w.child('spec');
  const spec = asMap(pod.spec, specW);
  const initContainers = optList(spec.initContainers, specW.child('initContainers')).map((c, i) =>
    specContainer(c, 'init', specW.child('initContainers').child(i)),
  );
  const appW = specW.child('containers');
  const apps = asList(spec.containers, appW);
  if (apps.length === 0) appW.fail('a pod needs at least one container');
  const containers = apps.map((c, i) => specContainer(c, 'app', appW.child(i)));
  checkUniqueNames([...initContainers, ...containers]);

  for (const c of [...initContainers, ...containers]) {
    defaultRequestsToLimits(c);
    validateRequirements(c);
  }

  let podLevel: Requirements | null = null;
  if (!isAbsent(spec.resources)) {
    podLevel = requirements(spec.resources, specW.child('resources'), true);
    if (gates.PodLevelResources === true) {
      defaultPodLevel(podLevel, initContainers, containers);
      validatePodLevel(podLevel, initContainers, containers);
    }
  }

  return {
    namespace,
    name,
    uid,
    statusQosClass,
    podResources: podLevel === null ? null : toResources(podLevel),
    initContainers: initContainers.map(toContainer),
    containers: containers.map(toContainer),
  };
}

/** A stable UUID-shaped uid from namespace/name (SHA-1 name-based, RFC 4122 version 5 layout). */
export function derivedUid(namespace: string, name: string): string {
  const b = createHash('sha1').update(`podres/${namespace}/${name}`).digest();
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function specContainer(raw: unknown, kind: 'init' | 'app', w: Where): SpecContainer {
  const c = asMap(raw, w);
  const name = asName(c.name, w.child('name'));
  let type: ContainerType = kind;
  if (kind === 'init') {
    const restartPolicy = optString(c.restartPolicy, w.child('restartPolicy'));
    if (restartPolicy === 'Always') type = 'sidecar';
  }
  return {
    name,
    type,
    at: w,
    ...requirements(isAbsent(c.resources) ? {} : c.resources, w.child('resources'), false),
  };
}

function checkUniqueNames(all: readonly SpecContainer[]): void {
  const seen = new Map<string, Where>();
  for (const c of all) {
    const first = seen.get(c.name);
    if (first !== undefined) {
      c.at.child('name').fail(`duplicate container name "${c.name}" (also ${pathAfterSpec(first)})`);
    }
    seen.set(c.name, c.at);
  }
}

/** "spec.containers[0]" out of a full location, for "also …" references. */
function pathAfterSpec(w: Where): string {
  const s = w.toString();
  const i = s.lastIndexOf('spec.');
  return i < 0 ? s : s.slice(i);
}

function requirements(raw: unknown, w: Where, podLevel: boolean): Requirements {
  const r = asMap(raw, w);
  checkKeys(r, RESOURCES_FIELDS, w);
  if (podLevel && !isAbsent(r.claims))
    w.child('claims').fail('claims cannot be set for resources at pod level');
  return {
    requests: resourceList(r.requests, w.child('requests')),
    limits: resourceList(r.limits, w.child('limits')),
    w,
  };
}

function resourceList(raw: unknown, w: Where): ResourceList {
  const out: ResourceList = new Map();
  for (const [name, value] of Object.entries(optMap(raw, w))) {
    const q = asNonNegativeQuantity(value, w.child(name));
    // SetDefaults_ResourceList: RoundUp(milli scale).
    const milli = (q.num * 1000n + q.den - 1n) / q.den;
    out.set(name, milli);
  }
  return out;
}

function defaultRequestsToLimits(r: Requirements): void {
  for (const [name, limit] of r.limits) if (!r.requests.has(name)) r.requests.set(name, limit);
}

function formatAmount(name: string, milli: bigint): string {
  if (name === 'cpu') return formatMilliCpu(Number(milli));
  if (milli % 1000n !== 0n) return `${milli}m`;
  return formatBytes(milli / 1000n);
}

const isCpuOrMemory = (name: string) => name === 'cpu' || name === 'memory';

/** ValidateResourceRequirements for the resources the model reads and their hugepages rules. */
function validateRequirements(r: Requirements): void {
  const reqW = r.w.child('requests');
  const limW = r.w.child('limits');
  for (const [name, value] of r.limits) {
    if (isHugepagesName(name)) checkPageMultiple(name, value, limW.child(name));
  }
  for (const [name, value] of r.requests) {
    const rw = reqW.child(name);
    const limit = r.limits.get(name);
    if (isHugepagesName(name)) {
      checkPageMultiple(name, value, rw);
      if (limit === undefined)
        throw limW.child(name).error('required: a hugepages request needs an equal limit');
      if (value !== limit) {
        rw.fail(
          `must be equal to the ${name} limit ${formatAmount(name, limit)}, got ${formatAmount(name, value)}`,
        );
      }
    } else if (limit !== undefined && value > limit) {
      rw.fail(
        `must be less than or equal to the ${name} limit ${formatAmount(name, limit)}, got ${formatAmount(name, value)}`,
      );
    }
  }
  const names = [...r.requests.keys(), ...r.limits.keys()];
  if (names.some(isHugepagesName) && !names.some(isCpuOrMemory)) {
    r.w.fail('hugepages require a cpu or memory request or limit');
  }
}

function checkPageMultiple(name: string, milli: bigint, w: Where): void {
  const pageSize = hugepageSize(name, w);
  if (milli % (pageSize * 1000n) !== 0n) {
    w.fail(
      `must be a whole multiple of the page size ${formatBytes(pageSize)}, got ${formatAmount(name, milli)}`,
    );
  }
}

function add(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0n) + v);
}

function maxInto(into: ResourceList, from: ResourceList): void {
  for (const [k, v] of from) {
    const cur = into.get(k);
    if (cur === undefined || v > cur) into.set(k, v);
  }
}

/** AggregateContainerRequests / AggregateContainerLimits (component-helpers/resource/helpers.go). */
function aggregate(
  inits: readonly SpecContainer[],
  apps: readonly SpecContainer[],
  pick: (c: SpecContainer) => ResourceList,
): ResourceList {
  const result: ResourceList = new Map();
  for (const c of apps) add(result, pick(c));
  const sidecars: ResourceList = new Map();
  const initMax: ResourceList = new Map();
  for (const c of inits) {
    if (c.type === 'sidecar') {
      add(result, pick(c));
      add(sidecars, pick(c));
      maxInto(initMax, sidecars);
    } else {
      const during: ResourceList = new Map(pick(c));
      add(during, sidecars);
      maxInto(initMax, during);
    }
  }
  maxInto(result, initMax);
  return result;
}

const isPodLevelResource = (name: string) => isCpuOrMemory(name) || isHugepagesName(name);

/** defaultHugePagePodLimits, then defaultPodRequests (pkg/apis/core/v1/defaults.go). */
function defaultPodLevel(
  pod: Requirements,
  inits: readonly SpecContainer[],
  apps: readonly SpecContainer[],
): void {
  if (pod.limits.size > 0 || pod.requests.size > 0) {
    for (const [name, value] of aggregate(inits, apps, (c) => c.limits)) {
      if (isHugepagesName(name) && !pod.requests.has(name) && !pod.limits.has(name))
        pod.limits.set(name, value);
    }
  }
  if (pod.limits.size === 0) return;
  for (const [name, value] of aggregate(inits, apps, (c) => c.requests)) {
    if (isCpuOrMemory(name) && !pod.requests.has(name)) pod.requests.set(name, value);
  }
  for (const [name, value] of pod.limits) {
    if (isPodLevelResource(name) && !pod.requests.has(name)) pod.requests.set(name, value);
  }
}

/** validatePodResources + validatePodResourceConsistency (pkg/apis/core/validation). */
function validatePodLevel(
  pod: Requirements,
  inits: readonly SpecContainer[],
  apps: readonly SpecContainer[],
): void {
  for (const [list, key] of [
    [pod.requests, 'requests'],
    [pod.limits, 'limits'],
  ] as const) {
    for (const name of list.keys()) {
      if (!isPodLevelResource(name)) {
        pod.w
          .child(key)
          .child(name)
          .fail(
            `resource "${name}" is not supported at pod level`,
            'pod-level resources support cpu, memory and hugepages-<size>',
          );
      }
    }
  }
  validateRequirements(pod);

  for (const [name, total] of aggregate(inits, apps, (c) => c.requests)) {
    const podValue = pod.requests.get(name);
    if (podValue !== undefined && total > podValue) {
      pod.w
        .child('requests')
        .child(name)
        .fail(
          `must be greater than or equal to the aggregate container requests of ${formatAmount(name, total)}, got ${formatAmount(name, podValue)}`,
        );
    }
  }
  for (const [name, total] of aggregate(inits, apps, (c) => c.limits)) {
    const podValue = pod.limits.get(name);
    if (isHugepagesName(name) && podValue !== undefined && total > podValue) {
      pod.w
        .child('limits')
        .child(name)
        .fail(
          `must be greater than or equal to the aggregate container limits of ${formatAmount(name, total)}, got ${formatAmount(name, podValue)}`,
        );
    }
  }
  for (const c of apps) {
    for (const [name, limit] of c.limits) {
      const podLimit = pod.limits.get(name);
      if (podLimit !== undefined && limit > podLimit) {
        c.w
          .child('limits')
          .child(name)
          .fail(
            `must be less than or equal to the pod-level ${name} limit ${formatAmount(name, podLimit)}, got ${formatAmount(name, limit)}`,
          );
      }
    }
  }
}

function toAmounts(list: ResourceList): ResourceAmounts {
  const hugepages: Record<string, bigint> = {};
  for (const [name, milli] of list) if (isHugepagesName(name)) hugepages[name] = milli / 1000n;
  const cpu = list.get('cpu');
  const memory = list.get('memory');
  return {
    ...(cpu === undefined ? {} : { cpu: Number(cpu) }),
    // Value(): bytes rounded up.
    ...(memory === undefined ? {} : { memory: (memory + 999n) / 1000n }),
    hugepages,
  };
}

function toResources(r: Requirements): Resources {
  return { requests: toAmounts(r.requests), limits: toAmounts(r.limits) };
}

function toContainer(c: SpecContainer): Container {
  return { name: c.name, type: c.type, resources: toResources(c) };
}
