import type { ObjectMeta, ServiceObject, ServicePortSpec } from '../engine/kube/objects';
import type { Fields } from './context';
import { isIPv4, readEnum, readIPv4, readPort, readProtocol } from './validate';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;

export function readService(obj: Fields, meta: ObjectMeta): ServiceObject {
  const spec = obj.map('spec');
  const type = spec ? readEnum(spec, 'type', TYPES, 'ClusterIP') : 'ClusterIP';
  const ports: ServicePortSpec[] = (spec?.list('ports') ?? []).flatMap((p) => {
    const port = readPort(p, 'port', true);
    if (port === undefined) return [];
    const name = p.str('name');
    const nodePort = p.int('nodePort');
    return [
      {
        port,
        protocol: readProtocol(p),
        targetPort: p.intOrString('targetPort') ?? port,
        source: p.at(),
        ...(name !== undefined ? { name } : {}),
        ...(nodePort !== undefined ? { nodePort } : {}),
      },
    ];
  });
  if (ports.length > 1)
    ports.forEach((p) => {
      if (p.name === undefined)
        obj.ctx.report(
          p.source,
          'error',
          'PW1030',
          'spec.ports: Required value: a name is required when a Service has more than one port',
        );
    });
  let clusterIP = spec?.str('clusterIP');
  if (clusterIP !== undefined && clusterIP !== 'None' && clusterIP !== '')
    clusterIP = readIPv4(spec!, 'clusterIP');
  if (clusterIP === '') clusterIP = undefined;
  const affinity = spec?.map('sessionAffinityConfig')?.map('clientIP');
  const lbStatus = obj.map('status')?.map('loadBalancer');
  const externalName = spec?.str('externalName');
  if (type === 'ExternalName' && externalName === undefined) spec?.missing('externalName');
  const healthCheckNodePort = spec?.int('healthCheckNodePort');
  return {
    kind: 'Service',
    meta,
    type,
    selector: spec?.has('selector') ? spec.stringMap('selector') : null,
    ports,
    externalIPs: (spec?.strings('externalIPs') ?? []).flatMap((e) => {
      if (isIPv4(e.value)) return [e.value];
      obj.ctx.report(
        e.at,
        'error',
        'PW1012',
        `spec.externalIPs: Invalid value: "${e.value}": must be a valid IPv4 address`,
      );
      return [];
    }),
    sessionAffinity: spec
      ? readEnum(spec, 'sessionAffinity', ['None', 'ClientIP'], 'None')
      : 'None',
    sessionAffinityTimeout: affinity?.int('timeoutSeconds') ?? 10800,
    externalTrafficPolicy: spec
      ? readEnum(spec, 'externalTrafficPolicy', ['Cluster', 'Local'], 'Cluster')
      : 'Cluster',
    internalTrafficPolicy: spec
      ? readEnum(spec, 'internalTrafficPolicy', ['Cluster', 'Local'], 'Cluster')
      : 'Cluster',
    loadBalancerSourceRanges: (spec?.strings('loadBalancerSourceRanges') ?? []).map((r) => r.value),
    loadBalancerIngress: (lbStatus?.list('ingress') ?? []).flatMap((i) => {
      const ip = readIPv4(i, 'ip');
      return ip ? [ip] : [];
    }),
    ...(clusterIP !== undefined ? { clusterIP } : {}),
    ...(externalName !== undefined ? { externalName } : {}),
    ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
  };
}
