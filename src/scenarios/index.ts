import type { Preset } from './preset';
import { dockerBridge } from './presets/docker-bridge';
import { flannelVxlan } from './presets/flannel-vxlan';
import { iptablesNat } from './presets/iptables-nat';
import { netnsWalkthrough } from './presets/netns-walkthrough';
import { twoPodsOneNode } from './presets/two-pods-one-node';

export type { Preset } from './preset';
export { simulate, type Simulation } from './simulate';

/** Every preset, the default first. */
export const PRESETS: readonly Preset[] = [
  twoPodsOneNode,
  netnsWalkthrough,
  dockerBridge,
  flannelVxlan,
  iptablesNat,
];
export const DEFAULT_PRESET: Preset = twoPodsOneNode;
