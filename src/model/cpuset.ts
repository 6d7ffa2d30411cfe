// Immutable set of logical CPU ids with one canonical text form, the Linux cpuset list format
// ("0-3,8"). Re-implements k8s.io/utils/cpuset: set operations return new sets.

export class CpuSet {
  static readonly empty = new CpuSet([]);

  /** Sorted, unique ids. */
  private readonly ids: readonly number[];

  private constructor(sortedUnique: readonly number[]) {
    this.ids = sortedUnique;
  }

  static of(...ids: number[]): CpuSet {
    return CpuSet.from(ids);
  }

  static from(ids: Iterable<number>): CpuSet {
    const arr = Array.from(ids);
    for (const id of arr) {
      if (!Number.isInteger(id) || id < 0) throw new RangeError(`invalid cpu id ${String(id)}`);
    }
    arr.sort((a, b) => a - b);
    const out: number[] = [];
    for (const id of arr) if (out.length === 0 || out[out.length - 1] !== id) out.push(id);
    return new CpuSet(out);
  }

  /** Trusted constructor for already sorted, unique arrays (hot paths). */
  static fromSorted(sortedUnique: readonly number[]): CpuSet {
    return new CpuSet(sortedUnique);
  }

  get size(): number {
    return this.ids.length;
  }

  isEmpty(): boolean {
    return this.ids.length === 0;
  }

  has(id: number): boolean {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid] as number;
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  toArray(): number[] {
    return this.ids.slice();
  }

  [Symbol.iterator](): Iterator<number> {
    return this.ids[Symbol.iterator]();
  }

  union(other: CpuSet): CpuSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const a = this.ids;
    const b = other.ids;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const x = a[i];
      const y = b[j];
      if (y === undefined || (x !== undefined && x < y)) {
        out.push(x as number);
        i++;
      } else if (x === undefined || y < x) {
        out.push(y);
        j++;
      } else {
        out.push(x);
        i++;
        j++;
      }
    }
    return new CpuSet(out);
  }

  intersection(other: CpuSet): CpuSet {
    const a = this.ids;
    const b = other.ids;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i] as number;
      const y = b[j] as number;
      if (x === y) {
        out.push(x);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    return new CpuSet(out);
  }

  difference(other: CpuSet): CpuSet {
    if (other.isEmpty() || this.isEmpty()) return this;
    const a = this.ids;
    const b = other.ids;
    const out: number[] = [];
    let j = 0;
    for (const x of a) {
      while (j < b.length && (b[j] as number) < x) j++;
      if (b[j] !== x) out.push(x);
    }
    return new CpuSet(out);
  }

  isSubsetOf(other: CpuSet): boolean {
    return this.difference(other).isEmpty();
  }

  intersects(other: CpuSet): boolean {
    return !this.intersection(other).isEmpty();
  }

  equals(other: CpuSet): boolean {
    if (this.ids.length !== other.ids.length) return false;
    return this.ids.every((v, i) => v === other.ids[i]);
  }

  filter(pred: (id: number) => boolean): CpuSet {
    return new CpuSet(this.ids.filter(pred));
  }

  /** Canonical Linux list format: ascending, runs of two or more consecutive ids as ranges. */
  toString(): string {
    return formatCpuList(this);
  }
}

export function formatCpuList(set: CpuSet): string {
  const ids = set.toArray();
  const parts: string[] = [];
  let i = 0;
  while (i < ids.length) {
    const start = ids[i] as number;
    let end = start;
    while (i + 1 < ids.length && ids[i + 1] === end + 1) {
      end++;
      i++;
    }
    parts.push(start === end ? `${start}` : `${start}-${end}`);
    i++;
  }
  return parts.join(',');
}

/**
 * Parses the Linux list format ("0-3,8", ""). Strides ("0-7:2") are not part of cpuset lists and
 * are rejected. Throws RangeError with the offending element; callers wrap it into an InputError
 * naming the file and field.
 */
export function parseCpuList(text: string): CpuSet {
  return parseList(text, false);
}

/**
 * Parses a Linux CPU list that may use strides as lscpu prints them ("0-62:2" = 0,2,…,62) and the
 * kernel's bitmap_parselist accepts; plain lists parse as with parseCpuList.
 */
export function parseCpuListWithStrides(text: string): CpuSet {
  return parseList(text, true);
}

function parseList(text: string, strides: boolean): CpuSet {
  const s = text.trim();
  if (s === '') return CpuSet.empty;
  const ids: number[] = [];
  for (const raw of s.split(',')) {
    const part = raw.trim();
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(part);
    if (m === null || (!strides && m[3] !== undefined))
      throw new RangeError(`invalid cpu list element "${part}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    const stride = m[3] === undefined ? 1 : Number(m[3]);
    if (end < start) throw new RangeError(`invalid cpu range "${part}": end before start`);
    if (stride < 1) throw new RangeError(`invalid cpu range "${part}": stride must be at least 1`);
    if (end - start > 1 << 20) throw new RangeError(`cpu range "${part}" too large`);
    for (let id = start; id <= end; id += stride) ids.push(id);
  }
  return CpuSet.from(ids);
}
