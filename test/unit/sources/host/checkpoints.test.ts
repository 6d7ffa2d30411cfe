// Tests the raw checkpoint reader of `collect` on the real checkpoint files placed under a temp
// host root: the text comes back byte for byte (CRLF, pretty or compact, even the files that are
// not valid JSON: checking them is the readers' job), and a missing or unreadable file is null plus
// one error entry naming the path while the other file is still read.

import { readdirSync } from 'node:fs';
import { liveHostFs } from '../../../../src/sources/host/host-fs.js';
import { readCheckpointFiles } from '../../../../src/sources/host/checkpoints.js';
import {
  CHECKPOINTS_DIR,
  checkpointFixture,
  failingFs,
  makeTempDir,
  removeDir,
  writeHostFile,
} from '../../../helpers/fake-host.js';

const KUBELET = '/var/lib/kubelet';
const CPU_FIXTURES = readdirSync(CHECKPOINTS_DIR).filter((f) => f.includes('cpu_manager_state'));
const MEMORY_FIXTURES = readdirSync(CHECKPOINTS_DIR).filter((f) => f.includes('memory_manager_state'));

let root: string;
beforeEach(async () => {
  root = await makeTempDir('podres-ckpt-');
});
afterEach(async () => {
  await removeDir(root);
});

it('has real fixtures of both kinds to read', () => {
  expect(CPU_FIXTURES.length).toBeGreaterThanOrEqual(10);
  expect(MEMORY_FIXTURES.length).toBeGreaterThanOrEqual(2);
});

it.each(CPU_FIXTURES.map((cpu, i) => [cpu, MEMORY_FIXTURES[i % MEMORY_FIXTURES.length] as string]))(
  '%s and %s come back unchanged',
  async (cpu, memory) => {
    const cpuText = await checkpointFixture(cpu);
    const memoryText = await checkpointFixture(memory);
    await writeHostFile(root, `${KUBELET}/cpu_manager_state`, cpuText);
    await writeHostFile(root, `${KUBELET}/memory_manager_state`, memoryText);
    expect(await readCheckpointFiles(liveHostFs, root, KUBELET)).toEqual({
      cpuManager: { path: `${root}${KUBELET}/cpu_manager_state`, content: cpuText },
      memoryManager: { path: `${root}${KUBELET}/memory_manager_state`, content: memoryText },
      errors: [],
    });
  },
);

it('a missing memory_manager_state: null and an error entry; cpu_manager_state still read', async () => {
  const cpuText = await checkpointFixture('kubeman-tstbed-1-podscope-case2.cpu_manager_state.json');
  await writeHostFile(root, 'var/lib/kubelet/cpu_manager_state', cpuText);
  const got = await readCheckpointFiles(liveHostFs, root, KUBELET);
  expect(got.cpuManager?.content).toBe(cpuText);
  expect(got.memoryManager).toBeNull();
  expect(got.errors).toEqual([
    {
      source: 'checkpoint',
      path: `${root}/var/lib/kubelet/memory_manager_state`,
      message: `cannot read memory_manager_state "${root}/var/lib/kubelet/memory_manager_state": no such file or directory`,
    },
  ]);
});

it('an unreadable cpu_manager_state under another kubelet root dir', async () => {
  await writeHostFile(root, 'data/kubelet/cpu_manager_state', '{}');
  await writeHostFile(
    root,
    'data/kubelet/memory_manager_state',
    await checkpointFixture('gengwg-node0010-none-policy.memory_manager_state.json'),
  );
  const fs = failingFs((p) => p.endsWith('/cpu_manager_state'));
  const got = await readCheckpointFiles(fs, root, '/data/kubelet');
  expect(got.cpuManager).toBeNull();
  expect(got.memoryManager?.path).toBe(`${root}/data/kubelet/memory_manager_state`);
  expect(got.errors).toEqual([
    {
      source: 'checkpoint',
      path: `${root}/data/kubelet/cpu_manager_state`,
      message: `cannot read cpu_manager_state "${root}/data/kubelet/cpu_manager_state": permission denied`,
    },
  ]);
});

it('host root "/" gives the node paths themselves', async () => {
  const fs = failingFs(() => true, 'ENOENT');
  const got = await readCheckpointFiles(fs, '/', KUBELET);
  expect(got.errors.map((e) => e.path)).toEqual([
    '/var/lib/kubelet/cpu_manager_state',
    '/var/lib/kubelet/memory_manager_state',
  ]);
});
