// Test helper: unpacks a .tar.gz in memory (node:zlib + a small tar reader for ustar, old GNU,
// GNU long names 'L'/'K' and pax 'x'/'g' headers) into entries or a path → content map.

import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  /** Path inside the archive, without a leading "./" or a trailing "/". */
  readonly path: string;
  readonly type: TarEntryType;
  readonly content: Buffer;
  /** Link target as stored (symlinks and hard links), else "". */
  readonly linkTarget: string;
  /** Permission bits from the header (0o755 …). */
  readonly mode: number;
}

const BLOCK = 512;

/** Reads the entries of an uncompressed tar archive. Throws Error on a damaged header. */
export function untar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    checkChecksum(header, offset);
    const size = readSize(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const dataStart = offset + BLOCK;
    const data = tar.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new Error(`tar entry at byte ${offset} is truncated`);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    if (type === 'K') {
      longLink = cString(data);
      continue;
    }
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'g') continue;

    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? cString(header.subarray(345, 500)) : '';
    const name = cString(header.subarray(0, 100));
    const rawPath = pax.path ?? longName ?? (prefix === '' ? name : `${prefix}/${name}`);
    const linkTarget = pax.linkpath ?? longLink ?? cString(header.subarray(157, 257));
    longName = null;
    longLink = null;
    pax = {};
    const mode = readSize(header.subarray(100, 108)) & 0o7777;
    entries.push({
      path: cleanPath(rawPath),
      type: typeOf(type),
      content: Buffer.from(data),
      linkTarget,
      mode,
    });
  }
  return entries;
}

/** gunzip + untar of a .tar.gz file. */
export function readTarGz(file: string): TarEntry[] {
  return untar(gunzipSync(readFileSync(file)));
}

/**
 * The files of a .tar.gz as path → UTF-8 content. A symlink maps to the archive path it points
 * to (resolved against its directory, e.g. `sys/devices/system/cpu/cpu0/node0` →
 * `sys/devices/system/node/node0`), a hard link to its target's content. Directories are left out.
 */
export function readTarGzFiles(file: string): Map<string, string> {
  const entries = readTarGz(file);
  const out = new Map<string, string>();
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    if (e.type === 'file') out.set(e.path, e.content.toString('utf8'));
    else if (e.type === 'symlink') out.set(e.path, resolveLink(e.path, e.linkTarget));
    else if (e.type === 'hardlink') {
      out.set(e.path, byPath.get(cleanPath(e.linkTarget))?.content.toString('utf8') ?? '');
    }
  }
  return out;
}

function resolveLink(path: string, target: string): string {
  if (target.startsWith('/')) return cleanPath(target);
  return cleanPath(posix.normalize(posix.join(posix.dirname(path), target)));
}

function cleanPath(p: string): string {
  return p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '5':
      return 'directory';
    case '2':
      return 'symlink';
    case '1':
      return 'hardlink';
    default:
      return 'other';
  }
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('utf8');
}

/** Octal (NUL/space terminated) or GNU base-256 (high bit set) number. */
function readSize(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checkChecksum(header: Buffer, offset: number): void {
  const stored = readSize(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  if (sum !== stored) throw new Error(`tar header at byte ${offset}: bad checksum`);
}

/** pax records: "<length> <key>=<value>\n", length in bytes including itself. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const len = Number(data.subarray(i, space).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, i + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}
