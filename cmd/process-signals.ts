// SIGINT/SIGTERM for the read commands (cli.md §3 rule 4), on the real process: the hook that
// src/sources/collector.ts registers its handler through while collector pods exist. While the
// handler is registered, the signal no longer ends the process: the command deletes its pods,
// prints `error: interrupted` and exits 130/143. After the first signal the handler is removed,
// so a second one ends the process at once.

import type { InterruptSignal, SignalHook } from '../src/sources/collector.js';

export const onProcessSignal: SignalHook = (handler) => {
  const on = (signal: InterruptSignal) => () => {
    handler(signal);
  };
  const int = on('SIGINT');
  const term = on('SIGTERM');
  process.on('SIGINT', int);
  process.on('SIGTERM', term);
  return () => {
    process.off('SIGINT', int);
    process.off('SIGTERM', term);
  };
};
