import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESET, PRESETS } from '../scenarios';
import { createHandler, RequestError } from './handler';

const files = DEFAULT_PRESET.files.map((f) => ({ ...f }));

describe('worker handler', () => {
  it('serves the presets with a default flow that exists after simulating', () => {
    const h = createHandler();
    const [preset] = h.handle({ type: 'presets' });
    expect(preset).toMatchObject({ id: 'two-pods-one-node' });
    const sim = h.handle({ type: 'simulate', files }) as {
      flows: { id: string }[];
      nodes: string[];
    };
    expect(sim.nodes).toEqual(['node-1']);
    expect(sim.flows.map((f) => f.id)).toContain(preset!.defaultFlow);
  });

  it('gives every preset a default flow the page can trace: suggested, or parsed from its text', () => {
    const h = createHandler();
    for (const preset of h.handle({ type: 'presets' })) {
      const sim = h.handle({ type: 'simulate', files: preset.files });
      expect(preset.defaultFlow, preset.id).not.toBe('');
      if (sim.flows.some((f) => f.id === preset.defaultFlow)) continue;
      const [, from, to, proto] = /^(\S+) → (\S+) (tcp|udp|icmp)$/.exec(preset.defaultFlow)!;
      const choice = h.handle({
        type: 'parse-flow',
        from: from!,
        to: to!,
        proto: proto as 'tcp' | 'udp' | 'icmp',
      });
      expect(choice.id, preset.id).toBe(preset.defaultFlow);
    }
    expect(PRESETS.length).toBeGreaterThan(10);
  });

  it('gives the same trace for the same flow and seed however often it runs', () => {
    const h = createHandler();
    const sim = h.handle({ type: 'simulate', files });
    const flow = sim.flows[0]!.flow;
    const a = JSON.stringify(h.handle({ type: 'trace', flow, seed: 7 }));
    const b = JSON.stringify(h.handle({ type: 'trace', flow, seed: 7 }));
    expect(a).toBe(b);
    // ...and dump shows the tables as the flow left them: the conntrack entry is there.
    const ct = h.handle({ type: 'dump', node: 'node-1', what: 'conntrack' });
    expect(ct.what).toBe('conntrack');
  });

  it('keeps the last good cluster when the manifests stop parsing', () => {
    const h = createHandler();
    h.handle({ type: 'simulate', files });
    const bad = h.handle({ type: 'simulate', files: [{ name: 'x.yaml', text: 'kind: [' }] });
    expect(bad.topology).toBeNull();
    expect(bad.diagnostics[0]!.line).toBeGreaterThan(0);
    expect(h.handle({ type: 'dump', node: 'node-1', what: 'routes' })).toMatchObject({
      text: expect.stringContaining('cni0'),
    });
  });

  it('answers bad requests with a RequestError, not a crash', () => {
    const h = createHandler();
    expect(() => h.handle({ type: 'dump', node: 'node-1', what: 'routes' })).toThrow(RequestError);
    h.handle({ type: 'simulate', files });
    expect(() => h.handle({ type: 'dump', node: 'nope', what: 'routes' })).toThrow(RequestError);
    expect(() =>
      h.handle({
        type: 'trace',
        flow: {
          from: { kind: 'pod', namespace: 'default', name: 'x' },
          to: { kind: 'node', name: 'node-1' },
          proto: 'tcp',
        },
        seed: 1,
      }),
    ).toThrow(RequestError);
    expect(() => h.handle({ type: 'debug-crash' })).toThrow(Error);
    expect(() => h.handle({ type: 'debug-crash' })).not.toThrow(RequestError);
  });
});

describe('pipeline', () => {
  it('lists the hooks in kernel order with the tables at their priorities', () => {
    const h = createHandler();
    const preset = PRESETS.find((p) => p.id === 'nginx-deploy-clusterip')!;
    const sim = h.handle({ type: 'simulate', files: preset.files });
    h.handle({ type: 'trace', flow: sim.flows[0]!.flow, seed: 1 });
    const view = h.handle({ type: 'pipeline', ns: 'node-1' });
    expect(view.hooks.map((x) => x.hook)).toEqual([
      'PREROUTING',
      'INPUT',
      'FORWARD',
      'OUTPUT',
      'POSTROUTING',
    ]);
    const pre = view.hooks[0]!.stages.map((s) => s.table ?? s.kind);
    // raw -300, conntrack -200, mangle -150, nat (DNAT) -100 — kube-proxy's tables on a node.
    expect(pre.indexOf('conntrack')).toBeLessThan(pre.indexOf('nat'));
    expect(pre.indexOf('mangle')).toBeLessThan(pre.indexOf('nat'));
    const post = view.hooks[4]!.stages.map((s) => s.table ?? s.kind);
    expect(post.at(-1)).toBe('confirm');
    const nat = view.tables.find((t) => t.name === 'nat')!;
    expect(nat.chains.map((c) => c.name)).toContain('KUBE-SERVICES');
    expect(() => h.handle({ type: 'pipeline', ns: 'nowhere' })).toThrow(/no namespace/);
  });
});
