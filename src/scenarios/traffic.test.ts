import { describe, expect, it } from 'vitest';
import { buildWorld, traffic, type FlowSpec } from '../engine';
import { PRESETS } from './index';
import { simulate } from './simulate';

function presetWorld(id: string) {
  const p = PRESETS.find((x) => x.id === id)!;
  const sim = simulate(p.files);
  return { sim, fresh: () => buildWorld(sim.model!) };
}

describe('traffic: many real connections', () => {
  it('iptables statistic spreads 300 connections over the three nginx endpoints', () => {
    const { sim, fresh } = presetWorld('nginx-deploy-clusterip');
    const flow = sim.flows.find((f) => f.flow.to.kind === 'svc')!.flow;
    const r = traffic(fresh(), flow, { connections: 300, seed: 1 });
    expect(r.connections).toHaveLength(300);
    expect(r.histogram).toHaveLength(3);
    for (const bin of r.histogram) {
      // Each endpoint has a 1/3 chance per connection: 100 ± 5 standard deviations (8.2).
      expect(bin.count).toBeGreaterThan(60);
      expect(bin.count).toBeLessThan(140);
      expect(bin.backend).toMatch(/^10\.244\.\d+\.\d+:80$/);
    }
    // What the rules promise: kube-proxy's 0.33333333349 then 0.5 then the rest, a third each.
    expect(r.expected?.chain).toMatch(/^KUBE-SVC-/);
    expect(r.expected?.backends.map((b) => b.share.toFixed(3))).toEqual([
      '0.333',
      '0.333',
      '0.333',
    ]);
    expect(new Set(r.expected?.backends.map((b) => b.backend))).toEqual(
      new Set(r.histogram.map((b) => b.backend)),
    );
    // The same seed, the same histogram.
    expect(traffic(fresh(), flow, { connections: 300, seed: 1 }).histogram).toEqual(r.histogram);
  });

  it('session affinity (ClientIP) sends every connection of one client to one endpoint', () => {
    const { sim, fresh } = presetWorld('redis-session-affinity');
    const choice = sim.flows.find((f) => f.flow.to.kind === 'svc' && f.flow.to.name === 'redis-sa');
    expect(choice).toBeDefined();
    const r = traffic(fresh(), choice!.flow as FlowSpec, { connections: 50, seed: 3 });
    expect(r.histogram).toHaveLength(1);
    expect(r.histogram[0]!.count).toBe(50);
    expect(r.expected?.affinity).toBe(true);
  });
});
