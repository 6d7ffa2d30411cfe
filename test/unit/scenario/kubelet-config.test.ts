// KubeletConfiguration (v1beta1 / configz) → KubeletConfig: defaults (allocator-model.md §1.3),
// feature gates over the version defaults (§1.8), durations, quantities, enum checks; read from
// real /configz answers and a real kubelet config file.

import { readFileSync } from 'node:fs';
import { InputError } from '../../../src/errors.js';
import { formatCpuList } from '../../../src/model/cpuset.js';
import { FEATURE_GATE_DEFAULTS } from '../../../src/model/kubelet-config.js';
import { parseGoDuration } from '../../../src/parse/go-duration.js';
import { DEFAULT_EVICTION_HARD, toKubeletConfig } from '../../../src/scenario/kubelet-config.js';

const CONFIGZ = '../shared/fixtures/real/configz';
function configz(name: string): unknown {
  const doc = JSON.parse(readFileSync(`${CONFIGZ}/${name}`, 'utf8')) as { kubeletconfig?: unknown };
  return doc.kubeletconfig ?? doc;
}
const Mi = 1n << 20n;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.oneLine();
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('toKubeletConfig: defaults', () => {
  it.each([undefined, null, {}])('%p → the kubelet defaults of §1.3', (raw) => {
    const c = toKubeletConfig(raw, '1.36', 'k');
    expect(c).toEqual({
      kubeletVersion: '1.36',
      featureGates: FEATURE_GATE_DEFAULTS['1.36'],
      cpuManagerPolicy: 'none',
      cpuManagerPolicyOptions: {},
      reservedSystemCPUs: null,
      kubeReserved: {},
      systemReserved: {},
      evictionHard: DEFAULT_EVICTION_HARD,
      topologyManagerPolicy: 'none',
      topologyManagerScope: 'container',
      topologyManagerPolicyOptions: {},
      memoryManagerPolicy: 'None',
      reservedMemory: [],
      cpuCFSQuota: true,
      cpuCFSQuotaPeriodUs: 100000,
    });
  });

  it('feature gates: explicit values over the version defaults, unknown gates kept', () => {
    const c = toKubeletConfig(
      { featureGates: { PodLevelResourceManagers: true, SomeOtherGate: false } },
      '1.37',
      'k',
    );
    expect(c.featureGates).toEqual({
      ...FEATURE_GATE_DEFAULTS['1.37'],
      PodLevelResourceManagers: true,
      SomeOtherGate: false,
    });
    expect(c.kubeletVersion).toBe('1.37');
  });

  it('an evictionHard map replaces the default whole unless mergeDefaultEvictionSettings is set', () => {
    expect(toKubeletConfig({ evictionHard: { 'nodefs.available': '5%' } }, '1.36', 'k').evictionHard).toEqual(
      {
        'nodefs.available': '5%',
      },
    );
    expect(
      toKubeletConfig(
        { evictionHard: { 'memory.available': '1Gi' }, mergeDefaultEvictionSettings: true },
        '1.36',
        'k',
      ).evictionHard,
    ).toEqual({ ...DEFAULT_EVICTION_HARD, 'memory.available': '1Gi' });
  });

  it('cpuCFSQuotaPeriod is read as a Go duration into microseconds', () => {
    expect(toKubeletConfig({ cpuCFSQuotaPeriod: '50000us' }, '1.36', 'k').cpuCFSQuotaPeriodUs).toBe(50000);
    expect(toKubeletConfig({ cpuCFSQuotaPeriod: '1s' }, '1.36', 'k').cpuCFSQuotaPeriodUs).toBe(1000000);
    expect(toKubeletConfig({ cpuCFSQuotaPeriod: '2.5ms' }, '1.36', 'k').cpuCFSQuotaPeriodUs).toBe(2500);
  });

  it('unquoted option values are taken as their text; reservedSystemCPUs as a number is a one-cpu list', () => {
    const c = toKubeletConfig(
      {
        cpuManagerPolicyOptions: { 'full-pcpus-only': true },
        topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': 16 },
        reservedSystemCPUs: 0,
      },
      '1.36',
      'k',
    );
    expect(c.cpuManagerPolicyOptions).toEqual({ 'full-pcpus-only': 'true' });
    expect(c.topologyManagerPolicyOptions).toEqual({ 'max-allowable-numa-nodes': '16' });
    expect(c.reservedSystemCPUs && formatCpuList(c.reservedSystemCPUs)).toBe('0');
  });

  it('reservedMemory entries of one NUMA node are merged, values in bytes', () => {
    const c = toKubeletConfig(
      {
        reservedMemory: [
          { numaNode: 0, limits: { memory: '1100Mi' } },
          { numaNode: 1, limits: { memory: '500Mi' } },
          { numaNode: 0, limits: { 'hugepages-2Mi': '4Mi' } },
        ],
      },
      '1.36',
      'k',
    );
    expect(c.reservedMemory).toEqual([
      { numaNode: 0, limits: { memory: 1100n * Mi, 'hugepages-2Mi': 4n * Mi } },
      { numaNode: 1, limits: { memory: 500n * Mi } },
    ]);
  });
});

describe('toKubeletConfig: real configurations', () => {
  it('EKS Outposts v1.30 /configz: static CPU manager, single-numa-node, container scope', () => {
    const c = toKubeletConfig(
      configz('eks-outposts-1.30-static-single-numa-node.configz.json'),
      '1.36',
      'configz',
    );
    expect(c.cpuManagerPolicy).toBe('static');
    expect(c.cpuManagerPolicyOptions).toEqual({});
    expect(c.topologyManagerPolicy).toBe('single-numa-node');
    expect(c.topologyManagerScope).toBe('container');
    expect(c.memoryManagerPolicy).toBe('None');
    expect(c.reservedSystemCPUs).toBeNull();
    expect(Object.fromEntries(Object.entries(c.kubeReserved).map(([k, q]) => [k, q.text]))).toEqual({
      cpu: '550m',
      'ephemeral-storage': '1Gi',
      memory: '8362Mi',
    });
    expect(c.systemReserved).toEqual({});
    expect(c.evictionHard).toEqual({
      'memory.available': '100Mi',
      'nodefs.available': '10%',
      'nodefs.inodesFree': '5%',
    });
    expect(c.featureGates).toEqual({
      ...FEATURE_GATE_DEFAULTS['1.36'],
      RotateKubeletServerCertificate: true,
    });
    expect([c.cpuCFSQuota, c.cpuCFSQuotaPeriodUs]).toEqual([true, 100000]);
  });

  it('kubeadm v1.28 /configz: every resource manager at its default', () => {
    const c = toKubeletConfig(
      configz('kubeadm-1.28-ubuntu-containerd-none-policy.configz.json'),
      '1.36',
      'configz',
    );
    expect([
      c.cpuManagerPolicy,
      c.topologyManagerPolicy,
      c.topologyManagerScope,
      c.memoryManagerPolicy,
    ]).toEqual(['none', 'none', 'container', 'None']);
    expect(c.featureGates).toEqual(FEATURE_GATE_DEFAULTS['1.36']);
    expect(c.evictionHard['imagefs.available']).toBe('15%');
  });

  it('OpenShift 4.11 kubelet.conf: full-pcpus-only, reserved cpu 0, Static memory manager with reservedMemory', () => {
    const c = toKubeletConfig(
      configz('ocp-4.11-gcp-worker-cnf-pao-static-memmgr.kubelet.conf.json'),
      '1.37',
      'kubelet.conf',
    );
    expect(c.cpuManagerPolicy).toBe('static');
    expect(c.cpuManagerPolicyOptions).toEqual({ 'full-pcpus-only': 'true' });
    expect(c.reservedSystemCPUs && formatCpuList(c.reservedSystemCPUs)).toBe('0');
    expect(c.topologyManagerPolicy).toBe('single-numa-node');
    expect(c.topologyManagerScope).toBe('container');
    expect(c.memoryManagerPolicy).toBe('Static');
    expect(c.reservedMemory).toEqual([{ numaNode: 0, limits: { memory: 1100n * Mi } }]);
    expect(c.kubeReserved.memory?.text).toBe('500Mi');
    expect(c.systemReserved['ephemeral-storage']?.text).toBe('1Gi');
    expect(c.featureGates.DownwardAPIHugePages).toBe(true);
    expect(c.featureGates.PodLevelResources).toBe(true);
  });
});

describe('toKubeletConfig: errors', () => {
  const w = 'scenario.yaml doc 1 node.kubelet';
  it.each<[string, unknown, string]>([
    [
      'cpu manager policy is lower case',
      { cpuManagerPolicy: 'Static' },
      'scenario.yaml doc 1 node.kubelet.cpuManagerPolicy: invalid value "Static": expected one of "none", "static"',
    ],
    [
      'memory manager policy is capitalised',
      { memoryManagerPolicy: 'static' },
      'scenario.yaml doc 1 node.kubelet.memoryManagerPolicy: invalid value "static": expected one of "None", "Static"',
    ],
    [
      'unknown topology manager policy',
      { topologyManagerPolicy: 'single-numa' },
      'scenario.yaml doc 1 node.kubelet.topologyManagerPolicy: invalid value "single-numa": expected one of "none", "best-effort", "restricted", "single-numa-node"',
    ],
    [
      'unknown scope',
      { topologyManagerScope: 'node' },
      'scenario.yaml doc 1 node.kubelet.topologyManagerScope: invalid value "node": expected one of "container", "pod"',
    ],
    [
      'BestEffort memory manager',
      { memoryManagerPolicy: 'BestEffort' },
      'scenario.yaml doc 1 node.kubelet.memoryManagerPolicy: the BestEffort memory manager policy exists only on Windows and is not modelled',
    ],
    [
      'feature gate not a boolean',
      { featureGates: { PodLevelResourceManagers: 'yes' } },
      'scenario.yaml doc 1 node.kubelet.featureGates.PodLevelResourceManagers: expected boolean, got "yes"',
    ],
    [
      'bad reserved cpu list',
      { reservedSystemCPUs: '0-x' },
      'scenario.yaml doc 1 node.kubelet.reservedSystemCPUs: invalid cpu list "0-x": invalid cpu list element "0-x"',
    ],
    [
      'bad quantity in kubeReserved',
      { kubeReserved: { cpu: '2x' } },
      'scenario.yaml doc 1 node.kubelet.kubeReserved.cpu: invalid quantity "2x"',
    ],
    [
      'bad duration',
      { cpuCFSQuotaPeriod: '100' },
      'scenario.yaml doc 1 node.kubelet.cpuCFSQuotaPeriod: invalid duration "100"; expected Go syntax such as "100ms" or "1m0s"',
    ],
    [
      'quota period out of range',
      { cpuCFSQuotaPeriod: '2s' },
      'scenario.yaml doc 1 node.kubelet.cpuCFSQuotaPeriod: must be between 1us and 1s, got "2s"',
    ],
    [
      'bad reconcile period',
      { cpuManagerReconcilePeriod: 'soon' },
      'scenario.yaml doc 1 node.kubelet.cpuManagerReconcilePeriod: invalid duration "soon"; expected Go syntax such as "100ms" or "1m0s"',
    ],
    [
      'eviction signal with a dotted name is bracketed',
      { evictionHard: { 'memory.available': 'lots' } },
      'scenario.yaml doc 1 node.kubelet.evictionHard[memory.available]: invalid quantity "lots"',
    ],
    [
      'reservedMemory for cpu',
      { reservedMemory: [{ numaNode: 0, limits: { cpu: '1' } }] },
      'scenario.yaml doc 1 node.kubelet.reservedMemory[0].limits.cpu: resource "cpu" cannot be reserved; only memory and hugepages-<size> can',
    ],
    [
      'reservedMemory twice for one node',
      {
        reservedMemory: [
          { numaNode: 0, limits: { memory: '1Gi' } },
          { numaNode: 0, limits: { memory: '1Gi' } },
        ],
      },
      'scenario.yaml doc 1 node.kubelet.reservedMemory[1].limits.memory: NUMA node 0 reserves "memory" twice',
    ],
    [
      'reservedMemory zero',
      { reservedMemory: [{ numaNode: 0, limits: { memory: '0' } }] },
      'scenario.yaml doc 1 node.kubelet.reservedMemory[0].limits.memory: reserved memory may not be zero for NUMA node 0',
    ],
    [
      'a whole /configz answer',
      { kubeletconfig: { cpuManagerPolicy: 'static' } },
      'scenario.yaml doc 1 node.kubelet.kubeletconfig: this is a whole /configz answer, not a KubeletConfiguration; give the object inside "kubeletconfig"',
    ],
    ['not a mapping', ['static'], 'scenario.yaml doc 1 node.kubelet: expected mapping, got a list'],
  ])('%s', (_name, raw, message) => {
    expect(errorOf(() => toKubeletConfig(raw, '1.36', w))).toBe(message);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['100ms', 100_000_000n],
    ['1m0s', 60_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5s', 1_500_000_000n],
    ['50000us', 50_000_000n],
    ['50000µs', 50_000_000n],
    ['0', 0n],
    ['-2s', -2_000_000_000n],
  ])('%s', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });

  it.each(['', '100', 's', '1x', '1.s.', 'ms10'])('rejects %p', (text) => {
    expect(() => parseGoDuration(text)).toThrow(RangeError);
  });
});
