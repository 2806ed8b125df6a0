import type { TraceSummary } from '../engine';
import type { Comparison, CompareSide } from '../scenarios';

/** English names of the data planes, as the CLI prints them. */
const NAMES: Record<string, string> = {
  'proxy:iptables': 'kube-proxy iptables',
  'proxy:ipvs': 'kube-proxy IPVS',
  'proxy:userspace': 'kube-proxy userspace',
  'cni:flannel-vxlan': 'flannel VXLAN',
  'cni:flannel-host-gw': 'flannel host-gw',
  'cni:flannel-udp': 'flannel UDP',
  'cni:calico-bgp': 'Calico BGP',
  'cni:calico-ipip': 'Calico IPIP',
  'cni:calico-vxlan': 'Calico VXLAN',
};

/** > on the way there, < on the way back (the reply). */
const arrow = (dir: string) => (dir === 'request' ? '>' : '<');

const ROWS: [string, (s: TraceSummary) => string[]][] = [
  ['outcome', (s) => [s.outcome]],
  ['steps', (s) => [String(s.steps)]],
  ['rules evaluated (matched)', (s) => [`${s.rulesEvaluated} (${s.rulesMatched})`]],
  ['chains walked', (s) => [String(s.chains)]],
  [
    'rewrites',
    (s) => s.nat.map((n) => `${arrow(n.dir)} ${n.ns} ${n.type} ${n.before} -> ${n.after}`),
  ],
  ['IPVS rewrites', (s) => [String(s.ipvs)]],
  [
    'encapsulations',
    (s) =>
      s.tunnels.map(
        (t) => `${arrow(t.dir)} ${t.ns}:${t.dev} ${t.tunnel.toUpperCase()} +${t.overhead} B`,
      ),
  ],
  ['bridge decisions', (s) => s.bridges.map((b) => `${arrow(b.dir)} ${b.bridge} ${b.action}`)],
  ['user-space relays', (s) => [String(s.relays)]],
  ['hosts', (s) => [s.hosts.join(' -> ')]],
  ['links crossed', (s) => s.hops.map((h) => `${arrow(h.dir)} ${h.from} -> ${h.to} (${h.link})`)],
];

function cells(side: CompareSide, row: (s: TraceSummary) => string[], first: boolean): string[] {
  if (!side.summary) return first ? [`no trace: ${side.error ?? ''}`] : [''];
  const v = row(side.summary);
  return v.length ? v : ['none'];
}

/** Two columns, one line per value: what the flow took on each data plane. */
export function formatComparison(c: Comparison): string {
  const head = [
    '',
    `${NAMES[c.a.variant] ?? c.a.variant} (as written)`,
    NAMES[c.b.variant] ?? c.b.variant,
  ];
  const lines: string[][] = [head];
  ROWS.forEach(([label, row], i) => {
    const a = cells(c.a, row, i === 0);
    const b = cells(c.b, row, i === 0);
    for (let k = 0; k < Math.max(a.length, b.length); k++)
      lines.push([k === 0 ? label : '', a[k] ?? '', b[k] ?? '']);
  });
  const w0 = Math.max(...lines.map((l) => l[0]!.length));
  const w1 = Math.max(...lines.map((l) => l[1]!.length));
  return lines.map((l) => `${l[0]!.padEnd(w0)}  ${l[1]!.padEnd(w1)}  ${l[2]}`.trimEnd()).join('\n');
}
