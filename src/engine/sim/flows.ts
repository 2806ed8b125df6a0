import type { ClusterModel } from '../kube/model';
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
  const pods = model.pods.filter((p) => !p.hostNetwork);
  const pairs: { same: boolean; flow: FlowSpec }[] = [];
  for (const a of pods)
    for (const b of pods) {
      if (a === b) continue;
      const port = b.ports.find((p) => p.protocol !== 'SCTP');
      const proto = port?.protocol === 'UDP' ? 'udp' : 'tcp';
      pairs.push({
        same: a.node === b.node,
        flow: {
          from: { kind: 'pod', namespace: a.namespace, name: a.name },
          to: { kind: 'pod', namespace: b.namespace, name: b.name },
          proto,
          port: port?.port ?? 80,
        },
      });
    }
  const ordered = [...pairs.filter((p) => p.same), ...pairs.filter((p) => !p.same)];
  return ordered.slice(0, MAX_FLOWS).map(({ flow }) => {
    const label = flowLabel(flow);
    return { id: label, label, flow };
  });
}
