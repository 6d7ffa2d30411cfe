// Exact Kubernetes quantities (k8s.io/apimachinery/pkg/api/resource). Values are kept as an exact
// fraction of bigints, never a float: milli-CPUs come out as integers, bytes as bigint.

export interface Quantity {
  /** value = num / den, den > 0 */
  readonly num: bigint;
  readonly den: bigint;
  /** The text it was parsed from, for messages. */
  readonly text: string;
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY_RE =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

/** Parses "1.5", "1500m", "16Gi", "1e3", "1k", or a JSON number. Throws RangeError on bad syntax. */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === 'number' ? numberToText(input) : input.trim();
  const m = QUANTITY_RE.exec(text);
  if (m === null) throw new RangeError(`invalid quantity "${String(input)}"`);
  const [, sign = '', digits = '', binary, exponent, decimal] = m;
  const [intPart = '', fracPart = ''] = digits.split('.');
  let num = BigInt((intPart === '' ? '0' : intPart) + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (binary !== undefined) {
    num *= BINARY[binary] ?? 1n;
  } else {
    const exp10 = exponent !== undefined ? Number(exponent) : (DECIMAL[decimal ?? ''] ?? 0);
    if (Math.abs(exp10) > 40) throw new RangeError(`quantity "${text}" out of range`);
    if (exp10 >= 0) num *= 10n ** BigInt(exp10);
    else den *= 10n ** BigInt(-exp10);
  }
  if (sign === '-') num = -num;
  const g = gcd(num < 0n ? -num : num, den);
  return { num: num / g, den: den / g, text };
}

function numberToText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`invalid quantity ${String(n)}`);
  // Non-exponential, exact decimal rendering of the JSON number.
  const s = String(n);
  return s.includes('e') ? n.toFixed(20).replace(/\.?0+$/, '') : s;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** `MilliValue()`: value × 1000 rounded up. */
export function milliValue(q: Quantity): bigint {
  return ceilDiv(q.num * 1000n, q.den);
}

/** `Value()`: the value rounded up to an integer (bytes for memory). */
export function intValue(q: Quantity): bigint {
  return ceilDiv(q.num, q.den);
}

export function isNegative(q: Quantity): boolean {
  return q.num < 0n;
}

/** Milli-CPUs as a JS number (always exact: CPU counts are small). */
export function toMilliCpu(q: Quantity): number {
  return Number(milliValue(q));
}

/** Whole CPUs when the milli value is a multiple of 1000 (the kubelet's integer-CPU test), else null. */
export function wholeCpus(milli: number): number | null {
  return milli > 0 && milli % 1000 === 0 ? milli / 1000 : null;
}

/** Formats milli-CPUs the way kubectl shows them: "8", "1500m". */
export function formatMilliCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Formats bytes with the largest exact binary suffix: 17179869184 → "16Gi". */
export function formatBytes(bytes: bigint): string {
  if (bytes === 0n) return '0';
  for (const [suffix, mult] of Object.entries(BINARY).reverse()) {
    if (bytes % mult === 0n) return `${bytes / mult}${suffix}`;
  }
  return String(bytes);
}
