import type { Diagnostic } from '../diagnostics';
import { cidrContains, cidrOverlaps, parseCidr4 } from '../wire/ip';
import { formatIp4, nthAddress } from '../wire/ip';
import type { CalicoModel, FlannelModel, NetworkModel, UnderlayModel } from './model';
import type {
  BGPConfigurationObject,
  ConfigMapObject,
  IPPoolObject,
  KubeObject,
  UnderlayObject,
} from './objects';

/**
 * Defaults for everything a scenario leaves out, as a kubeadm cluster with flannel would have
 * them (documented in docs/DEFAULTS.md).
 */
export const CLUSTER_DEFAULTS = {
  nodeName: 'node-1',
  /** flannel's default Network and kubeadm's usual --pod-network-cidr. */
  clusterCIDR: '10.244.0.0/16',
  /** kubeadm's default --service-cidr. */
  serviceCIDR: '10.96.0.0/12',
  /** A host-only lab network (VirtualBox's default range); nodes get .11, .12, ... */
  underlayCIDR: '192.168.56.0/24',
  bridgeName: 'cni0',
} as const;

/** flannel's own defaults (kube-flannel.yml's net-conf.json, flanneld's backend defaults). */
export const FLANNEL_DEFAULTS = {
  backend: 'vxlan',
  /** VXLAN: VNI 1 and the kernel's default port 8472 (flanneld passes 0, the kernel picks 8472). */
  vni: 1,
  vxlanPort: 8472,
  /** UDP backend: flanneld's socket. */
  udpPort: 8285,
} as const;

function flannelFrom(objects: readonly KubeObject[]): FlannelModel {
  const cm = objects.find(
    (o): o is ConfigMapObject => o.kind === 'ConfigMap' && o.flannel !== undefined,
  );
  const conf = cm?.flannel;
  const backend = conf?.backendType ?? FLANNEL_DEFAULTS.backend;
  return {
    network: conf?.network ?? CLUSTER_DEFAULTS.clusterCIDR,
    backend,
    vni: conf?.vni ?? FLANNEL_DEFAULTS.vni,
    port: conf?.port ?? (backend === 'udp' ? FLANNEL_DEFAULTS.udpPort : FLANNEL_DEFAULTS.vxlanPort),
    directRouting: conf?.directRouting ?? false,
    ...(conf ? { source: conf.source } : {}),
  };
}

/** Calico is the CNI when the scenario has an enabled IPPool (the operator's default otherwise). */
function calicoFrom(objects: readonly KubeObject[]): CalicoModel | undefined {
  const pool = objects.find((o): o is IPPoolObject => o.kind === 'IPPool' && !o.disabled);
  if (!pool) return undefined;
  const bgp =
    objects.find(
      (o): o is BGPConfigurationObject =>
        o.kind === 'BGPConfiguration' && o.meta.name === 'default',
    ) ?? objects.find((o): o is BGPConfigurationObject => o.kind === 'BGPConfiguration');
  return {
    pool: {
      cidr: pool.cidr,
      ipipMode: pool.ipipMode,
      vxlanMode: pool.vxlanMode,
      natOutgoing: pool.natOutgoing,
      blockSize: pool.blockSize,
    },
    mesh: bgp?.nodeToNodeMeshEnabled ?? true,
    asNumber: bgp?.asNumber ?? 64512,
    peers: objects.flatMap((o) =>
      o.kind === 'BGPPeer'
        ? [
            {
              name: o.meta.name,
              nodeSelector: o.nodeSelector ?? 'all()',
              ...(o.peerSelector !== undefined ? { peerSelector: o.peerSelector } : {}),
              ...(o.peerIP !== undefined ? { peerIP: o.peerIP } : {}),
            },
          ]
        : [],
    ),
    source: pool.cidrSource ?? pool.meta.source,
  };
}

function underlayFrom(u: UnderlayObject): UnderlayModel {
  return {
    segments: u.segments.map((s) => ({
      name: s.name,
      cidr: s.cidr,
      gateway: s.gateway ?? formatIp4(nthAddress(parseCidr4(s.cidr)!, 1)),
    })),
    routers: u.routers,
    nodeSegments: u.nodeSegments,
    ...(u.loadBalancers.length ? { loadBalancers: u.loadBalancers } : {}),
  };
}

/** The cluster-wide network settings, from the objects that carry them or the defaults. */
export function networkFrom(
  objects: readonly KubeObject[],
  diagnostics: Diagnostic[],
): NetworkModel {
  let serviceCIDR: string = CLUSTER_DEFAULTS.serviceCIDR;
  const serviceCidrs = objects.flatMap((o) => (o.kind === 'ServiceCIDR' ? [o] : []));
  const firstCidr = serviceCidrs[0]?.cidrs.find((c) => parseCidr4(c));
  if (firstCidr) serviceCIDR = firstCidr;

  let underlayCIDR: string = CLUSTER_DEFAULTS.underlayCIDR;
  const underlay = objects.find((o): o is UnderlayObject => o.kind === 'Underlay');
  const first = underlay?.segments[0];
  if (first) underlayCIDR = first.cidr;
  const flannel = flannelFrom(objects);
  const calico = calicoFrom(objects);
  const clusterCIDR = calico?.pool.cidr ?? flannel.network;
  const flannelCm = objects.find((o) => o.kind === 'ConfigMap' && o.flannel !== undefined);
  if (calico && flannelCm)
    diagnostics.push({
      ...flannelCm.meta.source,
      severity: 'warning',
      code: 'PW2032',
      message: `both flannel (ConfigMap ${flannelCm.meta.name}) and Calico (an IPPool) are configured: Calico's IPPool decides the data plane, the flannel ConfigMap is ignored`,
    });
  const svc = parseCidr4(serviceCIDR)!;
  const pods = parseCidr4(clusterCIDR)!;
  if (cidrOverlaps(svc, pods) || cidrContains(svc, parseCidr4(underlayCIDR)!.addr)) {
    const at = calico?.source ?? serviceCidrs[0]?.meta.source ?? underlay?.meta.source;
    if (at)
      diagnostics.push({
        ...at,
        severity: 'error',
        code: 'PW2009',
        message: calico
          ? `IPPool ${clusterCIDR} overlaps the service CIDR ${serviceCIDR} (or the service CIDR holds the node network ${underlayCIDR})`
          : `service CIDR ${serviceCIDR} overlaps the pod network ${clusterCIDR} or the node network ${underlayCIDR}`,
      });
  }
  return {
    clusterCIDR,
    serviceCIDR,
    ...(calico ? { cni: 'calico' as const, calico } : { cni: 'flannel' as const, flannel }),
    bridgeName: CLUSTER_DEFAULTS.bridgeName,
    brNetfilter: true,
    underlayCIDR,
    ...(underlay && first ? { underlay: underlayFrom(underlay) } : {}),
    ...(underlay && underlay.clients.length ? { clients: underlay.clients } : {}),
  };
}

/** The segment a node's eth0 is on: the one the Underlay names for it, else the first. */
export function segmentOf(
  net: NetworkModel,
  node: string,
): { name: string; cidr: string; gateway: string } {
  const u = net.underlay;
  const named = u?.segments.find((s) => s.name === u.nodeSegments[node]);
  const seg = named ?? u?.segments[0];
  if (seg) return seg;
  return {
    name: 'underlay',
    cidr: net.underlayCIDR,
    gateway: formatIp4(nthAddress(parseCidr4(net.underlayCIDR)!, 1)),
  };
}
