import { WalkContext } from '../datapath/context';
import { newSkb } from '../datapath/hooks';
import { localOut } from '../datapath/output';
import { lookupRoute } from '../datapath/route';
import { primaryAddress, type Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import { lookupDns } from '../kube/dns-records';
import type { ClusterModel } from '../kube/model';
import {
  ndotsOf,
  nodeResolvConf,
  podResolvConf,
  searchCandidates,
  type ResolvConf,
} from '../kube/resolv-conf';
import { clusterOf } from '../kube/service-registry';
import { canonicalName, messageLength, rcodeName, RCODE } from '../wire/dns';
import { parseIp4, type Ip4 } from '../wire/ip';
import { IPPROTO, type Packet } from '../wire/packet';
import { endpointText } from '../wire/view';
import { FlowError, outcomeOf } from './outcome';
import { followRelays } from './relay';
import { resolveSource } from './resolve';
import { createRng } from './rng';
import {
  TRACE_VERSION,
  type DeliveredView,
  type DnsMessage,
  type DnsType,
  type FlowSpec,
  type Outcome,
  type Trace,
} from './trace-types';

const EPHEMERAL = [32768, 60999] as const;
/** glibc's MAXDNSRCH plus the name as it is. */
const MAX_TRIES = 7;
const CLIENT = 'nslookup';

/** Who asks, and with which resolv.conf: a pod's as kubelet wrote it, a node's own. */
function resolverOf(
  world: World,
  model: ClusterModel | undefined,
  ns: Netns,
  label: string,
): ResolvConf {
  if (!model) throw new FlowError('this scenario is not a Kubernetes cluster: nobody answers DNS');
  const pod = model.pods.find((p) => `${p.namespace}/${p.name}` === label);
  if (pod) return podResolvConf(model, pod);
  const node = world.hosts.find((h) => h.rootNs === ns.id && h.kind === 'node');
  if (node) {
    // A node's resolver does not know cluster names; asking from a node means `dig @kube-dns`.
    const ip = model.dns?.clusterIP;
    return ip ? { nameservers: [ip], search: [], options: [] } : nodeResolvConf(model, node.name);
  }
  throw new FlowError(`${label} is outside the cluster: its resolver knows no cluster names`);
}

function udp(src: Ip4, sport: number, dst: Ip4, dport: number, m: DnsMessage): Packet {
  const size = messageLength(m);
  return {
    ip: { src, dst, ttl: 64, proto: IPPROTO.udp, len: 28 + size },
    l4: { kind: 'udp', sport, dport, len: 8 + size },
    payloadLen: size,
    dns: m,
  };
}

/**
 * A `dns:NAME[/TYPE]` flow (docs/DNS.md): the source's stub resolver sends one UDP query per
 * name its search list gives, to the first nameserver of its resolv.conf on port 53. kube-proxy's
 * rules DNAT the kube-dns ClusterIP to a CoreDNS pod, which answers from the cluster's Services,
 * EndpointSlices and Pods; the reply is un-DNATed by conntrack on its way back. The resolver
 * moves on to the next name on NXDOMAIN, SERVFAIL or an empty answer (glibc's res_search), and
 * stops at the first answer.
 */
export function traceDns(
  world: World,
  flow: FlowSpec,
  seed: number,
  /** The process asking: nslookup for a `dns:` flow, curl's resolver for a URL's host. */
  process = CLIENT,
): Trace {
  const to = flow.to;
  if (to.kind !== 'dns') throw new FlowError('not a DNS flow');
  const qtype: DnsType = to.type ?? 'A';
  const src = resolveSource(world, flow.from);
  if (!src.ok) throw new FlowError(src.error);
  const model = clusterOf(world);
  const conf = resolverOf(world, model, src.value.ns, src.value.label);
  const server = conf.nameservers[0];
  const serverIp = server === undefined ? undefined : parseIp4(server);
  if (serverIp === undefined) throw new FlowError(`${src.value.label} has no nameserver`);
  const names = searchCandidates(to.name, conf, ndotsOf(conf)).slice(0, MAX_TRIES);
  const ctx = new WalkContext(world, createRng(seed));
  const client = src.value.ns;
  const r = lookupRoute(client, serverIp).route;
  const srcIp = (r?.src ??
    (r?.dev ? primaryAddress(client, r.dev) : undefined) ??
    src.value.ip) as Ip4;
  const tried: string[] = [];
  let outcome: Outcome = 'dropped';
  let delivered: DeliveredView | null = null;
  let response: DnsMessage | null = null;
  for (const name of names) {
    tried.push(name);
    ctx.dir = 'request';
    const sport = ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]);
    const query: DnsMessage = {
      id: ctx.rng.int(0, 65535),
      flags: { qr: false, aa: false, rd: true, ra: false },
      rcode: 0,
      status: 'NOERROR',
      question: { name: canonicalName(name), type: qtype },
      answers: [],
      authority: [],
      additional: [],
    };
    const socket = { proto: 'udp' as const, ip: srcIp, port: sport, process };
    client.sockets.push(socket);
    const pkt = udp(srcIp, sport, serverIp, 53, query);
    let relays: ReturnType<typeof followRelays> | undefined;
    try {
      ctx.emit(client, { kind: 'send', process, socket: endpointText(srcIp, sport) }, pkt);
      relays = followRelays(ctx, localOut(ctx, client, pkt, newSkb()));
      const fate = relays.fate;
      outcome = outcomeOf(fate);
      response = null;
      if (fate.kind === 'answered') {
        ctx.dir = 'reply';
        ctx.emit(
          fate.answerFrom,
          { kind: 'send', process: 'kernel', socket: endpointText(fate.answer.ip.src, undefined) },
          fate.answer,
        );
        localOut(ctx, fate.answerFrom, fate.answer, newSkb());
      }
      if (fate.kind !== 'delivered') break;
      const got = fate.packet;
      const l4 = got.l4?.kind === 'udp' ? got.l4 : undefined;
      delivered = {
        ns: fate.ns.id,
        proto: 'udp',
        src: endpointText(got.ip.src, l4?.sport),
        dst: endpointText(got.ip.dst, l4?.dport),
      };
      const pod = model?.pods.find((p) => `${p.namespace}/${p.name}` === fate.ns.id);
      const isCoreDns = fate.process === 'coredns' || pod?.labels['k8s-app'] === 'kube-dns';
      if (!isCoreDns || !l4) {
        ctx.emit(fate.ns, {
          kind: 'relay',
          process: fate.process,
          detail: `${fate.process} is not a DNS server: the query gets no answer`,
        });
        outcome = 'dropped';
        break;
      }
      const a = lookupDns(model!, query.question.name, qtype);
      response = {
        id: query.id,
        flags: { qr: true, aa: a.aa, rd: true, ra: true },
        rcode: a.rcode,
        status: rcodeName(a.rcode),
        question: query.question,
        answers: a.answers,
        authority: a.authority,
        additional: a.additional,
      };
      const cache = model?.dns?.cache;
      ctx.emit(fate.ns, {
        kind: 'relay',
        process: fate.process,
        detail: `${cache !== null && cache !== undefined ? `cache ${cache}: a miss (nothing is cached between traces); ` : ''}${a.detail}`,
      });
      ctx.dir = 'reply';
      const answer = (p: Packet): Packet => {
        const pl4 = p.l4?.kind === 'udp' ? p.l4 : { sport: 53, dport: 53 };
        return udp(p.ip.dst, pl4.dport, p.ip.src, pl4.sport, response!);
      };
      const reply = answer(got);
      ctx.emit(
        fate.ns,
        { kind: 'send', process: fate.process, socket: endpointText(got.ip.dst, l4.dport) },
        reply,
      );
      const back = relays.answerBack(localOut(ctx, fate.ns, reply, newSkb()), answer);
      if (back.kind !== 'delivered' || back.ns !== client) {
        outcome = back.kind === 'delivered' ? 'dropped' : outcomeOf(back);
        break;
      }
      if (a.rcode === RCODE.NOERROR && a.answers.length > 0) break;
    } finally {
      relays?.close();
      client.sockets.splice(client.sockets.indexOf(socket), 1);
    }
  }
  world.now += 1;
  return {
    version: TRACE_VERSION,
    flow: { ...flow, proto: 'udp', port: 53 },
    seed,
    outcome,
    events: ctx.events,
    delivered,
    dns: { question: { name: to.name, type: qtype }, tried, response },
  };
}
