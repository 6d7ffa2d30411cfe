// QoS class, pod-level detection, eligibility and pod totals (allocator-model.md §2).

import {
  exclusiveCpus,
  isEquivalentGuaranteed,
  isPodLevelPod,
  podCpus,
  podQosClass,
} from '../../../src/model/qos.js';
import type { PodGates } from '../../../src/model/qos.js';
import { aPod, guaranteed, resources } from '../../helpers/builders.js';

const on: PodGates = { plr: true, plrm: true };
const plrOnly: PodGates = { plr: true, plrm: false };
const off: PodGates = { plr: false, plrm: false };

describe('podQosClass', () => {
  it.each([
    [
      'all containers requests = limits → Guaranteed',
      aPod('p').container('a', guaranteed('2', '1Gi')).build(),
      on,
      'Guaranteed',
    ],
    ['no resources anywhere → BestEffort', aPod('p').container('a').build(), on, 'BestEffort'],
    [
      'a Guaranteed and a BestEffort container → Burstable',
      aPod('p').container('a', guaranteed('1', '1Gi')).container('b').build(),
      on,
      'Burstable',
    ],
    [
      'requests below limits → Burstable',
      aPod('p')
        .container('a', resources({ cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '1Gi' }))
        .build(),
      on,
      'Burstable',
    ],
    [
      'cpu only (memory zero) → Burstable',
      aPod('p')
        .container('a', resources({ cpu: '1' }, { cpu: '1' }))
        .build(),
      on,
      'Burstable',
    ],
    [
      'pod-level Guaranteed budget with BestEffort sidecars → Guaranteed (containers ignored)',
      aPod('p').podLevel('8', '16Gi').sidecar('s').container('a', guaranteed('6', '12Gi')).build(),
      on,
      'Guaranteed',
    ],
    [
      'the same pod with PodLevelResources off is classified from its containers → Burstable',
      aPod('p').podLevel('8', '16Gi').sidecar('s').container('a', guaranteed('6', '12Gi')).build(),
      off,
      'Burstable',
    ],
    [
      'status.qosClass wins when present',
      aPod('p').statusQos('BestEffort').container('a', guaranteed('1', '1Gi')).build(),
      on,
      'BestEffort',
    ],
  ])('%s', (_name, pod, gates, expected) => {
    expect(podQosClass(pod, gates)).toBe(expected);
  });
});

describe('eligibility for exclusive CPUs (guaranteedCPUs)', () => {
  const pod = aPod('p')
    .podLevel('8', '16Gi')
    .sidecar('shared')
    .sidecar('cpu-only', resources({ cpu: '1' }, { cpu: '1' }))
    .container('frac', guaranteed('1500m', '1Gi'))
    .container('whole', guaranteed('2', '1Gi'))
    .build();

  it.each([
    ['shared', 0],
    ['cpu-only', 0],
    ['frac', 0],
    ['whole', 2],
  ])('pod-level pod with PLRM: %s gets %i', (name, n) => {
    const c = [...pod.initContainers, ...pod.containers].find((x) => x.name === name)!;
    expect(exclusiveCpus(pod, c, 'Guaranteed', on)).toBe(n);
  });

  it('a cpu-only container is not equivalent Guaranteed (memory request missing)', () => {
    expect(isEquivalentGuaranteed(pod.initContainers[1]!)).toBe(false);
    expect(isEquivalentGuaranteed(pod.containers[1]!)).toBe(true);
  });

  it('non-Guaranteed pods get no exclusive CPUs at all', () => {
    expect(exclusiveCpus(pod, pod.containers[1]!, 'Burstable', on)).toBe(0);
  });
});

describe('pod totals (podGuaranteedCPUs)', () => {
  it('pod-level pod with PLRM: the integer pod-level request', () => {
    expect(
      podCpus(
        aPod('p').podLevel('8', '16Gi').container('a', guaranteed('2', '1Gi')).build(),
        'Guaranteed',
        on,
      ),
    ).toBe(8);
  });

  it('pod-level pod with a fractional pod request: 0 (no CPU pool)', () => {
    expect(podCpus(aPod('p').podLevel('1500m', '4Gi').container('a').build(), 'Guaranteed', on)).toBe(0);
  });

  it('classic pod: max(largest init + sidecars before it, apps + sidecars)', () => {
    const pod = aPod('p')
      .init('setup', guaranteed('6', '1Gi'))
      .sidecar('proxy', guaranteed('1', '1Gi'))
      .init('late-init', guaranteed('4', '1Gi'))
      .container('a', guaranteed('2', '1Gi'))
      .build();
    // init max: max(6, 1 + 4) = 6; long-running: 2 + 1 = 3
    expect(podCpus(pod, 'Guaranteed', on)).toBe(6);
  });

  it('PodLevelResources on but PLRM off: a pod-level pod is counted like a classic pod', () => {
    const pod = aPod('p').podLevel('8', '16Gi').container('a', guaranteed('2', '1Gi')).build();
    expect(isPodLevelPod(pod)).toBe(true);
    expect(podCpus(pod, 'Guaranteed', plrOnly)).toBe(2);
  });
});
