import type { Preset } from '../preset';

// Seed 000 §4.2, flannel's UDP backend: flannel0 is a TUN device read by flanneld, which
// carries each packet in UDP 8285 to the node that owns the destination's subnet. The same
// lab is engine/kube/labs.ts flannelUdp() (engine only: no flanneld on the test machine).
const YAML = `# Two nodes; on each, flannel0 is a TUN device held open by flanneld. A packet routed into
# flannel0 goes up to flanneld, which looks up the node owning the destination's /24 and
# sends the whole IP packet there inside a UDP datagram (port 8285). The flanneld there
# writes it into its own flannel0, and the kernel takes it from there: three trips between
# kernel and user space, which is why this backend is deprecated in favour of VXLAN.
apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: flannel-udp
spec:
  namespaces:
    - name: node-1
      interfaces:
        - name: eth0
          peer: node-2/eth0
          addresses: [192.168.56.11/24]
        - name: flannel0
          type: tun
          addresses: [10.244.0.0/16]
          tun:
            process: flanneld
            port: 8285
            peers:
              - { cidr: 10.244.1.0/24, ip: 192.168.56.12 }
    - name: node-2
      interfaces:
        - name: eth0
          addresses: [192.168.56.12/24]
        - name: flannel0
          type: tun
          addresses: [10.244.1.0/16]
          tun:
            process: flanneld
            port: 8285
            peers:
              - { cidr: 10.244.0.0/24, ip: 192.168.56.11 }
  flows:
    - { from: "node:node-1", to: "ip:10.244.1.0", proto: icmp }
`;

export const flannelUdp: Preset = {
  id: 'flannel-udp',
  titleKey: 'scenario.flannelUdp',
  files: [{ name: 'lab.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
