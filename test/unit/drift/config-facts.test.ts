// /configz → the model's configuration for the node replay (cli.md §6.2 point 1).

import { toConfigFacts } from '../../../src/drift/config-facts.js';
import { toVersionFacts } from '../../../src/drift/kubelet-version.js';
import { EKS, KUBEADM, realKubeletConfig } from './config-context.js';

const V136 = toVersionFacts('v1.36.2');

describe('toConfigFacts', () => {
  it('reads the real EKS /configz: static, single-numa-node, 10s reconcile period', () => {
    const facts = toConfigFacts(realKubeletConfig(EKS), V136, 'worker-1');
    expect(facts.error).toBeNull();
    expect(facts.model).toMatchObject({
      kubeletVersion: '1.36',
      cpuManagerPolicy: 'static',
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'container',
      memoryManagerPolicy: 'None',
    });
    expect(facts.model?.featureGates.RotateKubeletServerCertificate).toBe(true);
    expect(facts.gates).toEqual({ plr: true, plrm: false });
    expect(facts.reconcilePeriodMs).toBe(10_000);
  });

  it('leaves out the CPU options a static-policy kubelet refuses (C8), keeps the others', () => {
    const raw = {
      ...realKubeletConfig(EKS),
      cpuManagerPolicyOptions: {
        'full-pcpus-only': 'true',
        'align-by-socket': 'true',
        'go-fast': 'true',
        'strict-cpu-reservation': { on: true },
      },
    };
    const facts = toConfigFacts(raw, V136, 'worker-1');
    expect(facts.model?.cpuManagerPolicyOptions).toEqual({ 'full-pcpus-only': 'true' });
    expect(facts.raw).toBe(raw);
  });

  it('keeps options under policy none (the kubelet refuses them all: C10)', () => {
    const raw = { ...realKubeletConfig(KUBEADM), cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } };
    expect(toConfigFacts(raw, V136, 'worker-1').model?.cpuManagerPolicyOptions).toEqual({
      'full-pcpus-only': 'true',
    });
  });

  it('forces PodLevelResourceManagers off below v1.36 and models them as 1.36', () => {
    const raw = { ...realKubeletConfig(EKS), featureGates: { PodLevelResourceManagers: true } };
    const facts = toConfigFacts(raw, toVersionFacts('v1.30.2-eks-1552ad0'), 'worker-1');
    expect(facts.model?.kubeletVersion).toBe('1.36');
    expect(facts.model?.featureGates.PodLevelResourceManagers).toBe(false);
    expect(facts.gates).toEqual({ plr: true, plrm: false });
    const v137 = toConfigFacts(raw, toVersionFacts('v1.37.0'), 'worker-1');
    expect(v137.gates).toEqual({ plr: true, plrm: true });
  });

  it('reads cpuManagerReconcilePeriod', () => {
    const facts = toConfigFacts({ cpuManagerReconcilePeriod: '1m30s' }, V136, 'worker-1');
    expect(facts.reconcilePeriodMs).toBe(90_000);
  });

  it('a value the model cannot read: no model, the error names node and field', () => {
    const facts = toConfigFacts(
      { ...realKubeletConfig(EKS), topologyManagerScope: 'socket' },
      V136,
      'worker-1',
    );
    expect(facts.model).toBeNull();
    expect(facts.gates).toBeNull();
    expect(facts.error).toBe(
      'configz of node worker-1 kubeletconfig.topologyManagerScope: invalid value "socket": expected one of "container", "pod"',
    );
    expect(toConfigFacts([], V136, 'worker-1').error).toBe(
      'configz of node worker-1 kubeletconfig: expected a mapping',
    );
  });
});
