import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import {
  Box as BoxIcon,
  Cable,
  Cpu,
  Network,
  Server,
  Split,
  Waypoints,
  type LucideIcon,
} from 'lucide-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceKind } from '../../protocol/messages';
import { usePrefs } from '../../store';
import type { Box } from './layout';

export type BoxNode = Node<{ box: Box }, 'host' | 'ns' | 'device' | 'segment'>;

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

export const HostNode = memo(function HostNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const host = data.box.host!;
  return (
    <div className="pw-box pw-host" data-testid={`host-${host.name}`}>
      <div className="pw-host-title">
        <Server size={18} aria-hidden />
        <strong>{host.name}</strong>
        <span className="pw-muted">{host.ip}</span>
        {host.podCIDR && (
          <span className="pw-chip" title={t('topology.podCIDR')}>
            {host.podCIDR}
          </span>
        )}
        <span className="pw-kind">
          {host.kind === 'node' ? t('topology.node') : t('topology.outside')}
        </span>
      </div>
    </div>
  );
});

export const NamespaceNode = memo(function NamespaceNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const ns = data.box.ns!;
  const title = ns.pod ? ns.pod.name : ns.id;
  return (
    <div className="pw-box pw-ns" data-testid={`ns-${ns.id}`} title={ns.id}>
      <Anchors />
      <div className="pw-ns-title">
        <BoxIcon size={15} aria-hidden />
        <span className="pw-ns-name">{title}</span>
      </div>
      <div className="pw-muted pw-small">
        {ns.pod ? `${t('topology.pod')} · ${ns.pod.namespace}` : t('topology.netns')}
      </div>
    </div>
  );
});

export const DeviceNode = memo(function DeviceNode({ data }: NodeProps<BoxNode>) {
  const d = data.box.device!;
  const showMacs = usePrefs((s) => s.showMacs);
  const Icon = DEVICE_ICON[d.kind];
  const small = d.kind === 'loopback' && data.box.w < 80;
  return (
    <div
      className={`pw-box pw-dev pw-dev-${d.kind}${small ? ' pw-dev-small' : ''}`}
      data-testid={`dev-${d.id}`}
      title={[d.name, d.kind, ...d.addrs, d.mac ?? ''].filter(Boolean).join(' · ')}
    >
      <Anchors />
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
    </div>
  );
});

export const SegmentNode = memo(function SegmentNode({ data }: NodeProps<BoxNode>) {
  const { t } = useTranslation();
  const seg = data.box.segment!;
  return (
    <div className="pw-box pw-segment" data-testid={`segment-${seg.name}`}>
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
