import type {
  ContainerSpec,
  DnsConfig,
  DnsPolicy,
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
  const dnsPolicy = readDnsPolicy(spec);
  const dnsConfig = readDnsConfig(spec, dnsPolicy);
  return {
    nodeSelector: spec.stringMap('nodeSelector'),
    hostNetwork: spec.bool('hostNetwork') ?? false,
    containers,
    ...(nodeName !== undefined ? { nodeName } : {}),
    ...(dnsPolicy !== undefined ? { dnsPolicy } : {}),
    ...(dnsConfig !== undefined ? { dnsConfig } : {}),
  };
}

const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const;

function readDnsPolicy(spec: Fields): DnsPolicy | undefined {
  const v = spec.str('dnsPolicy');
  if (v === undefined) return undefined;
  if ((DNS_POLICIES as readonly string[]).includes(v)) return v as DnsPolicy;
  spec.ctx.report(
    spec.posOf('dnsPolicy'),
    'error',
    'PW1013',
    `spec.dnsPolicy: Unsupported value: "${v}": supported values: "${DNS_POLICIES.join('", "')}"`,
  );
  return undefined;
}

/** spec.dnsConfig; the apiserver's checks: at most 3 nameservers, 32 searches, one with None. */
function readDnsConfig(spec: Fields, policy: DnsPolicy | undefined): DnsConfig | undefined {
  const c = spec.map('dnsConfig');
  if (!c) {
    if (policy === 'None')
      spec.ctx.report(
        spec.posOf('dnsPolicy'),
        'error',
        'PW1081',
        'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
      );
    return undefined;
  }
  const nameservers = c.strings('nameservers').flatMap((n) => {
    if (readIPv4Text(n.value)) return [n.value];
    c.ctx.report(
      n.at,
      'error',
      'PW1012',
      `spec.dnsConfig.nameservers: Invalid value: "${n.value}": must be a valid IP address`,
    );
    return [];
  });
  const searches = c.strings('searches').map((s) => s.value);
  const options = c.list('options').flatMap((o) => {
    const name = o.str('name', true);
    const value = o.str('value');
    return name === undefined ? [] : [{ name, ...(value !== undefined ? { value } : {}) }];
  });
  if (nameservers.length > 3)
    c.ctx.report(
      c.posOf('nameservers'),
      'error',
      'PW1081',
      `spec.dnsConfig.nameservers: Invalid value: must not have more than 3 nameservers`,
    );
  if (policy === 'None' && nameservers.length === 0)
    c.ctx.report(
      c.at(),
      'error',
      'PW1081',
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  if (searches.length > 32)
    c.ctx.report(
      c.posOf('searches'),
      'error',
      'PW1081',
      'spec.dnsConfig.searches: Invalid value: must not have more than 32 search paths',
    );
  return { nameservers: nameservers.slice(0, 3), searches, options };
}

function readIPv4Text(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
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
