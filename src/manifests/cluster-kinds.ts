import type {
  ConfigMapObject,
  NodeObject,
  ObjectMeta,
  ServiceCIDRObject,
  UnderlayObject,
} from '../engine/kube/objects';
import type { SourcePos } from '../engine/diagnostics';
import type { Fields } from './context';
import { readCorefile } from './corefile';
import { readFlannelNetConf } from './flannel-config';
import { readKubeProxyConfig } from './kube-proxy-config';
import { cidrContainsIp, cidrProblem, readCidr, readIPv4 } from './validate';

export function readNode(obj: Fields, meta: ObjectMeta): NodeObject {
  const spec = obj.map('spec');
  const podCIDR = spec
    ? (readCidr(spec, 'podCIDR') ?? spec.strings('podCIDRs')[0]?.value)
    : undefined;
  if (podCIDR && cidrProblem(podCIDR)) spec?.invalid('podCIDRs', podCIDR, cidrProblem(podCIDR)!);
  const internal = obj
    .map('status')
    ?.list('addresses')
    .find((a) => a.str('type') === 'InternalIP');
  const internalIP = internal ? readIPv4(internal, 'address') : undefined;
  return {
    kind: 'Node',
    meta,
    unschedulable: spec?.bool('unschedulable') ?? false,
    ...(podCIDR && !cidrProblem(podCIDR) ? { podCIDR } : {}),
    ...(internalIP !== undefined ? { internalIP } : {}),
  };
}

export function readConfigMap(obj: Fields, meta: ObjectMeta): ConfigMapObject {
  const data = obj.stringMap('data');
  const dataSource: Record<string, SourcePos> = {};
  const d = obj.map('data');
  for (const key of Object.keys(data)) if (d) dataSource[key] = d.posOf(key);
  const kubeProxy =
    meta.namespace === 'kube-system' && meta.name === 'kube-proxy' && d && data['config.conf']
      ? readKubeProxyConfig(d, 'config.conf')
      : undefined;
  const flannel =
    isFlannelConfigMap(meta) && d && data['net-conf.json'] !== undefined
      ? readFlannelNetConf(d, 'net-conf.json')
      : undefined;
  const corefile =
    meta.namespace === 'kube-system' && meta.name === 'coredns' && d && data['Corefile']
      ? readCorefile(d, 'Corefile')
      : undefined;
  return {
    kind: 'ConfigMap',
    meta,
    data,
    dataSource,
    ...(kubeProxy ? { kubeProxy } : {}),
    ...(flannel ? { flannel } : {}),
    ...(corefile ? { corefile } : {}),
  };
}

/** kube-flannel.yml puts it in kube-flannel; older manifests (and seed 000) in kube-system. */
export function isFlannelConfigMap(meta: ObjectMeta): boolean {
  return (
    meta.name === 'kube-flannel-cfg' &&
    (meta.namespace === 'kube-flannel' || meta.namespace === 'kube-system')
  );
}

export function readServiceCIDR(obj: Fields, meta: ObjectMeta): ServiceCIDRObject {
  const spec = obj.map('spec', true);
  const cidrs = (spec?.strings('cidrs') ?? []).flatMap((c) => {
    const problem = cidrProblem(c.value);
    if (!problem) return [c.value];
    obj.ctx.report(c.at, 'error', 'PW1012', `spec.cidrs: Invalid value: "${c.value}": ${problem}`);
    return [];
  });
  return { kind: 'ServiceCIDR', meta, cidrs };
}

export function readUnderlay(obj: Fields, meta: ObjectMeta): UnderlayObject {
  const spec = obj.map('spec', true);
  const segments = (spec?.list('segments') ?? []).flatMap((s) => {
    const name = s.str('name', true);
    const cidr = readCidr(s, 'cidr') ?? (s.has('cidr') ? undefined : s.missing('cidr'));
    const gateway = readIPv4(s, 'gateway');
    if (gateway && cidr && !cidrContainsIp(cidr, gateway))
      s.invalid('gateway', gateway, `is not inside the segment's cidr ${cidr}`, 'PW1040');
    if (name === undefined || cidr === undefined) return [];
    return [{ name, cidr, ...(gateway ? { gateway } : {}) }];
  });
  const segmentOf = (f: Fields, key = 'segment') => {
    const name = f.str(key, true);
    if (name === undefined) return undefined;
    const seg = segments.find((s) => s.name === name);
    if (!seg) f.invalid(key, name, 'no segment with this name in spec.segments', 'PW1041');
    return seg;
  };
  const placed = (f: Fields) => {
    const seg = segmentOf(f);
    const ip = readIPv4(f, 'ip') ?? (f.has('ip') ? undefined : f.missing('ip'));
    if (seg && ip && !cidrContainsIp(seg.cidr, ip))
      f.invalid('ip', ip, `is not inside segment ${seg.name} (${seg.cidr})`, 'PW1040');
    return seg && ip ? { segment: seg.name, ip } : undefined;
  };
  const clients = (spec?.list('clients') ?? []).flatMap((c) => {
    const name = c.str('name', true);
    const at = placed(c);
    // /etc/hosts lines, in a Pod's hostAliases shape: { ip, hostnames: [...] }.
    const hosts = c.list('hosts').flatMap((h) => {
      const ip = readIPv4(h, 'ip') ?? (h.has('ip') ? undefined : h.missing('ip'));
      const hostnames = h.strings('hostnames').map((n) => n.value.toLowerCase());
      return ip ? [{ ip, hostnames }] : [];
    });
    return name && at ? [{ name, ...at, ...(hosts.length ? { hosts } : {}) }] : [];
  });
  const routers = (spec?.list('routers') ?? []).flatMap((r) => {
    const name = r.str('name', true);
    const interfaces = r.list('interfaces').flatMap((i) => {
      const at = placed(i);
      return at ? [at] : [];
    });
    return name ? [{ name, interfaces }] : [];
  });
  const loadBalancers = (spec?.list('loadBalancers') ?? []).flatMap((l) => {
    const name = l.str('name', true);
    const at = placed(l);
    const pool = readCidr(l, 'pool');
    return name && at ? [{ name, ...at, ...(pool ? { pool } : {}), source: l.at() }] : [];
  });
  const nodeSegments: Record<string, string> = {};
  for (const n of spec?.list('nodes') ?? []) {
    const name = n.str('name', true);
    const seg = segmentOf(n);
    if (name && seg) nodeSegments[name] = seg.name;
  }
  if (spec && segments.length === 0 && !spec.has('segments')) spec.missing('segments');
  return { kind: 'Underlay', meta, segments, routers, clients, loadBalancers, nodeSegments };
}
