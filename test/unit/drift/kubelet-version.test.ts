// The kubelet version of the Node object mapped to the model's versions (cli.md §6.2 point 1).

import { nodeKubeletVersion, toVersionFacts } from '../../../src/drift/kubelet-version.js';

describe('toVersionFacts', () => {
  it.each([
    ['v1.36.2', '1.36', 'modelled', false, { major: 1, minor: 36, patch: 2 }],
    ['v1.37.0-beta.0', '1.37', 'modelled', false, { major: 1, minor: 37, patch: 0 }],
    ['v1.37.1+k3s1', '1.37', 'modelled', false, { major: 1, minor: 37, patch: 1 }],
    ['1.36', '1.36', 'modelled', false, { major: 1, minor: 36, patch: 0 }],
    ['v1.30.2-eks-1552ad0', '1.36', 'older', true, { major: 1, minor: 30, patch: 2 }],
    ['v1.28.14', '1.36', 'older', true, { major: 1, minor: 28, patch: 14 }],
    ['v1.38.0', '1.37', 'newer', false, { major: 1, minor: 38, patch: 0 }],
    ['v2.0.0', '1.37', 'newer', false, { major: 2, minor: 0, patch: 0 }],
    ['nightly', '1.36', 'unknown', false, null],
    ['v1', '1.36', 'unknown', false, null],
  ])('%s → model %s (%s)', (reported, model, range, plrmForcedOff, parsed) => {
    expect(toVersionFacts(reported)).toEqual({ reported, parsed, model, range, plrmForcedOff });
  });

  it('no version: null', () => {
    expect(toVersionFacts(null)).toBeNull();
    expect(toVersionFacts(' ')).toBeNull();
  });
});

describe('nodeKubeletVersion', () => {
  it('reads status.nodeInfo.kubeletVersion', () => {
    expect(nodeKubeletVersion({ status: { nodeInfo: { kubeletVersion: 'v1.36.2' } } })).toBe('v1.36.2');
  });
  it.each([
    [null],
    [{}],
    [{ status: { nodeInfo: { kubeletVersion: 136 } } }],
    [{ status: { nodeInfo: [] } }],
  ])('null for %j', (node) => {
    expect(nodeKubeletVersion(node)).toBeNull();
  });
});
