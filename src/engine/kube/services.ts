import type { Diagnostic, SourcePos } from '../diagnostics';
import { cidr4, cidrContains, formatIp4, nthAddress, parseIp4, type Cidr4 } from '../wire/ip';
import type { ServiceModel, ServicePortModel } from './model';
import { fnv1a } from './names';
import type { KubeObject, ServiceObject } from './objects';

export const NODE_PORT_RANGE = { lo: 30000, hi: 32767 } as const;

function diag(at: SourcePos, severity: Diagnostic['severity'], code: string, message: string) {
  return { ...at, severity, code, message };
}

/**
 * The apiserver's allocators keep the bottom of each range for addresses and ports users pick
 * (ServiceIPStaticSubrange / ServiceNodePortStaticSubrange, on since v1.26 / v1.29) and hand out
 * the rest: size/16 clamped to 16..256 addresses, size/32 clamped to 16..128 ports.
 */
function staticBand(size: number, div: number, max: number): number {
  return Math.min(Math.max(16, Math.floor(size / div)), max);
}

/**
 * Picks a free value in [lo, hi] the way a random allocator would, but from a hash of the
 * service's name so the same cluster always gets the same numbers; linear probing on a clash.
 */
function pick(key: string, lo: number, hi: number, taken: Set<number>): number | undefined {
  const size = hi - lo + 1;
  if (size <= 0) return undefined;
  const start = fnv1a(key) % size;
  for (let i = 0; i < size; i++) {
    const v = lo + ((start + i) % size);
    if (!taken.has(v)) return v;
  }
  return undefined;
}

function ipsQuoted(ip: string): string {
  return `[]string{"${ip}"}`;
}

/**
 * What the apiserver stores for each Service: ClusterIPs checked against the service CIDR and
 * allocated when absent, NodePorts checked against 30000-32767 and allocated, in the order the
 * objects were given (fixed values first, as an apiserver that already holds them would).
 * The first address of the range is reserved for the `kubernetes` Service.
 */
export function allocateServices(
  objects: readonly KubeObject[],
  serviceCIDR: string,
  diagnostics: Diagnostic[],
): ServiceModel[] {
  const range: Cidr4 = cidr4(serviceCIDR);
  const size = 2 ** (32 - range.len);
  const ipsTaken = new Set<number>([0, 1, size - 1]);
  const portsTaken = new Set<number>();
  const services = objects.filter((o): o is ServiceObject => o.kind === 'Service');
  const ipOf = new Map<ServiceObject, string | null>();
  const accepted = new Set<object>();

  // Fixed ClusterIPs and nodePorts first: the user's choice wins over any allocation.
  for (const s of services) {
    const at = s.clusterIPSource ?? s.meta.source;
    if (s.type === 'ExternalName' || s.clusterIP === 'None') {
      ipOf.set(s, null);
      continue;
    }
    if (s.clusterIP === undefined) continue;
    const ip = parseIp4(s.clusterIP)!;
    const offset = (ip - range.addr) >>> 0;
    if (!cidrContains(range, ip)) {
      diagnostics.push(
        diag(
          at,
          'error',
          'PW2010',
          `spec.clusterIPs: Invalid value: ${ipsQuoted(s.clusterIP)}: failed to allocate IP ${s.clusterIP}: provided IP is not in the valid range. The range of valid IPs is ${serviceCIDR}`,
        ),
      );
      ipOf.set(s, null);
    } else if (ipsTaken.has(offset) && offset !== 1) {
      diagnostics.push(
        diag(
          at,
          'error',
          'PW2011',
          `spec.clusterIPs: Invalid value: ${ipsQuoted(s.clusterIP)}: failed to allocate IP ${s.clusterIP}: provided IP is already allocated`,
        ),
      );
      ipOf.set(s, null);
    } else {
      ipsTaken.add(offset);
      ipOf.set(s, s.clusterIP);
    }
  }
  for (const s of services) {
    if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') continue;
    s.ports.forEach((p, i) => {
      if (p.nodePort === undefined) return;
      const at = p.nodePortSource ?? p.source;
      if (p.nodePort < NODE_PORT_RANGE.lo || p.nodePort > NODE_PORT_RANGE.hi)
        diagnostics.push(
          diag(
            at,
            'error',
            'PW2012',
            `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.lo}-${NODE_PORT_RANGE.hi}`,
          ),
        );
      else if (portsTaken.has(p.nodePort))
        diagnostics.push(
          diag(
            at,
            'error',
            'PW2013',
            `spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated`,
          ),
        );
      else {
        portsTaken.add(p.nodePort);
        accepted.add(p);
      }
    });
  }

  const ipBand = staticBand(size, 16, 256);
  const portSize = NODE_PORT_RANGE.hi - NODE_PORT_RANGE.lo + 1;
  const portBand = staticBand(portSize, 32, 128);
  const allocPort = (key: string): number | undefined => {
    const lo = NODE_PORT_RANGE.lo;
    const got =
      pick(key, lo + portBand, NODE_PORT_RANGE.hi, portsTaken) ??
      pick(key, lo, lo + portBand - 1, portsTaken);
    if (got !== undefined) portsTaken.add(got);
    return got;
  };
  return services.map((s) => {
    const key = `${s.meta.namespace}/${s.meta.name}`;
    let clusterIP = ipOf.get(s);
    if (clusterIP === undefined) {
      const off = pick(key, ipBand, size - 2, ipsTaken) ?? pick(key, 2, ipBand - 1, ipsTaken);
      if (off === undefined) {
        diagnostics.push(
          diag(
            s.meta.source,
            'error',
            'PW2014',
            `failed to allocate a serviceIP: range is full (${serviceCIDR})`,
          ),
        );
        clusterIP = null;
      } else {
        ipsTaken.add(off);
        clusterIP = formatIp4(nthAddress(range, off));
      }
    }
    const external = s.type === 'NodePort' || s.type === 'LoadBalancer';
    const ports: ServicePortModel[] = s.ports.map((p) => {
      const out: ServicePortModel = {
        protocol: p.protocol,
        port: p.port,
        targetPort: p.targetPort,
        ...(p.name !== undefined ? { name: p.name } : {}),
      };
      if (!external) return out;
      if (p.nodePort !== undefined && accepted.has(p)) {
        out.nodePort = p.nodePort;
        return out;
      }
      const got = allocPort(`${key}:${p.name ?? p.port}`);
      if (got !== undefined) out.nodePort = got;
      return out;
    });
    let healthCheckNodePort = s.healthCheckNodePort;
    if (s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local')
      healthCheckNodePort ??= allocPort(`${key}#health`);
    return {
      namespace: s.meta.namespace,
      name: s.meta.name,
      type: s.type,
      clusterIP,
      ports,
      selector: s.selector,
      externalIPs: s.externalIPs,
      loadBalancerIPs: s.type === 'LoadBalancer' ? s.loadBalancerIngress : [],
      loadBalancerSourceRanges: s.type === 'LoadBalancer' ? s.loadBalancerSourceRanges : [],
      affinitySeconds: s.sessionAffinity === 'ClientIP' ? s.sessionAffinityTimeout : null,
      externalTrafficPolicy: s.externalTrafficPolicy,
      internalTrafficPolicy: s.internalTrafficPolicy,
      ...(s.type === 'LoadBalancer' &&
      s.externalTrafficPolicy === 'Local' &&
      healthCheckNodePort !== undefined
        ? { healthCheckNodePort }
        : {}),
      ...(s.externalName !== undefined ? { externalName: s.externalName } : {}),
      source: s.meta.source,
    };
  });
}
