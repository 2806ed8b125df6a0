import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowSpec, World } from '../engine';
import { kubeProxyRules, trace } from '../engine';
import {
  engineSteps,
  monitorsQuiet,
  packetMatcher,
  runFlow,
  stepsBothWays,
  type FlowRun,
} from '../engine/sim/testing/diff';
import { labFromWorld } from '../engine/sim/testing/from-world';
import { kernelUnavailable, KernelLab, waitFor } from '../engine/sim/testing/kernel';
import { simulate } from './simulate';

// kube-proxy's generated ruleset (iptables mode) loaded with the real iptables-restore into
// namespaces built like the cluster, and the three flows issue #4 names sent through it:
// ClusterIP from a pod, ClusterIP from a node process, a NodePort from an outside client.
// One endpoint, so the kernel's random statistic match cannot pick another than the engine.

const unavailable = kernelUnavailable();
if (unavailable) console.log(`kube-proxy kernel differential tests skipped: ${unavailable}`);

const YAML = `apiVersion: packetwalk.dev/v1alpha1
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
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
    - name: curl
      image: curlimages/curl:8.10.1
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  clusterIP: 10.96.100.10
  selector:
    app: web
  ports:
    - port: 8080
      targetPort: 80
      nodePort: 30080
`;

const world = (): World => {
  const s = simulate([{ name: 'web.yaml', text: YAML }]);
  if (!s.world) throw new Error(s.diagnostics.map((d) => d.message).join('; '));
  return s.world;
};

const FLOWS: FlowSpec[] = [
  {
    from: { kind: 'pod', namespace: 'default', name: 'client' },
    to: { kind: 'svc', namespace: 'default', name: 'web', port: 8080 },
    proto: 'tcp',
    port: 8080,
  },
  {
    from: { kind: 'node', name: 'node-1' },
    to: { kind: 'svc', namespace: 'default', name: 'web', port: 8080 },
    proto: 'tcp',
    port: 8080,
  },
  {
    from: { kind: 'ext', name: 'laptop' },
    to: { kind: 'ip', ip: '192.168.56.11', port: 30080 },
    proto: 'tcp',
    port: 30080,
  },
];

describe.skipIf(unavailable !== null)('kube-proxy iptables rules in the kernel', () => {
  const lab = labFromWorld(world(), FLOWS);
  const kernel = new KernelLab(lab, `pwkp${process.pid % 100000}`);
  const runs: FlowRun[] = [];
  beforeAll(async () => {
    kernel.build();
    await kernel.settle();
    for (let i = 0; i < FLOWS.length; i++) runs.push(await runFlow(kernel, i, lab, world));
  }, 60_000);
  afterAll(() => kernel.destroy());

  it("loads the engine's node ruleset with the real iptables-restore", () => {
    const s = simulate([{ name: 'web.yaml', text: YAML }]);
    const rules = kubeProxyRules(s.model!, 'node-1')!;
    const saved = kernel.exec('node-1', 'iptables-save');
    for (const chain of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'])
      expect(saved).toContain(`:${chain} - `);
    // Every kube-proxy rule reads back from the kernel exactly as generated.
    for (const line of rules.split('\n').filter((l) => l.startsWith('-A ')))
      expect(saved.split('\n')).toContain(line);
  });

  FLOWS.forEach((f, k) => {
    const name = `${f.from.kind} → ${f.to.kind === 'svc' ? 'ClusterIP' : 'NodePort'}`;
    it(`${name}: the endpoint's socket sees the same addresses (same DNAT/SNAT)`, () => {
      const run = runs[k]!;
      expect(run.kernelSeen).not.toBeNull();
      expect(run.engineSeen).toBe(run.kernelSeen);
    });
    it(`${name}: every namespace passes the same rules and policies, both ways`, () => {
      const run = runs[k]!;
      const both = stepsBothWays(run);
      expect(both.engine).toEqual(both.kernel);
      expect(both.compared).toBeGreaterThan(10);
    });
  });
});

// Two endpoints: the kernel's statistic match picks one at random. Listeners in both pods
// say which; the engine, run with a seed that picks the same endpoint, must then agree on the
// addresses and on every rule and policy (the statistic rule matched or not included).
const TWO = YAML.concat(`---
apiVersion: v1
kind: Pod
metadata:
  name: web-2
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: 80
`);
const twoWorld = (): World => {
  const s = simulate([{ name: 'web.yaml', text: TWO }]);
  if (!s.world) throw new Error(s.diagnostics.map((d) => d.message).join('; '));
  return s.world;
};

describe.skipIf(unavailable !== null)(
  'kube-proxy statistic rules in the kernel (two endpoints)',
  () => {
    const flow = FLOWS[0]!;
    const lab = labFromWorld(twoWorld(), [flow]);
    const kernel = new KernelLab(lab, `pwkq${process.pid % 100000}`);
    let picked = '';
    let engine: ReturnType<typeof trace> | undefined;
    let seen: string | null = null;
    let monitors: Awaited<ReturnType<KernelLab['monitor']>> | undefined;
    beforeAll(async () => {
      kernel.build();
      await kernel.settle();
      monitors = await kernel.monitor();
      const pods = ['default/web', 'default/web-2'];
      const listeners = await Promise.all(pods.map((p) => kernel.listen(p, 'tcp', 80)));
      const clusterIP = '10.96.100.10';
      if (!kernel.send('default/client', 'tcp', clusterIP, 8080)) throw new Error('no answer');
      await waitFor('one endpoint to report', () => listeners.some((l) => l.seen() !== null));
      const k = listeners.findIndex((l) => l.seen() !== null);
      picked = pods[k]!;
      seen = listeners[k]!.seen();
      for (let s = 1; s < 50 && !engine; s++) {
        const t = trace(twoWorld(), flow, s);
        if (t.delivered?.ns === picked) engine = t;
      }
      await waitFor('the reply traced on the node', () =>
        monitors!.get('node-1')!.saw(packetMatcher(engine!, 'reply')),
      );
      await monitorsQuiet(monitors);
      for (const m of monitors.values()) m.proc.kill();
    }, 60_000);
    afterAll(() => kernel.destroy());

    it("the kernel's endpoint is one of the engine's, with the same DNAT", () => {
      expect(engine).toBeDefined();
      const src = seen!.split(' ')[0]!.replace(/:\d+$/, '');
      const dst = seen!.split(' ')[1]!;
      expect(`${engine!.delivered!.src.replace(/:\d+$/, '')} ${engine!.delivered!.dst}`).toBe(
        `${src} ${dst}`,
      );
    });

    it('the node passes the same rules, the statistic rule included, both ways', () => {
      for (const dir of ['request', 'reply'] as const)
        expect(engineSteps(engine!, 'node-1', dir)).toEqual(
          monitors!.get('node-1')!.steps(packetMatcher(engine!, dir)),
        );
      // Both walked the two-way split: the kernel holds the rule the engine evaluated.
      expect(kernel.exec('node-1', 'iptables-save')).toContain(
        '-m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-',
      );
      expect(
        engine!.events.some((e) => e.kind === 'netfilter' && e.chain.startsWith('KUBE-SVC-')),
      ).toBe(true);
    });
  },
);
