import { broadcastOf, nthAddress, type Cidr4, type Ip4 } from '../wire/ip';
import type { Mac } from '../wire/mac';
import type { NetfilterState } from '../netfilter/index';
import { createNetfilterState } from '../netfilter/index';
import { newDevice, type Device, type DeviceKind, type IfAddr } from './device';
import { RouteTable, route, type Route } from './routing';

export interface NeighEntry {
  mac: Mac;
  state: 'REACHABLE' | 'STALE' | 'PERMANENT';
}

export interface Socket {
  proto: 'tcp' | 'udp';
  /** 0 = INADDR_ANY (0.0.0.0). */
  ip: Ip4;
  port: number;
  process: string;
}

export interface Sysctls {
  /** net.ipv4.ip_forward */
  ipForward: boolean;
  /** net.ipv4.conf.all.rp_filter: 0 off, 1 strict, 2 loose. */
  rpFilter: 0 | 1 | 2;
  /** net.ipv4.conf.all.route_localnet */
  routeLocalnet: boolean;
  /** net.bridge.bridge-nf-call-iptables (br_netfilter loaded). */
  bridgeNfCallIptables: boolean;
  /** net.ipv4.conf.all.proxy_arp: OR-ed with each device's own setting. */
  proxyArp: boolean;
}

/** A network namespace: devices, addresses, routing tables, neighbours, netfilter, sockets. */
export interface Netns {
  id: string;
  node: string;
  kind: 'root' | 'pod' | 'host';
  devices: Map<string, Device>;
  tables: { local: RouteTable; main: RouteTable };
  /** Per device: IP -> neighbour entry. */
  neigh: Map<string, Map<Ip4, NeighEntry>>;
  /** Per bridge: MAC -> port name (FDB). */
  fdb: Map<string, Map<Mac, { port: string; local: boolean }>>;
  sysctl: Sysctls;
  netfilter: NetfilterState;
  sockets: Socket[];
  /** The next ifindex to give out (1 is lo). */
  nextIfindex: number;
}

export function createNetns(
  id: string,
  node: string,
  kind: Netns['kind'],
  sysctl: Partial<Sysctls> = {},
): Netns {
  const ns: Netns = {
    id,
    node,
    kind,
    devices: new Map(),
    tables: { local: new RouteTable('local', 255), main: new RouteTable('main', 254) },
    neigh: new Map(),
    fdb: new Map(),
    sysctl: {
      ipForward: false,
      rpFilter: 0,
      routeLocalnet: false,
      bridgeNfCallIptables: false,
      proxyArp: false,
      ...sysctl,
    },
    netfilter: createNetfilterState(),
    sockets: [],
    nextIfindex: 1,
  };
  const lo = addDevice(ns, 'lo', 'loopback', '00:00:00:00:00:00' as Mac);
  addAddress(ns, lo.name, 0x7f000001 as Ip4, { addr: 0x7f000000 as Ip4, len: 8 }, 'host');
  return ns;
}

export function addDevice(
  ns: Netns,
  name: string,
  kind: DeviceKind,
  mac: Mac | null,
  extra: Partial<Device> = {},
): Device {
  const dev = newDevice(name, kind, ns.nextIfindex++, mac, extra);
  ns.devices.set(name, dev);
  if (kind === 'bridge') ns.fdb.set(name, new Map());
  return dev;
}

/**
 * `ip addr add IP/LEN dev DEV`: the kernel also adds the local-table entries (local, broadcast)
 * and, for a prefix shorter than /32, the connected `proto kernel scope link` route in main.
 */
export function addAddress(
  ns: Netns,
  devName: string,
  ip: Ip4,
  prefix: Cidr4,
  scope: IfAddr['scope'] = 'global',
): void {
  const dev = ns.devices.get(devName);
  if (!dev) throw new Error(`no device ${devName} in ${ns.id}`);
  dev.addrs.push({ ip, prefix, scope });
  const { local, main } = ns.tables;
  if (dev.kind === 'loopback') {
    local.add(
      route({ type: 'local', dst: prefix, dev: devName, proto: 'kernel', scope: 'host', src: ip }),
    );
  }
  local.add(
    route({
      type: 'local',
      dst: { addr: ip, len: 32 },
      dev: devName,
      proto: 'kernel',
      scope: 'host',
      src: ip,
    }),
  );
  if (prefix.len < 31) {
    local.add(
      route({
        type: 'broadcast',
        dst: { addr: broadcastOf(prefix), len: 32 },
        dev: devName,
        proto: 'kernel',
        scope: 'link',
        src: ip,
      }),
    );
  }
  if (prefix.len < 32 && dev.kind !== 'loopback') {
    main.add(route({ dst: prefix, dev: devName, proto: 'kernel', scope: 'link', src: ip }));
  }
}

export function addRoute(ns: Netns, r: Route, table: 'main' | 'local' = 'main'): void {
  ns.tables[table].add(r);
}

export function setNeigh(
  ns: Netns,
  dev: string,
  ip: Ip4,
  mac: Mac,
  state: NeighEntry['state'],
): void {
  let t = ns.neigh.get(dev);
  if (!t) ns.neigh.set(dev, (t = new Map()));
  t.set(ip, { mac, state });
}

export function getNeigh(ns: Netns, dev: string, ip: Ip4): NeighEntry | undefined {
  return ns.neigh.get(dev)?.get(ip);
}

/** The device that holds `ip`, if the namespace owns it. */
export function deviceWithAddress(ns: Netns, ip: Ip4): Device | undefined {
  for (const dev of ns.devices.values()) if (dev.addrs.some((a) => a.ip === ip)) return dev;
  return undefined;
}

/** The first global address of a device, the kernel's default source for it. */
export function primaryAddress(ns: Netns, devName: string): Ip4 | undefined {
  return ns.devices.get(devName)?.addrs.find((a) => a.scope !== 'host')?.ip;
}

export function gatewayOf(prefix: Cidr4): Ip4 {
  return nthAddress(prefix, 1);
}
