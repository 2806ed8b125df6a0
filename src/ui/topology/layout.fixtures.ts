import type { DeviceView, LinkView, NamespaceView, NodeView } from '../../protocol/messages';

/** Hand-built topology views for the layout tests (the ui layer may not run the engine). */

export function dev(
  ns: string,
  name: string,
  kind: DeviceView['kind'],
  extra: Partial<DeviceView> = {},
): DeviceView {
  return {
    id: `${ns}:${name}`,
    name,
    kind,
    mac: null,
    addrs: [],
    mtu: 1500,
    up: true,
    master: null,
    peer: null,
    ...extra,
  };
}

/** A node with `pods` pods on cni0, eth0 on the segment; the links it brings. */
export function node(
  name: string,
  pods: number,
  segment = 'lan',
  kind: NodeView['kind'] = 'node',
): { host: NodeView; links: LinkView[] } {
  const links: LinkView[] = [];
  const inner: NamespaceView[] = [];
  const rootDevs: DeviceView[] = [dev(name, 'eth0', 'phys'), dev(name, 'lo', 'loopback')];
  if (pods) rootDevs.push(dev(name, 'cni0', 'bridge'));
  for (let p = 0; p < pods; p++) {
    const id = `default/${name}-p${p}`;
    const veth = dev(name, `veth${p}`, 'veth', { master: 'cni0', peer: `${id}:eth0` });
    rootDevs.push(veth);
    inner.push({
      id,
      node: name,
      kind: 'pod',
      devices: [dev(id, 'lo', 'loopback'), dev(id, 'eth0', 'veth', { peer: veth.id })],
      pod: { namespace: 'default', name: `${name}-p${p}`, ip: '10.244.0.2', labels: {} },
    });
    links.push({ id: `veth|${veth.id}`, kind: 'veth', a: `${id}:eth0`, b: veth.id });
    links.push({ id: `port|${veth.id}`, kind: 'bridge-port', a: veth.id, b: `${name}:cni0` });
  }
  links.push({ id: `wire|${name}`, kind: 'wire', a: `${name}:eth0`, b: `segment:${segment}` });
  return {
    host: {
      name,
      kind,
      ip: '192.168.56.10',
      podCIDR: pods ? '10.244.0.0/24' : null,
      namespaces: [{ id: name, node: name, kind: 'root', devices: rootDevs }, ...inner],
    },
    links,
  };
}

/** A router with one NIC on each segment. */
export function router(name: string, segments: string[]): { host: NodeView; links: LinkView[] } {
  const devices = segments.map((_, i) => dev(name, `eth${i}`, 'phys'));
  return {
    host: {
      name,
      kind: 'outside',
      ip: '192.168.56.1',
      podCIDR: null,
      namespaces: [{ id: name, node: name, kind: 'root', devices }],
    },
    links: segments.map((s, i) => ({
      id: `wire|${name}|${i}`,
      kind: 'wire',
      a: `${name}:eth${i}`,
      b: `segment:${s}`,
    })),
  };
}
