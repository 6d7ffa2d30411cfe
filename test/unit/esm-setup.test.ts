// Proves the jest ESM setup loads the ESM-only dependencies the plugin is built on.
import { KubeConfig } from '@kubernetes/client-node';
import yargs from 'yargs';

describe('jest ESM setup', () => {
  it('imports @kubernetes/client-node (ESM-only) and builds a KubeConfig', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
      currentContext: 'ctx',
    });
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('imports yargs 18 (ESM-only) and parses argv', async () => {
    const argv = await yargs(['--x', '3']).option('x', { type: 'number' }).parseAsync();
    expect(argv.x).toBe(3);
  });
});
