import { dnsSummary, recordText } from '../wire/dns';
import type {
  DnsMessage,
  EndpointSpec,
  FlowSpec,
  HttpMessage,
  PacketView,
  Trace,
  TraceEvent,
} from './trace-types';

/** An endpoint in CLI syntax: pod:NS/NAME, node:NAME, svc:NS/NAME:PORT, ip:A.B.C.D[:PORT], ext:NAME. */
export function endpointLabel(e: EndpointSpec): string {
  switch (e.kind) {
    case 'pod':
      return `pod:${e.namespace}/${e.name}`;
    case 'node':
      return `node:${e.name}`;
    case 'svc':
      return `svc:${e.namespace}/${e.name}:${e.port}`;
    case 'ip':
      return e.port === undefined ? `ip:${e.ip}` : `ip:${e.ip}:${e.port}`;
    case 'ext':
      return `ext:${e.name}`;
    case 'dns':
      return e.type === undefined || e.type === 'A' ? `dns:${e.name}` : `dns:${e.name}/${e.type}`;
    case 'url':
      return `${e.scheme}://${e.host}${e.port === undefined ? '' : `:${e.port}`}${e.path}`;
  }
}

export function flowLabel(f: FlowSpec): string {
  const port =
    f.proto === 'icmp'
      ? ''
      : f.to.kind === 'svc' ||
          f.to.kind === 'dns' ||
          f.to.kind === 'url' ||
          (f.to.kind === 'ip' && f.to.port !== undefined)
        ? ''
        : `/${f.port ?? 80}`;
  return `${endpointLabel(f.from)} → ${endpointLabel(f.to)} ${f.proto}${port}`;
}

/** Addresses and ports in tcpdump's style: "10.244.0.2.41234 > 10.244.0.3.80: Flags [S]". */
export function packetSummary(p: PacketView | undefined): string {
  if (!p) return '';
  const l4 = p.tcp ?? p.udp;
  const ends = l4
    ? `${p.ip.src}:${l4.sport} > ${p.ip.dst}:${l4.dport}`
    : `${p.ip.src} > ${p.ip.dst}`;
  const what = p.tcp
    ? `tcp [${p.tcp.flags}]`
    : p.udp
      ? 'udp'
      : p.icmp
        ? `icmp type ${p.icmp.type} code ${p.icmp.code}`
        : `proto ${p.ip.proto}`;
  return `${ends} ${what} ttl ${p.ip.ttl}${p.dns ? ` ${dnsSummary(p.dns)}` : ''}${p.http ? ` ${httpSummary(p.http)}` : ''}`;
}

/** "GET /foo Host: foo.bar.com" or "HTTP/1.1 302 Found Location: ...". */
export function httpSummary(m: HttpMessage): string {
  if (m.status === undefined) return `[http GET ${m.path} Host: ${m.host}]`;
  return `[http ${m.status} ${m.reason ?? ''}${m.location ? ` Location: ${m.location}` : ''}]`;
}

/** A DNS response's sections as dig prints them, indented under the event that carries it. */
function dnsSections(m: DnsMessage, pad: string): string[] {
  const out = [
    `${pad};; ->>HEADER<<- opcode: QUERY, status: ${m.status}, id: ${m.id}`,
    `${pad};; flags: ${(['qr', 'aa', 'rd', 'ra'] as const).filter((f) => m.flags[f]).join(' ')}; QUERY: 1, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}`,
    `${pad};; QUESTION SECTION:`,
    `${pad};${m.question.name}\t\tIN\t${m.question.type}`,
  ];
  const section = (title: string, rs: DnsMessage['answers']) => {
    if (rs.length === 0) return;
    out.push(`${pad};; ${title} SECTION:`, ...rs.map((r) => `${pad}${recordText(r)}`));
  };
  section('ANSWER', m.answers);
  section('AUTHORITY', m.authority);
  section('ADDITIONAL', m.additional);
  return out;
}

function describe(e: TraceEvent): string {
  switch (e.kind) {
    case 'send':
      return `${e.process} sends from ${e.socket}: ${packetSummary(e.packet)}`;
    case 'route':
      return e.route === null
        ? `route: none matches ${e.packet?.ip.dst ?? ''}`
        : `route (table ${e.table}): ${e.route}`;
    case 'arp':
      return e.how === 'failed'
        ? `ARP who-has ${e.ip} on ${e.dev}: no answer`
        : `ARP ${e.ip} is-at ${e.mac ?? '?'} on ${e.dev} (${e.how})`;
    case 'transmit':
      return `${e.link} ${e.from.ns}:${e.from.dev} → ${e.to.ns}:${e.to.dev}`;
    case 'bridge':
      return `bridge ${e.bridge} in ${e.inPort}: ${e.action}${e.outPorts.length ? ` → ${e.outPorts.join(', ')}` : ''}${e.fdb ? ` (fdb ${e.fdb})` : ''}${e.learned ? `; learned ${e.learned}` : ''}`;
    case 'hook':
      return `hook ${e.hook}${e.family === 'bridge' ? ' (br_netfilter)' : ''}${e.dev ? ` dev ${e.dev}` : ''}`;
    case 'netfilter': {
      const where = `${e.table} ${e.chain}`;
      if (e.rule === null) return `${where}: policy ${e.verdict}`;
      if (!e.matched)
        return `${where}: rule${e.range && e.range[1] !== e.range[0] ? `s ${e.range[0]}-${e.range[1]}` : ` ${e.index ?? ''}`} no match`;
      return `${where}: rule ${e.index ?? ''} ${e.verdict}: ${e.rule}`;
    }
    case 'nat':
      return `${e.type} at ${e.hook}: ${e.before} → ${e.after}`;
    case 'conntrack':
      return `conntrack ${e.action} ${e.state}: ${e.entry}`;
    case 'encap':
      return `encap ${e.tunnel} on ${e.dev} (+${e.overhead} bytes): outer ${packetSummary(e.packet)}${e.packet?.vxlan ? ` vni ${e.packet.vxlan.vni}` : ''}${e.packet?.inner === undefined && e.packet?.app ? `, carrying ${e.packet.app}` : ''}`;
    case 'decap':
      // An ARP frame inside VXLAN has no IP header of its own to show.
      return e.packet?.inner === undefined && e.packet?.vxlan && e.packet.app
        ? `decap ${e.tunnel} on ${e.dev} (-${e.overhead} bytes): ${e.packet.app}`
        : `decap ${e.tunnel} on ${e.dev} (-${e.overhead} bytes): inner ${packetSummary(e.packet)}`;
    case 'deliver':
      return `delivered to ${e.process} on ${e.socket}: sees ${e.src} → ${e.dst}`;
    case 'relay':
      return `${e.process} relays: ${e.detail}`;
    case 'drop':
      return `DROP: ${e.message}`;
  }
}

/** The trace as text, one line per event: what `packetwalk trace` prints and golden files hold. */
export function formatTraceText(t: Trace): string {
  const lines = [`flow: ${flowLabel(t.flow)} (seed ${t.seed})`, `outcome: ${t.outcome}`];
  if (t.delivered)
    lines.push(`delivered: ${t.delivered.src} → ${t.delivered.dst} as seen in ${t.delivered.ns}`);
  const width = Math.max(...t.events.map((e) => e.ns.length), 4);
  for (const e of t.events) {
    lines.push(
      `${String(e.i).padStart(3)} ${e.dir === 'request' ? '→' : '←'} ${e.ns.padEnd(width)}  ${describe(e)}`,
    );
    // The server's answer, once, where it is born.
    if (e.kind === 'send' && e.packet?.dns?.flags.qr)
      lines.push(...dnsSections(e.packet.dns, ' '.repeat(width + 8)));
  }
  return `${lines.join('\n')}\n`;
}
