import type { Diagnostic } from '../diagnostics';
import { cidrContains, cidrOverlaps, parseCidr4 } from '../wire/ip';
import type { NetworkModel } from './model';
import type { KubeObject } from './objects';

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
  let underlayGateway: string | undefined;
  let clients: { name: string; ip: string }[] = [];
  const underlay = objects.find((o) => o.kind === 'Underlay');
  if (underlay && underlay.kind === 'Underlay') {
    const first = underlay.segments[0];
    if (first) underlayCIDR = first.cidr;
    underlayGateway = first?.gateway;
    clients = underlay.clients.flatMap((c) => {
      if (c.segment === first?.name) return [{ name: c.name, ip: c.ip }];
      diagnostics.push({
        ...underlay.meta.source,
        severity: 'warning',
        code: 'PW2040',
        message: `underlay ${underlay.meta.name}: client ${c.name} is on segment ${c.segment}; only the nodes' segment ${first?.name ?? '?'} is modelled, so it is left out`,
      });
      return [];
    });
    if (underlay.segments.length > 1 || underlay.routers.length > 0)
      diagnostics.push({
        ...underlay.meta.source,
        severity: 'warning',
        code: 'PW2001',
        message: `underlay ${underlay.meta.name}: several segments and routers are not modelled yet; every node sits on segment ${first?.name ?? '?'}`,
      });
  }
  const clusterCIDR = CLUSTER_DEFAULTS.clusterCIDR;
  const svc = parseCidr4(serviceCIDR)!;
  const pods = parseCidr4(clusterCIDR)!;
  if (cidrOverlaps(svc, pods) || cidrContains(svc, parseCidr4(underlayCIDR)!.addr)) {
    const at = serviceCidrs[0]?.meta.source ?? underlay?.meta.source;
    if (at)
      diagnostics.push({
        ...at,
        severity: 'error',
        code: 'PW2009',
        message: `service CIDR ${serviceCIDR} overlaps the pod network ${clusterCIDR} or the node network ${underlayCIDR}`,
      });
  }
  return {
    clusterCIDR,
    serviceCIDR,
    cni: 'bridge',
    bridgeName: CLUSTER_DEFAULTS.bridgeName,
    brNetfilter: true,
    underlayCIDR,
    ...(underlayGateway ? { underlayGateway } : {}),
    ...(clients.length ? { clients } : {}),
  };
}
