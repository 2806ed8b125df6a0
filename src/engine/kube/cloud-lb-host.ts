import { addAddress, addDevice, addRoute, createNetns } from '../kernel/netns';
import { route } from '../kernel/routing';
import type { World } from '../kernel/world';
import { restore } from '../netfilter/index';
import { ip4, nthAddress, type Ip4 } from '../wire/ip';
import type { CloudLoadBalancerModel, ClusterModel } from './model';
import { stableMac } from './names';
import { savedProbability } from './proxy/ruleset';

/**
 * The cloud load balancer as a machine in the world (docs/LOAD-BALANCERS.md): its own network
 * namespace, one NIC on its segment holding its own address and the Services' addresses (VIPs),
 * ip_forward on, a default route — and ordinary netfilter rules that do the balancing, so the
 * packet walk, `iptables-save`, `conntrack -L` and `ip route` show it like any other host:
 *
 * - nat PREROUTING: per Service port, `-d VIP -p tcp --dport PORT` DNAT to one target node's
 *   NodePort, spread with `-m statistic --mode random --probability` 1/n, 1/(n-1), ... (the
 *   sequence kube-proxy uses, so each of n nodes gets 1/n);
 * - nat POSTROUTING: SNAT to its own address. A one-arm L4 balancer in SNAT mode (like AWS's
 *   Classic ELB): the node answers the balancer, conntrack on the balancer undoes both
 *   rewrites on the way back, and the client's address is lost at the balancer;
 * - filter INPUT: a REJECT (TCP reset) for a port none of whose targets passes the health
 *   check, so the client is told at once.
 */

const q = (s: string) => `"${s}"`;
const proto = (p: 'TCP' | 'UDP') => p.toLowerCase();

/** The balancer's ruleset in iptables-save form (the form the kernel prints it back in). */
export function cloudLBRules(lb: CloudLoadBalancerModel): string {
  const nat: string[] = [];
  const snat: string[] = [];
  const filter: string[] = [];
  const snatSeen = new Set<string>();
  for (const l of lb.listeners) {
    const p = proto(l.protocol);
    const name = `${l.service}:${l.port}`;
    const n = l.targets.length;
    if (n === 0) {
      filter.push(
        `-A INPUT -d ${l.vip}/32 -p ${p} -m comment --comment ${q(`${lb.name}: ${name} has no healthy target (every node fails the health check${l.healthCheckNodePort ? ` on port ${l.healthCheckNodePort}` : ''})`)} -m ${p} --dport ${l.port} -j REJECT --reject-with ${p === 'tcp' ? 'tcp-reset' : 'icmp-port-unreachable'}`,
      );
      continue;
    }
    l.targets.forEach((t, i) => {
      const stat =
        i < n - 1 ? ` -m statistic --mode random --probability ${savedProbability(n - i)}` : '';
      nat.push(
        `-A PREROUTING -d ${l.vip}/32 -p ${p} -m comment --comment ${q(`${lb.name}: ${name} -> ${t.node} NodePort ${l.nodePort} (target ${i + 1} of ${n})`)} -m ${p} --dport ${l.port}${stat} -j DNAT --to-destination ${t.ip}:${l.nodePort}`,
      );
      const k = `${t.ip}:${p}:${l.nodePort}`;
      if (snatSeen.has(k)) return;
      snatSeen.add(k);
      snat.push(
        `-A POSTROUTING -d ${t.ip}/32 -p ${p} -m comment --comment ${q(`${lb.name}: SNAT to the address of the balancer (one-arm, SNAT mode): ${t.node} sees ${lb.ip}, the client address is lost here`)} -m ${p} --dport ${l.nodePort} -j SNAT --to-source ${lb.ip}`,
      );
    });
  }
  const out = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ...filter,
    'COMMIT',
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ...nat,
    ...snat,
    'COMMIT',
  ];
  return `${out.join('\n')}\n`;
}

/** Every load balancer the model has, as a host on its segment. Call after the nodes exist. */
export function addCloudLoadBalancers(world: World, model: ClusterModel): void {
  const lbm = model.loadBalancing;
  if (lbm?.provider !== 'cloud') return;
  for (const lb of lbm.balancers) {
    const seg = world.segments.get(lb.segment);
    if (!seg) continue;
    const ns = createNetns(lb.name, lb.name, 'root', { ipForward: true });
    world.namespaces.set(ns.id, ns);
    const eth0 = addDevice(ns, 'eth0', 'phys', stableMac(`${lb.name}/eth0`), { segment: seg.name });
    addAddress(ns, eth0.name, ip4(lb.ip), seg.cidr);
    const vips = [...new Set(lb.listeners.map((l) => l.vip))];
    for (const v of vips) addAddress(ns, eth0.name, ip4(v), { addr: ip4(v), len: 32 });
    seg.members.push({ ns: ns.id, dev: eth0.name });
    const info = model.network.underlay?.segments.find((s) => s.name === lb.segment);
    const gateway = info?.gateway ? ip4(info.gateway) : nthAddress(seg.cidr, 1);
    addRoute(
      ns,
      route({ dst: { addr: 0 as Ip4, len: 0 }, via: gateway, dev: 'eth0', proto: 'static' }),
    );
    restore(ns.netfilter, cloudLBRules(lb), lb.name);
    world.hosts.push({
      name: lb.name,
      kind: 'loadbalancer',
      ip: ip4(lb.ip),
      podCIDR: null,
      rootNs: ns.id,
      balances: lb.listeners.map((l) => ({
        service: l.service,
        vip: l.vip,
        port: l.port,
        protocol: l.protocol,
        nodePort: l.nodePort,
        targets: l.targets.map((t) => t.node),
      })),
    });
  }
}
