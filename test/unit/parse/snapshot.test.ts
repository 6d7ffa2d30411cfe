// The snapshot reader (src/parse/snapshot.ts) on a snapshot written by the snapshot command
// (test/fixtures/snapshot/snap-3-nodes.json, from the real kubelet texts), in every encoding the
// writer produces, and on corrupted twins: each error names the file, the field path and the line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { InputError } from '../../../src/errors.js';
import { parseSnapshot } from '../../../src/parse/snapshot.js';
import { REPO_ROOT } from '../../helpers/run-cli.js';

const FIXTURE = readFileSync(join(REPO_ROOT, 'test/fixtures/snapshot/snap-3-nodes.json'), 'utf8');
const doc = (): Record<string, unknown> & {
  nodes: Record<string, unknown>[];
  pods: Record<string, unknown>[];
} => JSON.parse(FIXTURE) as never;

function errorOf(text: string | Uint8Array, file = 'snap.json'): InputError {
  try {
    parseSnapshot(typeof text === 'string' ? Buffer.from(text) : text, file);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** The fixture as JSON text with `edit` applied to the parsed document. */
function twin(edit: (d: ReturnType<typeof doc>) => void): string {
  const d = doc();
  edit(d);
  return JSON.stringify(d, null, 2);
}

describe('parseSnapshot on a snapshot the command wrote', () => {
  const expected = JSON.parse(FIXTURE) as unknown;

  it('reads JSON: nodes, their sources and errors, the observation, the pods', () => {
    const s = parseSnapshot(Buffer.from(FIXTURE), 'snap-3-nodes.json');
    expect(s).toEqual(expected);
    expect(
      s.nodes.map((n) => [n.name, n.errors.map((e) => `${e.source}:${e.status}:${e.httpStatus}`)]),
    ).toEqual([
      ['worker-1', []],
      ['worker-2', ['configz:forbidden:403', 'metrics:forbidden:403', 'cadvisor:forbidden:403']],
      ['worker1.internal', ['metrics:not-found:404', 'cadvisor:not-found:404']],
    ]);
    expect(s.nodes[0]?.observation?.checkpoints.cpuManager?.content).toContain('"policyName"');
  });

  it('reads the same from YAML, gzip-compressed JSON and gzip-compressed YAML, whatever the name', () => {
    const yaml = stringify(expected, { lineWidth: 0 });
    expect(parseSnapshot(Buffer.from(yaml), 'snap.yaml')).toEqual(expected);
    expect(parseSnapshot(gzipSync(FIXTURE), 'snap.json')).toEqual(expected);
    expect(parseSnapshot(gzipSync(yaml), 'snapshot.bin')).toEqual(expected);
  });

  it('ignores unknown fields inside Kubernetes objects and kubelet bodies', () => {
    const s = parseSnapshot(
      Buffer.from(
        twin((d) => {
          (d.pods[0] as { spec: Record<string, unknown> }).spec.futureField = { x: 1 };
          (
            d.nodes[0] as { configz: { kubeletconfig: Record<string, unknown> } }
          ).configz.kubeletconfig.newSetting = true;
        }),
      ),
      'snap.json',
    );
    expect((s.pods[0] as { spec: Record<string, unknown> }).spec.futureField).toEqual({ x: 1 });
  });
});

describe('parseSnapshot on corrupted twins', () => {
  it.each([
    [
      'a scrape time that is not RFC 3339',
      twin((d) => {
        (
          (d.nodes[0] as { cadvisor: { scrapedAt: string }[] }).cadvisor[0] as { scrapedAt: string }
        ).scrapedAt = 'yesterday';
      }),
      /^snap\.json nodes\[0\]\.cadvisor\[0\]\.scrapedAt: expected an RFC 3339 time, got "yesterday" \(line 2\d\d\)$/,
    ],
    [
      'three cAdvisor scrapes',
      twin((d) => {
        const n = d.nodes[0] as { cadvisor: unknown[] };
        n.cadvisor = [n.cadvisor[0], n.cadvisor[0], n.cadvisor[0]];
      }),
      /^snap\.json nodes\[0\]\.cadvisor: expected at most 2 scrapes, got 3/,
    ],
    [
      'an unknown source status',
      twin((d) => {
        ((d.nodes[1] as { errors: { status: string }[] }).errors[0] as { status: string }).status = 'denied';
      }),
      /^snap\.json nodes\[1\]\.errors\[0\]\.status: /,
    ],
    [
      'a node twice',
      twin((d) => {
        (d.nodes[2] as { name: string }).name = 'worker-1';
      }),
      /^snap\.json nodes\[2\]\.name: node "worker-1" appears twice/,
    ],
    [
      'a pod without a name',
      twin((d) => {
        delete (d.pods[3] as { metadata: Record<string, unknown> }).metadata.name;
      }),
      /^snap\.json pods\[3\]\.metadata\.name: required/,
    ],
    [
      'an observation of another node',
      twin((d) => {
        (d.nodes[0] as { observation: { node: string } }).observation.node = 'worker-7';
      }),
      /^snap\.json nodes\[0\]\.observation\.node: the observation is of node "worker-7", not "worker-1"/,
    ],
    [
      'an invalid field inside the observation',
      twin((d) => {
        const cpus = (d.nodes[0] as { observation: { topology: { cpus: Record<string, unknown>[] } } })
          .observation.topology.cpus;
        (cpus[3] as Record<string, unknown>).numa = 'a';
      }),
      /^snap\.json nodes\[0\]\.observation\.topology\.cpus\[3\]\.numa: expected integer, got "a"/,
    ],
    [
      'takenAt missing',
      twin((d) => {
        delete d.takenAt;
      }),
      /^snap\.json takenAt: required/,
    ],
  ])('%s', (_name, text, message) => {
    expect(errorOf(text).oneLine()).toMatch(message);
  });

  it('unknown fields: in the envelope and in a node, with their lines', () => {
    const lineOf = (text: string, needle: string): number =>
      text.slice(0, text.indexOf(needle)).split('\n').length;
    const extra = twin((d) => {
      d.extra = 1;
    });
    expect(errorOf(extra).oneLine()).toBe(
      `snap.json extra: unknown field (line ${lineOf(extra, '"extra"')}); known fields: apiVersion, kind, takenAt, podresVersion, cluster, nodes, pods`,
    );
    const inNode = twin((d) => {
      (d.nodes[1] as Record<string, unknown>).nodeName = 'x';
    });
    expect(errorOf(inNode).message).toBe(
      `snap.json nodes[1].nodeName: unknown field (line ${lineOf(inNode, '"nodeName"')})`,
    );
  });

  it('a Scenario is named, with the command that replays it', () => {
    const scenario = readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/pod-level-db.yaml'));
    expect(errorOf(scenario).oneLine()).toBe(
      'snap.json: kind "Scenario" is not "Snapshot"; replay scenarios with kubectl podres simulate -f',
    );
  });

  it('another document version', () => {
    expect(errorOf(twin((d) => void (d.apiVersion = 'podres/v1beta1'))).message).toBe(
      'snap.json: apiVersion "podres/v1beta1" is not "podres/v1alpha1"',
    );
  });

  it('JSON cut short: line and column of the end', () => {
    const cut = FIXTURE.slice(0, 2000);
    const lines = cut.split('\n');
    expect(errorOf(cut).message).toMatch(
      new RegExp(
        `^snap\\.json: invalid JSON at line ${lines.length} column ${(lines.at(-1) ?? '').length + 1}: `,
      ),
    );
  });

  it('a JSON syntax error in the middle: its line and column', () => {
    const broken = FIXTURE.replace('"kind": "Snapshot",', '"kind": "Snapshot",,');
    expect(errorOf(broken).message).toMatch(/^snap\.json: invalid JSON at line 3 column 22: /);
  });

  it('invalid YAML: line and column', () => {
    expect(
      errorOf('apiVersion: podres/v1alpha1\nkind: Snapshot\nnodes: [a, b\n', 'snap.yaml').message,
    ).toMatch(/^snap\.yaml: invalid YAML at line \d+ column \d+: /);
  });

  it('two YAML documents', () => {
    expect(errorOf('kind: Snapshot\n---\nkind: Snapshot\n', 'snap.yaml').message).toBe(
      'snap.yaml: expected one Snapshot document, found 2',
    );
  });

  it('a truncated gzip stream', () => {
    const gz = gzipSync(FIXTURE);
    expect(errorOf(gz.subarray(0, gz.length / 2)).message).toMatch(/^snap\.json: invalid gzip data: /);
  });

  it('stdin is named <stdin>', () => {
    expect(errorOf('kind: Snapshot\n', '-').message).toMatch(/^<stdin> /);
  });
});
