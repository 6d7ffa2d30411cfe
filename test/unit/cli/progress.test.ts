// The progress line of long runs (src/cli/progress.ts): only on a terminal, only after the delay,
// rewritten in place, erased at the end; driven by an injected clock and timer.

import { startProgress } from '../../../src/cli/progress.js';
import type { OutStream } from '../../../src/cli/io.js';

class Stream implements OutStream {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function harness(tty: boolean, total = 5) {
  const stream = new Stream(tty);
  let now = 0;
  let tick: (() => void) | null = null;
  let cancelled = false;
  const progress = startProgress(stream, {
    label: 'audit',
    unit: 'nodes read',
    total,
    now: () => now,
    every: (fn) => {
      tick = fn;
      return () => {
        cancelled = true;
      };
    },
  });
  return {
    stream,
    progress,
    at(ms: number) {
      now = ms;
      tick?.();
    },
    cancelled: () => cancelled,
    timer: () => tick !== null,
  };
}

describe('startProgress', () => {
  it('nothing before 2 s; then the count, rewritten only when it changes; erased when stopped', () => {
    const h = harness(true);
    h.progress.step();
    h.at(1000);
    h.at(2000);
    expect(h.stream.text).toBe('');
    h.at(2001);
    h.progress.step();
    h.at(2250);
    h.at(2500);
    h.progress.stop();
    expect(h.stream.text).toBe('\raudit: 1/5 nodes read\x1b[K\raudit: 2/5 nodes read\x1b[K\r\x1b[K');
    expect(h.cancelled()).toBe(true);
  });

  it('a run shorter than the delay writes nothing at all', () => {
    const h = harness(true);
    h.progress.step();
    h.at(1500);
    h.progress.stop();
    expect(h.stream.text).toBe('');
    expect(h.cancelled()).toBe(true);
  });

  it('not on a pipe, and not for an empty run: no timer is started', () => {
    const piped = harness(false);
    piped.at(10_000);
    piped.progress.stop();
    expect([piped.stream.text, piped.timer()]).toEqual(['', false]);
    const empty = harness(true, 0);
    expect(empty.timer()).toBe(false);
  });
});
