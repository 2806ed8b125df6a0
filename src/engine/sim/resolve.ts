import { deviceWithAddress, primaryAddress, type Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { formatIp4, parseIp4, type Ip4 } from '../wire/ip';
import { servicesOf } from '../kube/service-registry';
import type { ServiceModel } from '../kube/model';
import { adHocClient, outsideClient } from '../kube/outside';
import type { EndpointSpec, FlowSpec } from './trace-types';

/** A flow endpoint found in the world. */
export interface Place {
  ns: Netns;
  ip: Ip4;
  label: string;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; error: string };

function podByName(world: World, namespace: string, name: string): Place | string {
  const info = world.pods.get(`${namespace}/${name}`);
  if (!info) {
    const known = [...world.pods.keys()].slice(0, 12).join(', ');
    return `pod "${namespace}/${name}" not found${known ? ` (pods: ${known})` : ''}`;
  }
  const ns = world.namespaces.get(info.hostNetwork ? info.node : `${namespace}/${name}`);
  if (!ns) return `pod "${namespace}/${name}" has no network namespace`;
  return { ns, ip: info.ip, label: `${namespace}/${name}` };
}

function byIp(world: World, ip: Ip4): Place | undefined {
  for (const p of world.pods.values()) {
    if (p.ip === ip && !p.hostNetwork) {
      const ns = world.namespaces.get(`${p.namespace}/${p.name}`);
      if (ns) return { ns, ip, label: `${p.namespace}/${p.name}` };
    }
  }
  for (const ns of world.namespaces.values()) {
    if (ns.kind !== 'pod' && deviceWithAddress(ns, ip)) return { ns, ip, label: ns.id };
  }
  return undefined;
}

/** Where the packet starts. */
export function resolveSource(world: World, spec: EndpointSpec): Resolved<Place> {
  switch (spec.kind) {
    case 'pod': {
      const p = podByName(world, spec.namespace, spec.name);
      return typeof p === 'string' ? { ok: false, error: p } : { ok: true, value: p };
    }
    case 'node': {
      const host = world.hosts.find((h) => h.name === spec.name);
      const ns = host && world.namespaces.get(host.rootNs);
      if (!host || !ns) return { ok: false, error: `node "${spec.name}" not found` };
      return { ok: true, value: { ns, ip: host.ip, label: host.name } };
    }
    case 'ip': {
      const ip = parseIp4(spec.ip);
      if (ip === undefined) return { ok: false, error: `"${spec.ip}" is not an IPv4 address` };
      const place = byIp(world, ip);
      if (place) return { ok: true, value: place };
      // An address nobody has: an outside client on the nodes' segment (DESIGN.md §4).
      const ns = adHocClient(world, ip);
      if (!ns) return { ok: false, error: `no namespace has ${spec.ip}` };
      return { ok: true, value: { ns, ip, label: ns.id } };
    }
    case 'svc':
      return { ok: false, error: 'a Service cannot send packets; use it as the destination' };
    case 'dns':
      return { ok: false, error: 'a DNS name cannot send packets; use dns: as the destination' };
    case 'url':
      return { ok: false, error: 'a URL can only be a destination' };
    case 'ext': {
      const c = extClient(world, spec.name);
      return typeof c === 'string' ? { ok: false, error: c } : { ok: true, value: c };
    }
  }
}

function extClient(world: World, name: string): Place | string {
  const ns = outsideClient(world, name);
  const ip = ns && primaryAddress(ns, 'eth0');
  if (!ns || ip === undefined) {
    const known = world.hosts.filter((h) => h.kind === 'outside').map((h) => h.name);
    return `outside client "${name}" is not in this scenario (${known.length ? `clients: ${known.join(', ')}` : "declare it in an Underlay's spec.clients"})`;
  }
  return { ns, ip, label: name };
}

export interface Target {
  ip: Ip4;
  port: number | undefined;
  label: string;
}

/**
 * Where the packet is addressed to: an IP and, for TCP/UDP, a port. A Service is its
 * ClusterIP — or, for a client outside the cluster (`fromOutside`), its first LoadBalancer
 * address when it has one, since the ClusterIP only means something on the nodes.
 */
export function resolveTarget(world: World, flow: FlowSpec, fromOutside = false): Resolved<Target> {
  const spec = flow.to;
  const port = (p: number | undefined) =>
    flow.proto === 'icmp' ? undefined : (p ?? flow.port ?? 80);
  switch (spec.kind) {
    case 'pod': {
      const p = podByName(world, spec.namespace, spec.name);
      if (typeof p === 'string') return { ok: false, error: p };
      return { ok: true, value: { ip: p.ip, port: port(undefined), label: p.label } };
    }
    case 'node': {
      const host = world.hosts.find((h) => h.name === spec.name);
      if (!host) return { ok: false, error: `node "${spec.name}" not found` };
      return { ok: true, value: { ip: host.ip, port: port(undefined), label: host.name } };
    }
    case 'ip': {
      const ip = parseIp4(spec.ip);
      if (ip === undefined) return { ok: false, error: `"${spec.ip}" is not an IPv4 address` };
      return { ok: true, value: { ip, port: port(spec.port), label: formatIp4(ip) } };
    }
    case 'svc':
      return serviceTarget(world, spec, flow.proto, fromOutside);
    case 'dns':
      // A query's destination is the source's nameserver (sim/dns-trace.ts picks it).
      return { ok: false, error: 'a dns: destination is resolved by the DNS trace' };
    case 'url':
      // HOST is resolved by the HTTP trace (sim/http-trace.ts).
      return { ok: false, error: 'a URL destination is resolved by the HTTP trace' };
    case 'ext': {
      const c = extClient(world, spec.name);
      if (typeof c === 'string') return { ok: false, error: c };
      return { ok: true, value: { ip: c.ip, port: port(undefined), label: c.label } };
    }
  }
}

// Flows name Services by namespace/name; a 10,000-Service world is indexed once.
const byName = new WeakMap<readonly ServiceModel[], Map<string, ServiceModel>>();
function serviceNamed(all: readonly ServiceModel[], ns: string, name: string) {
  let index = byName.get(all);
  if (!index) {
    index = new Map(all.map((s) => [`${s.namespace}/${s.name}`, s]));
    byName.set(all, index);
  }
  return index.get(`${ns}/${name}`);
}

/** A Service as a destination: its ClusterIP and the service port (kube-proxy's rules do the rest). */
function serviceTarget(
  world: World,
  spec: { namespace: string; name: string; port: number },
  proto: FlowSpec['proto'],
  fromOutside: boolean,
): Resolved<Target> {
  const all = servicesOf(world);
  const svc = serviceNamed(all, spec.namespace, spec.name);
  const label = `${spec.namespace}/${spec.name}`;
  if (!svc) {
    const known = all.map((s) => `${s.namespace}/${s.name}`).join(', ');
    return {
      ok: false,
      error: `service "${label}" not found${known ? ` (services: ${known})` : ''}`,
    };
  }
  if (svc.type === 'ExternalName')
    return {
      ok: false,
      error: `service "${label}" is an ExternalName (a DNS alias for ${svc.externalName ?? '?'}); it has no address to send to`,
    };
  if (svc.clusterIP === null)
    return {
      ok: false,
      error: `service "${label}" is headless (clusterIP: None): clients reach its pods directly (pod:NAME), no kube-proxy rule is involved`,
    };
  const lbIP = fromOutside ? svc.loadBalancerIPs[0] : undefined;
  const addr = lbIP ?? svc.clusterIP;
  const ip = parseIp4(addr)!;
  if (proto === 'icmp')
    return { ok: true, value: { ip, port: undefined, label: `${label} (${addr})` } };
  const want = proto === 'udp' ? 'UDP' : 'TCP';
  const port = svc.ports.find((p) => p.port === spec.port && p.protocol === want);
  if (!port) {
    const ports = svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
    return {
      ok: false,
      error: `service "${label}" has no port ${spec.port}/${want} (ports: ${ports || 'none'})`,
    };
  }
  return {
    ok: true,
    value: { ip, port: port.port, label: `${label}:${port.port} (${addr})` },
  };
}
