// Borderless, kubectl-style column tables: upper-case headers, columns left-aligned and separated
// by two spaces, no trailing blanks.
//
// On a terminal narrower than the table, `fitTable` (a pure function of the cells and the width)
// first shortens the cells of columns that hold unbounded lists (cpusets, memory blocks) with an
// ellipsis, then leaves out optional columns, so rows never wrap into unreadable cells. Names
// are never shortened (as in kubectl). Off a terminal nothing is shortened: pipes get full data.

import { paint } from './terminal.js';
import type { Colour } from './terminal.js';

/** A cell: plain text, or text with a colour used only when colours are on. */
export type Cell = string | { readonly text: string; readonly colour: Colour };

export interface ColumnFit {
  /**
   * How cells of this column may be shortened to fit: `list` cuts a comma-separated list after a
   * comma ("0,2-31,…"), `text` anywhere; absent: never.
   */
  readonly shrink?: 'list' | 'text';
  /** May be left out when shortening is not enough; the highest number goes first. */
  readonly drop?: number;
}

export interface FittedTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Headers of the columns left out, in table order. */
  readonly dropped: readonly string[];
}

export interface TableOptions {
  readonly noHeaders: boolean;
  /** Colour the cells that carry one (only ever on for a terminal). */
  readonly color?: boolean;
}

const GAP = '  ';
const ELLIPSIS = '…';
/** A shortened column keeps at least this many characters (or its header's). */
const MIN_SHRUNK_WIDTH = 10;

export function cellText(c: Cell): string {
  return typeof c === 'string' ? c : c.text;
}

/** Display width: one column per code point (cells are ASCII names, numbers, cpusets and "…"). */
function widthOf(s: string): number {
  return Array.from(s).length;
}

function columnWidths(headers: readonly string[], rows: readonly (readonly Cell[])[]): number[] {
  return headers.map((h, i) => Math.max(widthOf(h), ...rows.map((r) => widthOf(cellText(r[i] ?? '')))));
}

const total = (widths: readonly number[]) =>
  widths.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, widths.length - 1);

/**
 * Shortens `text` to at most `width` characters, ending in "…". A `list` is cut after its last
 * comma that fits, so no partial number or range is shown ("34-6…" would read as a range).
 */
export function truncateCell(text: string, width: number, kind: 'list' | 'text'): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  const head = chars.slice(0, width - 1).join('');
  if (kind === 'list') {
    const comma = head.lastIndexOf(',');
    if (comma >= 0) return head.slice(0, comma + 1) + ELLIPSIS;
  }
  return head + ELLIPSIS;
}

/**
 * Fits a table into `width` columns: the widths of shrinkable columns are capped (the widest
 * first, down to a floor), then, while it is still too wide, droppable columns are left out
 * (highest `drop` first) and the caps recomputed. A table that fits comes back unchanged; one
 * that cannot fit even then comes back as narrow as the rules allow.
 */
export function fitTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  columns: readonly ColumnFit[],
  width: number,
): FittedTable {
  let keep = headers.map((_, i) => i);
  for (;;) {
    const hs = keep.map((i) => headers[i] ?? '');
    const natural = columnWidths(
      hs,
      rows.map((r) => keep.map((i) => r[i] ?? '')),
    );
    const caps = capWidths(
      natural,
      keep.map((i, k) => {
        const fit = columns[i] ?? {};
        return fit.shrink === undefined
          ? (natural[k] ?? 0)
          : Math.min(natural[k] ?? 0, Math.max(MIN_SHRUNK_WIDTH, widthOf(hs[k] ?? '')));
      }),
      width,
    );
    const droppable = keep.filter((i) => columns[i]?.drop !== undefined);
    if (total(caps) <= width || droppable.length === 0) {
      return {
        headers: hs,
        rows: rows.map((r) =>
          keep.map((i, k) => {
            const cell = r[i] ?? '';
            const kind = columns[i]?.shrink;
            const cap = caps[k] ?? 0;
            if (kind === undefined || widthOf(cellText(cell)) <= cap) return cell;
            const text = truncateCell(cellText(cell), cap, kind);
            return typeof cell === 'string' ? text : { text, colour: cell.colour };
          }),
        ),
        dropped: headers.filter((_, i) => !keep.includes(i)),
      };
    }
    const first = droppable.reduce((a, b) => ((columns[b]?.drop ?? 0) > (columns[a]?.drop ?? 0) ? b : a));
    keep = keep.filter((i) => i !== first);
  }
}

/**
 * The largest common cap C such that the columns, each at max(floor, min(natural, C)), fit in
 * `width`; columns whose floor equals their natural width are unaffected.
 */
function capWidths(natural: readonly number[], floors: readonly number[], width: number): number[] {
  const at = (cap: number) => natural.map((n, i) => Math.max(floors[i] ?? n, Math.min(n, cap)));
  if (total(natural) <= width) return [...natural];
  let lo = 0;
  let hi = Math.max(0, ...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(at(mid)) <= width) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

/** Renders rows under the headers; every line ends with a newline, no trailing blanks. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  opts: TableOptions,
): string {
  if (rows.length === 0 && opts.noHeaders) return '';
  const lines: (readonly Cell[])[] = opts.noHeaders ? [...rows] : [headers, ...rows];
  const widths = columnWidths(opts.noHeaders ? headers.map(() => '') : headers, rows);
  const color = opts.color === true;
  return lines
    .map((cells) =>
      widths
        .map((w, i) => {
          const cell = cells[i] ?? '';
          const text = cellText(cell);
          const padded = text + ' '.repeat(w - widthOf(text));
          return typeof cell === 'string'
            ? padded
            : paint(text, cell.colour, color) + padded.slice(text.length);
        })
        .join(GAP)
        .trimEnd(),
    )
    .map((l) => l + '\n')
    .join('');
}
