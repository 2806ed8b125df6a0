import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse';

const HEAD = `apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: t
spec:
  namespaces:
`;

function diags(body: string) {
  const parsed = parseManifests([{ name: 'lab.yaml', text: HEAD + body }]);
  return parsed.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);
}

describe('kind: Lab', () => {
  it('reports bad addresses, names, peers and masters on their lines', () => {
    const out = diags(`    - name: a
      interfaces:
        - name: this-name-is-too-long
        - name: eth0
          addresses: [10.0.0.300/24]
          peer: nowhere/eth0
        - name: veth1
          master: br0
      routes:
        - to: 10.0.0.0/33
          via: 10.0.0.254
        - to: 10.1.0.0/16
`);
    expect(out).toEqual([
      expect.stringMatching(/^9:17 PW1060 .*name: Invalid value: "this-name-is-too-long"/),
      expect.stringMatching(
        /^11:23 PW1012 .*"10.0.0.300\/24": must be an address with a prefix length/,
      ),
      expect.stringMatching(/^16:15 PW1012 .*to: Invalid value: "10.0.0.0\/33"/),
      expect.stringMatching(/^18:11 PW1061 .*a route needs a gateway \(via\) or a device \(dev\)/),
      expect.stringMatching(/^10:11 PW1063 peer nowhere\/eth0: no namespace "nowhere"/),
      expect.stringMatching(/^13:11 PW1063 master "br0": no bridge with that name in namespace a/),
    ]);
  });

  it('accepts sysctls written as numbers and rejects ones it does not model', () => {
    expect(
      diags(`    - name: a
      sysctls:
        net.ipv4.ip_forward: 1
        net.ipv4.tcp_syncookies: 1
`),
    ).toEqual([expect.stringMatching(/^10:9 PW1062 .*net.ipv4.tcp_syncookies/)]);
  });
});
