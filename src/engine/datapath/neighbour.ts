import type { Device } from '../kernel/device';
import { getNeigh, setNeigh, type Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { formatIp4, type Ip4 } from '../wire/ip';
import type { Mac } from '../wire/mac';
import type { WalkContext } from './context';
import { lookupRoute } from './route';
import { vxlanArpLeg } from './tunnel';

interface BridgeHop {
  ns: Netns;
  bridge: string;
  /** Port the request came in on ('' when the bridge itself sent it). */
  inPort: string;
  /** Port the request left by toward the answer ('' when the bridge itself answered). */
  outPort: string;
}

interface Answer {
  ns: Netns;
  dev: Device;
  mac: Mac;
  proxy: boolean;
  hops: BridgeHop[];
}

interface Visit {
  ns: Netns;
  dev: Device;
  hops: BridgeHop[];
}

const ZERO_MAC = '00:00:00:00:00:00' as Mac;

/** The address this VTEP sends from: its `local`, else its underlay device's first address. */
function vtepAddress(ns: Netns, dev: Device): Ip4 | undefined {
  const cfg = dev.vxlan;
  if (!cfg) return undefined;
  if (cfg.local !== null) return cfg.local;
  const under = cfg.dev ? ns.devices.get(cfg.dev) : undefined;
  return under?.addrs.find((a) => a.scope !== 'host')?.ip;
}

/**
 * The ARP reply over VXLAN is unicast to the asker's MAC: the answering VTEP needs an FDB
 * entry for it (or a default one), or learns it from the request when learning is on.
 * false when the reply has no way back.
 */
function vxlanReplyPath(asker: Netns, askDev: Device, answer: Answer): boolean {
  const remote = answer.dev.vxlan;
  if (!remote || !askDev.vxlan || !askDev.mac) return true;
  if (remote.fdb.some((f) => f.mac === askDev.mac || f.mac === ZERO_MAC)) return true;
  const from = vtepAddress(asker, askDev);
  if (!remote.learning || from === undefined) return false;
  remote.fdb.push({ mac: askDev.mac, dst: from });
  return true;
}

function arpSourceValid(ns: Netns, dev: Device, asker: Ip4): boolean {
  const mode = Math.max(ns.sysctl.rpFilter, dev.rpFilter);
  if (mode !== 1) return true;
  const back = lookupRoute(ns, asker).route;
  return back?.type === 'unicast' && back.dev === dev.name;
}

/** Where a frame that leaves `dev` arrives: the other end of a veth, the NICs on a segment. */
function arrivals(world: World, ns: Netns, dev: Device): { ns: Netns; dev: Device }[] {
  const out: { ns: Netns; dev: Device }[] = [];
  const at = (nsId: string, devName: string) => {
    const n = world.namespaces.get(nsId);
    const d = n?.devices.get(devName);
    if (n && d && d.up) out.push({ ns: n, dev: d });
  };
  if (dev.kind === 'veth' && dev.peer) at(dev.peer.ns, dev.peer.dev);
  if (dev.kind === 'vxlan' && dev.vxlan) {
    // A broadcast leaves a VXLAN device once per default (all-zeros) FDB entry, and arrives
    // on the device with the same VNI and port at each of those VTEPs.
    for (const f of dev.vxlan.fdb) {
      if (f.mac !== ZERO_MAC) continue;
      for (const other of world.namespaces.values())
        for (const d of other.devices.values())
          if (
            d.vxlan?.vni === dev.vxlan.vni &&
            d.vxlan.dstport === dev.vxlan.dstport &&
            other.tables.local.lookup(f.dst)?.type === 'local' &&
            d.up
          )
            out.push({ ns: other, dev: d });
    }
  }
  if (dev.kind === 'phys' && dev.segment) {
    for (const m of world.segments.get(dev.segment)?.members ?? []) {
      if (m.ns !== ns.id || m.dev !== dev.name) at(m.ns, m.dev);
    }
  }
  return out;
}

function portsOf(ns: Netns, bridge: string): Device[] {
  return [...ns.devices.values()].filter((d) => d.master === bridge && d.up);
}

/**
 * Sends a broadcast ARP request for `target` out of `dev` and finds who answers: the device
 * that owns the address, or one answering by proxy ARP. A breadth-first walk of the
 * broadcast domain (veth peers, bridge ports, segment members).
 */
function whoHas(
  world: World,
  ns: Netns,
  dev: Device,
  target: Ip4,
  asker: Ip4 | undefined,
): Answer | undefined {
  const seen = new Set<string>();
  const queue: Visit[] = [];
  const leave = (from: Visit) => {
    for (const a of arrivals(world, from.ns, from.dev))
      queue.push({ ns: a.ns, dev: a.dev, hops: from.hops });
  };
  if (dev.kind === 'bridge') {
    for (const p of portsOf(ns, dev.name))
      leave({ ns, dev: p, hops: [{ ns, bridge: dev.name, inPort: '', outPort: p.name }] });
  } else {
    leave({ ns, dev, hops: [] });
  }
  while (queue.length > 0) {
    const v = queue.shift()!;
    const key = `${v.ns.id}:${v.dev.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (v.dev.master) {
      const br = v.ns.devices.get(v.dev.master);
      if (!br) continue;
      if (br.addrs.some((a) => a.ip === target) && br.mac) {
        return {
          ns: v.ns,
          dev: br,
          mac: br.mac,
          proxy: false,
          hops: [...v.hops, { ns: v.ns, bridge: br.name, inPort: v.dev.name, outPort: '' }],
        };
      }
      for (const p of portsOf(v.ns, br.name)) {
        if (p.name === v.dev.name) continue;
        const hops = [
          ...v.hops,
          { ns: v.ns, bridge: br.name, inPort: v.dev.name, outPort: p.name },
        ];
        for (const a of arrivals(world, v.ns, p)) queue.push({ ns: a.ns, dev: a.dev, hops });
      }
      continue;
    }
    if (!v.dev.mac) continue;
    // arp_process validates the asker's address like any input route: strict rp_filter
    // ignores an ARP request whose sender is routed out of another device.
    if (asker !== undefined && !arpSourceValid(v.ns, v.dev, asker)) continue;
    if (v.dev.addrs.some((a) => a.ip === target))
      return { ns: v.ns, dev: v.dev, mac: v.dev.mac, proxy: false, hops: v.hops };
    if (v.dev.proxyArp || v.ns.sysctl.proxyArp) {
      const r = lookupRoute(v.ns, target).route;
      if (r && r.type === 'unicast' && r.dev !== v.dev.name && v.ns.sysctl.ipForward) {
        return { ns: v.ns, dev: v.dev, mac: v.dev.mac, proxy: true, hops: v.hops };
      }
    }
  }
  return undefined;
}

/**
 * The neighbour subsystem: the MAC for `nexthop` on `dev`. A cache hit is quiet; a miss is
 * an ARP request/reply exchange, after which both ends know each other and every bridge on
 * the way has learned both MACs (as a real exchange leaves them).
 */
export function resolveNeighbour(
  ctx: WalkContext,
  ns: Netns,
  dev: Device,
  nexthop: Ip4,
): Mac | null {
  const cached = getNeigh(ns, dev.name, nexthop);
  if (cached) return cached.mac;
  if (dev.kind === 'loopback') return dev.mac;
  const asker = dev.addrs.find((a) => a.scope !== 'host')?.ip;
  const found = dev.mac ? whoHas(ctx.world, ns, dev, nexthop, asker) : undefined;
  let answer = found && vxlanReplyPath(ns, dev, found) ? found : undefined;
  if (answer && dev.kind === 'vxlan' && answer.dev.kind === 'vxlan' && answer.ns !== ns) {
    // Across VXLAN the request and the reply are real UDP datagrams, walking netfilter.
    const who = `ARP who-has ${formatIp4(nexthop)} tell ${asker === undefined ? '?' : formatIp4(asker)}`;
    const is = `ARP ${formatIp4(nexthop)} is-at ${answer.mac}`;
    const there = vxlanArpLeg(ctx, ns, dev, answer.ns, answer.dev, who);
    if (!there || !vxlanArpLeg(ctx, answer.ns, answer.dev, ns, dev, is)) answer = undefined;
  }
  if (!answer || !dev.mac) {
    ctx.emit(ns, { kind: 'arp', dev: dev.name, ip: formatIp4(nexthop), mac: null, how: 'failed' });
    return null;
  }
  setNeigh(ns, dev.name, nexthop, answer.mac, 'REACHABLE');
  const back = vtepAddress(answer.ns, answer.dev);
  if (dev.vxlan?.learning && back !== undefined && !dev.vxlan.fdb.some((f) => f.mac === answer.mac))
    dev.vxlan.fdb.push({ mac: answer.mac, dst: back });
  const requesterIp = dev.addrs.find((a) => a.scope !== 'host')?.ip;
  if (requesterIp !== undefined && !answer.proxy)
    setNeigh(answer.ns, answer.dev.name, requesterIp, dev.mac, 'STALE');
  for (const hop of answer.hops) {
    const fdb = hop.ns.fdb.get(hop.bridge);
    if (!fdb) continue;
    if (hop.inPort && !fdb.get(dev.mac)?.local)
      fdb.set(dev.mac, { port: hop.inPort, local: false });
    if (hop.outPort && !fdb.get(answer.mac)?.local)
      fdb.set(answer.mac, { port: hop.outPort, local: false });
  }
  ctx.emit(ns, {
    kind: 'arp',
    dev: dev.name,
    ip: formatIp4(nexthop),
    mac: answer.mac,
    how: answer.proxy ? 'proxy' : 'request-reply',
  });
  return answer.mac;
}
