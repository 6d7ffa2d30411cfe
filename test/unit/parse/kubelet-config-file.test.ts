// Tests readKubeletConfigDocument on the four real kubelet configurations (two /configz answers, an
// OpenShift kubelet.conf and the KubeletConfig CR that produced it), their conversion by
// toKubeletConfig, and corrupted twins whose errors name the file, line and column.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import { formatCpuList } from '../../../src/model/cpuset.js';
import { FEATURE_GATE_DEFAULTS, type KubeletConfig } from '../../../src/model/kubelet-config.js';
import { intValue } from '../../../src/model/quantity.js';
import {
  isConfigzEnvelope,
  readKubeletConfigDocument,
  type KubeletConfigDocument,
} from '../../../src/parse/kubelet-config-file.js';
import { toKubeletConfig } from '../../../src/scenario/kubelet-config.js';

const DIR = path.resolve(process.cwd(), '../shared/fixtures/real/configz');
const EKS = 'eks-outposts-1.30-static-single-numa-node.configz.json';
const KUBEADM = 'kubeadm-1.28-ubuntu-containerd-none-policy.configz.json';
const OCP_FILE = 'ocp-4.11-gcp-worker-cnf-pao-static-memmgr.kubelet.conf.json';
const OCP_CR = 'ocp-4.11-gcp-worker-cnf-pao.KubeletConfig-cr.yaml';

const text = (file: string) => readFileSync(path.join(DIR, file), 'utf8');
const read = (file: string) => readKubeletConfigDocument(text(file), file);
const lines = (t: string) => t.split('\n');
const convert = (doc: KubeletConfigDocument) => toKubeletConfig(doc.kubeletconfig, '1.36', doc.where);

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

/** The resource-manager view of a converted configuration, with quantities and cpusets as text. */
function managerFields(c: KubeletConfig) {
  const bytes = (m: KubeletConfig['kubeReserved']) =>
    Object.fromEntries(Object.entries(m).map(([k, q]) => [k, intValue(q)]));
  return {
    cpuManagerPolicy: c.cpuManagerPolicy,
    cpuManagerPolicyOptions: c.cpuManagerPolicyOptions,
    reservedSystemCPUs: c.reservedSystemCPUs === null ? null : formatCpuList(c.reservedSystemCPUs),
    kubeReserved: bytes(c.kubeReserved),
    systemReserved: bytes(c.systemReserved),
    evictionHard: c.evictionHard,
    topologyManagerPolicy: c.topologyManagerPolicy,
    topologyManagerScope: c.topologyManagerScope,
    memoryManagerPolicy: c.memoryManagerPolicy,
    reservedMemory: c.reservedMemory,
    cpuCFSQuota: c.cpuCFSQuota,
    cpuCFSQuotaPeriodUs: c.cpuCFSQuotaPeriodUs,
  };
}

describe('readKubeletConfigDocument on the real configurations', () => {
  it('EKS 1.30 /configz: static CPU manager, single-numa-node, kubeReserved without reserved CPUs', () => {
    const doc = read(EKS);
    expect(doc.format).toBe('configz');
    expect(doc.kubeletconfig).toMatchObject({
      cpuManagerPolicy: 'static',
      cpuManagerReconcilePeriod: '10s',
      memoryManagerPolicy: 'None',
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'container',
      maxPods: 737,
      featureGates: { RotateKubeletServerCertificate: true },
      kubeReserved: { cpu: '550m', 'ephemeral-storage': '1Gi', memory: '8362Mi' },
    });
    expect(doc.kubeletconfig).not.toHaveProperty('reservedSystemCPUs');
    expect(isConfigzEnvelope(JSON.parse(text(EKS)))).toBe(true);

    const c = convert(doc);
    expect(managerFields(c)).toEqual({
      cpuManagerPolicy: 'static',
      cpuManagerPolicyOptions: {},
      reservedSystemCPUs: null,
      kubeReserved: { cpu: 1n, 'ephemeral-storage': 1073741824n, memory: 8362n * 1024n * 1024n },
      systemReserved: {},
      evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%' },
      topologyManagerPolicy: 'single-numa-node',
      topologyManagerScope: 'container',
      memoryManagerPolicy: 'None',
      reservedMemory: [],
      cpuCFSQuota: true,
      cpuCFSQuotaPeriodUs: 100000,
    });
    expect(c.featureGates).toEqual({
      ...FEATURE_GATE_DEFAULTS['1.36'],
      RotateKubeletServerCertificate: true,
    });
  });

  it('kubeadm 1.28 /configz: every manager at its default', () => {
    const doc = read(KUBEADM);
    expect(doc.format).toBe('configz');
    expect(doc.kubeletconfig).toMatchObject({
      cpuManagerPolicy: 'none',
      memoryManagerPolicy: 'None',
      topologyManagerPolicy: 'none',
      topologyManagerScope: 'container',
      maxPods: 110,
      cgroupDriver: 'systemd',
    });
    expect(doc.kubeletconfig).not.toHaveProperty('featureGates');
    const c = convert(doc);
    expect(managerFields(c)).toMatchObject({
      cpuManagerPolicy: 'none',
      reservedSystemCPUs: null,
      topologyManagerPolicy: 'none',
      memoryManagerPolicy: 'None',
      evictionHard: {
        'imagefs.available': '15%',
        'memory.available': '100Mi',
        'nodefs.available': '10%',
        'nodefs.inodesFree': '5%',
      },
    });
    expect(c.featureGates).toEqual(FEATURE_GATE_DEFAULTS['1.36']);
  });

  const ocpManagers = {
    cpuManagerPolicy: 'static',
    cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
    reservedSystemCPUs: '0',
    kubeReserved: { memory: 500n * 1024n * 1024n },
    evictionHard: { 'memory.available': '100Mi' },
    topologyManagerPolicy: 'single-numa-node',
    topologyManagerScope: 'container',
    memoryManagerPolicy: 'Static',
    reservedMemory: [{ numaNode: 0, limits: { memory: 1100n * 1024n * 1024n } }],
    cpuCFSQuota: true,
    cpuCFSQuotaPeriodUs: 100000,
  };

  it('OpenShift 4.11 kubelet.conf (a config file, JSON): static CPU and memory managers', () => {
    const doc = read(OCP_FILE);
    expect(doc.format).toBe('kubelet-config-file');
    expect(doc.kubeletconfig).not.toHaveProperty('kind');
    expect(doc.kubeletconfig).not.toHaveProperty('apiVersion');
    expect(doc.kubeletconfig).toMatchObject({
      cgroupDriver: 'systemd',
      cpuManagerReconcilePeriod: '5s',
      maxPods: 250,
      reservedSystemCPUs: '0',
    });
    expect(doc.kubeletconfig.featureGates).toEqual({
      APIPriorityAndFairness: true,
      CSIMigrationAWS: false,
      CSIMigrationAzureFile: false,
      CSIMigrationGCE: false,
      CSIMigrationvSphere: false,
      DownwardAPIHugePages: true,
      PodSecurity: true,
      RotateKubeletServerCertificate: true,
    });
    expect(managerFields(convert(doc))).toEqual({
      ...ocpManagers,
      systemReserved: { 'ephemeral-storage': 1073741824n },
    });
  });

  it('OpenShift KubeletConfig CR (YAML): the embedded configuration that produced that file', () => {
    const doc = read(OCP_CR);
    expect(doc.format).toBe('openshift-kubeletconfig');
    expect(doc.kubeletconfig).not.toHaveProperty('kind');
    expect(doc.kubeletconfig).not.toHaveProperty('metadata');
    expect(doc.kubeletconfig).toMatchObject({
      cpuManagerPolicy: 'static',
      cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' },
      reservedSystemCPUs: '0',
      logging: { flushFrequency: 0, verbosity: 0 },
    });
    // The MCO rendered the CR's resource-manager settings unchanged into kubelet.conf; only
    // systemReserved differs (the MCO's own ephemeral-storage default replaced the CR's memory).
    expect(managerFields(convert(doc))).toEqual({
      ...ocpManagers,
      systemReserved: { memory: 500n * 1024n * 1024n },
    });
  });

  it('reads a YAML config file (the CR embedded block, dedented) and a compact /configz alike', () => {
    const block = lines(text(OCP_CR));
    const start = block.indexOf('  kubeletConfig:') + 1;
    const end = block.indexOf('  machineConfigPoolSelector:');
    const yamlFile = block
      .slice(start, end)
      .map((l) => l.slice(4))
      .join('\n');
    expect(yamlFile).toContain('kind: KubeletConfiguration\n');
    const doc = readKubeletConfigDocument(yamlFile, 'kubelet.yaml');
    expect(doc.format).toBe('kubelet-config-file');
    expect(doc.kubeletconfig).toEqual(read(OCP_CR).kubeletconfig);

    const compact = JSON.stringify(JSON.parse(text(EKS)));
    expect(readKubeletConfigDocument(compact, 'configz').kubeletconfig).toEqual(read(EKS).kubeletconfig);
  });

  it('gives toKubeletConfig a location with the source line of each field', () => {
    const cr = text(OCP_CR).replace('    cpuManagerPolicy: static', '    cpuManagerPolicy: statik');
    expect(thrown(() => convert(readKubeletConfigDocument(cr, OCP_CR))).message).toBe(
      `${OCP_CR} spec.kubeletConfig.cpuManagerPolicy: invalid value "statik": expected one of "none", "static" (line 130)`,
    );
    const cz = text(EKS).replace('"topologyManagerScope": "container"', '"topologyManagerScope": "node"');
    expect(thrown(() => convert(readKubeletConfigDocument(cz, EKS))).message).toBe(
      `${EKS} kubeletconfig.topologyManagerScope: invalid value "node": expected one of "container", "pod" (line 68)`,
    );
    const file = text(OCP_FILE).replace('"reservedSystemCPUs": "0"', '"reservedSystemCPUs": "0-"');
    expect(thrown(() => convert(readKubeletConfigDocument(file, OCP_FILE))).message).toMatch(
      new RegExp(`^${OCP_FILE} reservedSystemCPUs: invalid cpu list "0-".* \\(line 83\\)$`),
    );
  });
});

describe('corrupted twins', () => {
  const cases: readonly { what: string; file: string; corrupt: (t: string) => string; message: string }[] = [
    {
      what: 'a truncated /configz',
      file: EKS,
      corrupt: (t) => lines(t).slice(0, 70).join('\n'),
      message: `${EKS}: invalid JSON at line 70 column 35: unexpected end of input, expected a key`,
    },
    {
      what: 'a missing comma',
      file: KUBEADM,
      corrupt: (t) => t.replace('"cpuManagerPolicy": "none",', '"cpuManagerPolicy": "none"'),
      message: `${KUBEADM}: invalid JSON at line 55 column 5: unexpected character '"', expected ',' or '}'`,
    },
    {
      what: 'an unquoted value',
      file: KUBEADM,
      corrupt: (t) => t.replace('"cpuManagerPolicy": "none"', '"cpuManagerPolicy": none'),
      message: `${KUBEADM}: invalid JSON at line 54 column 26: unexpected character 'o', expected null`,
    },
    {
      what: 'a kubeletconfig that is not a mapping',
      file: KUBEADM,
      corrupt: () => '{\n  "kubeletconfig": "static"\n}\n',
      message: `${KUBEADM} kubeletconfig: expected the KubeletConfiguration mapping, got "static" (line 2 column 20)`,
    },
    {
      what: 'a config file of another kind',
      file: OCP_FILE,
      corrupt: (t) => t.replace('"kind": "KubeletConfiguration"', '"kind": "Pod"'),
      message: `${OCP_FILE} kind: kind "Pod" is not a KubeletConfiguration, KubeletConfig or /configz body (line 2 column 11)`,
    },
    {
      what: 'a config file of another apiVersion',
      file: OCP_FILE,
      corrupt: (t) => t.replace('kubelet.config.k8s.io/v1beta1', 'kubelet.config.k8s.io/v1alpha1'),
      message: `${OCP_FILE} apiVersion: apiVersion "kubelet.config.k8s.io/v1alpha1" is not "kubelet.config.k8s.io/v1beta1" (line 3 column 17)`,
    },
    {
      what: 'a config file without kind',
      file: OCP_FILE,
      corrupt: (t) => t.replace('  "kind": "KubeletConfiguration",\n', ''),
      message: `${OCP_FILE}: no kind and no "kubeletconfig" key: not a KubeletConfiguration, KubeletConfig or /configz body (line 1 column 1)`,
    },
    {
      what: 'a CR with broken indentation',
      file: OCP_CR,
      corrupt: (t) => t.replace('    cpuManagerPolicyOptions:\n', '   cpuManagerPolicyOptions:\n'),
      message: `${OCP_CR}: invalid YAML at line 131 column 1: `,
    },
    {
      what: 'a CR of another kind',
      file: OCP_CR,
      corrupt: (t) => t.replace('kind: KubeletConfig\n', 'kind: Pod\n'),
      message: `${OCP_CR} kind: kind "Pod" is not a KubeletConfiguration, KubeletConfig or /configz body (line 2)`,
    },
    {
      what: 'a CR of another API group',
      file: OCP_CR,
      corrupt: (t) => t.replace('apiVersion: machineconfiguration.openshift.io/v1\n', 'apiVersion: v1\n'),
      message: `${OCP_CR} apiVersion: apiVersion "v1" is not "machineconfiguration.openshift.io/v1" (line 1)`,
    },
    {
      what: 'a CR without spec.kubeletConfig',
      file: OCP_CR,
      corrupt: (t) => t.replace('  kubeletConfig:\n', '  kubeletConfiguration:\n'),
      message: `${OCP_CR} spec.kubeletConfig: required (line 119)`,
    },
    {
      what: 'a CR embedding another kind',
      file: OCP_CR,
      corrupt: (t) => t.replace('    kind: KubeletConfiguration\n', '    kind: CredentialProviderConfig\n'),
      message: `${OCP_CR} spec.kubeletConfig.kind: kind "CredentialProviderConfig" is not "KubeletConfiguration" (line 140)`,
    },
    {
      what: 'two YAML documents',
      file: OCP_CR,
      corrupt: (t) => `${t}---\n${t}`,
      message: `${OCP_CR}: expected one kubelet configuration document, found 2`,
    },
    {
      what: 'an empty file',
      file: OCP_CR,
      corrupt: () => '\n# nothing\n',
      message: `${OCP_CR}: no kubelet configuration document found`,
    },
    {
      what: 'a YAML list',
      file: OCP_CR,
      corrupt: () => '- a\n- b\n',
      message: `${OCP_CR}: expected a KubeletConfiguration, KubeletConfig or /configz body, got a list (line 1)`,
    },
  ];

  it.each(cases)('$what', (c) => {
    const e = thrown(() => readKubeletConfigDocument(c.corrupt(text(c.file)), c.file));
    expect(e.message.slice(0, c.message.length)).toBe(c.message);
    expect(e.message).not.toContain('\n');
  });

  it('the corrupted lines and columns point at the corruption', () => {
    const t = text(KUBEADM);
    expect(lines(t)[53]).toBe('    "cpuManagerPolicy": "none",');
    expect(lines(text(OCP_FILE))[1]).toBe('  "kind": "KubeletConfiguration",');
    expect(lines(text(OCP_CR))[139]).toBe('    kind: KubeletConfiguration');
    expect(lines(text(OCP_CR))[117]).toBe('spec:');
    expect(lines(text(OCP_CR))[118]).toBe('  kubeletConfig:');
    expect(lines(text(EKS))[69]).toBe('    "hairpinMode": "hairpin-veth",');
  });
});
