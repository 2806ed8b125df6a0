import type { World } from '../kernel/world';
import type { Chain, Rule } from '../netfilter/model';
import { formatIp4, type Ip4 } from '../wire/ip';
import type { Trace } from './trace-types';

/**
 * What the rules promise before any connection is made: how a NEW connection's chance is
 * split over the backends. For kube-proxy's iptables mode that is the KUBE-SVC (or KUBE-SVL)
 * chain the first connection walked: rule k jumps to its KUBE-SEP with probability p_k among
 * what the earlier rules left, so endpoint k gets p_k × Π(1 − p_j), and the last rule takes
 * the rest. The shares come from the loaded rules, not from a formula about Services.
 */
export interface ExpectedShare {
  /** The chain the shares were read from, e.g. KUBE-SVC-I3MZKEX26BFPQC5G. */
  chain: string;
  node: string;
  backends: { backend: string; share: number }[];
  /** kube-proxy's `recent` match in the chain: each client keeps its first endpoint. */
  affinity: boolean;
}

const THRESHOLD = 0x80000000;

function dnatTarget(chain: Chain | undefined): string | null {
  for (const r of chain?.rules ?? []) {
    const t = r.target;
    if (t.kind === 'DNAT' && t.range) {
      const ip = formatIp4(t.range.minIp as Ip4);
      return t.range.minPort === null ? ip : `${ip}:${t.range.minPort}`;
    }
  }
  return null;
}

function probability(r: Rule): number {
  const stat = r.matches.find((m) => m.mod === 'statistic');
  if (!stat || stat.mod !== 'statistic' || stat.mode !== 'random') return 1;
  const p = stat.probability / THRESHOLD;
  return stat.neg ? 1 - p : p;
}

export function expectedShare(world: World, first: Trace): ExpectedShare | null {
  const walked = first.events.find(
    (e) =>
      e.kind === 'netfilter' &&
      e.dir === 'request' &&
      e.table === 'nat' &&
      (e.chain.startsWith('KUBE-SVC-') || e.chain.startsWith('KUBE-SVL-')),
  );
  if (!walked || walked.kind !== 'netfilter') return null;
  const nat = world.namespaces.get(walked.ns)?.netfilter.tables.get('nat');
  const chain = nat?.chains.get(walked.chain);
  if (!nat || !chain) return null;
  let left = 1;
  const backends: ExpectedShare['backends'] = [];
  let affinity = false;
  for (const r of chain.rules) {
    if (r.matches.some((m) => m.mod === 'recent')) affinity = true;
    if (r.target.kind !== 'JUMP' || !r.target.chain.startsWith('KUBE-SEP-')) continue;
    // Affinity rules (`-m recent --rcheck`) send returning clients; they take no new share.
    if (r.matches.some((m) => m.mod === 'recent')) continue;
    const backend = dnatTarget(nat.chains.get(r.target.chain));
    if (!backend) continue;
    const share = left * probability(r);
    backends.push({ backend, share });
    left -= share;
  }
  return backends.length ? { chain: walked.chain, node: walked.node, backends, affinity } : null;
}
