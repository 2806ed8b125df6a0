import { describe, expect, it } from 'vitest';
import {
  DOCKER_IPTABLES,
  dockerBridge as dockerLab,
  flannelUdp as flannelUdpLab,
  flannelVxlan as flannelLab,
  iptablesNatLab,
  NETNS_WALKTHROUGH,
} from '../../engine/kube/labs';
import type { LabModel } from '../../engine/kube/lab-model';
import { parseManifests } from '../../manifests';
import { simulate } from '../simulate';
import { dockerBridge } from './docker-bridge';
import { flannelUdp } from './flannel-udp';
import { flannelVxlan } from './flannel-vxlan';
import { iptablesNat } from './iptables-nat';
import { netnsWalkthrough } from './netns-walkthrough';

function labOf(text: string): LabModel {
  const parsed = parseManifests([{ name: 'lab.yaml', text }]);
  expect(parsed.diagnostics).toEqual([]);
  const lab = parsed.objects.find((o) => o.kind === 'Lab');
  if (lab?.kind !== 'Lab') throw new Error('no Lab');
  // Positions are for diagnostics only.
  return JSON.parse(
    JSON.stringify(lab.lab, (k: string, v: unknown) =>
      k === 'source' || k === 'iptablesSource' ? undefined : v,
    ),
  ) as LabModel;
}

describe('lab presets are the labs the kernel differential tests build', () => {
  it('netns walk-through', () => {
    expect(labOf(netnsWalkthrough.files[0]!.text)).toEqual(NETNS_WALKTHROUGH);
  });
  it('Docker bridge', () => {
    expect(labOf(dockerBridge.files[0]!.text)).toEqual(dockerLab(DOCKER_IPTABLES));
  });
  it('flannel VXLAN', () => {
    expect(labOf(flannelVxlan.files[0]!.text)).toEqual(flannelLab());
  });
  it('flannel UDP (TUN)', () => {
    expect(labOf(flannelUdp.files[0]!.text)).toEqual(flannelUdpLab());
  });
  it('hand-written iptables ruleset', () => {
    expect(labOf(iptablesNat.files[0]!.text)).toEqual(iptablesNatLab());
  });
  it('all simulate without diagnostics and offer their flows', () => {
    for (const p of [netnsWalkthrough, dockerBridge, flannelVxlan, flannelUdp, iptablesNat]) {
      const sim = simulate(p.files);
      expect(sim.diagnostics).toEqual([]);
      expect(sim.flows.length).toBeGreaterThan(0);
      expect(sim.topology?.nodes.length).toBeGreaterThan(0);
    }
  });
});
