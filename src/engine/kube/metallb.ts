import type { Diagnostic, SourcePos } from '../diagnostics';
import { formatIp4, type Ip4 } from '../wire/ip';
import type { EndpointSliceModel, MetalLBAnnouncement, NodeModel, ServiceModel } from './model';
import type {
  IPAddressPoolObject,
  KubeObject,
  MetalLBAdvertisementObject,
  ServiceObject,
} from './objects';
import { sha256Text } from './proxy/hash';

/**
 * MetalLB (docs/LOAD-BALANCERS.md): its controller gives LoadBalancer Services an address from
 * an IPAddressPool, and its speakers make the address reachable — in L2 mode one elected node
 * answers ARP for it, in BGP mode the nodes announce a /32 to the routers.
 */

/** Annotations MetalLB reads, old group first (both are honoured by current releases). */
const IPS_ANNOTATIONS = ['metallb.universe.tf/loadBalancerIPs', 'metallb.io/loadBalancerIPs'];
const POOL_ANNOTATIONS = ['metallb.universe.tf/address-pool', 'metallb.io/address-pool'];
/** The well-known label that keeps a node out of every external load balancer. */
export const EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface Pool {
  name: string;
  ranges: { first: number; last: number }[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
}

/** An address ending in .0 or .255 (some CPE firmwares drop traffic to them). */
const buggy = (n: number) => n % 256 === 0 || n % 256 === 255;

/** The pool an address belongs to (avoidBuggyIPs pools do not own their .0 and .255). */
export function poolFor(pools: readonly Pool[], ip: number): Pool | undefined {
  return pools.find(
    (p) => !(p.avoidBuggyIPs && buggy(ip)) && p.ranges.some((r) => ip >= r.first && ip <= r.last),
  );
}

/** The first free address of a pool, lowest first, range by range; undefined when full. */
export function firstFree(pool: Pool, taken: ReadonlySet<number>): number | undefined {
  for (const r of pool.ranges)
    for (let ip = r.first; ip <= r.last; ip++)
      if (!taken.has(ip) && !(pool.avoidBuggyIPs && buggy(ip))) return ip;
  return undefined;
}

/**
 * The pools in a fixed order: by name. (MetalLB walks a Go map, whose order changes from run
 * to run; newer releases sort by `serviceAllocation.priority`, then name. Packetwalk uses the
 * name so the same scenario always gets the same addresses.) A range that overlaps an earlier
 * pool's is reported, as MetalLB's webhook rejects it, and left out.
 */
export function poolsFrom(objects: readonly KubeObject[], diagnostics: Diagnostic[]): Pool[] {
  const objs = objects
    .filter((o): o is IPAddressPoolObject => o.kind === 'IPAddressPool')
    .sort((a, b) => (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
  const seen: { pool: string; text: string; first: number; last: number }[] = [];
  return objs.map((o) => {
    const ranges = o.addresses.filter((r) => {
      const clash = seen.find((s) => r.first <= s.last && s.first <= r.last);
      if (clash) {
        diagnostics.push({
          ...r.source,
          severity: 'error',
          code: 'PW2046',
          message: `CIDR "${r.text}" in pool "${o.meta.name}" overlaps with already defined CIDR "${clash.text}" in pool "${clash.pool}"`,
        });
        return false;
      }
      seen.push({ pool: o.meta.name, text: r.text, first: r.first, last: r.last });
      return true;
    });
    return { name: o.meta.name, ranges, autoAssign: o.autoAssign, avoidBuggyIPs: o.avoidBuggyIPs };
  });
}

const ipText = (n: number) => formatIp4(n as Ip4);
const toN = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

function annotation(svc: ServiceObject, keys: readonly string[]): string | undefined {
  for (const k of keys) if (svc.meta.annotations[k] !== undefined) return svc.meta.annotations[k];
  return undefined;
}

/** What MetalLB's controller decides for one Service: an address, or why it has none. */
type Decision = { ip: number; pool: Pool } | { error: string };

function decide(svc: ServiceObject, pools: readonly Pool[], taken: Map<number, string>): Decision {
  const key = `${svc.meta.namespace}/${svc.meta.name}`;
  const wanted = annotation(svc, POOL_ANNOTATIONS);
  const requested =
    annotation(svc, IPS_ANNOTATIONS)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => /^\d+\.\d+\.\d+\.\d+$/.test(s))[0] ?? svc.loadBalancerIP;
  if (requested !== undefined) {
    const ip = toN(requested);
    const pool = poolFor(pools, ip);
    if (!pool) return { error: `"${requested}" is not allowed in config` };
    if (wanted !== undefined && pool.name !== wanted)
      return { error: `requested IP "${requested}" is not in pool "${wanted}"` };
    const owner = taken.get(ip);
    if (owner !== undefined && owner !== key)
      return {
        error: `can't change sharing key for "${key}", address also in use by ${owner}`,
      };
    return { ip, pool };
  }
  if (wanted !== undefined) {
    const pool = pools.find((p) => p.name === wanted);
    if (!pool) return { error: `unknown pool "${wanted}"` };
    const ip = firstFree(pool, new Set(taken.keys()));
    return ip === undefined ? { error: `no available IPs in pool "${wanted}"` } : { ip, pool };
  }
  for (const pool of pools) {
    if (!pool.autoAssign) continue;
    const ip = firstFree(pool, new Set(taken.keys()));
    if (ip !== undefined) return { ip, pool };
  }
  return { error: 'no available IPs' };
}

/**
 * MetalLB's controller: every LoadBalancer Service without `status.loadBalancer.ingress` gets
 * an address — the one it asks for (annotation, then `spec.loadBalancerIP`) if a pool holds it,
 * else the first free address of the pool it names or of the first pool with autoAssign.
 * Services that ask for an address are served first, then the others in the order given. A
 * Service that cannot get one stays pending (no address), with MetalLB's AllocationFailed
 * event as a warning. Returns the services with their addresses and the pool of each address.
 */
export function metallbAllocate(
  objects: readonly KubeObject[],
  services: readonly ServiceModel[],
  pools: readonly Pool[],
  diagnostics: Diagnostic[],
): { services: ServiceModel[]; poolOf: Map<string, string> } {
  const objOf = new Map<string, ServiceObject>();
  for (const o of objects)
    if (o.kind === 'Service') objOf.set(`${o.meta.namespace}/${o.meta.name}`, o);
  const taken = new Map<number, string>();
  const poolOf = new Map<string, string>();
  for (const s of services)
    for (const ip of s.loadBalancerIPs) {
      taken.set(toN(ip), `${s.namespace}/${s.name}`);
      const p = poolFor(pools, toN(ip));
      if (p) poolOf.set(ip, p.name);
    }
  const got = new Map<string, string>();
  const pending = services.filter(
    (s) => s.type === 'LoadBalancer' && s.loadBalancerIPs.length === 0 && objOf.has(key(s)),
  );
  const asks = (s: ServiceModel) => {
    const o = objOf.get(key(s))!;
    return o.loadBalancerIP !== undefined || annotation(o, IPS_ANNOTATIONS) !== undefined;
  };
  for (const s of [...pending.filter(asks), ...pending.filter((x) => !asks(x))]) {
    const o = objOf.get(key(s))!;
    const d = decide(o, pools, taken);
    if ('error' in d) {
      const at: SourcePos = o.loadBalancerIPSource ?? o.meta.source;
      diagnostics.push({
        ...at,
        severity: 'warning',
        code: d.error.startsWith('no available') ? 'PW2043' : 'PW2042',
        message: `AllocationFailed: Failed to allocate IP for "${key(s)}": ${d.error} (the Service's EXTERNAL-IP stays <pending>)`,
      });
      continue;
    }
    taken.set(d.ip, key(s));
    got.set(key(s), ipText(d.ip));
    poolOf.set(ipText(d.ip), d.pool.name);
  }
  return {
    services: services.map((s) => {
      const ip = got.get(key(s));
      return ip ? { ...s, loadBalancerIPs: [ip] } : s;
    }),
    poolOf,
  };
}

const key = (s: { namespace: string; name: string }) => `${s.namespace}/${s.name}`;

const matches = (labels: Record<string, string>, sel: Record<string, string>) =>
  Object.entries(sel).every(([k, v]) => labels[k] === v);

/** The nodes an advertisement lets announce: its nodeSelectors (none: every node). */
function advNodes(adv: MetalLBAdvertisementObject, nodes: readonly NodeModel[]): NodeModel[] {
  return nodes.filter(
    (n) => adv.nodeSelectors.length === 0 || adv.nodeSelectors.some((s) => matches(n.labels, s)),
  );
}

/**
 * The L2 leader for an address: among the candidates, the node whose SHA-256 of
 * "NODE#IP" is smallest (MetalLB's speakers all sort the same list the same way, so they agree
 * without talking, and each address gets its own order).
 */
export function electL2(candidates: readonly string[], ip: string): string | undefined {
  const hashed = candidates.map((n) => ({ n, h: sha256Text(`${n}#${ip}`) }));
  hashed.sort((a, b) => {
    for (let i = 0; i < a.h.length; i++) if (a.h[i] !== b.h[i]) return a.h[i]! - b.h[i]!;
    return 0;
  });
  return hashed[0]?.n;
}

/**
 * MetalLB's speakers: for each assigned address, the advertisements of its pool decide the
 * mode and the nodes allowed to announce it (nodeSelectors, minus nodes labelled
 * exclude-from-external-load-balancers); with externalTrafficPolicy Local only nodes with a
 * ready endpoint; and with no ready endpoint at all nobody announces. L2: one node is elected.
 * BGP: every eligible node announces; a router sends the address to the first (one route).
 */
export function metallbAnnounce(
  objects: readonly KubeObject[],
  services: readonly ServiceModel[],
  poolOf: ReadonlyMap<string, string>,
  nodes: readonly NodeModel[],
  slices: readonly EndpointSliceModel[],
  diagnostics: Diagnostic[],
): MetalLBAnnouncement[] {
  const advs = objects.filter(
    (o): o is MetalLBAdvertisementObject =>
      o.kind === 'L2Advertisement' || o.kind === 'BGPAdvertisement',
  );
  const out: MetalLBAnnouncement[] = [];
  const unadvertised = new Set<string>();
  for (const svc of services) {
    if (svc.type !== 'LoadBalancer') continue;
    const ready = slices
      .filter((s) => s.namespace === svc.namespace && s.service === svc.name)
      .flatMap((s) => s.endpoints.filter((e) => e.ready || e.serving));
    const withEndpoint = new Set(ready.flatMap((e) => (e.nodeName ? [e.nodeName] : [])));
    for (const ip of svc.loadBalancerIPs) {
      const pool = poolOf.get(ip);
      if (!pool) continue;
      const mine = advs.filter(
        (a) => a.ipAddressPools.length === 0 || a.ipAddressPools.includes(pool),
      );
      const l2 = mine.filter((a) => a.kind === 'L2Advertisement');
      const mode = l2.length ? 'l2' : mine.length ? 'bgp' : 'none';
      if (mode === 'none') {
        if (!unadvertised.has(pool)) {
          unadvertised.add(pool);
          const at = objects.find((o) => o.kind === 'IPAddressPool' && o.meta.name === pool);
          if (at)
            diagnostics.push({
              ...at.meta.source,
              severity: 'warning',
              code: 'PW2045',
              message: `no L2Advertisement or BGPAdvertisement selects pool "${pool}": MetalLB assigns its addresses (${ip} to ${key(svc)}) but no speaker announces them, so nothing outside the nodes can reach them`,
            });
        }
        out.push({ service: key(svc), ip, pool, mode });
        continue;
      }
      const allowed = new Set(
        (l2.length ? l2 : mine).flatMap((a) => advNodes(a, nodes).map((n) => n.name)),
      );
      const candidates = nodes
        .filter((n) => allowed.has(n.name) && n.labels[EXCLUDE_FROM_LB] === undefined)
        .filter((n) => svc.externalTrafficPolicy !== 'Local' || withEndpoint.has(n.name))
        .map((n) => n.name);
      const node =
        ready.length === 0 ? undefined : mode === 'l2' ? electL2(candidates, ip) : candidates[0];
      if (node === undefined)
        diagnostics.push({
          ...(svc.source ?? { file: '', line: 1, col: 1 }),
          severity: 'warning',
          code: 'PW2049',
          message: `no MetalLB speaker announces ${ip} for ${key(svc)}: ${ready.length === 0 ? 'the Service has no ready endpoint' : svc.externalTrafficPolicy === 'Local' ? 'externalTrafficPolicy is Local and no node the advertisements allow has a ready endpoint' : "no node matches the advertisements' nodeSelectors"}`,
        });
      out.push({ service: key(svc), ip, pool, mode, ...(node ? { node } : {}) });
    }
  }
  return out;
}

/** Whether the scenario configures MetalLB at all. */
export function hasMetalLB(objects: readonly KubeObject[]): boolean {
  return objects.some((o) => o.kind === 'IPAddressPool');
}
