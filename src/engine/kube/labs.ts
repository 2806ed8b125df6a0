import type { LabInterface, LabModel, LabNamespace } from './lab-model';

/**
 * The syllabus labs as LabModels. The presets (src/scenarios/presets) hold the same labs as
 * YAML, and a test there checks that the YAML parses to exactly these, so the kernel
 * differential tests and the page can never drift apart.
 */

function ns(name: string, rest: Partial<LabNamespace> = {}): LabNamespace {
  return {
    name,
    sysctls: {},
    interfaces: [],
    routes: [],
    neighbours: [],
    listeners: [],
    ...rest,
  };
}

function iface(name: string, rest: Partial<LabInterface> = {}): LabInterface {
  return { name, type: 'veth', addresses: [], ...rest };
}

/** Seed 000 §3: two namespaces joined by a veth pair; `ip netns exec test1 ping 192.168.1.2`. */
export const NETNS_WALKTHROUGH: LabModel = {
  name: 'netns-walkthrough',
  namespaces: [
    ns('test1', {
      interfaces: [
        iface('veth-test1', { peer: 'test2/veth-test2', addresses: ['192.168.1.1/24'] }),
      ],
    }),
    ns('test2', { interfaces: [iface('veth-test2', { addresses: ['192.168.1.2/24'] })] }),
  ],
  flows: [{ from: 'node:test1', to: 'ip:192.168.1.2', proto: 'icmp' }],
};

/** What dockerd installs for docker0 (the parts a packet between containers and out meets). */
export const DOCKER_IPTABLES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
COMMIT
`;

function container(name: string, ip: string, mac: string, hostVeth: string): LabNamespace {
  return ns(name, {
    host: 'docker-host',
    interfaces: [iface('eth0', { addresses: [`${ip}/16`], mac, peer: `docker-host/${hostVeth}` })],
    routes: [{ to: 'default', via: '172.17.0.1', dev: 'eth0' }],
    listeners: [{ proto: 'tcp', port: 80, process: 'nginx' }],
  });
}

/**
 * Seed 000 §3, Docker's bridge network: docker0 172.17.0.1/16 with two containers, the host's
 * eth0 on a LAN, and a web server out there ("the internet") reached through MASQUERADE.
 */
export function dockerBridge(iptables = DOCKER_IPTABLES): LabModel {
  return {
    name: 'docker-bridge',
    namespaces: [
      ns('docker-host', {
        sysctls: { 'net.ipv4.ip_forward': '1', 'net.bridge.bridge-nf-call-iptables': '1' },
        interfaces: [
          iface('docker0', {
            type: 'bridge',
            addresses: ['172.17.0.1/16'],
            mac: '02:42:f1:6c:7e:36',
          }),
          iface('vethbc789f2', { master: 'docker0' }),
          iface('veth5bed0bd', { master: 'docker0' }),
          iface('eth0', { addresses: ['192.168.56.11/24'], peer: 'internet/eth0' }),
        ],
        routes: [{ to: 'default', via: '192.168.56.1', dev: 'eth0' }],
        iptables,
      }),
      container('c1', '172.17.0.2', '02:42:ac:11:00:02', 'vethbc789f2'),
      container('c2', '172.17.0.3', '02:42:ac:11:00:03', 'veth5bed0bd'),
      ns('internet', {
        interfaces: [iface('eth0', { addresses: ['192.168.56.1/24', '93.184.216.34/32'] })],
        listeners: [{ proto: 'tcp', port: 80, process: 'httpd' }],
      }),
    ],
    flows: [
      { from: 'ip:172.17.0.2', to: 'ip:172.17.0.3', proto: 'tcp', port: 80 },
      { from: 'ip:172.17.0.2', to: 'ip:93.184.216.34', proto: 'tcp', port: 80 },
    ],
  };
}

const VTEP_MAC = { a: '0a:58:0a:f4:00:00', b: '0a:58:0a:f4:01:00' };

function vtepHost(me: 'a' | 'b', flood: boolean): LabNamespace {
  const other = me === 'a' ? 'b' : 'a';
  const n = me === 'a' ? 0 : 1;
  const underlay = `192.168.56.${11 + n}`;
  return ns(`host-${me}`, {
    interfaces: [
      iface('eth0', {
        addresses: [`${underlay}/24`],
        ...(me === 'a' ? { peer: 'host-b/eth0' } : {}),
      }),
      iface('flannel.1', {
        type: 'vxlan',
        addresses: [`10.244.${n}.0/32`],
        mac: VTEP_MAC[me],
        vxlan: { vni: 1, dstport: 8472, local: underlay, dev: 'eth0', learning: false },
        fdb: [{ mac: flood ? '00:00:00:00:00:00' : VTEP_MAC[other], dst: `192.168.56.${12 - n}` }],
      }),
    ],
    routes: [
      { to: `10.244.${1 - n}.0/24`, via: `10.244.${1 - n}.0`, dev: 'flannel.1', onlink: true },
    ],
    neighbours: flood ? [] : [{ ip: `10.244.${1 - n}.0`, mac: VTEP_MAC[other], dev: 'flannel.1' }],
  });
}

/**
 * flannel's VXLAN backend between two hosts, as flanneld programs it: `flannel.1` (VNI 1,
 * port 8472, nolearning) with the other host's VTEP as a static neighbour, FDB entry and
 * onlink route. `ping 10.244.1.0` from host-a crosses the underlay inside UDP. With `flood`
 * each host has only a default (all-zeros) FDB entry toward the other and no neighbour entry:
 * ARP itself then travels inside VXLAN.
 */
export function flannelVxlan(iptables?: string, flood = false): LabModel {
  const hosts = [vtepHost('a', flood), vtepHost('b', flood)];
  return {
    name: 'flannel-vxlan',
    namespaces: iptables ? hosts.map((h) => ({ ...h, iptables })) : hosts,
    flows: [{ from: 'node:host-a', to: 'ip:10.244.1.0', proto: 'icmp' }],
  };
}

/**
 * Two hosts on two subnets with a router between them (ip_forward=1): the smallest routed
 * path, where the TTL goes down by one and FORWARD is walked.
 */
export function routedLab(tweak: (n: LabNamespace) => LabNamespace = (n) => n): LabModel {
  return {
    name: 'routed',
    namespaces: [
      ns('client', {
        interfaces: [iface('eth0', { addresses: ['10.0.1.2/24'], peer: 'router/eth0' })],
        routes: [{ to: 'default', via: '10.0.1.1', dev: 'eth0' }],
      }),
      ns('router', {
        sysctls: { 'net.ipv4.ip_forward': '1' },
        interfaces: [
          iface('eth0', { addresses: ['10.0.1.1/24'] }),
          iface('eth1', { addresses: ['10.0.2.1/24'], peer: 'server/eth0' }),
        ],
      }),
      ns('server', {
        interfaces: [iface('eth0', { addresses: ['10.0.2.2/24'] })],
        routes: [{ to: 'default', via: '10.0.2.1', dev: 'eth0' }],
        listeners: [
          { proto: 'tcp', port: 80, process: 'nginx' },
          { proto: 'udp', port: 53, process: 'dnsmasq' },
        ],
      }),
    ].map(tweak),
    flows: [
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'tcp', port: 80 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'udp', port: 53 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'icmp' },
    ],
  };
}

/** A hand-written ruleset (iptables-save text) on the router of `routedLab`. */
export const ROUTER_NAT_RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.0.1.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8080
-A OUTPUT -d 10.0.1.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8080
-A POSTROUTING -s 10.0.1.0/24 -o eth1 -j SNAT --to-source 10.0.2.1
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:GUARD - [0:0]
-A FORWARD -j GUARD
-A FORWARD -p tcp -m tcp --dport 23 -j REJECT --reject-with icmp-port-unreachable
-A GUARD -p tcp -m tcp --dport 25 -j DROP
-A GUARD -j RETURN
COMMIT
`;

/**
 * The router of `routedLab` with ROUTER_NAT_RULES: port 80 on the router's client-side
 * address is forwarded (DNAT, for passing and for the router's own packets) to the server's
 * 8080, and what leaves toward the server is SNATed to the router; telnet is rejected and
 * SMTP dropped in a user chain that otherwise RETURNs.
 */
export function iptablesNatLab(): LabModel {
  const lab = routedLab((n) =>
    n.name === 'router'
      ? { ...n, iptables: ROUTER_NAT_RULES }
      : n.name === 'server'
        ? { ...n, listeners: [{ proto: 'tcp', port: 8080, process: 'app' }] }
        : n,
  );
  return {
    ...lab,
    name: 'iptables-nat',
    flows: [
      { from: 'node:client', to: 'ip:10.0.1.1', proto: 'tcp', port: 80 },
      { from: 'node:router', to: 'ip:10.0.1.1', proto: 'tcp', port: 80 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'tcp', port: 23 },
      { from: 'node:client', to: 'ip:10.0.2.2', proto: 'tcp', port: 25 },
    ],
  };
}

function ipipHost(me: 0 | 1): LabNamespace {
  const other = 1 - me;
  return ns(`node-${me + 1}`, {
    interfaces: [
      iface('eth0', {
        addresses: [`192.168.56.${11 + me}/24`],
        ...(me === 0 ? { peer: 'node-2/eth0' } : {}),
      }),
      iface('tunl0', { type: 'ipip', addresses: [`10.244.${me}.0/32`] }),
    ],
    routes: [
      {
        to: `10.244.${other}.0/24`,
        via: `192.168.56.${11 + other}`,
        dev: 'tunl0',
        onlink: true,
        proto: 'bird',
      },
    ],
  });
}

/**
 * Calico's IPIP mode between two nodes: `tunl0` on each, and for the other node's block a
 * route through tunl0 whose gateway is that node's underlay address. Engine only: this
 * machine's kernel has no ipip module, so there is no differential test for it.
 */
export function calicoIpip(): LabModel {
  return {
    name: 'calico-ipip',
    namespaces: [ipipHost(0), ipipHost(1)],
    flows: [{ from: 'node:node-1', to: 'ip:10.244.1.0', proto: 'icmp' }],
  };
}

function udpHost(me: 0 | 1): LabNamespace {
  const other = 1 - me;
  return ns(`node-${me + 1}`, {
    interfaces: [
      iface('eth0', {
        addresses: [`192.168.56.${11 + me}/24`],
        ...(me === 0 ? { peer: 'node-2/eth0' } : {}),
      }),
      iface('flannel0', {
        type: 'tun',
        addresses: [`10.244.${me}.0/16`],
        tun: {
          process: 'flanneld',
          port: 8285,
          peers: [{ cidr: `10.244.${other}.0/24`, ip: `192.168.56.${11 + other}` }],
        },
      }),
    ],
  });
}

/**
 * flannel's UDP backend (seed 000 §4.2): flannel0 is a TUN device read by flanneld, which
 * carries each packet in UDP 8285 to the node owning the destination's subnet — the packet
 * goes up to user space and back down on both nodes. Engine only (no flanneld here).
 */
export function flannelUdp(): LabModel {
  return {
    name: 'flannel-udp',
    namespaces: [udpHost(0), udpHost(1)],
    flows: [{ from: 'node:node-1', to: 'ip:10.244.1.0', proto: 'icmp' }],
  };
}

/**
 * Three machines whose physical NICs share one LAN segment (a switch): frames go straight
 * to the NIC with the destination MAC, ARP reaches everyone on the segment.
 */
export function lanLab(iptables?: string): LabModel {
  const host = (n: number) =>
    ns(`h${n}`, {
      interfaces: [
        iface('eth0', { type: 'phys', segment: 'lan', addresses: [`192.168.10.${n}/24`] }),
      ],
      listeners: [{ proto: 'tcp', port: 80, process: 'httpd' }],
      ...(iptables ? { iptables } : {}),
    });
  return {
    name: 'lan',
    namespaces: [host(1), host(2), host(3)],
    flows: [
      { from: 'node:h1', to: 'ip:192.168.10.3', proto: 'tcp', port: 80 },
      { from: 'node:h2', to: 'ip:192.168.10.1', proto: 'icmp' },
    ],
  };
}
