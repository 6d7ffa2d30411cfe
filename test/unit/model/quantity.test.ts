// Exact Kubernetes quantities: milli-CPUs as integers, bytes as bigint.

import {
  formatBytes,
  formatMilliCpu,
  intValue,
  milliValue,
  parseQuantity,
  toMilliCpu,
} from '../../../src/model/quantity.js';

describe('quantities', () => {
  it.each([
    ['1.5', 1500],
    ['1500m', 1500],
    ['8', 8000],
    ['1e3', 1000000],
    ['1k', 1000000],
    ['0.1', 100],
    ['100u', 1],
    [2, 2000],
    [0.25, 250],
  ])('cpu %j is %i millicores', (text, milli) => {
    expect(toMilliCpu(parseQuantity(text))).toBe(milli);
  });

  it.each([
    ['16Gi', 17179869184n],
    ['500Mi', 524288000n],
    ['1100Mi', 1153433600n],
    ['1G', 1000000000n],
    ['1.5Gi', 1610612736n],
    ['128974848', 128974848n],
    ['129e6', 129000000n],
    ['123Mi', 128974848n],
  ])('memory %j is %s bytes', (text, bytes) => {
    expect(intValue(parseQuantity(text))).toBe(bytes);
  });

  it('rounds up like MilliValue() and Value()', () => {
    expect(milliValue(parseQuantity('1n'))).toBe(1n);
    expect(intValue(parseQuantity('0.5'))).toBe(1n);
  });

  it.each(['2x', '1.2.3', '', 'Gi', '1 Gi', '--1', '1e'])('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(RangeError);
  });

  it('formats as kubectl shows values', () => {
    expect(formatMilliCpu(8000)).toBe('8');
    expect(formatMilliCpu(1500)).toBe('1500m');
    expect(formatBytes(17179869184n)).toBe('16Gi');
    expect(formatBytes(4294967296n)).toBe('4Gi');
    expect(formatBytes(1000n)).toBe('1000');
  });
});
