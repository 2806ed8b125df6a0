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
