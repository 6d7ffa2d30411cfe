// node.state.memoryManager (and cpuManager) as a starting state: the checkpoints the model writes
// after one admission, fed back, make the next admission continue where the first left off.

import { readFileSync } from 'node:fs';
import { InputError } from '../../../src/errors.js';
import { runSimulation } from '../../../src/model/simulate.js';
import { toSimulationOut } from '../../../src/render/simulation.js';
import { parseScenarios } from '../../../src/scenario/parse-scenario.js';
import { checkpointFilesFromState } from '../../../src/model/checkpoint/write-state.js';

const example = readFileSync('examples/tightly-coupled-database-static-memory.yaml', 'utf8');

function firstRun() {
  const [input] = parseScenarios(example, 'seed.yaml');
  const outcome = runSimulation(input!);
  if (!outcome.ok) throw new Error(outcome.error);
  const { node } = outcome.result;
  return checkpointFilesFromState(node.cpu, node.memory!, {
    kubeletVersion: '1.36',
    plrmEnabled: true,
    cpuPolicyName: 'static',
    memoryPolicyName: 'Static',
  });
}

function withState(state: Record<string, unknown>) {
  // node.state sits under node:, so splice it into the node mapping
  const text = example
    .replace('metadata: {name: db-0, namespace: db}', 'metadata: {name: db-1, namespace: db}')
    .replace(/^node:\n/m, `node:\n  state: ${JSON.stringify(state)}\n`);
  return parseScenarios(text, 'second.yaml');
}

describe('node.state from written checkpoints', () => {
  it('a second database pod gets the next pool and memory on NUMA 0 after the first one', () => {
    const files = firstRun();
    const [input] = withState({
      cpuManager: JSON.parse(files.cpu_manager_state),
      memoryManager: JSON.parse(files.memory_manager_state!),
    });
    expect(input!.warnings).toEqual([]);
    expect(input!.node.memoryState?.podEntries.size).toBe(1);
    const outcome = runSimulation(input!);
    if (!outcome.ok) throw new Error(outcome.error);
    const out = toSimulationOut(outcome.result, { explain: false, warnings: [] });
    expect(out.pods[0]!.podPool).toEqual({
      cpus: '5-8,37-40',
      memory: [{ type: 'memory', numa: [0], size: 17179869184 }],
    });
    const numa0 = outcome.result.node.memory!.machineState.get(0)!;
    expect(numa0.numberOfAssignments).toBe(2);
    expect(numa0.memoryMap.get('memory')!.reserved).toBe(2n * 17179869184n);
  });

  it('a tampered checksum is a warning naming the field, and the state is still used', () => {
    const files = firstRun();
    const memory = JSON.parse(files.memory_manager_state!) as { checksum: number };
    memory.checksum += 1;
    const [input] = withState({ memoryManager: memory });
    expect(input!.warnings).toHaveLength(1);
    expect(input!.warnings[0]).toMatch(/^second\.yaml doc 1 node\.state\.memoryManager.*checksum mismatch/);
  });

  it('a machine state that does not match its blocks stops the kubelet (validateState)', () => {
    const files = firstRun();
    const memory = JSON.parse(files.memory_manager_state!) as {
      machineState: Record<string, { numberOfAssignments: number }>;
      checksum: number;
    };
    memory.machineState['0']!.numberOfAssignments = 7;
    delete (memory as { checksum?: number }).checksum;
    const [input] = withState({ memoryManager: memory });
    expect(runSimulation(input!)).toEqual({
      ok: false,
      field: 'node.state.memoryManager',
      error: '[memorymanager] the expected machine state is different from the real one',
    });
  });

  it('a checkpoint of another policy is an input error naming the field', () => {
    const files = firstRun();
    const memory = { ...(JSON.parse(files.memory_manager_state!) as object), policyName: 'None' };
    delete (memory as { checksum?: number }).checksum;
    expect(() => withState({ memoryManager: memory })).toThrow(InputError);
    expect(() => withState({ memoryManager: memory })).toThrow(
      /node\.state\.memoryManager\.policyName: checkpoint written by policy "None"/,
    );
  });
});
