import { describe, expect, it } from 'vitest';
import type { IngressObject } from '../engine/kube/objects';
import { parseManifests } from './parse';

const parse = (text: string) => parseManifests([{ name: 'i.yaml', text }]);
const lineOf = (text: string, needle: string) =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const GOOD = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: fallback
      port:
        name: http
  tls:
    - hosts: [foo.bar.com]
      secretName: tls-secret
  rules:
    - host: "*.foo.com"
      http:
        paths:
          - path: /something(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: svc
                port:
                  number: 80
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              resource:
                apiGroup: k8s.example.com
                kind: StorageBucket
                name: static
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;

describe('Ingress and IngressClass', () => {
  it('reads rules, wildcard hosts, backends by port number or name, defaultBackend and tls', () => {
    const r = parse(GOOD);
    expect(r.diagnostics).toEqual([]);
    const ing = r.objects[0] as IngressObject;
    expect(ing).toMatchObject({
      kind: 'Ingress',
      ingressClassName: 'nginx',
      defaultBackend: { service: { name: 'fallback', port: 'http' } },
      tls: [{ hosts: ['foo.bar.com'], secretName: 'tls-secret' }],
      rules: [
        {
          host: '*.foo.com',
          paths: [
            {
              path: '/something(/|$)(.*)',
              pathType: 'ImplementationSpecific',
              backend: { service: { name: 'svc', port: 80 } },
            },
          ],
        },
        {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { resource: { kind: 'StorageBucket', name: 'static' } },
            },
          ],
        },
      ],
    });
    expect(ing.meta.annotations['nginx.ingress.kubernetes.io/rewrite-target']).toBe('/$2');
    expect(r.objects[1]).toMatchObject({
      kind: 'IngressClass',
      controller: 'k8s.io/ingress-nginx',
      isDefault: true,
    });
  });

  const BAD = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bad
spec:
  rules:
    - host: foo.*.com
    - host: 10.0.0.1
    - host: ok.example
      http:
        paths:
          - path: /nopathtype
            backend:
              service: {name: a, port: {number: 80}}
          - path: relative
            pathType: Prefix
            backend:
              service: {name: a, port: {number: 80}}
          - path: /a//b
            pathType: Exact
            backend:
              service: {name: a, port: {number: 80}}
          - path: /x
            pathType: Regex
            backend:
              service: {name: a, port: {number: 80}}
          - path: /nobackend
            pathType: Prefix
            backend: {}
          - path: /both
            pathType: Prefix
            backend:
              service: {name: a, port: {number: 80}}
              resource: {kind: B, name: b}
          - path: /noport
            pathType: Prefix
            backend:
              service: {name: a}
          - path: /twoports
            pathType: Prefix
            backend:
              service: {name: a, port: {number: 80, name: http}}
`;

  it('reports what the apiserver would refuse, in its words, on the field line', () => {
    const r = parse(BAD);
    const got = r.diagnostics.map((d) => [d.line, d.code, d.message]);
    const at = (needle: string) => lineOf(BAD, needle);
    expect(got).toEqual([
      [
        at('foo.*.com'),
        'PW1082',
        expect.stringContaining(
          'spec.rules[0].host: Invalid value: "foo.*.com": a wildcard DNS-1123 subdomain must start with \'*.\'',
        ),
      ],
      [
        at('10.0.0.1'),
        'PW1082',
        'spec.rules[1].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
      ],
      [
        at('/nopathtype'),
        'PW1082',
        'spec.rules[2].http.paths[0].pathType: Required value: pathType must be specified',
      ],
      [
        at('relative'),
        'PW1082',
        'spec.rules[2].http.paths[1].path: Invalid value: "relative": must be an absolute path',
      ],
      [
        at('/a//b'),
        'PW1082',
        'spec.rules[2].http.paths[2].path: Invalid value: "/a//b": must not contain \'//\'',
      ],
      [
        at('pathType: Regex'),
        'PW1082',
        'spec.rules[2].http.paths[3].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
      ],
      [
        at('backend: {}'),
        'PW1082',
        'spec.rules[2].http.paths[4].backend: Invalid value: "": resource or service backend is required',
      ],
      [
        at('/both') + 3,
        'PW1082',
        'spec.rules[2].http.paths[5].backend: Invalid value: "": cannot set both resource and service backends',
      ],
      [
        at('service: {name: a}'),
        'PW1082',
        'spec.rules[2].http.paths[6].backend.service.port: Required value: port name or number is required',
      ],
      [
        at('/twoports') + 3,
        'PW1082',
        'spec.rules[2].http.paths[7].backend: Invalid value: "": cannot set both port name & port number',
      ],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('needs rules or a defaultBackend, and refuses the old v1beta1 API as a v1.22+ apiserver does', () => {
    const empty = parse(
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: e}\nspec: {}\n',
    );
    expect(empty.diagnostics).toMatchObject([
      {
        code: 'PW1082',
        line: 4,
        message: 'spec: Invalid value: "": either `defaultBackend` or `rules` must be specified',
      },
    ]);
    const old = parse(
      'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: o}\n',
    );
    expect(old.diagnostics).toMatchObject([{ code: 'PW1004', line: 1 }]);
  });
});
