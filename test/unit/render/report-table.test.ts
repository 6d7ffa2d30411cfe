// Cells and sections shared by the read commands' tables (src/render/report-table.ts): comparing
// cells, ratios, CFS and memory-block cells, SOURCES, finding order, `not checked:` lines.

import {
  blocksText,
  cfsText,
  compareCell,
  compareCodes,
  findingsSection,
  notCheckedLines,
  percentCell,
  sortFindings,
  sourcesCell,
  unreachableReason,
} from '../../../src/render/report-table.js';
import { PLAIN_OUTPUT } from '../../../src/render/terminal.js';
import type { Coverage } from '../../../src/schema/reports.js';
import { GI, finding, nodeSources, status } from '../../helpers/report-builders.js';

describe('compareCell', () => {
  it.each([
    ['4,36', '4,36', undefined, '4,36'],
    ['4,36', '0,5-32,37-63', undefined, '4,36→0,5-32,37-63'],
    ['4,36', null, undefined, '4,36→?'],
    [null, '4,36', undefined, '?'],
    [null, null, undefined, '?'],
    ['unlimited', 'none', 'agree', 'unlimited'],
    ['1-3,33-35', '5-7,37-39', 'equivalent', '5-7,37-39'],
    ['pod 8000m', 'set 8000m', 'differ', 'pod 8000m→set 8000m'],
  ] as const)('%j vs %j (%s) → %j', (e, o, verdict, cell) => {
    expect(compareCell(e, o, verdict)).toBe(cell);
  });
});

describe('cells', () => {
  it.each([
    [0, '0.0%'],
    [0.31, '31.0%'],
    [0.12345, '12.3%'],
    [1, '100.0%'],
    [null, '-'],
  ])('percentCell(%j) → %j', (ratio, text) => {
    expect(percentCell(ratio)).toBe(text);
  });

  it.each([
    ['none', null, 'none'],
    ['unlimited', null, 'unlimited'],
    ['pod', 8000, 'pod 8000m'],
    ['container', 1500, 'container 1500m'],
    ['set', 250, 'set 250m'],
  ] as const)('cfsText(%j, %j) → %j', (kind, m, text) => {
    expect(cfsText(kind, m)).toBe(text);
  });

  it('blocksText: largest exact binary unit, memory then hugepages with their type, "-" for none', () => {
    expect(blocksText([])).toBe('-');
    expect(blocksText([{ type: 'memory', numa: [0], size: 16 * GI }])).toBe('16Gi@0');
    expect(
      blocksText([
        { type: 'hugepages-2Mi', numa: [1], size: 512 * 1024 * 1024 },
        { type: 'memory', numa: [0, 1], size: 1536 * 1024 * 1024 },
        { type: 'hugepages-1Gi', numa: [0], size: 4 * GI },
      ]),
    ).toBe('1536Mi@0,1 hugepages-1Gi:4Gi@0 hugepages-2Mi:512Mi@1');
    expect(blocksText([{ type: 'memory', numa: [0], size: 1000 }])).toBe('1000@0');
  });

  it('sourcesCell: the name when ok, "!" when failed, nothing when absent', () => {
    expect(sourcesCell(nodeSources())).toBe('cz m ca obs');
    expect(
      sourcesCell(
        nodeSources({
          configz: status('forbidden', 403),
          metrics: status('invalid'),
          cadvisor: status('timeout'),
          observation: status('absent'),
        }),
      ),
    ).toBe('cz! m! ca!');
    expect(sourcesCell({ configz: status('absent') })).toBe('-');
  });

  it('unreachableReason: the failed required source first', () => {
    expect(
      unreachableReason(nodeSources({ cadvisor: status('timeout'), configz: status('forbidden', 403) })),
    ).toBe('configz: forbidden (403)');
    expect(unreachableReason(nodeSources({ node: status('not-found', 404) }))).toBe('node: not found (404)');
    expect(unreachableReason(nodeSources({ cadvisor: status('timeout') }))).toBe('cadvisor: timeout');
    expect(unreachableReason(nodeSources())).toBeNull();
  });
});

describe('finding order', () => {
  it('compareCodes: C, D, T, each by number', () => {
    expect(['D11', 'T1', 'C16', 'D2', 'C5', 'D10'].sort(compareCodes)).toEqual([
      'C5',
      'C16',
      'D2',
      'D10',
      'D11',
      'T1',
    ]);
  });

  it('sortFindings: severity, code, node, namespace, pod, container, resource (null first)', () => {
    const f = (
      code: string,
      severity: 'error' | 'warning' | 'info',
      node: string,
      pod: string | null = null,
    ) =>
      finding({
        code,
        severity,
        node,
        namespace: pod === null ? null : 'db',
        pod,
        message: `${code} ${node}`,
      });
    const sorted = sortFindings([
      f('C16', 'info', 'worker-2'),
      f('D7', 'error', 'worker-1', 'db-1'),
      f('D11', 'warning', 'worker-1'),
      f('D7', 'error', 'worker-1', 'db-0'),
      f('C16', 'info', 'worker-1'),
      f('D7', 'error', 'worker-1'),
      f('C5', 'info', 'worker-2'),
    ]);
    expect(sorted.map((x) => `${x.severity} ${x.code} ${x.node} ${x.pod ?? '-'}`)).toEqual([
      'error D7 worker-1 -',
      'error D7 worker-1 db-0',
      'error D7 worker-1 db-1',
      'warning D11 worker-1 -',
      'info C5 worker-2 -',
      'info C16 worker-1 -',
      'info C16 worker-2 -',
    ]);
  });

  it('findingsSection: nothing without findings; "-" for null fields', () => {
    expect(findingsSection([], false, PLAIN_OUTPUT)).toBe('');
    const d18 = finding({
      code: 'D18',
      severity: 'warning',
      node: 'worker-1',
      podUid: '0f1e2d3c-4b5a-4697-8877-665544332211',
      resource: 'cpu',
      message: 'checkpoint holds CPUs 7 of pod 0f1e2d3c-4b5a-4697-8877-665544332211 not active on the node',
    });
    expect(findingsSection([d18], false, PLAIN_OUTPUT)).toBe(
      'FINDINGS\nwarning  D18  worker-1  -  -  cpu  checkpoint holds CPUs 7 of pod 0f1e2d3c-4b5a-4697-8877-665544332211 not active on the node\n',
    );
  });
});

describe('notCheckedLines', () => {
  const cov = (code: string, s: Coverage['status'], reason: string | null = null): Coverage => ({
    code,
    status: s,
    missing: [],
    reason,
  });

  it('groups not-checked codes by reason in code order, with remedies for known reasons', () => {
    expect(
      notCheckedLines({
        node: 'worker-2',
        coverage: [
          cov('C1', 'checked'),
          cov('D14', 'not-checked', 'no topology'),
          cov('D5', 'not-checked', 'no topology'),
          cov('D12', 'not-checked', 'cadvisor: forbidden (403)'),
          cov('D19', 'not-checked', 'no pod list; no node observation'),
          cov('D1', 'partial', 'cadvisor: forbidden (403)'),
          cov('D9', 'skipped'),
        ],
      }),
    ).toEqual([
      'not checked: D5,D14 on worker-2 (no topology; pass --topology, --observation or --collector)',
      'not checked: D12 on worker-2 (cadvisor: forbidden (403))',
      'not checked: D19 on worker-2 (no pod list; no node observation; pass --observation or --collector)',
    ]);
  });

  it('nothing when every check was made; "all checks" when none was, for one reason', () => {
    expect(
      notCheckedLines({ node: null, coverage: [cov('D1', 'checked'), cov('D2', 'partial', 'x')] }),
    ).toEqual([]);
    expect(
      notCheckedLines({
        node: null,
        coverage: [cov('D1', 'not-checked', 'no node observation'), cov('D2', 'skipped')],
      }),
    ).toEqual(['not checked: all checks (no node observation; pass --observation or --collector)']);
  });

  it('an unreachable node: "all checks" with its reason, whatever the coverage says', () => {
    expect(
      notCheckedLines({
        node: 'worker-3',
        unreachableReason: 'configz: unavailable (503)',
        coverage: [cov('D17', 'not-checked', 'no node observation'), cov('C1', 'not-checked', 'no configz')],
      }),
    ).toEqual(['not checked: all checks on worker-3 (configz: unavailable (503))']);
    expect(notCheckedLines({ node: 'worker-3', unreachableReason: null, coverage: [] })).toEqual([
      'not checked: all checks on worker-3',
    ]);
  });
});
