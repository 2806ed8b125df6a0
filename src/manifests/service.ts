import type {
  ObjectMeta,
  ServiceObject,
  ServicePortSpec,
  ServiceType,
} from '../engine/kube/objects';
import type { Fields } from './context';
import { cidrProblem, isIPv4, readEnum, readIPv4, readPort, readProtocol } from './validate';

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
        ...(nodePort !== undefined ? { nodePort, nodePortSource: p.posOf('nodePort') } : {}),
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
  const loadBalancerIP = spec ? readIPv4(spec, 'loadBalancerIP') : undefined;
  const sessionAffinity = spec
    ? readEnum(spec, 'sessionAffinity', ['None', 'ClientIP'], 'None')
    : 'None';
  const timeout = affinity?.int('timeoutSeconds');
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400))
    affinity!.invalid('timeoutSeconds', timeout, 'must be greater than 0 and less than 86400');
  const externalTrafficPolicy = spec
    ? readEnum(spec, 'externalTrafficPolicy', ['Cluster', 'Local'], 'Cluster')
    : 'Cluster';
  checkTypeRules(obj, spec, type, ports, clusterIP, externalTrafficPolicy);
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
    sessionAffinity,
    sessionAffinityTimeout: timeout ?? 10800,
    externalTrafficPolicy,
    internalTrafficPolicy: spec
      ? readEnum(spec, 'internalTrafficPolicy', ['Cluster', 'Local'], 'Cluster')
      : 'Cluster',
    loadBalancerSourceRanges: (spec?.strings('loadBalancerSourceRanges') ?? []).flatMap((r) => {
      const problem = cidrProblem(r.value);
      if (!problem) return [r.value];
      obj.ctx.report(
        r.at,
        'error',
        'PW1012',
        `spec.LoadBalancerSourceRanges: Invalid value: "${r.value}": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24`,
      );
      return [];
    }),
    loadBalancerIngress: (lbStatus?.list('ingress') ?? []).flatMap((i) => {
      const ip = readIPv4(i, 'ip');
      return ip ? [ip] : [];
    }),
    ...(clusterIP !== undefined ? { clusterIP } : {}),
    ...(externalName !== undefined ? { externalName } : {}),
    ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
    ...(spec?.has('clusterIP') ? { clusterIPSource: spec.posOf('clusterIP') } : {}),
    ...(spec?.bool('publishNotReadyAddresses') ? { publishNotReadyAddresses: true } : {}),
    ...(loadBalancerIP !== undefined
      ? { loadBalancerIP, loadBalancerIPSource: spec!.posOf('loadBalancerIP') }
      : {}),
  };
}

/** The apiserver's cross-field rules for a Service's type, worded as kubectl shows them. */
function checkTypeRules(
  obj: Fields,
  spec: Fields | undefined,
  type: ServiceType,
  ports: ServicePortSpec[],
  clusterIP: string | undefined,
  externalTrafficPolicy: 'Cluster' | 'Local',
): void {
  if (!spec) return;
  const external = type === 'NodePort' || type === 'LoadBalancer';
  if (!external)
    ports.forEach((p, i) => {
      if (p.nodePort !== undefined && type === 'ClusterIP')
        obj.ctx.report(
          p.nodePortSource ?? p.source,
          'error',
          'PW1050',
          `spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`,
        );
    });
  if (external && clusterIP === 'None')
    obj.ctx.report(
      spec.posOf('clusterIP'),
      'error',
      'PW1050',
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for ${type} services`,
    );
  if (!external && spec.has('externalTrafficPolicy') && externalTrafficPolicy === 'Local')
    obj.ctx.report(
      spec.posOf('externalTrafficPolicy'),
      'error',
      'PW1050',
      `spec.externalTrafficPolicy: Invalid value: "Local": may only be set when \`type\` is 'NodePort' or 'LoadBalancer'`,
    );
  if (type !== 'ExternalName' && type !== 'ClusterIP' && ports.length === 0) spec.missing('ports');
  if (type === 'ClusterIP' && clusterIP !== 'None' && ports.length === 0) spec.missing('ports');
}
