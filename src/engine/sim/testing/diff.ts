import { buildLabWorld } from '../../kube/lab-world';
import type { LabModel } from '../../kube/lab-model';
import type { World } from '../../kernel/world';
import { labFlowSpec } from '../flows';
import { trace } from '../trace';
import type { FlowSpec, Trace } from '../trace-types';
import type { KernelLab } from './kernel';
import { waitFor, type Step, type TraceMonitor } from './kernel';

/**
 * The verdict as `nft monitor trace` words it: "jump CHAIN" is verdict jump (the chain is in
 * the rule text), iptables' NAT targets are nft statements that end in accept, REJECT
 * is a reject statement that ends in drop, and MARK a `meta mark set` that continues.
 */
function nftVerdict(v: string): string {
  const word = v.toLowerCase().split(' ')[0]!;
  if (word === 'reject') return 'drop';
  // Non-terminating targets (kube-proxy's MARK) let the packet go on to the next rule.
  if (word === 'mark' || word === 'log') return 'continue';
  return ['dnat', 'snat', 'masquerade', 'redirect'].includes(word) ? 'accept' : word;
}

/** The engine's matched rules and applied policies in one namespace, in the kernel's terms. */
export function engineSteps(t: Trace, ns: string, dir: 'request' | 'reply'): Step[] {
  return t.events.flatMap((e) =>
    e.kind === 'netfilter' && e.matched && e.ns === ns && e.dir === dir
      ? [
          {
            hook: e.hook,
            table: e.table,
            chain: e.chain,
            kind: e.rule === null ? ('policy' as const) : ('rule' as const),
            verdict: nftVerdict(e.verdict),
          },
        ]
      : [],
  );
}

/**
 * Picks the packets of one direction out of `nft monitor trace`'s `packet:` lines: those
 * whose addresses the engine's packet had entering a hook in that direction (so a tunnel's
 * outer packets count too), and for TCP only the SYN or the SYN-ACK, for ICMP only the echo.
 */
export function packetMatcher(t: Trace, dir: 'request' | 'reply'): (line: string) => boolean {
  const pairs = new Set(
    t.events.flatMap((e) =>
      e.dir === dir && e.kind === 'hook' && e.packet && !e.packet.app?.startsWith('ARP')
        ? [`${e.packet.ip.src}>${e.packet.ip.dst}`]
        : [],
    ),
  );
  const arpDir = t.events.find((e) => e.kind === 'encap' && e.packet?.app?.startsWith('ARP'))?.dir;
  // The SYN, and what answers it: the SYN-ACK, or a RST (flags rst|ack).
  const flags =
    dir === 'request' ? ['tcp flags == syn '] : ['tcp flags == 0x12 ', 'tcp flags == 0x14 '];
  // The way back may carry the echo reply or an ICMP error about the request.
  const icmp =
    dir === 'request'
      ? ['icmp type echo-request']
      : ['icmp type echo-reply', 'icmp type destination-unreachable', 'icmp type time-exceeded'];
  return (line) => {
    // An ARP frame inside VXLAN (UDP length 8 + 8 + 14 + 28 = 58), request or reply, belongs
    // to the direction whose packet needed the neighbour.
    if (/ udp length 58 /.test(line)) return arpDir === dir;
    const m = / ip saddr (\S+) ip daddr (\S+) /.exec(line);
    if (!m || !pairs.has(`${m[1]}>${m[2]}`)) return false;
    if (line.includes(' tcp flags ')) return flags.some((f) => line.includes(f));
    if (line.includes(' icmp type ')) return icmp.some((t) => line.includes(t));
    return true;
  };
}

function flowOf(f: LabModel['flows'][number]): FlowSpec {
  const flow = labFlowSpec(f);
  if (!flow) throw new Error(`bad flow ${f.from} → ${f.to}`);
  return flow;
}

export interface FlowRun {
  flow: FlowSpec;
  engine: Trace;
  /** The engine's world as the flow left it (learned neighbours, FDB entries, conntrack). */
  world: World;
  /** What the receiving socket in the kernel saw: "SRC DST" (ICMP: addresses only). */
  kernelSeen: string | null;
  /** The receiving socket in the engine, in the same form. */
  engineSeen: string | null;
  monitors: Map<string, TraceMonitor>;
  kernel: KernelLab;
}

type NsSteps = { ns: string; dir: 'request' | 'reply'; steps: Step[] };

/**
 * Every namespace the engine's packet crossed, both ways: the rules and policies it matched
 * in the engine and in the kernel, as two lists for one `toEqual` (each entry names its
 * namespace and direction, so a difference says where), and how many kernel steps there were.
 */
export function stepsBothWays(run: FlowRun): {
  engine: NsSteps[];
  kernel: NsSteps[];
  compared: number;
} {
  const engine: NsSteps[] = [];
  const kernel: NsSteps[] = [];
  for (const ns of new Set(run.engine.events.map((e) => e.ns)))
    for (const dir of ['request', 'reply'] as const) {
      engine.push({ ns, dir, steps: engineSteps(run.engine, ns, dir) });
      kernel.push({ ns, dir, steps: run.monitors.get(ns)!.steps(packetMatcher(run.engine, dir)) });
    }
  return { engine, kernel, compared: kernel.reduce((n, k) => n + k.steps.length, 0) };
}

/**
 * A packet's `packet:` line can arrive before its rule lines: waits until the monitors have
 * written nothing for 100 ms (five polls — one poll was too short on a loaded machine), so
 * the last steps are in before the caller stops them.
 */
export async function monitorsQuiet(monitors: Map<string, TraceMonitor>): Promise<void> {
  let written = -1;
  let still = 0;
  await waitFor('the monitors to finish writing', () => {
    const now = [...monitors.values()].reduce((n, m) => n + m.size(), 0);
    still = now === written ? still + 1 : 0;
    written = now;
    return still >= 5;
  });
}

function hostPart(ep: string, keepPort: boolean): string {
  return keepPort ? ep : ep.replace(/:\d+$/, '');
}

/**
 * Runs one flow of the lab in the engine and in the kernel. The source port is the kernel's
 * own choice, so only the receiving side's addresses and destination port are compared.
 */
export async function runFlow(
  kernel: KernelLab,
  index: number,
  lab: LabModel,
  world: () => World = () => buildLabWorld(lab),
): Promise<FlowRun> {
  const spec = lab.flows[index]!;
  const flow = flowOf(spec);
  const engineWorld = world();
  const engine = trace(engineWorld, flow, 1);
  const receiver = engine.delivered?.ns;
  // A flow the engine does not deliver (REJECT, a RST, a DROP, no route) must fail in the
  // kernel too, and whatever comes back must walk back the same way.
  const fails = engine.outcome !== 'delivered';
  const fast = engine.outcome === 'rejected' || engine.outcome === 'refused';
  const monitors = await kernel.monitor();
  const first = engine.events[0]!.packet!;
  const port = first.tcp?.dport ?? first.udp?.dport ?? 0;
  // The server listens where the packet arrives, after any DNAT.
  const arrivesAt = Number(/:(\d+)$/.exec(engine.delivered?.dst ?? '')?.[1] ?? port);
  const listener = receiver ? await kernel.listen(receiver, flow.proto, arrivesAt) : null;
  const dst = first.ip.dst;
  const from = engine.events[0]!.ns;
  // A silent drop is only noticed by waiting; a second is plenty between namespaces.
  const answered = kernel.send(from, flow.proto, dst, port, fails && !fast ? 1 : 3);
  if (!answered && !fails)
    throw new Error(`the kernel's ${flow.proto} client in ${from} got no answer from ${dst}`);
  const request = packetMatcher(engine, 'request');
  // Only where the engine says the packet met a hook (a frame only bridged meets none).
  const hooked = (dir: 'request' | 'reply') =>
    new Set(engine.events.flatMap((e) => (e.dir === dir && e.kind === 'hook' ? [e.ns] : [])));
  const there = hooked('request');
  const withTables = (ns: string) =>
    lab.namespaces.find((n) => n.name === ns)?.iptables !== undefined;
  await waitFor('the request traced in every namespace on the way', () =>
    [...there].every((ns) => !withTables(ns) || monitors.get(ns)!.saw(request)),
  );
  const reply = packetMatcher(engine, 'reply');
  const back = hooked('reply');
  await waitFor('the reply traced in every namespace on the way back', () =>
    [...back].every((ns) => {
      return !withTables(ns) || monitors.get(ns)!.saw(reply);
    }),
  );
  if (listener)
    await waitFor(`the listener in ${receiver} to report`, () => listener.seen() !== null);
  await monitorsQuiet(monitors);
  // What the monitors hold now is this flow's; the next flow starts monitors of its own.
  for (const mon of monitors.values()) mon.proc.kill();
  const icmp = flow.proto === 'icmp';
  const d = engine.delivered;
  const engineSeen = d ? `${hostPart(d.src, false)} ${hostPart(d.dst, !icmp)}` : 'not delivered';
  const seen = listener?.seen();
  const kernelSeen = seen
    ? seen
        .split(' ')
        .map((ep, i) => hostPart(ep, !icmp && i === 1))
        .join(' ')
    : answered
      ? null
      : 'not delivered';
  return { flow, engine, world: engineWorld, kernelSeen, engineSeen, monitors, kernel };
}
