// The command table that shell completion reads (src/cli/command-table.ts) must match the yargs
// program (src/cli/run.ts), the authority: same commands, same flags, same short forms, same
// choices. A flag added to a command in run.ts fails here until the table has it too.

import { COMMANDS, GLOBAL_FLAGS } from '../../../src/cli/command-table.js';
import { describeTarget } from '../../../src/cli/commands/describe.js';
import type { FlagSpec } from '../../../src/cli/command-table.js';
import { linesOf, runCli } from '../../helpers/run-cli.js';

interface HelpFlag {
  readonly name: string;
  readonly short: string | undefined;
  readonly choices: readonly string[] | undefined;
}

/** The flags of a --help text: "  -f, --filename  …  [choices: "a", "b"]" (descriptions may wrap). */
function helpFlags(help: string): HelpFlag[] {
  const lines = linesOf(help);
  const start = lines.indexOf('Options:');
  const flags: HelpFlag[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const m = /^\s+(?:-(\w), )?--([\w-]+)/.exec(line);
    if (m !== null) flags.push({ name: m[2]!, short: m[1], choices: undefined });
    const choices = /\[choices: ([^\]]*)\]/.exec(line);
    const last = flags.at(-1);
    if (choices !== null && last !== undefined) {
      flags[flags.length - 1] = { ...last, choices: choices[1]!.split(', ').map((c) => c.replace(/"/g, '')) };
    }
  }
  return flags;
}

function tableFlags(flags: readonly FlagSpec[]): HelpFlag[] {
  return flags.map((f) => ({
    name: f.name,
    short: f.short,
    choices: f.value?.kind === 'choices' ? f.value.values : undefined,
  }));
}

const byName = (a: HelpFlag, b: HelpFlag) => a.name.localeCompare(b.name);

describe('command table = yargs program', () => {
  it('lists the commands of --help', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^ {2}kubectl podres (\S+)/gm)].map((m) => m[1]);
    expect(commands).toEqual(COMMANDS.map((c) => c.name));
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s: the flags of its --help', async (name, command) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    const fromHelp = helpFlags(r.stdout).sort(byName);
    expect(fromHelp).toEqual(tableFlags([...command.flags, ...GLOBAL_FLAGS]).sort(byName));
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    '%s: as many positionals as its usage line',
    async (name, command) => {
      const usage = linesOf((await runCli([name, '--help'])).stdout)[0] ?? '';
      const positionals = [...usage.matchAll(/\[\w+(\.\.)?\]/g)];
      const max = positionals.some((p) => p[1] !== undefined) ? Number.POSITIVE_INFINITY : positionals.length;
      expect(command.args?.max ?? 0).toBe(max);
    },
  );

  it('describe: the resource types and aliases are those describe accepts', () => {
    const value = COMMANDS.find((c) => c.name === 'describe')?.args?.value;
    const types = value?.kind === 'resource' ? value.types : [];
    expect(types.map((t) => t.name)).toEqual(['pod', 'node']);
    for (const t of types) {
      for (const word of [t.name, ...t.aliases, t.name.toUpperCase()]) {
        expect(describeTarget(word, 'x')).toEqual({ kind: t.names, name: 'x' });
        expect(describeTarget(`${word}/x`, null)).toEqual({ kind: t.names, name: 'x' });
      }
    }
  });

  it('completion: its positional shells are what the command accepts', async () => {
    const completion = COMMANDS.find((c) => c.name === 'completion');
    const shells = completion?.args?.value.kind === 'choices' ? completion.args.value.values : [];
    for (const shell of shells) expect((await runCli(['completion', shell])).code).toBe(0);
  });
});
