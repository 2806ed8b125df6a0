import type { ClusterModel, PodModel } from './model';

/** /etc/resolv.conf as kubelet writes it into a pod (pkg/kubelet/network/dns/dns.go). */
export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: { name: string; value?: string }[];
}

/**
 * The node's own resolver configuration, which `dnsPolicy: Default` pods inherit. Packetwalk
 * does not model the nodes' upstream resolver; it stands for the segment's gateway (docs/DNS.md).
 */
export function nodeResolvConf(model: ClusterModel, nodeName: string): ResolvConf {
  const node = model.nodes.find((n) => n.name === nodeName);
  const segment =
    model.network.underlay?.segments.find((s) => s.name === node?.segment) ??
    model.network.underlay?.segments[0];
  const gw = segment?.gateway ?? gatewayOf(model.network.underlayCIDR);
  return { nameservers: gw ? [gw] : [], search: [], options: [] };
}

function gatewayOf(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  return m ? `${m[1]}.${m[2]}.${m[3]}.${Number(m[4]) + 1}` : undefined;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCH = 32;

/**
 * kubelet's choice by dnsPolicy: ClusterFirst (the default) points at the cluster DNS with the
 * pod's namespace first in the search list and ndots:5; a hostNetwork pod with ClusterFirst, or
 * any pod when the cluster has no DNS, gets the node's; None takes dnsConfig only. dnsConfig's
 * nameservers and searches are appended, its options replace ones of the same name.
 */
export function podResolvConf(model: ClusterModel, pod: PodModel): ResolvConf {
  let policy = pod.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && pod.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  const dns = model.dns;
  if (policy === 'ClusterFirst' && !dns?.clusterIP) policy = 'Default';
  let base: ResolvConf;
  if (policy === 'ClusterFirst') {
    const d = dns!.domain;
    base = {
      nameservers: [dns!.clusterIP!],
      search: [`${pod.namespace}.svc.${d}`, `svc.${d}`, d],
      options: [{ name: 'ndots', value: '5' }],
    };
  } else if (policy === 'Default') base = nodeResolvConf(model, pod.node);
  else base = { nameservers: [], search: [], options: [] };
  const extra = pod.dnsConfig;
  if (!extra) return base;
  const nameservers = [...base.nameservers, ...extra.nameservers].slice(0, MAX_NAMESERVERS);
  const search = [...new Set([...base.search, ...extra.searches])].slice(0, MAX_SEARCH);
  const options = [...base.options];
  for (const o of extra.options) {
    const at = options.findIndex((x) => x.name === o.name);
    if (at >= 0) options[at] = o;
    else options.push(o);
  }
  return { nameservers, search, options };
}

/** The `ndots` option (glibc's default 1). */
export function ndotsOf(conf: ResolvConf): number {
  const v = conf.options.find((o) => o.name === 'ndots')?.value;
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 15) : 1;
}

/** The file as `cat /etc/resolv.conf` shows it in the pod. */
export function resolvConfText(conf: ResolvConf): string {
  const lines: string[] = [];
  if (conf.search.length > 0) lines.push(`search ${conf.search.join(' ')}`);
  for (const n of conf.nameservers) lines.push(`nameserver ${n}`);
  if (conf.options.length > 0)
    lines.push(
      `options ${conf.options.map((o) => (o.value === undefined ? o.name : `${o.name}:${o.value}`)).join(' ')}`,
    );
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * The names a stub resolver (glibc's res_search) asks for, in order: a name ending in a dot
 * only as it is; a name with at least `ndots` dots as it is first, then with each search
 * suffix; a shorter one with each suffix first and as it is last. Every name is absolute
 * (ends in a dot).
 */
export function searchCandidates(
  name: string,
  conf: Pick<ResolvConf, 'search'>,
  ndots: number,
): string[] {
  if (name.endsWith('.')) return [name];
  const dots = name.split('.').length - 1;
  const expanded = conf.search.map((s) => `${name}.${s.replace(/\.$/, '')}.`);
  const asIs = `${name}.`;
  return dots >= ndots ? [asIs, ...expanded] : [...expanded, asIs];
}
