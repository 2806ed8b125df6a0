/**
 * The seam between the packet walk (engine/datapath) and netfilter (this folder).
 * The data path calls `runHook` at each of the five hooks with the packet and what the kernel
 * knows at that point; netfilter walks the registered tables in priority order, runs
 * conntrack and NAT, and answers with a verdict, the rewritten packet and the events to trace.
 */
import type { Ip4 } from '../wire/ip';
import type { Packet } from '../wire/packet';
import type { Rng } from '../sim/rng';
import type { ConntrackEvent, Hook, NatEvent, NetfilterEvent, TableName } from '../sim/trace-types';

export type { Hook, TableName };

/** Address type as `-m addrtype` and the routing code classify it. */
export type AddrType =
  | 'LOCAL'
  | 'UNICAST'
  | 'BROADCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'UNSPEC';

/** What the kernel knows about the packet when it reaches a hook. */
export interface HookContext {
  hook: Hook;
  /** 'bridge': a bridged IPv4 frame sent through the IP hooks by br_netfilter. */
  family: 'ipv4' | 'bridge';
  /** -i: set at PREROUTING, INPUT, FORWARD. For bridged frames this is the bridge (cni0). */
  inDev?: string;
  /** -o: set at FORWARD, OUTPUT (after routing), POSTROUTING. */
  outDev?: string;
  /** Bridge ports, for `-m physdev` on bridged frames. */
  physIn?: string;
  physOut?: string;
  /** The routing view of this namespace, for addrtype and MASQUERADE. */
  addrType(ip: Ip4): AddrType;
  /** The same, restricted to one device (`addrtype --limit-iface-in/out`); addrType when absent. */
  addrTypeOn?(ip: Ip4, dev: string): AddrType;
  /** The address MASQUERADE picks: the primary address of `dev` (per route's prefsrc). */
  masqueradeAddress(dev: string, dst: Ip4): Ip4 | undefined;
  /** The primary address of `dev`, for REDIRECT (falls back to masqueradeAddress when absent). */
  devAddress?(dev: string): Ip4 | undefined;
  /** Per-packet kernel state (skb->mark, skb->_nfct) that lives while the packet stays in this
   *  namespace; netfilter reads and updates it. The data path makes a fresh one whenever a
   *  packet crosses into another namespace (a veth clears both). */
  skb: SkbState;
  rng: Rng;
  /** Simulated clock, seconds since the world started (for `recent` and conntrack timeouts). */
  now: number;
  /**
   * Run IPVS's hooks too (ip_vs_in at LOCAL_IN priority 98 and LOCAL_OUT -98, ip_vs_out at
   * LOCAL_IN/FORWARD priority 99). Opt-in, because a request IPVS takes at INPUT comes back
   * with `HookResult.stolen`, which the caller must then send on instead of delivering.
   */
  ipvs?: boolean;
}

export interface SkbState {
  mark: number;
  /** The conntrack entry this packet belongs to (or 'untracked' after NOTRACK); opaque outside netfilter. */
  ct: unknown;
}

/** A trace event before the data path stamps it with i/dir/node/ns. */
export type NfEventDraft =
  | Omit<NetfilterEvent, 'i' | 'dir' | 'node' | 'ns'>
  | Omit<NatEvent, 'i' | 'dir' | 'node' | 'ns'>
  | Omit<ConntrackEvent, 'i' | 'dir' | 'node' | 'ns'>;

export type FinalVerdict =
  | { kind: 'ACCEPT' }
  | {
      kind: 'DROP';
      table: TableName;
      chain: string;
      rule: string | null;
      /** Why, when it is not the rule's own verdict: "jump loop: FORWARD -> A -> B -> A". */
      reason?: string;
    }
  | {
      kind: 'REJECT';
      table: TableName;
      chain: string;
      rule: string;
      /** --reject-with, e.g. "icmp-port-unreachable", "tcp-reset". */
      with: string;
    };

export interface HookResult {
  verdict: FinalVerdict;
  /** The packet after every rewrite at this hook (NAT, MARK). */
  packet: Packet;
  /** The packet's fwmark after this hook (0 when unset). */
  mark: number;
  events: NfEventDraft[];
  /**
   * NF_STOLEN (only with `ipvs: true`; the verdict is then ACCEPT): IPVS took a request at
   * INPUT and rewrote it for a real server (`packet`). Do not deliver it: route it to its new
   * destination and send it through OUTPUT and POSTROUTING with the same skb, as
   * ip_vs_nat_xmit does.
   */
  stolen?: { by: 'ipvs'; service: string; realServer: string };
}
