import type { Fate, WalkContext } from '../datapath/context';
import { newSkb } from '../datapath/hooks';
import { localOut } from '../datapath/output';
import { lookupRoute } from '../datapath/route';
import { primaryAddress, type Netns, type Socket } from '../kernel/netns';
import { userspaceProxyOf, type UserspacePortal } from '../kube/proxy/userspace';
import { formatIp4, ip4, type Ip4 } from '../wire/ip';
import { IPPROTO, type Packet } from '../wire/packet';
import { endpointText } from '../wire/view';

type Delivered = Extract<Fate, { kind: 'delivered' }>;

const EPHEMERAL = [32768, 60999] as const;

/**
 * User-space processes that end one connection and start another (DESIGN.md §3): today
 * kube-proxy in userspace mode. A connection delivered to one of its proxy ports is accepted,
 * and the proxy dials an endpoint afresh from the node — round-robin, moving on to the next
 * endpoint when one refuses, as the old proxier's tryConnect did.
 */
export interface Relays {
  /** Where the request finally ended (the endpoint's socket, or why not). */
  fate: Fate;
  /** The answer that reached the last relay, carried back connection by connection to the client. */
  answerBack(back: Fate, answerTo: (p: Packet) => Packet): Fate;
  /** Closes the sockets the relays opened. */
  close(): void;
}

export function followRelays(ctx: WalkContext, first: Fate): Relays {
  const legs: Delivered[] = [];
  const opened: { ns: Netns; socket: Socket }[] = [];
  let fate = first;
  while (fate.kind === 'delivered' && fate.process === 'kube-proxy') {
    const l4 = fate.packet.l4;
    const portal =
      l4 && l4.kind !== 'icmp' ? userspaceProxyOf(fate.ns)?.portals.get(l4.dport) : undefined;
    if (!portal) break;
    legs.push(fate);
    fate = dial(ctx, fate, portal, opened);
  }
  return {
    fate,
    answerBack(back, answerTo) {
      let at = back;
      for (const leg of [...legs].reverse()) {
        if (at.kind !== 'delivered' || at.ns !== leg.ns) return at;
        ctx.emit(leg.ns, {
          kind: 'relay',
          process: 'kube-proxy',
          detail: `copies the endpoint's answer to the client's connection (${endpointText(leg.packet.ip.src, portOf(leg.packet, 'sport'))})`,
        });
        const reply = answerTo(leg.packet);
        const l4 = leg.packet.l4;
        ctx.emit(
          leg.ns,
          {
            kind: 'send',
            process: 'kube-proxy',
            socket: endpointText(
              leg.packet.ip.dst,
              l4 && l4.kind !== 'icmp' ? l4.dport : undefined,
            ),
          },
          reply,
        );
        at = localOut(ctx, leg.ns, reply, newSkb());
      }
      return at;
    },
    close() {
      for (const o of opened) o.ns.sockets.splice(o.ns.sockets.indexOf(o.socket), 1);
    },
  };
}

function portOf(p: Packet, which: 'sport' | 'dport'): number | undefined {
  const l4 = p.l4;
  return l4 && l4.kind !== 'icmp' ? l4[which] : undefined;
}

function dial(
  ctx: WalkContext,
  accepted: Delivered,
  portal: UserspacePortal,
  opened: { ns: Netns; socket: Socket }[],
): Fate {
  const ns = accepted.ns;
  const client = endpointText(accepted.packet.ip.src, portOf(accepted.packet, 'sport'));
  const n = portal.endpoints.length;
  if (n === 0) {
    const message = `kube-proxy has no endpoints for ${portal.spn}: it closes the connection from ${client}`;
    ctx.emit(ns, { kind: 'relay', process: 'kube-proxy', detail: message });
    return { kind: 'refused', ns, reason: 'no-endpoints', message };
  }
  for (let tries = 0; tries < n; tries++) {
    const ep = portal.endpoints[portal.next % n]!;
    portal.next = (portal.next + 1) % n;
    const cut = ep.lastIndexOf(':');
    const dst = ip4(ep.slice(0, cut));
    const dport = Number(ep.slice(cut + 1));
    const r = lookupRoute(ns, dst).route;
    const src = (r?.src ?? (r?.dev ? primaryAddress(ns, r.dev) : undefined) ?? 0) as Ip4;
    const sport = ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]);
    const socket: Socket = { proto: portal.proto, ip: src, port: sport, process: 'kube-proxy' };
    ns.sockets.push(socket);
    opened.push({ ns, socket });
    ctx.emit(ns, {
      kind: 'relay',
      process: 'kube-proxy',
      detail: `accepts ${client} on port ${portal.proxyPort} (${portal.spn}) and connects to endpoint ${ep} (round-robin ${tries === 0 ? 'pick' : 'retry'})`,
    });
    const pkt: Packet =
      portal.proto === 'tcp'
        ? {
            ip: { src, dst, ttl: 64, proto: IPPROTO.tcp, len: 60 },
            l4: { kind: 'tcp', sport, dport, flags: 'S' },
            payloadLen: 0,
          }
        : {
            ip: { src, dst, ttl: 64, proto: IPPROTO.udp, len: accepted.packet.ip.len },
            l4: { kind: 'udp', sport, dport, len: 8 + accepted.packet.payloadLen },
            payloadLen: accepted.packet.payloadLen,
          };
    ctx.emit(ns, { kind: 'send', process: 'kube-proxy', socket: endpointText(src, sport) }, pkt);
    const f = localOut(ctx, ns, pkt, newSkb());
    if (f.kind !== 'answered' || f.reason !== 'refused') return f;
    // The RST (or port unreachable) walks back to kube-proxy, which tries the next endpoint.
    const dir = ctx.dir;
    ctx.dir = 'reply';
    ctx.emit(
      f.answerFrom,
      { kind: 'send', process: 'kernel', socket: formatIp4(f.answer.ip.src) },
      f.answer,
    );
    localOut(ctx, f.answerFrom, f.answer, newSkb());
    ctx.dir = dir;
    ctx.emit(ns, {
      kind: 'relay',
      process: 'kube-proxy',
      detail: `endpoint ${ep} refused the connection${tries + 1 < n ? '; kube-proxy tries the next one' : ''}`,
    });
  }
  const message = `every endpoint of ${portal.spn} refused: kube-proxy closes the connection from ${client}`;
  ctx.emit(ns, { kind: 'relay', process: 'kube-proxy', detail: message });
  return { kind: 'refused', ns, reason: 'relay-refused', message };
}
