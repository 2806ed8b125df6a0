import type { Diagnostic } from '../diagnostics';
import { cidr4, cidrContains, formatIp4, ip4, nthAddress } from '../wire/ip';
import type {
  CloudLoadBalancerModel,
  EndpointSliceModel,
  NetworkModel,
  NodeModel,
  ServiceModel,
} from './model';
import type { KubeObject } from './objects';
import { EXCLUDE_FROM_LB } from './metallb';

/**
 * A cloud load balancer in front of the NodePorts (seed 003; docs/LOAD-BALANCERS.md): the
 * Underlay declares it, and — as a cloud provider's controller would — it owns every
 * LoadBalancer Service's external address: the one in `status.loadBalancer.ingress`, else
 * `spec.loadBalancerIP`, else the first free address of its `pool`. It spreads each Service
 * port over the nodes' NodePort: every node for externalTrafficPolicy Cluster, only the nodes
 * that pass its health check (a ready local endpoint) for Local.
 */

type Underlay = NonNullable<NonNullable<NetworkModel['underlay']>['loadBalancers']>[number];

/** Pool addresses in order, without the network and broadcast addresses (a /31 or /32: all). */
function* poolAddresses(pool: string): Generator<string> {
  const c = cidr4(pool);
  const size = 2 ** (32 - c.len);
  const edge = c.len < 31 ? 1 : 0;
  for (let i = edge; i < size - edge; i++) yield formatIp4(nthAddress(c, i));
}

const key = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

/**
 * The cloud controller's work: addresses for the LoadBalancer Services, and for each of their
 * ports with a NodePort the targets the balancer spreads over. The first balancer the Underlay
 * lists owns every Service (one balancer per cluster, as a cloud's controller runs one).
 */
export function cloudLoadBalancing(
  objects: readonly KubeObject[],
  lbs: readonly Underlay[],
  services: readonly ServiceModel[],
  nodes: readonly NodeModel[],
  slices: readonly EndpointSliceModel[],
  diagnostics: Diagnostic[],
): { services: ServiceModel[]; balancers: CloudLoadBalancerModel[] } {
  const lb = lbs[0]!;
  const at = lb.source ?? { file: '', line: 1, col: 1 };
  const metallb = objects.find((o) => o.kind === 'IPAddressPool');
  if (metallb)
    diagnostics.push({
      ...metallb.meta.source,
      severity: 'warning',
      code: 'PW2047',
      message: `the Underlay's load balancer "${lb.name}" owns the LoadBalancer Services' addresses; MetalLB's IPAddressPool "${metallb.meta.name}" is not used`,
    });
  const taken = new Set<string>([lb.ip]);
  for (const s of services) for (const ip of s.loadBalancerIPs) taken.add(ip);
  const objOf = new Map<string, { loadBalancerIP?: string }>();
  for (const o of objects) if (o.kind === 'Service') objOf.set(key(o.meta), o);
  const free = lb.pool ? poolAddresses(lb.pool) : undefined;
  const next = () => {
    for (;;) {
      const n = free?.next();
      if (!n || n.done) return undefined;
      if (!taken.has(n.value)) return n.value;
    }
  };
  const out = services.map((s) => {
    if (s.type !== 'LoadBalancer' || s.loadBalancerIPs.length > 0) return s;
    const ip = objOf.get(key(s))?.loadBalancerIP ?? next();
    if (ip === undefined) {
      diagnostics.push({
        ...(s.source ?? at),
        severity: 'warning',
        code: 'PW2048',
        message: lb.pool
          ? `load balancer "${lb.name}" has no free address left in its pool ${lb.pool} for ${key(s)}: the Service's EXTERNAL-IP stays <pending>`
          : `load balancer "${lb.name}" has no pool to take an address from for ${key(s)} (give it spec.loadBalancers[].pool, or the Service a status.loadBalancer.ingress): the Service's EXTERNAL-IP stays <pending>`,
      });
      return s;
    }
    taken.add(ip);
    return { ...s, loadBalancerIPs: [ip] };
  });
  const eligible = nodes.filter((n) => n.labels[EXCLUDE_FROM_LB] === undefined);
  const listeners = out.flatMap((s) => {
    if (s.type !== 'LoadBalancer') return [];
    const local = new Set(
      slices
        .filter((x) => x.namespace === s.namespace && x.service === s.name)
        .flatMap((x) => x.endpoints.filter((e) => e.ready && e.nodeName).map((e) => e.nodeName!)),
    );
    const targets = eligible
      .filter((n) => s.externalTrafficPolicy !== 'Local' || local.has(n.name))
      .map((n) => ({ node: n.name, ip: n.internalIP }));
    return s.loadBalancerIPs.flatMap((vip) =>
      s.ports.flatMap((p) =>
        p.nodePort === undefined || p.protocol === 'SCTP'
          ? []
          : [
              {
                service: key(s),
                vip,
                protocol: p.protocol,
                port: p.port,
                nodePort: p.nodePort,
                targets,
                ...(s.healthCheckNodePort !== undefined
                  ? { healthCheckNodePort: s.healthCheckNodePort }
                  : {}),
              },
            ],
      ),
    );
  });
  return {
    services: out,
    balancers: [
      { name: lb.name, segment: lb.segment, ip: lb.ip, listeners },
      ...lbs.slice(1).map((l) => ({ name: l.name, segment: l.segment, ip: l.ip, listeners: [] })),
    ],
  };
}

/** Whether `ip` is on the balancer's own segment (then it answers ARP for it itself). */
export function onSegment(segmentCidr: string, ip: string): boolean {
  return cidrContains(cidr4(segmentCidr), ip4(ip));
}
