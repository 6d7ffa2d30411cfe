// The CPU and memory managers' checkpoint files under the kubelet root dir, read raw (cli.md §5.7,
// §8.6): the text unchanged, checksums and syntax are the readers' business. A missing or
// unreadable file is `null` plus an error entry; the other file is still read.

import type { ObservationError, ObservedCheckpointFile } from '../../schema/observation.js';
import { describeFsError, hostPath, type HostFs } from './host-fs.js';

export const CPU_MANAGER_STATE = 'cpu_manager_state';
export const MEMORY_MANAGER_STATE = 'memory_manager_state';

export interface CheckpointFiles {
  readonly cpuManager: ObservedCheckpointFile | null;
  readonly memoryManager: ObservedCheckpointFile | null;
  readonly errors: readonly ObservationError[];
}

/** Reads `<hostRoot><kubeletRootDir>/{cpu,memory}_manager_state`. */
export async function readCheckpointFiles(
  fs: HostFs,
  hostRoot: string,
  kubeletRootDir: string,
): Promise<CheckpointFiles> {
  const errors: ObservationError[] = [];
  const read = async (name: string): Promise<ObservedCheckpointFile | null> => {
    const path = hostPath(hostRoot, kubeletRootDir, name);
    try {
      return { path, content: await fs.readFile(path) };
    } catch (e) {
      errors.push({
        source: 'checkpoint',
        path,
        message: `cannot read ${name} "${path}": ${describeFsError(e)}`,
      });
      return null;
    }
  };
  const cpuManager = await read(CPU_MANAGER_STATE);
  const memoryManager = await read(MEMORY_MANAGER_STATE);
  return { cpuManager, memoryManager, errors };
}
