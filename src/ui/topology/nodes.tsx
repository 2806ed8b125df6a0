import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import {
  Box as BoxIcon,
  Cable,
  Cpu,
  Laptop,
  Network,
  Scale,
  Server,
  Split,
  Waypoints,
  type LucideIcon,
} from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind, NodeView } from '../../protocol/messages';
import { useInspector, usePrefs } from '../../store';
import type { Box } from './layout';
import { announcedBy } from './layout-host';

export type BoxNode = Node<
  {
    box: Box;
    /** A namespace's own devices (eth0, lo), drawn inside it rather than as nodes of their own. */
    inner?: Box[];
  },
  'host' | 'ns' | 'device' | 'segment'
>;

/** The handle ids of a device drawn inside its namespace node. */
export const innerHandle = (deviceId: string, end: 'in' | 'out' | 'l' | 'r') =>
  `${deviceId}|${end}`;

const DEVICE_ICON: Record<DeviceKind, LucideIcon> = {
  loopback: Waypoints,
  veth: Cable,
  bridge: Split,
  vxlan: Network,
  ipip: Network,
  tun: Cpu,
  dummy: Waypoints,
  phys: Network,
};

/** Invisible anchors for edges: links always run top (source) to bottom (target). */
function Anchors() {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} className="pw-handle" />
      <Handle
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        className="pw-handle"
      />
      {/* Tunnels run sideways between VTEPs on the same row. */}
      <Handle
        id="r"
        type="source"
        position={Position.Right}
        isConnectable={false}
        className="pw-handle"
      />
      <Handle
        id="l"
        type="target"
        position={Position.Left}
        isConnectable={false}
        className="pw-handle"
      />
    </>
  );
}

const HOST_ICON: Record<NodeView['kind'], LucideIcon> = {
  node: Server,
  outside: Laptop,
  loadbalancer: Scale,
};

function hostKindLabel(host: NodeView, t: (k: string) => string): string {
  if (host.lab) return t('topology.machine');
  if (host.kind === 'loadbalancer') return t('topology.loadBalancer');
  return host.kind === 'node' ? t('topology.node') : t('topology.outside');
}

export const HostNode = memo(function HostNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const host = data.box.host!;
  const Icon = host.lab ? Server : HOST_ICON[host.kind];
  const announced = announcedBy(host).join(', ');
  return (
    <div
      className={`pw-box pw-host pw-host-${host.kind}`}
      data-testid={`host-${host.name}`}
      data-hl={data.box.id}
    >
      {data.inner?.map((b) => (
        <InnerDevice key={b.id} box={b} ns={data.box} />
      ))}
      <div className="pw-host-title">
        <Icon size={18} aria-hidden />
        <strong>{host.name}</strong>
        <span className="pw-muted">{host.ip}</span>
        {host.podCIDR && (
          <span className="pw-chip" title={t('topology.podCIDR')}>
            {host.podCIDR}
          </span>
        )}
        <span className="pw-kind">{hostKindLabel(host, t)}</span>
      </div>
      {announced && (
        <ul className="pw-balances" data-testid={`announces-${host.name}`}>
          <li title={t('topology.announcesTitle', { ip: announced })}>
            {t('topology.announces', { ip: announced })}
          </li>
        </ul>
      )}
      {host.balances && (
        <ul className="pw-balances" data-testid={`balances-${host.name}`}>
          {host.balances.map((b) => (
            <li key={`${b.vip}:${b.port}/${b.protocol}`}>
              {t(b.targets.length ? 'topology.balances' : 'topology.balancesNone', {
                vip: b.vip,
                port: b.port,
                service: b.service,
                nodePort: b.nodePort,
                targets: b.targets.join(', '),
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});

export const NamespaceNode = memo(function NamespaceNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const ns = data.box.ns!;
  const title = ns.pod ? ns.pod.name : ns.id;
  return (
    <div
      className={`pw-box pw-ns${data.box.flipped ? ' pw-ns-flipped' : ''}`}
      data-testid={`ns-${ns.id}`}
      data-hl={ns.id}
      title={ns.id}
    >
      <Anchors />
      <div className="pw-ns-title">
        <BoxIcon size={15} aria-hidden />
        <span className="pw-ns-name">{title}</span>
      </div>
      <div className="pw-muted pw-small">
        {ns.pod ? `${t('topology.pod')} · ${ns.pod.namespace}` : t('topology.netns')}
      </div>
      {data.inner?.map((b) => (
        <InnerDevice key={b.id} box={b} ns={data.box} />
      ))}
    </div>
  );
});

/** What a device box shows: icon, name, first address, and the MAC when asked for. */
function DeviceBody({ box }: { box: Box }) {
  const d = box.device!;
  const showMacs = usePrefs((s) => s.showMacs);
  const Icon = DEVICE_ICON[d.kind];
  const small = d.kind === 'loopback' && box.w < 80;
  return (
    <>
      {!small && <Icon size={16} aria-hidden className="pw-dev-icon" />}
      <div className="pw-dev-text">
        <span className="pw-dev-name">{d.name}</span>
        {!small && <span className="pw-dev-addr">{d.addrs[0] ?? d.kind}</span>}
        {!small && showMacs && d.mac && (
          <span className="pw-dev-addr" data-testid="dev-mac">
            {d.mac}
          </span>
        )}
      </div>
    </>
  );
}

function deviceClass(box: Box): string {
  const d = box.device!;
  const small = d.kind === 'loopback' && box.w < 80;
  return `pw-box pw-dev pw-dev-${d.kind}${small ? ' pw-dev-small' : ''}`;
}

function deviceTitle(box: Box): string {
  const d = box.device!;
  return [d.name, d.kind, ...d.addrs, d.mac ?? ''].filter(Boolean).join(' · ');
}

export const DeviceNode = memo(function DeviceNode({ data }: NodeProps<BoxNode>) {
  const d = data.box.device!;
  return (
    <div
      className={deviceClass(data.box)}
      data-testid={`dev-${d.id}`}
      data-hl={d.id}
      title={deviceTitle(data.box)}
    >
      <Anchors />
      <DeviceBody box={data.box} />
    </div>
  );
});

/**
 * A device inside its namespace's node (a pod's eth0 and lo): the same box, positioned
 * within the namespace, with its own edge handles. Fewer React Flow nodes keep large
 * clusters cheap to lay out and paint.
 */
function InnerDevice({ box, ns }: { box: Box; ns: Box }) {
  const d = box.device!;
  const x = box.x - ns.x;
  const y = box.y - ns.y;
  return (
    <>
      <div
        className={`${deviceClass(box)} pw-inner-dev`}
        style={{ left: x, top: y, width: box.w, height: box.h }}
        data-testid={`dev-${d.id}`}
        data-hl={d.id}
        title={deviceTitle(box)}
        onClick={(e) => {
          e.stopPropagation();
          useInspector.getState().select(d.id);
        }}
      >
        <DeviceBody box={box} />
      </div>
      <Handle
        id={innerHandle(d.id, 'in')}
        type="target"
        position={Position.Top}
        isConnectable={false}
        className="pw-handle"
        style={{ left: x + box.w / 2, top: y }}
      />
      <Handle
        id={innerHandle(d.id, 'out')}
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        className="pw-handle"
        style={{ left: x + box.w / 2, top: y + box.h }}
      />
      {/* Tunnels run sideways between VTEPs. */}
      <Handle
        id={innerHandle(d.id, 'r')}
        type="source"
        position={Position.Right}
        isConnectable={false}
        className="pw-handle"
        style={{ left: x + box.w, top: y + box.h / 2 }}
      />
      <Handle
        id={innerHandle(d.id, 'l')}
        type="target"
        position={Position.Left}
        isConnectable={false}
        className="pw-handle"
        style={{ left: x, top: y + box.h / 2 }}
      />
    </>
  );
}

export const SegmentNode = memo(function SegmentNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const seg = data.box.segment!;
  return (
    <div className="pw-box pw-segment" data-testid={`segment-${seg.name}`} data-hl={data.box.id}>
      <Anchors />
      <Network size={16} aria-hidden />
      <strong>{t('topology.segment', { name: seg.name })}</strong>
      {seg.cidr && <span className="pw-muted">{seg.cidr}</span>}
    </div>
  );
});

export const nodeTypes = {
  host: HostNode,
  ns: NamespaceNode,
  device: DeviceNode,
  segment: SegmentNode,
};
