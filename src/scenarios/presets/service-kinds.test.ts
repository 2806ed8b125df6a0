import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatTraceText, trace, type FlowSpec } from '../../engine';
import { PRESETS } from '../index';
import { simulate } from '../simulate';
import { expectGolden } from '../../engine/sim/testing/golden';

// Golden traces for the Service kinds whose point is what kube-proxy does NOT do, or refuses:
// a headless Service (no rules: straight to a pod), one without endpoints (REJECT), and
// internalTrafficPolicy: Local from a node with no local endpoint (DROP).

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = (name: string, text: string) => expectGolden(here, name, text);

const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;

function cluster(service: string) {
  const yaml = `apiVersion: v1
kind: Node
metadata: { name: node-1 }
---
apiVersion: v1
kind: Node
metadata: { name: node-2 }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  nodeName: node-1
  containers: [{ name: curl, image: curlimages/curl }]
---
apiVersion: v1
kind: Pod
metadata: { name: api-0, labels: { app: api } }
spec:
  nodeName: node-2
  containers: [{ name: api, image: nginx, ports: [{ containerPort: 80 }] }]
---
${service}`;
  const sim = simulate([{ name: 'svc.yaml', text: yaml }]);
  expect(sim.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

describe('Service kinds that kube-proxy routes no traffic for', () => {
  it('headless (clusterIP: None): no rules, the client goes straight to the pod', () => {
    const sim = simulate(PRESETS.find((p) => p.id === 'nginx-headless')!.files);
    const nginx = sim.model!.pods.find((p) => p.name.startsWith('nginx'))!;
    const flow: FlowSpec = {
      from: client,
      to: { kind: 'pod', namespace: 'default', name: nginx.name },
      proto: 'tcp',
      port: 80,
    };
    const t = trace(sim.world!, flow, 1);
    expect(t.outcome).toBe('delivered');
    expect(t.events.some((e) => e.kind === 'nat')).toBe(false);
    expect(
      t.events.some((e) => e.kind === 'netfilter' && e.matched && e.chain.startsWith('KUBE-SVC-')),
    ).toBe(false);
    // Asking for the Service itself is refused with the reason.
    expect(() =>
      trace(
        sim.world!,
        {
          from: client,
          to: { kind: 'svc', namespace: 'default', name: 'nginx-headless', port: 80 },
          proto: 'tcp',
        },
        1,
      ),
    ).toThrow(/headless/);
    golden('nginx-headless.direct.trace.txt', formatTraceText(t) + '\n');
  });

  it('no endpoints: REJECT in filter KUBE-SERVICES, the client gets port unreachable', () => {
    const sim = cluster(`apiVersion: v1
kind: Service
metadata: { name: nobody }
spec:
  selector: { app: nobody }
  ports: [{ port: 80 }]
`);
    const t = trace(
      sim.world!,
      {
        from: client,
        to: { kind: 'svc', namespace: 'default', name: 'nobody', port: 80 },
        proto: 'tcp',
      },
      1,
    );
    expect(t.outcome).toBe('rejected');
    const reject = t.events.find(
      (e) => e.kind === 'netfilter' && e.matched && e.verdict === 'REJECT',
    );
    expect(reject).toMatchObject({ table: 'filter', chain: 'KUBE-SERVICES' });
    expect(reject?.kind === 'netfilter' && reject.rule).toContain('has no endpoints');
    golden('no-endpoints.trace.txt', formatTraceText(t) + '\n');
  });

  it('internalTrafficPolicy: Local from a node without a local endpoint: dropped', () => {
    const sim = cluster(`apiVersion: v1
kind: Service
metadata: { name: api }
spec:
  selector: { app: api }
  internalTrafficPolicy: Local
  ports: [{ port: 80 }]
`);
    const t = trace(
      sim.world!,
      {
        from: client,
        to: { kind: 'svc', namespace: 'default', name: 'api', port: 80 },
        proto: 'tcp',
      },
      1,
    );
    expect(t.outcome).toBe('dropped');
    expect(t.delivered).toBeNull();
    golden('internal-local.trace.txt', formatTraceText(t) + '\n');
  });
});
