// The values of the cluster flags: durations in Go syntax, kubectl's bare seconds, concurrency.

import { UsageError } from '../../../src/errors.js';
import {
  checkSelector,
  parseConcurrency,
  parseDurationFlag,
  parseRequestTimeout,
} from '../../../src/cli/cluster-options.js';

describe('cluster flag values', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['5', 5000],
    ['0', 0],
    ['1us', 1],
  ])('--request-timeout %s = %d ms', (text, ms) => {
    expect(parseRequestTimeout(text)).toBe(ms);
  });

  it.each(['soon', '-1s', '10x', ''])('--request-timeout %j is a usage error', (text) => {
    expect(() => parseRequestTimeout(text)).toThrow(UsageError);
    expect(() => parseRequestTimeout(text)).toThrow(`invalid value "${text}" for --request-timeout`);
  });

  it('--interval needs a unit and more than 0', () => {
    expect(parseDurationFlag('interval', '10s')).toBe(10_000);
    expect(() => parseDurationFlag('interval', '10')).toThrow('invalid value "10" for --interval');
    expect(() => parseDurationFlag('interval', '0s')).toThrow('the duration must be greater than 0');
  });

  it('--concurrency is an integer from 1 to 64', () => {
    expect(parseConcurrency('8')).toBe(8);
    expect(parseConcurrency(64)).toBe(64);
    for (const bad of ['0', '65', '2.5', 'many']) expect(() => parseConcurrency(bad)).toThrow(UsageError);
  });

  it('-l is checked before any request', () => {
    expect(checkSelector('selector', 'a in (b,c)')).toBe('a in (b,c)');
    expect(() => checkSelector('selector', 'a in b')).toThrow(
      'invalid value "a in b" for --selector: expected "("',
    );
  });
});
