// A fake node for the `collect` tests, in a temp directory: the real sysfs of nto-bm-worker1 (80
// CPUs, 2 NUMA nodes; only the files collect reads), real checkpoint files, kubepods cgroup trees
// (v2 systemd at sys/fs/cgroup, v1 cgroupfs + docker at cgroup-v1) and the fake PodResources gRPC
// server on the kubelet's socket path, serving LIST_137 / ALLOCATABLE_137. `collect()` runs the
// command in-process with a fixed clock; its HostFs serves the sysfs part from memory (the same
// capture: reading it from disk is sysfs.test.ts' job, and runs through run() do it too).

import { collectCommand, type CollectArgs, type CollectDeps } from '../../src/cli/commands/collect.js';
import type { Io } from '../../src/cli/io.js';
import { parseObservation } from '../../src/parse/observation.js';
import type { NodeObservation } from '../../src/schema/observation.js';
import { liveHostFs, type HostFs } from '../../src/sources/host/host-fs.js';
import {
  expectedCgroup,
  FAKE_PODS,
  writeCgroupTree,
  type CgroupDriver,
  type ContainerRuntime,
} from './fake-cgroups.js';
import {
  checkpointFixture,
  isReadBySysfsReader,
  makeTempDir,
  overlayFs,
  removeDir,
  sysfsHostFs,
  unpackSysfs,
  writeHostFile,
} from './fake-host.js';
import { startFakePodResourcesServer, type FakePodResourcesServer } from './fake-podresources-server.js';
import { ALLOCATABLE_137, LIST_137 } from './podresources-data.js';

export const WORKER1 = 'nto-bm-worker1-r740xd-xeon-gold-6230-2s.sysfs.tar.gz';
export const CPU_STATE = 'kubeman-tstbed-1-podscope-case2.cpu_manager_state.json';
export const MEMORY_STATE = 'gengwg-node0010-none-policy.memory_manager_state.json';
export const NOW = new Date('2026-05-12T10:01:07.481Z');

export interface CollectResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ARGS: CollectArgs = {
  hostRoot: '/',
  kubeletRootDir: '/var/lib/kubelet',
  podresourcesSocket: null,
  cgroupRoot: null,
  nodeName: 'worker-1',
  kubeletVersion: 'v1.37.0',
  timeout: '5s',
  output: 'json',
};

class Capture {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export class CollectNode {
  private constructor(
    readonly root: string,
    readonly socket: string,
    readonly server: FakePodResourcesServer,
    /** the temp root, its sysfs served from memory */
    readonly hostFs: HostFs,
  ) {}

  static async create(): Promise<CollectNode> {
    const root = await makeTempDir('podres-collect-');
    await unpackSysfs(root, WORKER1, isReadBySysfsReader);
    await writeHostFile(root, 'var/lib/kubelet/cpu_manager_state', await checkpointFixture(CPU_STATE));
    await writeHostFile(root, 'var/lib/kubelet/memory_manager_state', await checkpointFixture(MEMORY_STATE));
    await writeCgroupTree(root, { version: 2, driver: 'systemd' });
    await writeCgroupTree(root, {
      version: 1,
      driver: 'cgroupfs',
      runtime: 'docker',
      cgroupDir: 'cgroup-v1',
    });
    const socket = `${root}/var/lib/kubelet/pod-resources/kubelet.sock`;
    const server = await startFakePodResourcesServer({
      list: LIST_137,
      allocatable: ALLOCATABLE_137,
      socketPath: socket,
    });
    const hostFs = overlayFs(liveHostFs, `${root}/sys/devices/system`, sysfsHostFs(WORKER1, root));
    return new CollectNode(root, socket, server, hostFs);
  }

  async close(): Promise<void> {
    await this.server.close();
    await removeDir(this.root);
  }

  /** Runs collectCommand with `--host-root <root> --node-name worker-1 --kubelet-version v1.37.0`, changed by `args`. */
  async collect(
    args: Partial<CollectArgs> = {},
    deps: Partial<CollectDeps> = {},
    env: Record<string, string> = {},
  ): Promise<CollectResult> {
    const stdout = new Capture();
    const stderr = new Capture();
    // collect reads the node through its HostFs and writes nothing: Io's file access must stay unused
    const unused = (what: string) => () => Promise.reject(new Error(`collect must not use Io.${what}`));
    const io: Io = {
      stdout,
      stderr,
      env,
      readStdin: unused('readStdin'),
      readFile: unused('readFile'),
      writeFile: unused('writeFile'),
      readFileBytes: unused('readFileBytes'),
      readStdinBytes: unused('readStdinBytes'),
      writeFileBytes: unused('writeFileBytes'),
      rename: unused('rename'),
      removeFile: unused('removeFile'),
    };
    const code = await collectCommand({ ...ARGS, hostRoot: this.root, ...args }, io, {
      fs: this.hostFs,
      now: () => NOW,
      hostname: () => 'host-a',
      ...deps,
    });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }
}

/** The document of a run that must succeed with nothing on stderr, read with the NodeObservation reader. */
export function observationOf(r: CollectResult): NodeObservation {
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return parseObservation(r.stdout, 'collect.json');
}

/** The cgroups collect must report for FAKE_PODS, in path order. */
export function expectedCgroups(
  driver: CgroupDriver,
  runtime: ContainerRuntime,
): ReturnType<typeof expectedCgroup>[] {
  return FAKE_PODS.flatMap((pod) => [
    expectedCgroup(driver, runtime, pod, null),
    ...pod.containers.map((c) => expectedCgroup(driver, runtime, pod, c)),
  ]).sort((a, b) => (a.path < b.path ? -1 : 1));
}
