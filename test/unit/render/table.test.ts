// Tables (src/render/table.ts): the kubectl-style layout, fitting to a terminal width (a pure
// function of the cells and the width) and colour.

import { fitTable, renderTable, truncateCell } from '../../../src/render/table.js';
import type { Cell, ColumnFit } from '../../../src/render/table.js';

const lines = (s: string) => s.replace(/\n$/, '').split('\n');
const width = (s: string) => Math.max(...lines(s).map((l) => Array.from(l).length));

describe('renderTable', () => {
  it('left-aligns columns two spaces apart, headers first, no trailing blanks', () => {
    expect(
      renderTable(
        ['POD', 'CPUS', 'CFS'],
        [
          ['db/db-0', '1-3', ''],
          ['a', '4,36', 'pod 8000m'],
        ],
        { noHeaders: false },
      ),
    ).toBe('POD      CPUS  CFS\ndb/db-0  1-3\na        4,36  pod 8000m\n');
  });

  it('--no-headers: rows only, columns as wide as the rows need', () => {
    expect(renderTable(['LONG HEADER', 'B'], [['x', 'y']], { noHeaders: true })).toBe('x  y\n');
  });

  it('no rows and no headers: nothing', () => {
    expect(renderTable(['A'], [], { noHeaders: true })).toBe('');
  });

  it('colours only the coloured cells and only when asked, padding outside the colour', () => {
    const rows: Cell[][] = [[{ text: 'yes', colour: 'green' }, 'x']];
    expect(renderTable(['ADMITTED', 'B'], rows, { noHeaders: false, color: false })).toBe(
      'ADMITTED  B\nyes       x\n',
    );
    expect(renderTable(['ADMITTED', 'B'], rows, { noHeaders: false, color: true })).toBe(
      'ADMITTED  B\n\x1b[32myes\x1b[0m       x\n',
    );
  });
});

describe('truncateCell', () => {
  it.each([
    ['0,2-31,34-63', 12, 'list', '0,2-31,34-63'],
    ['0,2-31,34-63', 11, 'list', '0,2-31,…'],
    ['0,2-31,34-63', 8, 'list', '0,2-31,…'],
    ['0,2-31,34-63', 7, 'list', '0,…'],
    ['0-63', 3, 'list', '0-…'],
    ['16Gi@0 hugepages-1Gi:4Gi@0', 10, 'text', '16Gi@0 hu…'],
    ['abc', 1, 'text', '…'],
  ] as const)('%j in %d (%s) → %j', (text, w, kind, expected) => {
    const out = truncateCell(text, w, kind);
    expect(out).toBe(expected);
    expect(Array.from(out).length).toBeLessThanOrEqual(w);
  });
});

describe('fitTable', () => {
  const headers = ['POD', 'CONTAINER', 'CPUS', 'MEMORY BLOCKS', 'REPORTED CPUS'];
  const longList = Array.from({ length: 40 }, (_, i) => String(i * 2)).join(',');
  const rows = [
    ['default/app', 'main', longList, '16Gi@0', longList],
    ['default/app', 'sidecar', '1,3', '-', '1,3'],
  ];
  const fits: ColumnFit[] = [
    {},
    {},
    { shrink: 'list' },
    { shrink: 'text', drop: 2 },
    { shrink: 'list', drop: 1 },
  ];
  const rendered = (t: ReturnType<typeof fitTable>) => renderTable(t.headers, t.rows, { noHeaders: false });

  it('leaves a table that fits unchanged', () => {
    const t = fitTable(headers, rows, fits, 1000);
    expect(t).toEqual({ headers, rows, dropped: [] });
  });

  it('shortens only the shrinkable cells, at comma boundaries, to fit the width', () => {
    const t = fitTable(headers, rows, fits, 100);
    const text = rendered(t);
    expect(width(text)).toBeLessThanOrEqual(100);
    expect(t.dropped).toEqual([]);
    expect(t.rows[0]?.[0]).toBe('default/app');
    const cpus = t.rows[0]?.[2] as string;
    expect(cpus).toMatch(/^0,2,4,.*,…$/);
    expect(longList.startsWith(cpus.slice(0, -1))).toBe(true);
    // the short cells are untouched
    expect(t.rows[1]).toEqual(rows[1]);
  });

  it('leaves out droppable columns, highest first, when shortening is not enough', () => {
    const t = fitTable(headers, rows, fits, 50);
    expect(t.dropped).toEqual(['MEMORY BLOCKS']);
    expect(t.headers).toEqual(['POD', 'CONTAINER', 'CPUS', 'REPORTED CPUS']);
    expect(width(rendered(t))).toBeLessThanOrEqual(50);
    const narrower = fitTable(headers, rows, fits, 40);
    expect(narrower.dropped).toEqual(['MEMORY BLOCKS', 'REPORTED CPUS']);
    expect(width(rendered(narrower))).toBeLessThanOrEqual(40);
  });

  it('never shortens names: a table too wide even then keeps them whole', () => {
    const t = fitTable(headers, rows, fits, 10);
    expect(t.rows.map((r) => r[0])).toEqual(['default/app', 'default/app']);
    // shrinkable columns stop at their floor (10 or the header's width)
    expect(Array.from(t.rows[0]?.[2] as string).length).toBeLessThanOrEqual(10);
  });

  it('keeps the colour of a shortened cell', () => {
    const t = fitTable(['A', 'B'], [[{ text: longList, colour: 'red' }, 'x']], [{ shrink: 'list' }, {}], 20);
    expect(t.rows[0]?.[0]).toMatchObject({ colour: 'red' });
  });
});
