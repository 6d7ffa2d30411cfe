// `npm run bench:audit`: `kubectl podres audit` on a big cluster against the kubectl reads it
// replaces. Generates a cluster (default 5,000 nodes × 30 pods, bench/audit-cluster.ts), serves it
// with the fake API server (test/helpers/fake-apiserver.ts) in this process, then runs against the
// same server, as child processes:
//
//   (a) kubectl-podres audit -o json            (the built CLI: dist/bundle/kubectl-podres.cjs)
//   (b) kubectl get pods -A -o json  +  kubectl get nodes -o json      (the baseline)
//
// and prints both wall times, their ratio (target ≤ 1.3), the audit's peak RSS (target ≤ 1 GiB)
// and the generation time. Peak RSS and CPU times come from /usr/bin/time -v, else from sampling
// VmHWM in /proc/<pid>/status. Outputs go to temporary files (their sizes are printed).
//
// Flags: --nodes N, --pods-per-node M, --seed S, --runs R (rounds, each kubectl then audit),
// --concurrency C (passed to audit), --lean-scrapes (cAdvisor/metrics bodies with only the
// families the fixture writes), --lean-pods (pods with only the fixture's fields), --tls (HTTPS),
// --cli PATH (another build's kubectl-podres), --cpu-prof DIR (the audit runs with node
// --cpu-prof), --skip-audit, --skip-kubectl, --check (exit 1 when a target is missed or a run
// failed). A kubectl or audit killed (e.g. out of memory) is reported, not fatal.
//
// This file is TypeScript because it uses the test helpers: `npm run bench:audit` compiles it with
// them (tsconfig.bench.json → dist/bench) after the build, then runs dist/bench/bench/audit.js.

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '../test/helpers/fake-apiserver.js';
import { generateCluster } from './audit-cluster.js';

const RATIO_TARGET = 1.3;
const RSS_TARGET_MIB = 1024;

/** The repository root: the nearest directory above this file with our package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'kubectl-podres'
    )
      return dir;
    const up = dirname(dir);
    if (up === dir)
      throw new Error('bench: cannot find the repository root (package.json of kubectl-podres)');
    dir = up;
  }
}

const ROOT = repoRoot();

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${name} needs a value`);
  return v;
}

function intFlag(name: string, fallback: number, min: number): number {
  const text = flag(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`bench: ${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
}

const has = (name: string) => process.argv.includes(name);

/** Every value of a repeatable flag. */
function flags(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    const v = process.argv[i + 1];
    if (a !== name) return;
    if (v === undefined || v.startsWith('--')) throw new Error(`bench: ${name} needs a value`);
    out.push(v);
  });
  return out;
}

const args = {
  nodes: intFlag('--nodes', 5000, 1),
  podsPerNode: intFlag('--pods-per-node', 30, 1),
  seed: intFlag('--seed', 0x5eed, 0),
  runs: intFlag('--runs', 1, 1),
  concurrency: flag('--concurrency'),
  lean: has('--lean-scrapes'),
  leanPods: has('--lean-pods'),
  tls: has('--tls'),
  clis: flags('--cli').map((c) => resolve(c)),
  cpuProf: flag('--cpu-prof'),
  skipAudit: has('--skip-audit'),
  skipKubectl: has('--skip-kubectl'),
  check: has('--check'),
};

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => bytes / 1048576;
const size = (bytes: number) =>
  bytes >= 1e9
    ? `${fmt(bytes / 1e9, 2)} GB`
    : bytes >= 1e6
      ? `${fmt(bytes / 1e6, 1)} MB`
      : `${fmt(bytes / 1e3, 1)} kB`;

interface RunResult {
  readonly wallMs: number;
  readonly exitCode: number;
  /** the signal that ended it (9: SIGKILL, e.g. by the kernel's OOM killer), null when it exited */
  readonly signal: number | null;
  /** peak RSS in bytes, null when it could not be measured */
  readonly maxRss: number | null;
  /** user + system CPU seconds of the child, null when unknown */
  readonly cpuSeconds: number | null;
  readonly outBytes: number;
  /** the end of its stderr */
  readonly stderr: string;
  /** `warning:` lines on its stderr */
  readonly warnings: number;
  /** CPU seconds this process (the API server) spent meanwhile */
  readonly serverCpuSeconds: number;
}

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);

/** Runs a command with stdout to `outFile`, timing it and measuring its peak RSS. */
function run(
  cmd: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  outFile: string,
  timeFile: string,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const out = openSync(outFile, 'w');
    const full = haveTime ? ([TIME, ['-v', '-o', timeFile, cmd, ...argv]] as const) : ([cmd, argv] as const);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const child = spawn(full[0], full[1], { env, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    let warnings = 0;
    let partLine = '';
    child.stderr?.on('data', (d: string) => {
      const lines = (partLine + d).split('\n');
      partLine = lines.pop() ?? '';
      warnings += lines.filter((l) => l.startsWith('warning:')).length;
      stderr = (stderr + d).slice(-4000);
    });
    // without /usr/bin/time: VmHWM (the kernel's peak RSS) sampled until the process ends
    let hwm = 0;
    const sampler = haveTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(child.pid)}/status`, 'utf8'));
            if (m !== null) hwm = Math.max(hwm, Number(m[1]) * 1024);
          } catch {
            // the process has ended
          }
        }, 20);
    child.on('error', (e) => {
      closeSync(out);
      reject(e);
    });
    child.on('close', (code, sig) => {
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (sampler !== null) clearInterval(sampler);
      closeSync(out);
      if (partLine.startsWith('warning:')) warnings++;
      let maxRss: number | null = hwm > 0 ? hwm : null;
      let cpuSeconds: number | null = null;
      let exitCode = code ?? -1;
      let signal: number | null = sig === null ? null : constants.signals[sig];
      if (haveTime && existsSync(timeFile)) {
        const t = readFileSync(timeFile, 'utf8');
        const num = (re: RegExp) => Number(re.exec(t)?.[1] ?? 'NaN');
        const rss = num(/Maximum resident set size \(kbytes\): (\d+)/);
        if (Number.isFinite(rss)) maxRss = rss * 1024;
        const user = num(/User time \(seconds\): ([\d.]+)/);
        const sys = num(/System time \(seconds\): ([\d.]+)/);
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = user + sys;
        const status = /Exit status: (\d+)/.exec(t);
        if (status !== null) exitCode = Number(status[1]);
        const killed = /Command terminated by signal (\d+)/.exec(t);
        if (killed !== null) signal = Number(killed[1]);
      }
      resolvePromise({
        wallMs,
        exitCode,
        signal,
        maxRss,
        cpuSeconds,
        outBytes: statSync(outFile).size,
        stderr,
        warnings,
        serverCpuSeconds: (cpu.user + cpu.system) / 1e6,
      });
    });
  });
}

function describe(label: string, r: RunResult): string {
  const rss = r.maxRss === null ? 'peak RSS n/a' : `peak RSS ${fmt(mib(r.maxRss))} MiB`;
  const cpu = r.cpuSeconds === null ? '' : `, cpu ${fmt(r.cpuSeconds, 1)} s`;
  const end =
    r.signal === null
      ? `exit ${r.exitCode}`
      : `KILLED by signal ${r.signal}${r.signal === 9 ? ' (out of memory?)' : ''}`;
  return (
    `  ${label.padEnd(30)} ${fmt(r.wallMs / 1000, 2).padStart(7)} s  (${rss}${cpu}, ${end}, ` +
    `stdout ${size(r.outBytes)}${r.warnings > 0 ? `, ${fmt(r.warnings)} warnings` : ''}; ` +
    `API server cpu ${fmt(r.serverCpuSeconds, 1)} s)\n`
  );
}

/** Where two audit reports (JSON, generatedAt removed) first differ: node and field path. */
function reportDifference(a: string, b: string): string {
  const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v).slice(0, 200));
  const first = (x: unknown, y: unknown, path: string): string | null => {
    if (JSON.stringify(x) === JSON.stringify(y)) return null;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null)
      return `${path}: ${show(x)} vs ${show(y)}`;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    for (const k of keys) {
      const d = first((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  };
  return `    first difference: ${first(JSON.parse(a), JSON.parse(b), '$') ?? 'none'}\n`;
}

/**
 * Generates the cluster and serves it. The generated objects are let go once loaded: the API
 * server keeps their JSON only, so this process's heap stays small (a big heap's collections would
 * slow the answers down, as a busy API server would).
 */
async function startCluster() {
  const g0 = performance.now();
  const { nodes, pods, ...cluster } = generateCluster({
    nodes: args.nodes,
    podsPerNode: args.podsPerNode,
    seed: args.seed,
    now: new Date(Math.floor(Date.now() / 1000) * 1000),
    cadvisorExtraFamilies: args.lean
      ? null
      : readFileSync(join(ROOT, 'bench', 'data', 'cadvisor-extra-families.txt'), 'utf8'),
    kubeletExtraFamilies: !args.lean,
    realisticPods: !args.leanPods,
  });
  const generated = performance.now() - g0;
  const s0 = performance.now();
  const server = await FakeApiServer.start({
    nodes,
    pods,
    kubelet: cluster.kubelet,
    tls: args.tls,
    gitVersion: 'v1.36.2',
  });
  const loaded = performance.now() - s0;
  // with node --expose-gc (npm run bench:audit): collect the generated objects now, not while timing
  (globalThis as { gc?: () => void }).gc?.();
  return {
    server,
    cluster: { ...cluster, nodeCount: nodes.length, podCount: pods.length },
    generated,
    loaded,
  };
}

async function main(): Promise<number> {
  const clis =
    args.clis.length > 0
      ? args.clis
      : [join(process.env.PODRES_DIST ?? join(ROOT, 'dist'), 'bundle', 'kubectl-podres.cjs')];
  for (const cli of args.skipAudit ? [] : clis) {
    if (!existsSync(cli)) throw new Error(`bench: no built CLI at ${cli}; run npm run build (or pass --cli)`);
  }
  const auditLabel = (k: number) =>
    clis.length === 1 ? 'kubectl podres audit -o json' : `audit -o json [${String(k + 1)}]`;
  const out = process.stdout;
  out.write(
    `node ${process.version}, ${process.platform}/${process.arch}; kubectl-podres: ` +
      `${clis.length === 1 ? (clis[0] ?? '') : clis.map((c, k) => `[${String(k + 1)}] ${c}`).join(', ')}\n` +
      `cluster: ${fmt(args.nodes)} nodes × ${fmt(args.podsPerNode)} pods, seed 0x${args.seed.toString(16)}` +
      `${args.lean ? ', lean scrapes (fixture families only)' : ''}${args.leanPods ? ', lean pods (fixture fields only)' : ''}` +
      `${args.tls ? ', HTTPS' : ', plain HTTP'}\n`,
  );

  // ----- the cluster
  const { server, cluster, generated, loaded } = await startCluster();
  const n = args.nodes;
  const b = cluster.bytes;
  out.write(
    `generated in ${fmt(generated / 1000, 1)} s (${cluster.templates.length} node templates through the node fixture), ` +
      `API server loaded in ${fmt(loaded / 1000, 1)} s\n` +
      `  ${fmt(cluster.nodeCount)} nodes, ${fmt(cluster.podCount)} pods: ` +
      `${[...cluster.kinds].map(([k, c]) => `${k} ${fmt(c)}`).join(', ')}\n` +
      `  JSON: pods ${size(b.pods)} (${fmt(b.pods / cluster.podCount / 1000, 1)} kB each), nodes ${size(b.nodes)}; ` +
      `per node: /metrics/cadvisor ${size(b.cadvisor / n)}, /metrics ${size(b.metrics / n)}, /configz ${size(b.configz / n)} ` +
      `(all nodes: ${size(b.cadvisor + b.metrics + b.configz)})\n`,
  );
  for (const t of cluster.templates) {
    out.write(
      `  ${t.name} ${String(t.nodes).padStart(5)} nodes  ${t.config} (${t.kubeletVersion}): admitted ${t.admitted}, rejected ${t.rejected}\n`,
    );
  }
  const mem = process.memoryUsage();
  out.write(
    `  this process (generator + API server): RSS ${fmt(mib(mem.rss))} MiB, heap ${fmt(mib(mem.heapUsed))} MiB\n\n`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'podres-bench-audit-'));
  const kubeconfig = join(tmp, 'kubeconfig');
  await server.writeKubeconfig(kubeconfig, { caFile: 'ca.crt' });
  const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: kubeconfig, NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
  const cache = join(tmp, 'kube-cache');
  const kubectlRuns: { pods: RunResult; nodes: RunResult }[] = [];
  const auditRuns: RunResult[][] = clis.map(() => []);
  /** per CLI: its last report without generatedAt, to tell whether the builds agree */
  const reports: (string | null)[] = clis.map(() => null);
  const failures: string[] = [];
  try {
    for (let round = 1; round <= args.runs; round++) {
      if (args.runs > 1) out.write(`round ${round}/${args.runs}\n`);
      if (!args.skipKubectl) {
        const pods = await run(
          'kubectl',
          ['get', 'pods', '-A', '-o', 'json', '--cache-dir', cache],
          env,
          join(tmp, 'pods.json'),
          join(tmp, 'time-pods'),
        );
        out.write(describe('kubectl get pods -A -o json', pods));
        const nodes = await run(
          'kubectl',
          ['get', 'nodes', '-o', 'json', '--cache-dir', cache],
          env,
          join(tmp, 'nodes.json'),
          join(tmp, 'time-nodes'),
        );
        out.write(describe('kubectl get nodes -o json', nodes));
        const failed = [pods, nodes].filter((r) => r.exitCode !== 0 || r.signal !== null);
        if (failed.length === 0) kubectlRuns.push({ pods, nodes });
        else {
          failures.push('kubectl');
          for (const r of failed)
            out.write(`    kubectl stderr: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
        }
      }
      for (const [k, cli] of (args.skipAudit ? [] : clis).entries()) {
        const prof =
          args.cpuProf === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', resolve(args.cpuProf)];
        const concurrency = args.concurrency === undefined ? [] : ['--concurrency', args.concurrency];
        const auditOut = join(tmp, 'audit.json');
        const audit = await run(
          process.execPath,
          [...prof, cli, 'audit', '-o', 'json', ...concurrency],
          env,
          auditOut,
          join(tmp, 'time-audit'),
        );
        out.write(describe(auditLabel(k), audit));
        for (const line of audit.stderr
          .split('\n')
          .filter((l) => l.startsWith('warning:'))
          .slice(0, 3))
          out.write(`    ${line}\n`);
        // 0: no finding at or above error; 1: findings; anything else is a failed run
        if (audit.signal === null && (audit.exitCode === 0 || audit.exitCode === 1)) {
          auditRuns[k]?.push(audit);
          const report = JSON.parse(readFileSync(auditOut, 'utf8')) as Record<string, unknown>;
          if (round === args.runs) out.write(`    summary: ${JSON.stringify(report.summary)}\n`);
          delete report.generatedAt;
          reports[k] = JSON.stringify(report);
        } else {
          failures.push(auditLabel(k));
          out.write(`    audit stderr: ${audit.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
        }
      }
    }
    if (clis.length > 1 && reports.every((r) => r !== null)) {
      const same = reports.every((r) => r === reports[0]);
      if (!same) out.write(reportDifference(reports[0] ?? '', reports.find((r) => r !== reports[0]) ?? ''));
      out.write(
        `  the ${String(clis.length)} builds' reports are ${same ? 'identical' : 'DIFFERENT'} (generatedAt aside)\n`,
      );
    }
  } finally {
    await server.close();
    if (process.env.PODRES_BENCH_KEEP === undefined) rmSync(tmp, { recursive: true, force: true });
    else out.write(`  kept ${tmp}\n`);
  }

  // ----- the figures
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
  };
  const baseline = kubectlRuns.map((r) => r.pods.wallMs + r.nodes.wallMs);
  const baselineCpu = kubectlRuns.map((r) => (r.pods.cpuSeconds ?? NaN) + (r.nodes.cpuSeconds ?? NaN));
  const kubectlRss = Math.max(...kubectlRuns.map((r) => r.pods.maxRss ?? 0));
  const cpuText = (xs: readonly number[]) =>
    xs.every(Number.isFinite) ? `, cpu ${fmt(median(xs), 1)} s` : '';
  let missed = failures.length > 0;
  out.write('\nsummary');
  out.write(args.runs > 1 ? ` (medians of ${String(args.runs)} rounds)\n` : '\n');
  out.write(
    `  ${fmt(cluster.nodeCount)} nodes, ${fmt(cluster.podCount)} pods; generated in ${fmt(generated / 1000, 1)} s\n`,
  );
  if (baseline.length > 0)
    out.write(
      `  kubectl get pods -A -o json + get nodes -o json: ${fmt(median(baseline) / 1000, 2)} s` +
        `${cpuText(baselineCpu)}${kubectlRss > 0 ? `, peak RSS ${fmt(mib(kubectlRss))} MiB` : ''}\n`,
    );
  auditRuns.forEach((runs, k) => {
    if (runs.length === 0) return;
    const wall = median(runs.map((r) => r.wallMs));
    const cpu = runs.map((r) => r.cpuSeconds ?? NaN);
    const rss = Math.max(...runs.map((r) => r.maxRss ?? 0));
    out.write(`  ${auditLabel(k)}: ${fmt(wall / 1000, 2)} s${cpuText(cpu)}\n`);
    if (baseline.length > 0) {
      const ratio = wall / median(baseline);
      missed ||= ratio > RATIO_TARGET;
      const cpuRatio = median(cpu) / median(baselineCpu);
      out.write(
        `    ratio audit / kubectl: ${fmt(ratio, 2)} (target ≤ ${String(RATIO_TARGET)}: ${ratio <= RATIO_TARGET ? 'met' : 'NOT met'})` +
          `${Number.isFinite(cpuRatio) ? `; CPU time ratio ${fmt(cpuRatio, 2)}` : ''}\n`,
      );
    }
    const ok = rss > 0 && mib(rss) <= RSS_TARGET_MIB;
    missed ||= !ok;
    out.write(
      `    audit peak RSS: ${rss > 0 ? `${fmt(mib(rss))} MiB` : 'n/a'} (target ≤ 1 GiB: ${ok ? 'met' : 'NOT met'})\n`,
    );
  });
  if (failures.length > 0)
    out.write(`  FAILED: ${[...new Set(failures)].join(', ')} (see above); no ratio from those rounds\n`);
  return args.check && missed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
