import { isScalar, type Node } from 'yaml';
import type {
  LabFlow,
  LabInterface,
  LabListener,
  LabNamespace,
  LabNeighbour,
  LabRoute,
  LabTun,
  LabVxlan,
} from '../engine/kube/lab-model';
import type { LabObject, ObjectMeta } from '../engine/kube/objects';
import type { SourcePos } from '../engine/diagnostics';
import type { Fields } from './context';
import { cidrProblem, isIPv4, readCidr, readEnum, readIPv4, readPort } from './validate';

// The project kind `Lab` (docs/LAB.md): namespaces and devices built by hand, as in a
// `ip netns` walk-through. Everything is checked here, so the engine never sees a bad name.

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** The sysctls the data path models (engine/kube/lab-world.ts reads them). */
const LAB_SYSCTLS = [
  'net.ipv4.ip_forward',
  'net.ipv4.conf.all.rp_filter',
  'net.ipv4.conf.all.route_localnet',
  'net.ipv4.conf.all.proxy_arp',
  'net.bridge.bridge-nf-call-iptables',
];
const LAB_DEV_SYSCTL = /^net\.ipv4\.conf\.([^.]+)\.(proxy_arp|rp_filter)$/;

function readAddress(f: Fields, at: { value: string; at: SourcePos }) {
  const [addr, len, extra] = at.value.split('/');
  const ok =
    extra === undefined &&
    addr !== undefined &&
    isIPv4(addr) &&
    (len === undefined || (/^\d{1,2}$/.test(len) && Number(len) <= 32));
  if (!ok)
    f.ctx.report(
      at.at,
      'error',
      'PW1012',
      `${f.path}.addresses: Invalid value: "${at.value}": must be an address with a prefix length, e.g. 192.168.1.1/24`,
    );
  return ok;
}

function readTun(t: Fields): LabTun | undefined {
  const process = t.str('process', true);
  const port = readPort(t, 'port', true);
  const peers = t.list('peers').flatMap((p) => {
    const cidr = readCidr(p, 'cidr') ?? (p.has('cidr') ? undefined : p.missing('cidr'));
    const ip = readIPv4(p, 'ip') ?? (p.has('ip') ? undefined : p.missing('ip'));
    return cidr && ip ? [{ cidr, ip }] : [];
  });
  return process && port ? { process, port, peers } : undefined;
}

function readVxlan(v: Fields): LabVxlan | undefined {
  const vni = v.int('vni', true);
  if (vni !== undefined && (vni < 0 || vni > 16777215))
    v.invalid('vni', vni, 'a VNI is 24 bits: 0-16777215');
  const dstport = readPort(v, 'dstport') ?? 8472;
  const local = readIPv4(v, 'local');
  const dev = v.str('dev');
  const learning = v.bool('learning') ?? true;
  if (vni === undefined || vni < 0 || vni > 16777215) return undefined;
  return {
    vni,
    dstport,
    ...(local !== undefined ? { local } : {}),
    ...(dev !== undefined ? { dev } : {}),
    learning,
  };
}

function readInterface(f: Fields): LabInterface | undefined {
  const name = f.str('name', true);
  if (name !== undefined && !IFNAME.test(name))
    f.invalid('name', name, 'an interface name is 1-15 letters, digits, "-", "_" or "."', 'PW1060');
  const type = readEnum(
    f,
    'type',
    ['veth', 'bridge', 'dummy', 'vxlan', 'ipip', 'tun', 'phys'] as const,
    'veth',
  );
  const segment = f.str('segment');
  if (type === 'phys' && segment === undefined) f.missing('segment');
  const tn = f.map('tun');
  if (type === 'tun' && !tn) f.missing('tun');
  const tun = tn ? readTun(tn) : undefined;
  const vx = f.map('vxlan');
  if (type === 'vxlan' && !vx) f.missing('vxlan');
  const vxlan = vx ? readVxlan(vx) : undefined;
  const fdb = f.list('fdb').flatMap((e) => {
    const mac = e.str('mac', true);
    if (mac !== undefined && !MAC.test(mac))
      e.invalid('mac', mac, 'must be six lower-case hex pairs');
    const dst = readIPv4(e, 'dst') ?? (e.has('dst') ? undefined : e.missing('dst'));
    return mac && MAC.test(mac) && dst ? [{ mac, dst }] : [];
  });
  if (fdb.length > 0 && type !== 'vxlan')
    f.invalid('fdb', 'fdb', 'static FDB entries toward VTEPs belong to a vxlan device', 'PW1060');
  const addresses = f
    .strings('addresses')
    .filter((a) => readAddress(f, a))
    .map((a) => a.value);
  const peer = f.str('peer');
  if (peer !== undefined && !/^[^/]+\/[^/]+$/.test(peer))
    f.invalid('peer', peer, 'must be NAMESPACE/DEVICE, e.g. test2/veth-test2', 'PW1060');
  if (peer !== undefined && type !== 'veth')
    f.invalid('peer', peer, 'only a veth has a peer', 'PW1060');
  const mac = f.str('mac');
  if (mac !== undefined && !MAC.test(mac))
    f.invalid('mac', mac, 'must be six lower-case hex pairs, e.g. 02:42:ac:11:00:02');
  const mtu = f.int('mtu');
  if (mtu !== undefined && (mtu < 68 || mtu > 65535))
    f.invalid('mtu', mtu, 'must be between 68 and 65535');
  const master = f.str('master');
  const hairpin = f.bool('hairpin');
  if (name === undefined || !IFNAME.test(name)) return undefined;
  return {
    name,
    type,
    addresses,
    ...(peer !== undefined && type === 'veth' ? { peer } : {}),
    ...(master !== undefined ? { master } : {}),
    ...(mac !== undefined && MAC.test(mac) ? { mac } : {}),
    ...(mtu !== undefined ? { mtu } : {}),
    ...(hairpin !== undefined ? { hairpin } : {}),
    ...(vxlan && type === 'vxlan' ? { vxlan } : {}),
    ...(tun && type === 'tun' ? { tun } : {}),
    ...(segment !== undefined && type === 'phys' ? { segment } : {}),
    ...(fdb.length > 0 && type === 'vxlan' ? { fdb } : {}),
    source: f.at(),
  };
}

function readRoute(f: Fields): LabRoute | undefined {
  const to = f.str('to', true);
  if (to !== undefined && to !== 'default' && cidrProblem(to.includes('/') ? to : `${to}/32`))
    f.invalid(
      'to',
      to,
      `"default" or a prefix: ${cidrProblem(to.includes('/') ? to : `${to}/32`)}`,
    );
  const type = readEnum(
    f,
    'type',
    ['unicast', 'blackhole', 'unreachable', 'prohibit'] as const,
    'unicast',
  );
  const via = readIPv4(f, 'via');
  const dev = f.str('dev');
  const src = readIPv4(f, 'src');
  const metric = f.int('metric');
  const onlink = f.bool('onlink');
  const scope = f.has('scope')
    ? readEnum(f, 'scope', ['link', 'host', 'global'] as const, 'global')
    : undefined;
  const proto = f.has('proto')
    ? readEnum(f, 'proto', ['static', 'boot', 'kernel', 'bird'] as const, 'boot')
    : undefined;
  if (type === 'unicast' && via === undefined && dev === undefined && !f.has('via'))
    f.ctx.report(
      f.at(),
      'error',
      'PW1061',
      `${f.path}: a route needs a gateway (via) or a device (dev)`,
    );
  if (to === undefined || (to !== 'default' && cidrProblem(to.includes('/') ? to : `${to}/32`)))
    return undefined;
  return {
    to,
    ...(type !== 'unicast' ? { type } : {}),
    ...(via !== undefined ? { via } : {}),
    ...(dev !== undefined ? { dev } : {}),
    ...(src !== undefined ? { src } : {}),
    ...(metric !== undefined ? { metric } : {}),
    ...(onlink ? { onlink } : {}),
    ...(scope ? { scope } : {}),
    ...(proto ? { proto } : {}),
    source: f.at(),
  };
}

/** sysctl values may be written `1`, `"1"` or `true`; the kernel takes them as text. */
function readSysctls(ns: Fields): Record<string, string> {
  const m = ns.map('sysctls');
  const out: Record<string, string> = {};
  if (!m) return out;
  for (const pair of m.node.items) {
    const k = isScalar(pair.key) ? pair.key.value : undefined;
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof k !== 'string') continue;
    if (!LAB_SYSCTLS.includes(k) && !LAB_DEV_SYSCTL.test(k)) {
      m.ctx.report(
        m.ctx.pos(pair.key as Node, m.posOf(k)),
        'error',
        'PW1062',
        `${m.path}: "${k}" is not a sysctl Packetwalk models (${LAB_SYSCTLS.join(', ')}, net.ipv4.conf.DEV.proxy_arp|rp_filter)`,
      );
      continue;
    }
    if (typeof v === 'number' || typeof v === 'string') out[k] = String(v);
    else if (typeof v === 'boolean') out[k] = v ? '1' : '0';
    else m.wrongType(k, 'a number or a string');
  }
  return out;
}

function readNeighbour(f: Fields): LabNeighbour | undefined {
  const ip = readIPv4(f, 'ip') ?? (f.has('ip') ? undefined : f.missing('ip'));
  const mac = f.str('mac', true);
  if (mac !== undefined && !MAC.test(mac))
    f.invalid('mac', mac, 'must be six lower-case hex pairs');
  const dev = f.str('dev', true);
  return ip && mac && MAC.test(mac) && dev ? { ip, mac, dev } : undefined;
}

function readListener(f: Fields): LabListener | undefined {
  const proto = readEnum(f, 'proto', ['tcp', 'udp'] as const, 'tcp');
  const port = readPort(f, 'port', true);
  const ip = readIPv4(f, 'ip');
  const process = f.str('process');
  if (port === undefined) return undefined;
  return { proto, port, ...(ip ? { ip } : {}), ...(process ? { process } : {}) };
}

function readNamespace(f: Fields): LabNamespace | undefined {
  const name = f.str('name', true);
  if (name !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    f.invalid('name', name, 'a namespace name is lower-case letters, digits and "-"', 'PW1060');
  const host = f.str('host');
  const iptables = f.str('iptables');
  const ns: LabNamespace = {
    name: name ?? '',
    ...(host !== undefined ? { host } : {}),
    sysctls: readSysctls(f),
    interfaces: f.list('interfaces').flatMap((i) => readInterface(i) ?? []),
    routes: f.list('routes').flatMap((r) => readRoute(r) ?? []),
    neighbours: f.list('neighbours').flatMap((n) => readNeighbour(n) ?? []),
    listeners: f.list('listeners').flatMap((l) => readListener(l) ?? []),
    ...(iptables !== undefined ? { iptables, iptablesSource: f.posOf('iptables') } : {}),
    source: f.at(),
  };
  return name === undefined ? undefined : ns;
}

function readFlow(f: Fields): LabFlow | undefined {
  const from = f.str('from', true);
  const to = f.str('to', true);
  const proto = readEnum(f, 'proto', ['tcp', 'udp', 'icmp'] as const, 'tcp');
  const port = readPort(f, 'port');
  if (from === undefined || to === undefined) return undefined;
  return { from, to, proto, ...(port !== undefined ? { port } : {}) };
}

/** Cross-references: peers, masters, route and neighbour devices, hosts must exist. */
function checkReferences(spec: Fields, namespaces: LabNamespace[]): void {
  const nsByName = new Map(namespaces.map((n) => [n.name, n]));
  const devices = new Map<string, Set<string>>();
  for (const n of namespaces) devices.set(n.name, new Set(n.interfaces.map((i) => i.name)));
  for (const n of namespaces)
    for (const i of n.interfaces) {
      if (!i.peer) continue;
      const cut = i.peer.lastIndexOf('/');
      const [pns, pdev] = [i.peer.slice(0, cut), i.peer.slice(cut + 1)];
      if (!nsByName.has(pns))
        report(spec, i.source, `peer ${i.peer}: no namespace "${pns}" in spec.namespaces`);
      else devices.get(pns)!.add(pdev);
    }
  for (const n of namespaces) {
    const own = devices.get(n.name)!;
    if (n.host !== undefined && n.host !== n.name && !nsByName.has(n.host))
      report(spec, n.source, `host "${n.host}": no namespace with that name`);
    for (const i of n.interfaces) {
      if (i.master === undefined) continue;
      const br = n.interfaces.find((b) => b.name === i.master);
      if (!br || br.type !== 'bridge')
        report(
          spec,
          i.source,
          `master "${i.master}": no bridge with that name in namespace ${n.name}`,
        );
    }
    for (const r of n.routes)
      if (r.dev !== undefined && !own.has(r.dev) && r.dev !== 'lo')
        report(spec, r.source, `dev "${r.dev}": no such device in namespace ${n.name}`);
  }
}

function report(spec: Fields, at: LabInterface['source'], message: string): void {
  spec.ctx.report(at ?? spec.at(), 'error', 'PW1063', message);
}

export function readLab(obj: Fields, meta: ObjectMeta): LabObject {
  const spec = obj.map('spec', true);
  const namespaces = (spec?.list('namespaces') ?? []).flatMap((n) => readNamespace(n) ?? []);
  const seen = new Set<string>();
  for (const n of namespaces) {
    if (seen.has(n.name) && spec)
      spec.ctx.report(
        n.source ?? spec.at(),
        'error',
        'PW1063',
        `namespace "${n.name}" is declared twice`,
      );
    seen.add(n.name);
  }
  if (spec && namespaces.length === 0 && !spec.has('namespaces')) spec.missing('namespaces');
  if (spec) checkReferences(spec, namespaces);
  const flows = (spec?.list('flows') ?? []).flatMap((f) => readFlow(f) ?? []);
  return { kind: 'Lab', meta, lab: { name: meta.name, namespaces, flows } };
}
