// The four error classes of kubectl podres and the exit-code table of cli.md.
// Expected outcomes (rejected admissions, drift findings, per-node failures) are data, not errors.

export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  unreachable: 3,
  internal: 3,
  /** SIGINT (128 + 2) */
  interrupted: 130,
  /** SIGTERM (128 + 15) */
  terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

interface ErrorDetails {
  readonly hint?: string;
  readonly cause?: unknown;
}

abstract class PodresError extends Error {
  abstract readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.hint = details.hint;
    this.name = new.target.name;
  }
  /** One line: "<what> <where>: <why>[; <hint>]". */
  oneLine(): string {
    return this.hint === undefined ? this.message : `${this.message}; ${this.hint}`;
  }
}

/** Wrong flags or arguments. */
export class UsageError extends PodresError {
  readonly exitCode = ExitCode.usage;
}

/** Bad input data: a scenario, a checkpoint, a config file. `where` is file + document + field path. */
export class InputError extends PodresError {
  readonly exitCode = ExitCode.usage;
}

/** A cluster, kubelet or node source that cannot be reached or read. */
export class SourceError extends PodresError {
  readonly exitCode = ExitCode.unreachable;
}

/** A bug in kubectl podres. */
export class InternalError extends PodresError {
  readonly exitCode = ExitCode.internal;
}

/** The run was stopped by SIGINT or SIGTERM (cli.md §3 rule 4): `error: interrupted`, 130/143. */
export class InterruptedError extends PodresError {
  readonly exitCode: ExitCode;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super('interrupted');
    this.exitCode = signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
  }
}

export function isPodresError(
  e: unknown,
): e is UsageError | InputError | SourceError | InternalError | InterruptedError {
  return e instanceof PodresError;
}
