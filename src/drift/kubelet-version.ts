// The node's kubelet version (Node.status.nodeInfo.kubeletVersion: "v1.36.2", "v1.30.2-eks-1552ad0")
// mapped to the model's versions (cli.md §6.2 point 1): v1.36.x → 1.36, v1.37.x → 1.37, older →
// 1.36 with PodLevelResourceManagers off (the gate does not exist there), newer → 1.37; an
// unparsable version is replayed as 1.36. Config check C15 reports everything but 1.36/1.37.

import type { VersionFacts } from './context.js';

/** `v1.36.2`, `1.36`, `v1.30.2-eks-1552ad0`, `v1.37.0+k3s1`, `v1.37.0-beta.0` */
const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?$/;

/** The model version for a reported kubelet version; null when none is reported. */
export function toVersionFacts(reported: string | null): VersionFacts | null {
  if (reported === null || reported.trim() === '') return null;
  const m = VERSION.exec(reported.trim());
  if (m === null) {
    return { reported, parsed: null, model: '1.36', range: 'unknown', plrmForcedOff: false };
  }
  const parsed = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? '0') };
  const rank = parsed.major * 1000 + parsed.minor;
  if (rank < 1036) return { reported, parsed, model: '1.36', range: 'older', plrmForcedOff: true };
  if (rank === 1036) return { reported, parsed, model: '1.36', range: 'modelled', plrmForcedOff: false };
  if (rank === 1037) return { reported, parsed, model: '1.37', range: 'modelled', plrmForcedOff: false };
  return { reported, parsed, model: '1.37', range: 'newer', plrmForcedOff: false };
}

/** `Node.status.nodeInfo.kubeletVersion` of a raw v1 Node, null when absent. */
export function nodeKubeletVersion(node: object | null): string | null {
  const v = field(field(field(node, 'status'), 'nodeInfo'), 'kubeletVersion');
  return typeof v === 'string' && v !== '' ? v : null;
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && !Array.isArray(o)
    ? (o as Readonly<Record<string, unknown>>)[key]
    : undefined;
}
