import type { TraceEvent, TraceEventKind } from '../protocol/messages';

/** `rule`: every event, down to each netfilter rule; `hop`: only where the packet moves or changes. */
export type Granularity = 'rule' | 'hop';

const HOP_KINDS = new Set<TraceEventKind>([
  'send',
  'transmit',
  'bridge',
  'route',
  'nat',
  'encap',
  'decap',
  'relay',
  'deliver',
  'drop',
]);

export function isVisible(e: TraceEvent, g: Granularity): boolean {
  return g === 'rule' || HOP_KINDS.has(e.kind);
}

/** The next (dir 1) or previous (dir -1) visible step from `from`; `from` itself when there is none. */
export function stepBy(
  events: readonly TraceEvent[],
  from: number,
  dir: 1 | -1,
  g: Granularity,
): number {
  for (let i = from + dir; i >= 0 && i < events.length; i += dir)
    if (isVisible(events[i]!, g)) return i;
  return from;
}

export type JumpTarget = 'nat' | 'node' | 'drop';

/** The next step that rewrites the packet, reaches another node, or drops it; null if none. */
export function jumpTo(
  events: readonly TraceEvent[],
  from: number,
  target: JumpTarget,
): number | null {
  const here = events[from];
  for (let i = from + 1; i < events.length; i++) {
    const e = events[i]!;
    if (target === 'nat' && e.kind === 'nat') return i;
    if (target === 'drop' && e.kind === 'drop') return i;
    if (target === 'node' && here && e.node !== here.node) return i;
  }
  return null;
}
