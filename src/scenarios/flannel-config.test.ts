import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../engine';
import { simulate } from './simulate';

const configMap = (netConf: string, ns = 'kube-flannel') => `kind: ConfigMap
apiVersion: v1
metadata:
  name: kube-flannel-cfg
  namespace: ${ns}
data:
  net-conf.json: |
${netConf
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
spec:
  podCIDR: 10.244.0.0/24
`;

const run = (text: string) => simulate([{ name: 'f.yaml', text }]);
const messages = (text: string) => run(text).diagnostics.map(formatDiagnostic);

describe('kube-flannel-cfg net-conf.json', () => {
  it('selects the backend and the network; options come with it', () => {
    const s = run(
      configMap(`{
  "Network": "10.42.0.0/16",
  "Backend": { "Type": "VXLAN", "VNI": 4096, "Port": 4789, "DirectRouting": true }
}`).replace('10.244.0.0/24', '10.42.0.0/24'),
    );
    expect(s.diagnostics).toEqual([]);
    expect(s.model!.network).toMatchObject({
      cni: 'flannel',
      clusterCIDR: '10.42.0.0/16',
      flannel: { backend: 'vxlan', vni: 4096, port: 4789, directRouting: true },
    });
  });

  it('defaults: vxlan on VNI 1 and port 8472; udp on port 8285; kube-system works too', () => {
    expect(run(configMap('{ "Network": "10.244.0.0/16" }')).model!.network.flannel).toMatchObject({
      backend: 'vxlan',
      vni: 1,
      port: 8472,
    });
    const udp = run(
      configMap('{ "Network": "10.244.0.0/16", "Backend": { "Type": "udp" } }', 'kube-system'),
    );
    expect(udp.model!.network.flannel).toMatchObject({ backend: 'udp', port: 8285 });
  });

  it('an unknown Backend.Type is an error on its own line', () => {
    expect(
      messages(
        configMap(`{
  "Network": "10.244.0.0/16",
  "Backend": {
    "Type": "wireguard"
  }
}`),
      ),
    ).toEqual([
      'f.yaml:11:17: error: net-conf.json: Backend.Type "wireguard" is not a backend Packetwalk models: use "vxlan", "host-gw" or "udp" [PW1071]',
    ]);
  });

  it('broken JSON and a bad Network point into the embedded text', () => {
    expect(messages(configMap('{ "Network": "10.244.0.0/33" }'))[0]).toMatch(
      /^f\.yaml:8:18: error: Network: Invalid value: "10\.244\.0\.0\/33".*\[PW1072\]$/,
    );
    expect(messages(configMap('{ "Network": "10.244.0.0/16", \n  "Backend": [ }'))[0]).toMatch(
      /^f\.yaml:9:\d+: error: net-conf\.json: .*\[PW1070\]$/,
    );
  });

  it('a comment, as seed 000 writes one, is a warning: flanneld itself would refuse the file', () => {
    const s = run(
      configMap(`{
  "Network": "10.244.0.0/16",
  "Backend": {
    "Type": "host-gw" // change to host-gw
  }
}`),
    );
    expect(s.diagnostics.map(formatDiagnostic)).toEqual([
      "f.yaml:11:27: warning: net-conf.json: JSON has no comments; flanneld would refuse this file (invalid character '/'), Packetwalk reads it without the comment [PW1073]",
    ]);
    expect(s.model!.network.flannel?.backend).toBe('host-gw');
  });

  it('a node podCIDR outside Network is reported on the node', () => {
    const s = run(configMap('{ "Network": "10.42.0.0/16" }'));
    expect(s.diagnostics.map((d) => [d.code, d.line])).toEqual([['PW2002', 11]]);
  });

  it('a ConfigMap of another name or namespace is not flannel’s', () => {
    const s = run(configMap('{ "Network": "10.42.0.0/16" }', 'default'));
    expect(s.model!.network.clusterCIDR).toBe('10.244.0.0/16');
  });
});

describe('choosing the CNI and its nodes', () => {
  it('an IPPool next to a flannel ConfigMap: Calico decides, with a warning on the ConfigMap', () => {
    const s = run(`${configMap('{ "Network": "10.244.0.0/16" }')}---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata: { name: p }
spec: { cidr: 10.244.0.0/16 }
`);
    expect(s.model!.network.cni).toBe('calico');
    expect(s.diagnostics.map((d) => [d.code, d.line])).toEqual([['PW2032', 1]]);
  });

  it('the nodes an Underlay places exist without Node objects, on their segments', () => {
    const s = run(`apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata: { name: u }
spec:
  segments:
    - { name: a, cidr: 10.0.1.0/24 }
    - { name: b, cidr: 10.0.2.0/24 }
  nodes:
    - { name: n1, segment: a }
    - { name: n2, segment: b }
`);
    expect(s.diagnostics).toEqual([]);
    expect(s.model!.nodes.map((n) => [n.name, n.internalIP, n.segment])).toEqual([
      ['n1', '10.0.1.11', 'a'],
      ['n2', '10.0.2.12', 'b'],
    ]);
  });
});
