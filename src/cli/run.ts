// The yargs program: command table with lazily imported command modules, strict flag parsing,
// and the single place where an error becomes one stderr line and an exit code.

import { types } from 'node:util';
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { ExitCode, InternalError, UsageError, isPodresError } from '../errors.js';
import type { Io } from './io.js';
import type { OutputFormat } from './commands/simulate.js';

const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'wide', 'json', 'yaml'];
const KNOWN_COMMANDS: readonly string[] = ['simulate'];

/** How an argument yargs calls unknown was written: as a flag ("--foo", "-x"), or bare. */
function asWritten(name: string, argv: readonly string[]): { readonly flag: boolean; readonly pos: number } {
  const flag = argv.findIndex(
    (a) =>
      a === `--${name}` ||
      a.startsWith(`--${name}=`) ||
      (name.length === 1 && /^-[^-]/.test(a) && a.slice(1).split('=')[0]?.includes(name) === true),
  );
  if (flag >= 0) return { flag: true, pos: flag };
  const bare = argv.indexOf(name);
  return { flag: false, pos: bare >= 0 ? bare : argv.length };
}

/** yargs' own messages → the cli.md wording. */
function usageMessage(msg: string, argv: readonly string[], command: string): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (unknown?.[1] !== undefined) {
    // the first unknown argument in command-line order, as the user wrote it
    const [first] = unknown[1]
      .split(', ')
      .map((name) => ({ name, ...asWritten(name, argv) }))
      .sort((a, b) => a.pos - b.pos);
    const name = first?.name ?? '';
    const where = command === '' ? 'kubectl podres' : command;
    if (first?.flag === true) return `unknown flag "${name.length === 1 ? '-' : '--'}${name}" for "${where}"`;
    return command === ''
      ? `unknown command "${name}" for "kubectl podres"`
      : `unexpected argument "${name}" for "${command}"`;
  }
  const invalid = /^Invalid values:\s*Argument: (\S+), Given: (.*), Choices: (.*)$/s.exec(msg);
  if (invalid !== null) {
    return `invalid value ${invalid[2] ?? ''} for --${invalid[1] ?? ''}: expected one of ${(invalid[3] ?? '').replace(/"/g, '')}`;
  }
  const missing = /^Missing required argument: (.*)$/.exec(msg);
  if (missing?.[1] !== undefined) return `${command}: missing required flag --${missing[1]}`;
  return msg.charAt(0).toLowerCase() + msg.slice(1).replace(/\.$/, '');
}

function globalOptions<T>(y: Argv<T>) {
  return y
    .option('debug', { type: 'boolean', default: false, describe: 'show error cause chains on stderr' })
    .option('no-color', {
      type: 'boolean',
      default: false,
      describe: 'no colour (also with NO_COLOR or when not a terminal)',
    })
    .option('no-headers', {
      type: 'boolean',
      default: false,
      describe: 'table output without headers and summary lines',
    });
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  let command = '';
  try {
    const program = globalOptions(yargs())
      // kubectl has no "--no-<flag>" negation: `--no-headers` and `--no-color` are flags of their
      // own (with negation on, yargs reads them as `--headers=false` and strict mode rejects them).
      .parserConfiguration({ 'boolean-negation': false })
      .scriptName('kubectl podres')
      .usage(
        'kubectl podres: see how the kubelet places pods on CPUs, NUMA nodes and memory (incl. Pod-Level Resource Managers)\n\nUsage: $0 <command> [flags]',
      )
      .command(
        'simulate',
        'replay scenario files through the allocator model (no cluster needed)',
        (y) =>
          y
            .option('filename', {
              alias: 'f',
              // not `array: true`: yargs would then read "-" (stdin) as a positional argument
              type: 'string',
              demandOption: true,
              describe: 'scenario file (YAML or JSON, multi-document); "-" reads stdin; repeatable',
            })
            .option('output', {
              alias: 'o',
              type: 'string',
              choices: OUTPUT_FORMATS,
              default: 'table',
              describe: 'output format',
            })
            .option('explain', {
              type: 'boolean',
              default: false,
              describe: 'show the topology hints each manager offered and the merged hint',
            })
            .example('$0 simulate -f examples/tightly-coupled-database.yaml', 'replay a scenario')
            .example(
              '$0 simulate -f scenario.yaml -o json | jq .pods[0].containers',
              'script against the JSON output',
            ),
        async (a) => {
          command = 'simulate';
          const { simulateCommand } = await import('./commands/simulate.js');
          exitCode = await simulateCommand(
            {
              files: ([] as string[]).concat(a.filename),
              output: a.output as OutputFormat,
              explain: a.explain,
              noHeaders: a['no-headers'],
            },
            io,
          );
        },
      )
      .strict()
      .help()
      .alias('h', 'help')
      .version(false)
      .wrap(Math.min(110, process.stdout.columns || 100))
      .exitProcess(false)
      .fail((msg: string | null, err: Error | undefined) => {
        // yargs reports its own parse failures as YError; anything else came from a handler.
        if (err !== undefined && err.name !== 'YError') throw err;
        const first = argv.find((a) => !a.startsWith('-')) ?? '';
        throw new UsageError(
          usageMessage(msg ?? 'invalid usage', argv, KNOWN_COMMANDS.includes(first) ? first : ''),
        );
      });
    let exitCode: number = ExitCode.ok;
    let helpText = '';
    await program.parseAsync([...argv], {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (helpText !== '' && command === '')
      io.stdout.write(helpText.endsWith('\n') ? helpText : `${helpText}\n`);
    // Checked here, not with yargs' demandCommand: that check runs before the one for unknown
    // flags, so `--foo simulate` (yargs reads "simulate" as the value of --foo) would claim that
    // the command is missing.
    else if (command === '') throw new UsageError('missing command; run kubectl podres --help');
    return exitCode;
  } catch (e) {
    const err = isPodresError(e)
      ? e
      : new InternalError(`internal: ${firstLine(isError(e) ? e.message : String(e))}`, {
          hint: 'this is a bug in kubectl podres, please report it',
          cause: e,
        });
    io.stderr.write(`error: ${err.oneLine()}\n`);
    if (debug) io.stderr.write(`${describeCauses(err)}\n`);
    return err.exitCode;
  }
}

/** Also true for errors from another realm (Node's own errors inside jest's VM context). */
function isError(e: unknown): e is Error {
  return e instanceof Error || types.isNativeError(e);
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? '';
}

function describeCauses(e: unknown): string {
  const lines: string[] = [];
  let cur: unknown = e;
  while (isError(cur)) {
    lines.push(cur.stack ?? cur.message);
    cur = cur.cause;
  }
  return lines.join('\ncaused by: ');
}
