// A node's file system in a temp directory, for `collect` and the host readers: the real sysfs of
// a machine unpacked from the fixture tarballs (../shared/fixtures/real/topology), the real
// checkpoint files (../shared/fixtures/real/checkpoints), and kubepods cgroup trees written the way
// the kernel and the kubelet lay them out (see fake-cgroups.ts). Plus a HostFs wrapper that fails
// chosen paths, since a root test process reads files whatever their permissions.

import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { liveHostFs, type DirEntry, type HostFs } from '../../src/sources/host/host-fs.js';
import { readTarGz } from './tar.js';

export const REAL_DIR = join(process.cwd(), '../shared/fixtures/real');
export const TOPOLOGY_TARBALLS = join(REAL_DIR, 'topology');
export const CHECKPOINTS_DIR = join(REAL_DIR, 'checkpoints');

/** Where a tarball member lands under the host root; null = not part of sysfs. */
function sysfsPath(member: string): string | null {
  const at = member.indexOf('sys/devices/system/');
  if (at === 0 || (at > 0 && member[at - 1] === '/')) return member.slice(at);
  // cAdvisor's test data: the cpu directory itself (utils/sysfs/testdata_x/cpu0/topology/core_id)
  const m = /^utils\/sysfs\/[^/]+\/(.+)$/.exec(member);
  return m === null ? null : `sys/devices/system/cpu/${m[1] as string}`;
}

/**
 * The files `collect` reads from sysfs (and the links whose names it uses): unpacking only these
 * keeps a test fast on a slow disk (a full capture has thousands of files).
 */
export function isReadBySysfsReader(rel: string): boolean {
  return /^sys\/devices\/system\/(?:cpu\/(?:online|offline|cpu\d+(?:\/(?:online|node\d+|topology\/(?:core_id|physical_package_id)|cache\/index\d+\/(?:level|id|shared_cpu_map|shared_cpu_list)))?)|node\/node\d+(?:\/(?:cpulist|meminfo|distance|cpu\d+|hugepages\/hugepages-\d+kB\/nr_hugepages))?)$/.test(
    rel,
  );
}

/**
 * Unpacks the sysfs members of a topology tarball under `root` (files, symlinks; directories as
 * needed), all of them or those `keep` selects.
 */
export async function unpackSysfs(
  root: string,
  tarball: string,
  keep: (rel: string) => boolean = () => true,
): Promise<void> {
  const entries = readTarGz(join(TOPOLOGY_TARBALLS, tarball));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const made = new Set<string>();
  const mkdirOnce = async (dir: string) => {
    if (made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    made.add(dir);
  };
  for (const e of entries) {
    const rel = sysfsPath(e.path);
    if (rel === null || e.type === 'directory' || !keep(rel)) continue;
    const to = join(root, rel);
    await mkdirOnce(dirname(to));
    if (e.type === 'file') await writeFile(to, e.content);
    else if (e.type === 'symlink') await symlink(e.linkTarget, to);
    else if (e.type === 'hardlink') await writeFile(to, byPath.get(e.linkTarget)?.content ?? '');
  }
}

/**
 * A read-only HostFs holding the sysfs of a topology tarball under `root`, in memory: the readers
 * see exactly what they would on disk (directories, files, symlinks not followed by readDir)
 * without writing thousands of files.
 */
export function sysfsHostFs(tarball: string, root: string): HostFs {
  const files = new Map<string, string>();
  const links = new Map<string, string>();
  const dirs = new Map<string, Map<string, DirEntry>>();
  const addToParent = (path: string, kind: DirEntry['kind']) => {
    for (let p = path; p !== root; p = posix.dirname(p)) {
      const parent = posix.dirname(p);
      const name = posix.basename(p);
      const children = dirs.get(parent) ?? new Map<string, DirEntry>();
      dirs.set(parent, children);
      if (!children.has(name)) children.set(name, { name, kind: p === path ? kind : 'directory' });
      if (!dirs.has(p) && p !== path) dirs.set(p, new Map());
    }
  };
  for (const e of readTarGz(join(TOPOLOGY_TARBALLS, tarball))) {
    const rel = sysfsPath(e.path);
    if (rel === null) continue;
    const path = posix.join(root, rel);
    if (e.type === 'directory') {
      if (!dirs.has(path)) dirs.set(path, new Map());
      addToParent(path, 'directory');
    } else if (e.type === 'symlink') {
      links.set(path, posix.resolve(posix.dirname(path), e.linkTarget));
      addToParent(path, 'symlink');
    } else if (e.type === 'file') {
      files.set(path, e.content.toString('utf8'));
      addToParent(path, 'file');
    }
  }
  const resolve = (path: string): string => {
    let p = posix.resolve(path);
    for (let i = 0; i < 40 && links.has(p); i++) p = links.get(p) as string;
    return p;
  };
  return {
    readFile: (path) => {
      const p = resolve(path);
      const text = files.get(p);
      if (text !== undefined) return Promise.resolve(text);
      return Promise.reject(fsError(dirs.has(p) ? 'EISDIR' : 'ENOENT', 'open', path));
    },
    readDir: (path) => {
      const p = resolve(path);
      const children = dirs.get(p);
      if (children !== undefined) return Promise.resolve([...children.values()]);
      return Promise.reject(fsError(files.has(p) ? 'ENOTDIR' : 'ENOENT', 'scandir', path));
    },
    kindOf: (path) => {
      const p = resolve(path);
      if (dirs.has(p)) return Promise.resolve('directory');
      if (files.has(p)) return Promise.resolve('file');
      return Promise.reject(fsError('ENOENT', 'stat', path));
    },
  };
}

/** The text of a real checkpoint fixture. */
export function checkpointFixture(name: string): Promise<string> {
  return readFile(join(CHECKPOINTS_DIR, name), 'utf8');
}

/** Writes `text` at `<root>/<path>`, creating the directories. */
export async function writeHostFile(root: string, path: string, text: string): Promise<void> {
  const to = posix.join(root, path);
  await mkdir(dirname(to), { recursive: true });
  await writeFile(to, text);
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** An error as node:fs rejects with it. */
export function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

/**
 * `base` (the live file system by default), except that reading a file or listing a directory
 * whose path matches `fails` rejects with `code` (EACCES by default).
 */
export function failingFs(
  fails: (path: string) => boolean,
  code = 'EACCES',
  base: HostFs = liveHostFs,
): HostFs {
  return {
    readFile: (path) => (fails(path) ? Promise.reject(fsError(code, 'open', path)) : base.readFile(path)),
    readDir: (path) => (fails(path) ? Promise.reject(fsError(code, 'scandir', path)) : base.readDir(path)),
    kindOf: (path) => base.kindOf(path),
  };
}

/** `over` for the paths below `prefix`, `base` for the others (e.g. an in-memory sysfs on a real root). */
export function overlayFs(base: HostFs, prefix: string, over: HostFs): HostFs {
  const pick = (p: string) => (p === prefix || p.startsWith(`${prefix}/`) ? over : base);
  return {
    readFile: (p) => pick(p).readFile(p),
    readDir: (p) => pick(p).readDir(p),
    kindOf: (p) => pick(p).kindOf(p),
  };
}
