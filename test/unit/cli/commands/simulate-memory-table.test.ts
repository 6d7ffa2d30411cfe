// The simulate table with the Static memory manager: memory assignment per container and the
// pools' memory on the admission line.

import { runCli } from '../../../helpers/run-cli.js';

describe('simulate table with memory', () => {
  it('shows pod_exclusive/pod_shared memory, and the pools with their memory blocks', async () => {
    const r = await runCli([
      'simulate',
      '-f',
      'examples/tightly-coupled-database-static-memory.yaml',
      '-o',
      'wide',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(
      /metrics-exporter\s+sidecar\s+pod_shared\s+pod_shared\s+4,36\s+pod 8000m\s+pod\s+4Gi@0\s+4,36$/,
    );
    expect(lines[4]).toMatch(
      /database\s+app\s+pod_exclusive\s+pod_exclusive\s+1-3,33-35\s+none\s+container\s+12Gi@0\s+1-3,33-35$/,
    );
    expect(lines[5]).toBe(
      'db/db-0: admitted  numa 0  pod pool 1-4,33-36 + 16Gi@0  pod shared pool 4,36 + 4Gi@0',
    );
  });
});
