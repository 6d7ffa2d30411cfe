// Borderless, kubectl-style column tables (cli-table3 with its box drawing switched off).

import Table from 'cli-table3';

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

export interface TableOptions {
  readonly noHeaders: boolean;
}

/** Renders rows under upper-case headers; every line ends with a newline, no trailing blanks. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  opts: TableOptions,
): string {
  const table = new Table({
    chars: NO_BORDERS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    ...(opts.noHeaders ? {} : { head: [...headers] }),
  });
  for (const row of rows) table.push([...row]);
  if (rows.length === 0 && opts.noHeaders) return '';
  return (
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n') + '\n'
  );
}
