import { bench, describe } from 'vitest';
import type { World } from '../../kernel/world';
import { trace } from '../../sim/trace';
import type { FlowSpec } from '../../sim/trace-types';
import { buildWorld } from '../world';
import { kubeProxyRuleset } from './iptables';
import { kubeProxyIpvs } from './ipvs';
import { scaleCluster, svcName } from './testing';

// Issue #4's figures: 10,000 Services × 10 endpoints; the first packet of a new connection to
// the last Service (whose KUBE-SERVICES rule is the last one walked in iptables mode). See
// docs/PERFORMANCE.md. Worlds are built once per N, outside the measured functions.

const N = 10_000;
const big = scaleCluster(N, 'iptables');
const input = {
  node: big.nodes[0]!,
  services: big.services!,
  slices: big.endpointSlices!,
  config: big.kubeProxy!,
};
const ipvsInput = { ...input, config: { ...input.config, mode: 'ipvs' as const } };

const toLast = (n: number): FlowSpec => ({
  from: { kind: 'pod', namespace: 'default', name: 'client' },
  to: { kind: 'svc', namespace: 'default', name: svcName(n - 1), port: 80 },
  proto: 'tcp',
  port: 80,
});

const worlds = new Map<string, World>();
const world = (n: number, mode: 'iptables' | 'ipvs') => {
  const key = `${mode}/${n}`;
  let w = worlds.get(key);
  if (!w) {
    w = buildWorld(scaleCluster(n, mode));
    worlds.set(key, w);
  }
  return w;
};
let seed = 0;

describe(`kube-proxy ruleset generation, ${N} Services × 10 endpoints`, () => {
  bench('iptables mode: the ruleset', () => void kubeProxyRuleset(input), {
    iterations: 5,
    time: 0,
  });
  bench(
    'iptables mode: the ruleset and its iptables-save text',
    () => {
      kubeProxyRuleset(input).save();
    },
    { iterations: 5, time: 0 },
  );
  bench(
    'IPVS mode: ipsets, virtual servers and iptables rules',
    () => void kubeProxyIpvs(ipvsInput),
    {
      iterations: 5,
      time: 0,
    },
  );
});

describe('first packet to the last Service (a new connection; the world is built beforehand)', () => {
  for (const mode of ['iptables', 'ipvs'] as const)
    for (const n of [100, 1_000, N])
      bench(`${mode}, ${n} Services`, () => void trace(world(n, mode), toLast(n), ++seed), {
        iterations: 30,
        time: 0,
        setup: () => void world(n, mode),
      });
});
