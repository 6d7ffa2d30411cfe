// Maps a memory manager checkpoint object (the JSON of /var/lib/kubelet/memory_manager_state,
// V1–V3, allocator-model.md §9.2) given in a scenario's `node.state.memoryManager` to the
// model's MemoryStateInput. The kubelet's own reader (parse/memory-checkpoint.ts) reads it, fed
// the object as JSON text, so checksums are verified the same way (a mismatch is a warning);
// its errors name the scenario field followed by the checkpoint's JSON path.

import type { MemoryManagerPolicy } from '../model/kubelet-config.js';
import type { MemoryStateInput } from '../model/simulation-input.js';
import { parseMemoryCheckpoint } from '../parse/memory-checkpoint.js';
import { asMap } from './fields.js';
import type { Where } from './where.js';

export interface MemoryStateResult {
  /** null for a fresh kubelet (empty machine state, no assignments). */
  readonly state: MemoryStateInput | null;
  readonly warnings: readonly string[];
}

export function toMemoryState(raw: unknown, w: Where, policy: MemoryManagerPolicy): MemoryStateResult {
  asMap(raw, w);
  const parsed = parseMemoryCheckpoint(JSON.stringify(raw), w.toString());
  const cp = parsed.checkpoint;
  if (cp.policyName !== policy) {
    w.child('policyName').fail(
      `checkpoint written by policy "${cp.policyName}" but memoryManagerPolicy is "${policy}"`,
      'the kubelet refuses to start with a checkpoint of another policy; drain the node and remove memory_manager_state',
    );
  }
  const fresh = cp.machineState.size === 0 && cp.entries.size === 0;
  return {
    state: fresh ? null : { machineState: cp.machineState, entries: cp.entries, podEntries: cp.podEntries },
    warnings: parsed.warnings,
  };
}
