// simulate --write-checkpoints: the files are what the kubelet of the scenario's version writes,
// and our own checkpoint readers accept them with verified checksums.

import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCpuCheckpoint } from '../../../../src/parse/cpu-checkpoint.js';
import { parseMemoryCheckpoint } from '../../../../src/parse/memory-checkpoint.js';
import { runCli } from '../../../helpers/run-cli.js';

describe('simulate --write-checkpoints', () => {
  it('writes seed 1 as a 1.36 kubelet with PLRM on would: CPU v3 and memory v2 with pod entries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podres-ck-'));
    const r = await runCli([
      'simulate',
      '-f',
      'examples/tightly-coupled-database-static-memory.yaml',
      '--write-checkpoints',
      dir,
    ]);
    expect(r.code).toBe(0);
    const cpu = parseCpuCheckpoint(readFileSync(join(dir, 'cpu_manager_state'), 'utf8'), 'cpu_manager_state');
    expect(cpu.warnings).toEqual([]);
    expect(cpu.checksum.status).toBe('verified');
    expect(cpu.checkpoint.version).toBe('v3');
    expect(cpu.checkpoint.defaultCpuSet.toString()).toBe('0,5-32,37-63');
    const [pool] = [...cpu.checkpoint.podEntries.values()];
    expect(pool?.toString()).toBe('1-4,33-36');
    const [containers] = [...cpu.checkpoint.entries.values()];
    expect(Object.fromEntries([...containers!].map(([n, c]) => [n, c.toString()]))).toEqual({
      'backup-agent': '4,36',
      database: '1-3,33-35',
      'metrics-exporter': '4,36',
    });
    const mem = parseMemoryCheckpoint(
      readFileSync(join(dir, 'memory_manager_state'), 'utf8'),
      'memory_manager_state',
    );
    expect(mem.warnings).toEqual([]);
    expect(mem.checksum.status).toBe('verified');
    expect(mem.checkpoint.version).toBe('v2');
    expect([...mem.checkpoint.podEntries.values()]).toEqual([
      [{ numaAffinity: [0], type: 'memory', size: 17179869184n }],
    ]);
    expect(mem.checkpoint.machineState.get(0)?.memoryMap.get('memory')?.reserved).toBe(17179869184n);
  });

  it('writes one directory per scenario when a file holds several', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podres-ck-'));
    const r = await runCli([
      'simulate',
      '-f',
      'examples/ml-workload-static-memory.yaml',
      '--write-checkpoints',
      dir,
      '-o',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      '1-ml-workload-static-memory-best-effort',
      '2-ml-workload-static-memory-single-numa-node',
    ]);
    // quirk Q1: the sidecar's empty memory entry is written as [] (the kubelet clones block lists)
    const text = readFileSync(
      join(dir, '1-ml-workload-static-memory-best-effort', 'memory_manager_state'),
      'utf8',
    );
    expect(text).toContain('"service-mesh-sidecar":[]');
  });

  it('fails with exit 2 and one error line, nothing on stdout, when the directory cannot be written', async () => {
    const r = await runCli([
      'simulate',
      '-f',
      'examples/ml-workload.yaml',
      '--write-checkpoints',
      'package.json/ck',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: cannot write checkpoint ".*package\.json\/ck\/cpu_manager_state": a parent is not a directory\n$/,
    );
  });
});
