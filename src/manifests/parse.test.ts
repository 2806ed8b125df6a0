import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse';

const parse = (text: string) => parseManifests([{ name: 'm.yaml', text }]);
const lineOf = (text: string, needle: string) =>
  text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const DEPLOY_AND_SERVICE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api, tier: backend}
    spec:
      containers:
        - name: api
          image: example/api:1.0
          ports:
            - {name: http, containerPort: 8080}
            - {name: metrics, containerPort: 9090, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  type: NodePort
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: http, nodePort: 30080}
    - {name: metrics, port: 9090, protocol: TCP}
`;

describe('parseManifests', () => {
  it('reads a Deployment and a Service with Kubernetes defaults', () => {
    const { objects, diagnostics } = parse(DEPLOY_AND_SERVICE);
    expect(diagnostics).toEqual([]);
    expect(objects[0]).toMatchObject({
      kind: 'Deployment',
      meta: { name: 'api', namespace: 'shop', source: { line: 2, col: 1 } },
      replicas: 3,
      selector: { app: 'api' },
      template: {
        labels: { app: 'api', tier: 'backend' },
        spec: {
          hostNetwork: false,
          containers: [
            {
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    });
    expect(objects[1]).toMatchObject({
      kind: 'Service',
      type: 'NodePort',
      selector: { app: 'api' },
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      externalTrafficPolicy: 'Cluster',
      ports: [
        { name: 'http', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    });
  });

  it('flattens a kubectl List and keeps what the cluster assigned', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Node
    metadata: {name: worker-1, labels: {zone: a}}
    spec: {podCIDR: 10.244.1.0/24}
    status:
      addresses:
        - {type: Hostname, address: worker-1}
        - {type: InternalIP, address: 172.18.0.3}
  - apiVersion: v1
    kind: Pod
    metadata: {name: web-0, namespace: default}
    spec:
      nodeName: worker-1
      containers: [{name: web, image: nginx}]
    status:
      podIP: 10.244.1.7
      hostIP: 172.18.0.3
      conditions: [{type: Ready, status: "False"}]
  - apiVersion: discovery.k8s.io/v1
    kind: EndpointSlice
    metadata:
      name: web-abc12
      labels: {kubernetes.io/service-name: web}
    addressType: IPv4
    endpoints:
      - addresses: [10.244.1.7]
        conditions: {ready: false}
        nodeName: worker-1
        targetRef: {kind: Pod, name: web-0}
      - addresses: [10.244.2.9]
    ports: [{name: http, port: 80, protocol: TCP}]
`;
    const { objects, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(objects.map((o) => o.kind)).toEqual(['Node', 'Pod', 'EndpointSlice']);
    expect(objects[0]).toMatchObject({
      meta: { name: 'worker-1', namespace: '', source: { line: 5 } },
      podCIDR: '10.244.1.0/24',
      internalIP: '172.18.0.3',
    });
    expect(objects[1]).toMatchObject({
      spec: { nodeName: 'worker-1' },
      status: { podIP: '10.244.1.7', hostIP: '172.18.0.3', ready: false },
    });
    expect(objects[2]).toMatchObject({
      serviceName: 'web',
      endpoints: [
        {
          ip: '10.244.1.7',
          ready: false,
          serving: false,
          nodeName: 'worker-1',
          targetPod: 'default/web-0',
        },
        { ip: '10.244.2.9', ready: true, serving: true, terminating: false },
      ],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    });
  });

  it('pins every problem to its line and column', () => {
    const text = DEPLOY_AND_SERVICE.replace('replicas: 3', 'replicas: three')
      .replace('containerPort: 9090', 'containerPort: 90900')
      .replace(
        '{name: metrics, port: 9090, protocol: TCP}',
        '{name: metrics, port: 9090, protocol: HTTP}',
      );
    const { diagnostics } = parse(text);
    const at = (code: string) =>
      diagnostics.filter((d) => d.code === code).map((d) => [d.line, d.col]);
    expect(diagnostics.find((d) => d.code === 'PW1011')).toMatchObject({
      line: lineOf(text, 'replicas: three'),
      col: 13,
      message: 'spec.replicas must be an integer, got "three"',
    });
    const portLine = lineOf(text, '90900');
    expect(at('PW1012')).toContainEqual([
      portLine,
      text.split('\n')[portLine - 1]!.indexOf('90900') + 1,
    ]);
    const badName = DEPLOY_AND_SERVICE.replace(
      'name: api\n  namespace: shop\nspec:\n  type',
      'name: Api_1\n  namespace: shop\nspec:\n  type',
    );
    expect(parse(badName).diagnostics.find((d) => d.message.includes('Api_1'))).toMatchObject({
      line: lineOf(badName, 'Api_1'),
      message: expect.stringContaining(
        'metadata.name: Invalid value: "Api_1": a lowercase RFC 1123 subdomain',
      ),
    });
    expect(diagnostics.find((d) => d.code === 'PW1013')).toMatchObject({
      line: lineOf(text, 'HTTP'),
      message:
        'spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    });
  });

  it('reports YAML syntax errors, duplicate keys, duplicates, mismatched selectors and unknown kinds', () => {
    const syntax = parse('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n    labels: x\n');
    expect(syntax.diagnostics[0]).toMatchObject({
      code: 'PW1001',
      severity: 'error',
      line: 4,
      col: 9,
      message: 'Nested mappings are not allowed in compact mappings',
    });
    expect(parse('apiVersion: v1\nkind: Pod\nkind: Pod\n').diagnostics[0]).toMatchObject({
      code: 'PW1005',
      line: 3,
      message: 'duplicate key "kind": map keys must be unique',
    });
    const twiceText = DEPLOY_AND_SERVICE + '---\n' + DEPLOY_AND_SERVICE.split('---')[0];
    const twice = parse(twiceText);
    const secondKind = twiceText.split('\n').lastIndexOf('kind: Deployment') + 1;
    expect(twice.diagnostics).toMatchObject([
      {
        code: 'PW1006',
        line: secondKind,
        message: expect.stringContaining('first defined at m.yaml:2'),
      },
    ]);
    expect(twice.objects).toHaveLength(2);
    const mismatch = parse(
      DEPLOY_AND_SERVICE.replace('matchLabels: {app: api}', 'matchLabels: {app: web}'),
    );
    expect(mismatch.diagnostics[0]).toMatchObject({
      code: 'PW1020',
      line: lineOf(DEPLOY_AND_SERVICE, 'labels: {app: api, tier'),
      message: expect.stringContaining('`selector` does not match template `labels`'),
    });
    const ingress = parse(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x}\n',
    );
    expect(ingress.diagnostics).toMatchObject([
      { code: 'PW1003', severity: 'warning', line: 2, col: 7 },
    ]);
    expect(
      parse('apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n')
        .diagnostics[0],
    ).toMatchObject({ code: 'PW1004', line: 1 });
    expect(parse('- a\n- b\n').diagnostics[0]).toMatchObject({ code: 'PW1002' });
    expect(parse('kind: Pod\nmetadata: {name: p}\n').diagnostics[0]).toMatchObject({
      code: 'PW1010',
      message: 'apiVersion: Required value',
    });
  });

  it('validates the Underlay project kind', () => {
    const text = `apiVersion: packetwalk.dev/v1alpha1
kind: Underlay
metadata: {name: lab}
spec:
  segments:
    - {name: lan, cidr: 192.168.56.0/24, gateway: 192.168.56.1}
  clients:
    - {name: laptop, segment: lan, ip: 192.168.57.4}
    - {name: phone, segment: wifi, ip: 10.0.0.2}
  nodes:
    - {name: node-1, segment: lan}
`;
    const { objects, diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['PW1040', 8],
      ['PW1041', 9],
    ]);
    expect(objects[0]).toMatchObject({
      segments: [{ name: 'lan', gateway: '192.168.56.1' }],
      nodeSegments: { 'node-1': 'lan' },
    });
  });

  it('never throws, and every position lies inside the file', () => {
    const yamlish = fc.array(
      fc.oneof(
        fc.constantFrom(
          'apiVersion: v1',
          'kind: Pod',
          'kind: List',
          'items:',
          '  - ',
          'metadata:',
          '  name: x',
          '---',
          'spec: {',
          ']',
          '  ports: [80, "x"]',
          ': :',
          '\t',
          '&a',
          '*a',
          '!!binary',
        ),
        fc.string({ maxLength: 12 }),
      ),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          yamlish.map((l) => l.join('\n')),
        ),
        (text) => {
          const { diagnostics } = parse(text);
          const lines = text.split(/\r\n|\r|\n/).length;
          for (const d of diagnostics) {
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lines + 1);
            expect(d.col).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips generated Deployments', () => {
    const name = fc.stringMatching(/^[a-z]([-a-z0-9]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(
        name,
        fc.nat(50),
        fc.integer({ min: 1, max: 65535 }),
        fc.constantFrom('TCP', 'UDP'),
        (n, replicas, port, protocol) => {
          const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${n}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: "${n}"}\n  template:\n    metadata:\n      labels: {app: "${n}"}\n    spec:\n      containers:\n        - name: c\n          image: i\n          ports: [{containerPort: ${port}, protocol: ${protocol}}]\n`;
          const { objects, diagnostics } = parse(text);
          expect(diagnostics).toEqual([]);
          expect(objects[0]).toMatchObject({
            meta: { name: n, namespace: 'default' },
            replicas,
            selector: { app: n },
            template: { spec: { containers: [{ ports: [{ containerPort: port, protocol }] }] } },
          });
        },
      ),
    );
  });
});
