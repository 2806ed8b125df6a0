import type { Direction, Outcome, Trace, TraceEvent } from './trace-types';

/**
 * What a trace adds up to, for putting two data planes side by side: how far the packet got,
 * the devices it crossed, how much netfilter work it cost, every rewrite and every tunnel.
 * Read off the trace's own events; nothing here decides anything about the network.
 */
export interface TraceSummary {
  outcome: Outcome;
  steps: number;
  /** Rules netfilter evaluated, a run of unmatched rules counted rule by rule. */
  rulesEvaluated: number;
  rulesMatched: number;
  /** Distinct table/chain pairs walked, per namespace ("node-1 nat KUBE-SERVICES"). */
  chains: number;
  /** IPVS lookups that picked a real server. */
  ipvs: number;
  nat: { dir: Direction; ns: string; type: string; before: string; after: string }[];
  tunnels: { dir: Direction; ns: string; dev: string; tunnel: string; overhead: number }[];
  /** Every link crossed, in order: the path. */
  hops: { dir: Direction; link: string; from: string; to: string }[];
  /** Bridges that switched the packet ("node-1:cni0"), in order. */
  bridges: { dir: Direction; bridge: string; action: string }[];
  /** Hosts the request passed through, in order (each once). */
  hosts: string[];
  /** User-space relays (kube-proxy's userspace mode, flanneld): a second connection or copy. */
  relays: number;
  drop: { ns: string; message: string } | null;
}

function rulesIn(e: Extract<TraceEvent, { kind: 'netfilter' }>): number {
  if (e.index === null) return 0;
  return e.range ? e.range[1] - e.range[0] + 1 : 1;
}

export function summarizeTrace(trace: Trace): TraceSummary {
  const s: TraceSummary = {
    outcome: trace.outcome,
    steps: trace.events.length,
    rulesEvaluated: 0,
    rulesMatched: 0,
    chains: 0,
    ipvs: 0,
    nat: [],
    tunnels: [],
    hops: [],
    bridges: [],
    hosts: [],
    relays: 0,
    drop: null,
  };
  const chains = new Set<string>();
  for (const e of trace.events) {
    if (e.dir === 'request' && s.hosts.at(-1) !== e.node && !s.hosts.includes(e.node))
      s.hosts.push(e.node);
    switch (e.kind) {
      case 'netfilter':
        s.rulesEvaluated += rulesIn(e);
        if (e.matched && e.index !== null) s.rulesMatched += 1;
        chains.add(`${e.ns} ${e.table} ${e.chain}`);
        break;
      case 'nat':
        s.nat.push({ dir: e.dir, ns: e.ns, type: e.type, before: e.before, after: e.after });
        break;
      case 'encap':
        s.tunnels.push({
          dir: e.dir,
          ns: e.ns,
          dev: e.dev,
          tunnel: e.tunnel,
          overhead: e.overhead,
        });
        break;
      case 'transmit':
        s.hops.push({
          dir: e.dir,
          link: e.link,
          from: `${e.from.ns}:${e.from.dev}`,
          to: `${e.to.ns}:${e.to.dev}`,
        });
        break;
      case 'bridge':
        s.bridges.push({ dir: e.dir, bridge: `${e.ns}:${e.bridge}`, action: e.action });
        break;
      case 'relay':
        // IPVS's rewrite at LOCAL_IN is a kernel relay, not a user-space one.
        if (e.process === 'ipvs') s.ipvs += 1;
        else s.relays += 1;
        break;
      case 'drop':
        s.drop ??= { ns: e.ns, message: e.message };
        break;
      default:
        break;
    }
  }
  s.chains = chains.size;
  return s;
}
