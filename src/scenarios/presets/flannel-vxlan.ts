import type { Preset } from '../preset';

// flannel's VXLAN backend reduced to what flanneld programs on two hosts; the same lab is
// engine/kube/labs.ts flannelVxlan(), built for real by the kernel differential tests.
const YAML = `# Two hosts on one LAN, each with flannel.1 (VXLAN, VNI 1, UDP 8472, no learning).
# For the other host's subnet flanneld adds an onlink route, a permanent neighbour entry
# for the other VTEP's MAC, and an FDB entry sending that MAC to the other host's eth0.
apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: flannel-vxlan
spec:
  namespaces:
    - name: host-a
      interfaces:
        - name: eth0
          peer: host-b/eth0
          addresses: [192.168.56.11/24]
        - name: flannel.1
          type: vxlan
          addresses: [10.244.0.0/32]
          mac: 0a:58:0a:f4:00:00
          vxlan: { vni: 1, dstport: 8472, local: 192.168.56.11, dev: eth0, learning: false }
          fdb:
            - { mac: 0a:58:0a:f4:01:00, dst: 192.168.56.12 }
      routes:
        - { to: 10.244.1.0/24, via: 10.244.1.0, dev: flannel.1, onlink: true }
      neighbours:
        - { ip: 10.244.1.0, mac: 0a:58:0a:f4:01:00, dev: flannel.1 }
    - name: host-b
      interfaces:
        - name: eth0
          addresses: [192.168.56.12/24]
        - name: flannel.1
          type: vxlan
          addresses: [10.244.1.0/32]
          mac: 0a:58:0a:f4:01:00
          vxlan: { vni: 1, dstport: 8472, local: 192.168.56.12, dev: eth0, learning: false }
          fdb:
            - { mac: 0a:58:0a:f4:00:00, dst: 192.168.56.11 }
      routes:
        - { to: 10.244.0.0/24, via: 10.244.0.0, dev: flannel.1, onlink: true }
      neighbours:
        - { ip: 10.244.0.0, mac: 0a:58:0a:f4:00:00, dev: flannel.1 }
  flows:
    - { from: "node:host-a", to: "ip:10.244.1.0", proto: icmp }
`;

export const flannelVxlan: Preset = {
  id: 'flannel-vxlan',
  titleKey: 'scenario.flannelVxlan',
  files: [{ name: 'lab.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
