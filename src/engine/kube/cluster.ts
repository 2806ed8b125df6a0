import type { Diagnostic, SourcePos } from '../diagnostics';
import {
  cidr4,
  cidrContains,
  cidrOverlaps,
  formatCidr4,
  formatIp4,
  ip4,
  nthAddress,
  parseCidr4,
  parseIp4,
  type Cidr4,
} from '../wire/ip';
import { CLUSTER_DEFAULTS, networkFrom, segmentOf } from './cluster-network';
import { cniDiagnostics } from './cni/plan';
import type { ClusterModel, NodeModel, PodModel } from './model';
import { endpointsController } from './endpoints-controller';
import { labRulesetDiagnostics } from './lab-world';
import type { KubeObject, LabObject, NodeObject, PodSpec, WorkloadObject } from './objects';
import { generatedPodName, podTemplateHash } from './pod-names';
import { kubeProxyFrom } from './proxy/config';
import { kubernetesService } from './kubernetes-service';
import { coreDnsObjects, dnsModel } from './coredns';
import { ingressNginxObjects } from './ingress-nginx';
import { ingressModel } from './ingress-model';
import { allocateServices } from './services';
import { cloudLoadBalancing } from './cloud-lb';
import { hasMetalLB, metallbAllocate, metallbAnnounce, poolsFrom } from './metallb';
import type { EndpointSliceModel, LoadBalancingModel, ServiceModel } from './model';

export interface ClusterResult {
  model: ClusterModel;
  diagnostics: Diagnostic[];
}

interface PendingPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  spec: PodSpec;
  owner?: string;
  podIP?: string;
  hostIP?: string;
  ready: boolean;
  source: SourcePos;
}

function diag(
  at: SourcePos,
  severity: Diagnostic['severity'],
  code: string,
  message: string,
): Diagnostic {
  return { ...at, severity, code, message };
}

/**
 * The control plane's work, done once: nodes with their podCIDRs and InternalIPs, workloads
 * expanded into pods with Kubernetes-style names, pods scheduled onto nodes and given IPs by
 * the node's host-local IPAM. Whatever a manifest says a real cluster assigned (nodeName,
 * podIP, podCIDR, InternalIP) is kept, so a dump of a real cluster reproduces it.
 */
export function clusterModel(objects: readonly KubeObject[]): ClusterResult {
  const diagnostics: Diagnostic[] = [];
  const network = networkFrom(objects, diagnostics);
  const lab = objects.find((o) => o.kind === 'Lab');
  if (lab?.kind === 'Lab') return labCluster(lab, objects, network, diagnostics);
  const nodes = buildNodes(objects, network, diagnostics);
  diagnostics.push(...cniDiagnostics(network, nodes));
  const coredns = coreDnsObjects(objects, network.serviceCIDR);
  const nginx = ingressNginxObjects(objects);
  const withDns = [...objects, ...coredns.objects, ...nginx.objects];
  const pending = expandWorkloads(withDns, nodes);
  const pods = scheduleAndAddress(pending, nodes, network, diagnostics);
  const apiserver = kubernetesService(objects, nodes, network.serviceCIDR);
  const all = [...withDns, ...apiserver.objects];
  const allocated = allocateServices(all, network.serviceCIDR, diagnostics);
  const endpoints = endpointsController(all, allocated, pods);
  if (apiserver.apiserver && !pods.some((p) => p.name === apiserver.apiserver!.name))
    pods.push(apiserver.apiserver);
  diagnostics.push(...endpoints.diagnostics);
  const lb = loadBalancing(objects, network, nodes, allocated, endpoints.slices, diagnostics);
  const kubeProxy = kubeProxyFrom(objects, network, diagnostics);
  const ingress = ingressModel(
    withDns,
    nginx.enabled,
    lb.services,
    endpoints.slices,
    pods,
    diagnostics,
  );
  return {
    model: {
      network,
      nodes,
      pods,
      services: lb.services,
      endpointSlices: endpoints.slices,
      kubeProxy,
      ...(lb.model ? { loadBalancing: lb.model } : {}),
      ...(coredns.enabled ? { dns: dnsModel(objects, lb.services) } : {}),
      ...(ingress ? { ingress } : {}),
    },
    diagnostics,
  };
}

/**
 * Who fills in the LoadBalancer Services' addresses: the Underlay's cloud load balancer, else
 * MetalLB when there is an IPAddressPool, else nobody (the status the manifests carry).
 */
function loadBalancing(
  objects: readonly KubeObject[],
  network: ClusterModel['network'],
  nodes: NodeModel[],
  services: ServiceModel[],
  slices: EndpointSliceModel[],
  diagnostics: Diagnostic[],
): { services: ServiceModel[]; model?: LoadBalancingModel } {
  const lbs = network.underlay?.loadBalancers ?? [];
  if (lbs.length > 0) {
    const r = cloudLoadBalancing(objects, lbs, services, nodes, slices, diagnostics);
    return { services: r.services, model: { provider: 'cloud', balancers: r.balancers } };
  }
  if (!hasMetalLB(objects)) return { services };
  const pools = poolsFrom(objects, diagnostics);
  const r = metallbAllocate(objects, services, pools, diagnostics);
  const announcements = metallbAnnounce(objects, r.services, r.poolOf, nodes, slices, diagnostics);
  return { services: r.services, model: { provider: 'metallb', announcements } };
}

/** A Lab describes the whole network by hand: no nodes or pods are derived around it. */
function labCluster(
  lab: LabObject,
  objects: readonly KubeObject[],
  network: ClusterModel['network'],
  diagnostics: Diagnostic[],
): ClusterResult {
  diagnostics.push(...labRulesetDiagnostics(lab.lab));
  const others = objects.filter((o) => o.kind !== 'Lab' && o.kind !== 'Underlay');
  if (others.length > 0)
    diagnostics.push(
      diag(
        others[0]!.meta.source,
        'warning',
        'PW2021',
        `a Lab describes the whole network; ${others[0]!.kind} "${others[0]!.meta.name}" and the other Kubernetes objects are ignored`,
      ),
    );
  return { model: { network, nodes: [], pods: [], lab: lab.lab }, diagnostics };
}

function buildNodes(
  objects: readonly KubeObject[],
  network: ClusterModel['network'],
  diagnostics: Diagnostic[],
): NodeModel[] {
  const clusterCIDR = network.clusterCIDR;
  const declared = objects.filter((o): o is NodeObject => o.kind === 'Node');
  const names = declared.map((n) => n.meta.name);
  if (names.length === 0) {
    // No Node objects: take the nodes pods were bound to, else one node.
    const bound = new Set<string>();
    for (const o of objects) {
      if (o.kind === 'Pod' && o.spec.nodeName) bound.add(o.spec.nodeName);
      if (o.kind !== 'Pod' && 'template' in o && o.template.spec.nodeName)
        bound.add(o.template.spec.nodeName);
    }
    // The nodes an Underlay places come first, in its order; then those pods are bound to.
    const placed = Object.keys(network.underlay?.nodeSegments ?? {});
    const all = [...placed, ...[...bound].sort().filter((b) => !placed.includes(b))];
    names.push(...(all.length > 0 ? all : [CLUSTER_DEFAULTS.nodeName]));
  }
  const cluster = cidr4(clusterCIDR);
  const taken: Cidr4[] = [];
  const nodes: NodeModel[] = [];
  let nextBlock = 0;
  names.forEach((name, i) => {
    const obj = declared.find((n) => n.meta.name === name);
    const calico = network.calico;
    // Calico's IPAM hands out its own blocks and ignores the node's spec.podCIDR.
    const given = obj?.podCIDR && !calico ? parseCidr4(obj.podCIDR) : undefined;
    let podCIDR: Cidr4;
    if (calico) {
      const size = calico.pool.blockSize;
      podCIDR = { addr: nthAddress(cluster, i * 2 ** (32 - size)), len: size };
    } else if (given) {
      podCIDR = given;
      if (!cidrOverlaps(given, cluster) && obj)
        diagnostics.push(
          diag(
            obj.meta.source,
            'warning',
            'PW2002',
            `node ${name}: podCIDR ${obj.podCIDR} is outside the cluster CIDR ${clusterCIDR}`,
          ),
        );
    } else {
      // The node IPAM controller hands out /24s from the cluster CIDR in order.
      do {
        podCIDR = { addr: nthAddress(cluster, nextBlock * 256), len: 24 };
        nextBlock++;
      } while (taken.some((t) => cidrOverlaps(t, podCIDR)));
    }
    const clash = taken.find((t) => cidrOverlaps(t, podCIDR));
    if (clash && obj)
      diagnostics.push(
        diag(
          obj.meta.source,
          'error',
          'PW2003',
          `node ${name}: podCIDR ${formatCidr4(podCIDR)} overlaps another node's ${formatCidr4(clash)}`,
        ),
      );
    taken.push(podCIDR);
    const segment = segmentOf(network, name);
    const internalIP = obj?.internalIP ?? formatIp4(nthAddress(cidr4(segment.cidr), 11 + i));
    if (obj?.internalIP && network.underlay && !cidrContains(cidr4(segment.cidr), ip4(internalIP)))
      diagnostics.push(
        diag(
          obj.meta.source,
          'warning',
          'PW2031',
          `node ${name}: InternalIP ${internalIP} is not inside its underlay segment ${segment.name} (${segment.cidr})`,
        ),
      );
    const rr = obj?.meta.annotations['projectcalico.org/RouteReflectorClusterID'];
    nodes.push({
      ...(network.underlay ? { segment: segment.name } : {}),
      ...(rr ? { routeReflectorClusterID: rr } : {}),
      name,
      internalIP,
      podCIDR: formatCidr4(podCIDR),
      labels: { 'kubernetes.io/hostname': name, ...(obj?.meta.labels ?? {}) },
      schedulable: !(obj?.unschedulable ?? false),
      ...(obj ? { source: obj.meta.source } : {}),
    });
  });
  return nodes;
}

function templateKey(w: WorkloadObject): string {
  return JSON.stringify([w.meta.namespace, w.meta.name, w.template]);
}

function expandWorkloads(objects: readonly KubeObject[], nodes: NodeModel[]): PendingPod[] {
  const out: PendingPod[] = [];
  for (const o of objects) {
    if (o.kind === 'Pod') {
      out.push({
        namespace: o.meta.namespace,
        name: o.meta.name,
        labels: o.meta.labels,
        spec: o.spec,
        ready: o.status.ready ?? true,
        source: o.meta.source,
        ...(o.status.podIP ? { podIP: o.status.podIP } : {}),
        ...(o.status.hostIP ? { hostIP: o.status.hostIP } : {}),
      });
      continue;
    }
    if (o.kind !== 'Deployment' && o.kind !== 'ReplicaSet' && o.kind !== 'StatefulSet') {
      if (o.kind === 'DaemonSet') {
        nodes
          .filter((n) => n.schedulable && matchesSelector(n.labels, o.template.spec.nodeSelector))
          .forEach((n, i) =>
            out.push(
              templatePod(o, generatedPodName(o.meta.name, i), {
                ...o.template.spec,
                nodeName: n.name,
              }),
            ),
          );
      }
      continue;
    }
    for (let i = 0; i < o.replicas; i++) {
      const name =
        o.kind === 'StatefulSet'
          ? `${o.meta.name}-${i}`
          : o.kind === 'ReplicaSet'
            ? generatedPodName(o.meta.name, i)
            : generatedPodName(`${o.meta.name}-${podTemplateHash(templateKey(o))}`, i);
      out.push(templatePod(o, name, o.template.spec));
    }
  }
  return out;
}

function templatePod(o: WorkloadObject, name: string, spec: PodSpec): PendingPod {
  return {
    namespace: o.meta.namespace,
    name,
    labels: o.template.labels,
    spec,
    owner: `${o.kind}/${o.meta.name}`,
    ready: true,
    source: o.meta.source,
  };
}

function matchesSelector(labels: Record<string, string>, selector: Record<string, string>) {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function scheduleAndAddress(
  pending: PendingPod[],
  nodes: NodeModel[],
  network: ClusterModel['network'],
  diagnostics: Diagnostic[],
): PodModel[] {
  const load = new Map(nodes.map((n) => [n.name, 0]));
  const used = new Map(nodes.map((n) => [n.name, new Set<number>()]));
  const pods: PodModel[] = [];
  const placed: { pod: PendingPod; node: NodeModel }[] = [];
  for (const pod of pending) {
    const node = pickNode(pod, nodes, load, diagnostics);
    if (!node) continue;
    load.set(node.name, (load.get(node.name) ?? 0) + 1);
    placed.push({ pod, node });
  }
  // IPs a real cluster already assigned are reserved first, so allocation never collides.
  const seen = new Map<number, string>();
  for (const { pod, node } of placed) {
    if (!pod.podIP || pod.spec.hostNetwork) continue;
    const ip = parseIp4(pod.podIP)!;
    const other = seen.get(ip);
    if (other)
      diagnostics.push(
        diag(
          pod.source,
          'error',
          'PW2006',
          `pod ${pod.namespace}/${pod.name}: podIP ${pod.podIP} is already used by ${other}`,
        ),
      );
    seen.set(ip, `${pod.namespace}/${pod.name}`);
    if (!cidrContains(cidr4(node.podCIDR), ip))
      diagnostics.push(
        diag(
          pod.source,
          'warning',
          'PW2007',
          `pod ${pod.namespace}/${pod.name}: podIP ${pod.podIP} is outside node ${node.name}'s podCIDR ${node.podCIDR}`,
        ),
      );
    used.get(node.name)!.add(ip);
  }
  for (const { pod, node } of placed) {
    let ip: string;
    if (pod.spec.hostNetwork) ip = node.internalIP;
    else if (pod.podIP) ip = pod.podIP;
    else {
      const next = allocate(cidr4(node.podCIDR), used.get(node.name)!, ipamStyle(network));
      if (next === undefined) {
        diagnostics.push(
          diag(
            pod.source,
            'error',
            'PW2005',
            `pod ${pod.namespace}/${pod.name}: no free address left in node ${node.name}'s podCIDR ${node.podCIDR}`,
          ),
        );
        continue;
      }
      ip = next;
    }
    pods.push({
      namespace: pod.namespace,
      name: pod.name,
      node: node.name,
      ip,
      labels: pod.labels,
      ready: pod.ready,
      hostNetwork: pod.spec.hostNetwork,
      ports: pod.spec.containers.flatMap((c) =>
        c.ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.containerPort,
          protocol: p.protocol,
        })),
      ),
      ...(pod.owner ? { owner: pod.owner } : {}),
      ...(pod.spec.dnsPolicy ? { dnsPolicy: pod.spec.dnsPolicy } : {}),
      ...(pod.spec.dnsConfig ? { dnsConfig: pod.spec.dnsConfig } : {}),
      source: pod.source,
    });
  }
  return pods;
}

/**
 * host-local IPAM takes the first free address after the gateway (.1) and never the
 * broadcast address; Calico's IPAM hands out a block's ordinals from 0, the first one to the
 * node's tunnel device when there is one.
 */
function ipamStyle(net: ClusterModel['network']): { first: number; last: number } {
  const c = net.calico;
  if (!c) return { first: 2, last: -2 };
  const tunnel = c.pool.ipipMode !== 'Never' || c.pool.vxlanMode !== 'Never';
  return { first: tunnel ? 1 : 0, last: -1 };
}

function allocate(
  block: Cidr4,
  used: Set<number>,
  range: { first: number; last: number },
): string | undefined {
  const size = 2 ** (32 - block.len);
  for (let n = range.first; n <= size + range.last; n++) {
    const ip = nthAddress(block, n);
    if (!used.has(ip)) {
      used.add(ip);
      return formatIp4(ip);
    }
  }
  return undefined;
}

function pickNode(
  pod: PendingPod,
  nodes: NodeModel[],
  load: Map<string, number>,
  diagnostics: Diagnostic[],
): NodeModel | undefined {
  const who = `pod ${pod.namespace}/${pod.name}`;
  if (pod.spec.nodeName) {
    const node = nodes.find((n) => n.name === pod.spec.nodeName);
    if (!node)
      diagnostics.push(
        diag(
          pod.source,
          'warning',
          'PW2004',
          `${who} is bound to node ${pod.spec.nodeName}, which does not exist; it stays Pending`,
        ),
      );
    return node;
  }
  if (pod.hostIP) {
    const byIp = nodes.find((n) => n.internalIP === pod.hostIP);
    if (byIp) return byIp;
  }
  // The scheduler spreads a workload's replicas; the least-loaded feasible node (ties by
  // name) gives the same spread deterministically.
  const feasible = nodes.filter(
    (n) => n.schedulable && matchesSelector(n.labels, pod.spec.nodeSelector),
  );
  if (feasible.length === 0) {
    diagnostics.push(
      diag(
        pod.source,
        'warning',
        'PW2008',
        `${who}: 0/${nodes.length} nodes are available (unschedulable or nodeSelector mismatch); it stays Pending`,
      ),
    );
    return undefined;
  }
  return feasible.reduce((best, n) =>
    (load.get(n.name) ?? 0) < (load.get(best.name) ?? 0) ? n : best,
  );
}
