// `npm run demo`: replays every scenario in examples/ through `kubectl podres simulate` (the
// built CLI, no cluster needed) and prints the tables, with --explain for the two seeds.

import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../dist/src/cli/run.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seeds = ['tightly-coupled-database.yaml', 'ml-workload.yaml'];
const rank = (f) => (seeds.includes(f) ? seeds.indexOf(f) : seeds.length);
const files = (await readdir(join(root, 'examples'))).filter((f) => /\.ya?ml$/.test(f));
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin: async () => '',
  // paths are shown relative to the project, read from wherever the demo is started
  readFile: (path) => readFile(join(root, path), 'utf8'),
  writeFile: () => Promise.reject(new Error('the demo writes no files')),
};

let failed = 0;
for (const file of files) {
  const args = ['simulate', '-f', `examples/${file}`];
  if (seeds.includes(file)) args.push('--explain');
  process.stdout.write(`\n$ kubectl podres ${args.join(' ')}\n`);
  if ((await run(args, io)) !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
