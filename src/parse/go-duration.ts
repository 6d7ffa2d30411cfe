// Go duration strings (time.ParseDuration) as the kubelet configuration writes them: "100ms",
// "1m0s", "1.5h", "50000us", "0". Exact: the result is an integer number of nanoseconds.

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const PART = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;

/** Nanoseconds of a Go duration string; throws RangeError with Go's wording on bad syntax. */
export function parseGoDuration(text: string): bigint {
  let s = text;
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new RangeError(`invalid duration "${text}"`);
  let total = 0n;
  while (s !== '') {
    const m = PART.exec(s);
    if (m === null) throw new RangeError(`invalid duration "${text}"`);
    const [whole, intPart = '', fracPart = '', unit = ''] = m;
    if (intPart === '' && fracPart === '') throw new RangeError(`invalid duration "${text}"`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new RangeError(`unknown unit "${unit}" in duration "${text}"`);
    const den = 10n ** BigInt(fracPart.length);
    const num = BigInt((intPart === '' ? '0' : intPart) + fracPart);
    // Go truncates fractional nanoseconds.
    total += (num * scale) / den;
    s = s.slice(whole.length);
  }
  return sign * total;
}
