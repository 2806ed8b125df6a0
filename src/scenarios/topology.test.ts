import { describe, expect, it } from 'vitest';
import { PRESETS } from './index';
import { simulate } from './simulate';

describe('topology views of the presets', () => {
  it('draws the VXLAN tunnel between the two flannel.1 VTEPs as a logical link', () => {
    const sim = simulate(PRESETS.find((p) => p.id === 'flannel-vxlan')!.files);
    const tunnels = sim.topology!.links.filter((l) => l.kind === 'tunnel');
    expect(tunnels).toHaveLength(1);
    expect([tunnels[0]!.a, tunnels[0]!.b].sort()).toEqual(['host-a:flannel.1', 'host-b:flannel.1']);
  });

  it('draws IPIP tunnels between the tunl0 devices Calico routes through', () => {
    const sim = simulate(PRESETS.find((p) => p.id === 'calico-ipip')!.files);
    const tunnels = sim.topology!.links.filter((l) => l.kind === 'tunnel');
    expect(tunnels.length).toBeGreaterThan(0);
    for (const t of tunnels) {
      expect(t.a).toMatch(/:tunl0$/);
      expect(t.b).toMatch(/:tunl0$/);
    }
  });

  it('has no tunnel where nothing encapsulates', () => {
    const sim = simulate(PRESETS.find((p) => p.id === 'two-pods-one-node')!.files);
    expect(sim.topology!.links.some((l) => l.kind === 'tunnel')).toBe(false);
  });
});
