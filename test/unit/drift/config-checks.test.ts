// Config checks C1–C16 and the NodeReport config summary (cli.md §7.1, §8.3), on the real /configz
// answers of an EKS v1.30 node (static, single-numa-node) and a kubeadm v1.28 node (all defaults),
// edited one setting at a time, and on every seed scenario in examples/.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkConfig } from '../../../src/drift/config-checks.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';
import type { Finding } from '../../../src/schema/reports.js';
import {
  EKS,
  KUBEADM,
  configContext,
  dualSocket,
  realKubeletConfig,
  type ConfigContextInput,
} from './config-context.js';

const PLRM_ON = { PodLevelResources: true, PodLevelResourceManagers: true };

/** The website's pod-scope example: a pod-level Guaranteed pod (4 CPUs / 4Gi), sidecars + main-app 2/2Gi. */
const podLevelPod: Record<string, unknown> = parseAllDocuments(
  readFileSync(
    path.resolve(
      process.cwd(),
      '../shared/fixtures/real/pods/k8s-website-pod-level-resource-managers-pod-scope-mixed.yaml',
    ),
    'utf8',
  ),
)[0]?.toJS() as Record<string, unknown>;

const classicPod: Record<string, unknown> = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'web', uid: 'u-web-0' },
  spec: {
    containers: [
      {
        name: 'web',
        resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } },
      },
    ],
  },
  status: { phase: 'Running', qosClass: 'Guaranteed' },
};

function eks(edit: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...realKubeletConfig(EKS), ...edit };
}

function kubeadm(edit: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...realKubeletConfig(KUBEADM), ...edit };
}

function run(input: ConfigContextInput) {
  return checkConfig(configContext(input));
}

function codes(findings: readonly Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

function only(findings: readonly Finding[], code: string): Finding {
  const hits = codes(findings, code);
  if (hits.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(findings, null, 1)}`);
  return hits[0] as Finding;
}

function coverageOf(result: ReturnType<typeof checkConfig>, code: string) {
  const c = result.coverage.find((x) => x.code === code);
  if (c === undefined) throw new Error(`no coverage for ${code}`);
  return c;
}

describe('checkConfig on the real /configz answers as they are', () => {
  it('EKS v1.30: modelled as 1.36 with PLRM off, one reserved CPU taken by topology, C15 info only', () => {
    const r = run({ kubeletConfig: eks(), kubeletVersion: 'v1.30.2-eks-1552ad0', topology: dualSocket() });
    expect(r.config).toEqual({
      cpuManagerPolicy: 'static',
      cpuManagerPolicyOptions: {},
      reservedCpus: '0',
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'container',
      topologyManagerPolicyOptions: {},
      memoryManagerPolicy: 'None',
      cpuCFSQuota: true,
      featureGates: {
        CPUManagerPolicyAlphaOptions: false,
        CPUManagerPolicyBetaOptions: true,
        DisableCPUQuotaWithExclusiveCPUs: true,
        KubeletPodResourcesGet: true,
        PodLevelResourceManagers: false,
        PodLevelResources: true,
        SidecarContainers: true,
        TopologyManagerPolicyAlphaOptions: false,
        TopologyManagerPolicyBetaOptions: true,
      },
      podLevelManagers: 'inactive-version',
    });
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['C15', 'info']]);
    expect(r.coverage.map((c) => c.code)).toEqual(Array.from({ length: 16 }, (_, i) => `C${i + 1}`));
    expect(r.coverage.every((c) => c.status === 'checked')).toBe(true);
  });

  it('kubeadm v1.28: all defaults, no reserved CPUs, nothing but C15', () => {
    const r = run({ kubeletConfig: kubeadm(), kubeletVersion: 'v1.28.14', topology: dualSocket() });
    expect(r.config?.cpuManagerPolicy).toBe('none');
    expect(r.config?.reservedCpus).toBeNull();
    expect(r.config?.podLevelManagers).toBe('inactive-version');
    expect(r.findings.map((f) => f.code)).toEqual(['C15']);
  });

  it('without /configz: no summary, configz checks not-checked with the source reason, C2/C15 still run', () => {
    const r = run({ kubeletConfig: null, kubeletVersion: 'v1.30.2', pods: [podLevelPod] });
    expect(r.config).toBeNull();
    expect(coverageOf(r, 'C1')).toEqual({
      code: 'C1',
      status: 'not-checked',
      missing: ['configz'],
      reason: 'configz: forbidden (403)',
    });
    expect(coverageOf(r, 'C9')).toEqual({
      code: 'C9',
      status: 'not-checked',
      missing: ['configz'],
      reason: 'configz: forbidden (403)',
    });
    expect(coverageOf(r, 'C2').status).toBe('checked');
    expect(r.findings.map((f) => f.code)).toEqual(['C2', 'C15']);
  });

  it('a /configz value the model cannot read: summary null, coverage names the field', () => {
    const r = run({ kubeletConfig: eks({ cpuManagerPolicy: 'dynamic' }), kubeletVersion: 'v1.36.1' });
    expect(r.config).toBeNull();
    const c = coverageOf(r, 'C6');
    expect(c.status).toBe('not-checked');
    expect(c.missing).toEqual([]);
    expect(c.reason).toContain(
      'configz of node worker-1 kubeletconfig.cpuManagerPolicy: invalid value "dynamic"',
    );
  });
});

describe('C1 PLRM on while PodLevelResources is off', () => {
  it('trips', () => {
    const r = run({
      kubeletConfig: eks({ featureGates: { PodLevelResources: false, PodLevelResourceManagers: true } }),
      kubeletVersion: 'v1.36.2',
    });
    const f = only(r.findings, 'C1');
    expect(f).toMatchObject({
      severity: 'error',
      node: 'worker-1',
      evidence: ['configz'],
      expected: 'PodLevelResources=true',
      observed: 'PodLevelResources=false',
    });
    expect(f.message).toMatch(/^feature gate PodLevelResourceManagers is on but PodLevelResources/);
    expect(r.config?.podLevelManagers).toBe('inactive-gate');
  });
  it('does not trip with both gates on', () => {
    const r = run({ kubeletConfig: eks({ featureGates: PLRM_ON }), kubeletVersion: 'v1.36.2' });
    expect(codes(r.findings, 'C1')).toEqual([]);
  });
});

describe('C2 kubelet older than v1.36 running pod-level pods', () => {
  it('trips on the EKS v1.30 node with the website pod-level pod', () => {
    const r = run({
      kubeletConfig: eks(),
      kubeletVersion: 'v1.30.2-eks-1552ad0',
      pods: [podLevelPod, classicPod],
    });
    const f = only(r.findings, 'C2');
    expect(f).toMatchObject({
      severity: 'warning',
      evidence: ['node-object'],
      expected: '>=v1.36',
      observed: 'v1.30.2-eks-1552ad0',
    });
    expect(f.message).toContain('1 pod-level pod (default/pod-scope-mixed)');
    expect(codes(r.findings, 'C3')).toEqual([]);
  });
  it('does not trip without pod-level pods, nor for a pod that is not running', () => {
    expect(
      codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.30.2', pods: [classicPod] }).findings, 'C2'),
    ).toEqual([]);
    const done = { ...podLevelPod, status: { phase: 'Succeeded' } };
    expect(
      codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.30.2', pods: [done] }).findings, 'C2'),
    ).toEqual([]);
  });
  it('is not-checked without the node object', () => {
    const r = run({ kubeletConfig: eks(), kubeletVersion: null, pods: [podLevelPod] });
    expect(coverageOf(r, 'C2')).toEqual({
      code: 'C2',
      status: 'not-checked',
      missing: ['node-object'],
      reason: 'node: not found (404)',
    });
  });
});

describe('C3 PLRM off on v1.36+ with pod-level pods', () => {
  it('trips with the gate at its default', () => {
    const f = only(
      run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2', pods: [podLevelPod] }).findings,
      'C3',
    );
    expect(f).toMatchObject({
      severity: 'warning',
      evidence: ['configz'],
      expected: 'PodLevelResourceManagers=true',
      observed: 'PodLevelResourceManagers=false',
    });
  });
  it('names PodLevelResources when that one is off', () => {
    const r = run({
      kubeletConfig: eks({ featureGates: { PodLevelResources: false } }),
      kubeletVersion: 'v1.37.0',
      pods: [podLevelPod],
    });
    expect(only(r.findings, 'C3').observed).toBe('PodLevelResources=false');
  });
  it('does not trip with PLRM on, nor without pod-level pods', () => {
    expect(
      codes(
        run({ kubeletConfig: eks({ featureGates: PLRM_ON }), kubeletVersion: 'v1.36.2', pods: [podLevelPod] })
          .findings,
        'C3',
      ),
    ).toEqual([]);
    expect(
      codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2', pods: [classicPod] }).findings, 'C3'),
    ).toEqual([]);
  });
  it('is partial when the version is unknown', () => {
    const r = run({ kubeletConfig: eks(), kubeletVersion: null, pods: [podLevelPod] });
    expect(codes(r.findings, 'C3')).toEqual([]);
    expect(coverageOf(r, 'C3')).toMatchObject({ status: 'partial', missing: ['node-object'] });
  });
});

describe('C4–C7 PLRM on with settings that give pod-level pods no pools', () => {
  it('kubeadm defaults with PLRM on: C4 (TM none), C6 (cpu none), C7 (memory None); no C5 under TM none', () => {
    const r = run({ kubeletConfig: kubeadm({ featureGates: PLRM_ON }), kubeletVersion: 'v1.37.0' });
    expect(only(r.findings, 'C4')).toMatchObject({
      severity: 'warning',
      expected: 'best-effort, restricted or single-numa-node',
      observed: 'none',
    });
    expect(only(r.findings, 'C6')).toMatchObject({
      severity: 'warning',
      resource: 'cpu',
      expected: 'static',
      observed: 'none',
    });
    expect(only(r.findings, 'C7')).toMatchObject({
      severity: 'warning',
      resource: 'memory',
      expected: 'Static',
      observed: 'None',
    });
    expect(codes(r.findings, 'C5')).toEqual([]);
    expect(r.config?.podLevelManagers).toBe('inactive-policy');
  });
  it('EKS with PLRM on: C5 (container scope), C7 (memory None), no C4/C6', () => {
    const r = run({ kubeletConfig: eks({ featureGates: PLRM_ON }), kubeletVersion: 'v1.37.0' });
    expect(only(r.findings, 'C5')).toMatchObject({
      severity: 'info',
      expected: 'pod',
      observed: 'container',
    });
    expect(only(r.findings, 'C7').observed).toBe('None');
    expect(codes(r.findings, 'C4')).toEqual([]);
    expect(codes(r.findings, 'C6')).toEqual([]);
    expect(r.config?.podLevelManagers).toBe('container-scope');
  });
  it('EKS with PLRM on, pod scope and a valid Static memory manager: none of C4–C7, state active', () => {
    const r = run({
      kubeletConfig: eks({
        featureGates: PLRM_ON,
        topologyManagerScope: 'pod',
        memoryManagerPolicy: 'Static',
        reservedMemory: [{ numaNode: 0, limits: { memory: '8462Mi' } }],
      }),
      kubeletVersion: 'v1.37.0',
      topology: dualSocket(),
    });
    expect(r.findings.filter((f) => ['C4', 'C5', 'C6', 'C7', 'C12'].includes(f.code))).toEqual([]);
    expect(r.config?.podLevelManagers).toBe('active');
  });
  it('no C4–C7 while PLRM is off', () => {
    const r = run({ kubeletConfig: kubeadm(), kubeletVersion: 'v1.36.0' });
    expect(r.findings.filter((f) => ['C4', 'C5', 'C6', 'C7'].includes(f.code))).toEqual([]);
  });
});

describe('C8 CPU manager options the kubelet refuses', () => {
  it('an alpha option without CPUManagerPolicyAlphaOptions', () => {
    const r = run({
      kubeletConfig: eks({
        topologyManagerPolicy: 'best-effort',
        cpuManagerPolicyOptions: { 'distribute-cpus-across-cores': 'true' },
      }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    const f = only(r.findings, 'C8');
    expect(f).toMatchObject({
      severity: 'error',
      resource: 'cpu',
      evidence: ['configz'],
      expected: 'CPUManagerPolicyAlphaOptions=true',
      observed: 'CPUManagerPolicyAlphaOptions=false',
    });
    expect(f.message).toContain(
      'CPU Manager Policy Alpha-level Options not enabled, but option "distribute-cpus-across-cores" provided',
    );
    // the summary still shows what is configured; the replay's configuration leaves it out
    expect(r.config?.cpuManagerPolicyOptions).toEqual({ 'distribute-cpus-across-cores': 'true' });
  });
  it('an unknown option, a value that is not a bool and one that is not a scalar: one finding each', () => {
    const r = run({
      kubeletConfig: eks({
        cpuManagerPolicyOptions: {
          'go-fast': 'true',
          'full-pcpus-only': 'yes',
          'strict-cpu-reservation': { on: true },
        },
      }),
      kubeletVersion: 'v1.37.1',
    });
    const c8 = codes(r.findings, 'C8');
    expect(c8.map((f) => f.observed)).toEqual([
      'full-pcpus-only=yes',
      'go-fast=true',
      'strict-cpu-reservation=<not a string>',
    ]);
    expect(c8[1]?.expected).toMatch(
      /^one of align-by-socket, distribute-cpus-across-cores, .*strict-cpu-reservation$/,
    );
    expect(c8[1]?.message).toContain('unknown CPU Manager Policy option: "go-fast"');
    expect(r.config).not.toBeNull();
  });
  it('does not trip for GA and beta options with default gates, nor with the alpha gate on', () => {
    const r = run({
      kubeletConfig: eks({
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        topologyManagerPolicy: 'best-effort',
        cpuManagerPolicyOptions: {
          'full-pcpus-only': 'true',
          'strict-cpu-reservation': 'true',
          'align-by-socket': 'true',
        },
      }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    expect(codes(r.findings, 'C8')).toEqual([]);
    expect(codes(r.findings, 'C9')).toEqual([]);
  });
});

describe('C9 incompatible CPU options', () => {
  it('mutually exclusive options', () => {
    const r = run({
      kubeletConfig: eks({
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true', 'distribute-cpus-across-cores': 'true' },
      }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    const f = only(r.findings, 'C9');
    expect(f).toMatchObject({ severity: 'error', observed: 'distribute-cpus-across-cores,full-pcpus-only' });
    expect(f.message).toContain(
      'static policy options full-pcpus-only and distribute-cpus-across-cores can not be used together',
    );
  });
  it('align-by-socket with single-numa-node (no topology needed)', () => {
    const r = run({
      kubeletConfig: eks({
        featureGates: { CPUManagerPolicyAlphaOptions: true },
        cpuManagerPolicyOptions: { 'align-by-socket': 'true' },
      }),
      kubeletVersion: 'v1.36.2',
    });
    expect(only(r.findings, 'C9').observed).toBe('topologyManagerPolicy=single-numa-node');
    expect(coverageOf(r, 'C9').status).toBe('checked');
  });
  it('align-by-socket on a machine with more sockets than NUMA nodes; partial without a topology', () => {
    const config = eks({
      featureGates: { CPUManagerPolicyAlphaOptions: true },
      topologyManagerPolicy: 'restricted',
      cpuManagerPolicyOptions: { 'align-by-socket': 'true' },
    });
    const oneNuma = {
      cpus: Array.from({ length: 8 }, (_, id) => ({ id, core: id, socket: id < 4 ? 0 : 1, numa: 0 })),
      memory: [{ numa: 0, memory: '16Gi' }],
    };
    const r = run({ kubeletConfig: config, kubeletVersion: 'v1.36.2', topology: oneNuma });
    expect(only(r.findings, 'C9')).toMatchObject({
      expected: 'sockets <= NUMA nodes',
      observed: '2 sockets, 1 NUMA nodes',
      evidence: ['configz', 'topology'],
    });
    const without = run({ kubeletConfig: config, kubeletVersion: 'v1.36.2' });
    expect(codes(without.findings, 'C9')).toEqual([]);
    expect(coverageOf(without, 'C9')).toEqual({
      code: 'C9',
      status: 'partial',
      missing: ['topology'],
      reason: 'no topology',
    });
  });
});

describe('C10 options with cpuManagerPolicy none', () => {
  it('trips: the kubelet refuses to start (NewNonePolicy), so it is an error', () => {
    const r = run({
      kubeletConfig: kubeadm({ cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } }),
      kubeletVersion: 'v1.36.0',
    });
    expect(only(r.findings, 'C10')).toMatchObject({
      severity: 'error',
      resource: 'cpu',
      observed: 'full-pcpus-only=true',
    });
    expect(codes(r.findings, 'C8')).toEqual([]);
  });
  it('does not trip without options', () => {
    expect(
      codes(
        run({ kubeletConfig: kubeadm({ cpuManagerPolicyOptions: {} }), kubeletVersion: 'v1.36.0' }).findings,
        'C10',
      ),
    ).toEqual([]);
  });
});

describe('C11 reserved CPUs of the static policy', () => {
  it('no CPU reserved at all', () => {
    const r = run({ kubeletConfig: eks({ kubeReserved: { memory: '8362Mi' } }), kubeletVersion: 'v1.36.2' });
    expect(only(r.findings, 'C11')).toMatchObject({ severity: 'error', expected: '>0', observed: '0' });
  });
  it('reservedSystemCPUs not on the machine', () => {
    const r = run({
      kubeletConfig: eks({ reservedSystemCPUs: '62-65' }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    const f = only(r.findings, 'C11');
    expect(f).toMatchObject({
      expected: 'a subset of 0-63',
      observed: '62-65',
      evidence: ['configz', 'topology'],
    });
    expect(r.config?.reservedCpus).toBeNull();
  });
  it('more CPUs to reserve than the machine has', () => {
    const r = run({
      kubeletConfig: eks({ kubeReserved: { cpu: '70' } }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    expect(only(r.findings, 'C11')).toMatchObject({
      expected: '70 reserved CPUs',
      observed: '64 CPUs on the machine',
    });
  });
  it('clean: explicit reservedSystemCPUs are the reserved CPUs even without a topology; taken ones need it', () => {
    const explicit = run({ kubeletConfig: eks({ reservedSystemCPUs: '0,32' }), kubeletVersion: 'v1.36.2' });
    expect(codes(explicit.findings, 'C11')).toEqual([]);
    expect(explicit.config?.reservedCpus).toBe('0,32');
    const taken = run({
      kubeletConfig: eks({ kubeReserved: { cpu: '1500m' } }),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    expect(codes(taken.findings, 'C11')).toEqual([]);
    expect(taken.config?.reservedCpus).toBe('0,32');
    const noTopology = run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2' });
    expect(noTopology.config?.reservedCpus).toBeNull();
    expect(coverageOf(noTopology, 'C11')).toMatchObject({ status: 'partial', missing: ['topology'] });
  });
});

describe('C12 memory manager Static prerequisites', () => {
  const staticMemory = (reservedMemory: unknown) => eks({ memoryManagerPolicy: 'Static', reservedMemory });
  it('no reservedMemory', () => {
    const r = run({
      kubeletConfig: staticMemory(undefined),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    expect(only(r.findings, 'C12')).toMatchObject({
      severity: 'error',
      resource: 'memory',
      expected: '8462Mi',
      observed: '0',
    });
  });
  it('totals that differ from kubeReserved + systemReserved + evictionHard', () => {
    const r = run({
      kubeletConfig: staticMemory([{ numaNode: 0, limits: { memory: '1100Mi' } }]),
      kubeletVersion: 'v1.36.2',
    });
    const f = only(r.findings, 'C12');
    expect(f).toMatchObject({ expected: '8462Mi', observed: '1100Mi' });
    expect(f.message).toContain('is not equal to the value "8462Mi" determined by Node Allocatable feature');
  });
  it('reserved memory on a NUMA node the machine does not have', () => {
    const r = run({
      kubeletConfig: staticMemory([{ numaNode: 3, limits: { memory: '8462Mi' } }]),
      kubeletVersion: 'v1.36.2',
      topology: dualSocket(),
    });
    expect(only(r.findings, 'C12').message).toContain(
      'reserved memory for NUMA node 3, which does not exist',
    );
  });
  it('a percentage eviction threshold resolved with the node capacity; clean when the totals match', () => {
    const config = eks({
      memoryManagerPolicy: 'Static',
      evictionHard: { 'memory.available': '10%' },
      kubeReserved: { cpu: '1', memory: '1Gi' },
      reservedMemory: [{ numaNode: 0, limits: { memory: '2Gi' } }],
    });
    expect(
      codes(
        run({ kubeletConfig: config, kubeletVersion: 'v1.36.2', capacityMemory: '10Gi' }).findings,
        'C12',
      ),
    ).toEqual([]);
    expect(
      only(run({ kubeletConfig: config, kubeletVersion: 'v1.36.2', capacityMemory: '20Gi' }).findings, 'C12')
        .expected,
    ).toBe('3Gi');
    const unknown = run({ kubeletConfig: config, kubeletVersion: 'v1.36.2' });
    expect(coverageOf(unknown, 'C12').status).toBe('not-checked');
  });
  it('does not apply to memoryManagerPolicy None', () => {
    expect(codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2' }).findings, 'C12')).toEqual([]);
  });
});

describe('C13 NUMA nodes over max-allowable-numa-nodes', () => {
  it('16 NUMA nodes with the default limit of 8', () => {
    const r = run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2', topology: dualSocket(8) });
    const f = only(r.findings, 'C13');
    expect(f).toMatchObject({
      severity: 'error',
      expected: '<=8 NUMA nodes',
      observed: '16 NUMA nodes',
      evidence: ['configz', 'topology'],
    });
  });
  it('clean with max-allowable-numa-nodes 16, or with topologyManagerPolicy none', () => {
    const raised = eks({ topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': '16' } });
    expect(
      codes(
        run({ kubeletConfig: raised, kubeletVersion: 'v1.36.2', topology: dualSocket(8) }).findings,
        'C13',
      ),
    ).toEqual([]);
    expect(
      codes(
        run({ kubeletConfig: kubeadm(), kubeletVersion: 'v1.36.2', topology: dualSocket(8) }).findings,
        'C13',
      ),
    ).toEqual([]);
  });
  it('an invalid topology manager option is reported without a topology', () => {
    const r = run({
      kubeletConfig: eks({ topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': '4' } }),
      kubeletVersion: 'v1.36.2',
    });
    expect(only(r.findings, 'C13').message).toContain(
      'the minimum value of "max-allowable-numa-nodes" should not be less than 8',
    );
  });
  it('partial without a topology', () => {
    const r = run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2' });
    expect(coverageOf(r, 'C13')).toEqual({
      code: 'C13',
      status: 'partial',
      missing: ['topology'],
      reason: 'no topology',
    });
  });
});

describe('C14 CFS quota settings', () => {
  it('cpuCFSQuota false', () => {
    const f = only(
      run({ kubeletConfig: eks({ cpuCFSQuota: false }), kubeletVersion: 'v1.36.2' }).findings,
      'C14',
    );
    expect(f).toMatchObject({ severity: 'info', expected: 'true', observed: 'false' });
  });
  it('DisableCPUQuotaWithExclusiveCPUs off', () => {
    const r = run({
      kubeletConfig: eks({ featureGates: { DisableCPUQuotaWithExclusiveCPUs: false } }),
      kubeletVersion: 'v1.36.2',
    });
    expect(only(r.findings, 'C14').observed).toBe('DisableCPUQuotaWithExclusiveCPUs=false');
  });
  it('clean with the defaults', () => {
    expect(codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2' }).findings, 'C14')).toEqual([]);
  });
});

describe('C15 kubelet version outside 1.36–1.37', () => {
  it.each([
    [
      'v1.30.2-eks-1552ad0',
      'info',
      /older than the modelled versions 1.36-1.37; modelled as 1.36 with PodLevelResourceManagers off/,
    ],
    ['v1.38.1', 'info', /newer than the modelled versions 1.36-1.37; modelled as 1.37$/],
    ['nightly', 'warning', /kubelet version "nightly" cannot be parsed; modelled as 1.36/],
  ])('%s → %s', (version, severity, message) => {
    const f = only(run({ kubeletConfig: eks(), kubeletVersion: version }).findings, 'C15');
    expect(f.severity).toBe(severity);
    expect(f.observed).toBe(version);
    expect(f.evidence).toEqual(['node-object']);
    expect(f.message).toMatch(message);
  });
  it.each(['v1.36.0', 'v1.37.2+k3s1'])('%s is modelled', (version) => {
    expect(codes(run({ kubeletConfig: eks(), kubeletVersion: version }).findings, 'C15')).toEqual([]);
  });
});

describe('C16 downgrade hazard of v1.36 with PLRM on', () => {
  it('trips on v1.36', () => {
    const f = only(
      run({ kubeletConfig: eks({ featureGates: PLRM_ON }), kubeletVersion: 'v1.36.2' }).findings,
      'C16',
    );
    expect(f).toMatchObject({ severity: 'info', evidence: ['configz', 'node-object'] });
    expect(f.message).toContain('drain the node and delete both state files');
  });
  it('not on v1.37, nor on v1.36 with PLRM off', () => {
    expect(
      codes(
        run({ kubeletConfig: eks({ featureGates: PLRM_ON }), kubeletVersion: 'v1.37.0' }).findings,
        'C16',
      ),
    ).toEqual([]);
    expect(codes(run({ kubeletConfig: eks(), kubeletVersion: 'v1.36.2' }).findings, 'C16')).toEqual([]);
  });
});

describe('findings are sorted by severity, then code', () => {
  it('orders errors before warnings before infos', () => {
    const r = run({
      kubeletConfig: kubeadm({
        featureGates: PLRM_ON,
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
        cpuCFSQuota: false,
      }),
      kubeletVersion: 'v1.36.2',
    });
    expect(r.findings.map((f) => `${f.severity}:${f.code}`)).toEqual([
      'error:C10',
      'warning:C4',
      'warning:C6',
      'warning:C7',
      'info:C14',
      'info:C16',
    ]);
  });
});

describe('the seed scenarios in examples/', () => {
  const dir = path.resolve(process.cwd(), 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  it.each(files)('%s: no C error', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const inputs = parseScenarios(text, `examples/${file}`);
    const raws = parseAllDocuments(text).map(
      (d) => d.toJS() as { node: { kubelet?: Record<string, unknown>; topology?: Record<string, unknown> } },
    );
    inputs.forEach((input, i) => {
      const r = run({
        kubeletConfig: raws[i]?.node.kubelet ?? {},
        kubeletVersion: `v${input.node.config.kubeletVersion}.0`,
        topology: raws[i]?.node.topology ?? null,
      });
      expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(r.config?.reservedCpus).not.toBeNull();
    });
  });
});
