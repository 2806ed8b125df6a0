import type { Preset } from './preset';
import { elasticsearchManualEndpoints } from './presets/elasticsearch-manual-endpoints';
import { helloWorldNodePort } from './presets/hello-world-nodeport';
import { nginxDeployClusterIP } from './presets/nginx-deploy-clusterip';
import { nginxHeadless } from './presets/nginx-headless';
import { redisSessionAffinity } from './presets/redis-session-affinity';
import {
  calicoBgp,
  calicoIpip,
  calicoIpipCrossSubnet,
  calicoRouteReflector,
  calicoVxlan,
} from './presets/calico';
import { dockerBridge } from './presets/docker-bridge';
import { flannelUdp } from './presets/flannel-udp';
import { flannelVxlan } from './presets/flannel-vxlan';
import {
  flannelClusterHostGw,
  flannelClusterUdp,
  flannelClusterVxlan,
  flannelHostGwTwoSubnets,
  flannelVxlanTwoSubnets,
} from './presets/flannel-backends';
import { iptablesNat } from './presets/iptables-nat';
import { netnsWalkthrough } from './presets/netns-walkthrough';
import { twoPodsOneNode } from './presets/two-pods-one-node';
import { webapp1NodePort } from './presets/webapp1-nodeport';
import { loadBalancerOutside } from './presets/loadbalancer-outside';
import { cloudLoadBalancer } from './presets/cloud-loadbalancer';
import { corednsRecords } from './presets/coredns-records';
import { ingressFanout, ingressHosts } from './presets/ingress-nginx';

export type { Preset } from './preset';
export { simulate, type Simulation } from './simulate';

/** Every preset, the default first. */
export const PRESETS: readonly Preset[] = [
  twoPodsOneNode,
  nginxDeployClusterIP,
  redisSessionAffinity,
  webapp1NodePort,
  helloWorldNodePort,
  loadBalancerOutside,
  cloudLoadBalancer,
  elasticsearchManualEndpoints,
  nginxHeadless,
  netnsWalkthrough,
  dockerBridge,
  flannelVxlan,
  flannelUdp,
  iptablesNat,
  flannelClusterVxlan,
  flannelClusterHostGw,
  flannelClusterUdp,
  flannelVxlanTwoSubnets,
  flannelHostGwTwoSubnets,
  calicoBgp,
  calicoIpip,
  calicoVxlan,
  calicoIpipCrossSubnet,
  calicoRouteReflector,
  corednsRecords,
  ingressHosts,
  ingressFanout,
];
export const DEFAULT_PRESET: Preset = twoPodsOneNode;
export { compareDataPlanes, type CompareSide, type Comparison } from './compare';
export {
  applyVariant,
  currentVariant,
  VARIANTS,
  variantFromId,
  variantId,
  type DataPlaneVariant,
} from './variants';
