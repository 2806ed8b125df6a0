/**
 * The trace contract (DESIGN.md §4). Everything here is plain JSON: addresses are strings,
 * there are no class instances, and nothing is translated: the UI and the CLI turn events
 * into words. `trace --json` prints a `Trace` as is, so fields are only ever added.
 */

export const TRACE_VERSION = 1;

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter' | 'security';
export type Direction = 'request' | 'reply';

/** Headers as printed: addresses as dotted quads, MACs in colon form. */
export interface PacketView {
  eth?: { src: string; dst: string; type: number };
  ip: { src: string; dst: string; proto: number; ttl: number; len: number };
  tcp?: { sport: number; dport: number; flags: string };
  udp?: { sport: number; dport: number; len: number };
  icmp?: { type: number; code: number; id: number; seq: number };
  vxlan?: { vni: number };
  inner?: PacketView;
  payloadLen: number;
  app?: string;
  /** A DNS message in the UDP payload (query or response), as dig shows it. */
  dns?: DnsMessage;
  /** The HTTP request (or response) this TCP connection carries (docs/INGRESS.md). */
  http?: HttpMessage;
}

/**
 * An HTTP/1.1 exchange on a connection. A trace shows a connection by its first packet each way,
 * so the request rides on the SYN and the response on the SYN-ACK: what the connection carries.
 */
export interface HttpMessage {
  method: string;
  /** The Host header. */
  host: string;
  /** The request URI (path and query), as sent on this leg. */
  path: string;
  /** A response: its status code, reason phrase and the Location header of a redirect. */
  status?: number;
  reason?: string;
  location?: string;
}

export type DnsType = 'A' | 'SRV' | 'PTR' | 'CNAME' | 'SOA';

/** One resource record; `data` is the RDATA in zone-file form ("10.96.0.10", "0 100 80 web..."). */
export interface DnsRecord {
  name: string;
  type: DnsType;
  ttl: number;
  data: string;
}

/** A DNS message (RFC 1035 §4.1): header flags, the question, and for a response its sections. */
export interface DnsMessage {
  id: number;
  /** Header flags: qr (a response), aa (authoritative), rd (recursion desired), ra (available). */
  flags: { qr: boolean; aa: boolean; rd: boolean; ra: boolean };
  /** 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN. */
  rcode: number;
  /** The rcode's name: NOERROR, SERVFAIL, NXDOMAIN. */
  status: string;
  question: { name: string; type: DnsType };
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
}

/** Where an endpoint of a flow is, as the CLI spells it (DESIGN.md §4). */
export type EndpointSpec =
  | { kind: 'pod'; namespace: string; name: string }
  | { kind: 'node'; name: string }
  | { kind: 'svc'; namespace: string; name: string; port: number }
  | { kind: 'ip'; ip: string; port?: number }
  | { kind: 'ext'; name: string }
  /** A DNS query for NAME (type A unless given), sent to the source's nameserver on UDP 53. */
  | { kind: 'dns'; name: string; type?: 'A' | 'SRV' | 'PTR' | 'CNAME' }
  /**
   * An HTTP request `scheme://host[:port]/path` (docs/INGRESS.md): a TCP connection to the
   * address HOST resolves to (`FlowSpec.resolve`, the client's hosts entries, or HOST itself when
   * it is an IP), carrying `GET path` with `Host: host`.
   */
  | { kind: 'url'; scheme: 'http' | 'https'; host: string; port?: number; path: string };

export interface FlowSpec {
  from: EndpointSpec;
  to: EndpointSpec;
  proto: 'tcp' | 'udp' | 'icmp';
  /** Destination port when `to` does not fix one (pods, nodes). Default 80 for tcp/udp. */
  port?: number;
  /** Host names pinned to addresses for a `url` destination, as curl's --resolve HOST:IP. */
  resolve?: Record<string, string>;
}

export type Outcome =
  | 'delivered'
  | 'dropped'
  | 'rejected'
  | 'refused'
  | 'no-route'
  | 'ttl-exceeded'
  | 'unreachable'
  | 'loop';

interface Base {
  /** Position in the trace, from 0. */
  i: number;
  dir: Direction;
  /** Kubernetes node (or outside host) name. */
  node: string;
  /** The namespace: the node name for a root namespace, `NS/POD` for a pod. */
  ns: string;
  /** The packet after this step, when the step concerns a packet. */
  packet?: PacketView;
}

/** A process writes to a socket: the packet is born. */
export interface SendEvent extends Base {
  kind: 'send';
  process: string;
  socket: string;
}
/** The route lookup, with the route that matched in `ip route` syntax. */
export interface RouteEvent extends Base {
  kind: 'route';
  table: string;
  route: string | null;
  result: 'local' | 'unicast' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit';
  dev?: string;
  via?: string;
}
/** Neighbour resolution: answered from the cache, or by an ARP request/reply exchange. */
export interface ArpEvent extends Base {
  kind: 'arp';
  dev: string;
  ip: string;
  mac: string | null;
  how: 'cache' | 'request-reply' | 'static' | 'proxy' | 'failed';
}
/** A frame leaves a device and arrives on the other end of the link. */
export interface TransmitEvent extends Base {
  kind: 'transmit';
  link: 'veth' | 'bridge-port' | 'wire' | 'loopback' | 'tunnel';
  from: { node: string; ns: string; dev: string };
  to: { node: string; ns: string; dev: string };
}
/** A bridge decides where a frame goes. */
export interface BridgeEvent extends Base {
  kind: 'bridge';
  bridge: string;
  inPort: string;
  action: 'forward' | 'flood' | 'local' | 'hairpin';
  outPorts: string[];
  /** The FDB entry used ("02:..:.. dev vethX master cni0"), or null for a flood. */
  fdb: string | null;
  learned?: string;
}
/** The packet enters a netfilter hook (`family` bridge when br_netfilter sends a bridged frame through iptables). */
export interface HookEvent extends Base {
  kind: 'hook';
  hook: Hook;
  family: 'ipv4' | 'bridge';
  dev?: string;
}
/**
 * One rule evaluated, or a chain's policy applied (`rule: null`). Matched rules and applied
 * policies are exactly the kernel's own trace. Unmatched rules carry `matched: false`; a run
 * of them is one event with `range` [first, last] (1-based rule numbers in the chain).
 */
export interface NetfilterEvent extends Base {
  kind: 'netfilter';
  hook: Hook;
  table: TableName;
  chain: string;
  rule: string | null;
  /** 1-based rule number in the chain, null for a policy. */
  index: number | null;
  matched: boolean;
  range?: [number, number];
  /** ACCEPT, DROP, REJECT, RETURN, JUMP KUBE-SVC-..., GOTO ..., DNAT, SNAT, MASQUERADE, MARK, CONTINUE... */
  verdict: string;
}
export interface NatEvent extends Base {
  kind: 'nat';
  type: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' | 'de-DNAT' | 'de-SNAT';
  hook: Hook;
  before: string;
  after: string;
  /** The header snapshot before the rewrite (`packet` is after). */
  prev?: PacketView;
}
export interface ConntrackEvent extends Base {
  kind: 'conntrack';
  action: 'new' | 'hit' | 'confirm' | 'untracked';
  state: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
  /** The entry as `conntrack -L` prints it. */
  entry: string;
}
export interface EncapEvent extends Base {
  kind: 'encap' | 'decap';
  dev: string;
  tunnel: 'vxlan' | 'ipip' | 'udp';
  /** Bytes added (encap) or removed (decap). */
  overhead: number;
  prev?: PacketView;
}
export interface DeliverEvent extends Base {
  kind: 'deliver';
  process: string;
  socket: string;
  /** What the receiving socket sees: src and dst as IP:PORT. */
  src: string;
  dst: string;
}
export interface RelayEvent extends Base {
  kind: 'relay';
  process: string;
  detail: string;
}
export interface DropEvent extends Base {
  kind: 'drop';
  /** A stable code the UI translates (no-route, ttl-exceeded, rejected, refused, ...). */
  reason: string;
  /** The reason in plain English for the CLI and logs, e.g. "no route to 10.96.0.10". */
  message: string;
  where: string;
}

export type TraceEvent =
  | SendEvent
  | RouteEvent
  | ArpEvent
  | TransmitEvent
  | BridgeEvent
  | HookEvent
  | NetfilterEvent
  | NatEvent
  | ConntrackEvent
  | EncapEvent
  | DeliverEvent
  | RelayEvent
  | DropEvent;

export type TraceEventKind = TraceEvent['kind'];

export interface DeliveredView {
  ns: string;
  proto: 'tcp' | 'udp' | 'icmp';
  src: string;
  dst: string;
}

export interface Trace {
  version: number;
  flow: FlowSpec;
  seed: number;
  outcome: Outcome;
  events: TraceEvent[];
  delivered: DeliveredView | null;
  /** A `dns:` flow: the question, every name tried (search list), and the final answer. */
  dns?: DnsOutcome;
  /** A `url` flow: the request, where the ingress controller sent it, and the response. */
  http?: HttpOutcome;
}

export interface HttpOutcome {
  request: HttpMessage;
  /** The address HOST resolved to, and how (resolve, hosts, ip). */
  resolved: { ip: string; how: 'resolve' | 'hosts' | 'ip' | 'dns' };
  /** The ingress rule that matched: server_name, location, Ingress, backend Service:port. */
  ingress?: {
    server: string;
    location: string;
    ingress: string | null;
    backend: string | null;
    /** The upstream's address (a pod IP:targetPort), when the request was proxied. */
    upstream?: string;
    /** The URI sent upstream (after rewrite-target). */
    upstreamPath?: string;
  };
  /** The response the client got, or null when none came back. */
  response: HttpMessage | null;
}

export interface DnsOutcome {
  question: { name: string; type: DnsType };
  /** The absolute names queried, one round trip each, in order. */
  tried: string[];
  /** The last response, or null when none came back. */
  response: DnsMessage | null;
}
