import type { LinkView, TraceEvent } from '../../protocol/messages';

/**
 * Which drawn element each trace step happens at. This only reads the places the engine
 * named in the event (namespace, device, link ends); it decides nothing about the network.
 */
export interface Focus {
  /** The box the packet token sits on. */
  at: string;
  /** The link the packet just crossed, if any. */
  link: string | null;
  /** Where the packet left from on a transmit step (a bridge port it was switched to). */
  via: string | null;
}

function deviceOf(e: TraceEvent): string | null {
  switch (e.kind) {
    case 'transmit':
      return `${e.to.ns}:${e.to.dev}`;
    case 'bridge':
      return `${e.ns}:${e.bridge}`;
    case 'route':
      return e.dev ? `${e.ns}:${e.dev}` : null;
    case 'hook':
    case 'arp':
    case 'encap':
    case 'decap':
      return e.dev ? `${e.ns}:${e.dev}` : null;
    default:
      return null;
  }
}

/** Index of links by their two ends, so a transmit step finds the edge it crossed. */
export function linkIndex(links: readonly LinkView[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const l of links) {
    m.set(`${l.a}|${l.b}`, l.id);
    m.set(`${l.b}|${l.a}`, l.id);
  }
  return m;
}

/**
 * One focus per step. Steps that name no device (a netfilter rule, a conntrack entry) stay
 * where the packet already is; the first step of each direction starts at its namespace.
 */
export function focusPerStep(
  events: readonly TraceEvent[],
  exists: (id: string) => boolean,
  links: Map<string, string>,
): Focus[] {
  const out: Focus[] = [];
  let at = '';
  for (const e of events) {
    let link: string | null = null;
    let via: string | null = null;
    const dev = deviceOf(e);
    if (e.kind === 'transmit') {
      const from = `${e.from.ns}:${e.from.dev}`;
      link = links.get(`${from}|${e.to.ns}:${e.to.dev}`) ?? null;
      if (from !== at && exists(from)) via = from;
    }
    if (e.kind === 'send' || e.kind === 'deliver') at = e.ns;
    else if (dev && exists(dev)) at = dev;
    else if (at !== e.ns && !at.startsWith(`${e.ns}:`)) at = e.ns;
    out.push({ at, link, via });
  }
  return out;
}

/** The tunnels a trace went through: each encapsulation paired with the decapsulation after it. */
export function tunnelsUsed(
  events: readonly TraceEvent[],
  links: Map<string, string>,
): Set<string> {
  const used = new Set<string>();
  let open: string | null = null;
  for (const e of events) {
    if (e.kind === 'encap') open = `${e.ns}:${e.dev}`;
    else if (e.kind === 'decap' && open) {
      const id = links.get(`${open}|${e.ns}:${e.dev}`);
      if (id) used.add(id);
      open = null;
    }
  }
  return used;
}
