import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowSpec, World } from '../engine';
import { runFlow, stepsBothWays, type FlowRun } from '../engine/sim/testing/diff';
import { labFromWorld } from '../engine/sim/testing/from-world';
import { kernelUnavailable, KernelLab } from '../engine/sim/testing/kernel';
import { PRESETS } from './index';
import { simulate } from './simulate';

// The cloud load balancer's world (preset cloud-loadbalancer) built in real namespaces: the
// laptop, the balancer and both nodes on one switch, the balancer's ruleset loaded with the
// real iptables-restore. externalTrafficPolicy Local and one pod, so the balancer has one
// target and the kernel's statistic match cannot pick another node than the engine.

const unavailable = kernelUnavailable();
if (unavailable)
  console.log(`cloud load balancer kernel differential tests skipped: ${unavailable}`);

const YAML = PRESETS.find((p) => p.id === 'cloud-loadbalancer')!
  .files[0]!.text.replace('replicas: 3', 'replicas: 1')
  .replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n');

const world = (): World => {
  const s = simulate([{ name: 'cloud-lb.yaml', text: YAML }]);
  if (!s.world) throw new Error(s.diagnostics.map((d) => d.message).join('; '));
  return s.world;
};

const FLOW: FlowSpec = {
  from: { kind: 'ext', name: 'laptop' },
  to: { kind: 'ip', ip: '192.168.56.241', port: 80 },
  proto: 'tcp',
  port: 80,
};

describe.skipIf(unavailable !== null)('cloud load balancer → NodePort → pod in the kernel', () => {
  const lab = labFromWorld(world(), [FLOW]);
  const kernel = new KernelLab(lab, `pwlb${process.pid % 100000}`);
  let run: FlowRun;
  beforeAll(async () => {
    kernel.build();
    await kernel.settle();
    run = await runFlow(kernel, 0, lab, world);
  }, 60_000);
  afterAll(() => kernel.destroy());

  it("the kernel prints the balancer's ruleset back exactly as the engine wrote it", () => {
    const saved = kernel.exec('cloud-lb', 'iptables-save').split('\n');
    const mine = lab.namespaces.find((n) => n.name === 'cloud-lb')!.iptables!.split('\n');
    for (const line of mine.filter((l) => l.startsWith('-A '))) expect(saved).toContain(line);
  });

  it('the pod sees the same addresses: the balancer, not the laptop (SNAT mode)', () => {
    expect(run.kernelSeen).not.toBeNull();
    expect(run.engineSeen).toBe(run.kernelSeen);
    expect(run.engineSeen!.startsWith('192.168.56.2 ')).toBe(true);
  });

  it('the balancer, the node and the pod pass the same rules and policies, both ways', () => {
    const crossed = [...new Set(run.engine.events.map((e) => e.ns))];
    expect(crossed).toContain('cloud-lb');
    const both = stepsBothWays(run);
    expect(both.engine).toEqual(both.kernel);
    expect(both.compared).toBeGreaterThan(10);
  });

  it('the balancer routes and addresses as the engine says (ip route, ip -br addr)', () => {
    const routes = kernel.exec('cloud-lb', 'ip', 'route', 'show');
    expect(routes).toContain('default via 192.168.56.1 dev eth0');
    const addrs = kernel.exec('cloud-lb', 'ip', '-br', 'addr', 'show', 'dev', 'eth0');
    expect(addrs).toContain('192.168.56.2/24');
    expect(addrs).toContain('192.168.56.241/32');
  });
});
