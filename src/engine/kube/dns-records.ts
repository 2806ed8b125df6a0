import type { DnsRecord, DnsType } from '../sim/trace-types';
import { canonicalName, dashedIp, fromReverseName, RCODE, undashIp } from '../wire/dns';
import type { ClusterModel, DnsModel, EndpointModel, ServiceModel } from './model';

/**
 * CoreDNS's `kubernetes` plugin over the cluster's Services, EndpointSlices and Pods, per the
 * Kubernetes DNS specification (docs/DNS.md):
 *
 * - `svc.ns.svc.ZONE` A: the ClusterIP; headless: one A per ready endpoint; ExternalName: a CNAME.
 * - `ep.svc.ns.svc.ZONE` A (headless): the endpoint whose dashed address is `ep`.
 * - `_port._proto.svc.ns.svc.ZONE` SRV: `0 W PORT TARGET` per named port (and endpoint, headless).
 * - `a-b-c-d.ns.pod.ZONE` A: the address itself (`pods insecure`), only a pod's (`verified`).
 * - `d.c.b.a.in-addr.arpa` PTR: the Service with that ClusterIP, else the endpoint with that IP.
 *
 * Names outside the zone go to `forward`, whose upstream is not modelled (SERVFAIL).
 */
export interface DnsAnswer {
  rcode: number;
  /** Authoritative: the kubernetes plugin answered from its zone. */
  aa: boolean;
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** Which plugin answered and why, in plain English (the trace's relay event). */
  detail: string;
}

function soa(dns: DnsModel): DnsRecord {
  const z = `${dns.domain}.`;
  return {
    name: z,
    type: 'SOA',
    ttl: dns.ttl,
    data: `ns.dns.${z} hostmaster.${z} 1 7200 1800 86400 ${dns.ttl}`,
  };
}

function slicesOf(model: ClusterModel, svc: ServiceModel) {
  return (model.endpointSlices ?? []).filter(
    (s) => s.namespace === svc.namespace && s.service === svc.name,
  );
}

function readyEndpoints(model: ClusterModel, svc: ServiceModel): EndpointModel[] {
  const seen = new Set<string>();
  return slicesOf(model, svc)
    .flatMap((s) => s.endpoints)
    .filter((e) => e.ready && !seen.has(e.ip) && seen.add(e.ip));
}

function svcName(svc: ServiceModel, dns: DnsModel): string {
  return `${svc.name}.${svc.namespace}.svc.${dns.domain}.`;
}

/** The answer for one question, from the cluster as it stands. */
export function lookupDns(model: ClusterModel, qname: string, qtype: DnsType): DnsAnswer {
  const dns = model.dns;
  const name = canonicalName(qname);
  const empty = { answers: [], authority: [], additional: [] };
  if (!dns)
    return {
      rcode: RCODE.SERVFAIL,
      aa: false,
      ...empty,
      detail: 'the cluster runs no DNS server',
    };
  const zone = `${dns.domain}.`;
  const nx = (why: string): DnsAnswer => ({
    rcode: RCODE.NXDOMAIN,
    aa: true,
    answers: [],
    authority: [soa(dns)],
    additional: [],
    detail: `kubernetes plugin: ${why}: NXDOMAIN`,
  });
  const nodata = (why: string): DnsAnswer => ({
    rcode: RCODE.NOERROR,
    aa: true,
    answers: [],
    authority: [soa(dns)],
    additional: [],
    detail: `kubernetes plugin: ${why}, but it has no ${qtype} record: NOERROR with no answer`,
  });
  const ok = (answers: DnsRecord[], detail: string, additional: DnsRecord[] = []): DnsAnswer => ({
    rcode: RCODE.NOERROR,
    aa: true,
    answers,
    authority: [],
    additional,
    detail: `kubernetes plugin: ${detail}`,
  });
  const rec = (n: string, type: DnsType, data: string): DnsRecord => ({
    name: n,
    type,
    ttl: dns.ttl,
    data,
  });

  if (name.endsWith('.in-addr.arpa.')) {
    const ip = fromReverseName(name);
    if (!dns.reverseZones.includes('in-addr.arpa') || ip === undefined)
      return upstream(dns, name, empty);
    const services = model.services ?? [];
    const svc = services.find((s) => s.clusterIP === ip);
    if (svc) {
      if (qtype !== 'PTR')
        return nodata(`${ip} is the ClusterIP of Service ${svc.namespace}/${svc.name}`);
      return ok(
        [rec(name, 'PTR', svcName(svc, dns))],
        `${ip} is the ClusterIP of Service ${svc.namespace}/${svc.name}`,
      );
    }
    for (const s of services) {
      const ep = readyEndpoints(model, s).find((e) => e.ip === ip);
      if (ep && qtype === 'PTR')
        return ok(
          [rec(name, 'PTR', `${dashedIp(ip)}.${svcName(s, dns)}`)],
          `${ip} is an endpoint of Service ${s.namespace}/${s.name}`,
        );
    }
    // kubeadm's Corefile says `fallthrough in-addr.arpa`: forward asks upstream, which knows no
    // cluster address either.
    return {
      rcode: RCODE.NXDOMAIN,
      aa: false,
      ...empty,
      detail: `kubernetes plugin: no Service or endpoint has ${ip}; it falls through to forward, whose upstream knows no cluster address: NXDOMAIN`,
    };
  }
  if (name !== zone && !name.endsWith(`.${zone}`)) return upstream(dns, name, empty);
  const rel = name === zone ? [] : name.slice(0, -zone.length - 1).split('.');
  const kind = rel[rel.length - 1];
  if (rel.length === 0) return nodata(`${zone} is the cluster zone`);
  const namespaces = new Set([
    ...(model.services ?? []).map((s) => s.namespace),
    ...model.pods.map((p) => p.namespace),
  ]);
  if (kind === 'pod') {
    if (rel.length === 1) return nodata(`pod.${zone} holds the pod records`);
    const ns = rel[rel.length - 2]!;
    if (rel.length === 2)
      return namespaces.has(ns) ? nodata(`namespace ${ns} exists`) : nx(`no namespace ${ns}`);
    if (rel.length !== 3) return nx(`${name} is not a pod record`);
    const ip = undashIp(rel[0]!);
    if (ip === undefined) return nx(`"${rel[0]}" is not a dashed IPv4 address`);
    if (dns.pods === 'disabled') return nx('pod records are disabled (no `pods` option)');
    if (dns.pods === 'verified' && !model.pods.some((p) => p.namespace === ns && p.ip === ip))
      return nx(`pods verified: no pod in ${ns} has ${ip}`);
    if (qtype !== 'A') return nodata(`${name} is a pod record`);
    return ok(
      [rec(name, 'A', ip)],
      dns.pods === 'insecure'
        ? `pods insecure: a pod name answers with the address it spells (${ip})`
        : `pods verified: pod ${ip} is in namespace ${ns}`,
    );
  }
  if (kind !== 'svc') return nx(`${name} is neither under svc.${zone} nor pod.${zone}`);
  if (rel.length === 1) return nodata(`svc.${zone} holds the Service records`);
  const ns = rel[rel.length - 2]!;
  if (rel.length === 2)
    return namespaces.has(ns) ? nodata(`namespace ${ns} exists`) : nx(`no namespace ${ns}`);
  if (rel.length > 5) return nx(`${name} has more labels than a Service record`);
  const sname = rel[rel.length - 3]!;
  const svc = (model.services ?? []).find((s) => s.namespace === ns && s.name === sname);
  if (!svc) return nx(`no Service "${sname}" in namespace ${ns}`);
  const what = `Service ${ns}/${sname}`;
  const target = svcName(svc, dns);
  if (svc.type === 'ExternalName') {
    if (rel.length !== 3) return nx(`${what} is an ExternalName; it has no sub-records`);
    const cname = canonicalName(svc.externalName ?? '');
    return ok(
      [rec(name, 'CNAME', cname)],
      `${what} is an ExternalName: a CNAME to ${cname} (the client's resolver follows it; the upstream answer is not modelled)`,
    );
  }
  const headless = svc.clusterIP === null;
  const eps = readyEndpoints(model, svc);
  const aOf = (owner: string) =>
    headless ? eps.map((e) => rec(owner, 'A', e.ip)) : [rec(owner, 'A', svc.clusterIP!)];
  const aDetail = headless
    ? `${what} is headless: one A record per ready endpoint (${eps.length})`
    : `${what} has ClusterIP ${svc.clusterIP}`;
  if (rel.length === 4) {
    // A headless Service's endpoints have names of their own: the dashed address.
    const ep = headless ? eps.find((e) => dashedIp(e.ip) === rel[0]) : undefined;
    if (!ep) return nx(`${what} has no endpoint named "${rel[0]}"`);
    if (qtype !== 'A') return nodata(`${name} is an endpoint of ${what}`);
    return ok([rec(name, 'A', ep.ip)], `${name} is endpoint ${ep.ip} of ${what}`);
  }
  let ports = svc.ports;
  if (rel.length === 5) {
    const [p, proto] = rel;
    if (!p!.startsWith('_') || !proto!.startsWith('_')) return nx(`${name} is not an SRV name`);
    ports = svc.ports.filter(
      (x) => x.name === p!.slice(1) && x.protocol.toLowerCase() === proto!.slice(1),
    );
    if (ports.length === 0)
      return nx(`${what} has no port named "${p!.slice(1)}" over ${proto!.slice(1)}`);
  } else if (rel.length !== 3) return nx(`${name} is not a Service record`);
  if (qtype === 'A') {
    if (eps.length === 0 && headless)
      return nodata(`${what} is headless and has no ready endpoint`);
    return ok(aOf(name), aDetail);
  }
  if (qtype !== 'SRV') return nodata(aDetail);
  // One SRV per port (per endpoint when headless), priority 0, the weight shared out: CoreDNS's
  // 100 / records of the same priority.
  const targets = headless
    ? eps.map((e) => ({ host: `${dashedIp(e.ip)}.${target}`, ip: e.ip }))
    : [{ host: target, ip: svc.clusterIP! }];
  const n = ports.length * targets.length;
  if (n === 0) return nodata(`${what} has no ready endpoint`);
  const weight = Math.floor(100 / n);
  const answers = ports.flatMap((p) =>
    targets.map((t) => rec(name, 'SRV', `0 ${weight} ${p.port} ${t.host}`)),
  );
  const additional = targets.map((t) => rec(t.host, 'A', t.ip));
  return ok(
    answers,
    `${what}: ${answers.length} SRV record${answers.length === 1 ? '' : 's'} (${ports.map((p) => `${p.name ?? p.port}/${p.protocol}`).join(', ')})`,
    additional,
  );
}

function upstream(
  dns: DnsModel,
  name: string,
  empty: Pick<DnsAnswer, 'answers' | 'authority' | 'additional'>,
): DnsAnswer {
  return {
    rcode: RCODE.SERVFAIL,
    aa: false,
    ...empty,
    detail: dns.forward
      ? `${name} is outside ${dns.domain}: forward sends it to ${dns.forward.join(' ')}, the node's upstream resolver, which Packetwalk does not model: SERVFAIL`
      : `${name} is outside ${dns.domain} and the Corefile has no forward: SERVFAIL`,
  };
}
