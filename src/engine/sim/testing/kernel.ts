import { execFileSync, spawnSync } from 'node:child_process';
import { labMac } from '../../kube/lab-world';
import type { LabModel, LabRoute } from '../../kube/lab-model';
import { TraceMonitor } from './nft-trace';
import { CLIENTS, Listener } from './sockets';

export { TraceMonitor, type Step } from './nft-trace';
export { Listener } from './sockets';

/**
 * A harness for the kernel differential tests: the same LabModel the engine simulates, built
 * in real network namespaces on this machine (root, iproute2, iptables-nft, nft), with
 * `nft monitor trace` recording what the kernel does to each packet. Test-only (node APIs).
 */

/** Why the kernel tests cannot run here, or null when they can. */
/** Why tests that build real network namespaces with `tools` cannot run here, or null. */
export function netnsUnavailable(tools: readonly string[]): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root';
  for (const tool of ['ip', ...tools]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is missing`;
  }
  const probe = `pwprobe${process.pid}`;
  if (spawnSync('ip', ['netns', 'add', probe]).status !== 0) return 'cannot create a netns';
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

export function kernelUnavailable(): string | null {
  const basic = netnsUnavailable(['iptables-restore', 'nft', 'python3', 'sysctl']);
  if (basic) return basic;
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
