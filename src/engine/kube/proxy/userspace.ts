import type { Netns } from '../../kernel/netns';
import { endpointsForPort } from '../endpoints-controller';
import { fnv1a } from '../names';
import type { ProxyInput } from './iptables';
import { servicePortName } from './names';
import { comment, host, Ruleset } from './ruleset';

/**
 * kube-proxy's userspace mode (removed in v1.26; pkg/proxy/userspace/proxier.go of v1.25 and
 * earlier, read for this). kube-proxy itself listens on one local port per service port; iptables
 * only steers connections there — REDIRECT for traffic arriving from containers
 * (KUBE-PORTALS-CONTAINER in PREROUTING), DNAT to the node's address for the node's own
 * (KUBE-PORTALS-HOST in OUTPUT), and the same for NodePorts. The proxy accepts, picks an endpoint
 * round-robin and opens a new connection to it, so the endpoint sees the node as the source.
 */

export interface UserspacePortal {
  spn: string;
  proto: 'tcp' | 'udp';
  proxyPort: number;
  /** Ready endpoints as "IP:port", in the order the round-robin walks them. */
  endpoints: string[];
  /** Index of the endpoint the next connection goes to (LoadBalancerRR's state). */
  next: number;
}

export interface UserspaceProxy {
  /** By proxy port. */
  portals: Map<number, UserspacePortal>;
}

// The proxier listened on port 0 and took whatever the kernel gave; a hash into the ephemeral
// range gives the same ports on every run.
const EPHEMERAL = { lo: 32768, hi: 60999 } as const;

function proxyPort(key: string, taken: Set<number>): number {
  const size = EPHEMERAL.hi - EPHEMERAL.lo + 1;
  const start = fnv1a(key) % size;
  for (let i = 0; i < size; i++) {
    const p = EPHEMERAL.lo + ((start + i) % size);
    if (!taken.has(p)) {
      taken.add(p);
      return p;
    }
  }
  return EPHEMERAL.lo;
}

const CONTAINER = 'KUBE-PORTALS-CONTAINER';
const HOST = 'KUBE-PORTALS-HOST';
const NP_CONTAINER = 'KUBE-NODEPORT-CONTAINER';
const NP_HOST = 'KUBE-NODEPORT-HOST';
const NP_NON_LOCAL = 'KUBE-NODEPORT-NON-LOCAL';

export function kubeProxyUserspace(input: ProxyInput): { ruleset: Ruleset; proxy: UserspaceProxy } {
  const rs = new Ruleset();
  const hostIP = input.node.internalIP;
  for (const c of [CONTAINER, HOST, NP_CONTAINER, NP_HOST]) rs.chain('nat', c);
  rs.chain('filter', NP_NON_LOCAL);
  const portals = comment('handle ClusterIPs; NOTE: this must be before the NodePort rules');
  const nodePorts = comment(
    'handle service NodePorts; NOTE: this must be the last rule in the chain',
  );
  rs.rule('nat', 'PREROUTING', { matches: [portals], jump: `-j ${CONTAINER}` });
  rs.rule('nat', 'PREROUTING', {
    matches: ['-m addrtype --dst-type LOCAL', nodePorts],
    jump: `-j ${NP_CONTAINER}`,
  });
  rs.rule('nat', 'OUTPUT', { matches: [portals], jump: `-j ${HOST}` });
  rs.rule('nat', 'OUTPUT', {
    matches: ['-m addrtype --dst-type LOCAL', nodePorts],
    jump: `-j ${NP_HOST}`,
  });
  rs.rule('filter', 'INPUT', {
    matches: [comment('Ensure that non-local NodePort traffic can flow')],
    jump: `-j ${NP_NON_LOCAL}`,
  });

  const proxy: UserspaceProxy = { portals: new Map() };
  const taken = new Set<number>();
  const services = [...input.services].sort((a, b) =>
    `${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1,
  );
  for (const svc of services) {
    if (svc.clusterIP === null || svc.type === 'ExternalName') continue;
    for (const port of svc.ports) {
      if (port.protocol === 'SCTP') continue;
      const spn = servicePortName(svc.namespace, svc.name, port.name);
      const proto = port.protocol === 'UDP' ? 'udp' : 'tcp';
      const pp = proxyPort(`${spn}/${proto}`, taken);
      const endpoints = endpointsForPort(svc, port, input.slices)
        .filter((e) => e.ready)
        .map((e) => `${e.ip}:${e.port}`);
      proxy.portals.set(pp, { spn, proto, proxyPort: pp, endpoints, next: 0 });
      const l4 = (p: number) => [comment(spn), `-m ${proto} --dport ${p}`];
      for (const ip of [svc.clusterIP, ...svc.externalIPs, ...svc.loadBalancerIPs]) {
        rs.rule('nat', CONTAINER, {
          dst: host(ip),
          proto,
          matches: l4(port.port),
          jump: `-j REDIRECT --to-ports ${pp}`,
        });
        rs.rule('nat', HOST, {
          dst: host(ip),
          proto,
          matches: l4(port.port),
          jump: `-j DNAT --to-destination ${hostIP}:${pp}`,
        });
      }
      if (port.nodePort !== undefined) {
        rs.rule('nat', NP_CONTAINER, {
          proto,
          matches: l4(port.nodePort),
          jump: `-j REDIRECT --to-ports ${pp}`,
        });
        rs.rule('nat', NP_HOST, {
          proto,
          matches: l4(port.nodePort),
          jump: `-j DNAT --to-destination ${hostIP}:${pp}`,
        });
        rs.rule('filter', NP_NON_LOCAL, {
          proto,
          matches: [...l4(pp), '-m state --state NEW'],
          jump: '-j ACCEPT',
        });
      }
    }
  }
  return { ruleset: rs, proxy };
}

// The proxy process's state lives beside the node's namespace, as the rules' owner does.
const proxies = new WeakMap<Netns, UserspaceProxy>();

/** Starts the kube-proxy process on a node: its listening sockets and its round-robin state. */
export function startUserspaceProxy(ns: Netns, proxy: UserspaceProxy): void {
  proxies.set(ns, proxy);
  for (const p of proxy.portals.values())
    ns.sockets.push({ proto: p.proto, ip: 0 as never, port: p.proxyPort, process: 'kube-proxy' });
}

export function userspaceProxyOf(ns: Netns): UserspaceProxy | undefined {
  return proxies.get(ns);
}
