import type { Diagnostic, SourcePos } from '../diagnostics';
import type {
  EndpointModel,
  EndpointSliceModel,
  L4Protocol,
  PodModel,
  ServiceModel,
  ServicePortModel,
} from './model';
import type { EndpointsObject, EndpointSliceObject, KubeObject } from './objects';
import { generatedPodName } from './pod-names';

export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
export const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';

type SlicePort = EndpointSliceModel['ports'][number];

function diag(at: SourcePos | undefined, code: string, message: string): Diagnostic[] {
  return at ? [{ ...at, severity: 'warning', code, message }] : [];
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The port a pod serves a service port on: a number as is, a name looked up among its containers' ports. */
export function resolveTargetPort(port: ServicePortModel, pod: PodModel): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return pod.ports.find((c) => c.name === port.targetPort && c.protocol === port.protocol)?.port;
}

/** Generated slice names: `<service>-<5 characters>`, stable for the same input. */
function sliceName(base: string, index: number): string {
  return generatedPodName(base, 1_000_000 + index);
}

/**
 * The EndpointSlice controller for Services with a selector: the pods of the namespace that
 * match, one endpoint each, grouped into one slice per distinct set of resolved ports (a pod
 * whose named targetPort does not exist is left out of that port, as the controller does).
 */
function slicesForSelector(
  svc: ServiceModel,
  pods: readonly PodModel[],
  diagnostics: Diagnostic[],
  publishNotReady: boolean,
): EndpointSliceModel[] {
  const selected = pods.filter(
    (p) => p.namespace === svc.namespace && selects(svc.selector!, p.labels),
  );
  if (selected.length === 0 && svc.clusterIP !== null)
    diagnostics.push(
      ...diag(
        svc.source,
        'PW2016',
        `service ${svc.namespace}/${svc.name}: selector ${selectorText(svc.selector!)} matches no pods, so it has no endpoints (kube-proxy rejects its traffic)`,
      ),
    );
  const groups = new Map<string, { ports: SlicePort[]; endpoints: EndpointModel[] }>();
  for (const pod of selected) {
    const ports: SlicePort[] = [];
    for (const sp of svc.ports) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) {
        diagnostics.push(
          ...diag(
            svc.source,
            'PW2015',
            `service ${svc.namespace}/${svc.name} port ${sp.name ? `"${sp.name}"` : sp.port}: targetPort "${String(sp.targetPort)}" names no ${sp.protocol} container port of pod ${pod.namespace}/${pod.name}; the pod is left out of that port's endpoints`,
          ),
        );
        continue;
      }
      ports.push({ name: sp.name ?? '', port, protocol: sp.protocol });
    }
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, endpoints: [] };
    groups.set(key, g);
    const ready = pod.ready || publishNotReady;
    g.endpoints.push({
      ip: pod.ip,
      nodeName: pod.node,
      targetPod: `${pod.namespace}/${pod.name}`,
      ready,
      serving: ready,
      terminating: false,
    });
  }
  return [...groups.values()].map((g, i) => ({
    namespace: svc.namespace,
    name: sliceName(svc.name, i),
    service: svc.name,
    managedBy: SLICE_CONTROLLER,
    ports: g.ports,
    endpoints: g.endpoints,
  }));
}

function mirror(ep: EndpointsObject): EndpointSliceModel[] {
  return ep.subsets.map((s, i) => ({
    namespace: ep.meta.namespace,
    name: sliceName(ep.meta.name, i),
    service: ep.meta.name,
    managedBy: MIRRORING_CONTROLLER,
    ports: s.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
    endpoints: s.addresses.map((a) => ({
      ip: a.ip,
      ready: a.ready,
      serving: a.serving,
      terminating: a.terminating,
      ...(a.nodeName !== undefined ? { nodeName: a.nodeName } : {}),
      ...(a.targetPod !== undefined ? { targetPod: a.targetPod } : {}),
    })),
  }));
}

function fromUser(s: EndpointSliceObject): EndpointSliceModel {
  return {
    namespace: s.meta.namespace,
    name: s.meta.name,
    service: s.serviceName!,
    managedBy: s.meta.labels['endpointslice.kubernetes.io/managed-by'] ?? 'user',
    ports: s.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })),
    endpoints: s.endpoints.map((e) => ({ ...e })),
  };
}

/**
 * A named service port only takes endpoint ports of the same name (an unnamed one, the unnamed
 * port): the classic mistake with hand-written Endpoints is a name that differs.
 */
function checkPortNames(
  svc: ServiceModel,
  slices: EndpointSliceModel[],
  at: SourcePos | undefined,
) {
  const out: Diagnostic[] = [];
  if (slices.length === 0) return out;
  const offered = [...new Set(slices.flatMap((s) => s.ports.map((p) => p.name ?? '')))];
  for (const sp of svc.ports) {
    const name = sp.name ?? '';
    if (
      slices.some((s) => s.ports.some((p) => (p.name ?? '') === name && p.protocol === sp.protocol))
    )
      continue;
    const shown = offered.map((n) => (n ? `"${n}"` : 'an unnamed port')).join(', ');
    out.push(
      ...diag(
        at,
        'PW2019',
        `service ${svc.namespace}/${svc.name} port ${name ? `"${name}"` : sp.port}: no endpoint port is ${name ? `named "${name}"` : 'unnamed'} (${sp.protocol}); the endpoints offer ${shown || 'no ports'}, so kube-proxy gives this port no endpoints`,
      ),
    );
  }
  return out;
}

export interface EndpointsResult {
  slices: EndpointSliceModel[];
  diagnostics: Diagnostic[];
}

/**
 * The endpoint controllers' work: EndpointSlices for every Service with a selector; for
 * selector-less Services the user's EndpointSlices as given and their Endpoints mirrored into
 * slices. Endpoints written by hand for a Service that has a selector are ignored (the
 * controller owns them) and said so.
 */
export function endpointsController(
  objects: readonly KubeObject[],
  services: readonly ServiceModel[],
  pods: readonly PodModel[],
): EndpointsResult {
  const diagnostics: Diagnostic[] = [];
  const slices: EndpointSliceModel[] = [];
  const byKey = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const publish = new Set(
    objects.flatMap((o) =>
      o.kind === 'Service' && o.publishNotReadyAddresses
        ? [`${o.meta.namespace}/${o.meta.name}`]
        : [],
    ),
  );
  for (const svc of services) {
    if (svc.type === 'ExternalName' || svc.selector === null) continue;
    slices.push(
      ...slicesForSelector(svc, pods, diagnostics, publish.has(`${svc.namespace}/${svc.name}`)),
    );
  }
  const manual = new Map<string, EndpointSliceModel[]>();
  const firstAt = new Map<string, SourcePos>();
  for (const o of objects) {
    if (o.kind !== 'Endpoints' && o.kind !== 'EndpointSlice') continue;
    const svcName = o.kind === 'Endpoints' ? o.meta.name : o.serviceName;
    if (svcName === undefined) continue;
    const key = `${o.meta.namespace}/${svcName}`;
    const svc = byKey.get(key);
    if (svc && svc.selector !== null) {
      diagnostics.push(
        ...diag(
          o.meta.source,
          'PW2018',
          `${o.kind} ${o.meta.namespace}/${o.meta.name} is ignored: service ${key} has a selector, so the endpoints controller manages its endpoints`,
        ),
      );
      continue;
    }
    // Endpoints are mirrored only for an existing selector-less Service; slices stand on their own.
    if (o.kind === 'Endpoints' && !svc) continue;
    if (o.kind === 'EndpointSlice' && o.addressType !== 'IPv4') continue;
    const made = o.kind === 'Endpoints' ? mirror(o) : [fromUser(o)];
    manual.set(key, [...(manual.get(key) ?? []), ...made]);
    if (!firstAt.has(key)) firstAt.set(key, o.meta.source);
    slices.push(...made);
  }
  for (const svc of services) {
    if (svc.type === 'ExternalName' || svc.selector !== null || svc.clusterIP === null) continue;
    const key = `${svc.namespace}/${svc.name}`;
    const mine = manual.get(key) ?? [];
    if (mine.length === 0)
      diagnostics.push(
        ...diag(
          svc.source,
          'PW2017',
          `service ${key} has no selector and no Endpoints or EndpointSlices, so it has no endpoints`,
        ),
      );
    diagnostics.push(...checkPortNames(svc, mine, firstAt.get(key)));
  }
  return { slices, diagnostics };
}

/** An endpoint as kube-proxy sees it for one service port. */
export interface ProxyEndpoint {
  ip: string;
  port: number;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/**
 * kube-proxy's view of one service port: the endpoints of every slice of the Service that
 * has a port of the same name and protocol, one per IP:port, ordered by address text as its
 * slice cache orders them.
 */
export function endpointsForPort(
  svc: ServiceModel,
  port: { name?: string; protocol: L4Protocol },
  slices: readonly EndpointSliceModel[],
): ProxyEndpoint[] {
  const seen = new Set<string>();
  const out: ProxyEndpoint[] = [];
  for (const s of slices) {
    if (s.namespace !== svc.namespace || s.service !== svc.name) continue;
    const p = s.ports.find(
      (x) => (x.name ?? '') === (port.name ?? '') && x.protocol === port.protocol,
    );
    if (!p) continue;
    for (const e of s.endpoints) {
      const key = `${e.ip}:${p.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ip: e.ip,
        port: p.port,
        ready: e.ready,
        serving: e.serving,
        terminating: e.terminating,
        ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
      });
    }
  }
  return out.sort((a, b) => {
    const x = `${a.ip}:${a.port}`;
    const y = `${b.ip}:${b.port}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
