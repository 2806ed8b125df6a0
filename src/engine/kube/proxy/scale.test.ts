import { describe, expect, it } from 'vitest';
import { trace } from '../../sim/trace';
import type { FlowSpec } from '../../sim/trace-types';
import { buildWorld } from '../world';
import { rulesEvaluated, scaleCluster, svcName } from './testing';

const toLast = (n: number): FlowSpec => ({
  from: { kind: 'pod', namespace: 'default', name: 'client' },
  to: { kind: 'svc', namespace: 'default', name: svcName(n - 1), port: 80 },
  proto: 'tcp',
  port: 80,
});
const firstPacket = (n: number, mode: 'iptables' | 'ipvs') => {
  const t = trace(buildWorld(scaleCluster(n, mode)), toLast(n), 1);
  expect(t.outcome).toBe('delivered');
  return rulesEvaluated(t);
};

describe('rules evaluated by the first packet to the last Service', () => {
  it('iptables mode walks KUBE-SERVICES: one more rule per Service', () => {
    const [a, b] = [firstPacket(50, 'iptables'), firstPacket(150, 'iptables')];
    expect(b - a).toBe(100);
  });
  it('IPVS mode does not grow with the number of Services (ipset and IPVS lookups)', () => {
    expect(firstPacket(50, 'ipvs')).toBe(firstPacket(150, 'ipvs'));
  });
});
