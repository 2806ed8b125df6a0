import { endpointsForPort, type ProxyEndpoint } from '../endpoints-controller';
import type { KubeProxyModel } from '../model';
import type { ProxyInput } from './iptables';
import { comment, hex, Ruleset } from './ruleset';

/**
 * kube-proxy's IPVS mode (pkg/proxy/ipvs/proxier.go): the service addresses bound to the
 * kube-ipvs0 dummy device, the ipsets with their entries, the IPVS virtual servers and their
 * real servers, and the few iptables rules that match the sets. Data and text only: the IPVS
 * kernel model that would evaluate it belongs to the netfilter layer.
 */

export type IpsetType =
  'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface Ipset {
  name: string;
  type: IpsetType;
  comment: string;
  /** In `ipset save` member form: "10.96.0.10,tcp:53", "30080", "10.244.0.5,tcp:80,10.244.0.5". */
  entries: string[];
}

export interface RealServer {
  ip: string;
  port: number;
  weight: number;
}

export interface VirtualServer {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  ip: string;
  port: number;
  scheduler: string;
  /** ClientIP affinity: the persistence timeout in seconds. */
  persistent?: number;
  reals: RealServer[];
}

export interface IpvsState {
  /** Addresses kube-proxy binds to kube-ipvs0 (each as /32). */
  dummyAddresses: string[];
  ipsets: Ipset[];
  virtualServers: VirtualServer[];
  iptables: Ruleset;
}

// The sets kube-proxy creates, in its own order, with the comments it gives them.
const SETS: [string, IpsetType, string][] = [
  [
    'KUBE-LOOP-BACK',
    'hash:ip,port,ip',
    'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  ],
  [
    'KUBE-CLUSTER-IP',
    'hash:ip,port',
    'Kubernetes service cluster ip + port for masquerade purpose',
  ],
  [
    'KUBE-EXTERNAL-IP',
    'hash:ip,port',
    'Kubernetes service external ip + port for masquerade and filter purpose',
  ],
  [
    'KUBE-EXTERNAL-IP-LOCAL',
    'hash:ip,port',
    'Kubernetes service external ip + port with externalTrafficPolicy=local',
  ],
  ['KUBE-LOAD-BALANCER', 'hash:ip,port', 'Kubernetes service lb portal'],
  [
    'KUBE-LOAD-BALANCER-FW',
    'hash:ip,port',
    'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  ],
  [
    'KUBE-LOAD-BALANCER-LOCAL',
    'hash:ip,port',
    'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  ],
  [
    'KUBE-LOAD-BALANCER-SOURCE-IP',
    'hash:ip,port,ip',
    'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  ],
  [
    'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    'hash:ip,port,net',
    'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  ],
  ['KUBE-NODE-PORT-TCP', 'bitmap:port', 'Kubernetes nodeport TCP port for masquerade purpose'],
  [
    'KUBE-NODE-PORT-LOCAL-TCP',
    'bitmap:port',
    'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  ],
  ['KUBE-NODE-PORT-UDP', 'bitmap:port', 'Kubernetes nodeport UDP port for masquerade purpose'],
  [
    'KUBE-NODE-PORT-LOCAL-UDP',
    'bitmap:port',
    'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  ],
  [
    'KUBE-NODE-PORT-SCTP-HASH',
    'hash:ip,port',
    "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  ],
  [
    'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    'hash:ip,port',
    "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  ],
  ['KUBE-HEALTH-CHECK-NODE-PORT', 'bitmap:port', 'Kubernetes health check node port'],
  ['KUBE-IPVS-IPS', 'hash:ip', 'Addresses on the ipvs interface'],
];

/** The set-to-chain jumps, in kube-proxy's order (local sets before their general ones). */
const SET_JUMPS: {
  set: string;
  table: 'nat' | 'filter';
  from: string;
  to: string;
  match: string;
  proto?: string;
}[] = [
  {
    set: 'KUBE-LOOP-BACK',
    table: 'nat',
    from: 'KUBE-POSTROUTING',
    to: 'MASQUERADE',
    match: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER',
    table: 'nat',
    from: 'KUBE-SERVICES',
    to: 'KUBE-LOAD-BALANCER',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-LOCAL',
    table: 'nat',
    from: 'KUBE-LOAD-BALANCER',
    to: 'RETURN',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    match: 'dst',
    proto: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    match: 'dst',
    proto: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    match: 'dst',
    proto: 'udp',
  },
  {
    set: 'KUBE-NODE-PORT-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    match: 'dst',
    proto: 'udp',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    match: 'dst,dst',
    proto: 'sctp',
  },
  {
    set: 'KUBE-NODE-PORT-SCTP-HASH',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    match: 'dst,dst',
    proto: 'sctp',
  },
  {
    set: 'KUBE-LOAD-BALANCER-FW',
    table: 'filter',
    from: 'KUBE-PROXY-FIREWALL',
    to: 'KUBE-SOURCE-RANGES-FIREWALL',
    match: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    match: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-IP',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    match: 'dst,dst,src',
  },
];

function toN(ip: string): number {
  return ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

function inCidr(cidr: string, ip: string): boolean {
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(toN(ip) / size) === Math.floor(toN(base!) / size);
}

/** Which endpoints one virtual server gets (kube-proxy's syncEndpoint). */
function realsFor(eps: ProxyEndpoint[], nodeName: string, onlyLocal: boolean): RealServer[] {
  const usable = (list: ProxyEndpoint[]) => {
    const ready = list.filter((e) => e.ready);
    return ready.length > 0 ? ready : list.filter((e) => e.serving && e.terminating);
  };
  const cluster = usable(eps);
  const local = usable(eps.filter((e) => e.nodeName === nodeName));
  // With no local endpoint, local pods still reach the service (kubernetes#97081).
  const chosen = onlyLocal && local.length > 0 ? local : cluster;
  return [...new Set(chosen.map((e) => `${e.ip}:${e.port}`))].sort().map((k) => {
    const [ip, port] = k.split(':');
    return { ip: ip!, port: Number(port), weight: 1 };
  });
}

/** The IPVS-mode state of one node. */
export function kubeProxyIpvs(input: ProxyInput): IpvsState {
  const cfg: KubeProxyModel = input.config;
  const sets = new Map(
    SETS.map(([name, type, c]) => [name, { name, type, comment: c, entries: new Set<string>() }]),
  );
  const add = (set: string, entry: string) => sets.get(set)!.entries.add(entry);
  const vss: VirtualServer[] = [];
  const bound = new Set<string>();
  const node = input.node;
  for (const svc of input.services) {
    if (svc.clusterIP === null || svc.type === 'ExternalName') continue;
    for (const port of svc.ports) {
      const proto = port.protocol.toLowerCase();
      const eps = endpointsForPort(svc, port, input.slices);
      for (const e of eps)
        if (e.nodeName === node.name) add('KUBE-LOOP-BACK', `${e.ip},${proto}:${e.port},${e.ip}`);
      const vs = (ip: string, p: number, onlyLocal: boolean) =>
        vss.push({
          protocol: port.protocol,
          ip,
          port: p,
          scheduler: cfg.ipvsScheduler,
          ...(svc.affinitySeconds !== null ? { persistent: svc.affinitySeconds } : {}),
          reals: realsFor(eps, node.name, onlyLocal),
        });
      const ipPort = (ip: string) => `${ip},${proto}:${port.port}`;
      const extLocal = svc.externalTrafficPolicy === 'Local';
      add('KUBE-CLUSTER-IP', ipPort(svc.clusterIP));
      vs(svc.clusterIP, port.port, svc.internalTrafficPolicy === 'Local');
      bound.add(svc.clusterIP);
      for (const ip of svc.externalIPs) {
        add(extLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', ipPort(ip));
        vs(ip, port.port, extLocal);
        if (ip !== node.internalIP) bound.add(ip);
      }
      for (const ip of svc.loadBalancerIPs) {
        add('KUBE-LOAD-BALANCER', ipPort(ip));
        if (extLocal) add('KUBE-LOAD-BALANCER-LOCAL', ipPort(ip));
        if (svc.loadBalancerSourceRanges.length > 0) {
          add('KUBE-LOAD-BALANCER-FW', ipPort(ip));
          let fromNode = false;
          for (const cidr of svc.loadBalancerSourceRanges) {
            add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ipPort(ip)},${cidr}`);
            if (inCidr(cidr, node.internalIP)) fromNode = true;
          }
          if (fromNode) add('KUBE-LOAD-BALANCER-SOURCE-IP', `${ipPort(ip)},${ip}`);
        }
        vs(ip, port.port, extLocal);
        if (ip !== node.internalIP) bound.add(ip);
      }
      if (port.nodePort !== undefined) {
        const np = port.nodePort;
        if (proto === 'sctp') {
          add('KUBE-NODE-PORT-SCTP-HASH', `${node.internalIP},sctp:${np}`);
          if (extLocal) add('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${node.internalIP},sctp:${np}`);
        } else {
          const P = proto.toUpperCase();
          add(`KUBE-NODE-PORT-${P}`, String(np));
          if (extLocal) add(`KUBE-NODE-PORT-LOCAL-${P}`, String(np));
        }
        // One virtual server per node address (the node's InternalIP here), not bound to kube-ipvs0.
        vs(node.internalIP, np, extLocal);
      }
      if (svc.healthCheckNodePort !== undefined)
        add('KUBE-HEALTH-CHECK-NODE-PORT', String(svc.healthCheckNodePort));
    }
  }
  for (const ip of bound) add('KUBE-IPVS-IPS', ip);
  const ipsets: Ipset[] = [...sets.values()].map((s) => ({
    name: s.name,
    type: s.type,
    comment: s.comment,
    entries: [...s.entries].sort(),
  }));
  const protoNum = { TCP: 6, UDP: 17, SCTP: 132 } as const;
  vss.sort(
    (a, b) =>
      protoNum[a.protocol] - protoNum[b.protocol] || toN(a.ip) - toN(b.ip) || a.port - b.port,
  );
  return {
    dummyAddresses: [...bound].sort((a, b) => toN(a) - toN(b)),
    ipsets,
    virtualServers: vss,
    iptables: ipvsRules(cfg, ipsets),
  };
}

function ipvsRules(cfg: KubeProxyModel, ipsets: Ipset[]): Ruleset {
  const rs = new Ruleset();
  const mark = hex(1 << cfg.masqueradeBit);
  const nonEmpty = (name: string) => (ipsets.find((s) => s.name === name)?.entries.length ?? 0) > 0;
  const commentOf = (name: string) => ipsets.find((s) => s.name === name)!.comment;
  for (const t of ['mangle', 'filter', 'nat'] as const) {
    rs.chain(t, 'KUBE-KUBELET-CANARY');
    rs.chain(t, 'KUBE-PROXY-CANARY');
  }
  rs.chain('mangle', 'KUBE-IPTABLES-HINT');
  for (const c of [
    'KUBE-SERVICES',
    'KUBE-POSTROUTING',
    'KUBE-NODE-PORT',
    'KUBE-LOAD-BALANCER',
    'KUBE-MARK-MASQ',
  ])
    rs.chain('nat', c);
  for (const c of [
    'KUBE-FORWARD',
    'KUBE-NODE-PORT',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'KUBE-IPVS-FILTER',
    'KUBE-FIREWALL',
  ])
    rs.chain('filter', c);

  // Jumps, as they end up after each was prepended (kubelet's KUBE-FIREWALL was there first).
  const jump = (t: 'nat' | 'filter', from: string, to: string, text: string) =>
    rs.rule(t, from, { matches: [comment(text)], jump: `-j ${to}` });
  jump('filter', 'INPUT', 'KUBE-IPVS-FILTER', 'kubernetes ipvs access filter');
  jump('filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules');
  jump('filter', 'INPUT', 'KUBE-NODE-PORT', 'kubernetes health check rules');
  rs.rule('filter', 'INPUT', { jump: '-j KUBE-FIREWALL' });
  jump('filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kube-proxy firewall rules');
  jump('filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules');
  rs.rule('filter', 'OUTPUT', { jump: '-j KUBE-FIREWALL' });
  jump('nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals');
  jump('nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals');
  jump('nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules');
  rs.rule('filter', 'KUBE-FIREWALL', {
    src: '127.0.0.0/8',
    srcNeg: true,
    dst: '127.0.0.0/8',
    matches: [
      comment('block incoming localnet connections'),
      '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT',
    ],
    jump: '-j DROP',
  });

  rs.rule('nat', 'KUBE-SERVICES', { src: '127.0.0.0/8', jump: '-j RETURN' });
  for (const j of SET_JUMPS) {
    if (!nonEmpty(j.set)) continue;
    rs.rule(j.table, j.from, {
      ...(j.proto ? { proto: j.proto } : {}),
      matches: [comment(commentOf(j.set)), `-m set --match-set ${j.set} ${j.match}`],
      jump: `-j ${j.to}`,
    });
  }
  const clusterSet = comment(commentOf('KUBE-CLUSTER-IP'));
  if (nonEmpty('KUBE-CLUSTER-IP')) {
    if (cfg.masqueradeAll)
      rs.rule('nat', 'KUBE-SERVICES', {
        matches: [clusterSet, '-m set --match-set KUBE-CLUSTER-IP dst,dst'],
        jump: '-j KUBE-MARK-MASQ',
      });
    else if (cfg.clusterCIDR)
      rs.rule('nat', 'KUBE-SERVICES', {
        src: cfg.clusterCIDR,
        srcNeg: true,
        matches: [clusterSet, '-m set --match-set KUBE-CLUSTER-IP dst,dst'],
        jump: '-j KUBE-MARK-MASQ',
      });
    else
      rs.rule('nat', 'KUBE-SERVICES', {
        matches: [clusterSet, '-m set --match-set KUBE-CLUSTER-IP src,dst'],
        jump: '-j KUBE-MARK-MASQ',
      });
  }
  const externalAccepts = (set: string) => {
    const m = [comment(commentOf(set)), `-m set --match-set ${set} dst,dst`];
    // Off-machine traffic only (not from a bridge port, not locally sourced), and traffic to
    // an external IP that happens to be local.
    rs.rule('nat', 'KUBE-SERVICES', {
      matches: [...m, '-m physdev ! --physdev-is-in', '-m addrtype ! --src-type LOCAL'],
      jump: '-j ACCEPT',
    });
    rs.rule('nat', 'KUBE-SERVICES', {
      matches: [...m, '-m addrtype --dst-type LOCAL'],
      jump: '-j ACCEPT',
    });
  };
  if (nonEmpty('KUBE-EXTERNAL-IP')) {
    rs.rule('nat', 'KUBE-SERVICES', {
      matches: [
        comment(commentOf('KUBE-EXTERNAL-IP')),
        '-m set --match-set KUBE-EXTERNAL-IP dst,dst',
      ],
      jump: '-j KUBE-MARK-MASQ',
    });
    externalAccepts('KUBE-EXTERNAL-IP');
  }
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) externalAccepts('KUBE-EXTERNAL-IP-LOCAL');
  rs.rule('nat', 'KUBE-SERVICES', {
    matches: ['-m addrtype --dst-type LOCAL'],
    jump: '-j KUBE-NODE-PORT',
  });
  rs.rule('nat', 'KUBE-LOAD-BALANCER', { jump: '-j KUBE-MARK-MASQ' });
  rs.rule('filter', 'KUBE-SOURCE-RANGES-FIREWALL', { jump: '-j DROP' });
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER'])
    if (nonEmpty(set))
      rs.rule('nat', 'KUBE-SERVICES', {
        matches: [`-m set --match-set ${set} dst,dst`],
        jump: '-j ACCEPT',
      });
  rs.rule('filter', 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${mark}/${mark}`],
    jump: '-j ACCEPT',
  });
  rs.rule('filter', 'KUBE-FORWARD', {
    matches: [
      comment('kubernetes forwarding conntrack rule'),
      '-m conntrack --ctstate RELATED,ESTABLISHED',
    ],
    jump: '-j ACCEPT',
  });
  rs.rule('filter', 'KUBE-NODE-PORT', {
    matches: [
      comment(commentOf('KUBE-HEALTH-CHECK-NODE-PORT')),
      '-m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst',
    ],
    jump: '-j ACCEPT',
  });
  for (const set of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP'])
    rs.rule('filter', 'KUBE-IPVS-FILTER', {
      matches: [`-m set --match-set ${set} dst,dst`],
      jump: '-j RETURN',
    });
  rs.rule('filter', 'KUBE-IPVS-FILTER', {
    matches: ['-m conntrack --ctstate NEW', '-m set --match-set KUBE-IPVS-IPS dst'],
    jump: '-j REJECT --reject-with icmp-port-unreachable',
  });
  rs.rule('nat', 'KUBE-POSTROUTING', {
    matches: [`-m mark ! --mark ${mark}/${mark}`],
    jump: '-j RETURN',
  });
  rs.rule('nat', 'KUBE-POSTROUTING', { jump: `-j MARK --set-xmark ${mark}/0x0` });
  rs.rule('nat', 'KUBE-POSTROUTING', {
    matches: [comment('kubernetes service traffic requiring SNAT')],
    jump: '-j MASQUERADE --random-fully',
  });
  rs.rule('nat', 'KUBE-MARK-MASQ', { jump: `-j MARK --set-xmark ${mark}/${mark}` });
  return rs;
}

/** `ipvsadm -Ln`, as ipvsadm formats it. */
export function ipvsadmText(vss: readonly VirtualServer[]): string {
  const lines = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const v of vss) {
    lines.push(
      `${v.protocol}  ${v.ip}:${v.port} ${v.scheduler}${v.persistent !== undefined ? ` persistent ${v.persistent}` : ''}`,
    );
    for (const r of v.reals)
      lines.push(
        `  -> ${`${r.ip}:${r.port}`.padEnd(28)} ${'Masq'.padEnd(7)} ${String(r.weight).padEnd(6)} ${'0'.padEnd(10)} ${'0'.padEnd(10)}`,
      );
  }
  return lines.join('\n');
}

/** `ipset save` for kube-proxy's sets (the form `ipset restore` reads back). */
export function ipsetSaveText(ipsets: readonly Ipset[]): string {
  const out: string[] = [];
  for (const s of ipsets) {
    const header =
      s.type === 'bitmap:port'
        ? `create ${s.name} ${s.type} range 0-65535`
        : `create ${s.name} ${s.type} family inet hashsize 1024 maxelem 65536`;
    out.push(header);
    for (const e of s.entries) out.push(`add ${s.name} ${e}`);
  }
  return out.join('\n');
}

/** `ipvsadm -S -n`: the virtual and real servers as `ipvsadm -R` reads them back. */
export function ipvsadmSaveText(vss: readonly VirtualServer[]): string {
  const out: string[] = [];
  for (const v of vss) {
    const flag = v.protocol === 'UDP' ? '-u' : '-t';
    const persistent = v.persistent !== undefined ? ` -p ${v.persistent}` : '';
    out.push(`-A ${flag} ${v.ip}:${v.port} -s ${v.scheduler}${persistent}`);
    for (const r of v.reals)
      out.push(`-a ${flag} ${v.ip}:${v.port} -r ${r.ip}:${r.port} -m -w ${r.weight}`);
  }
  return out.join('\n');
}
