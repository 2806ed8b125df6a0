import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifests';
import { compareDataPlanes, type Comparison } from './compare';
import { PRESETS } from './index';
import { simulate } from './simulate';
import {
  applyVariant,
  currentVariant,
  VARIANTS,
  variantId,
  type DataPlaneVariant,
} from './variants';

const preset = (id: string) => PRESETS.find((p) => p.id === id)!;

function compare(id: string, variant: DataPlaneVariant, pick: (label: string) => boolean) {
  const files = preset(id).files;
  const flow = simulate(files).flows.find((f) => pick(f.label))!.flow;
  const c = compareDataPlanes(files, flow, 1, variant);
  if ('error' in c) throw new Error(c.error);
  return c as Comparison;
}

describe('comparing data planes', () => {
  it('flannel VXLAN against Calico BGP: the same pods, one tunnel fewer', () => {
    const c = compare(
      'flannel-cluster-vxlan',
      { kind: 'cni', cni: 'calico-bgp' },
      (l) => l.startsWith('pod:') && l.includes('→ pod:') && l.includes('web-b'),
    );
    expect(c.a.variant).toBe('cni:flannel-vxlan');
    expect(c.b.variant).toBe('cni:calico-bgp');
    expect(c.a.summary!.outcome).toBe('delivered');
    expect(c.b.summary!.outcome).toBe('delivered');
    expect(c.a.summary!.tunnels.map((t) => t.tunnel)).toContain('vxlan');
    expect(c.b.summary!.tunnels).toEqual([]);
    expect(c.a.summary!.hosts).toEqual(c.b.summary!.hosts);
    // flannel's pods hang off cni0; Calico's are routed through their cali* veths.
    expect(c.a.summary!.bridges.map((b) => b.bridge)).toContain('node-1:cni0');
    expect(c.b.summary!.bridges).toEqual([]);
    expect(c.b.summary!.hops[0]!.to).toMatch(/^node-1:cali/);
  });

  it('iptables against IPVS for a ClusterIP: IPVS rewrites at LOCAL_IN, with far fewer rules', () => {
    const c = compare('nginx-deploy-clusterip', { kind: 'proxy', mode: 'ipvs' }, (l) =>
      l.includes('→ svc:'),
    );
    expect(c.a.variant).toBe('proxy:iptables');
    expect(c.a.summary!.ipvs).toBe(0);
    expect(c.b.summary!.ipvs).toBeGreaterThan(0);
    expect(c.a.summary!.nat.some((n) => n.type === 'DNAT')).toBe(true);
    expect(c.b.summary!.outcome).toBe('delivered');
  });

  it('every variant of every Kubernetes preset builds a cluster', () => {
    for (const p of PRESETS) {
      const parsed = parseManifests(p.files);
      if (simulate(p.files).model?.lab) continue;
      for (const v of VARIANTS) {
        const sim = simulate(p.files);
        const flow = sim.flows[0]?.flow;
        if (!flow) continue;
        const c = compareDataPlanes(p.files, flow, 1, v);
        expect('error' in c, `${p.id} ${variantId(v)}`).toBe(false);
        const { b } = c as Comparison;
        expect(
          b.diagnostics.filter((d) => d.severity === 'error'),
          `${p.id} ${variantId(v)}`,
        ).toEqual([]);
        // Applying the scenario's own data plane changes nothing the cluster model sees.
        const same = applyVariant(parsed.objects, currentVariant(parsed.objects, v.kind));
        expect(currentVariant(same, v.kind)).toEqual(currentVariant(parsed.objects, v.kind));
      }
    }
  });
});
