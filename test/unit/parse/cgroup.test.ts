// Tests the cgroup v1/v2 file readers on real-shaped file contents (kernel formats; the counters of
// the throttled cgroups in the real cAdvisor fixtures, which cAdvisor read from these very files),
// and on corrupted twins whose errors name the path and the line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import { formatCpuList } from '../../../src/model/cpuset.js';
import {
  cpuMaxFromCfs,
  cpuMaxMillicores,
  parseCgroupCpuset,
  parseCpuMax,
  parseCpuStatV1,
  parseCpuStatV2,
  type CgroupCpuStat,
} from '../../../src/parse/cgroup.js';
import { parseCadvisorCpu } from '../../../src/parse/kubelet-metrics.js';
import type { ObservedCgroup } from '../../../src/schema/observation.js';

const V2 =
  '/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod45b528af_fb82_4e96_8103_b9da1194dd36.slice';
const V1 = '/sys/fs/cgroup/cpu,cpuacct/kubepods/podf89b6c09-11a3-11e8-a084-080027352a02';

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('cpuset files', () => {
  it.each([
    ['0-3,8\n', '0-3,8'],
    ['0-111\n', '0-111'],
    ['1-2,17-18\n', '1-2,17-18'],
    ['0\n', '0'],
    ['\n', ''],
    ['', ''],
  ])('%j → %s', (text, cpus) => {
    expect(formatCpuList(parseCgroupCpuset(text, `${V2}/cpuset.cpus.effective`))).toBe(cpus);
  });

  it('reads v1 cpuset.effective_mems', () => {
    expect(formatCpuList(parseCgroupCpuset('0-1\n', `${V1}/cpuset.effective_mems`))).toBe('0-1');
  });

  it.each([
    ['0-3,x\n', 'line 1: invalid cpu list element "x"'],
    ['0-3:2\n', 'line 1: invalid cpu list element "0-3:2"'],
    ['3-1\n', 'line 1: invalid cpu range "3-1": end before start'],
    ['0-3\n4\n', 'line 2: expected one line, found 2'],
  ])('corrupt %j', (text, message) => {
    expect(thrown(() => parseCgroupCpuset(text, `${V2}/cpuset.cpus.effective`)).message).toBe(
      `${V2}/cpuset.cpus.effective ${message}`,
    );
  });
});

describe('cpu.max (v2) and cpu.cfs_quota_us + cpu.cfs_period_us (v1)', () => {
  it.each([
    ['max 100000\n', 'max 100000', null],
    ['800000 100000\n', '800000 100000', 8000],
    ['8000 100000\n', '8000 100000', 80],
    ['150000 100000\n', '150000 100000', 1500],
    ['1000 3000\n', '1000 3000', 333],
    ['2000 3000\n', '2000 3000', 667],
  ])('v2 %j → %j (%s millicores)', (text, cpuMax, milli) => {
    expect(parseCpuMax(text, `${V2}/cpu.max`)).toBe(cpuMax);
    expect(cpuMaxMillicores(cpuMax)).toBe(milli);
  });

  it.each([
    ['-1\n', '100000\n', 'max 100000'],
    ['10100\n', '100000\n', '10100 100000'],
    ['20100\n', '100000\n', '20100 100000'],
  ])('v1 quota %j period %j → %j', (quota, period, cpuMax) => {
    expect(cpuMaxFromCfs(quota, `${V1}/cpu.cfs_quota_us`, period, `${V1}/cpu.cfs_period_us`)).toBe(cpuMax);
  });

  it.each([
    ['max\n', 'expected "max <period>" or "<quota> <period>" in microseconds, got "max"'],
    ['max 0\n', 'expected "max <period>" or "<quota> <period>" in microseconds, got "max 0"'],
    ['-1 100000\n', 'expected "max <period>" or "<quota> <period>" in microseconds, got "-1 100000"'],
    ['8000 100000 1\n', 'expected "max <period>" or "<quota> <period>" in microseconds, got "8000 100000 1"'],
    ['80k 100000\n', 'expected "max <period>" or "<quota> <period>" in microseconds, got "80k 100000"'],
  ])('corrupt v2 cpu.max %j', (text, why) => {
    expect(thrown(() => parseCpuMax(text, `${V2}/cpu.max`)).message).toBe(`${V2}/cpu.max line 1: ${why}`);
  });

  it('names the v1 file at fault', () => {
    expect(
      thrown(() => cpuMaxFromCfs('-2\n', `${V1}/cpu.cfs_quota_us`, '100000\n', `${V1}/cpu.cfs_period_us`))
        .message,
    ).toBe(`${V1}/cpu.cfs_quota_us line 1: expected a quota in microseconds or -1, got "-2"`);
    expect(
      thrown(() => cpuMaxFromCfs('-1\n', `${V1}/cpu.cfs_quota_us`, '\n', `${V1}/cpu.cfs_period_us`)).message,
    ).toBe(`${V1}/cpu.cfs_period_us line 1: expected a period in microseconds, got ""`);
  });

  it('rejects a malformed cpu.max value given to cpuMaxMillicores', () => {
    expect(() => cpuMaxMillicores('max')).toThrow('invalid cpu.max value "max"');
  });
});

describe('cpu.stat', () => {
  it('v2 with the cpu controller (kernel 6.x keys, other keys ignored)', () => {
    const text = [
      'usage_usec 3170149',
      'user_usec 2711215',
      'system_usec 458934',
      'core_sched.force_idle_usec 0',
      'nr_periods 401',
      'nr_throttled 391',
      'throttled_usec 5334236',
      'nr_bursts 0',
      'burst_usec 0',
      '',
    ].join('\n');
    expect(parseCpuStatV2(text, `${V2}/cpu.stat`)).toEqual({
      nrPeriods: 401,
      nrThrottled: 391,
      throttledUsec: 5334236,
    });
  });

  it('v2 without the cpu controller has no throttling counters', () => {
    const text = 'usage_usec 506108\nuser_usec 309347\nsystem_usec 196761\n';
    expect(parseCpuStatV2(text, `${V2}/cpu.stat`)).toBeNull();
  });

  it('v1: throttled_time in ns becomes µs (rounded down); newer kernels add bursts and wait_sum', () => {
    expect(
      parseCpuStatV1('nr_periods 13781\nnr_throttled 3964\nthrottled_time 271443742526\n', `${V1}/cpu.stat`),
    ).toEqual({
      nrPeriods: 13781,
      nrThrottled: 3964,
      throttledUsec: 271443742,
    });
    const newer =
      'nr_periods 0\nnr_throttled 0\nthrottled_time 999\nnr_bursts 0\nburst_time 0\nwait_sum 5012\n';
    expect(parseCpuStatV1(newer, `${V1}/cpu.stat`)).toEqual({
      nrPeriods: 0,
      nrThrottled: 0,
      throttledUsec: 0,
    });
  });

  it('keeps counters above 2^53 ns exact before converting to µs', () => {
    const stat = parseCpuStatV1(
      'nr_periods 1\nnr_throttled 1\nthrottled_time 18446744073709551615\n',
      'cpu.stat',
    );
    expect(stat?.throttledUsec).toBe(Number(18446744073709551615n / 1000n));
  });

  it('is the NodeObservation cpuStat shape', () => {
    const stat: CgroupCpuStat | null = parseCpuStatV2(
      'nr_periods 1\nnr_throttled 0\nthrottled_usec 0\n',
      'cpu.stat',
    );
    const cgroup: Pick<ObservedCgroup, 'cpuStat'> = { cpuStat: stat };
    expect(cgroup.cpuStat).toEqual({ nrPeriods: 1, nrThrottled: 0, throttledUsec: 0 });
  });

  it.each([
    [
      'usage_usec 1\nnr_periods 401\nnr_throttled\nthrottled_usec 5\n',
      'line 3: expected "<key> <value>", got "nr_throttled"',
    ],
    [
      'nr_periods 401\nnr_throttled 391\nthrottled_usec 5334236x\n',
      'line 3: expected an unsigned integer for "throttled_usec", got "5334236x"',
    ],
    [
      'nr_periods 401\nnr_throttled -1\nthrottled_usec 0\n',
      'line 2: expected an unsigned integer for "nr_throttled", got "-1"',
    ],
    ['nr_periods 401\nnr_throttled 391\n', ': no "throttled_usec" line'],
    [
      'nr_periods 1\nnr_periods 2\nnr_throttled 0\nthrottled_usec 0\n',
      'line 2: "nr_periods" given twice (first on line 1)',
    ],
  ])('corrupt v2 cpu.stat %j', (text, message) => {
    expect(thrown(() => parseCpuStatV2(text, `${V2}/cpu.stat`)).message).toBe(
      `${V2}/cpu.stat${message.startsWith(':') ? '' : ' '}${message}`,
    );
  });

  it('corrupt v1 cpu.stat (truncated in the middle of a line)', () => {
    expect(
      thrown(() => parseCpuStatV1('nr_periods 13781\nnr_throttled 3964\nthrottled_ti', `${V1}/cpu.stat`))
        .message,
    ).toBe(`${V1}/cpu.stat line 3: expected "<key> <value>", got "throttled_ti"`);
  });
});

describe('agreement with the real cAdvisor scrapes', () => {
  // cAdvisor's container_cpu_cfs_* are cpu.stat's nr_periods, nr_throttled and throttled time in
  // seconds, container_spec_cpu_quota/period are the quota and period: the files written back
  // from those numbers must read as the same quota and counters.
  const fixture = (name: string) =>
    readFileSync(path.resolve(process.cwd(), '../shared/fixtures/real/cadvisor', name), 'utf8');

  it.each([
    ['nri-k8s-kind-1.35-cgroupv2.metrics-cadvisor.cpu-families.txt', 2],
    ['nri-k8s-minikube-1.15-cgroupv1.metrics-cadvisor.cpu-families.txt', 1],
  ] as const)('%s', (file, version) => {
    const { series } = parseCadvisorCpu(fixture(file), file);
    const throttled = series.filter(
      (s) => s.cfsPeriods !== null && s.specQuota !== null && s.specPeriod !== null,
    );
    expect(throttled.length).toBe(version === 2 ? 16 : 3);
    for (const s of throttled) {
      const quota = String(s.specQuota);
      const period = String(s.specPeriod);
      const ns = BigInt(Math.round((s.cfsThrottledSeconds ?? 0) * 1e9));
      const cpuMax =
        version === 2
          ? parseCpuMax(`${quota} ${period}\n`, 'cpu.max')
          : cpuMaxFromCfs(`${quota}\n`, 'cpu.cfs_quota_us', `${period}\n`, 'cpu.cfs_period_us');
      expect(cpuMax).toBe(`${quota} ${period}`);
      expect(cpuMaxMillicores(cpuMax)).toBe(Math.round(((s.specQuota ?? 0) * 1000) / (s.specPeriod ?? 1)));
      const stat =
        version === 2
          ? parseCpuStatV2(
              `usage_usec 1\nnr_periods ${s.cfsPeriods}\nnr_throttled ${s.cfsThrottledPeriods}\nthrottled_usec ${ns / 1000n}\n`,
              'cpu.stat',
            )
          : parseCpuStatV1(
              `nr_periods ${s.cfsPeriods}\nnr_throttled ${s.cfsThrottledPeriods}\nthrottled_time ${ns}\n`,
              'cpu.stat',
            );
      expect(stat).toEqual({
        nrPeriods: s.cfsPeriods,
        nrThrottled: s.cfsThrottledPeriods,
        throttledUsec: Number(ns / 1000n),
      });
    }
    // the e2e-daemonset pod of the kind node: 8000/100000 = 80m, and kube-state-metrics on minikube 101m
    const ids = throttled.map((s) => [s.id, cpuMaxMillicores(`${s.specQuota} ${s.specPeriod}`)]);
    expect(ids).toContainEqual(
      version === 2
        ? ['/kubepods/burstable/pod45b528af-fb82-4e96-8103-b9da1194dd36', 80]
        : [
            '/kubepods/podf89b6c09-11a3-11e8-a084-080027352a02/c452821fcf6c5f594d4f98a1426e7a2c51febb65d5d50d92903f9dfb367bfba7',
            101,
          ],
    );
  });
});
