import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEndpoint } from './endpoint-syntax';
import { endpointLabel } from './format-text';
import type { EndpointSpec } from './trace-types';

describe('parseEndpoint', () => {
  it('reads every form of DESIGN.md §4', () => {
    expect(parseEndpoint('pod:web-1')).toMatchObject({
      ok: true,
      endpoint: { kind: 'pod', namespace: 'default', name: 'web-1' },
    });
    expect(parseEndpoint('pod:kube-system/coredns-x:53')).toMatchObject({
      endpoint: { kind: 'pod', namespace: 'kube-system', name: 'coredns-x' },
      port: 53,
    });
    expect(parseEndpoint('svc:api:80')).toMatchObject({
      endpoint: { kind: 'svc', namespace: 'default', name: 'api', port: 80 },
    });
    expect(parseEndpoint('ip:10.96.0.10:53')).toMatchObject({
      endpoint: { kind: 'ip', ip: '10.96.0.10', port: 53 },
    });
    expect(parseEndpoint('node:node-1')).toMatchObject({
      endpoint: { kind: 'node', name: 'node-1' },
    });
    expect(parseEndpoint('ext:laptop')).toMatchObject({
      endpoint: { kind: 'ext', name: 'laptop' },
    });
    expect(parseEndpoint('http://web.default.svc:8080/x')).toMatchObject({
      port: 8080,
      url: { host: 'web.default.svc', path: '/x' },
      endpoint: { kind: 'url', scheme: 'http', host: 'web.default.svc', port: 8080, path: '/x' },
    });
    expect(parseEndpoint('https://10.0.0.1')).toEqual({
      ok: true,
      port: 443,
      url: { host: '10.0.0.1', path: '/' },
      endpoint: { kind: 'url', scheme: 'https', host: '10.0.0.1', path: '/' },
    });
    expect(parseEndpoint('http://Foo.bar.com?q=1')).toMatchObject({
      endpoint: { kind: 'url', host: 'foo.bar.com', path: '/?q=1' },
    });
    expect(parseEndpoint('http://bad_host/')).toMatchObject({ ok: false });
  });

  it('explains what is wrong', () => {
    expect(parseEndpoint('svc:api')).toEqual({
      ok: false,
      error: '"svc:api" is not svc:NAME:PORT or svc:NS/NAME:PORT',
    });
    expect(parseEndpoint('ip:10.0.0.300')).toMatchObject({ ok: false });
    expect(parseEndpoint('pod:web:70000')).toEqual({
      ok: false,
      error: '"70000" is not a port (1-65535)',
    });
    expect(parseEndpoint('web-1')).toMatchObject({ ok: false });
    expect(parseEndpoint('pod:Web_1')).toMatchObject({ ok: false });
  });

  it('parses back what endpointLabel prints', () => {
    const name = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
    const port = fc.integer({ min: 1, max: 65535 });
    const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
    const endpoint: fc.Arbitrary<EndpointSpec> = fc.oneof(
      fc.record({ kind: fc.constant('pod' as const), namespace: name, name }),
      fc.record({ kind: fc.constant('node' as const), name }),
      fc.record({ kind: fc.constant('svc' as const), namespace: name, name, port }),
      fc.record({ kind: fc.constant('ip' as const), ip }),
      fc.record({ kind: fc.constant('ip' as const), ip, port }),
      fc.record({ kind: fc.constant('ext' as const), name }),
    );
    fc.assert(
      fc.property(endpoint, (e) => {
        const parsed = parseEndpoint(endpointLabel(e));
        expect(parsed).toMatchObject({ ok: true, endpoint: e });
      }),
    );
  });
});
