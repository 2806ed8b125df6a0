import { useTranslation } from 'react-i18next';
import type { DeviceView, NamespaceView, NodeView } from '../../protocol/messages';
import { selectTopology, useInspector, useScenario } from '../../store';

type Found =
  | { kind: 'host'; host: NodeView }
  | { kind: 'ns'; ns: NamespaceView }
  | { kind: 'device'; device: DeviceView; ns: NamespaceView }
  | { kind: 'segment'; name: string; cidr: string };

function find(topology: ReturnType<typeof selectTopology>, id: string): Found | null {
  if (!topology) return null;
  for (const host of topology.nodes) {
    if (`host:${host.name}` === id) return { kind: 'host', host };
    for (const ns of host.namespaces) {
      if (ns.id === id) return { kind: 'ns', ns };
      const device = ns.devices.find((d) => d.id === id);
      if (device) return { kind: 'device', device, ns };
    }
  }
  const seg = topology.segments.find((s) => s.id === id);
  return seg ? { kind: 'segment', name: seg.name, cidr: seg.cidr } : null;
}

/** What the clicked element is: its addresses, MAC, MTU, master, peer — and a way to its tables. */
export function ElementDetail() {
  const { t } = useTranslation();
  const topology = useScenario(selectTopology);
  const selected = useInspector((s) => s.selected);
  const showTables = useInspector((s) => s.showTables);
  const found = selected ? find(topology, selected) : null;
  if (!found) return <p className="pw-muted">{t('inspector.pickElement')}</p>;
  const rows: [string, string][] = [];
  let title = '';
  let tablesOf: string | null = null;
  switch (found.kind) {
    case 'host':
      title = found.host.name;
      rows.push([
        t('inspector.kind'),
        t(found.host.kind === 'node' ? 'topology.node' : 'topology.outside'),
      ]);
      rows.push(['IP', found.host.ip]);
      if (found.host.podCIDR) rows.push([t('topology.podCIDR'), found.host.podCIDR]);
      tablesOf = found.host.name;
      break;
    case 'ns':
      title = found.ns.pod ? found.ns.pod.name : found.ns.id;
      rows.push([t('inspector.kind'), found.ns.pod ? t('topology.pod') : t('topology.netns')]);
      rows.push([t('inspector.netns'), found.ns.id]);
      if (found.ns.pod) {
        rows.push(['IP', found.ns.pod.ip]);
        const labels = Object.entries(found.ns.pod.labels).map(([k, v]) => `${k}=${v}`);
        if (labels.length) rows.push([t('inspector.labels'), labels.join(', ')]);
      }
      tablesOf = found.ns.id;
      break;
    case 'device': {
      const d = found.device;
      title = d.name;
      rows.push([t('inspector.kind'), d.kind], [t('inspector.netns'), found.ns.id]);
      for (const a of d.addrs) rows.push([t('inspector.addr'), a]);
      if (d.mac) rows.push(['MAC', d.mac]);
      rows.push(['MTU', String(d.mtu)], [t('inspector.state'), d.up ? 'UP' : 'DOWN']);
      if (d.master) rows.push(['master', d.master]);
      if (d.peer) rows.push([t('inspector.peer'), d.peer]);
      tablesOf = found.ns.id;
      break;
    }
    case 'segment':
      title = found.name;
      rows.push(
        [t('inspector.kind'), t('topology.segment', { name: found.name })],
        ['CIDR', found.cidr],
      );
      break;
  }
  return (
    <div className="pw-event" data-testid="element-detail">
      <h3 className="pw-element-title">{title}</h3>
      <dl className="pw-kv">
        {rows.map(([k, v], i) => (
          <div key={`${k}${i}`}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {tablesOf && (
        <div className="pw-row pw-gap">
          {(['routes', 'iptables-save', 'neigh', 'addrs'] as const).map((w) => (
            <button
              key={w}
              className="pw-btn"
              onClick={() => showTables(tablesOf, w)}
              data-testid={`element-${w}`}
            >
              {t(`dump.${w}`)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
