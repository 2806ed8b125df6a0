import { describe, expect, it } from 'vitest';
import { simulate } from './simulate';

const ingress = (name: string, extra: string) => `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
${extra}spec:
  rules:
    - host: ${name}.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: missing
                port:
                  number: 80
`;
const CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
`;

describe('the ingress-nginx controller and the Ingresses it serves', () => {
  it('is installed only when declared, as the baremetal deploy manifest has it', () => {
    const s = simulate([{ name: 'a.yaml', text: CLASS }]);
    const m = s.model!;
    expect(m.ingress).toMatchObject({
      className: 'nginx',
      pods: [expect.stringMatching(/^ingress-nginx\/ingress-nginx-controller-/)],
    });
    const svc = m.services!.find((x) => x.name === 'ingress-nginx-controller');
    expect(svc).toMatchObject({ namespace: 'ingress-nginx', type: 'NodePort' });
    expect(svc!.ports.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ['http', 80, 'http'],
      ['https', 443, 'https'],
    ]);
    expect(m.services!.some((x) => x.name === 'ingress-nginx-controller-admission')).toBe(true);
    const none = simulate([{ name: 'b.yaml', text: ingress('lonely', '').slice(4) }]);
    expect(none.model!.ingress).toBeUndefined();
    expect(none.diagnostics).toMatchObject([{ code: 'PW2051', severity: 'warning' }]);
  });

  it('ignores Ingresses of another class (or none) with an info, serves nginx ones', () => {
    const text =
      CLASS +
      ingress('mine', '').replace('spec:\n', 'spec:\n  ingressClassName: nginx\n') +
      ingress('legacy', '  annotations:\n    kubernetes.io/ingress.class: nginx\n') +
      ingress('other', '').replace('spec:\n', 'spec:\n  ingressClassName: traefik\n') +
      ingress('noclass', '');
    const s = simulate([{ name: 'c.yaml', text }]);
    expect(s.model!.ingress!.ingresses).toEqual(['default/mine', 'default/legacy']);
    const infos = s.diagnostics.filter((d) => d.code === 'PW2050');
    expect(infos.map((d) => d.message)).toEqual([
      'Ingress "default/other" is ignored by ingress-nginx: IngressClass "traefik" does not exist',
      expect.stringContaining(
        'Ingress "default/noclass" is ignored by ingress-nginx: it has no ingressClassName',
      ),
    ]);
    expect(infos.every((d) => d.severity === 'info')).toBe(true);
    // The backend Service does not exist: ingress-nginx answers 503 (PW2052, on the backend's line).
    expect(s.diagnostics.filter((d) => d.code === 'PW2052')).toHaveLength(2);
  });
});
