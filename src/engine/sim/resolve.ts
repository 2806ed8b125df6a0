import { deviceWithAddress, type Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { formatIp4, parseIp4, type Ip4 } from '../wire/ip';
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
      if (!place)
        return {
          ok: false,
          error: `no pod or node has ${spec.ip} (outside clients arrive with the underlay model)`,
        };
      return { ok: true, value: place };
    }
    case 'svc':
      return { ok: false, error: 'a Service cannot send packets; use it as the destination' };
    case 'ext':
      return { ok: false, error: `outside client "${spec.name}" is not in this scenario` };
  }
}

export interface Target {
  ip: Ip4;
  port: number | undefined;
  label: string;
}

/** Where the packet is addressed to: an IP and, for TCP/UDP, a port. */
export function resolveTarget(world: World, flow: FlowSpec): Resolved<Target> {
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
      return {
        ok: false,
        error: `service "${spec.namespace}/${spec.name}" not found (Services arrive with kube-proxy)`,
      };
    case 'ext':
      return { ok: false, error: `outside client "${spec.name}" is not in this scenario` };
  }
}
