import type {
  EndpointAddressSpec,
  EndpointPortSpec,
  EndpointSliceObject,
  EndpointsObject,
  ObjectMeta,
} from '../engine/kube/objects';
import type { Fields } from './context';
import { readEnum, readIPv4, readPort, readProtocol } from './validate';

function ports(list: Fields[]): EndpointPortSpec[] {
  return list.flatMap((p) => {
    const port = readPort(p, 'port', true);
    if (port === undefined) return [];
    const name = p.str('name');
    return [{ port, protocol: readProtocol(p), ...(name ? { name } : {}) }];
  });
}

function targetPod(f: Fields | undefined, namespace: string): string | undefined {
  if (!f || f.str('kind') !== 'Pod') return undefined;
  const name = f.str('name');
  return name ? `${f.str('namespace') ?? namespace}/${name}` : undefined;
}

export function readEndpointSlice(obj: Fields, meta: ObjectMeta): EndpointSliceObject {
  const addressType = readEnum(obj, 'addressType', ['IPv4', 'IPv6', 'FQDN'], 'IPv4');
  if (!obj.has('addressType')) obj.missing('addressType');
  const endpoints: EndpointAddressSpec[] = obj.list('endpoints').flatMap((e) => {
    const cond = e.map('conditions');
    // The API's rule: a nil `ready` means ready; serving follows ready; terminating defaults false.
    const ready = cond?.bool('ready') ?? true;
    const nodeName = e.str('nodeName');
    const pod = targetPod(e.map('targetRef'), meta.namespace);
    const base = {
      ready,
      serving: cond?.bool('serving') ?? ready,
      terminating: cond?.bool('terminating') ?? false,
      ...(nodeName !== undefined ? { nodeName } : {}),
      ...(pod !== undefined ? { targetPod: pod } : {}),
    };
    const addrs = e.strings('addresses');
    if (!e.has('addresses')) e.missing('addresses');
    return addrs.flatMap((a) => {
      if (addressType === 'IPv4' && !/^\d+\.\d+\.\d+\.\d+$/.test(a.value)) {
        obj.ctx.report(
          a.at,
          'error',
          'PW1012',
          `endpoints.addresses: Invalid value: "${a.value}": must be a valid IPv4 address`,
        );
        return [];
      }
      return [{ ip: a.value, ...base }];
    });
  });
  const serviceName = meta.labels['kubernetes.io/service-name'];
  return {
    kind: 'EndpointSlice',
    meta,
    addressType,
    endpoints,
    ports: ports(obj.list('ports')),
    ...(serviceName !== undefined ? { serviceName } : {}),
  };
}

export function readEndpoints(obj: Fields, meta: ObjectMeta): EndpointsObject {
  const subsets = obj.list('subsets').map((s) => {
    const addr = (ready: boolean) => (a: Fields) => {
      const ip = readIPv4(a, 'ip');
      if (ip === undefined) return [];
      if (!a.has('ip')) a.missing('ip');
      const nodeName = a.str('nodeName');
      const pod = targetPod(a.map('targetRef'), meta.namespace);
      return [
        {
          ip,
          ready,
          serving: ready,
          terminating: false,
          ...(nodeName !== undefined ? { nodeName } : {}),
          ...(pod !== undefined ? { targetPod: pod } : {}),
        },
      ];
    };
    return {
      addresses: [
        ...s.list('addresses').flatMap(addr(true)),
        ...s.list('notReadyAddresses').flatMap(addr(false)),
      ],
      ports: ports(s.list('ports')),
    };
  });
  return { kind: 'Endpoints', meta, subsets };
}
