import type { ClusterModel } from '../kube/model';
import { parseEndpoint } from './endpoint-syntax';
import { flowLabel } from './format-text';
import type { FlowOption } from './flows';
import type { FlowSpec } from './trace-types';

/** A flow typed the way the CLI takes it (`--from`, `--to`, `--proto`), or why it is not one. */
export function flowFromText(
  from: string,
  to: string,
  proto: FlowSpec['proto'],
): { ok: true; flow: FlowOption } | { ok: false; error: string } {
  const src = parseEndpoint(from.trim());
  if (!src.ok) return { ok: false, error: `from: ${src.error}` };
  if (src.url) return { ok: false, error: 'from: a URL can only be a destination' };
  const dst = parseEndpoint(to.trim());
  if (!dst.ok) return { ok: false, error: `to: ${dst.error}` };
  const flow: FlowSpec = {
    from: src.endpoint,
    to: dst.endpoint,
    proto: dst.url ? 'tcp' : dst.endpoint.kind === 'dns' ? 'udp' : proto,
    ...(dst.port !== undefined && (proto !== 'icmp' || dst.endpoint.kind === 'dns')
      ? { port: dst.port }
      : {}),
  };
  const label = flowLabel(flow);
  return { ok: true, flow: { id: label, label, flow } };
}

/**
 * What a flow picker offers, in CLI syntax: sources (pods, nodes) and destinations (pods,
 * Services with each port, their DNS names when the cluster runs CoreDNS, nodes). Raw `ip:`
 * addresses are typed in.
 */
export function flowEndpoints(model: ClusterModel): { sources: string[]; targets: string[] } {
  if (model.lab) {
    const names = new Set(model.lab.flows.flatMap((f) => [f.from, f.to]));
    return { sources: [...names], targets: [...names] };
  }
  const pods = model.pods.filter((p) => !p.hostNetwork).map((p) => `pod:${p.namespace}/${p.name}`);
  const nodes = model.nodes.map((n) => `node:${n.name}`);
  const services = (model.services ?? []).flatMap((s) =>
    s.clusterIP === null && s.type !== 'ExternalName'
      ? []
      : s.ports.map((p) => `svc:${s.namespace}/${s.name}:${p.port}`),
  );
  // With cluster DNS: each Service's name to look up, its SRV records for named ports.
  const dns = model.dns
    ? (model.services ?? []).flatMap((s) => {
        const fqdn = `${s.name}.${s.namespace}.svc.${model.dns!.domain}`;
        const srv = s.ports
          .filter((p) => p.name)
          .map((p) => `dns:_${p.name}._${p.protocol.toLowerCase()}.${fqdn}/SRV`);
        return [`dns:${fqdn}`, ...srv];
      })
    : [];
  return {
    sources: [...pods, ...nodes],
    targets: [...services, ...dns, ...pods, ...nodes],
  };
}
