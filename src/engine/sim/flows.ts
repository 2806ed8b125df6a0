import type { ClusterModel } from '../kube/model';
import type { LabFlow } from '../kube/lab-model';
import { parseEndpoint } from './endpoint-syntax';
import { flowLabel } from './format-text';
import type { FlowSpec } from './trace-types';

/** A flow worth offering in a picker, with its label in CLI syntax (also its id). */
export interface FlowOption {
  id: string;
  label: string;
  flow: FlowSpec;
}

const MAX_FLOWS = 400;

/**
 * The flows a learner would try first in this cluster: every pod to every other pod on the
 * first port it listens on (TCP 80 when it declares none). Ordered: pods on the same node
 * first, so the simplest path is the default.
 */
export function suggestFlows(model: ClusterModel): FlowOption[] {
  if (model.lab) return model.lab.flows.flatMap((f) => labFlowOption(f) ?? []);
  const pods = model.pods.filter((p) => !p.hostNetwork);
  const out: FlowOption[] = serviceFlows(model, pods);
  // Two passes (same node, then across nodes), stopping at the cap: a 300-pod cluster has
  // 90,000 pairs and nobody scrolls through them.
  for (const sameNode of [true, false])
    for (const a of pods)
      for (const b of pods) {
        if (out.length >= MAX_FLOWS) return out;
        if (a === b || (a.node === b.node) !== sameNode) continue;
        const port = b.ports.find((p) => p.protocol !== 'SCTP');
        const flow: FlowSpec = {
          from: { kind: 'pod', namespace: a.namespace, name: a.name },
          to: { kind: 'pod', namespace: b.namespace, name: b.name },
          proto: port?.protocol === 'UDP' ? 'udp' : 'tcp',
          port: port?.port ?? 80,
        };
        const label = flowLabel(flow);
        out.push({ id: label, label, flow });
      }
  return out;
}

/**
 * For every Service with a ClusterIP, the first pod that is not one of its backends (else the
 * first pod) to each of its TCP/UDP ports: the flow kube-proxy's rules exist for.
 */
function serviceFlows(model: ClusterModel, pods: ClusterModel['pods']): FlowOption[] {
  const out: FlowOption[] = [];
  for (const svc of model.services ?? []) {
    if (svc.clusterIP === null || svc.type === 'ExternalName') continue;
    const selector = svc.selector ?? {};
    const backend = (p: ClusterModel['pods'][number]) =>
      svc.selector !== null &&
      p.namespace === svc.namespace &&
      Object.entries(selector).every(([k, v]) => p.labels[k] === v);
    const client = pods.find((p) => !backend(p)) ?? pods[0];
    if (!client) continue;
    for (const port of svc.ports) {
      if (port.protocol === 'SCTP') continue;
      const flow: FlowSpec = {
        from: { kind: 'pod', namespace: client.namespace, name: client.name },
        to: { kind: 'svc', namespace: svc.namespace, name: svc.name, port: port.port },
        proto: port.protocol === 'UDP' ? 'udp' : 'tcp',
        port: port.port,
      };
      const label = flowLabel(flow);
      out.push({ id: label, label, flow });
    }
  }
  return out;
}

/** A lab's flow (endpoints in CLI syntax) as a FlowSpec; null when an endpoint does not parse. */
export function labFlowSpec(f: LabFlow): FlowSpec | null {
  const from = parseEndpoint(f.from);
  const to = parseEndpoint(f.to);
  if (!from.ok || !to.ok) return null;
  const port = f.port ?? to.port;
  return {
    from: from.endpoint,
    to: to.endpoint,
    proto: f.proto,
    ...(port !== undefined && f.proto !== 'icmp' ? { port } : {}),
  };
}

function labFlowOption(f: LabFlow): FlowOption | null {
  const flow = labFlowSpec(f);
  if (!flow) return null;
  const label = flowLabel(flow);
  return { id: label, label, flow };
}
