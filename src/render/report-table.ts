// Pieces shared by the tables of the read commands (cli.md §9): comparing cells (expected against
// observed), CFS, memory-block and ratio cells, the SOURCES cell, the FINDINGS section, the
// `not checked:` lines and the coverage table, and fitting a table to the terminal.

import { describeStatus } from '../drift/sources.js';
import { formatBytes } from '../model/quantity.js';
import type { MemoryBlock, NodeSource, Severity, SourceStatus } from '../schema/common.js';
import type { Coverage, Finding } from '../schema/reports.js';
import { fitTable, renderTable } from './table.js';
import type { Cell, ColumnFit } from './table.js';
import type { Colour, Terminal } from './terminal.js';

export interface ReportTableOptions {
  /** `-o wide` */
  readonly wide: boolean;
  /** `--no-headers`: only the data rows of the main table */
  readonly noHeaders: boolean;
  /** Width and colour; by default the one the CLI set for this command (`withTerminal`). */
  readonly terminal?: Terminal;
}

/** "-" for a null or empty value. */
export function dash(s: string | null | undefined): string {
  return s === null || s === undefined || s === '' ? '-' : s;
}

/**
 * How expected and observed relate: `agree` shows the expected value, `equivalent` the observed
 * one (the checks that judge it passed, the ids differ from the fresh replay), `differ` both.
 */
export type Verdict = 'agree' | 'equivalent' | 'differ';

/**
 * A comparing cell (cli.md §9): `X` when expected and observed agree, `X→Y` when they differ,
 * `X→?` when nothing was observed (`observed` null), `?` when nothing is expected (`expected`
 * null). Without a verdict the texts are compared.
 */
export function compareCell(expected: string | null, observed: string | null, verdict?: Verdict): string {
  if (expected === null) return '?';
  if (observed === null) return `${expected}→?`;
  const v = verdict ?? (expected === observed ? 'agree' : 'differ');
  if (v === 'agree') return expected;
  if (v === 'equivalent') return observed;
  return `${expected}→${observed}`;
}

/** A ratio in [0, 1] as a percentage with one decimal ("31.0%"); "-" for null. */
export function percentCell(ratio: number | null): string {
  return ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`;
}

/** `none`, `unlimited` or `<kind> <millicores>m` ("pod 8000m"). */
export function cfsText(kind: string, millicores: number | null): string {
  return millicores === null || kind === 'none' || kind === 'unlimited' ? kind : `${kind} ${millicores}m`;
}

/** NUMA nodes "0,1"; "-" when none. */
export function numaText(nodes: readonly number[]): string {
  return nodes.length === 0 ? '-' : nodes.join(',');
}

/**
 * Memory blocks `<size>@<numa>` in the largest exact binary unit ("16Gi@0"), hugepages prefixed
 * with their type ("hugepages-1Gi:4Gi@0"), sorted by type and NUMA nodes so equal sets read the
 * same; "-" when none.
 */
export function blocksText(blocks: readonly MemoryBlock[]): string {
  if (blocks.length === 0) return '-';
  return blocks
    .map((b) => ({
      key: `${b.type === 'memory' ? '' : b.type}@${b.numa.join(',')}`,
      text: `${b.type === 'memory' ? '' : `${b.type}:`}${formatBytes(BigInt(b.size))}@${b.numa.join(',')}`,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.text < b.text ? -1 : 1))
    .map((b) => b.text)
    .join(' ');
}

/** Abbreviations of the node sources in SOURCES cells, in their order (cli.md §9). */
const SOURCE_ABBREVIATIONS: readonly (readonly [NodeSource, string])[] = [
  ['configz', 'cz'],
  ['metrics', 'm'],
  ['cadvisor', 'ca'],
  ['observation', 'obs'],
];

const failed = (s: SourceStatus | undefined): boolean =>
  s !== undefined && s.status !== 'ok' && s.status !== 'absent';

/** `cz m ca obs`: the name when ok, with `!` when failed, nothing when absent; "-" when empty. */
export function sourcesCell(sources: Readonly<Partial<Record<NodeSource, SourceStatus>>>): string {
  const parts: string[] = [];
  for (const [source, abbreviation] of SOURCE_ABBREVIATIONS) {
    const s = sources[source];
    if (s?.status === 'ok') parts.push(abbreviation);
    else if (failed(s)) parts.push(`${abbreviation}!`);
  }
  return dash(parts.join(' '));
}

/** "configz: unavailable (503)": why a source failed, as coverage reasons put it. */
export function sourceFailureText(source: string, s: SourceStatus): string {
  return `${source}: ${describeStatus(s)}`;
}

/**
 * Why a node is unreachable: its first required source (node object, configz) that is not ok,
 * else its first failed source; null when none explains it.
 */
export function unreachableReason(
  sources: Readonly<Partial<Record<NodeSource, SourceStatus>>>,
): string | null {
  for (const source of ['node', 'configz'] as const) {
    const s = sources[source];
    if (s !== undefined && s.status !== 'ok') return sourceFailureText(source, s);
  }
  for (const [source, s] of Object.entries(sources)) {
    if (failed(s)) return sourceFailureText(source, s);
  }
  return null;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };
const SEVERITY_COLOUR: Readonly<Record<Severity, Colour | null>> = {
  error: 'red',
  warning: 'yellow',
  info: null,
};

/** `text` in the colour of a severity (errors red, warnings yellow, info plain). */
export function severityColoured(text: string, severity: Severity | null): Cell {
  const colour = severity === null ? null : SEVERITY_COLOUR[severity];
  return colour === null ? text : { text, colour };
}

/** The worst of some severities; null for none. */
export function worstSeverity(severities: Iterable<Severity>): Severity | null {
  let worst: Severity | null = null;
  for (const s of severities) if (worst === null || SEVERITY_RANK[s] < SEVERITY_RANK[worst]) worst = s;
  return worst;
}

const FAMILY_ORDER = ['C', 'D', 'T'];

/** Orders codes C, D, T, each by number ("D2" before "D11"). */
export function compareCodes(a: string, b: string): number {
  const rank = (code: string): [number, number] => {
    const family = FAMILY_ORDER.indexOf(code.charAt(0));
    const n = Number(code.slice(1));
    return [family < 0 ? FAMILY_ORDER.length : family, Number.isInteger(n) ? n : Number.MAX_SAFE_INTEGER];
  };
  const [fa, na] = rank(a);
  const [fb, nb] = rank(b);
  return fa - fb || na - nb || (a < b ? -1 : a > b ? 1 : 0);
}

/** null sorts before any text (node-level findings before pod-level ones). */
function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** cli.md §1 order: severity, code, node, namespace, pod, container, resource. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareCodes(a.code, b.code) ||
      compareNullable(a.node, b.node) ||
      compareNullable(a.namespace, b.namespace) ||
      compareNullable(a.pod, b.pod) ||
      compareNullable(a.container, b.container) ||
      compareNullable(a.resource, b.resource),
  );
}

/** The distinct codes of some findings in code order ("D5,D7"), coloured by the worst severity; "-". */
export function findingCodesCell(findings: readonly Finding[]): Cell {
  if (findings.length === 0) return '-';
  const codes = [...new Set(findings.map((f) => f.code))].sort(compareCodes);
  return severityColoured(codes.join(','), worstSeverity(findings.map((f) => f.severity)));
}

/** A table fitted to the terminal's width when there is one; `dropped`: columns left out. */
export function fittedTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  fits: readonly ColumnFit[],
  noHeaders: boolean,
  terminal: Terminal,
): { readonly text: string; readonly dropped: readonly string[] } {
  const fitted =
    terminal.width === undefined
      ? { headers, rows, dropped: [] }
      : fitTable(headers, rows, fits, terminal.width);
  return {
    text: renderTable(fitted.headers, fitted.rows, { noHeaders, color: terminal.color }),
    dropped: fitted.dropped,
  };
}

/** The note under a table whose columns were left out to fit the terminal; "" when none were. */
export function droppedNote(dropped: readonly string[], terminal: Terminal): string {
  if (dropped.length === 0) return '';
  return `(${dropped.join(', ')} left out to fit ${terminal.width ?? 0} columns; widen the terminal or pipe the output to see them)\n`;
}

const valueText = (v: string | number | boolean | null): string => (v === null ? '-' : dash(String(v)));

const FINDING_HEADERS = ['SEVERITY', 'CODE', 'NODE', 'NAMESPACE/POD', 'CONTAINER', 'RESOURCE', 'MESSAGE'];
const WIDE_FINDING_HEADERS = [
  'SEVERITY',
  'CODE',
  'NODE',
  'NAMESPACE/POD',
  'CONTAINER',
  'RESOURCE',
  'EXPECTED',
  'OBSERVED',
  'EVIDENCE',
  'MESSAGE',
];
/**
 * The FINDINGS section: a `FINDINGS` line, then one line per finding in cli.md §1 order,
 * `SEVERITY CODE NODE NAMESPACE/POD CONTAINER RESOURCE MESSAGE` (`-` for null); wide: under a
 * header row, with EXPECTED, OBSERVED and EVIDENCE before the message. "" without findings.
 * Never shortened to fit a terminal: the lines wrap rather than lose the message.
 */
export function findingsSection(findings: readonly Finding[], wide: boolean, terminal: Terminal): string {
  if (findings.length === 0) return '';
  const rows = sortFindings(findings).map((f): Cell[] => {
    const where = [
      severityColoured(f.severity, f.severity),
      f.code,
      f.node,
      f.namespace === null || f.pod === null ? dash(f.pod) : `${f.namespace}/${f.pod}`,
      dash(f.container),
      dash(f.resource),
    ];
    return wide
      ? [...where, valueText(f.expected), valueText(f.observed), dash(f.evidence.join(',')), f.message]
      : [...where, f.message];
  });
  const text = renderTable(wide ? WIDE_FINDING_HEADERS : FINDING_HEADERS, rows, {
    noHeaders: !wide,
    color: terminal.color,
  });
  return `FINDINGS\n${text}`;
}

/** Hints for coverage reasons the user can remedy with a flag. */
const REASON_HINTS: Readonly<Record<string, string>> = {
  'no node observation': 'pass --observation or --collector',
  'no topology': 'pass --topology, --observation or --collector',
};

/** A coverage reason ("; "-joined when several sources were missing) with the remedies it has. */
function reasonText(reason: string): string {
  const hints = [...new Set(reason.split('; ').flatMap((r) => REASON_HINTS[r] ?? []))];
  return [reason, ...hints].join('; ');
}

export interface NotCheckedInput {
  readonly coverage: readonly Coverage[];
  /** printed as "on <node>" (audit); null: not printed (describe, one node) */
  readonly node: string | null;
  /** the node is unreachable: then every check not checked reads "all checks" */
  readonly unreachableReason?: string | null;
}

/**
 * `not checked:` lines: the `not-checked` codes grouped by reason, in code order, e.g.
 * `not checked: D3,D4 on worker-2 (no node observation; pass --observation or --collector)`;
 * `all checks` when no check of the report (`skipped` ones aside) was made for one reason, or the
 * node is unreachable and none was made.
 */
export function notCheckedLines(input: NotCheckedInput): string[] {
  const considered = input.coverage.filter((c) => c.status !== 'skipped');
  const notChecked = considered.filter((c) => c.status === 'not-checked');
  const on = input.node === null ? '' : ` on ${input.node}`;
  const line = (what: string, reason: string | null) =>
    `not checked: ${what}${on}${reason === null ? '' : ` (${reasonText(reason)})`}`;
  const reasons = [...new Set(notChecked.map((c) => c.reason))];
  const nothingChecked = notChecked.length === considered.length;
  if (input.unreachableReason !== undefined && nothingChecked) {
    const reason = reasons.length === 1 ? (reasons[0] ?? null) : input.unreachableReason;
    return [line('all checks', reason)];
  }
  if (notChecked.length === 0) return [];
  if (nothingChecked && reasons.length === 1) return [line('all checks', reasons[0] ?? null)];
  return reasons.map((reason) =>
    line(
      notChecked
        .filter((c) => c.reason === reason)
        .map((c) => c.code)
        .sort(compareCodes)
        .join(','),
      reason,
    ),
  );
}

/**
 * The full coverage table (`-o wide`): a `COVERAGE` line, then NODE (audit only), CODE, STATUS,
 * MISSING, REASON per code. "" without coverage.
 */
export function coverageSection(
  nodes: readonly { readonly node: string; readonly coverage: readonly Coverage[] }[],
  withNode: boolean,
  terminal: Terminal,
): string {
  const rows = nodes.flatMap(({ node, coverage }) =>
    [...coverage]
      .sort((a, b) => compareCodes(a.code, b.code))
      .map((c): Cell[] => {
        const status: Cell = c.status === 'not-checked' ? { text: c.status, colour: 'yellow' } : c.status;
        const cells = [c.code, status, dash(c.missing.join(',')), dash(c.reason)];
        return withNode ? [node, ...cells] : cells;
      }),
  );
  if (rows.length === 0) return '';
  const headers = ['CODE', 'STATUS', 'MISSING', 'REASON'];
  const text = renderTable(withNode ? ['NODE', ...headers] : headers, rows, {
    noHeaders: false,
    color: terminal.color,
  });
  return `COVERAGE\n${text}`;
}
