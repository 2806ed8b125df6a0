import { describe, expect, it } from 'vitest';
import { buildWorld } from '../kube/world';
import { formatTraceText } from './format-text';
import { twoPodsOneNode } from './testing/models';
import { trace } from './trace';
import type { FlowSpec, TraceEvent } from './trace-types';

const podToPod: FlowSpec = {
  from: { kind: 'pod', namespace: 'default', name: 'web-a' },
  to: { kind: 'pod', namespace: 'default', name: 'web-b' },
  proto: 'tcp',
  port: 80,
};

/** The places a trace visits, as "ns kind[detail]" — the skeleton of the walk. */
function skeleton(events: TraceEvent[]): string[] {
  return events
    .filter((e) => e.kind !== 'netfilter' && e.kind !== 'conntrack')
    .map((e) => {
      if (e.kind === 'hook')
        return `${e.dir} ${e.ns} hook ${e.hook}${e.family === 'bridge' ? '/br' : ''}`;
      if (e.kind === 'transmit')
        return `${e.dir} ${e.from.ns}:${e.from.dev} -> ${e.to.ns}:${e.to.dev}`;
      if (e.kind === 'bridge') return `${e.dir} ${e.ns} bridge ${e.action} ${e.outPorts.join(',')}`;
      return `${e.dir} ${e.ns} ${e.kind}`;
    });
}

describe('pod to pod on one node, through cni0 with br_netfilter', () => {
  it('walks veth, bridge (with the IP hooks) and veth, and back', () => {
    const world = buildWorld(twoPodsOneNode());
    const t = trace(world, podToPod, 1);
    expect(t.outcome).toBe('delivered');
    expect(t.delivered).toMatchObject({ ns: 'default/web-b', proto: 'tcp', dst: '10.244.0.3:80' });
    expect(t.delivered?.src).toMatch(/^10\.244\.0\.2:\d+$/);
    const s = skeleton(t.events);
    const vethA = world.namespaces.get('default/web-a')!.devices.get('eth0')!.peer!.dev;
    const vethB = world.namespaces.get('default/web-b')!.devices.get('eth0')!.peer!.dev;
    expect(s).toEqual([
      'request default/web-a send',
      'request default/web-a route',
      'request default/web-a hook OUTPUT',
      'request default/web-a hook POSTROUTING',
      'request default/web-a arp',
      `request default/web-a:eth0 -> node-1:${vethA}`,
      'request node-1 hook PREROUTING/br',
      `request node-1 bridge forward ${vethB}`,
      'request node-1 hook FORWARD/br',
      'request node-1 hook POSTROUTING/br',
      `request node-1:${vethB} -> default/web-b:eth0`,
      'request default/web-b hook PREROUTING',
      'request default/web-b route',
      'request default/web-b hook INPUT',
      'request default/web-b deliver',
      'reply default/web-b send',
      'reply default/web-b route',
      'reply default/web-b hook OUTPUT',
      'reply default/web-b hook POSTROUTING',
      `reply default/web-b:eth0 -> node-1:${vethB}`,
      'reply node-1 hook PREROUTING/br',
      `reply node-1 bridge forward ${vethA}`,
      'reply node-1 hook FORWARD/br',
      'reply node-1 hook POSTROUTING/br',
      `reply node-1:${vethA} -> default/web-a:eth0`,
      'reply default/web-a hook PREROUTING',
      'reply default/web-a route',
      'reply default/web-a hook INPUT',
      'reply default/web-a deliver',
    ]);
  });

  it('never changes the addresses or the TTL: the frame is bridged, not routed', () => {
    const t = trace(buildWorld(twoPodsOneNode()), podToPod, 1);
    const deliver = t.events.find((e) => e.kind === 'deliver' && e.dir === 'request');
    expect(deliver?.packet?.ip).toMatchObject({ src: '10.244.0.2', dst: '10.244.0.3', ttl: 64 });
  });

  it('without br_netfilter the bridge passes the frame without any iptables hook', () => {
    const t = trace(buildWorld(twoPodsOneNode({ brNetfilter: false })), podToPod, 1);
    expect(t.outcome).toBe('delivered');
    expect(t.events.filter((e) => e.kind === 'hook' && e.ns === 'node-1')).toEqual([]);
  });

  it('a port nobody listens on is refused with a RST that walks back', () => {
    const t = trace(buildWorld(twoPodsOneNode()), { ...podToPod, port: 8080 }, 1);
    expect(t.outcome).toBe('refused');
    const rst = t.events.find((e) => e.dir === 'reply' && e.kind === 'send');
    expect(rst?.packet?.tcp?.flags).toBe('RA');
    expect(t.events.at(-1)).toMatchObject({ kind: 'deliver', ns: 'default/web-a' });
  });

  it('the same seed gives the same trace, another seed another source port', () => {
    const a = trace(buildWorld(twoPodsOneNode()), podToPod, 7);
    const b = trace(buildWorld(twoPodsOneNode()), podToPod, 7);
    const c = trace(buildWorld(twoPodsOneNode()), podToPod, 8);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.delivered?.src).not.toBe(a.delivered?.src);
  });

  it('matches the golden text trace', async () => {
    const t = trace(buildWorld(twoPodsOneNode()), podToPod, 1);
    await expect(formatTraceText(t)).toMatchFileSnapshot(
      './__golden__/pod-to-pod-same-node.trace.txt',
    );
  });

  it('ICMP echo is answered by the kernel, no socket needed', () => {
    const t = trace(buildWorld(twoPodsOneNode()), { ...podToPod, proto: 'icmp' }, 1);
    expect(t.outcome).toBe('delivered');
    const reply = t.events.filter((e) => e.dir === 'reply' && e.kind === 'send')[0];
    expect(reply?.packet?.icmp?.type).toBe(0);
  });
});
