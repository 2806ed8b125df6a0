import { describe, expect, it } from 'vitest';
import { clusterModel } from './cluster';
import type { KubeObject, NodeObject, PodObject, WorkloadObject } from './objects';

const at = (line: number) => ({ file: 'test.yaml', line, col: 1 });
const meta = (name: string, line = 1, namespace = 'default') => ({
  name,
  namespace,
  labels: {},
  annotations: {},
  source: at(line),
});

function workload(
  kind: WorkloadObject['kind'],
  name: string,
  replicas: number,
  extra: Partial<WorkloadObject['template']['spec']> = {},
): WorkloadObject {
  return {
    kind,
    meta: meta(name),
    replicas,
    selector: { app: name },
    template: {
      labels: { app: name },
      spec: {
        nodeSelector: {},
        hostNetwork: false,
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          },
        ],
        ...extra,
      },
    },
  };
}

function node(name: string, extra: Partial<NodeObject> = {}): NodeObject {
  return { kind: 'Node', meta: { ...meta(name, 1, '') }, unschedulable: false, ...extra };
}

function pod(name: string, status: PodObject['status'], nodeName?: string): PodObject {
  return {
    kind: 'Pod',
    meta: meta(name, 40),
    spec: {
      nodeSelector: {},
      hostNetwork: false,
      containers: [],
      ...(nodeName ? { nodeName } : {}),
    },
    status,
  };
}

const SUFFIX = '[bcdfghjklmnpqrstvwxz2456789]';

describe('clusterModel', () => {
  it('gives a lone Deployment one default node, a /24 from the cluster CIDR and host-local IPs', () => {
    const { model, diagnostics } = clusterModel([workload('Deployment', 'web', 2)]);
    expect(diagnostics).toEqual([]);
    expect(model.nodes).toMatchObject([
      { name: 'node-1', internalIP: '192.168.56.11', podCIDR: '10.244.0.0/24', schedulable: true },
    ]);
    expect(model.network).toMatchObject({
      clusterCIDR: '10.244.0.0/16',
      serviceCIDR: '10.96.0.0/12',
    });
    expect(model.pods.map((p) => p.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    const names = model.pods.map((p) => p.name);
    for (const n of names) expect(n).toMatch(new RegExp(`^web-${SUFFIX}{10}-${SUFFIX}{5}$`));
    // One ReplicaSet: both pods share the pod-template-hash, and differ in the suffix.
    expect(names[0]!.slice(0, 15)).toBe(names[1]!.slice(0, 15));
    expect(names[0]).not.toBe(names[1]);
    expect(model.pods[0]).toMatchObject({ owner: 'Deployment/web', ready: true, node: 'node-1' });
    expect(model.pods[0]!.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
  });

  it('is deterministic', () => {
    const a = clusterModel([workload('Deployment', 'web', 3)]);
    const b = clusterModel([workload('Deployment', 'web', 3)]);
    expect(a).toEqual(b);
  });

  it('spreads replicas over nodes and hands out podCIDRs in order', () => {
    const { model } = clusterModel([node('a'), node('b'), workload('Deployment', 'web', 4)]);
    expect(model.nodes.map((n) => [n.name, n.podCIDR, n.internalIP])).toEqual([
      ['a', '10.244.0.0/24', '192.168.56.11'],
      ['b', '10.244.1.0/24', '192.168.56.12'],
    ]);
    expect(model.pods.map((p) => `${p.node} ${p.ip}`)).toEqual([
      'a 10.244.0.2',
      'b 10.244.1.2',
      'a 10.244.0.3',
      'b 10.244.1.3',
    ]);
  });

  it('keeps what a real cluster assigned and allocates around it', () => {
    const { model, diagnostics } = clusterModel([
      node('n1', { podCIDR: '10.244.7.0/24', internalIP: '10.0.0.5' }),
      pod('fixed', { podIP: '10.244.7.2', ready: false }),
      workload('Deployment', 'web', 1),
    ]);
    expect(diagnostics).toEqual([]);
    expect(model.nodes[0]).toMatchObject({ podCIDR: '10.244.7.0/24', internalIP: '10.0.0.5' });
    expect(model.pods.map((p) => [p.name.split('-')[0], p.ip, p.ready])).toEqual([
      ['fixed', '10.244.7.2', false],
      ['web', '10.244.7.3', true],
    ]);
  });

  it('names StatefulSet pods by ordinal and runs a DaemonSet pod on each schedulable node', () => {
    const { model } = clusterModel([
      node('a'),
      node('b'),
      node('c', { unschedulable: true }),
      workload('StatefulSet', 'db', 2),
      workload('DaemonSet', 'agent', 1),
    ]);
    expect(model.pods.filter((p) => p.owner === 'StatefulSet/db').map((p) => p.name)).toEqual([
      'db-0',
      'db-1',
    ]);
    expect(model.pods.filter((p) => p.owner === 'DaemonSet/agent').map((p) => p.node)).toEqual([
      'a',
      'b',
    ]);
  });

  it('reports a pod bound to a missing node, duplicate podIPs and an exhausted podCIDR', () => {
    const missing = clusterModel([node('a'), pod('p', {}, 'ghost')]);
    expect(missing.diagnostics).toMatchObject([{ code: 'PW2004', severity: 'warning', line: 40 }]);
    expect(missing.model.pods).toEqual([]);

    const dup = clusterModel([
      pod('p1', { podIP: '10.244.0.9' }),
      pod('p2', { podIP: '10.244.0.9' }),
    ]);
    expect(dup.diagnostics.map((d) => d.code)).toEqual(['PW2006']);

    const full = clusterModel([
      node('a', { podCIDR: '10.244.0.0/30' }),
      workload('Deployment', 'web', 2),
    ]);
    expect(full.model.pods.map((p) => p.ip)).toEqual(['10.244.0.2']);
    expect(full.diagnostics.map((d) => d.code)).toEqual(['PW2005']);
  });

  it('places hostNetwork pods on the node address', () => {
    const objects: KubeObject[] = [workload('Deployment', 'hn', 1, { hostNetwork: true })];
    expect(clusterModel(objects).model.pods[0]!.ip).toBe('192.168.56.11');
  });
});
