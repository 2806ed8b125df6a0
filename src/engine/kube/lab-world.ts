import type { Diagnostic } from '../diagnostics';
import type { Device } from '../kernel/device';
import {
  addAddress,
  addDevice,
  addRoute,
  createNetns,
  setNeigh,
  type Netns,
} from '../kernel/netns';
import { route, type Route } from '../kernel/routing';
import { createWorld, type World } from '../kernel/world';
import { createNetfilterState, restore } from '../netfilter/index';
import { cidr4, ip4, type Ip4 } from '../wire/ip';
import { parseMac } from '../wire/mac';
import { LAB_DEV_SYSCTL, type LabModel, type LabNamespace, type LabRoute } from './lab-model';
import { stableMac } from './names';

/** The MAC a lab device gets when the lab does not give one: stable per namespace and name. */
export function labMac(ns: string, dev: string): string {
  return stableMac(`lab:${ns}/${dev}`);
}

function flag(v: string | undefined): boolean {
  return v === '1' || v === 'true';
}

function rpMode(v: string | undefined): 0 | 1 | 2 {
  return v === '1' ? 1 : v === '2' ? 2 : 0;
}

function newNamespace(spec: LabNamespace): Netns {
  const s = spec.sysctls;
  const ns = createNetns(spec.name, spec.host ?? spec.name, spec.host ? 'host' : 'root', {
    ipForward: flag(s['net.ipv4.ip_forward']),
    rpFilter: rpMode(s['net.ipv4.conf.all.rp_filter']),
    routeLocalnet: flag(s['net.ipv4.conf.all.route_localnet']),
    proxyArp: flag(s['net.ipv4.conf.all.proxy_arp']),
    // A fresh namespace starts with bridge-nf-call-iptables=1 once br_netfilter is loaded.
    bridgeNfCallIptables: s['net.bridge.bridge-nf-call-iptables'] !== '0',
  });
  return ns;
}

function deviceSysctls(ns: Netns, spec: LabNamespace): void {
  for (const [key, value] of Object.entries(spec.sysctls)) {
    const m = LAB_DEV_SYSCTL.exec(key);
    const dev = m && m[1] !== 'all' ? ns.devices.get(m[1]!) : undefined;
    if (!dev) continue;
    if (m![2] === 'proxy_arp') dev.proxyArp = flag(value);
    if (m![2] === 'rp_filter') dev.rpFilter = rpMode(value);
  }
}

function prefixOf(text: string): { ip: Ip4; prefix: ReturnType<typeof cidr4> } {
  const [a] = text.split('/');
  return { ip: ip4(a!), prefix: cidr4(text.includes('/') ? text : `${text}/32`) };
}

function labRoute(r: LabRoute): Route {
  const type = r.type ?? 'unicast';
  const dst = r.to === 'default' ? cidr4('0.0.0.0/0') : cidr4(r.to);
  return route({
    type,
    dst,
    dev: r.dev ?? null,
    via: r.via ? ip4(r.via) : null,
    src: r.src ? ip4(r.src) : null,
    proto: r.proto ?? null,
    // `ip route add DST dev X` without a gateway is scope link, as iproute2 decides it.
    scope: r.scope ?? (r.via || type !== 'unicast' ? 'global' : 'link'),
    metric: r.metric ?? 0,
    onlink: r.onlink ?? false,
  });
}

/** `ip route add DST via GW` without `dev`: the kernel takes the device that reaches GW. */
function withDevice(ns: Netns, r: Route): Route {
  if (r.dev !== null || r.via === null) return r;
  const gw = ns.tables.main.lookup(r.via);
  return gw?.dev ? { ...r, dev: gw.dev } : r;
}

function addInterfaces(world: World, lab: LabModel, pairs: boolean): void {
  for (const spec of lab.namespaces) {
    const ns = world.namespaces.get(spec.name)!;
    for (const i of spec.interfaces) {
      if (ns.devices.has(i.name) || (i.type === 'veth' && !!i.peer) !== pairs) continue;
      const mac = (i.mac && parseMac(i.mac)) || labMac(spec.name, i.name);
      // tunl0 and TUN devices have no link-layer address.
      const noMac = i.type === 'ipip' || i.type === 'tun';
      const dev = addDevice(ns, i.name, i.type, noMac ? null : (mac as never), {
        ...(i.mtu ? { mtu: i.mtu } : {}),
        hairpin: i.hairpin ?? false,
        ...(i.type === 'phys' && i.segment ? { segment: i.segment } : {}),
        ...(i.tun
          ? {
              tun: {
                process: i.tun.process,
                port: i.tun.port,
                peers: i.tun.peers.map((p) => ({ cidr: cidr4(p.cidr), ip: ip4(p.ip) })),
              },
            }
          : {}),
        ...(i.vxlan
          ? {
              vxlan: {
                vni: i.vxlan.vni,
                dstport: i.vxlan.dstport,
                local: i.vxlan.local ? ip4(i.vxlan.local) : null,
                dev: i.vxlan.dev ?? null,
                learning: i.vxlan.learning,
                fdb: (i.fdb ?? []).map((f) => ({ mac: f.mac as never, dst: ip4(f.dst) })),
              },
            }
          : {}),
      });
      if (i.type === 'veth' && i.peer) {
        const cut = i.peer.lastIndexOf('/');
        const [peerNs, peerDev] = [i.peer.slice(0, cut), i.peer.slice(cut + 1)];
        const other = world.namespaces.get(peerNs)!;
        const peerSpec = lab.namespaces
          .find((n) => n.name === peerNs)
          ?.interfaces.find((p) => p.name === peerDev);
        const peerMac = (peerSpec?.mac && parseMac(peerSpec.mac)) || labMac(peerNs, peerDev);
        const peer: Device = addDevice(other, peerDev, 'veth', peerMac as never, {
          peer: { ns: ns.id, dev: dev.name },
          ...(peerSpec?.mtu ? { mtu: peerSpec.mtu } : {}),
          hairpin: peerSpec?.hairpin ?? false,
        });
        dev.peer = { ns: other.id, dev: peer.name };
      }
    }
  }
}

/**
 * Builds the lab: every namespace, then its devices (a veth creates both ends), bridge
 * ports, addresses (with the local-table and connected routes the kernel adds), routes,
 * static neighbours, listening sockets and the iptables ruleset.
 */
export function buildLabWorld(lab: LabModel): World {
  const world = createWorld();
  for (const spec of lab.namespaces) world.namespaces.set(spec.name, newNamespace(spec));
  // veth pairs first: the far end of a pair may be listed (for its bridge or addresses) too.
  addInterfaces(world, lab, true);
  addInterfaces(world, lab, false);
  for (const spec of lab.namespaces) {
    const ns = world.namespaces.get(spec.name)!;
    for (const i of spec.interfaces) {
      const dev = ns.devices.get(i.name);
      if (!dev) continue;
      if (i.master) {
        dev.master = i.master;
        if (dev.mac) ns.fdb.get(i.master)?.set(dev.mac, { port: dev.name, local: true });
      }
      if (dev.kind === 'bridge' && dev.mac)
        ns.fdb.get(dev.name)?.set(dev.mac, { port: dev.name, local: true });
      for (const a of i.addresses) {
        const { ip, prefix } = prefixOf(a);
        addAddress(ns, dev.name, ip, prefix);
      }
      if (dev.segment) {
        let seg = world.segments.get(dev.segment);
        if (!seg) {
          const first = dev.addrs[0]?.prefix ?? cidr4('0.0.0.0/0');
          world.segments.set(dev.segment, (seg = { name: dev.segment, cidr: first, members: [] }));
        }
        seg.members.push({ ns: ns.id, dev: dev.name });
      }
    }
    deviceSysctls(ns, spec);
    for (const r of spec.routes) addRoute(ns, withDevice(ns, labRoute(r)));
    for (const n of spec.neighbours) setNeigh(ns, n.dev, ip4(n.ip), n.mac as never, 'PERMANENT');
    for (const l of spec.listeners)
      ns.sockets.push({
        proto: l.proto,
        ip: (l.ip ? ip4(l.ip) : 0) as Ip4,
        port: l.port,
        process: l.process ?? (l.proto === 'tcp' ? 'server' : 'udp-server'),
      });
    if (spec.iptables) restore(ns.netfilter, spec.iptables, `${lab.name}:${spec.name}`);
    if (!spec.host) {
      const primary = [...ns.devices.values()]
        .flatMap((d) => d.addrs)
        .find((a) => a.scope === 'global');
      world.hosts.push({
        name: spec.name,
        kind: 'node',
        lab: true,
        ip: primary?.ip ?? ip4('127.0.0.1'),
        podCIDR: null,
        rootNs: ns.id,
      });
    }
  }
  return world;
}

/**
 * The problems `iptables-restore` would report for each namespace's ruleset, on the lines of
 * the manifest the text came from.
 */
export function labRulesetDiagnostics(lab: LabModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const spec of lab.namespaces) {
    if (!spec.iptables) continue;
    const at = spec.iptablesSource;
    for (const d of restore(createNetfilterState(), spec.iptables, at?.file ?? lab.name)) {
      // Block scalars start on the line after `iptables: |`.
      out.push(at ? { ...d, line: at.line + d.line, col: at.col + d.col - 1 } : d);
    }
  }
  return out;
}
