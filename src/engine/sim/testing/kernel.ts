import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

/**
 * A harness for the kernel differential tests: real network namespaces, real iptables
 * (nf_tables backend) and `nft monitor trace`, so the engine's netfilter events can be held
 * against what this machine's kernel reports for the same packet. Needs root.
 */

/** Why the kernel tests cannot run here, or null when they can. */
export function kernelUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['ip', 'iptables-restore', 'nft', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing`;
  }
  const probe = `pwprobe${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return 'cannot create a netns';
  const brnf = spawnSync('ip', [
    'netns',
    'exec',
    probe,
    'sysctl',
    '-qw',
    'net.bridge.bridge-nf-call-iptables=1',
  ]);
  spawnSync('ip', ['netns', 'del', probe]);
  if (brnf.status !== 0) return 'br_netfilter is not available';
  return null;
}

export function sh(...args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function inNs(ns: string, ...args: string[]): string {
  return sh('ip', 'netns', 'exec', ns, ...args);
}

export function restoreRules(ns: string, rules: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'iptables-restore'], { input: rules });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => boolean, ms = 8000): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** One netfilter step the kernel reported: a matched rule or a base-chain policy. */
export interface KernelStep {
  table: string;
  chain: string;
  kind: 'rule' | 'policy';
  verdict: string;
  text: string;
}

export interface KernelTrace {
  /** The `packet:` line of the first hook the packet was traced in. */
  packet: string;
  steps: KernelStep[];
}

/**
 * `nft monitor trace` in one namespace. `ready()` resolves once the monitor is subscribed:
 * it sends probe datagrams from the namespace until their trace shows up, because a packet
 * sent before the netlink subscription is silently missed.
 */
export class TraceMonitor {
  private out = '';
  private proc: ChildProcess;
  constructor(readonly ns: string) {
    this.proc = spawn('ip', ['netns', 'exec', ns, 'nft', 'monitor', 'trace']);
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
  }

  async ready(): Promise<void> {
    await waitFor(`nft monitor trace in ${this.ns}`, () => {
      if (this.out.includes('udp dport 9 ')) return true;
      spawnSync('ip', [
        'netns',
        'exec',
        this.ns,
        'python3',
        '-c',
        "import socket;socket.socket(socket.AF_INET,socket.SOCK_DGRAM).sendto(b'x',('127.0.0.1',9))",
      ]);
      return false;
    });
  }

  /** Every traced packet, by trace id, with the rule and policy steps (TRACE rules left out). */
  traces(): KernelTrace[] {
    const byId = new Map<string, KernelTrace>();
    for (const line of this.out.split('\n')) {
      const m = /^trace id (\w+) ip (\w+) (\S+) (.*)$/.exec(line.trim());
      if (!m) continue;
      const [, id, table, chain, rest] = m as unknown as [string, string, string, string, string];
      let t = byId.get(id);
      if (!t) byId.set(id, (t = { packet: '', steps: [] }));
      if (rest.startsWith('packet: ')) {
        if (!t.packet) t.packet = rest;
        continue;
      }
      if (rest.includes('nftrace set 1')) continue;
      const rule = /^rule (.*) \(verdict (\w+)\)$/.exec(rest);
      if (rule) t.steps.push({ table, chain, kind: 'rule', verdict: rule[2]!, text: rule[1]! });
      const policy = /^policy (\w+)/.exec(rest);
      if (policy) t.steps.push({ table, chain, kind: 'policy', verdict: policy[1]!, text: '' });
    }
    return [...byId.values()];
  }

  stop(): void {
    this.proc.kill();
  }
}
