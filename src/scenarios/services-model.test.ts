import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';

const svc = (name: string, extra = '', ports = '    - port: 80\n') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
${extra}  selector:
    app: web
  ports:
${ports}`;

const deploy = (replicas: number, portName = 'http', ready = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 8080
              name: ${portName}
${ready}`;

function model(...docs: string[]) {
  const sim = simulate([{ name: 'c.yaml', text: docs.join('---\n') }]);
  return sim;
}

describe('ClusterIP and NodePort allocation', () => {
  it('allocated addresses and ports are unique, in range, and the same on every run', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/), { minLength: 1, maxLength: 25 }),
        (names) => {
          const docs = names.map((n) => svc(n, '  type: NodePort\n'));
          const a = model(...docs);
          const b = model(...docs);
          expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const services = a.model!.services!;
          expect(services).toEqual(b.model!.services);
          const ips = services.map((s) => s.clusterIP!);
          const ports = services.map((s) => s.ports[0]!.nodePort!);
          expect(new Set(ips).size).toBe(ips.length);
          expect(new Set(ports).size).toBe(ports.length);
          for (const ip of ips) {
            const [a1, b1] = ip.split('.').map(Number);
            expect(a1).toBe(10);
            expect(b1! >= 96 && b1! <= 111).toBe(true);
            expect(ip).not.toBe('10.96.0.1');
          }
          // Allocated ports stay out of the static band 30000-30085 kept for fixed ones.
          for (const p of ports) expect(p >= 30086 && p <= 32767).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a fixed clusterIP and nodePort are kept; a second claim of the same IP is an error', () => {
    const one = svc(
      'a',
      '  type: NodePort\n  clusterIP: 10.96.0.50\n',
      '    - port: 80\n      nodePort: 30000\n',
    );
    const sim = model(one);
    expect(sim.model!.services![0]).toMatchObject({
      clusterIP: '10.96.0.50',
      ports: [{ nodePort: 30000 }],
    });
    const clash = model(one, svc('b', '  clusterIP: 10.96.0.50\n'));
    expect(clash.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toContain(
      '19:14 PW2011 spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated',
    );
  });

  it('apiserver cross-field rules: a nodePort on a ClusterIP Service is forbidden', () => {
    const sim = model(svc('a', '', '    - port: 80\n      nodePort: 30001\n'));
    expect(sim.diagnostics.map((d) => d.message)).toContain(
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    );
  });
});

describe('endpoints controller', () => {
  it('selector -> ready pods -> one EndpointSlice; a named targetPort resolves per pod', () => {
    const sim = model(
      deploy(3),
      svc('web', '', '    - name: web\n      port: 80\n      targetPort: http\n'),
    );
    const slices = sim.model!.endpointSlices!;
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({
      service: 'web',
      ports: [{ name: 'web', port: 8080, protocol: 'TCP' }],
    });
    expect(slices[0]!.endpoints.map((e) => e.ready)).toEqual([true, true, true]);
    expect(slices[0]!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('a named targetPort that no container declares: a warning, and no endpoints for that port', () => {
    const sim = model(
      deploy(1, 'metrics'),
      svc('web', '', '    - port: 80\n      targetPort: http\n'),
    );
    expect(sim.diagnostics.map((d) => d.code)).toContain('PW2015');
    expect(sim.model!.endpointSlices![0]!.ports).toEqual([]);
  });

  it('a pod that is not ready stays in the slice with ready=false, and kube-proxy leaves it out', () => {
    const notReady = `---
apiVersion: v1
kind: Pod
metadata:
  name: lagging
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx
      ports:
        - containerPort: 8080
          name: http
status:
  conditions:
    - type: Ready
      status: "False"
`;
    const sim = model(
      deploy(1) + notReady,
      svc('web', '', '    - port: 80\n      targetPort: http\n'),
    );
    const eps = sim.model!.endpointSlices![0]!.endpoints;
    expect(eps.map((e) => e.ready).sort()).toEqual([false, true]);
  });

  it('hand-written Endpoints for a Service with a selector are ignored, and said so', () => {
    const ep = `apiVersion: v1
kind: Endpoints
metadata:
  name: web
subsets:
  - addresses:
      - ip: 192.168.1.1
    ports:
      - port: 80
`;
    const sim = model(deploy(1), svc('web'), ep);
    expect(sim.diagnostics.map((d) => d.code)).toContain('PW2018');
    expect(
      sim.model!.endpointSlices!.every((s) => s.managedBy === 'endpointslice-controller.k8s.io'),
    ).toBe(true);
  });

  it('a selector that matches nothing: warning, and kube-proxy REJECTs', () => {
    const sim = model(svc('web'));
    expect(sim.diagnostics.map((d) => d.code)).toContain('PW2016');
  });
});
