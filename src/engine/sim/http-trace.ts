import type { Fate } from '../datapath/context';
import { WalkContext } from '../datapath/context';
import { newSkb } from '../datapath/hooks';
import { localOut } from '../datapath/output';
import { lookupRoute } from '../datapath/route';
import { primaryAddress, type Netns, type Socket } from '../kernel/netns';
import type { World } from '../kernel/world';
import { routeRequest, type IngressDecision } from '../kube/ingress-match';
import type { IngressModel } from '../kube/model';
import { clusterOf } from '../kube/service-registry';
import { formatIp4, ip4, parseIp4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import { endpointText } from '../wire/view';
import { FlowError, outcomeOf } from './outcome';
import { answerTo, firstPacket } from './packets';
import { followRelays } from './relay';
import { resolveSource } from './resolve';
import { createRng } from './rng';
import { traceDns } from './dns-trace';
import {
  TRACE_VERSION,
  type DeliveredView,
  type FlowSpec,
  type HttpMessage,
  type HttpOutcome,
  type Outcome,
  type Trace,
} from './trace-types';

const EPHEMERAL = [32768, 60999] as const;
const NGINX = 'nginx';
const REASONS: Record<number, string> = {
  200: 'OK',
  302: 'Moved Temporarily',
  308: 'Permanent Redirect',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
};

type Url = Extract<FlowSpec['to'], { kind: 'url' }>;
type Delivered = Extract<Fate, { kind: 'delivered' }>;

function response(req: HttpMessage, status: number, location?: string): HttpMessage {
  return { ...req, status, reason: REASONS[status] ?? '', ...(location ? { location } : {}) };
}

/**
 * HOST → address without asking DNS: --resolve, the client's /etc/hosts (Underlay clients'
 * `hosts`), or an IP; undefined when only a resolver could say.
 */
function pinnedHost(world: World, flow: FlowSpec, url: Url, client: Netns) {
  const pinned = flow.resolve?.[url.host];
  if (pinned !== undefined && parseIp4(pinned) !== undefined)
    return { ip: parseIp4(pinned)!, how: 'resolve' as const };
  const host = world.hosts.find((h) => h.rootNs === client.id && h.kind === 'outside');
  const entry = clusterOf(world)
    ?.network.clients?.find((c) => c.name === host?.name)
    ?.hosts?.find((h) => h.hostnames.includes(url.host));
  if (entry) return { ip: ip4(entry.ip), how: 'hosts' as const };
  const literal = parseIp4(url.host);
  if (literal !== undefined) return { ip: literal, how: 'ip' as const };
  return undefined;
}

/** The first address among a DNS answer's A records (after any CNAME), if there is one. */
function firstA(lookup: Trace): Ip4 | undefined {
  const a = lookup.dns?.response?.answers.find((r) => r.type === 'A');
  return a ? parseIp4(a.data) : undefined;
}

/**
 * A `url` flow whose HOST only a resolver knows: the client asks its nameserver first, the
 * way curl's getaddrinfo does (a pod: CoreDNS through the kube-dns Service, walking its search
 * list), then connects to the first address of the answer. One trace: the lookup's events,
 * then the connection's. No answer: the lookup, and curl's "Could not resolve host".
 */
export function traceHttp(world: World, flow: FlowSpec, seed: number): Trace {
  const url = flow.to;
  if (url.kind !== 'url') throw new FlowError('not an HTTP flow');
  const src = resolveSource(world, flow.from);
  if (!src.ok) throw new FlowError(src.error);
  const pinned = pinnedHost(world, flow, url, src.value.ns);
  if (pinned) return connect(world, flow, seed, pinned);
  if (!clusterOf(world)?.dns || (src.value.ns.kind === 'root' && isOutside(world, src.value.ns)))
    throw new FlowError(
      `cannot resolve ${url.host}: ${clusterOf(world)?.dns ? 'an outside client does not ask the cluster DNS' : 'the cluster has no DNS (declare CoreDNS, see docs/DNS.md)'}; pin it with --resolve ${url.host}:IP (or a hosts entry of the Underlay client)`,
    );
  const lookup = traceDns(
    world,
    { from: flow.from, to: { kind: 'dns', name: url.host }, proto: 'udp', port: 53 },
    seed,
    'curl',
  );
  const ip = firstA(lookup);
  if (ip === undefined) {
    const last = lookup.events.at(-1)!;
    const status = lookup.dns?.response?.status ?? 'no answer';
    return {
      ...lookup,
      flow,
      outcome: 'unreachable',
      delivered: null,
      events: [
        ...lookup.events,
        {
          i: lookup.events.length,
          kind: 'drop',
          dir: 'reply',
          node: last.node,
          ns: src.value.ns.id,
          reason: 'unresolved',
          message: `curl: (6) Could not resolve host: ${url.host} (${status})`,
          where: 'resolver',
        },
      ],
    };
  }
  const http = connect(world, flow, seed, { ip, how: 'dns' });
  const offset = lookup.events.length;
  return {
    ...http,
    events: [...lookup.events, ...http.events.map((e) => ({ ...e, i: e.i + offset }))],
    ...(lookup.dns ? { dns: lookup.dns } : {}),
  };
}

function isOutside(world: World, ns: Netns): boolean {
  return world.hosts.some((h) => h.rootNs === ns.id && h.kind !== 'node');
}

function sourceIp(ns: Netns, dst: Ip4, fallback: Ip4): Ip4 {
  const r = lookupRoute(ns, dst).route;
  return (r?.src ?? (r?.dev ? primaryAddress(ns, r.dev) : undefined) ?? fallback) as Ip4;
}

function portOf(p: Packet, which: 'sport' | 'dport'): number | undefined {
  const l4 = p.l4;
  return l4 && l4.kind !== 'icmp' ? l4[which] : undefined;
}

function describeMatch(d: IngressDecision): string {
  const server = `server_name ${d.server.name}${d.server.name === '_' ? ' (the default server: no server_name matches the Host)' : ''}`;
  if (d.kind === 'redirect' && d.why === 'app-root')
    return `${server}: app-root ${d.server.appRoot} answers a request for /`;
  const loc = d.location!;
  const what =
    loc.ingress === null
      ? 'the default backend'
      : `Ingress ${loc.ingress} path ${loc.path} (${loc.pathType === 'default' ? 'defaultBackend' : loc.pathType})${loc.backend ? ` → ${loc.backend.service}:${loc.backend.port}` : ''}`;
  return `${server}, location ${d.nginx ?? ''}: ${what}`;
}

/**
 * A `url` flow (docs/INGRESS.md): the client resolves HOST, opens TCP to it and sends
 * `GET PATH`. The connection walks the data path (NodePort, LoadBalancer, kube-proxy) like any
 * other; when it ends in an ingress-nginx controller pod, nginx takes it (a user-space process,
 * like kube-proxy's userspace mode), matches the request against the servers and locations the
 * Ingresses made, and either answers itself (a redirect, 404, 503) or opens a second connection
 * from its pod straight to one ready endpoint of the backend Service — ingress-nginx balances
 * over the EndpointSlice itself, the ClusterIP is not used. The answer returns on both legs.
 */
function connect(
  world: World,
  flow: FlowSpec,
  seed: number,
  resolved: { ip: Ip4; how: HttpOutcome['resolved']['how'] },
): Trace {
  const url = flow.to;
  if (url.kind !== 'url') throw new FlowError('not an HTTP flow');
  const src = resolveSource(world, flow.from);
  if (!src.ok) throw new FlowError(src.error);
  const client = src.value.ns;
  const port = url.port ?? (url.scheme === 'https' ? 443 : 80);
  const defaultPort = url.scheme === 'https' ? 443 : 80;
  const request: HttpMessage = {
    method: 'GET',
    host: port === defaultPort ? url.host : `${url.host}:${port}`,
    path: url.path,
  };
  const ctx = new WalkContext(world, createRng(seed));
  const srcIp = sourceIp(client, resolved.ip, src.value.ip);
  const sport = ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]);
  const syn = { ...firstPacket('tcp', srcIp, resolved.ip, sport, port, 0), http: request };
  const opened: { ns: Netns; socket: Socket }[] = [];
  const open = (ns: Netns, socket: Socket) => {
    ns.sockets.push(socket);
    opened.push({ ns, socket });
  };
  open(client, { proto: 'tcp', ip: srcIp, port: sport, process: 'curl' });
  const legs: ReturnType<typeof followRelays>[] = [];
  const result: HttpOutcome = {
    request,
    resolved: { ip: formatIp4(resolved.ip), how: resolved.how },
    response: null,
  };
  let outcome: Outcome;
  let delivered: DeliveredView | null = null;
  try {
    ctx.emit(client, { kind: 'send', process: 'curl', socket: endpointText(srcIp, sport) }, syn);
    const first = followRelays(ctx, localOut(ctx, client, syn, newSkb()));
    legs.push(first);
    const fate = first.fate;
    outcome = outcomeOf(fate);
    if (fate.kind === 'answered') {
      ctx.dir = 'reply';
      ctx.emit(
        fate.answerFrom,
        { kind: 'send', process: 'kernel', socket: formatIp4(fate.answer.ip.src) },
        fate.answer,
      );
      localOut(ctx, fate.answerFrom, fate.answer, newSkb());
    }
    if (fate.kind === 'delivered') {
      const got = fate.packet;
      delivered = {
        ns: fate.ns.id,
        proto: 'tcp',
        src: endpointText(got.ip.src, portOf(got, 'sport')),
        dst: endpointText(got.ip.dst, portOf(got, 'dport')),
      };
      const ingress = clusterOf(world)?.ingress;
      const answer = ingress?.pods.includes(fate.ns.id)
        ? controller(ctx, ingress, fate, request, url, result, open, legs)
        : response(request, 200);
      if (!ingress?.pods.includes(fate.ns.id))
        ctx.emit(fate.ns, {
          kind: 'relay',
          process: fate.process,
          detail: `${fate.process} answers GET ${request.path} (Host: ${request.host}) with 200 OK: no ingress controller on this path`,
        });
      ctx.dir = 'reply';
      const withHttp = (p: Packet): Packet => ({ ...answerTo(p), http: answer });
      const reply = withHttp(got);
      ctx.emit(
        fate.ns,
        {
          kind: 'send',
          process: ingress?.pods.includes(fate.ns.id) ? NGINX : fate.process,
          socket: endpointText(got.ip.dst, portOf(got, 'dport')),
        },
        reply,
      );
      const back = first.answerBack(localOut(ctx, fate.ns, reply, newSkb()), withHttp);
      if (back.kind === 'delivered' && back.ns === client) result.response = answer;
      else outcome = back.kind === 'delivered' ? 'dropped' : outcomeOf(back);
    }
    world.now += 1;
    return {
      version: TRACE_VERSION,
      flow,
      seed,
      outcome,
      events: ctx.events,
      delivered,
      http: result,
    };
  } finally {
    for (const l of legs) l.close();
    for (const o of opened) o.ns.sockets.splice(o.ns.sockets.indexOf(o.socket), 1);
  }
}

/** nginx in the controller pod: route the request, answer it or proxy it upstream. */
function controller(
  ctx: WalkContext,
  model: IngressModel,
  accepted: Delivered,
  request: HttpMessage,
  url: Url,
  result: HttpOutcome,
  open: (ns: Netns, s: Socket) => void,
  legs: ReturnType<typeof followRelays>[],
): HttpMessage {
  const ns = accepted.ns;
  const got = accepted.packet;
  const scheme = portOf(got, 'dport') === 443 ? 'https' : url.scheme;
  const d = routeRequest(model, {
    scheme,
    host: url.host,
    hostHeader: request.host,
    uri: request.path,
  });
  const relay = (detail: string) => ctx.emit(ns, { kind: 'relay', process: NGINX, detail });
  const client = endpointText(got.ip.src, portOf(got, 'sport'));
  relay(
    `accepts ${client} on ${endpointText(got.ip.dst, portOf(got, 'dport'))}${scheme === 'https' ? ` (TLS terminated with ${d.server.tls?.secretName ? `secret ${d.server.tls.secretName}` : 'the default fake certificate'}; the handshake is not modelled)` : ''} and reads GET ${request.path} Host: ${request.host}; ${describeMatch(d)}`,
  );
  const loc = d.kind === 'redirect' && d.why === 'app-root' ? undefined : d.location;
  result.ingress = {
    server: d.server.name,
    location: d.nginx ?? '',
    ingress: loc?.ingress ?? null,
    backend: loc?.backend ? `${loc.backend.service}:${loc.backend.port}` : null,
  };
  if (d.kind === 'redirect') {
    relay(
      d.why === 'app-root'
        ? `returns ${d.status} ${REASONS[d.status]}, Location: ${d.to} (nginx.ingress.kubernetes.io/app-root); no upstream connection`
        : `returns ${d.status} ${REASONS[d.status]}, Location: ${d.to}: the host has TLS and ssl-redirect is on (the default); no upstream connection`,
    );
    return response(request, d.status, d.to);
  }
  if (d.kind === 'default') {
    relay(`no Ingress rule matches: the default backend answers 404 Not Found`);
    return response(request, 404);
  }
  const backend = d.location.backend!;
  if (d.upstreamUri !== request.path)
    relay(
      `rewrite "(?i)${d.location.path}" ${d.location.rewriteTarget} break; (nginx.ingress.kubernetes.io/rewrite-target): ${request.path} → ${d.upstreamUri}`,
    );
  if (backend.problem || backend.endpoints.length === 0) {
    relay(
      `${backend.problem ?? `service ${backend.service} has no ready endpoints`}: returns 503 ${REASONS[503]}`,
    );
    return response(request, 503);
  }
  const n = backend.endpoints.length;
  const ep = backend.endpoints[ctx.rng.int(0, n - 1)]!;
  const upstreamName = `${backend.service.replace('/', '-')}-${backend.port}`;
  result.ingress.upstream = ep;
  result.ingress.upstreamPath = d.upstreamUri;
  const cut = ep.lastIndexOf(':');
  const dst = ip4(ep.slice(0, cut));
  const dport = Number(ep.slice(cut + 1));
  const src = sourceIp(ns, dst, 0 as Ip4);
  const sport = ctx.rng.int(EPHEMERAL[0], EPHEMERAL[1]);
  open(ns, { proto: 'tcp', ip: src, port: sport, process: NGINX });
  relay(
    `proxy_pass http://upstream_balancer: upstream ${upstreamName} picks endpoint ${ep} of ${n} (round_robin; the controller balances over the EndpointSlice itself, not through the ClusterIP); client_max_body_size ${d.location.proxyBodySize}`,
  );
  const upstreamReq: HttpMessage = { ...request, path: d.upstreamUri };
  const syn = { ...firstPacket('tcp', src, dst, sport, dport, 0), http: upstreamReq };
  ctx.emit(ns, { kind: 'send', process: NGINX, socket: endpointText(src, sport) }, syn);
  const up = followRelays(ctx, localOut(ctx, ns, syn, newSkb()));
  legs.push(up);
  const f = up.fate;
  if (f.kind === 'answered') {
    const dir = ctx.dir;
    ctx.dir = 'reply';
    ctx.emit(
      f.answerFrom,
      { kind: 'send', process: 'kernel', socket: formatIp4(f.answer.ip.src) },
      f.answer,
    );
    localOut(ctx, f.answerFrom, f.answer, newSkb());
    ctx.dir = dir;
  }
  if (f.kind !== 'delivered') {
    relay(`the upstream connection to ${ep} failed (${f.kind}): returns 502 ${REASONS[502]}`);
    return response(request, 502);
  }
  const answer = response(upstreamReq, 200);
  const dir = ctx.dir;
  ctx.dir = 'reply';
  const withHttp = (p: Packet): Packet => ({ ...answerTo(p), http: answer });
  const reply = withHttp(f.packet);
  ctx.emit(
    f.ns,
    {
      kind: 'send',
      process: f.process,
      socket: endpointText(f.packet.ip.dst, portOf(f.packet, 'dport')),
    },
    reply,
  );
  const back = up.answerBack(localOut(ctx, f.ns, reply, newSkb()), withHttp);
  ctx.dir = dir;
  if (back.kind !== 'delivered' || back.ns !== ns) {
    relay(`no answer came back from ${ep}: returns 502 ${REASONS[502]}`);
    return response(request, 502);
  }
  ctx.dir = 'reply';
  relay(`copies the upstream's 200 OK to the client's connection (${client})`);
  ctx.dir = dir;
  return response(request, 200);
}
