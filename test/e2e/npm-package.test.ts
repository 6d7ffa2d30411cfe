// The npm package (issue 7): `npm install -g kubectl-podres` gives `kubectl podres` and its
// completion helper, and the package holds only what runs (the bundles, their licenses) and the
// documents users read (README, docs/, examples/, the demo cluster's scenarios and snapshot under
// demo/): no tests, no TypeScript sources, no fixtures.
// The real install goes into a temporary prefix from the packed tarball, offline (the package
// has no dependencies: everything it runs is bundled), and runs through the real kubectl with a
// sealed PATH.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, linesOf } from '../helpers/run-cli.js';

const NPM_TIMEOUT_MS = 120_000;

interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string; readonly mode: number }[];
  readonly entryCount: number;
}

function npm(args: readonly string[], cwd = REPO_ROOT): string {
  return execFileSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'bundle', 'kubectl-podres.cjs'))) {
    throw new Error('dist/bundle is not built: run `npm run build` first (npm test does it as pretest)');
  }
});

describe('npm pack', () => {
  let files: string[] = [];
  beforeAll(() => {
    // --ignore-scripts: prepack would rebuild dist/ under the other tests' feet
    const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'])) as PackResult[];
    files = (pack?.files ?? []).map((f) => f.path).sort();
  }, NPM_TIMEOUT_MS);

  it('ships the executables, the program bundle and the licenses', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/bundle/kubectl-podres.cjs',
        'dist/bundle/kubectl_complete-podres.cjs',
        'dist/bundle/kubectl-podres.mjs',
        'dist/bundle/THIRD-PARTY-NOTICES.txt',
        'docs/scenario-format.md',
        'examples/tightly-coupled-database.yaml',
        'demo/snapshot.json',
        'demo/cluster/worker-1.yaml',
      ]),
    );
    expect(files.filter((f) => f.startsWith('dist/bundle/chunks/')).length).toBeGreaterThan(0);
  });

  it('ships nothing else: no tests, no sources, no fixtures, no other build output', () => {
    const allowed =
      /^(LICENSE|README\.md|package\.json|dist\/bundle\/.*\.(cjs|mjs|txt)|docs\/.*\.md|examples\/.*\.yaml|demo\/snapshot\.json|demo\/cluster\/.*\.yaml)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(
      files.filter((f) => /(^|\/)test\/|fixtures|\.ts$|\.map$|^src\/|^dist\/(cmd|src|sea|meta)\//.test(f)),
    ).toEqual([]);
  });

  it('declares the two executables and no dependencies', () => {
    const pkg = JSON.parse(npm(['pkg', 'get', 'bin', 'dependencies', 'files', '--json'])) as Record<
      string,
      unknown
    >;
    expect(pkg.bin).toEqual({
      'kubectl-podres': 'dist/bundle/kubectl-podres.cjs',
      'kubectl_complete-podres': 'dist/bundle/kubectl_complete-podres.cjs',
    });
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});

describe('npm install -g from the packed tarball', () => {
  let root = '';
  let env: NodeJS.ProcessEnv = {};
  const kubectl = (...args: string[]) =>
    spawnSync(join(root, 'path', 'kubectl'), args, { cwd: REPO_ROOT, env, encoding: 'utf8' });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'podres-npm-'));
    const [pack] = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', root]),
    ) as PackResult[];
    const prefix = join(root, 'prefix');
    npm([
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      join(root, pack?.filename ?? ''),
    ]);
    // kubectl, node and the installed executables only
    const path = join(root, 'path');
    await mkdir(path);
    await symlink(process.env.KUBECTL ?? '/usr/bin/kubectl', join(path, 'kubectl'));
    await symlink(process.execPath, join(path, 'node'));
    env = {
      PATH: `${join(prefix, 'bin')}:${path}`,
      HOME: root,
      KUBECONFIG: join(root, 'none'),
      NO_COLOR: '1',
    };
  }, NPM_TIMEOUT_MS);

  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  it('kubectl sees the plugin', () => {
    const r = kubectl('plugin', 'list');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(join(root, 'prefix', 'bin', 'kubectl-podres'));
  });

  it('kubectl podres version', () => {
    const r = kubectl('podres', 'version', '-o', 'json');
    expect(r.status).toBe(0);
    const pkg = JSON.parse(npm(['pkg', 'get', 'version', '--json'])) as string;
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'Version', version: pkg });
    // a build from a git checkout knows its commit
    expect((JSON.parse(r.stdout) as { gitCommit: string }).gitCommit).toMatch(
      /^([0-9a-f]{40}(-dirty)?|unknown)$/,
    );
  });

  it('kubectl podres simulate', () => {
    const r = kubectl('podres', 'simulate', '-f', 'examples/tightly-coupled-database.yaml', '-o', 'json');
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toMatchObject({ pods: [{ podPool: { cpus: '1-4,33-36' } }] });
  });

  it('kubectl podres audit on the shipped demo snapshot', () => {
    const snapshot = join(root, 'prefix', 'lib', 'node_modules', 'kubectl-podres', 'demo', 'snapshot.json');
    const r = kubectl('podres', 'audit', '--snapshot', snapshot);
    // exit 1: the demo's planted drift errors
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 1, stderr: '' });
    expect(r.stdout).toContain('3 nodes: 3 audited, 0 unreachable, 0 skipped; 2 errors');
  });

  it('kubectl podres <TAB> through the installed completion helper', () => {
    const r = kubectl('__complete', 'podres', 'sim');
    expect(linesOf(r.stdout)).toEqual(['simulate\treplay scenario files through the allocator model', ':4']);
  });
});
