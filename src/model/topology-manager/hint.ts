// Topology hints as the hint providers hand them to the Topology Manager
// (pkg/kubelet/cm/topologymanager/topology_manager.go: TopologyHint, HintProvider.GetTopologyHints).

import type { NumaMask } from '../bitmask.js';
import { maskNodes } from '../bitmask.js';

/**
 * One NUMA affinity a provider could satisfy. `mask: null` is the kubelet's nil affinity
 * ("any NUMA node"); `{nil, true}` means "no preference".
 */
export interface TopologyHint {
  readonly mask: NumaMask | null;
  readonly preferred: boolean;
}

/**
 * One provider's answer: null = nil map (no preference); per resource: null = nil list
 * ("don't care"), [] = cannot satisfy. An empty map counts as a nil map, as `len(hints) == 0`
 * does in the kubelet. Resources are visited in the map's insertion order (Go's map order is
 * random; the merge result does not depend on it).
 */
export type ProviderHints = ReadonlyMap<string, readonly TopologyHint[] | null> | null;

/** `{0,1} preferred`, `{nil} not preferred` (explain output). */
export function formatHint(h: TopologyHint): string {
  const nodes = h.mask === null ? 'nil' : maskNodes(h.mask).join(',');
  return `{${nodes}} ${h.preferred ? 'preferred' : 'not preferred'}`;
}
