import type {
  ContainerSpec,
  ObjectMeta,
  PodObject,
  PodSpec,
  PodTemplate,
  WorkloadKind,
  WorkloadObject,
} from '../engine/kube/objects';
import type { Fields } from './context';
import { readIPv4, readPort, readProtocol } from './validate';

export function readPodSpec(spec: Fields | undefined): PodSpec {
  if (!spec) return { nodeSelector: {}, hostNetwork: false, containers: [] };
  const containers: ContainerSpec[] = spec.list('containers').map((c) => ({
    name: c.str('name', true) ?? '',
    image: c.str('image') ?? '',
    ports: c.list('ports').flatMap((p) => {
      const containerPort = readPort(p, 'containerPort', true);
      if (containerPort === undefined) return [];
      const name = p.str('name');
      const hostPort = readPort(p, 'hostPort');
      return [
        {
          containerPort,
          protocol: readProtocol(p),
          ...(name !== undefined ? { name } : {}),
          ...(hostPort !== undefined ? { hostPort } : {}),
        },
      ];
    }),
  }));
  if (!spec.has('containers')) spec.missing('containers');
  const nodeName = spec.str('nodeName');
  return {
    nodeSelector: spec.stringMap('nodeSelector'),
    hostNetwork: spec.bool('hostNetwork') ?? false,
    containers,
    ...(nodeName !== undefined ? { nodeName } : {}),
  };
}

export function readPod(obj: Fields, meta: ObjectMeta): PodObject {
  const status = obj.map('status');
  const podIP = status ? readIPv4(status, 'podIP') : undefined;
  const hostIP = status ? readIPv4(status, 'hostIP') : undefined;
  const readyCondition = status
    ?.list('conditions')
    .find((c) => c.str('type') === 'Ready')
    ?.str('status');
  return {
    kind: 'Pod',
    meta,
    spec: readPodSpec(obj.map('spec', true)),
    status: {
      ...(podIP !== undefined ? { podIP } : {}),
      ...(hostIP !== undefined ? { hostIP } : {}),
      ...(readyCondition !== undefined ? { ready: readyCondition === 'True' } : {}),
    },
  };
}

export function readWorkload(
  obj: Fields,
  meta: ObjectMeta,
  kind: WorkloadKind,
): WorkloadObject | undefined {
  const spec = obj.map('spec', true);
  if (!spec) return undefined;
  let replicas = spec.int('replicas') ?? 1;
  if (replicas < 0) {
    spec.invalid('replicas', replicas, 'must be greater than or equal to 0');
    replicas = 0;
  }
  const selectorNode = spec.map('selector', true);
  const selector = selectorNode?.stringMap('matchLabels') ?? {};
  const t = spec.map('template', true);
  const template: PodTemplate = {
    labels: t?.map('metadata')?.stringMap('labels') ?? {},
    spec: readPodSpec(t?.map('spec', true)),
  };
  const mismatch = Object.entries(selector).some(([k, v]) => template.labels[k] !== v);
  if (selectorNode && t && (mismatch || Object.keys(selector).length === 0)) {
    const labels = Object.entries(template.labels)
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(',');
    obj.ctx.report(
      t.map('metadata')?.posOf('labels') ?? t.posOf('metadata'),
      'error',
      'PW1020',
      Object.keys(selector).length === 0
        ? 'spec.selector: Invalid value: empty selector is invalid for a workload'
        : `spec.template.metadata.labels: Invalid value: map[${labels}]: \`selector\` does not match template \`labels\``,
    );
  }
  const serviceName = spec.str('serviceName');
  return {
    kind,
    meta,
    replicas,
    selector,
    template,
    ...(serviceName !== undefined ? { serviceName } : {}),
  };
}
