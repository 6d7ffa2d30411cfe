// The environment a command runs in, injected so commands and tests never touch process globals.

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  /** Width of the terminal, when the stream is one (process.stdout has it then). */
  readonly columns?: number | undefined;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
  /** Reads a UTF-8 file; rejects with the Node error (code ENOENT, EISDIR, …). */
  readFile(path: string): Promise<string>;
  /** Writes a UTF-8 file, creating missing parent directories; rejects with the Node error. */
  writeFile(path: string, text: string): Promise<void>;
  /** Reads a file as bytes (gzip-compressed input); rejects with the Node error. */
  readFileBytes(path: string): Promise<Uint8Array>;
  /** Reads stdin as bytes. */
  readStdinBytes(): Promise<Uint8Array>;
  /** Writes bytes to a file, making no directories; rejects with the Node error. */
  writeFileBytes(path: string, data: Uint8Array): Promise<void>;
  /** Renames a file over another (atomic within one file system); rejects with the Node error. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; one that does not exist is no error. */
  removeFile(path: string): Promise<void>;
}
