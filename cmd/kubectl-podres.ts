#!/usr/bin/env node
// Entry point of kubectl-podres: runs the CLI with the real process streams. The only place that
// sets the process exit status.

import { readFile } from 'node:fs/promises';
import { run } from '../src/cli/run.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const code = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin,
  readFile: (path) => readFile(path, 'utf8'),
});
process.exitCode = code;
