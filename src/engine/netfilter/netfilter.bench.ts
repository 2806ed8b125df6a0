import { bench, describe } from 'vitest';
import { INDEX } from './match';
import { restore } from './restore';
import { createNetfilterState } from './state';
import { at, box, kubeServicesRuleset, tcp } from './testing';

const N = 50_000;
const text = kubeServicesRuleset(N);
/** Only the 50,000-rule chain (issue #3's figure), each rule ending in -j ACCEPT. */
const chainOnly = kubeServicesRuleset(N, { endpoints: false });
const b = box(text);
let port = 1024;
/** A new connection each time (so nat is walked), to the service of the chain's last rule. */
const last = () =>
  tcp(
    '10.244.0.2',
    (port = port === 65535 ? 1024 : port + 1),
    `10.96.${((N - 1) >> 8) & 255}.${(N - 1) & 255}`,
    80 + ((N - 1) % 7),
  );
/** A new connection to an address no rule names: the whole chain is walked. */
const miss = () => tcp('10.244.0.2', (port = port === 65535 ? 1024 : port + 1), '10.97.0.1', 80);

describe(`kube-proxy-like KUBE-SERVICES chain of ${N} rules`, () => {
  bench(
    'build the 50,000-rule chain from iptables-save text',
    () => {
      restore(createNetfilterState(), chainOnly, 'bench.rules');
    },
    { iterations: 5, time: 0 },
  );
  bench(
    'build the chain with its 50,000 service chains and DNAT rules (100,000 rules)',
    () => {
      restore(createNetfilterState(), text, 'bench.rules');
    },
    { iterations: 5, time: 0 },
  );

  bench('first packet to the last service (indexed walk)', () => {
    at(b, 'PREROUTING', last(), { inDev: 'eth0' });
  });
  bench('first packet matching no rule (indexed walk)', () => {
    at(b, 'PREROUTING', miss(), { inDev: 'eth0' });
  });
  bench('first packet to the last service (rule by rule, no index)', () => {
    INDEX.min = Infinity;
    at(b, 'PREROUTING', last(), { inDev: 'eth0' });
    INDEX.min = 32;
  });
});
