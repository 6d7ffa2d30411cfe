// `throttle` table layout (cli.md §9): one row per container, NAMESPACE, POD, CONTAINER, CPU,
// CPUS (count), QUOTA, THROTTLED, POD THROTTLED, USAGE, CAUSE; `-o wide` adds NODE, TYPE, CPUSET,
// PERIODS, THROTTLED SECONDS, MESSAGE. Expected columns (CPU, CPUS, QUOTA, CPUSET) are blank
// without /configz (cli.md §5.5); `-` marks a container or pod cgroup without a quota series.

import type { CfsWindow, ThrottleReport, ThrottleRow } from '../schema/reports.js';
import { cfsText, dash, droppedNote, fittedTable, percentCell } from './report-table.js';
import type { ReportTableOptions } from './report-table.js';
import type { Cell, ColumnFit } from './table.js';
import { currentTerminal } from './terminal.js';
import type { Terminal } from './terminal.js';

export type ThrottleTableOptions = ReportTableOptions;

const HEADERS = [
  'NAMESPACE',
  'POD',
  'CONTAINER',
  'CPU',
  'CPUS',
  'QUOTA',
  'THROTTLED',
  'POD THROTTLED',
  'USAGE',
  'CAUSE',
];
const WIDE_HEADERS = ['NODE', 'TYPE', 'CPUSET', 'PERIODS', 'THROTTLED SECONDS', 'MESSAGE'];
/** Wide-only columns may be left out: the message first (shortened it says nothing), the node last. */
const FITS: readonly ColumnFit[] = [
  ...HEADERS.map((): ColumnFit => ({})),
  { drop: 1 },
  { drop: 3 },
  { shrink: 'list', drop: 2 },
  { drop: 4 },
  { drop: 5 },
  { drop: 6 },
];

/** The expected quota with the quota cAdvisor reports ("pod 8000m"); blank without /configz. */
function quotaCell(r: ThrottleRow): string {
  if (r.cfsQuota === null) return '';
  return cfsText(r.cfsQuota, r.containerCfs?.quotaMillicores ?? null);
}

const ratioCell = (w: CfsWindow | null): Cell => {
  if (w === null) return '-';
  const text = percentCell(w.throttledRatio);
  return w.throttledRatio > 0 ? { text, colour: 'yellow' } : text;
};

/** "12/3000": throttled periods of all periods in the window; "(reset)" when a counter restarted. */
function periodsCell(w: CfsWindow | null): string {
  if (w === null) return '-';
  return `${w.throttledPeriods}/${w.periods}${w.counterReset ? ' (reset)' : ''}`;
}

function row(r: ThrottleRow, wide: boolean): Cell[] {
  const cells: Cell[] = [
    r.namespace,
    r.pod,
    r.container,
    r.assignment ?? '',
    r.cpuCount === null ? '' : String(r.cpuCount),
    quotaCell(r),
    ratioCell(r.containerCfs),
    ratioCell(r.podCgroup),
    r.usageCores === null ? '-' : r.usageCores.toFixed(2),
    r.cause === 'none' ? r.cause : { text: r.cause, colour: 'yellow' },
  ];
  if (!wide) return cells;
  return [
    ...cells,
    r.node,
    r.type,
    r.cpus === null ? '' : dash(r.cpus),
    periodsCell(r.containerCfs),
    r.containerCfs === null ? '-' : r.containerCfs.throttledSeconds.toFixed(2),
    dash(r.message),
  ];
}

export function renderThrottleTable(report: ThrottleReport, opts: ThrottleTableOptions): string {
  const terminal: Terminal = opts.terminal ?? currentTerminal();
  const rows = report.rows.map((r) => row(r, opts.wide));
  const headers = opts.wide ? [...HEADERS, ...WIDE_HEADERS] : HEADERS;
  const { text, dropped } = fittedTable(headers, rows, FITS, opts.noHeaders, terminal);
  return opts.noHeaders ? text : text + droppedNote(dropped, terminal);
}
