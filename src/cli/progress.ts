// A progress line on stderr for long runs (audit): `audit: 120/5000 nodes read`, rewritten in
// place. Shown only when stderr is a terminal and the run has lasted longer than `delayMs`; never
// in pipes or logs. The clock and the timer are injected, so tests drive it without waiting.

import type { OutStream } from './io.js';

export interface ProgressOptions {
  /** the line reads `<label>: <done>/<total> <unit>` */
  readonly label: string;
  readonly unit: string;
  readonly total: number;
  /** milliseconds since some origin */
  readonly now: () => number;
  /** runs `tick` every `ms` until the returned function is called */
  readonly every: (tick: () => void, ms: number) => () => void;
  /** show nothing before the run has lasted this long (default 2 s) */
  readonly delayMs?: number;
  /** how often the line is refreshed (default 250 ms) */
  readonly refreshMs?: number;
}

export interface Progress {
  /** one more item done */
  step(): void;
  /** stops refreshing and erases the line, if one was shown */
  stop(): void;
}

const NONE: Progress = { step: () => undefined, stop: () => undefined };

/** The default timer: setInterval that does not keep the process alive. */
export function realEvery(tick: () => void, ms: number): () => void {
  const handle = setInterval(tick, ms);
  handle.unref();
  return () => {
    clearInterval(handle);
  };
}

export function startProgress(stream: OutStream, opts: ProgressOptions): Progress {
  if (stream.isTTY !== true || opts.total === 0) return NONE;
  const started = opts.now();
  const delay = opts.delayMs ?? 2000;
  let done = 0;
  let shown = false;
  let last = '';
  const draw = (): void => {
    if (opts.now() - started <= delay) return;
    const line = `${opts.label}: ${done}/${opts.total} ${opts.unit}`;
    if (line === last) return;
    stream.write(`\r${line}\x1b[K`);
    shown = true;
    last = line;
  };
  const cancel = opts.every(draw, opts.refreshMs ?? 250);
  return {
    step: () => {
      done++;
    },
    stop: () => {
      cancel();
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
