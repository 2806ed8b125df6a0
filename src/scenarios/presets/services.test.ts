import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dump, formatDiagnostic, kubeProxyRules, trace } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

const here = path.dirname(fileURLToPath(import.meta.url));

const golden = (name: string, text: string) => expectGolden(here, name, text);

const SERVICE_PRESETS = PRESETS.filter((p) =>
  [
    'nginx-deploy-clusterip',
    'redis-session-affinity',
    'webapp1-nodeport',
    'hello-world-nodeport',
    'elasticsearch-manual-endpoints',
    'nginx-headless',
  ].includes(p.id),
);

describe.each(SERVICE_PRESETS.map((p) => [p.id, p] as const))('preset %s', (id, preset) => {
  const sim = simulate(preset.files);

  it('simulates without errors; its diagnostics are the expected ones', () => {
    expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    golden(`${id}.diagnostics.txt`, sim.diagnostics.map(formatDiagnostic).join('\n') + '\n');
  });

  it("every node's kube-proxy ruleset matches its reviewed snapshot", () => {
    const text = sim
      .model!.nodes.map((n) => `# node ${n.name}\n${kubeProxyRules(sim.model!, n.name)!}`)
      .join('');
    golden(`${id}.rules`, text);
  });

  it('dump --what iptables-save shows the kube-proxy rules of the node', () => {
    const out = dump(sim.world!, sim.model!.nodes[0]!.name, 'iptables-save');
    expect('text' in out && out.text).toContain(
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    );
  });

  it('the default flow traces', () => {
    const flow = preset.defaultFlow.kind === 'flow' ? preset.defaultFlow.flow : sim.flows[0]!.flow;
    const t = trace(sim.world!, flow, 1);
    expect(t.events.length).toBeGreaterThan(0);
  });
});

describe('service diagnostics through the whole pipeline', () => {
  const base = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      nodePort: 40000
`;
  it('a nodePort outside 30000-32767 is the apiserver error, on the nodePort line', () => {
    const sim = simulate([{ name: 'svc.yaml', text: base }]);
    expect(sim.diagnostics.map(formatDiagnostic)).toContain(
      'svc.yaml:11:17: error: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767 [PW2012]',
    );
  });

  it('a nodePort taken by another Service is "already allocated"', () => {
    const two = `${base.replace('40000', '30080')}---\n${base.replace('name: web', 'name: web2').replace('40000', '30080')}`;
    const sim = simulate([{ name: 'svc.yaml', text: two }]);
    expect(sim.diagnostics.map(formatDiagnostic)).toContain(
      'svc.yaml:23:17: error: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated [PW2013]',
    );
  });

  it('a fixed clusterIP outside the service CIDR is rejected where it is written', () => {
    const text = base
      .replace('  type: NodePort\n', '  clusterIP: 10.0.0.5\n')
      .replace('      nodePort: 40000\n', '');
    const sim = simulate([{ name: 'svc.yaml', text }]);
    expect(sim.diagnostics.map(formatDiagnostic)).toContain(
      'svc.yaml:6:14: error: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12 [PW2010]',
    );
  });

  it('a named service port and differently named Endpoints port: a warning saying so', () => {
    const preset = PRESETS.find((p) => p.id === 'elasticsearch-manual-endpoints')!;
    const text = preset.files[0]!.text.replace(
      '    - port: 9200\n      protocol: TCP',
      '    - name: http\n      port: 9200\n      protocol: TCP',
    );
    const sim = simulate([{ name: 'es.yaml', text }]);
    const msgs = sim.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(msgs).toContain(
      'PW2019 service default/elasticsearch port "http": no endpoint port is named "http" (TCP); the endpoints offer an unnamed port, so kube-proxy gives this port no endpoints',
    );
    const rules = kubeProxyRules(sim.model!, sim.model!.nodes[0]!.name)!;
    expect(rules).toContain('"default/elasticsearch:http has no endpoints"');
  });

  it('a kube-proxy ConfigMap sets clusterCIDR and the masquerade bit; errors point into config.conf', () => {
    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    clusterCIDR: 10.32.0.0/12
    iptables:
      masqueradeBit: 15
    mode: iptables
---
${base.replace('      nodePort: 40000\n', '      nodePort: 30080\n')}`;
    const sim = simulate([{ name: 'kp.yaml', text: cm }]);
    const rules = kubeProxyRules(sim.model!, sim.model!.nodes[0]!.name)!;
    expect(rules).toContain('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000');
    const bad = simulate([{ name: 'kp.yaml', text: cm.replace('mode: iptables', 'mode: fast') }]);
    expect(bad.diagnostics.map(formatDiagnostic)).toContain(
      'kp.yaml:13:11: error: KubeProxyConfiguration.mode: Unsupported value: "fast": supported values: "iptables", "ipvs", "nftables" [PW1013]',
    );
  });
});

describe('kube-proxy in IPVS mode', () => {
  const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    kind: KubeProxyConfiguration
    mode: ipvs
    ipvs:
      scheduler: rr
`;
  const presets = ['webapp1-nodeport', 'redis-session-affinity'];
  it.each(presets)('%s: kube-ipvs0, ipsets, virtual servers and iptables rules', (id) => {
    const preset = PRESETS.find((p) => p.id === id)!;
    const sim = simulate([...preset.files, { name: 'kube-proxy.yaml', text: cm }]);
    expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(sim.diagnostics.map((d) => d.code)).not.toContain('PW2020');
    const node = sim.model!.nodes[0]!.name;
    const text = (what: 'ipvsadm' | 'ipset' | 'iptables-save' | 'addrs') => {
      const out = dump(sim.world!, node, what);
      return 'text' in out ? out.text : out.error;
    };
    golden(
      `${id}.ipvs.txt`,
      [
        '# ip -br addr',
        text('addrs'),
        '# ipvsadm -Ln',
        text('ipvsadm'),
        '# ipset list',
        text('ipset'),
        '# iptables-save',
        kubeProxyRules(sim.model!, node)!,
      ].join('\n'),
    );
    expect(text('addrs')).toMatch(/^kube-ipvs0\s+DOWN\s+10\.\d+\.\d+\.\d+\/32/m);
  });
});
