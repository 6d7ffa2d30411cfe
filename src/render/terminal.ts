// What the output is written to, as far as tables care: the width to fit (only for a terminal)
// and whether to colour. The CLI decides (src/cli/terminal.ts); renderers only read it.
//
// Renderers take it as an explicit option. For renderers whose callers do not pass it yet, the
// CLI also sets it for the duration of a command (`withTerminal`), read by `currentTerminal()`:
// an AsyncLocalStorage, so concurrent runs in one process (tests) never see each other's.

import { AsyncLocalStorage } from 'node:async_hooks';

export interface Terminal {
  /** Columns to fit tables into; undefined when the output is not a terminal (never shorten). */
  readonly width: number | undefined;
  /** ANSI colours on. */
  readonly color: boolean;
}

/** Pipes, files and tests: full data, no colour. */
export const PLAIN_OUTPUT: Terminal = { width: undefined, color: false };

const current = new AsyncLocalStorage<Terminal>();

/** Runs `fn` with `terminal` as what `currentTerminal()` returns inside it (across awaits). */
export function withTerminal<T>(terminal: Terminal, fn: () => T): T {
  return current.run(terminal, fn);
}

export function currentTerminal(): Terminal {
  return current.getStore() ?? PLAIN_OUTPUT;
}

export type Colour = 'green' | 'red' | 'yellow';

const SGR: Readonly<Record<Colour, string>> = { green: '32', red: '31', yellow: '33' };

/** `text` in `colour` when colours are on, else unchanged. */
export function paint(text: string, colour: Colour, on: boolean): string {
  return on && text !== '' ? `\x1b[${SGR[colour]}m${text}\x1b[0m` : text;
}
