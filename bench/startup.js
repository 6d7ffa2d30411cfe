// `npm run bench:startup` (after `npm run build`, or `npm run release` to include the single
// binary): cold-start wall times of kubectl-podres against `node -e 0` in the
// same run. Every command runs --runs times (default 25, at least 20), interleaved round by
// round so that load on the machine hits all of them alike, after 3 warm-up rounds; the figures
// are medians (and the 10th/90th percentiles).
//
//   tsc build   node dist/cmd/kubectl-podres.js …           (development)
//   bundle      node dist/bundle/kubectl-podres.cjs …       (the npm package's executable)
//   binary      the linux/amd64 single executable from dist/release, when `npm run release` ran
//               (it is Node.js 24 with a code cache: compare it with its own `node -e 0` too)
//
// Target (issue 7): `version` of the bundle within 1.5x `node -e 0`. --check exits 1 when missed.
// NODE_OPTIONS and NODE_EXTRA_CA_CERTS are removed from the environment: they slow every Node
// start alike (loading extra CA certificates costs about 100 ms) and would flatten the ratios.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 1.5;
const EXAMPLE = 'examples/tightly-coupled-database.yaml';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const runs = Math.max(20, Number(arg('--runs', '25')));
const check = process.argv.includes('--check');

const env = { ...process.env, NO_COLOR: '1' };
delete env.NODE_OPTIONS;
delete env.NODE_EXTRA_CA_CERTS;

/** The linux/amd64 binary of dist/release, unpacked into a temporary directory. */
function releaseBinary(tmp) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const file = join(ROOT, 'dist', 'release', `kubectl-podres_${version}_linux_amd64.tar.gz`);
  if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(file)) return undefined;
  const tar = gunzipSync(readFileSync(file));
  for (let p = 0; p + 512 <= tar.length;) {
    const name = tar
      .subarray(p, p + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    const size = parseInt(
      tar
        .subarray(p + 124, p + 136)
        .toString('latin1')
        .replace(/\0.*$/s, '')
        .trim() || '0',
      8,
    );
    if (name === '') break;
    if (name === 'kubectl-podres') {
      const out = join(tmp, 'kubectl-podres');
      writeFileSync(out, tar.subarray(p + 512, p + 512 + size));
      chmodSync(out, 0o755);
      return out;
    }
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

const tmp = mkdtempSync(join(tmpdir(), 'podres-startup-'));
const binary = releaseBinary(tmp);
const tsc = join(ROOT, 'dist', 'cmd', 'kubectl-podres.js');
const bundle = join(ROOT, 'dist', 'bundle', 'kubectl-podres.cjs');
for (const f of [tsc, bundle]) {
  if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build (or npm run release) first`);
}

const node = process.execPath;
const commands = [
  { group: 'baseline', name: 'node -e 0', cmd: [node, '-e', '0'] },
  { group: 'tsc build', name: 'version', cmd: [node, tsc, 'version'] },
  { group: 'tsc build', name: `simulate -f ${EXAMPLE}`, cmd: [node, tsc, 'simulate', '-f', EXAMPLE] },
  { group: 'bundle', name: 'version', cmd: [node, bundle, 'version'], target: true },
  {
    group: 'bundle',
    name: 'kubectl_complete-podres sim (<TAB>)',
    cmd: [node, join(ROOT, 'dist', 'bundle', 'kubectl_complete-podres.cjs'), 'sim'],
  },
  { group: 'bundle', name: `simulate -f ${EXAMPLE}`, cmd: [node, bundle, 'simulate', '-f', EXAMPLE] },
];
if (binary !== undefined) {
  commands.push(
    { group: 'binary', name: 'version', cmd: [binary, 'version'] },
    { group: 'binary', name: `simulate -f ${EXAMPLE}`, cmd: [binary, 'simulate', '-f', EXAMPLE] },
  );
}

function once(cmd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const times = commands.map(() => []);
for (let round = 0; round < 3 + runs; round++) {
  commands.forEach((c, i) => {
    const ms = once(c.cmd);
    if (round >= 3) times[i].push(ms);
  });
}
rmSync(tmp, { recursive: true, force: true });

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};
const baseline = quantile(times[0], 0.5);
const rows = commands.map((c, i) => {
  const median = quantile(times[i], 0.5);
  return {
    ...c,
    median,
    p10: quantile(times[i], 0.1),
    p90: quantile(times[i], 0.9),
    ratio: median / baseline,
  };
});

const groupWidth = Math.max(...rows.map((r) => r.group.length));
const nameWidth = Math.max(...rows.map((r) => r.name.length));
process.stdout.write(
  `Node ${process.version}, ${runs} runs each (interleaved, after 3 warm-up rounds); median [p10-p90] wall time\n\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${r.group.padEnd(groupWidth)}  ${r.name.padEnd(nameWidth)}  ${r.median.toFixed(1).padStart(6)} ms  [${r.p10.toFixed(1)}-${r.p90.toFixed(1)}]  ${r.ratio.toFixed(2)}x node -e 0\n`,
  );
}
const target = rows.find((r) => r.target === true);
const met = target !== undefined && target.ratio <= TARGET;
process.stdout.write(
  `\ntarget: bundle version <= ${TARGET}x node -e 0: ${target?.ratio.toFixed(2)}x, ${met ? 'met' : 'MISSED'}\n`,
);
if (binary === undefined)
  process.stdout.write('(no dist/release: run npm run release to time the single binary too)\n');
if (check && !met) process.exitCode = 1;
