import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';

// Reading `nft monitor trace`: when it is listening, and which steps each packet took.

/** One netfilter step the kernel reported: a matched rule or a base-chain policy. */
export interface Step {
  hook: string;
  table: string;
  chain: string;
  kind: 'rule' | 'policy';
  verdict: string;
}

interface KernelPacket {
  id: string;
  packet: string;
  steps: Step[];
}

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
const RANK: Record<string, number> = {
  PREROUTING: 0,
  OUTPUT: 0,
  INPUT: 1,
  FORWARD: 1,
  POSTROUTING: 2,
  '': -1,
};

/** `nft monitor trace` in one namespace. */
export class TraceMonitor {
  private out = '';
  readonly proc: ChildProcess;
  constructor(readonly ns: string) {
    this.proc = spawn('ip', ['netns', 'exec', ns, 'nft', 'monitor', 'trace']);
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
  }

  /**
   * True once nft has joined the NFNLGRP_NFTRACE multicast group (bit 0x100 of the Groups
   * column of its NETLINK_NETFILTER socket): a packet traced before that is never reported.
   */
  subscribed(): boolean {
    const pid = this.proc.pid;
    if (pid === undefined) return false;
    try {
      const inodes = new Set(
        readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return m ? [m[1]!] : [];
        }),
      );
      return readFileSync(`/proc/${pid}/net/netlink`, 'utf8')
        .split('\n')
        .some((line) => {
          const f = line.trim().split(/\s+/);
          return f[1] === '12' && (parseInt(f[3] ?? '0', 16) & 0x100) !== 0 && inodes.has(f[9]!);
        });
    } catch {
      return false;
    }
  }

  /**
   * Every traced packet with its rule and policy steps (the trace table left out). The kernel
   * reuses trace ids, so a packet starts where the trace table marks it, not at a new id.
   */
  packets(): KernelPacket[] {
    const all: (KernelPacket & { hook: string })[] = [];
    const current = new Map<string, KernelPacket & { hook: string }>();
    for (const line of this.out.split('\n')) {
      const m = /^trace id (\w+) ip (\S+) (\S+) (.*)$/.exec(line.trim());
      if (!m) continue;
      const [, id, table, chain, rest] = m as unknown as [string, string, string, string, string];
      let t = current.get(id);
      const packetLine = rest.startsWith('packet: ');
      // Ids come from the skb's address, so a later packet may reuse one mid-path (a bridged
      // frame handed to IP gets a new id at FORWARD): a hook earlier than the last one seen
      // under this id is another packet.
      const earlier = packetLine && HOOKS.has(chain) && t && RANK[chain]! < RANK[t.hook]!;
      if (!t || (table === 'pwtrace' && packetLine) || earlier) {
        t = { id, packet: '', steps: [], hook: '' };
        current.set(id, t);
        all.push(t);
      }
      if (HOOKS.has(chain)) t.hook = chain;
      if (table === 'pwtrace') t.hook = chain === 'pre' ? 'PREROUTING' : 'OUTPUT';
      if (rest.startsWith('packet: ')) {
        t.packet ||= rest;
        continue;
      }
      if (table === 'pwtrace') continue;
      const rule = /^rule .* \(verdict (\w+)(?: (\S+))?\)$/.exec(rest);
      if (rule)
        t.steps.push({ hook: t.hook, table, chain, kind: 'rule', verdict: rule[1]!.toLowerCase() });
      const policy = /^policy (\w+)/.exec(rest);
      if (policy) t.steps.push({ hook: t.hook, table, chain, kind: 'policy', verdict: policy[1]! });
    }
    return all;
  }

  /**
   * The steps of every packet whose `packet:` line matches, in the order they were traced.
   * A TCP segment sent again (a SYN retransmitted on a busy machine) carries another IP id
   * and is left out: the engine sends each segment once.
   */
  steps(match: (packetLine: string) => boolean): Step[] {
    let tcpId: string | undefined;
    return this.packets()
      .filter((p) => {
        if (!match(p.packet)) return false;
        if (!p.packet.includes(' tcp flags ')) return true;
        const id = / ip id (\d+) /.exec(p.packet)?.[1];
        tcpId ??= id;
        return id === tcpId;
      })
      .flatMap((p) => p.steps);
  }

  /** How much the monitor has written so far. */
  size(): number {
    return this.out.length;
  }

  /** Has a packet matching `match` been traced here? */
  saw(match: (packetLine: string) => boolean): boolean {
    return this.packets().some((p) => match(p.packet));
  }
}
