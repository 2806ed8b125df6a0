import type {
  IngressBackendSpec,
  IngressClassObject,
  IngressObject,
  IngressPathSpec,
  IngressPathType,
  IngressRuleSpec,
  ObjectMeta,
} from '../engine/kube/objects';
import type { Fields } from './context';
import { isIPv4, labelProblem, subdomainProblem } from './validate';

/**
 * networking.k8s.io/v1 Ingress and IngressClass, checked the way the apiserver's
 * ValidateIngress does (pkg/apis/networking/validation): its messages, on the offending field's
 * line, code PW1082. The nginx annotations are read later, by the controller (kube/ingress-model.ts).
 */

const PATH_TYPES: readonly IngressPathType[] = ['Exact', 'ImplementationSpecific', 'Prefix'];
const CODE = 'PW1082';

function full(f: Fields, key: string): string {
  return f.path ? `${f.path}.${key}` : key;
}

function err(f: Fields, key: string | null, message: string): undefined {
  f.ctx.report(key === null ? f.at() : f.posOf(key), 'error', CODE, message);
  return undefined;
}

/** A rule's host: a DNS subdomain, or `*.` then one; never an IP address. */
export function hostProblem(host: string): string | null {
  if (isIPv4(host)) return 'must be a DNS name, not an IP address';
  if (host.startsWith('*.')) {
    const rest = host.slice(2);
    if (rest.includes('*') || subdomainProblem(rest))
      return "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    return null;
  }
  if (host.includes('*'))
    return "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain";
  return subdomainProblem(host);
}

/** Exact and Prefix paths must be clean absolute paths (the apiserver's validateIngressPath). */
export function pathProblem(path: string, pathType: IngressPathType): string | null {
  if (!path.startsWith('/')) return 'must be an absolute path';
  if (pathType === 'ImplementationSpecific') return null;
  for (const bad of ['//', '/./', '/../', '%2f', '%2F'])
    if (path.includes(bad)) return `must not contain '${bad}'`;
  for (const bad of ['/..', '/.']) if (path.endsWith(bad)) return `cannot end with '${bad}'`;
  return null;
}

function readBackend(b: Fields): IngressBackendSpec | undefined {
  const svc = b.map('service');
  const res = b.map('resource');
  if (svc && res)
    return err(
      b,
      null,
      `${b.path}: Invalid value: "": cannot set both resource and service backends`,
    );
  if (res) {
    const kind = res.str('kind', true);
    const name = res.str('name', true);
    if (kind === undefined || name === undefined) return undefined;
    return { resource: { kind, name }, source: b.at() };
  }
  if (!svc)
    return err(b, null, `${b.path}: Invalid value: "": resource or service backend is required`);
  const name = svc.str('name');
  if (name === undefined || name === '')
    return err(svc, null, `${full(svc, 'name')}: Required value`);
  const nameBad = labelProblem(name);
  if (nameBad)
    return err(
      svc,
      'name',
      `${full(svc, 'name')}: Invalid value: ${JSON.stringify(name)}: ${nameBad}`,
    );
  const port = svc.map('port');
  const number = port?.int('number');
  const portName = port?.str('name');
  if (number !== undefined && number !== 0 && portName !== undefined && portName !== '')
    return err(b, null, `${b.path}: Invalid value: "": cannot set both port name & port number`);
  if (portName !== undefined && portName !== '')
    return { service: { name, port: portName }, source: b.at() };
  if (number !== undefined && number !== 0) {
    if (number < 1 || number > 65535)
      return err(
        port!,
        'number',
        `${full(port!, 'number')}: Invalid value: ${number}: must be between 1 and 65535, inclusive`,
      );
    return { service: { name, port: number }, source: b.at() };
  }
  return err(
    svc,
    port ? 'port' : null,
    `${full(svc, 'port')}: Required value: port name or number is required`,
  );
}

function readPath(p: Fields): IngressPathSpec | undefined {
  const pathType = p.str('pathType');
  const path = p.str('path');
  if (pathType === undefined) {
    err(p, null, `${full(p, 'pathType')}: Required value: pathType must be specified`);
  } else if (!(PATH_TYPES as readonly string[]).includes(pathType)) {
    err(
      p,
      'pathType',
      `${full(p, 'pathType')}: Unsupported value: ${JSON.stringify(pathType)}: supported values: ${PATH_TYPES.map((t) => `"${t}"`).join(', ')}`,
    );
  }
  const type = (PATH_TYPES as readonly string[]).includes(pathType ?? '')
    ? (pathType as IngressPathType)
    : undefined;
  if (path === undefined || path === '') {
    if (type !== 'ImplementationSpecific')
      err(
        p,
        path === undefined ? null : 'path',
        `${full(p, 'path')}: Invalid value: "": must be an absolute path`,
      );
  } else if (type) {
    const bad = pathProblem(path, type);
    if (bad) err(p, 'path', `${full(p, 'path')}: Invalid value: ${JSON.stringify(path)}: ${bad}`);
  }
  const b = p.map('backend');
  const backend = b ? readBackend(b) : err(p, null, `${full(p, 'backend')}: Required value`);
  if (!type || !backend) return undefined;
  const finalPath = path === undefined || path === '' ? '/' : path;
  if (pathProblem(finalPath, type)) return undefined;
  return { path: finalPath, pathType: type, backend, source: p.at() };
}

export function readIngress(obj: Fields, meta: ObjectMeta): IngressObject | undefined {
  const spec = obj.map('spec');
  if (!spec)
    return err(
      obj,
      null,
      'spec: Invalid value: "": either `defaultBackend` or `rules` must be specified',
    );
  const ingressClassName = spec.str('ingressClassName');
  const db = spec.map('defaultBackend');
  const defaultBackend = db ? readBackend(db) : undefined;
  const rules: IngressRuleSpec[] = spec.list('rules').flatMap((r) => {
    const host = r.str('host');
    if (host !== undefined && host !== '') {
      const bad = hostProblem(host);
      if (bad) {
        err(r, 'host', `${full(r, 'host')}: Invalid value: ${JSON.stringify(host)}: ${bad}`);
        return [];
      }
    }
    const http = r.map('http');
    const paths = http ? http.list('paths') : [];
    if (http && paths.length === 0) err(http, null, `${full(http, 'paths')}: Required value`);
    const read = paths.flatMap((p) => readPath(p) ?? []);
    return [{ ...(host ? { host } : {}), paths: read, source: r.at() }];
  });
  if (!db && !spec.has('rules'))
    err(
      spec,
      null,
      'spec: Invalid value: "": either `defaultBackend` or `rules` must be specified',
    );
  const tls = spec.list('tls').map((t) => {
    const hosts = t.strings('hosts').flatMap((h) => {
      const bad = hostProblem(h.value);
      if (!bad) return [h.value];
      t.ctx.report(
        h.at,
        'error',
        CODE,
        `${full(t, 'hosts')}: Invalid value: ${JSON.stringify(h.value)}: ${bad}`,
      );
      return [];
    });
    const secretName = t.str('secretName');
    return { hosts, ...(secretName ? { secretName } : {}), source: t.at() };
  });
  return {
    kind: 'Ingress',
    meta,
    ...(ingressClassName !== undefined ? { ingressClassName } : {}),
    ...(defaultBackend ? { defaultBackend } : {}),
    rules,
    tls,
  };
}

export function readIngressClass(obj: Fields, meta: ObjectMeta): IngressClassObject | undefined {
  const spec = obj.map('spec', true);
  const controller = spec?.str('controller', true);
  if (controller === undefined) return undefined;
  return {
    kind: 'IngressClass',
    meta,
    controller,
    isDefault: meta.annotations['ingressclass.kubernetes.io/is-default-class'] === 'true',
  };
}
