import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { labMac } from '../../kube/lab-world';
import type { LabModel, LabRoute } from '../../kube/lab-model';

/**
 * A harness for the kernel differential tests: the same LabModel the engine simulates, built
 * in real network namespaces on this machine (root, iproute2, iptables-nft, nft), with
 * `nft monitor trace` recording what the kernel does to each packet. Test-only (node APIs).
 */

/** Why the kernel tests cannot run here, or null when they can. */
export function kernelUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['ip', 'iptables-restore', 'nft', 'python3', 'sysctl']) {
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

function run(cmd: string, args: string[], input?: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${err.stderr || err.message}${input ?? ''}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what: string, check: () => boolean, ms = 8000): Promise<void> {
  for (let t = 0; t < ms; t += 20) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let dummy: string | undefined;
/**
 * `dummy`, or where that module is missing (this machine) a VXLAN device with no remote: an
 * Ethernet device that is up, holds addresses and routes, and sends nothing anywhere.
 */
function dummyType(): string {
  if (dummy === undefined) {
    const probe = `pwdummy${process.pid}`;
    spawnSync('ip', ['netns', 'add', probe]);
    const ok = spawnSync('ip', ['-n', probe, 'link', 'add', 'd0', 'type', 'dummy']).status === 0;
    spawnSync('ip', ['netns', 'del', probe]);
    dummy = ok ? 'dummy' : 'vxlan id 1 dstport 4789';
  }
  return dummy;
}

/** Marks every packet a namespace sends or receives for tracing, before any iptables table. */
const TRACE_TABLE = `table ip pwtrace {
  chain pre { type filter hook prerouting priority -350; meta nftrace set 1; }
  chain out { type filter hook output priority -350; meta nftrace set 1; }
}
`;

function routeArgs(r: LabRoute): string[] {
  const a: string[] = ['route', 'add'];
  if (r.type && r.type !== 'unicast') a.push(r.type);
  a.push(r.to);
  if (r.via) a.push('via', r.via);
  if (r.dev) a.push('dev', r.dev);
  if (r.src) a.push('src', r.src);
  if (r.metric) a.push('metric', String(r.metric));
  if (r.scope) a.push('scope', r.scope);
  if (r.proto) a.push('proto', r.proto);
  if (r.onlink) a.push('onlink');
  return a;
}

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

  /** Has a packet matching `match` been traced here? */
  saw(match: (packetLine: string) => boolean): boolean {
    return this.packets().some((p) => match(p.packet));
  }
}

const LISTENERS = {
  tcp: `import socket,sys
s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind((sys.argv[1],int(sys.argv[2])));s.listen()
print('up',flush=True)
c,a=s.accept();l=c.getsockname();print('%s:%d %s:%d'%(a[0],a[1],l[0],l[1]),flush=True);c.close()`,
  udp: `import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind((sys.argv[1],int(sys.argv[2])))
s.setsockopt(socket.IPPROTO_IP,8,1)  # IP_PKTINFO: the address the datagram was sent to
print('up',flush=True)
d,anc,_,a=s.recvmsg(2048,256);dst=socket.inet_ntoa(anc[0][2][8:12])
print('%s:%d %s:%s'%(a[0],a[1],dst,sys.argv[2]),flush=True);s.sendto(d,a)`,
  icmp: `import socket
s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP)
print('up',flush=True)
while True:
  d,a=s.recvfrom(2048)
  if d[20]==8: print('%s %s'%(socket.inet_ntoa(d[12:16]),socket.inet_ntoa(d[16:20])),flush=True);break`,
};

const CLIENTS = {
  tcp: `import socket,sys
c=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=float(sys.argv[3]));c.close()`,
  udp: `import socket,sys
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(float(sys.argv[3]))
s.sendto(b'x'*32,(sys.argv[1],int(sys.argv[2])));s.recvfrom(2048)`,
  icmp: `import socket,struct,sys
def ck(b):
  t=sum(struct.unpack('!%dH'%(len(b)//2),b));t=(t>>16)+(t&0xffff);t+=t>>16;return ~t&0xffff
s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP);s.settimeout(float(sys.argv[3]))
p=struct.pack('!BBHHH',8,0,0,0x4242,1)+b'x'*56;p=p[:2]+struct.pack('!H',ck(p))+p[4:]
s.sendto(p,(sys.argv[1],0))
while True:
  d,a=s.recvfrom(2048)
  if d[20]==0 and d[24:26]==b'\\x42\\x42': break`,
};

/** A listening process in a namespace; `seen` is what its socket saw ("SRC DST"). */
export class Listener {
  private out = '';
  readonly proc: ChildProcess;
  constructor(ns: string, proto: 'tcp' | 'udp' | 'icmp', ip = '0.0.0.0', port = 0) {
    this.proc = spawn('ip', [
      'netns',
      'exec',
      ns,
      'python3',
      '-c',
      LISTENERS[proto],
      ip,
      `${port}`,
    ]);
    this.proc.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
  }
  /** What the listener wrote to stderr (a Python traceback when it failed). */
  err = '';
  up(): boolean {
    return this.out.startsWith('up\n');
  }
  seen(): string | null {
    const line = this.out.split('\n')[1];
    return line ? line : null;
  }
  stop(): void {
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/**
 * A LabModel built in real namespaces, named `<tag>-<index>`. Devices get the MACs
 * the engine gives them, so neighbour and FDB entries read the same on both sides.
 */
export class KernelLab {
  readonly names = new Map<string, string>();
  private procs: { stop(): void }[] = [];
  /** Namespaces the harness adds (the switches of L2 segments). */
  private extra: string[] = [];

  constructor(
    readonly lab: LabModel,
    readonly tag: string,
  ) {}

  ns(name: string): string {
    const n = this.names.get(name);
    if (!n) throw new Error(`no lab namespace ${name}`);
    return n;
  }

  build(): void {
    for (const [i, spec] of this.lab.namespaces.entries()) {
      const real = `${this.tag}-${i}`;
      run('ip', ['netns', 'add', real]);
      // IPv6 would chatter (router solicitations, DAD) and teach bridges MACs the engine's
      // IPv4-only world never sends.
      run('ip', [
        'netns',
        'exec',
        real,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]);
      this.names.set(spec.name, real);
    }
    // An L2 segment is a bridge in a namespace of its own; each NIC on it is a veth whose
    // other end is a port of that bridge.
    const segments = [
      ...new Set(
        this.lab.namespaces.flatMap((n) =>
          n.interfaces.flatMap((i) => (i.segment ? [i.segment] : [])),
        ),
      ),
    ];
    const segNs = new Map(segments.map((seg, k) => [seg, `${this.tag}-s${k}`]));
    for (const real of segNs.values()) {
      run('ip', ['netns', 'add', real]);
      this.extra.push(real);
      run('ip', ['-n', real, '-batch', '-'], 'link add br0 type bridge\nlink set br0 up\n');
    }
    let port = 0;
    for (const spec of this.lab.namespaces)
      for (const i of spec.interfaces) {
        if (i.type !== 'phys' || !i.segment) continue;
        const seg = segNs.get(i.segment)!;
        const p = `p${port++}`;
        run('ip', [
          'link',
          'add',
          i.name,
          'netns',
          this.ns(spec.name),
          'address',
          i.mac ?? labMac(spec.name, i.name),
          'type',
          'veth',
          'peer',
          'name',
          p,
          'netns',
          seg,
        ]);
        run('ip', ['-n', seg, '-batch', '-'], `link set ${p} master br0\nlink set ${p} up\n`);
      }
    for (const pass of [0, 1])
      for (const spec of this.lab.namespaces) {
        const ns = this.ns(spec.name);
        const cmds: string[] = ['link set lo up'];
        // Pass 0 creates the veth pairs, pass 1 the rest (a VXLAN device names its underlay).
        for (const i of pass === 0 ? spec.interfaces : []) {
          const mac = i.mac ?? labMac(spec.name, i.name);
          if (i.type === 'veth' && i.peer) {
            const cut = i.peer.lastIndexOf('/');
            const [peerNs, peerDev] = [i.peer.slice(0, cut), i.peer.slice(cut + 1)];
            const peerSpec = this.lab.namespaces
              .find((n) => n.name === peerNs)
              ?.interfaces.find((p) => p.name === peerDev);
            run('ip', [
              'link',
              'add',
              i.name,
              'netns',
              ns,
              'address',
              mac,
              'type',
              'veth',
              'peer',
              'name',
              peerDev,
              'netns',
              this.ns(peerNs),
              'address',
              peerSpec?.mac ?? labMac(peerNs, peerDev),
            ]);
          }
        }
        for (const i of pass === 1 ? spec.interfaces : []) {
          const mac = i.mac ?? labMac(spec.name, i.name);
          if (i.type === 'vxlan' && i.vxlan) {
            const v = i.vxlan;
            cmds.push(
              [
                `link add ${i.name} address ${mac} type vxlan id ${v.vni} dstport ${v.dstport}`,
                v.local ? `local ${v.local}` : '',
                v.dev ? `dev ${v.dev}` : '',
                v.learning ? '' : 'nolearning',
              ].join(' '),
            );
          } else if (i.type !== 'veth' && i.type !== 'phys') {
            const type = i.type === 'dummy' ? dummyType() : i.type;
            cmds.push(`link add ${i.name} address ${mac} type ${type}`);
          }
        }
        if (pass === 1) run('ip', ['-n', ns, '-batch', '-'], `${cmds.join('\n')}\n`);
      }
    for (const spec of this.lab.namespaces) {
      const ns = this.ns(spec.name);
      const cmds: string[] = [];
      for (const i of spec.interfaces) {
        if (i.mtu) cmds.push(`link set ${i.name} mtu ${i.mtu}`);
        if (i.master) cmds.push(`link set ${i.name} master ${i.master}`);
        if (i.hairpin) cmds.push(`link set ${i.name} type bridge_slave hairpin on`);
        for (const a of i.addresses) cmds.push(`addr add ${a} dev ${i.name}`);
        cmds.push(`link set ${i.name} up`);
      }
      if (cmds.length > 0) run('ip', ['-n', ns, '-batch', '-'], `${cmds.join('\n')}\n`);
      const fdb = spec.interfaces.flatMap((i) =>
        (i.fdb ?? []).map((f) => `fdb append ${f.mac} dev ${i.name} dst ${f.dst}`),
      );
      if (fdb.length > 0) run('bridge', ['-n', ns, '-batch', '-'], `${fdb.join('\n')}\n`);
      const sysctls = Object.entries(spec.sysctls).map(([k, v]) => `${k}=${v}`);
      if (sysctls.length > 0) run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...sysctls]);
      const later: string[] = [
        ...spec.routes.map((r) => routeArgs(r).join(' ')),
        ...spec.neighbours.map(
          (n) => `neigh add ${n.ip} lladdr ${n.mac} dev ${n.dev} nud permanent`,
        ),
      ];
      if (later.length > 0) run('ip', ['-n', ns, '-batch', '-'], `${later.join('\n')}\n`);
      if (spec.iptables) run('ip', ['netns', 'exec', ns, 'iptables-restore'], spec.iptables);
      run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], TRACE_TABLE);
    }
  }

  /**
   * Waits until every veth has its carrier: the kernel raises it asynchronously after both
   * ends are up, and a frame sent before that is lost (an ARP retried a second later).
   */
  async settle(): Promise<void> {
    await waitFor('veth carriers', () =>
      [...this.names.values()].every(
        (ns) => !/@\S+:.*NO-CARRIER/.test(run('ip', ['-n', ns, '-o', 'link', 'show'])),
      ),
    );
  }

  /** Starts `nft monitor trace` in every namespace and waits until each has subscribed. */
  async monitor(): Promise<Map<string, TraceMonitor>> {
    const out = new Map<string, TraceMonitor>();
    for (const spec of this.lab.namespaces) {
      const m = new TraceMonitor(this.ns(spec.name));
      this.procs.push({ stop: () => m.proc.kill() });
      out.set(spec.name, m);
    }
    await waitFor('nft monitor trace to subscribe', () =>
      [...out.values()].every((m) => m.subscribed()),
    );
    return out;
  }

  async listen(ns: string, proto: 'tcp' | 'udp' | 'icmp', port = 0): Promise<Listener> {
    const l = new Listener(this.ns(ns), proto, '0.0.0.0', port);
    this.procs.push(l);
    await waitFor(`a ${proto} listener in ${ns}`, () => {
      if (l.err) throw new Error(`the ${proto} listener in ${ns} failed: ${l.err}`);
      return l.up();
    });
    return l;
  }

  /** Sends from `ns` to `dst` (a TCP connect, a UDP datagram and its answer, an echo request). */
  send(ns: string, proto: 'tcp' | 'udp' | 'icmp', dst: string, port = 0, timeout = 3): boolean {
    const r = spawnSync('ip', [
      'netns',
      'exec',
      this.ns(ns),
      'python3',
      '-c',
      CLIENTS[proto],
      dst,
      `${port}`,
      `${timeout}`,
    ]);
    return r.status === 0;
  }

  /** Output of a command in a lab namespace, e.g. `ip route show table all`. */
  exec(ns: string, ...args: string[]): string {
    return run('ip', ['netns', 'exec', this.ns(ns), ...args]);
  }

  destroy(): void {
    for (const p of this.procs) p.stop();
    for (const real of [...this.names.values(), ...this.extra])
      spawnSync('ip', ['netns', 'del', real]);
  }
}
