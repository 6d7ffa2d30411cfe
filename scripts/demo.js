// `npm run demo`: the read commands on a small cluster that needs no cluster. demo/snapshot.json is
// a Snapshot (cli.md §8.7) of three nodes with drifts planted on purpose (demo/cluster/*.yaml say
// what and why); the demo runs audit, describe pod, describe node and throttle on it, then one
// simulate, through the built CLI (dist/src/cli/run.js; PODRES_DIST selects another build), and
// prints each command line before its output.
//
// Exit status: 0 when every command exited as expected (audit exits 1 because of the planted
// drift errors: that is the expected result), else 1.

import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, process.env.PODRES_DIST ?? 'dist');
const { run } = await import(pathToFileURL(join(dist, 'src', 'cli', 'run.js')).href);

const SNAPSHOT = 'demo/snapshot.json';

/** The demo's commands, the exit status each should give, and what that status means. */
const STEPS = [
  {
    args: ['audit', '--snapshot', SNAPSHOT],
    exit: 1,
    note: 'exit 1, as expected: audit fails on error findings (--fail-on error), and the demo planted two (D3, D7)',
  },
  {
    args: ['describe', 'pod', 'db-0', '-n', 'db', '--snapshot', SNAPSHOT],
    exit: 0,
    note: 'exit 0: describe reports findings but fails only with --fail-on',
  },
  {
    args: ['describe', 'node', 'worker-2', '--snapshot', SNAPSHOT],
    exit: 0,
    note: 'exit 0',
  },
  {
    args: ['throttle', '-A', '--snapshot', SNAPSHOT],
    exit: 0,
    note: 'exit 0: two T1 warnings (see -o wide for the advice); --fail-on warning would make it 1',
  },
  {
    args: ['simulate', '-f', 'examples/tightly-coupled-database.yaml'],
    exit: 0,
    note: 'exit 0: simulate replays a scenario through the allocator model, no cluster involved',
  },
];

const INTRO = `kubectl podres demo: a snapshot of a 3-node cluster (${SNAPSHOT}, built from demo/cluster/*.yaml),
read offline with --snapshot. Planted on purpose:
  worker-1  scope pod, single-numa-node: db/db-0's metrics-exporter runs on the node shared pool
            instead of its pod shared pool (D7); in shop/checkout-0 the log-shipper is throttled by
            its own CPU limit and the istio-proxy fills the pod shared pool
  worker-2  scope container, best-effort: the exclusive CPUs of inference/triton-0 and ml/ml-0
            overlap (D3); ml/ml-0's service-mesh-sidecar is throttled under the pod-level limit
  worker-3  the PodLevelResourceManagers feature gate is missing (C3); no node observation, so the
            checks that need one show as not checked
`;

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin: async () => '',
  readStdinBytes: async () => new Uint8Array(),
  // paths are shown relative to the project, read from wherever the demo is started
  readFile: (path) => readFile(join(root, path), 'utf8'),
  readFileBytes: (path) => readFile(join(root, path)),
  writeFile: () => Promise.reject(new Error('the demo writes no files')),
  writeFileBytes: () => Promise.reject(new Error('the demo writes no files')),
  rename: () => Promise.reject(new Error('the demo writes no files')),
  removeFile: () => Promise.reject(new Error('the demo writes no files')),
};

process.stdout.write(INTRO);
let unexpected = 0;
for (const step of STEPS) {
  process.stdout.write(`\n$ kubectl podres ${step.args.join(' ')}\n`);
  const code = await run(step.args, io);
  if (code === step.exit) {
    process.stdout.write(`(${step.note})\n`);
  } else {
    unexpected++;
    process.stdout.write(`(exit ${code}, but the demo expects ${step.exit})\n`);
  }
}
process.stdout.write(
  unexpected === 0
    ? '\nEvery command gave the expected result. Try -o wide, -o json or -o yaml on any of them.\n'
    : `\n${unexpected} command(s) did not give the expected result.\n`,
);
process.exitCode = unexpected === 0 ? 0 : 1;
