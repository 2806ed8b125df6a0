import type { Preset } from '../preset';

// Seed 000 §3, Docker's bridge network: docker0 with two containers and the rules dockerd
// installs. The same lab is engine/kube/labs.ts dockerBridge(), built for real by the kernel
// differential tests.
const YAML = `# docker0 (172.17.0.1/16) with two containers, as \`docker run nginx\` twice leaves it,
# and the host's eth0 on a LAN whose router (192.168.56.1) leads to the internet.
apiVersion: packetwalk.dev/v1alpha1
kind: Lab
metadata:
  name: docker-bridge
spec:
  namespaces:
    - name: docker-host
      sysctls:
        net.ipv4.ip_forward: 1
        net.bridge.bridge-nf-call-iptables: 1
      interfaces:
        - name: docker0
          type: bridge
          addresses: [172.17.0.1/16]
          mac: 02:42:f1:6c:7e:36
        - name: vethbc789f2
          master: docker0
        - name: veth5bed0bd
          master: docker0
        - name: eth0
          peer: internet/eth0
          addresses: [192.168.56.11/24]
      routes:
        - to: default
          via: 192.168.56.1
          dev: eth0
      iptables: |
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
        COMMIT
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
        -A FORWARD -i docker0 -o docker0 -j ACCEPT
        COMMIT
    - name: c1
      host: docker-host
      interfaces:
        - name: eth0
          peer: docker-host/vethbc789f2
          addresses: [172.17.0.2/16]
          mac: 02:42:ac:11:00:02
      routes:
        - to: default
          via: 172.17.0.1
          dev: eth0
      listeners:
        - proto: tcp
          port: 80
          process: nginx
    - name: c2
      host: docker-host
      interfaces:
        - name: eth0
          peer: docker-host/veth5bed0bd
          addresses: [172.17.0.3/16]
          mac: 02:42:ac:11:00:03
      routes:
        - to: default
          via: 172.17.0.1
          dev: eth0
      listeners:
        - proto: tcp
          port: 80
          process: nginx
    - name: internet
      interfaces:
        - name: eth0
          addresses: [192.168.56.1/24, 93.184.216.34/32]
      listeners:
        - proto: tcp
          port: 80
          process: httpd
  flows:
    - from: ip:172.17.0.2
      to: ip:172.17.0.3
      proto: tcp
      port: 80
    - from: ip:172.17.0.2
      to: ip:93.184.216.34
      proto: tcp
      port: 80
`;

export const dockerBridge: Preset = {
  id: 'docker-bridge',
  titleKey: 'scenario.dockerBridge',
  files: [{ name: 'lab.yaml', text: YAML }],
  defaultFlow: { kind: 'first' },
};
