// Decides how tables are written (cli.md §2 --no-color): colour only on a terminal, never with
// --no-color, NO_COLOR (any non-empty value, no-color.org) or TERM=dumb; tables fitted to the
// width only on a terminal whose width is known, so pipes and files always get the full data.

import type { Terminal } from '../render/terminal.js';
import type { Io } from './io.js';

export function terminalOf(io: Pick<Io, 'stdout' | 'env'>, flags: { readonly noColor: boolean }): Terminal {
  const tty = io.stdout.isTTY === true;
  const columns = io.stdout.columns;
  const noColor =
    flags.noColor || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') || io.env.TERM === 'dumb';
  return {
    width: tty && columns !== undefined && columns > 0 ? columns : undefined,
    color: tty && !noColor,
  };
}
