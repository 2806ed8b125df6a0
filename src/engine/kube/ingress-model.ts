import type { Diagnostic, SourcePos } from '../diagnostics';
import {
  CONTROLLER_CLASS,
  CONTROLLER_NAME,
  INGRESS_CLASS,
  INGRESS_NAMESPACE,
  declaredController,
} from './ingress-nginx';
import type {
  EndpointSliceModel,
  IngressBackendModel,
  IngressLocationModel,
  IngressModel,
  IngressServerModel,
  PodModel,
  ServiceModel,
} from './model';
import type { IngressBackendSpec, IngressObject, KubeObject, WorkloadObject } from './objects';

/**
 * What ingress-nginx makes of the Ingresses (docs/INGRESS.md): which ones it serves (class),
 * the nginx `server` per host and its `location`s (the seed's nginx.conf), each location's
 * upstream — the ready endpoints of the backend Service port, which the controller balances
 * over itself, not through the ClusterIP — and the annotations it honours.
 */

export const ANNOTATION = 'nginx.ingress.kubernetes.io/';
export const DEFAULT_BODY_SIZE = '1m';

function diag(at: SourcePos, severity: Diagnostic['severity'], code: string, message: string) {
  return { ...at, severity, code, message };
}

/** Does ingress-nginx (class `nginx`, controller k8s.io/ingress-nginx) serve this Ingress? */
function classOf(
  ing: IngressObject,
  objects: readonly KubeObject[],
): { served: true } | { served: false; why: string } {
  const classes = objects.filter((o) => o.kind === 'IngressClass');
  const legacy = ing.meta.annotations['kubernetes.io/ingress.class'];
  if (ing.ingressClassName !== undefined) {
    const c = classes.find((k) => k.meta.name === ing.ingressClassName);
    if (!c) return { served: false, why: `IngressClass "${ing.ingressClassName}" does not exist` };
    if (c.controller !== CONTROLLER_CLASS)
      return {
        served: false,
        why: `IngressClass "${c.meta.name}" belongs to controller ${c.controller}, not ${CONTROLLER_CLASS}`,
      };
    return { served: true };
  }
  if (legacy !== undefined)
    return legacy === INGRESS_CLASS
      ? { served: true }
      : {
          served: false,
          why: `annotation kubernetes.io/ingress.class is "${legacy}", not "${INGRESS_CLASS}"`,
        };
  const def = classes.find((k) => k.isDefault);
  if (def?.controller === CONTROLLER_CLASS) return { served: true };
  return {
    served: false,
    why: `it has no ingressClassName and no IngressClass is the default (ingressclass.kubernetes.io/is-default-class); the controller runs without --watch-ingress-without-class`,
  };
}

function backendOf(
  b: IngressBackendSpec,
  namespace: string,
  services: readonly ServiceModel[],
  slices: readonly EndpointSliceModel[],
): IngressBackendModel {
  if (!b.service)
    return {
      service: `${namespace}/${b.resource?.name ?? '?'}`,
      port: '',
      endpoints: [],
      problem: `a resource backend (${b.resource?.kind}/${b.resource?.name}) is not served by ingress-nginx`,
    };
  const { name, port } = b.service;
  const key = `${namespace}/${name}`;
  const svc = services.find((s) => s.namespace === namespace && s.name === name);
  if (!svc) return { service: key, port, endpoints: [], problem: `service ${key} does not exist` };
  const sp = svc.ports.find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
  if (!sp || sp.protocol !== 'TCP')
    return {
      service: key,
      port,
      endpoints: [],
      problem: `service ${key} has no TCP port ${port}`,
    };
  const endpoints: string[] = [];
  for (const s of slices) {
    if (s.namespace !== namespace || s.service !== name) continue;
    const slicePort = s.ports.find(
      (p) => (p.name ?? '') === (sp.name ?? '') && p.protocol === 'TCP',
    );
    if (!slicePort) continue;
    for (const e of s.endpoints) if (e.ready) endpoints.push(`${e.ip}:${slicePort.port}`);
  }
  return { service: key, port, endpoints };
}

function annotationsOf(ing: IngressObject, diagnostics: Diagnostic[]) {
  const a = (k: string) => ing.meta.annotations[ANNOTATION + k];
  const at = ing.meta.source;
  const bad = (k: string, v: string, why: string) =>
    diagnostics.push(
      diag(at, 'warning', 'PW2053', `annotation ${ANNOTATION}${k}: "${v}" ${why}; ignored`),
    );
  const bool = (k: string, fallback: boolean) => {
    const v = a(k);
    if (v === undefined) return fallback;
    if (v === 'true' || v === 'false') return v === 'true';
    bad(k, v, 'is not "true" or "false"');
    return fallback;
  };
  let appRoot = a('app-root');
  if (appRoot !== undefined && !appRoot.startsWith('/')) {
    bad('app-root', appRoot, 'must be an absolute path');
    appRoot = undefined;
  }
  let bodySize = a('proxy-body-size');
  if (bodySize !== undefined && !/^\d+[kKmMgG]?$/.test(bodySize)) {
    bad('proxy-body-size', bodySize, 'is not an nginx size (8m, 512k, 0)');
    bodySize = undefined;
  }
  const rewriteTarget = a('rewrite-target');
  return {
    rewriteTarget: rewriteTarget === '' ? undefined : rewriteTarget,
    useRegex: bool('use-regex', false),
    appRoot,
    sslRedirect: bool('ssl-redirect', true),
    proxyBodySize: bodySize ?? DEFAULT_BODY_SIZE,
  };
}

function controllerPods(objects: readonly KubeObject[], pods: readonly PodModel[]): string[] {
  const dep = objects.find(
    (o): o is WorkloadObject =>
      o.kind === 'Deployment' &&
      o.meta.namespace === INGRESS_NAMESPACE &&
      o.meta.name === CONTROLLER_NAME,
  );
  const sel = dep?.selector ?? {};
  return pods
    .filter(
      (p) =>
        p.namespace === INGRESS_NAMESPACE &&
        Object.entries(sel).every(([k, v]) => p.labels[k] === v),
    )
    .map((p) => `${p.namespace}/${p.name}`);
}

export function ingressModel(
  objects: readonly KubeObject[],
  enabled: boolean,
  services: readonly ServiceModel[],
  slices: readonly EndpointSliceModel[],
  pods: readonly PodModel[],
  diagnostics: Diagnostic[],
): IngressModel | undefined {
  const ingresses = objects.filter((o): o is IngressObject => o.kind === 'Ingress');
  if (!enabled) {
    const first = ingresses[0];
    if (first)
      diagnostics.push(
        diag(
          first.meta.source,
          'warning',
          'PW2051',
          `Ingress "${first.meta.namespace}/${first.meta.name}": no ingress controller runs in this scenario, nothing serves it (declare the ${INGRESS_NAMESPACE}/${CONTROLLER_NAME} Deployment or Service, or an IngressClass for ${CONTROLLER_CLASS})`,
        ),
      );
    return undefined;
  }
  const servers = new Map<string, IngressServerModel>();
  const server = (name: string) => {
    let s = servers.get(name);
    if (!s) {
      s = { name, tls: null, regex: false, locations: [] };
      servers.set(name, s);
    }
    return s;
  };
  server('_');
  const served: string[] = [];
  for (const ing of ingresses) {
    const id = `${ing.meta.namespace}/${ing.meta.name}`;
    const cls = classOf(ing, objects);
    if (!cls.served) {
      diagnostics.push(
        diag(
          ing.meta.source,
          'info',
          'PW2050',
          `Ingress "${id}" is ignored by ingress-nginx: ${cls.why}`,
        ),
      );
      continue;
    }
    served.push(id);
    const ann = annotationsOf(ing, diagnostics);
    const backend = (b: IngressBackendSpec) => {
      const m = backendOf(b, ing.meta.namespace, services, slices);
      if (m.problem)
        diagnostics.push(
          diag(
            b.source,
            'warning',
            'PW2052',
            `Ingress "${id}": ${m.problem}; the controller answers 503`,
          ),
        );
      return m;
    };
    const location = (
      path: string,
      pathType: IngressLocationModel['pathType'],
      b: IngressBackendSpec,
    ): IngressLocationModel => ({
      path,
      pathType,
      ingress: id,
      backend: backend(b),
      ...(ann.rewriteTarget !== undefined ? { rewriteTarget: ann.rewriteTarget } : {}),
      sslRedirect: ann.sslRedirect,
      proxyBodySize: ann.proxyBodySize,
      source: b.source,
    });
    const hosts = ing.rules.map((r) => r.host ?? '_');
    if (ing.defaultBackend && hosts.length === 0) hosts.push('_');
    for (const [i, host] of hosts.entries()) {
      const s = server(host);
      const rule = ing.rules[i];
      const tls = ing.tls.find((t) => t.hosts.includes(host));
      if (tls && !s.tls) s.tls = { secretName: tls.secretName ?? null };
      if (ann.appRoot && s.appRoot === undefined && host !== '_') s.appRoot = ann.appRoot;
      const needsRewrite = (p: string) =>
        ann.rewriteTarget !== undefined && ann.rewriteTarget !== p;
      for (const p of rule?.paths ?? []) {
        if (ann.useRegex || needsRewrite(p.path)) s.regex = true;
        if (ann.useRegex || ann.rewriteTarget !== undefined) {
          try {
            new RegExp(p.path, 'i');
          } catch {
            diagnostics.push(
              diag(
                p.source,
                'warning',
                'PW2054',
                `Ingress "${id}": path "${p.path}" is not a valid regular expression; nginx would reject the configuration, the path is left out`,
              ),
            );
            continue;
          }
        }
        const dup = s.locations.find((l) => l.path === p.path && l.pathType === p.pathType);
        if (dup) {
          diagnostics.push(
            diag(
              p.source,
              'warning',
              'PW2055',
              `Ingress "${id}": host ${host} path ${p.path} (${p.pathType}) is already defined by Ingress "${dup.ingress}"; the first one is kept`,
            ),
          );
          continue;
        }
        s.locations.push(location(p.path, p.pathType, p.backend));
      }
      if (ing.defaultBackend && !s.locations.some((l) => l.path === '/' && l.pathType !== 'Exact'))
        s.locations.push(location('/', 'default', ing.defaultBackend));
    }
  }
  for (const s of servers.values()) {
    if (!s.locations.some((l) => l.path === '/' && l.pathType !== 'Exact'))
      s.locations.push({
        path: '/',
        pathType: 'default',
        ingress: null,
        backend: null,
        sslRedirect: true,
        proxyBodySize: DEFAULT_BODY_SIZE,
      });
    // The controller sorts a server's locations longest path first (stable).
    s.locations.sort((a, b) => b.path.length - a.path.length);
  }
  const all = [...servers.values()];
  const rank = (s: IngressServerModel) => (s.name === '_' ? 2 : s.name.startsWith('*.') ? 1 : 0);
  all.sort((a, b) => rank(a) - rank(b));
  const d = declaredController(objects);
  return {
    deployment: `${INGRESS_NAMESPACE}/${CONTROLLER_NAME}`,
    service: `${INGRESS_NAMESPACE}/${d.service?.meta.name ?? CONTROLLER_NAME}`,
    pods: controllerPods(objects, pods),
    className: INGRESS_CLASS,
    controllerClass: CONTROLLER_CLASS,
    ingresses: served,
    servers: all,
  };
}
