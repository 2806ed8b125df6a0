import {
  CLUSTER_DEFAULTS,
  type ConfigMapObject,
  type IPPoolObject,
  type KubeObject,
  type SourcePos,
} from '../engine';

/**
 * The same cluster on another data plane: what the compare view puts next to the scenario.
 * A variant swaps the objects that choose the data plane — the kube-proxy ConfigMap's `mode`,
 * flannel's kube-flannel-cfg backend, Calico's IPPool — and leaves every workload, Service and
 * node as written, so the two traces differ only where the data planes do.
 */
export type DataPlaneVariant =
  | { kind: 'proxy'; mode: 'iptables' | 'ipvs' | 'userspace' }
  | {
      kind: 'cni';
      cni:
        | 'flannel-vxlan'
        | 'flannel-host-gw'
        | 'flannel-udp'
        | 'calico-bgp'
        | 'calico-ipip'
        | 'calico-vxlan';
    };

export const VARIANTS: readonly DataPlaneVariant[] = [
  { kind: 'proxy', mode: 'iptables' },
  { kind: 'proxy', mode: 'ipvs' },
  { kind: 'proxy', mode: 'userspace' },
  { kind: 'cni', cni: 'flannel-vxlan' },
  { kind: 'cni', cni: 'flannel-host-gw' },
  { kind: 'cni', cni: 'flannel-udp' },
  { kind: 'cni', cni: 'calico-bgp' },
  { kind: 'cni', cni: 'calico-ipip' },
  { kind: 'cni', cni: 'calico-vxlan' },
];

/** A stable id for a variant: "proxy:ipvs", "cni:calico-bgp". */
export function variantId(v: DataPlaneVariant): string {
  return v.kind === 'proxy' ? `proxy:${v.mode}` : `cni:${v.cni}`;
}

export function variantFromId(id: string): DataPlaneVariant | undefined {
  return VARIANTS.find((v) => variantId(v) === id);
}

/** Where the objects a variant adds say they come from (diagnostics about them point here). */
const VARIANT_SOURCE: SourcePos = { file: '(compare variant)', line: 1, col: 1 };

function meta(name: string, namespace: string) {
  return { name, namespace, labels: {}, annotations: {}, source: VARIANT_SOURCE };
}

const isCalico = (o: KubeObject) =>
  o.kind === 'IPPool' || o.kind === 'BGPConfiguration' || o.kind === 'BGPPeer';
const isFlannelCm = (o: KubeObject) => o.kind === 'ConfigMap' && o.flannel !== undefined;

/** The pod network the scenario uses now: its IPPool, its flannel Network, or the default. */
function podNetwork(objects: readonly KubeObject[]): string {
  const pool = objects.find((o): o is IPPoolObject => o.kind === 'IPPool' && !o.disabled);
  if (pool) return pool.cidr;
  const cm = objects.find((o): o is ConfigMapObject => isFlannelCm(o));
  return cm?.flannel?.network ?? CLUSTER_DEFAULTS.clusterCIDR;
}

function withProxyMode(objects: readonly KubeObject[], mode: 'iptables' | 'ipvs' | 'userspace') {
  const i = objects.findIndex((o) => o.kind === 'ConfigMap' && o.kubeProxy !== undefined);
  if (i >= 0) {
    const cm = objects[i] as ConfigMapObject;
    const out = [...objects];
    out[i] = { ...cm, kubeProxy: { ...cm.kubeProxy!, mode } };
    return out;
  }
  const cm: ConfigMapObject = {
    kind: 'ConfigMap',
    meta: meta('kube-proxy', 'kube-system'),
    data: {},
    dataSource: {},
    kubeProxy: { mode, source: VARIANT_SOURCE },
  };
  return [...objects, cm];
}

function withFlannel(objects: readonly KubeObject[], backend: 'vxlan' | 'host-gw' | 'udp') {
  const network = podNetwork(objects);
  const old = objects.find((o): o is ConfigMapObject => isFlannelCm(o));
  const cm: ConfigMapObject = old
    ? { ...old, flannel: { ...old.flannel!, network, backendType: backend } }
    : {
        kind: 'ConfigMap',
        meta: meta('kube-flannel-cfg', 'kube-flannel'),
        data: {},
        dataSource: {},
        flannel: { network, backendType: backend, source: VARIANT_SOURCE },
      };
  return [...objects.filter((o) => !isCalico(o) && o !== old), cm];
}

function withCalico(objects: readonly KubeObject[], encap: 'bgp' | 'ipip' | 'vxlan') {
  const old = objects.find((o): o is IPPoolObject => o.kind === 'IPPool' && !o.disabled);
  const pool: IPPoolObject = {
    ...(old ?? {
      kind: 'IPPool' as const,
      meta: meta('default-ipv4-ippool', ''),
      cidr: podNetwork(objects),
      natOutgoing: true,
      blockSize: 26,
      disabled: false,
    }),
    ipipMode: encap === 'ipip' ? 'Always' : 'Never',
    vxlanMode: encap === 'vxlan' ? 'Always' : 'Never',
  };
  return [...objects.filter((o) => !isFlannelCm(o) && o !== old), pool];
}

/** The scenario's objects on the variant's data plane. */
export function applyVariant(objects: readonly KubeObject[], v: DataPlaneVariant): KubeObject[] {
  if (v.kind === 'proxy') return withProxyMode(objects, v.mode);
  switch (v.cni) {
    case 'flannel-vxlan':
      return withFlannel(objects, 'vxlan');
    case 'flannel-host-gw':
      return withFlannel(objects, 'host-gw');
    case 'flannel-udp':
      return withFlannel(objects, 'udp');
    case 'calico-bgp':
      return withCalico(objects, 'bgp');
    case 'calico-ipip':
      return withCalico(objects, 'ipip');
    case 'calico-vxlan':
      return withCalico(objects, 'vxlan');
  }
}

/** Which variant the scenario itself is, on the axis of `v` (so the picker can say "this one"). */
export function currentVariant(
  objects: readonly KubeObject[],
  axis: DataPlaneVariant['kind'],
): DataPlaneVariant {
  if (axis === 'proxy') {
    const cm = objects.find((o): o is ConfigMapObject => o.kind === 'ConfigMap' && !!o.kubeProxy);
    const mode = cm?.kubeProxy?.mode;
    return { kind: 'proxy', mode: mode === 'ipvs' || mode === 'userspace' ? mode : 'iptables' };
  }
  const pool = objects.find((o): o is IPPoolObject => o.kind === 'IPPool' && !o.disabled);
  if (pool)
    return {
      kind: 'cni',
      cni:
        pool.ipipMode !== 'Never'
          ? 'calico-ipip'
          : pool.vxlanMode !== 'Never'
            ? 'calico-vxlan'
            : 'calico-bgp',
    };
  const cm = objects.find((o): o is ConfigMapObject => isFlannelCm(o));
  const b = cm?.flannel?.backendType ?? 'vxlan';
  return { kind: 'cni', cni: `flannel-${b}` };
}
