// The release artifacts of `npm run release` (dist/release/): the filled krew manifest against
// the archives it points to, the archives' contents, and the binaries, run the way users get
// them: the linux/amd64 one with no Node.js anywhere on the PATH, on its own (also against the
// fake API server) and installed as krew installs it (unpack, find `bin`, link it as
// kubectl-podres, run through the real kubectl with a sealed PATH); the linux/arm64 one under qemu when qemu-aarch64 is installed; the
// windows/amd64 one checked for its structure (no Windows here).

import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { krewProblems, matchPlatform } from '../helpers/krew.js';
import type { KrewPlugin } from '../helpers/krew.js';
import { fixtureCluster } from '../helpers/fixture-cluster.js';
import { nodeFixture } from '../helpers/node-fixture.js';
import { REPO_ROOT, linesOf } from '../helpers/run-cli.js';
import { readTarGz } from '../helpers/tar.js';
import { readZip } from '../helpers/zip.js';
import type { SimulationOut } from '../../src/render/schema.js';
import { describeWithTool } from '../helpers/optional-tool.js';

const RELEASE = join(REPO_ROOT, process.env.PODRES_DIST ?? 'dist', 'release');
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const EXAMPLE = join(REPO_ROOT, 'examples', 'tightly-coupled-database.yaml');
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const archive = (platform: string, ext: string) =>
  join(RELEASE, `kubectl-podres_${pkg.version}_${platform}.${ext}`);

interface Unpacked {
  readonly path: string;
  readonly mode: number | null;
  readonly content: Buffer;
}

function unpack(file: string): Unpacked[] {
  if (file.endsWith('.zip')) return readZip(file);
  return readTarGz(file).map((e) => ({ path: e.path, mode: e.mode, content: e.content }));
}

/** Writes an archive's files into `dir` the way krew extracts them (permission bits kept). */
async function extract(file: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const e of unpack(file)) {
    await writeFile(join(dir, e.path), e.content);
    chmodSync(join(dir, e.path), e.mode ?? 0o644);
  }
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string) {
  return spawnSync(cmd, [...args], { cwd: REPO_ROOT, env, encoding: 'utf8', input, timeout: 60_000 });
}

beforeAll(() => {
  if (!existsSync(join(RELEASE, 'podres.yaml'))) {
    throw new Error(`${RELEASE} has no release: run \`npm run release\` first (.ci/run does)`);
  }
});

describe('the filled krew manifest (dist/release/podres.yaml)', () => {
  const manifest = () => parseYaml(readFileSync(join(RELEASE, 'podres.yaml'), 'utf8')) as KrewPlugin;

  it('is accepted by krew', () => {
    expect(krewProblems('podres', manifest())).toEqual([]);
    expect(manifest().spec?.version).toBe(`v${pkg.version}`);
  });

  it('each platform points at an archive of this release, with its sha256', () => {
    const platforms = manifest().spec?.platforms ?? [];
    expect(platforms).toHaveLength(3);
    for (const p of platforms) {
      const name = (p.uri ?? '').slice((p.uri ?? '').lastIndexOf('/') + 1);
      expect(p.uri).toBe(
        `https://github.com/kubectl-podres/kubectl-podres/releases/download/v${pkg.version}/${name}`,
      );
      const file = join(RELEASE, name);
      expect(existsSync(file)).toBe(true);
      expect(p.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
      // krew finds `bin` among the archive's files
      expect(unpack(file).map((e) => e.path)).toContain(p.bin);
    }
  });

  it('checksums.txt agrees', () => {
    const sums = linesOf(readFileSync(join(RELEASE, 'checksums.txt'), 'utf8')).map((l) => l.split('  '));
    for (const p of manifest().spec?.platforms ?? []) {
      expect(sums).toContainEqual([p.sha256, (p.uri ?? '').split('/').at(-1)]);
    }
  });

  it('nothing is left of the template', () => {
    expect(readFileSync(join(RELEASE, 'podres.yaml'), 'utf8')).not.toContain('{{');
  });
});

describe('the archives', () => {
  it.each([
    ['linux_amd64', 'tar.gz', 'kubectl-podres', 'kubectl_complete-podres'],
    ['linux_arm64', 'tar.gz', 'kubectl-podres', 'kubectl_complete-podres'],
    ['windows_amd64', 'zip', 'kubectl-podres.exe', 'kubectl_complete-podres.cmd'],
  ])(
    '%s holds the binary, the completion helper, LICENSE and the third-party notices',
    (platform, ext, exe, helper) => {
      const entries = unpack(archive(platform, ext));
      expect(entries.map((e) => e.path).sort()).toEqual(
        [exe, helper, 'LICENSE', 'THIRD-PARTY-NOTICES.txt'].sort(),
      );
      const license = entries.find((e) => e.path === 'LICENSE')?.content.toString('utf8');
      expect(license).toBe(readFileSync(join(REPO_ROOT, 'LICENSE'), 'utf8'));
      const notices =
        entries.find((e) => e.path === 'THIRD-PARTY-NOTICES.txt')?.content.toString('utf8') ?? '';
      expect(notices).toContain('yargs@');
      expect(notices).toContain('Node.js is licensed for use as follows');
      const binary = entries.find((e) => e.path === exe)?.content ?? Buffer.alloc(0);
      // the SEA fuse is flipped: the binary carries kubectl-podres
      expect(binary.includes(`${SEA_FUSE}:1`)).toBe(true);
      expect(binary.includes(`${SEA_FUSE}:0`)).toBe(false);
    },
  );

  it.each([
    ['linux_amd64', 'tar.gz', 'kubectl-podres', 'kubectl_complete-podres'],
    ['windows_amd64', 'zip', 'kubectl-podres.exe', 'kubectl_complete-podres.cmd'],
  ])('%s: the executables are executable', (platform, ext, exe, helper) => {
    const modes = Object.fromEntries(unpack(archive(platform, ext)).map((e) => [e.path, e.mode]));
    expect(modes).toEqual({
      [exe]: 0o755,
      [helper]: 0o755,
      LICENSE: 0o644,
      'THIRD-PARTY-NOTICES.txt': 0o644,
    });
  });

  it('linux/arm64 is an aarch64 ELF executable', () => {
    const exe = unpack(archive('linux_arm64', 'tar.gz')).find((e) => e.path === 'kubectl-podres')?.content;
    expect(exe?.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(exe?.readUInt16LE(18)).toBe(183); // EM_AARCH64
  });

  it('windows/amd64 is an x86-64 PE executable with the SEA resource', () => {
    const exe = readZip(archive('windows_amd64', 'zip')).find(
      (e) => e.path === 'kubectl-podres.exe',
    )?.content;
    expect(exe?.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = exe?.readUInt32LE(0x3c) ?? 0;
    expect(exe?.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    expect(exe?.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
    expect(exe?.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
  });

  it('the windows completion helper runs the binary next to it', () => {
    const cmd = readZip(archive('windows_amd64', 'zip')).find(
      (e) => e.path === 'kubectl_complete-podres.cmd',
    );
    expect(cmd?.content.toString('utf8')).toContain('"%~dp0kubectl-podres.exe" __complete %*\r\n');
  });
});

describe('the linux/amd64 binary, with no Node.js on the PATH', () => {
  let root = '';
  let dir = '';
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'podres-release-'));
    dir = join(root, 'unpacked');
    await extract(archive('linux_amd64', 'tar.gz'), dir);
  });
  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });
  const bare = () => ({ PATH: join(root, 'empty'), HOME: root });

  it('the sealed PATH really has no node', () => {
    expect(run('/bin/sh', ['-c', 'command -v node || echo none'], bare()).stdout).toBe('none\n');
  });

  it('version', () => {
    const r = run(join(dir, 'kubectl-podres'), ['version', '-o', 'json'], bare());
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'Version',
      version: pkg.version,
      kubeletVersions: ['1.36', '1.37'],
      gitCommit: expect.stringMatching(/^[0-9a-f]{40}(-dirty)?$/) as unknown,
    });
  });

  it('simulate -f examples/tightly-coupled-database.yaml -o json', () => {
    const r = run(join(dir, 'kubectl-podres'), ['simulate', '-f', EXAMPLE, '-o', 'json'], bare());
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const doc = JSON.parse(r.stdout) as SimulationOut;
    expect(doc.pods[0]).toMatchObject({
      namespace: 'db',
      name: 'db-0',
      admitted: true,
      path: 'pod-level',
      podPool: { cpus: '1-4,33-36' },
      podSharedPool: { cpus: '4,36' },
    });
  });

  it('simulate -f - reads stdin; errors are one line with exit 2', () => {
    const r = run(
      join(dir, 'kubectl-podres'),
      ['simulate', '-f', '-', '--no-headers'],
      bare(),
      readFileSync(EXAMPLE, 'utf8'),
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^db\/db-0 +yes +pod-level/);
    const bad = run(join(dir, 'kubectl-podres'), ['simulate', '-f', 'missing.yaml'], bare());
    expect({ status: bad.status, stdout: bad.stdout, stderr: bad.stderr }).toEqual({
      status: 2,
      stdout: '',
      stderr: 'error: cannot read scenario "missing.yaml": no such file or directory\n',
    });
  });

  it('the completion helper answers kubectl', () => {
    const r = run(join(dir, 'kubectl_complete-podres'), ['simulate', '-o', ''], bare());
    expect(r.stdout).toBe('table\nwide\njson\nyaml\n:4\n');
  });

  it('describe node and pod against the fake API server', async () => {
    const cluster = await fixtureCluster(
      [nodeFixture('examples/tightly-coupled-database.yaml', { nodeName: 'worker-1' }).build()],
      { namespace: 'db' },
    );
    try {
      // not spawnSync: the API server answers from this process
      const podres = (...args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          execFile(
            join(dir, 'kubectl-podres'),
            args,
            { env: { ...bare(), KUBECONFIG: cluster.kubeconfig }, timeout: 60_000 },
            (error, stdout, stderr) => {
              resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
            },
          );
        });
      const node = await podres('describe', 'node', 'worker-1', '-o', 'json');
      expect({ code: node.code, stderr: node.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(node.stdout)).toMatchObject({
        kind: 'NodeReport',
        name: 'worker-1',
        status: 'ok',
        kubeletVersion: 'v1.36.2',
      });
      const pod = await podres('describe', 'pod', 'db-0');
      expect({ code: pod.code, stderr: pod.stderr }).toEqual({ code: 0, stderr: '' });
      expect(pod.stdout).toMatch(/^POD +db\/db-0 +node worker-1 /);
    } finally {
      await cluster.close();
    }
  });
});

describe('installed as krew installs it, run through kubectl', () => {
  // krew: the archive goes to $KREW_ROOT/store/<plugin>/<version>/, `bin` is linked as
  // $KREW_ROOT/bin/kubectl-<plugin>, and $KREW_ROOT/bin is on the user's PATH
  let krewRoot = '';
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    krewRoot = await mkdtemp(join(tmpdir(), 'podres-krew-'));
    const manifest = parseYaml(readFileSync(join(RELEASE, 'podres.yaml'), 'utf8')) as KrewPlugin;
    const platform = matchPlatform(manifest, 'linux', 'amd64');
    const uri = platform?.uri ?? '';
    const file = join(RELEASE, uri.slice(uri.lastIndexOf('/') + 1));
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(platform?.sha256);
    const store = join(krewRoot, 'store', 'podres', manifest.spec?.version ?? '');
    await extract(file, store);
    const bin = join(krewRoot, 'bin');
    await mkdir(bin);
    await symlink(join(store, platform?.bin ?? ''), join(bin, 'kubectl-podres'));
    // what the caveats tell users to do for completion
    await writeFile(
      join(bin, 'kubectl_complete-podres'),
      readFileSync(join(store, 'kubectl_complete-podres')),
    );
    chmodSync(join(bin, 'kubectl_complete-podres'), 0o755);
    env = { PATH: bin, HOME: krewRoot, KUBECONFIG: join(krewRoot, 'no-kubeconfig'), NO_COLOR: '1' };
  });
  afterAll(async () => {
    if (krewRoot !== '') await rm(krewRoot, { recursive: true, force: true });
  });

  it('the PATH has the plugin and nothing else: no node', () => {
    expect(readdirSync(join(krewRoot, 'bin')).sort()).toEqual(['kubectl-podres', 'kubectl_complete-podres']);
    for (const dir of (env.PATH ?? '').split(delimiter)) expect(existsSync(join(dir, 'node'))).toBe(false);
  });

  it('kubectl plugin list shows it', () => {
    const r = run(KUBECTL, ['plugin', 'list'], env);
    expect(r.stdout).toContain(join(krewRoot, 'bin', 'kubectl-podres'));
  });

  it('kubectl podres version', () => {
    const r = run(KUBECTL, ['podres', 'version'], env);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(linesOf(r.stdout)[0]).toBe(`kubectl-podres    ${pkg.version}`);
  });

  it('kubectl podres simulate', () => {
    const r = run(KUBECTL, ['podres', 'simulate', '-f', EXAMPLE], env);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('db/db-0: admitted  numa 0  pod pool 1-4,33-36  pod shared pool 4,36\n');
  });

  it('kubectl podres <TAB>', () => {
    const r = run(KUBECTL, ['__complete', 'podres', 'simulate', '--ex'], env);
    expect(linesOf(r.stdout)).toEqual(['--explain\tshow the topology hints behind each admission', ':4']);
  });
});

const qemu = ['/usr/bin/qemu-aarch64', '/usr/bin/qemu-aarch64-static'].find((q) => existsSync(q));
const arm64Libs = '/usr/aarch64-linux-gnu';
describeWithTool(
  'qemu-user and libc6-arm64-cross',
  qemu !== undefined && existsSync(arm64Libs),
  'the linux/arm64 binary under qemu (qemu-user and the arm64 C libraries installed)',
  () => {
    let root = '';
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'podres-arm64-'));
      await extract(archive('linux_arm64', 'tar.gz'), root);
    });
    afterAll(async () => {
      if (root !== '') await rm(root, { recursive: true, force: true });
    });
    it('runs version and simulate (its blob was made on linux/amd64)', () => {
      const env = { PATH: join(root, 'empty'), QEMU_LD_PREFIX: arm64Libs };
      const v = run(qemu ?? '', [join(root, 'kubectl-podres'), 'version', '-o', 'json'], env);
      expect({ status: v.status, stderr: v.stderr }).toEqual({ status: 0, stderr: '' });
      expect(JSON.parse(v.stdout)).toMatchObject({ version: pkg.version });
      const s = run(qemu ?? '', [join(root, 'kubectl-podres'), 'simulate', '-f', EXAMPLE, '-o', 'json'], env);
      expect(s.status).toBe(0);
      expect((JSON.parse(s.stdout) as SimulationOut).pods[0]?.podPool).toEqual({ cpus: '1-4,33-36' });
    });
  },
);
