// `npm run demo` (scripts/demo.js) with the built CLI (dist/, `npm run build`; npm test builds it
// first; PODRES_DIST selects another build): started from another directory, it prints each
// command line, then exactly what the command prints in-process (test/golden/demo/, kept by
// test/unit/demo/demo-outputs.test.ts), then a note on its exit status; it exits 0 although audit
// exits 1, because that is the expected result on the demo's planted drifts.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT, REPO_ROOT } from '../helpers/run-cli.js';

const DIST = BUILT;

let stdout = '';
let stderr = '';
let status: number | null = null;

beforeAll(() => {
  if (!existsSync(join(DIST, 'src', 'cli', 'run.js'))) {
    throw new Error(`${DIST} is not built: run \`npm run build\` first (npm test does it as pretest)`);
  }
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'demo.js')], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH, NO_COLOR: '1', PODRES_DIST: DIST },
    encoding: 'utf8',
  });
  ({ stdout, stderr, status } = r);
}, 60_000);

function golden(name: string): string {
  return readFileSync(join(REPO_ROOT, 'test', 'golden', 'demo', name), 'utf8');
}

/** What the demo printed between a command line and the next note. */
function section(command: string): string {
  const marker = `\n$ kubectl podres ${command}\n`;
  const start = stdout.indexOf(marker);
  if (start < 0) throw new Error(`the demo did not run ${command}:\n${stdout}`);
  const body = stdout.slice(start + marker.length);
  return body.slice(0, body.search(/^\(exit/m));
}

describe('npm run demo', () => {
  it('exits 0 with nothing on stderr', () => {
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/\nEvery command gave the expected result\./);
  });

  it('runs the commands in order, each followed by its exit note', () => {
    const lines = stdout.split('\n');
    const commands = lines.filter((l) => l.startsWith('$ kubectl podres '));
    expect(commands).toEqual([
      '$ kubectl podres audit --snapshot demo/snapshot.json',
      '$ kubectl podres describe pod db-0 -n db --snapshot demo/snapshot.json',
      '$ kubectl podres describe node worker-2 --snapshot demo/snapshot.json',
      '$ kubectl podres throttle -A --snapshot demo/snapshot.json',
      '$ kubectl podres simulate -f examples/tightly-coupled-database.yaml',
    ]);
    expect(lines.filter((l) => l.startsWith('(exit'))).toEqual([
      expect.stringMatching(/^\(exit 1, as expected: audit fails on error findings/),
      expect.stringMatching(/^\(exit 0: describe reports findings/),
      '(exit 0)',
      expect.stringMatching(/^\(exit 0: two T1 warnings/),
      expect.stringMatching(/^\(exit 0: simulate replays/),
    ]);
  });

  it('prints what the built CLI prints for each read command', () => {
    expect(section('audit --snapshot demo/snapshot.json')).toBe(golden('audit.txt'));
    expect(section('describe pod db-0 -n db --snapshot demo/snapshot.json')).toBe(
      golden('describe-pod-db-0.txt'),
    );
    expect(section('describe node worker-2 --snapshot demo/snapshot.json')).toBe(
      golden('describe-node-worker-2.txt'),
    );
    expect(section('throttle -A --snapshot demo/snapshot.json')).toBe(golden('throttle.txt'));
    expect(section('simulate -f examples/tightly-coupled-database.yaml')).toMatch(
      /^SCENARIO tightly-coupled-database .*\n(.*\n)*db\/db-0: admitted {2}numa 0 {2}pod pool 1-4,33-36 {2}pod shared pool 4,36\n$/,
    );
  });
});
