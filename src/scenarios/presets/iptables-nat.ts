import type { Preset } from '../preset';

// Syllabus: a hand-written iptables ruleset (engine/kube/labs.ts iptablesNatLab(), also run
// against the real kernel by the differential tests).
const YAML = `# A client, a router and a server on two subnets; the router's ruleset is written by hand
# as iptables-save text and loaded with iptables-restore. Port 80 on the router's client-side
# address is forwarded to the server's 8080 (DNAT in PREROUTING for passing traffic, in OUTPUT
# for the router's own); traffic to the server is SNATed to the router; telnet (23) is
# REJECTed and SMTP (25) DROPped in the user chain GUARD, which otherwise RETURNs.
apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: iptables-nat
spec:
  namespaces:
    - name: client
      interfaces:
        - name: eth0
          peer: router/eth0
          addresses: [10.0.1.2/24]
      routes:
        - { to: default, via: 10.0.1.1, dev: eth0 }
    - name: router
      sysctls:
        net.ipv4.ip_forward: 1
      interfaces:
        - name: eth0
          addresses: [10.0.1.1/24]
        - name: eth1
          peer: server/eth0
          addresses: [10.0.2.1/24]
      iptables: |
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A PREROUTING -d 10.0.1.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8080
        -A OUTPUT -d 10.0.1.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.2:8080
        -A POSTROUTING -s 10.0.1.0/24 -o eth1 -j SNAT --to-source 10.0.2.1
        COMMIT
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :GUARD - [0:0]
        -A FORWARD -j GUARD
        -A FORWARD -p tcp -m tcp --dport 23 -j REJECT --reject-with icmp-port-unreachable
        -A GUARD -p tcp -m tcp --dport 25 -j DROP
        -A GUARD -j RETURN
        COMMIT
    - name: server
      interfaces:
        - name: eth0
          addresses: [10.0.2.2/24]
      routes:
        - { to: default, via: 10.0.2.1, dev: eth0 }
      listeners:
        - { proto: tcp, port: 8080, process: app }
  flows:
    - { from: "node:client", to: "ip:10.0.1.1", proto: tcp, port: 80 }
    - { from: "node:router", to: "ip:10.0.1.1", proto: tcp, port: 80 }
    - { from: "node:client", to: "ip:10.0.2.2", proto: tcp, port: 23 }
    - { from: "node:client", to: "ip:10.0.2.2", proto: tcp, port: 25 }
`;

export const iptablesNat: Preset = {
  id: 'iptables-nat',
  titleKey: 'scenario.iptablesNat',
  files: [{ name: 'lab.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
