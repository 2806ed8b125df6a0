import type { Preset } from '../preset';

// Seeds 000 (§6 Ingress) and 003 (Ingress behind a NodePort): ingress-nginx as its baremetal
// deploy manifest installs it — the controller Deployment is filled in from the declared
// NodePort Service (80:32556, 443:30692, as the seed's `kubectl get svc -n ingress-nginx`
// shows) and the IngressClass `nginx` (docs/INGRESS.md). A laptop outside the cluster has the
// hosts in its /etc/hosts, pointing at node-1, and reaches the controller through the NodePort.
// The seed's Ingresses have no ingressClassName; ingress-nginx would ignore them (PW2050), so
// ingressClassName: nginx is added.
const CONTROLLER = (hosts: string[]) => `apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata:
  name: lab
spec:
  segments:
    - name: lan
      cidr: 192.168.56.0/24
      gateway: 192.168.56.1
  clients:
    - name: laptop
      segment: lan
      ip: 192.168.56.100
      hosts:
        - ip: 192.168.56.11
          hostnames: [${hosts.join(', ')}]
---
apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
spec:
  type: NodePort
  clusterIP: 10.107.127.108
  selector:
    app.kubernetes.io/component: controller
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 32556
    - name: https
      port: 443
      targetPort: https
      nodePort: 30692
`;

function backend(name: string, port: number): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: ${port}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
    - port: ${port}
`;
}

const HOSTS_YAML = `# Ingress host rules (seed 000 §6): an exact host and a wildcard host, behind ingress-nginx's NodePort.
${CONTROLLER(['foo.bar.com', 'baz.foo.com'])}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ingress-wildcard-host
spec:
  ingressClassName: nginx
  rules:
    - host: "foo.bar.com"
      http:
        paths:
          - pathType: Prefix
            path: "/bar"
            backend:
              service:
                name: service1
                port:
                  number: 80
    - host: "*.foo.com"
      http:
        paths:
          - pathType: Prefix
            path: "/foo"
            backend:
              service:
                name: service2
                port:
                  number: 80
${backend('service1', 80)}${backend('service2', 80)}`;

const FANOUT_YAML = `# Ingress fanout, rewrite-target and app-root (seed 000 §6.1, §6.2) behind ingress-nginx's NodePort.
${CONTROLLER(['foo.bar.com', 'rewrite.bar.com', 'approot.bar.com'])}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: simple-fanout-example
spec:
  ingressClassName: nginx
  rules:
    - host: foo.bar.com
      http:
        paths:
          - path: /foo
            pathType: Prefix
            backend:
              service:
                name: service1
                port:
                  number: 4200
          - path: /bar
            pathType: Prefix
            backend:
              service:
                name: service2
                port:
                  number: 8080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$2
  name: rewrite
  namespace: default
spec:
  ingressClassName: nginx
  rules:
    - host: rewrite.bar.com
      http:
        paths:
          - path: /something(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: http-svc
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/app-root: /app1
  name: approot
  namespace: default
spec:
  ingressClassName: nginx
  rules:
    - host: approot.bar.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: http-svc
                port:
                  number: 80
${backend('service1', 4200)}${backend('service2', 8080)}${backend('http-svc', 80)}`;

const laptop = { kind: 'ext', name: 'laptop' } as const;

export const ingressHosts: Preset = {
  id: 'ingress-hosts',
  titleKey: 'scenario.ingressHosts',
  files: [{ name: 'ingress-hosts.yaml', text: HOSTS_YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: laptop,
      to: { kind: 'url', scheme: 'http', host: 'foo.bar.com', port: 32556, path: '/bar' },
      proto: 'tcp',
      port: 32556,
    },
  },
};

export const ingressFanout: Preset = {
  id: 'ingress-fanout',
  titleKey: 'scenario.ingressFanout',
  files: [{ name: 'ingress-fanout.yaml', text: FANOUT_YAML }],
  defaultFlow: {
    kind: 'flow',
    flow: {
      from: laptop,
      to: { kind: 'url', scheme: 'http', host: 'foo.bar.com', port: 32556, path: '/bar' },
      proto: 'tcp',
      port: 32556,
    },
  },
};
