// Output on a terminal (cli.md §2 --no-color, issue 7): colour only on a terminal and never with
// --no-color, NO_COLOR or TERM=dumb; tables fitted to the terminal's width (cells shortened,
// wide-only columns left out with a note); pipes always get the full, uncoloured data.

import { terminalOf } from '../../../src/cli/terminal.js';
import { expectGolden } from '../../helpers/golden.js';
import { fixture, linesOf, runCli } from '../../helpers/run-cli.js';

const ESC = '\x1b[';
const FRAG = fixture('fragmented-shared-pool.yaml');
const DB = fixture('pod-level-db.yaml');

/** The lines of the table: from the header line to the last container row. */
function tableLines(stdout: string): string[] {
  const lines = linesOf(stdout);
  const start = lines.findIndex((l) => l.startsWith('POD '));
  const end = lines.findIndex((l, i) => i > start && /^\S+\/\S+: |^\(/.test(l));
  return lines.slice(start, end);
}
const visible = (s: string) =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^[0-9;]*m/, '')))
    .join('');

describe('terminalOf', () => {
  const tty = { isTTY: true, columns: 132, write: () => true };
  const pipe = { isTTY: false, write: () => true };
  it.each([
    ['a terminal', tty, {}, false, { width: 132, color: true }],
    ['a pipe', pipe, {}, false, { width: undefined, color: false }],
    ['NO_COLOR=1', tty, { NO_COLOR: '1' }, false, { width: 132, color: false }],
    ['an empty NO_COLOR (no-color.org: ignored)', tty, { NO_COLOR: '' }, false, { width: 132, color: true }],
    ['TERM=dumb', tty, { TERM: 'dumb' }, false, { width: 132, color: false }],
    ['--no-color', tty, {}, true, { width: 132, color: false }],
    [
      'a terminal of unknown width',
      { isTTY: true, write: () => true },
      {},
      false,
      { width: undefined, color: true },
    ],
  ])('%s', (_name, stdout, env, noColor, expected) => {
    expect(terminalOf({ stdout, env }, { noColor })).toEqual(expected);
  });
});

describe('simulate on a terminal', () => {
  it('colours ADMITTED and the verdict', async () => {
    const r = await runCli(['simulate', '-f', DB], { ttyColumns: 200, env: {} });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ESC}32myes${ESC}0m`);
    expect(r.stdout).toContain(`db/db-0: ${ESC}32madmitted${ESC}0m  numa 0`);
    // with colours off it is exactly what a pipe gets
    expect(visible(r.stdout)).toBe((await runCli(['simulate', '-f', DB])).stdout);
  });

  it('colours a rejection reason red', async () => {
    const r = await runCli(['simulate', '-f', fixture('rejected.yaml')], { ttyColumns: 200, env: {} });
    expect(r.stdout).toContain(`${ESC}31mSMTAlignmentError${ESC}0m`);
    expect(r.stdout).toContain(`${ESC}31mrejected${ESC}0m: SMTAlignmentError`);
  });

  it.each([
    ['NO_COLOR', [], { NO_COLOR: '1' }],
    ['--no-color', ['--no-color'], {}],
    ['TERM=dumb', [], { TERM: 'dumb' }],
  ])('%s turns colour off', async (_name, flags, env) => {
    const r = await runCli(['simulate', '-f', DB, ...flags], { ttyColumns: 200, env });
    expect(r.stdout).not.toContain(ESC);
  });

  it('shortens cpusets with an ellipsis to fit the width, names stay whole', async () => {
    const piped = tableLines((await runCli(['simulate', '-f', FRAG])).stdout);
    expect(Math.max(...piped.map((l) => l.length))).toBeGreaterThan(110);
    const r = await runCli(['simulate', '-f', FRAG], { ttyColumns: 110, env: { NO_COLOR: '1' } });
    const table = tableLines(r.stdout);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(110);
    expect(table).toHaveLength(piped.length);
    const row = table.find((l) => l.startsWith('default/web '));
    expect(row).toMatch(/ log-shipper +app +node_shared +node_shared +13,15,[0-9,-]*,… +unlimited$/);
    expect(r.stdout).not.toContain('27-31,44-63  unlimited');
    // cells that fit are unchanged
    const cells = (lines: string[]) => lines.find((l) => l.startsWith('default/worker-1 '))?.split(/ {2,}/);
    expect(cells(table)).toEqual(cells(piped));
  });

  it('-o wide leaves out wide-only columns that cannot fit, and says so', async () => {
    const r = await runCli(['simulate', '-f', DB, '-o', 'wide'], { ttyColumns: 130, env: { NO_COLOR: '1' } });
    const table = tableLines(r.stdout);
    expect(Math.max(...table.map((l) => l.length))).toBeLessThanOrEqual(130);
    expect(table[0]).toMatch(/ISOLATION$/);
    expect(r.stdout).toContain(
      '(MEMORY BLOCKS, REPORTED CPUS left out to fit 130 columns; widen the terminal or pipe the output to see them)\n',
    );
  });

  it('a wide enough terminal gets the whole table', async () => {
    const r = await runCli(['simulate', '-f', DB, '-o', 'wide'], { ttyColumns: 250, env: { NO_COLOR: '1' } });
    expectGolden('simulate/pod-level-db-wide.txt', r.stdout);
  });

  it('--no-headers rows fit too, without the note', async () => {
    const r = await runCli(['simulate', '-f', FRAG, '-o', 'wide', '--no-headers'], {
      ttyColumns: 110,
      env: { NO_COLOR: '1' },
    });
    expect(Math.max(...linesOf(r.stdout).map((l) => l.length))).toBeLessThanOrEqual(110);
    expect(r.stdout).not.toContain('left out');
  });
});

describe('simulate into a pipe', () => {
  it('never shortens or colours, whatever the width of the terminal the user sits at', async () => {
    const r = await runCli(['simulate', '-f', DB, '-o', 'wide'], { env: { COLUMNS: '40' } });
    expectGolden('simulate/pod-level-db-wide.txt', r.stdout);
  });
});
