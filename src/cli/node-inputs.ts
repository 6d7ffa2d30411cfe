// The per-node input files of the read commands (cli.md §2): `--observation FILE` (a
// NodeObservation of the node named inside it) and `--topology [NODE=]FILE` (a scenario-format
// node.topology, for one node or, without NODE=, for every node without an observed topology).
// Read and checked before the cluster is contacted: a bad file is exit 2.

import { InputError, UsageError } from '../errors.js';
import { parseObservation } from '../parse/observation.js';
import { parseOneYamlDocument } from '../parse/yaml-document.js';
import type { NodeObservation } from '../schema/observation.js';
import { toTopology } from '../scenario/topology.js';
import { Where } from '../scenario/where.js';
import type { Io } from './io.js';
import { readInput } from './read-input.js';

export interface Observations {
  readonly byNode: ReadonlyMap<string, NodeObservation>;
  /** the file each came from */
  readonly files: ReadonlyMap<string, string>;
}

export async function readObservations(io: Io, files: readonly string[]): Promise<Observations> {
  const byNode = new Map<string, NodeObservation>();
  const from = new Map<string, string>();
  for (const file of files) {
    if (file.trim() === '') throw new UsageError('flag --observation needs a file name ("-" reads stdin)');
    const obs = parseObservation(await readInput(io, file, 'observation'), file);
    const earlier = from.get(obs.node);
    if (earlier !== undefined) {
      throw new UsageError(
        `observations "${earlier}" and "${file}" are both of node "${obs.node}"; pass one per node`,
      );
    }
    byNode.set(obs.node, obs);
    from.set(obs.node, file);
  }
  return { byNode, files: from };
}

export interface Topologies {
  readonly byNode: ReadonlyMap<string, object>;
  /** the one given without NODE=, for all other nodes */
  readonly all: object | null;
}

/** `NODE=FILE` or `FILE`: a node name is a DNS subdomain, so the first "=" ends it. */
function splitTopologySpec(spec: string): { node: string | null; file: string } {
  const m = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)=(.+)$/.exec(spec);
  return m === null ? { node: null, file: spec } : { node: m[1] ?? '', file: m[3] ?? '' };
}

export async function readTopologies(io: Io, specs: readonly string[]): Promise<Topologies> {
  const byNode = new Map<string, object>();
  let all: object | null = null;
  for (const spec of specs) {
    const { node, file } = splitTopologySpec(spec);
    if (file.trim() === '') throw new UsageError('flag --topology needs a file name: --topology [NODE=]FILE');
    const display = file === '-' ? '<stdin>' : file;
    const { raw, lines } = parseOneYamlDocument(await readInput(io, file, 'topology'), display, 'topology');
    // checked as the replay will read it; kept as written
    toTopology(raw, Where.root(display, lines));
    if (typeof raw !== 'object' || raw === null)
      throw new InputError(`${display}: expected a topology mapping`);
    if (node === null) {
      if (all !== null)
        throw new UsageError(
          '--topology without NODE= may be given once; name the node: --topology NODE=FILE',
        );
      all = raw;
    } else {
      if (byNode.has(node)) throw new UsageError(`--topology for node "${node}" is given twice`);
      byNode.set(node, raw);
    }
  }
  return { byNode, all };
}

/** Warnings for inputs of nodes that are not selected (cli.md §2: ignored with a warning). */
export function unusedInputWarnings(
  selected: ReadonlySet<string>,
  observations: Observations,
  topologies: Topologies,
): string[] {
  const out: string[] = [];
  for (const [node, file] of observations.files) {
    if (!selected.has(node))
      out.push(`observation "${file}" of node "${node}" ignored: the node is not selected`);
  }
  for (const node of topologies.byNode.keys()) {
    if (!selected.has(node)) out.push(`--topology for node "${node}" ignored: the node is not selected`);
  }
  return out;
}
