import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTraceText, parseEndpoint, trace, type FlowSpec } from '../../engine';
import { expectGolden } from '../../engine/sim/testing/golden';
import { PRESETS } from '../index';
import { simulate } from '../simulate';

const here = path.dirname(fileURLToPath(import.meta.url));
const sim = (id: string) => simulate(PRESETS.find((p) => p.id === id)!.files);

function get(to: string): FlowSpec {
  const parsed = parseEndpoint(to);
  if (!parsed.ok) throw new Error(parsed.error);
  return { from: { kind: 'ext', name: 'laptop' }, to: parsed.endpoint, proto: 'tcp' };
}

describe('ingress presets: the laptop → NodePort → ingress-nginx → a backend pod', () => {
  it.each([
    [
      'hosts',
      'ingress-hosts',
      'http://baz.foo.com:32556/foo/x',
      200,
      '*.foo.com',
      'default/service2:80',
      '/foo/x',
    ],
    [
      'fanout',
      'ingress-fanout',
      'http://foo.bar.com:32556/bar',
      200,
      'foo.bar.com',
      'default/service2:8080',
      '/bar',
    ],
    [
      'rewrite',
      'ingress-fanout',
      'http://rewrite.bar.com:32556/something/new',
      200,
      'rewrite.bar.com',
      'default/http-svc:80',
      '/new',
    ],
    [
      'app-root',
      'ingress-fanout',
      'http://approot.bar.com:32556/',
      302,
      'approot.bar.com',
      null,
      undefined,
    ],
    [
      'no-match',
      'ingress-hosts',
      'http://foo.bar.com:32556/nothing',
      404,
      'foo.bar.com',
      null,
      undefined,
    ],
  ] as const)('%s: %s %s', (name, preset, url, status, server, backend, upstreamPath) => {
    const s = sim(preset);
    expect(s.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const t = trace(s.world!, get(url), 1);
    expect(t.outcome).toBe('delivered');
    expect(t.http?.resolved).toEqual({ ip: '192.168.56.11', how: 'hosts' });
    expect(t.http?.response?.status).toBe(status);
    expect(t.http?.ingress?.server).toBe(server);
    expect(t.http?.ingress?.backend).toBe(backend);
    expect(t.http?.ingress?.upstreamPath).toBe(upstreamPath);
    // The NodePort is DNATed to the controller pod by kube-proxy's rules.
    expect(
      t.events.some(
        (e) => e.kind === 'nat' && e.type === 'DNAT' && e.before === '192.168.56.11:32556',
      ),
    ).toBe(true);
    expect(t.delivered?.ns).toMatch(/^ingress-nginx\/ingress-nginx-controller-/);
    if (backend) {
      // The upstream connection goes from the controller pod straight to a pod IP: no ClusterIP DNAT.
      const upstream = t.events.find(
        (e) => e.kind === 'send' && e.process === 'nginx' && e.dir === 'request',
      );
      expect(upstream?.packet?.ip.dst).toBe(t.http?.ingress?.upstream?.split(':')[0]);
      expect(upstream?.packet?.http?.path).toBe(upstreamPath);
    } else {
      expect(
        t.events.some((e) => e.kind === 'send' && e.process === 'nginx' && e.dir === 'request'),
      ).toBe(false);
    }
    expectGolden(here, `ingress.${name}.trace.txt`, formatTraceText(t));
  });

  it('the app-root redirect carries the Location header', () => {
    const t = trace(sim('ingress-fanout').world!, get('http://approot.bar.com:32556/'), 1);
    expect(t.http?.response).toMatchObject({
      status: 302,
      location: 'http://approot.bar.com:32556/app1',
    });
  });

  it('the same flow and seed give the same trace', () => {
    const f = get('http://foo.bar.com:32556/foo');
    const a = formatTraceText(trace(sim('ingress-fanout').world!, f, 7));
    expect(formatTraceText(trace(sim('ingress-fanout').world!, f, 7))).toBe(a);
  });

  it('a host nobody resolves is a flow error naming --resolve', () => {
    expect(() => trace(sim('ingress-hosts').world!, get('http://nope.example/'), 1)).toThrow(
      /--resolve nope.example:IP/,
    );
    const pinned = {
      ...get('http://nope.example:32556/bar'),
      resolve: { 'nope.example': '192.168.56.12' },
    };
    const t = trace(sim('ingress-hosts').world!, pinned, 1);
    expect(t.http?.resolved).toEqual({ ip: '192.168.56.12', how: 'resolve' });
    // No server_name matches: the default server answers 404.
    expect(t.http?.ingress?.server).toBe('_');
    expect(t.http?.response?.status).toBe(404);
  });
});
