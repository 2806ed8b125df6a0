import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteUri, routeRequest, selectLocation, selectServer } from './ingress-match';
import type { IngressLocationModel, IngressModel, IngressServerModel } from './model';

const backend = (service: string) => ({
  service: `default/${service}`,
  port: 80,
  endpoints: ['10.244.0.9:80'],
});
function loc(
  path: string,
  pathType: IngressLocationModel['pathType'],
  svc: string | null,
  extra: Partial<IngressLocationModel> = {},
): IngressLocationModel {
  return {
    path,
    pathType,
    ingress: svc ? 'default/ing' : null,
    backend: svc ? backend(svc) : null,
    sslRedirect: true,
    proxyBodySize: '1m',
    ...extra,
  };
}
function server(
  name: string,
  locations: IngressLocationModel[],
  extra: Partial<IngressServerModel> = {},
): IngressServerModel {
  const all = locations.some((l) => l.path === '/' && l.pathType !== 'Exact')
    ? locations
    : [...locations, loc('/', 'default', null)];
  return {
    name,
    tls: null,
    regex: false,
    locations: [...all].sort((a, b) => b.path.length - a.path.length),
    ...extra,
  };
}
const model = (servers: IngressServerModel[]): IngressModel => ({
  deployment: 'ingress-nginx/ingress-nginx-controller',
  service: 'ingress-nginx/ingress-nginx-controller',
  pods: [],
  className: 'nginx',
  controllerClass: 'k8s.io/ingress-nginx',
  ingresses: ['default/ing'],
  servers: [...servers, server('_', [])],
});
const get = (m: IngressModel, host: string, uri: string, scheme: 'http' | 'https' = 'http') =>
  routeRequest(m, { scheme, host, hostHeader: host, uri });

describe('ingress-nginx server selection: exact host, then the longest wildcard, then _', () => {
  const servers = [
    server('foo.bar.com', []),
    server('*.bar.com', []),
    server('*.x.bar.com', []),
    server('_', []),
  ];
  it.each([
    ['foo.bar.com', 'foo.bar.com'],
    ['FOO.bar.com', 'foo.bar.com'],
    ['baz.bar.com', '*.bar.com'],
    ['a.x.bar.com', '*.x.bar.com'],
    ['a.b.bar.com', '_'], // a wildcard covers exactly one DNS label
    ['bar.com', '_'],
    ['other.example', '_'],
  ])('%s → %s', (host, want) => {
    expect(selectServer(servers, host)?.name).toBe(want);
  });
});

describe('ingress-nginx location selection', () => {
  const s = server('h', [
    loc('/foo', 'Prefix', 'prefix-foo'),
    loc('/foo/bar', 'Exact', 'exact-foo-bar'),
    loc('/foo/bar', 'Prefix', 'prefix-foo-bar'),
    loc('/img', 'ImplementationSpecific', 'is-img'),
    loc('/', 'Prefix', 'root'),
  ]);
  it.each([
    ['/foo', 'prefix-foo', '= /foo'],
    ['/foo/', 'prefix-foo', '/foo/'],
    ['/foo/x', 'prefix-foo', '/foo/'],
    ['/foobar', 'root', '/'],
    ['/foo/bar', 'exact-foo-bar', '= /foo/bar'], // Exact before Prefix
    ['/foo/bar/baz', 'prefix-foo-bar', '/foo/bar/'], // the longest prefix
    ['/imgs', 'is-img', '/img'], // ImplementationSpecific is a plain nginx prefix
    ['/', 'root', '/'],
  ])('%s → %s (%s)', (path, want, nginx) => {
    const r = selectLocation(s, path);
    expect(r?.location.backend?.service).toBe(`default/${want}`);
    expect(r?.nginx).toBe(nginx);
  });

  it('in a regex server every path is ~* "^PATH", tried longest first, case-insensitive', () => {
    const r = server(
      'h',
      [loc('/api/v[0-9]+', 'ImplementationSpecific', 'versioned'), loc('/api', 'Prefix', 'api')],
      { regex: true },
    );
    expect(selectLocation(r, '/API/v2/users')?.location.backend?.service).toBe('default/versioned');
    expect(selectLocation(r, '/apix')?.location.backend?.service).toBe('default/api');
    expect(selectLocation(r, '/apix')?.nginx).toBe('~* "^/api"');
  });
});

describe('rewrite-target', () => {
  it.each([
    ['/something(/|$)(.*)', '/$2', '/something', '/'],
    ['/something(/|$)(.*)', '/$2', '/something/', '/'],
    ['/something(/|$)(.*)', '/$2', '/something/new', '/new'],
    ['/foo', '/', '/foo/bar', '/'], // no capture: the whole URI becomes the target
  ])('%s → %s: %s becomes %s', (path, target, uri, want) => {
    expect(rewriteUri(path, target, uri)).toBe(want);
  });

  it('keeps the query string and says what went upstream', () => {
    const m = model([
      server(
        'rewrite.bar.com',
        [
          loc('/something(/|$)(.*)', 'ImplementationSpecific', 'http-svc', {
            rewriteTarget: '/$2',
          }),
        ],
        { regex: true },
      ),
    ]);
    expect(get(m, 'rewrite.bar.com', '/something/new?a=1')).toMatchObject({
      kind: 'proxy',
      upstreamUri: '/new?a=1',
    });
  });
});

describe('redirects and the default backend', () => {
  const m = model([
    server('approot.bar.com', [loc('/', 'Prefix', 'http-svc')], { appRoot: '/app1' }),
    server('secure.bar.com', [loc('/', 'Prefix', 'web')], { tls: { secretName: 'tls-secret' } }),
    server('plain.bar.com', [loc('/', 'Prefix', 'web', { sslRedirect: false })], {
      tls: { secretName: null },
    }),
  ]);
  it.each([
    ['approot.bar.com', '/', 'http', 'redirect', 302, 'http://approot.bar.com/app1'],
    ['approot.bar.com', '/x', 'http', 'proxy', undefined, undefined],
    ['secure.bar.com', '/a?b', 'http', 'redirect', 308, 'https://secure.bar.com/a?b'],
    ['secure.bar.com', '/a', 'https', 'proxy', undefined, undefined],
    ['plain.bar.com', '/a', 'http', 'proxy', undefined, undefined],
    ['nobody.example', '/a', 'http', 'default', 404, undefined],
  ] as const)('%s %s over %s → %s', (host, uri, scheme, kind, status, to) => {
    const d = get(m, host, uri, scheme);
    expect(d.kind).toBe(kind);
    if (status !== undefined) expect(d).toMatchObject({ status });
    if (to !== undefined) expect(d).toMatchObject({ to });
  });
});

describe('Prefix and Exact paths, for any path element', () => {
  const segment = fc.stringMatching(/^[a-z0-9]{1,6}$/);
  it('Prefix /p matches /p, /p/ and /p/..., never /pX; Exact only /p itself', () => {
    fc.assert(
      fc.property(segment, segment, fc.array(segment, { maxLength: 3 }), (p, extra, rest) => {
        const prefix = server('h', [loc(`/${p}`, 'Prefix', 'prefix')]);
        const exact = server('h', [loc(`/${p}`, 'Exact', 'exact')]);
        const hit = (s: IngressServerModel, path: string) =>
          selectLocation(s, path)?.location.backend !== null;
        const tail = rest.map((r) => `/${r}`).join('');
        expect(hit(prefix, `/${p}`)).toBe(true);
        expect(hit(prefix, `/${p}/`)).toBe(true);
        expect(hit(prefix, `/${p}/${extra}${tail}`)).toBe(true);
        expect(hit(prefix, `/${p}${extra}${tail}`)).toBe(false);
        expect(hit(exact, `/${p}`)).toBe(true);
        expect(hit(exact, `/${p}/`)).toBe(false);
        expect(hit(exact, `/${p}/${extra}`)).toBe(false);
        expect(hit(exact, `/${p}${extra}`)).toBe(false);
      }),
    );
  });
});
