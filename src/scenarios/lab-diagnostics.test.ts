import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';

describe('a Lab with a bad iptables ruleset', () => {
  it('reports iptables-restore errors on the manifest line of the bad rule and stops', () => {
    const sim = simulate([
      {
        name: 'lab.yaml',
        text: `apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: t
spec:
  namespaces:
    - name: a
      iptables: |
        *filter
        :INPUT ACCEPT [0:0]
        -A INPUT --frobnicate -j ACCEPT
        COMMIT
`,
      },
    ]);
    expect(sim.diagnostics.map((d) => [d.file, d.line, d.code, d.severity])).toEqual([
      ['lab.yaml', 11, 'PW3006', 'error'],
    ]);
    expect(sim.world).toBeNull();
  });
});
