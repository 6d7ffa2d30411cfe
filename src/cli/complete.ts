// Shell completion engine: given the words typed after `kubectl podres` and the partial word
// being completed, the candidates and a Cobra shell-completion directive. This is the protocol
// kubectl speaks to `kubectl_complete-podres` (kubectl >= 1.26, plugin_completion.go): it runs the
// helper with the plugin's arguments and the partial word last (possibly ""), reads one
// candidate per line ("value\tdescription") and an optional last line ":<directive>". The shell
// scripts of `kubectl podres completion SHELL` speak the same protocol through `__complete`.
//
// Live names (nodes, pods, namespaces, contexts) come from a NameSource, asked under a time
// budget: completion never hangs a shell, and a slow or failing source just offers no names.

import { COMMANDS, GLOBAL_FLAGS } from './command-table.js';
import type { CommandSpec, FlagSpec, NameKind, ValueSpec } from './command-table.js';

/** Cobra's ShellCompDirective bits. */
export const Directive = {
  default: 0,
  error: 1,
  noSpace: 2,
  noFileComp: 4,
  filterFileExt: 8,
  filterDirs: 16,
  keepOrder: 32,
} as const;

export interface Completion {
  /** "value" or "value\tdescription", already filtered by the partial word. */
  readonly candidates: readonly string[];
  readonly directive: number;
}

/** What the command line says about where names should come from. */
export interface NameQuery {
  readonly kind: NameKind;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly context?: string;
  readonly kubeconfig?: string;
}

/**
 * Where live names come from. `signal` aborts when the budget is spent: an implementation must
 * then stop its requests (close sockets), so the process can end.
 */
export interface NameSource {
  names(query: NameQuery, signal: AbortSignal): Promise<readonly string[]>;
}

/** A source of no names (completion without a cluster). */
export const NO_NAMES: NameSource = { names: () => Promise.resolve([]) };

/** Time a completion may spend waiting for live names (cli.md §5.9). */
export const NAME_BUDGET_MS = 2000;

export interface CompleteOptions {
  readonly names?: NameSource;
  readonly budgetMs?: number;
  readonly commands?: readonly CommandSpec[];
  readonly globalFlags?: readonly FlagSpec[];
}

interface Parsed {
  readonly command: CommandSpec | undefined;
  /** The words could not be understood (unknown command): offer nothing. */
  readonly unknown: boolean;
  readonly positionals: readonly string[];
  readonly used: ReadonlySet<string>;
  readonly values: Readonly<Record<string, string>>;
  /** A flag whose value is the word being completed. */
  readonly pending: FlagSpec | undefined;
  /** After "--": only positionals. */
  readonly endOfFlags: boolean;
}

function findFlag(flags: readonly FlagSpec[], name: string, short: boolean): FlagSpec | undefined {
  return flags.find((f) => (short ? f.short === name : f.name === name));
}

/** Reads the complete words the way yargs will (long/short flags, "=" values, bundled "-ojson"). */
function parseWords(
  words: readonly string[],
  commands: readonly CommandSpec[],
  globalFlags: readonly FlagSpec[],
): Parsed {
  let command: CommandSpec | undefined;
  const positionals: string[] = [];
  const used = new Set<string>();
  const values: Record<string, string> = {};
  let pending: FlagSpec | undefined;
  let endOfFlags = false;
  const flags = () => [...(command?.flags ?? []), ...globalFlags];
  for (const word of words) {
    if (pending !== undefined) {
      values[pending.name] = word;
      pending = undefined;
      continue;
    }
    if (!endOfFlags && word === '--') {
      endOfFlags = true;
      continue;
    }
    if (!endOfFlags && word.startsWith('-') && word !== '-') {
      const long = word.startsWith('--');
      const body = word.slice(long ? 2 : 1);
      const eq = body.indexOf('=');
      // "-ojson" is -o with the value "json"
      const name = long ? (eq < 0 ? body : body.slice(0, eq)) : body.slice(0, 1);
      const inline = long
        ? eq < 0
          ? undefined
          : body.slice(eq + 1)
        : body.slice(1).replace(/^=/, '') || undefined;
      const flag = findFlag(flags(), name, !long);
      if (flag === undefined) continue;
      used.add(flag.name);
      if (flag.value !== undefined) {
        if (inline === undefined) pending = flag;
        else values[flag.name] = inline;
      }
      continue;
    }
    if (command === undefined && positionals.length === 0) {
      command = commands.find((c) => c.name === word);
      if (command === undefined) {
        return { command, unknown: true, positionals, used, values, pending, endOfFlags };
      }
      continue;
    }
    positionals.push(word);
  }
  return { command, unknown: false, positionals, used, values, pending, endOfFlags };
}

const withDescription = (value: string, describe: string) =>
  describe === '' ? value : `${value}\t${describe}`;

function flagCandidates(flags: readonly FlagSpec[], used: ReadonlySet<string>, partial: string): string[] {
  const out: string[] = [];
  for (const f of flags) {
    if (used.has(f.name) && f.repeatable !== true) continue;
    const long = `--${f.name}`;
    if (long.startsWith(partial)) out.push(withDescription(long, f.describe));
    // short forms only when the user has typed a single dash so far
    if (f.short !== undefined && partial.length <= 2 && !partial.startsWith('--')) {
      const short = `-${f.short}`;
      if (short.startsWith(partial)) out.push(withDescription(short, f.describe));
    }
  }
  return out;
}

/** Races `work` against the budget; a timeout or a failure gives `fallback`. */
async function withinBudget<T>(
  work: (signal: AbortSignal) => Promise<T>,
  budgetMs: number,
  fallback: T,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(fallback);
    }, budgetMs);
  });
  try {
    return await Promise.race([work(controller.signal).catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function valueCompletion(
  value: ValueSpec,
  partial: string,
  prefix: string,
  parsed: Parsed,
  opts: Required<Pick<CompleteOptions, 'names' | 'budgetMs'>>,
): Promise<Completion> {
  switch (value.kind) {
    case 'choices':
      return {
        candidates: value.values.filter((v) => v.startsWith(partial)).map((v) => prefix + v),
        directive: Directive.noFileComp,
      };
    case 'file':
      // Cobra's FilterFileExt: the candidates are the extensions; the shell lists the files
      return { candidates: value.extensions, directive: Directive.filterFileExt };
    case 'directory':
      return { candidates: [], directive: Directive.filterDirs };
    case 'text':
      return NOTHING;
    case 'names':
      return nameCompletion(value.names, partial, prefix, parsed, opts);
    case 'resource':
      return resourceCompletion(value, partial, prefix, parsed, opts);
  }
}

/** Live names of `kind` from the source, within the budget, with the query the words make. */
async function nameCompletion(
  kind: NameKind,
  partial: string,
  prefix: string,
  parsed: Parsed,
  opts: Required<Pick<CompleteOptions, 'names' | 'budgetMs'>>,
): Promise<Completion> {
  const names = await withinBudget(
    (signal) =>
      opts.names.names(
        {
          kind,
          ...(parsed.values.namespace === undefined ? {} : { namespace: parsed.values.namespace }),
          ...(parsed.used.has('all-namespaces') ? { allNamespaces: true } : {}),
          ...(parsed.values.context === undefined ? {} : { context: parsed.values.context }),
          ...(parsed.values.kubeconfig === undefined ? {} : { kubeconfig: parsed.values.kubeconfig }),
        },
        signal,
      ),
    opts.budgetMs,
    [] as readonly string[],
  );
  return {
    candidates: names.filter((n) => n.startsWith(partial)).map((n) => prefix + n),
    directive: Directive.noFileComp,
  };
}

type ResourceSpec = Extract<ValueSpec, { kind: 'resource' }>;

/** The kind of names a resource type word (`pod`, `po`, `nodes`, any case) stands for. */
function resourceKind(spec: ResourceSpec, word: string): NameKind | undefined {
  const w = word.toLowerCase();
  return spec.types.find((t) => t.name === w || t.aliases.includes(w))?.names;
}

/** `describe <TAB>`: the types; `describe pod <TAB>` and `describe pod/<TAB>`: pod names. */
function resourceCompletion(
  spec: ResourceSpec,
  partial: string,
  prefix: string,
  parsed: Parsed,
  opts: Required<Pick<CompleteOptions, 'names' | 'budgetMs'>>,
): Promise<Completion> | Completion {
  const [typed, ...rest] = parsed.positionals;
  if (typed === undefined) {
    const slash = partial.indexOf('/');
    if (slash < 0) {
      return {
        candidates: spec.types
          .map((t) => t.name)
          .filter((t) => t.startsWith(partial))
          .map((t) => prefix + t),
        directive: Directive.noFileComp,
      };
    }
    const kind = resourceKind(spec, partial.slice(0, slash));
    if (kind === undefined) return NOTHING;
    return nameCompletion(kind, partial.slice(slash + 1), prefix + partial.slice(0, slash + 1), parsed, opts);
  }
  // `pod/NAME` was the whole target
  if (typed.includes('/') || rest.length > 0) return NOTHING;
  const kind = resourceKind(spec, typed);
  return kind === undefined ? NOTHING : nameCompletion(kind, partial, prefix, parsed, opts);
}

const NOTHING: Completion = { candidates: [], directive: Directive.noFileComp };

/**
 * Completes `partial` after the complete `words` (both as kubectl passes them: the words after
 * `podres`, the partial word last and possibly empty).
 */
export async function complete(
  words: readonly string[],
  partial: string,
  options: CompleteOptions = {},
): Promise<Completion> {
  const commands = options.commands ?? COMMANDS;
  const globalFlags = options.globalFlags ?? GLOBAL_FLAGS;
  const opts = { names: options.names ?? NO_NAMES, budgetMs: options.budgetMs ?? NAME_BUDGET_MS };
  const parsed = parseWords(words, commands, globalFlags);
  if (parsed.unknown) return NOTHING;
  const flags = [...(parsed.command?.flags ?? []), ...globalFlags];

  if (parsed.pending?.value !== undefined) {
    return valueCompletion(parsed.pending.value, partial, '', parsed, opts);
  }
  if (!parsed.endOfFlags && partial.startsWith('-')) {
    const eq = partial.indexOf('=');
    if (partial.startsWith('--') && eq > 0) {
      const flag = findFlag(flags, partial.slice(2, eq), false);
      if (flag?.value === undefined) return NOTHING;
      return valueCompletion(flag.value, partial.slice(eq + 1), partial.slice(0, eq + 1), parsed, opts);
    }
    return { candidates: flagCandidates(flags, parsed.used, partial), directive: Directive.noFileComp };
  }
  if (parsed.command === undefined) {
    return {
      candidates: commands
        .filter((c) => c.name.startsWith(partial))
        .map((c) => withDescription(c.name, c.describe)),
      directive: Directive.noFileComp,
    };
  }
  const args = parsed.command.args;
  if (args === undefined || parsed.positionals.length >= args.max) return NOTHING;
  return valueCompletion(args.value, partial, '', parsed, opts);
}

/** The lines kubectl and the completion scripts read: candidates, then ":<directive>". */
export function formatCompletion(c: Completion): string {
  return [...c.candidates, `:${c.directive}`].map((l) => l + '\n').join('');
}
