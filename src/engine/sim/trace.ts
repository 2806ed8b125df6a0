import type { World } from '../kernel/world';
import type { Netns } from '../kernel/netns';
import { WalkContext } from '../datapath/context';
import { newSkb } from '../datapath/hooks';
import { localOut } from '../datapath/output';
import { lookupRoute } from '../datapath/route';
import { primaryAddress } from '../kernel/netns';
import { formatIp4, type Ip4 } from '../wire/ip';
import { endpointText } from '../wire/view';
import { resolveSource, resolveTarget } from './resolve';
import { followRelays } from './relay';
import { createRng } from './rng';
import { FlowError, outcomeOf } from './outcome';
import { traceDns } from './dns-trace';
import { traceHttp } from './http-trace';
import { answerTo, firstPacket } from './packets';
import { TRACE_VERSION, type DeliveredView, type FlowSpec, type Trace } from './trace-types';

export { FlowError };

const EPHEMERAL = [32768, 60999] as const;

function clientProcess(proto: FlowSpec['proto']): string {
  return proto === 'tcp' ? 'curl' : proto === 'udp' ? 'nc' : 'ping';
}

/**
 * Walks one flow through the world: the request from the client's socket to wherever it ends,
 * then whatever comes back (the server's answer, a RST, an ICMP error). The same world and
 * seed give the same trace.
 */
export function trace(world: World, flow: FlowSpec, seed: number): Trace {
  if (flow.to.kind === 'dns') return traceDns(world, flow, seed);
  if (flow.to.kind === 'url') return traceHttp(world, flow, seed);
  const src = resolveSource(world, flow.from);
  if (!src.ok) throw new FlowError(src.error);
  const host = world.hosts.find((h) => h.name === src.value.ns.node);
  const dst = resolveTarget(world, flow, host?.kind === 'outside');
  if (!dst.ok) throw new FlowError(dst.error);
  const ctx = new WalkContext(world, createRng(seed));
  const client = src.value.ns;
  const r = lookupRoute(client, dst.value.ip).route;
  const srcIp = (r?.src ??
    (r?.dev ? primaryAddress(client, r.dev) : undefined) ??
    src.value.ip) as Ip4;
  const sport = ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]);
  const pkt = firstPacket(
    flow.proto,
    srcIp,
    dst.value.ip,
    sport,
    dst.value.port,
    ctx.rng.int(1, 65535),
  );
  const process = clientProcess(flow.proto);
  const clientSocket =
    flow.proto === 'icmp' ? null : { proto: flow.proto, ip: srcIp, port: sport, process };
  if (clientSocket) client.sockets.push(clientSocket);
  let relays: ReturnType<typeof followRelays> | undefined;
  try {
    ctx.emit(
      client,
      { kind: 'send', process, socket: endpointText(srcIp, clientSocket?.port) },
      pkt,
    );
    relays = followRelays(ctx, localOut(ctx, client, pkt, newSkb()));
    const fate = relays.fate;
    let outcome = outcomeOf(fate);
    let delivered: DeliveredView | null = null;
    if (fate.kind === 'delivered') {
      const got = fate.packet;
      const l4 = got.l4;
      const ports = l4 && l4.kind !== 'icmp' ? l4 : undefined;
      delivered = {
        ns: fate.ns.id,
        proto: flow.proto,
        src: endpointText(got.ip.src, ports?.sport),
        dst: endpointText(got.ip.dst, ports?.dport),
      };
      ctx.dir = 'reply';
      const reply = answerTo(got);
      ctx.emit(
        fate.ns,
        { kind: 'send', process: fate.process, socket: endpointText(got.ip.dst, ports?.dport) },
        reply,
      );
      const back = relays.answerBack(localOut(ctx, fate.ns, reply, newSkb()), answerTo);
      if (back.kind !== 'delivered' || back.ns !== client)
        outcome = back.kind === 'delivered' ? 'dropped' : outcomeOf(back);
    } else if (fate.kind === 'answered') {
      ctx.dir = 'reply';
      ctx.emit(
        fate.answerFrom,
        { kind: 'send', process: 'kernel', socket: formatIp4(fate.answer.ip.src) },
        fate.answer,
      );
      localOut(ctx, fate.answerFrom, fate.answer, newSkb());
    }
    world.now += 1;
    return { version: TRACE_VERSION, flow, seed, outcome, events: ctx.events, delivered };
  } finally {
    relays?.close();
    if (clientSocket) client.sockets.splice(client.sockets.indexOf(clientSocket), 1);
  }
}

export type { Netns };
