import { endpointsForPort, type ProxyEndpoint } from '../endpoints-controller';
import type {
  EndpointSliceModel,
  KubeProxyModel,
  NodeModel,
  ServiceModel,
  ServicePortModel,
} from '../model';
import { endpointChain, serviceChains, servicePortName } from './names';
import { comment, hex, Ruleset, savedProbability, type RuleSpec } from './ruleset';

/**
 * kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go, v1.30): the ruleset one node's
 * kube-proxy writes with iptables-restore, plus the jump rules it ensures in the built-in
 * chains and the chains kubelet creates before it (KUBE-FIREWALL, the canaries). Derived from
 * the proxier's source; see docs/KUBE-PROXY.md for what is modelled and in which order.
 */

export interface ProxyInput {
  node: NodeModel;
  services: readonly ServiceModel[];
  slices: readonly EndpointSliceModel[];
  config: KubeProxyModel;
}

/** Above this many endpoint chains kube-proxy leaves comments out of per-endpoint rules. */
const LARGE_CLUSTER_ENDPOINTS = 1000;

const KUBE_SERVICES = 'KUBE-SERVICES';
const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
const KUBE_FORWARD = 'KUBE-FORWARD';
const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
const KUBE_FIREWALL = 'KUBE-FIREWALL';
const NEW = '-m conntrack --ctstate NEW';

interface PortView {
  svc: ServiceModel;
  port: ServicePortModel;
  spn: string;
  proto: string;
  endpoints: ProxyEndpoint[];
}

/** The jumps from the built-in chains, in the order they end up (each one was prepended). */
function jumps(rs: Ruleset): void {
  const j = (t: 'filter' | 'nat', from: string, to: string, text: string | null, ctNew: boolean) =>
    rs.rule(t, from, {
      matches: [...(ctNew ? [NEW] : []), ...(text ? [comment(text)] : [])],
      jump: `-j ${to}`,
    });
  const lbfw = 'kubernetes load balancer firewall';
  const ext = 'kubernetes externally-visible service portals';
  const portals = 'kubernetes service portals';
  j('filter', 'INPUT', KUBE_PROXY_FIREWALL, lbfw, true);
  j('filter', 'INPUT', KUBE_NODEPORTS, 'kubernetes health check service ports', false);
  j('filter', 'INPUT', KUBE_EXTERNAL_SERVICES, ext, true);
  // kubelet's, made before kube-proxy started, so kube-proxy's prepended jumps sit above it.
  j('filter', 'INPUT', KUBE_FIREWALL, null, false);
  j('filter', 'FORWARD', KUBE_PROXY_FIREWALL, lbfw, true);
  j('filter', 'FORWARD', KUBE_FORWARD, 'kubernetes forwarding rules', false);
  j('filter', 'FORWARD', KUBE_SERVICES, portals, true);
  j('filter', 'FORWARD', KUBE_EXTERNAL_SERVICES, ext, true);
  j('filter', 'OUTPUT', KUBE_PROXY_FIREWALL, lbfw, true);
  j('filter', 'OUTPUT', KUBE_SERVICES, portals, true);
  j('filter', 'OUTPUT', KUBE_FIREWALL, null, false);
  j('nat', 'PREROUTING', KUBE_SERVICES, portals, false);
  j('nat', 'OUTPUT', KUBE_SERVICES, portals, false);
  j('nat', 'POSTROUTING', KUBE_POSTROUTING, 'kubernetes postrouting rules', false);
}

function portViews(input: ProxyInput): PortView[] {
  const out: PortView[] = [];
  for (const svc of input.services) {
    // Headless and ExternalName services have no virtual IP: kube-proxy skips them.
    if (svc.clusterIP === null || svc.type === 'ExternalName') continue;
    for (const port of svc.ports) {
      out.push({
        svc,
        port,
        spn: servicePortName(svc.namespace, svc.name, port.name),
        proto: port.protocol.toLowerCase(),
        endpoints: endpointsForPort(svc, port, input.slices),
      });
    }
  }
  // kube-proxy walks a Go map, so a real dump's service order changes between syncs; a fixed
  // order (by service port name, then protocol) keeps ours reviewable as a diff.
  return out.sort((a, b) =>
    a.spn === b.spn ? (a.proto < b.proto ? -1 : 1) : a.spn < b.spn ? -1 : 1,
  );
}

interface Categorized {
  cluster: ProxyEndpoint[];
  local: ProxyEndpoint[];
  reachable: ProxyEndpoint[];
  hasAny: boolean;
}

function externallyAccessible(v: PortView): boolean {
  return (
    v.port.nodePort !== undefined ||
    v.svc.loadBalancerIPs.length > 0 ||
    v.svc.externalIPs.length > 0
  );
}

/**
 * Which endpoints each traffic policy uses (the proxy's CategorizeEndpoints): ready ones, or,
 * when none is ready, the serving-and-terminating ones; "local" means on this node.
 */
function categorize(v: PortView, nodeName: string): Categorized {
  const internalLocal = v.svc.internalTrafficPolicy === 'Local';
  const externalLocal = externallyAccessible(v) && v.svc.externalTrafficPolicy === 'Local';
  const usesCluster = !internalLocal || (externallyAccessible(v) && !externalLocal);
  const usesLocal = internalLocal || externalLocal;
  const pickUsable = (eps: ProxyEndpoint[]) => {
    const ready = eps.filter((e) => e.ready);
    return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
  };
  let cluster: ProxyEndpoint[] = [];
  let hasAny = false;
  if (usesCluster) {
    cluster = pickUsable(v.endpoints);
    hasAny = cluster.length > 0;
  }
  if (!usesLocal) return { cluster, local: [], reachable: cluster, hasAny };
  for (const e of v.endpoints) if (e.ready || (e.serving && e.terminating)) hasAny = true;
  const local = pickUsable(v.endpoints.filter((e) => e.nodeName === nodeName));
  if (!usesCluster) return { cluster: [], local, reachable: local, hasAny };
  const reachable = [...cluster, ...local.filter((l) => !cluster.includes(l))];
  return { cluster, local, reachable, hasAny };
}

function cidrContainsText(cidr: string, ip: string): boolean {
  const toN = (t: string) => t.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(toN(ip) / size) === Math.floor(toN(base!) / size);
}

/** The ruleset kube-proxy (mode iptables) leaves on one node. */
export function kubeProxyRuleset(input: ProxyInput): Ruleset {
  const rs = new Ruleset();
  const cfg = input.config;
  const mark = hex(1 << cfg.masqueradeBit);
  const markMatch = `${mark}/${mark}`;
  const nodeName = input.node.name;

  // Chains that exist whatever the services: kubelet's and kube-proxy's canaries, the top-level chains.
  for (const t of ['mangle', 'filter', 'nat'] as const) {
    rs.chain(t, 'KUBE-KUBELET-CANARY');
    rs.chain(t, 'KUBE-PROXY-CANARY');
  }
  rs.chain('mangle', 'KUBE-IPTABLES-HINT');
  for (const c of [
    KUBE_SERVICES,
    KUBE_EXTERNAL_SERVICES,
    KUBE_FORWARD,
    KUBE_NODEPORTS,
    KUBE_PROXY_FIREWALL,
    KUBE_FIREWALL,
  ])
    rs.chain('filter', c);
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ])
    rs.chain('nat', c);
  jumps(rs);

  rs.rule('nat', KUBE_POSTROUTING, {
    matches: [`-m mark ! --mark ${markMatch}`],
    jump: '-j RETURN',
  });
  // Clear the mark so a packet that re-enters the stack is not masqueraded twice.
  rs.rule('nat', KUBE_POSTROUTING, { jump: `-j MARK --set-xmark ${mark}/0x0` });
  rs.rule('nat', KUBE_POSTROUTING, {
    matches: [comment('kubernetes service traffic requiring SNAT')],
    jump: '-j MASQUERADE --random-fully',
  });
  rs.rule('nat', KUBE_MARK_MASQ, { jump: `-j MARK --set-xmark ${mark}/${mark}` });
  // kubelet's guard for route_localnet (kube-proxy writes the same rule when it uses it).
  rs.rule('filter', KUBE_FIREWALL, {
    src: '127.0.0.0/8',
    srcNeg: true,
    dst: '127.0.0.0/8',
    matches: [
      comment('block incoming localnet connections'),
      '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT',
    ],
    jump: '-j DROP',
  });

  const views = portViews(input);
  const categorized = views.map((v) => categorize(v, nodeName));
  const total = views.reduce((n, v) => n + v.endpoints.length, 0);
  const large = total > LARGE_CLUSTER_ENDPOINTS;
  const svcComment = (text: string) => (large ? [] : [comment(text)]);
  views.forEach((v, i) => writeServicePort(rs, v, categorized[i]!, cfg, input.node, svcComment));

  rs.rule('nat', KUBE_SERVICES, {
    ...(cfg.localhostNodePorts ? {} : { dst: '127.0.0.0/8', dstNeg: true }),
    matches: [
      comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'),
      '-m addrtype --dst-type LOCAL',
    ],
    jump: `-j ${KUBE_NODEPORTS}`,
  });
  rs.rule('filter', KUBE_FORWARD, { matches: ['-m conntrack --ctstate INVALID'], jump: '-j DROP' });
  rs.rule('filter', KUBE_FORWARD, {
    matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${markMatch}`],
    jump: '-j ACCEPT',
  });
  rs.rule('filter', KUBE_FORWARD, {
    matches: [
      comment('kubernetes forwarding conntrack rule'),
      '-m conntrack --ctstate RELATED,ESTABLISHED',
    ],
    jump: '-j ACCEPT',
  });
  return rs;
}

function writeServicePort(
  rs: Ruleset,
  v: PortView,
  c: Categorized,
  cfg: KubeProxyModel,
  node: NodeModel,
  svcComment: (text: string) => string[],
): void {
  const { svc, spn, proto } = v;
  const names = serviceChains(spn, proto);
  const l4 = (port: number) => `-m ${proto} --dport ${port}`;
  const reject = '-j REJECT --reject-with icmp-port-unreachable';
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const accessible = externallyAccessible(v);
  const externalLocal = accessible && svc.externalTrafficPolicy === 'Local';

  const usesCluster = c.cluster.length > 0 && (!internalLocal || (accessible && !externalLocal));
  const usesLocal = c.local.length > 0 && (internalLocal || externalLocal);
  const internalChain = internalLocal ? names.svl : names.svc;
  const hasInternal = c.hasAny && (!internalLocal || c.local.length > 0);
  const externalPolicyChain = externalLocal ? names.svl : names.svc;
  const hasExternal = c.hasAny && (!externalLocal || c.local.length > 0);
  const usesExt = c.hasAny && accessible;
  const usesFW =
    c.hasAny && svc.loadBalancerIPs.length > 0 && svc.loadBalancerSourceRanges.length > 0;
  const lbChain = usesFW ? names.fw : names.ext;

  let internalTarget = '';
  let internalText = '';
  let externalTarget = '';
  let externalText = '';
  if (!c.hasAny) {
    internalTarget = externalTarget = reject;
    internalText = externalText = `${spn} has no endpoints`;
  } else {
    if (!hasInternal) {
      internalTarget = '-j DROP';
      internalText = `${spn} has no local endpoints`;
    }
    if (!hasExternal) {
      externalTarget = '-j DROP';
      externalText = `${spn} has no local endpoints`;
    }
  }

  const clusterIP = svc.clusterIP!;
  const port = v.port.port;
  if (hasInternal)
    rs.rule('nat', 'KUBE-SERVICES', {
      dst: clusterIP,
      proto,
      matches: [comment(`${spn} cluster IP`), l4(port)],
      jump: `-j ${internalChain}`,
    });
  else
    rs.rule('filter', 'KUBE-SERVICES', {
      dst: clusterIP,
      proto,
      matches: [comment(internalText), l4(port)],
      jump: internalTarget,
    });

  for (const ip of svc.externalIPs) {
    if (c.hasAny)
      rs.rule('nat', 'KUBE-SERVICES', {
        dst: ip,
        proto,
        matches: [comment(`${spn} external IP`), l4(port)],
        jump: `-j ${names.ext}`,
      });
    if (!hasExternal)
      rs.rule('filter', 'KUBE-EXTERNAL-SERVICES', {
        dst: ip,
        proto,
        matches: [comment(externalText), l4(port)],
        jump: externalTarget,
      });
  }

  for (const ip of svc.loadBalancerIPs) {
    if (c.hasAny)
      rs.rule('nat', 'KUBE-SERVICES', {
        dst: ip,
        proto,
        matches: [comment(`${spn} loadbalancer IP`), l4(port)],
        jump: `-j ${lbChain}`,
      });
    if (usesFW)
      rs.rule('filter', 'KUBE-PROXY-FIREWALL', {
        dst: ip,
        proto,
        matches: [comment(`${spn} traffic not accepted by ${names.fw}`), l4(port)],
        jump: '-j DROP',
      });
  }
  if (!hasExternal)
    for (const ip of svc.loadBalancerIPs)
      rs.rule('filter', 'KUBE-EXTERNAL-SERVICES', {
        dst: ip,
        proto,
        matches: [comment(externalText), l4(port)],
        jump: externalTarget,
      });

  const nodePort = v.port.nodePort;
  if (nodePort !== undefined) {
    if (c.hasAny)
      // The localhost variant (`-d 127.0.0.0/8 ... -m nfacct`) needs the nfacct counter, which
      // this model's kernel lacks; kube-proxy then leaves it out too.
      rs.rule('nat', 'KUBE-NODEPORTS', {
        proto,
        matches: [comment(spn), l4(nodePort)],
        jump: `-j ${names.ext}`,
      });
    if (!hasExternal)
      rs.rule('filter', 'KUBE-EXTERNAL-SERVICES', {
        proto,
        matches: [comment(externalText), '-m addrtype --dst-type LOCAL', l4(nodePort)],
        jump: externalTarget,
      });
  }

  if (svc.healthCheckNodePort !== undefined)
    rs.rule('filter', 'KUBE-NODEPORTS', {
      proto: 'tcp',
      matches: [
        comment(`${spn} health check node port`),
        `-m tcp --dport ${svc.healthCheckNodePort}`,
      ],
      jump: '-j ACCEPT',
    });

  if (hasInternal) {
    const base: RuleSpec = {
      dst: clusterIP,
      proto,
      matches: [comment(`${spn} cluster IP`), l4(port)],
      jump: '-j KUBE-MARK-MASQ',
    };
    if (cfg.masqueradeAll) rs.rule('nat', internalChain, base);
    else if (cfg.clusterCIDR)
      // Off-cluster clients reaching a ClusterIP (a static route to a node) may be answered
      // from another node: masquerade them so replies come back this way.
      rs.rule('nat', internalChain, { ...base, src: cfg.clusterCIDR, srcNeg: true });
  }

  if (usesExt) {
    rs.chain('nat', names.ext);
    if (!externalLocal)
      rs.rule('nat', names.ext, {
        matches: [comment(`masquerade traffic for ${spn} external destinations`)],
        jump: '-j KUBE-MARK-MASQ',
      });
    else {
      if (cfg.clusterCIDR)
        rs.rule('nat', names.ext, {
          src: cfg.clusterCIDR,
          matches: [comment(`pod traffic for ${spn} external destinations`)],
          jump: `-j ${names.svc}`,
        });
      rs.rule('nat', names.ext, {
        matches: [
          comment(`masquerade LOCAL traffic for ${spn} external destinations`),
          '-m addrtype --src-type LOCAL',
        ],
        jump: '-j KUBE-MARK-MASQ',
      });
      rs.rule('nat', names.ext, {
        matches: [
          comment(`route LOCAL traffic for ${spn} external destinations`),
          '-m addrtype --src-type LOCAL',
        ],
        jump: `-j ${names.svc}`,
      });
    }
    if (hasExternal) rs.rule('nat', names.ext, { jump: `-j ${externalPolicyChain}` });
  }

  if (usesFW) {
    rs.chain('nat', names.fw);
    const fwComment = comment(`${spn} loadbalancer IP`);
    let allowFromNode = false;
    for (const cidr of svc.loadBalancerSourceRanges) {
      rs.rule('nat', names.fw, { src: cidr, matches: [fwComment], jump: `-j ${names.ext}` });
      if (cidrContainsText(cidr, node.internalIP)) allowFromNode = true;
    }
    if (allowFromNode)
      for (const ip of svc.loadBalancerIPs)
        rs.rule('nat', names.fw, { src: ip, matches: [fwComment], jump: `-j ${names.ext}` });
    rs.rule('nat', names.fw, {
      matches: [comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)],
    });
  }

  // Each endpoint's chain name is needed by the SVC/SVL rules and by the SEP chain itself.
  const sepNames = new Map<ProxyEndpoint, string>();
  const sep = (e: ProxyEndpoint) => {
    let name = sepNames.get(e);
    if (name === undefined) {
      name = endpointChain(spn, proto, `${e.ip}:${e.port}`);
      sepNames.set(e, name);
    }
    return name;
  };
  // Per-endpoint rules are most of a large ruleset: written straight into their saved form
  // (the same text rs.rule would make) without the intermediate specs.
  // Large clusters leave per-endpoint comments out: then the comment text is not even built.
  const quiet = svcComment('').length === 0;
  const said = (text: () => string) => (quiet ? '' : ` ${svcComment(text())[0]!}`);
  const toEndpoints = (chain: string, eps: ProxyEndpoint[]) => {
    if (eps.length === 0) rs.chain('nat', chain);
    if (svc.affinitySeconds !== null)
      for (const e of eps)
        rs.append(
          'nat',
          chain,
          `${said(() => `${spn} -> ${e.ip}:${e.port}`)} -m recent --rcheck --seconds ${svc.affinitySeconds} --reap --name ${sep(e)} --mask 255.255.255.255 --rsource -j ${sep(e)}`,
        );
    eps.forEach((e, i) => {
      const stat =
        i < eps.length - 1
          ? ` -m statistic --mode random --probability ${savedProbability(eps.length - i)}`
          : '';
      rs.append('nat', chain, `${said(() => `${spn} -> ${e.ip}:${e.port}`)}${stat} -j ${sep(e)}`);
    });
  };
  if (usesCluster) toEndpoints(names.svc, c.cluster);
  if (usesLocal) toEndpoints(names.svl, c.local);

  const spnSaid = said(() => spn);
  for (const e of c.reachable) {
    const chain = sep(e);
    // Hairpin: a pod reaching itself through the service must be masqueraded, or its own
    // reply would bypass conntrack's reverse NAT.
    rs.append('nat', chain, ` -s ${e.ip}/32${spnSaid} -j KUBE-MARK-MASQ`);
    const recent =
      svc.affinitySeconds !== null
        ? ` -m recent --set --name ${chain} --mask 255.255.255.255 --rsource`
        : '';
    rs.append(
      'nat',
      chain,
      ` -p ${proto}${spnSaid}${recent} -m ${proto} -j DNAT --to-destination ${e.ip}:${e.port}`,
    );
  }
}
