import type { Netns } from '../kernel/netns';
import type { World } from '../kernel/world';
import type { Rng } from '../sim/rng';
import type { Direction, DropEvent, TraceEvent } from '../sim/trace-types';
import type { Packet } from '../wire/packet';
import { toView } from '../wire/view';

type Draft = TraceEvent extends infer E
  ? E extends TraceEvent
    ? Omit<E, 'i' | 'dir' | 'node' | 'ns'>
    : never
  : never;

/** Why a walk ended. */
export type Fate =
  | {
      kind: 'delivered';
      ns: Netns;
      packet: Packet;
      process: string;
      socketText: string;
      icmpEcho?: boolean;
    }
  | {
      kind:
        'dropped' | 'rejected' | 'refused' | 'no-route' | 'ttl-exceeded' | 'unreachable' | 'loop';
      ns: Netns;
      reason: string;
      message: string;
    }
  /** The packet turned into another one walking back (REJECT, RST, ICMP error): its own fate follows. */
  | {
      kind: 'answered';
      ns: Netns;
      reason: string;
      message: string;
      answer: Packet;
      answerFrom: Netns;
    };

/** Everything a walk needs: the world, the seeded RNG and the event recorder. */
export class WalkContext {
  readonly events: TraceEvent[] = [];
  dir: Direction = 'request';
  private steps = 0;

  constructor(
    readonly world: World,
    readonly rng: Rng,
    /**
     * Upper bound on data-path steps (a device crossed, a packet received or sent), so loops
     * end with a reason instead of hanging. The walk recurses a few frames per step, so the
     * bound also keeps it well inside a JavaScript stack; a 64-hop routed path takes ~200.
     */
    readonly maxSteps = 1000,
  ) {}

  emit(ns: Netns, draft: Draft, packet?: Packet): void {
    const ev = {
      ...draft,
      i: this.events.length,
      dir: this.dir,
      node: ns.node,
      ns: ns.id,
    } as TraceEvent;
    if (packet && ev.packet === undefined) ev.packet = toView(packet);
    this.events.push(ev);
  }

  /** Why a walk that ran out of steps ended: the places it kept visiting. */
  loopMessage(): string {
    const recent = this.events
      .slice(-40)
      .flatMap((e) => (e.kind === 'transmit' ? [`${e.from.ns}:${e.from.dev}`] : []));
    const circle = [...new Set(recent)].join(' → ');
    return `the packet is going round in a loop (${this.maxSteps} steps without arriving${circle ? `; it keeps leaving by ${circle}` : ''}): a bridge FDB or a route sends it back where it came from, and nothing (such as the TTL of a bridged frame) stops it`;
  }

  /** Counts a step; false once the budget is spent (a forwarding or bridging loop). */
  step(): boolean {
    this.steps += 1;
    return this.steps <= this.maxSteps;
  }

  drop(
    ns: Netns,
    packet: Packet,
    reason: string,
    message: string,
    where: string,
    kind: Exclude<Fate['kind'], 'delivered' | 'answered'> = 'dropped',
  ): Fate {
    const ev: Omit<DropEvent, 'i' | 'dir' | 'node' | 'ns'> = {
      kind: 'drop',
      reason,
      message,
      where,
    };
    this.emit(ns, ev, packet);
    return { kind, ns, reason, message };
  }
}
