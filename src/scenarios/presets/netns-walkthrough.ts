import type { Preset } from '../preset';

// Seed 000 §3, step by step: `ip netns add test1/test2`, a veth pair, an address on each end,
// and `ip netns exec test1 ping 192.168.1.2`. The kernel differential tests build the same
// lab (engine/kube/labs.ts NETNS_WALKTHROUGH) in real namespaces.
const YAML = `# Two network namespaces joined by a veth pair, as in:
#   ip netns add test1; ip netns add test2
#   ip link add veth-test1 type veth peer name veth-test2
#   ip link set veth-test1 netns test1; ip link set veth-test2 netns test2
#   ip netns exec test1 ip addr add 192.168.1.1/24 dev veth-test1
#   ip netns exec test2 ip addr add 192.168.1.2/24 dev veth-test2
#   ip netns exec test1 ping 192.168.1.2
apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: netns-walkthrough
spec:
  namespaces:
    - name: test1
      interfaces:
        - name: veth-test1
          peer: test2/veth-test2
          addresses: [192.168.1.1/24]
    - name: test2
      interfaces:
        - name: veth-test2
          addresses: [192.168.1.2/24]
  flows:
    - from: node:test1
      to: ip:192.168.1.2
      proto: icmp
`;

export const netnsWalkthrough: Preset = {
  id: 'netns-walkthrough',
  titleKey: 'scenario.netnsWalkthrough',
  files: [{ name: 'lab.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
