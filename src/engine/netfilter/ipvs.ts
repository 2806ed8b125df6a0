/**
 * IPVS (the kernel's L4 load balancer, kube-proxy's ipvs mode). Hooked where the kernel hooks
 * it (net/netfilter/ipvs/ip_vs_core.c):
 * - `ip_vs_remote_request4` at NF_INET_LOCAL_IN, priority NF_IP_PRI_NAT_SRC - 2 (98): after the
 *   filter INPUT chain, a request to a virtual service is scheduled to a real server and, in
 *   masquerade (NAT) mode, its destination rewritten; the packet then leaves through LOCAL_OUT
 *   and POSTROUTING instead of reaching a socket;
 * - `ip_vs_local_request4` at NF_INET_LOCAL_OUT, priority NF_IP_PRI_NAT_DST + 2 (-98): the same
 *   for a connection a local process opens to the virtual address;
 * - `ip_vs_reply4` at NF_INET_FORWARD, priority NF_IP_PRI_NAT_SRC - 1 (99), and
 *   `ip_vs_local_reply4` at LOCAL_OUT: the real server's reply gets the virtual address back.
 * IPVS cannot be loaded on the machine this was written on, so `ipvsadm -Ln` follows
 * ipvsadm 1.31's printf formats (docs/KERNEL-NOTES.md).
 */
import type { Diagnostic } from '../diagnostics';
import { formatIp4, parseIp4, type Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { Rng } from '../sim/rng';

export type IpvsProto = 'TCP' | 'UDP';
export type Scheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh';
export type Forward = 'Masq' | 'Route' | 'Tunnel' | 'Local';

export interface IpvsDest {
  ip: Ip4;
  port: number;
  weight: number;
  fwd: Forward;
  activeConns: number;
  inactConns: number;
}
export interface IpvsService {
  proto: IpvsProto;
  vip: Ip4;
  port: number;
  scheduler: Scheduler;
  /** `-p TIMEOUT`: a client sticks to its real server for this many seconds. */
  persistent: number | null;
  dests: IpvsDest[];
  /** Scheduler state: rr position; wrr position and current weight. */
  pos: number;
  cw: number;
}
export interface IpvsConn {
  proto: IpvsProto;
  client: Ip4;
  cport: number;
  vip: Ip4;
  vport: number;
  dest: IpvsDest;
  state: 'SYN_RECV' | 'ESTABLISHED' | 'UDP';
  expires: number;
}
export interface IpvsState {
  services: IpvsService[];
  conns: IpvsConn[];
}

export function createIpvs(): IpvsState {
  return { services: [], conns: [] };
}

const protoOf = (p: Packet): IpvsProto | null =>
  p.l4?.kind === 'tcp' ? 'TCP' : p.l4?.kind === 'udp' ? 'UDP' : null;

export function findService(
  s: IpvsState,
  proto: IpvsProto,
  vip: number,
  port: number,
): IpvsService | undefined {
  // The kernel hashes virtual services (ip_vs_svc_hashkey); a scan would make the first
  // packet grow with the number of Services. Only addService appends, so a length check keeps
  // the index true.
  let index = serviceIndex.get(s);
  if (!index || index.count !== s.services.length) {
    const byKey = new Map<string, IpvsService>();
    for (const v of s.services) {
      const key = `${v.proto}/${v.vip}/${v.port}`;
      if (!byKey.has(key)) byKey.set(key, v);
    }
    index = { count: s.services.length, byKey };
    serviceIndex.set(s, index);
  }
  return index.byKey.get(`${proto}/${vip}/${port}`);
}

const serviceIndex = new WeakMap<IpvsState, { count: number; byKey: Map<string, IpvsService> }>();

export function addService(
  s: IpvsState,
  spec: {
    proto: IpvsProto;
    vip: Ip4;
    port: number;
    scheduler?: Scheduler;
    persistent?: number | null;
  },
): IpvsService {
  const found = findService(s, spec.proto, spec.vip, spec.port);
  if (found) return found;
  const svc: IpvsService = {
    proto: spec.proto,
    vip: spec.vip,
    port: spec.port,
    scheduler: spec.scheduler ?? 'wlc',
    persistent: spec.persistent ?? null,
    dests: [],
    pos: -1,
    cw: 0,
  };
  s.services.push(svc);
  return svc;
}

export function addDest(
  svc: IpvsService,
  d: { ip: Ip4; port: number; weight?: number; fwd?: Forward },
): IpvsDest {
  const dest: IpvsDest = {
    ip: d.ip,
    port: d.port,
    weight: d.weight ?? 1,
    fwd: d.fwd ?? 'Masq',
    activeConns: 0,
    inactConns: 0,
  };
  svc.dests.push(dest);
  return dest;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The real server for a new connection, by the service's scheduler; null when none can serve. */
export function schedule(svc: IpvsService, client: Ip4, rng: Rng): IpvsDest | null {
  const live = svc.dests.filter((d) => d.weight > 0);
  if (live.length === 0) return null;
  const n = svc.dests.length;
  switch (svc.scheduler) {
    case 'rr':
      for (let i = 1; i <= n; i++) {
        const d = svc.dests[(svc.pos + i + n) % n]!;
        if (d.weight > 0) {
          svc.pos = svc.dests.indexOf(d);
          return d;
        }
      }
      return null;
    case 'wrr': {
      // ip_vs_wrr: step through the list, lowering the current weight by the gcd each lap.
      const mw = Math.max(...svc.dests.map((d) => d.weight));
      const di = svc.dests.reduce((g, d) => (d.weight > 0 ? gcd(g, d.weight) : g), 0) || 1;
      for (let guard = 0; guard < n * (mw / di + 1); guard++) {
        svc.pos = (svc.pos + 1) % n;
        if (svc.pos === 0) {
          svc.cw -= di;
          if (svc.cw <= 0) svc.cw = mw;
        }
        const d = svc.dests[svc.pos]!;
        if (d.weight >= svc.cw && d.weight > 0) return d;
      }
      return null;
    }
    case 'lc':
    case 'wlc': {
      // ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one.
      const cost = (d: IpvsDest) =>
        (d.activeConns * 256 + d.inactConns) / (svc.scheduler === 'wlc' ? d.weight : 1);
      return live.reduce((best, d) => (cost(d) < cost(best) ? d : best));
    }
    case 'sh': {
      // ip_vs_sh: 256 buckets, each real server taking `weight` consecutive ones; hash_32(src).
      const table: IpvsDest[] = [];
      for (let i = 0, k = 0, c = 0; i < 256; i++) {
        const d = live[k % live.length]!;
        table.push(d);
        if (++c >= d.weight) {
          k++;
          c = 0;
        }
      }
      return table[(Math.imul(client, 0x61c88647) >>> 0) >>> 24]!;
    }
    default:
      return live[rng.int(0, live.length - 1)]!;
  }
}

export type IpvsResult =
  | { kind: 'none' }
  | {
      kind: 'forward';
      packet: Packet;
      dest: IpvsDest;
      conn: IpvsConn;
      isNew: boolean;
      before: string;
      after: string;
    }
  | { kind: 'no-dest'; service: IpvsService };

const ipPort = (ip: number, port: number) => `${formatIp4(ip as Ip4)}:${port}`;

/**
 * ip_vs_in: a packet to a virtual service (at LOCAL_IN, or LOCAL_OUT for local clients).
 * Existing connections keep their real server; a new one is scheduled (persistence keeps a
 * client on its last server). Masquerade rewrites the destination; the other forwarding
 * methods leave the addresses alone.
 */
export function ipvsIn(s: IpvsState, p: Packet, opts: { rng: Rng; now: number }): IpvsResult {
  const proto = protoOf(p);
  if (!proto || !p.l4 || p.l4.kind === 'icmp') return { kind: 'none' };
  const { sport, dport } = p.l4;
  const svc = findService(s, proto, p.ip.dst, dport);
  if (!svc) return { kind: 'none' };
  s.conns = s.conns.filter((c) => c.expires > opts.now);
  let conn = s.conns.find(
    (c) =>
      c.proto === proto &&
      c.client === p.ip.src &&
      c.cport === sport &&
      c.vip === svc.vip &&
      c.vport === svc.port,
  );
  let isNew = false;
  if (!conn) {
    const sticky = svc.persistent
      ? s.conns.find((c) => c.client === p.ip.src && c.vip === svc.vip && c.vport === svc.port)
          ?.dest
      : undefined;
    const dest = sticky ?? schedule(svc, p.ip.src, opts.rng);
    if (!dest) return { kind: 'no-dest', service: svc };
    conn = {
      proto,
      client: p.ip.src,
      cport: sport,
      vip: svc.vip,
      vport: svc.port,
      dest,
      state: proto === 'UDP' ? 'UDP' : 'SYN_RECV',
      expires: opts.now + (proto === 'UDP' ? 300 : 60),
    };
    dest.inactConns++;
    s.conns.push(conn);
    isNew = true;
  } else if (conn.state === 'SYN_RECV' && p.l4.kind === 'tcp' && p.l4.flags === 'A') {
    conn.state = 'ESTABLISHED';
    conn.dest.inactConns--;
    conn.dest.activeConns++;
    conn.expires = opts.now + 900;
  }
  const d = conn.dest;
  const packet: Packet =
    d.fwd === 'Masq' ? { ...p, ip: { ...p.ip, dst: d.ip }, l4: { ...p.l4, dport: d.port } } : p;
  return {
    kind: 'forward',
    packet,
    dest: d,
    conn,
    isNew,
    before: ipPort(p.ip.dst, dport),
    after: ipPort(d.ip, d.port),
  };
}

/** ip_vs_out: a real server's reply gets the virtual address back (masquerade only). */
export function ipvsOut(
  s: IpvsState,
  p: Packet,
): { packet: Packet; before: string; after: string } | null {
  const proto = protoOf(p);
  if (!proto || !p.l4 || p.l4.kind === 'icmp') return null;
  const { sport, dport } = p.l4;
  const c = s.conns.find(
    (x) =>
      x.proto === proto &&
      x.dest.ip === p.ip.src &&
      x.dest.port === sport &&
      x.client === p.ip.dst &&
      x.cport === dport,
  );
  if (!c || c.dest.fwd !== 'Masq') return null;
  return {
    packet: { ...p, ip: { ...p.ip, src: c.vip }, l4: { ...p.l4, sport: c.vport } },
    before: ipPort(p.ip.src, sport),
    after: ipPort(c.vip, c.vport),
  };
}

const cmpNum = (a: number, b: number) => a - b;

/** `ipvsadm -Ln`: services sorted by protocol, address and port, real servers by address and port. */
export function ipvsadmList(s: IpvsState): string {
  const out = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  const order = (x: IpvsService) => (x.proto === 'TCP' ? 6 : 17);
  const svcs = [...s.services].sort(
    (a, b) => cmpNum(order(a), order(b)) || cmpNum(a.vip, b.vip) || cmpNum(a.port, b.port),
  );
  for (const v of svcs) {
    out.push(
      `${v.proto}  ${ipPort(v.vip, v.port)} ${v.scheduler}${v.persistent ? ` persistent ${v.persistent}` : ''}`,
    );
    const dests = [...v.dests].sort((a, b) => cmpNum(a.ip, b.ip) || cmpNum(a.port, b.port));
    for (const d of dests)
      out.push(
        `  -> ${ipPort(d.ip, d.port).padEnd(28)} ${d.fwd.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(d.activeConns).padEnd(10)} ${String(d.inactConns).padEnd(10)}`,
      );
  }
  return out.join('\n');
}

const FWD_FLAG: Record<string, Forward> = { '-m': 'Masq', '-g': 'Route', '-i': 'Tunnel' };

/**
 * `ipvsadm -R` input (what `ipvsadm -S -n` prints): `-A -t|-u VIP:PORT [-s SCHED] [-p [T]]`
 * and `-a -t|-u VIP:PORT -r RIP:PORT [-m|-g|-i] [-w W]`.
 */
export function ipvsRestore(s: IpvsState, text: string, file: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const fail = (line: number, message: string) =>
    diags.push({
      file,
      line,
      col: 1,
      severity: 'error',
      code: 'PW3013',
      message: `line ${line} failed: ${message}`,
    });
  const addr = (v: string | undefined): [Ip4, number] | null => {
    const [a, b] = (v ?? '').split(':');
    const ip = a === undefined ? undefined : parseIp4(a);
    const port = Number(b);
    return ip !== undefined && Number.isInteger(port) && port >= 0 && port <= 65535
      ? [ip, port]
      : null;
  };
  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const w = raw.trim().split(/\s+/).filter(Boolean);
    if (w.length === 0 || w[0]!.startsWith('#')) return;
    const opt = (k: string) => {
      const j = w.indexOf(k);
      return j < 0 ? undefined : w[j + 1];
    };
    const proto: IpvsProto | null =
      opt('-t') !== undefined ? 'TCP' : opt('-u') !== undefined ? 'UDP' : null;
    const vs = addr(opt('-t') ?? opt('-u'));
    if (!proto || !vs) return void fail(n, 'needs -t or -u VIP:PORT');
    if (w[0] === '-A') {
      const sched = (opt('-s') ?? 'wlc') as Scheduler;
      if (!['rr', 'wrr', 'lc', 'wlc', 'sh'].includes(sched))
        return void fail(n, `scheduler "${sched}" not modelled`);
      const pi = w.indexOf('-p');
      const pt = pi < 0 ? null : /^\d+$/.test(w[pi + 1] ?? '') ? Number(w[pi + 1]) : 300;
      addService(s, { proto, vip: vs[0], port: vs[1], scheduler: sched, persistent: pt });
    } else if (w[0] === '-a') {
      const svc = findService(s, proto, vs[0], vs[1]);
      if (!svc) return void fail(n, 'Service not defined');
      const rs = addr(opt('-r'));
      if (!rs) return void fail(n, 'needs -r RIP:PORT');
      const flag = w.find((x) => x in FWD_FLAG);
      const weight = Number(opt('-w') ?? 1);
      addDest(svc, { ip: rs[0], port: rs[1], weight, fwd: flag ? FWD_FLAG[flag]! : 'Route' });
    } else fail(n, `unsupported command "${w[0]}"`);
  });
  return diags;
}
