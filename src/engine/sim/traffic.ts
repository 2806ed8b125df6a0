import type { World } from '../kernel/world';
import { expectedShare, type ExpectedShare } from './expected-share';
import { trace } from './trace';
import type { EndpointSpec, FlowSpec, Outcome } from './trace-types';

/** Many connections of one flow, one after another on the same world. */
export interface TrafficOptions {
  connections: number;
  seed: number;
  /** Clients taking turns (default: the flow's own source). */
  sources?: EndpointSpec[];
}

export interface ConnectionSummary {
  i: number;
  /** The namespace the connection came from. */
  client: string;
  /** Where the connection was sent: the address DNAT (or IPVS) chose, else the destination. */
  backend: string;
  /** The namespace whose socket got it, or null when it was not delivered. */
  endpoint: string | null;
  outcome: Outcome;
  /** The client's address and port as the endpoint saw them ("" when not delivered). */
  seenFrom: string;
}

export interface TrafficResult {
  flow: FlowSpec;
  seed: number;
  connections: ConnectionSummary[];
  /** Connections per backend in first-seen order, with how many of them were delivered. */
  histogram: { backend: string; endpoint: string | null; count: number; delivered: number }[];
  /** The shares the rules promise (iptables mode), read from the chain the first connection took. */
  expected: ExpectedShare | null;
}

/** The most connections one call simulates: a page asking for more is refused, not slowed. */
export const MAX_CONNECTIONS = 2000;

/**
 * Each connection is a real trace with its own seed, run on the same world, so what one
 * connection leaves behind (conntrack entries, `recent` lists for session affinity, the
 * clock) is there for the next, as on a real node. The same seed gives the same result.
 */
export function traffic(world: World, flow: FlowSpec, opts: TrafficOptions): TrafficResult {
  const n = Math.max(0, Math.min(Math.floor(opts.connections), MAX_CONNECTIONS));
  const sources = opts.sources?.length ? opts.sources : [flow.from];
  const connections: ConnectionSummary[] = [];
  const bins = new Map<string, TrafficResult['histogram'][number]>();
  let expected: ExpectedShare | null = null;
  for (let i = 0; i < n; i++) {
    const from = sources[i % sources.length]!;
    const t = trace(world, { ...flow, from }, opts.seed * 7919 + i);
    if (i === 0) expected = expectedShare(world, t);
    const send = t.events.find((e) => e.kind === 'send');
    const dnat = t.events.find((e) => e.kind === 'nat' && e.dir === 'request' && e.type === 'DNAT');
    const first = send?.packet;
    const l4 = first?.tcp ?? first?.udp;
    const backend =
      dnat?.kind === 'nat'
        ? dnat.after
        : first
          ? l4
            ? `${first.ip.dst}:${l4.dport}`
            : first.ip.dst
          : '';
    const endpoint = t.delivered?.ns ?? null;
    connections.push({
      i,
      client: send?.ns ?? '',
      backend,
      endpoint,
      outcome: t.outcome,
      seenFrom: t.delivered?.src ?? '',
    });
    const bin = bins.get(backend) ?? { backend, endpoint: null, count: 0, delivered: 0 };
    bin.count++;
    if (endpoint) {
      bin.delivered++;
      bin.endpoint = endpoint;
    }
    bins.set(backend, bin);
  }
  return { flow, seed: opts.seed, connections, histogram: [...bins.values()], expected };
}
