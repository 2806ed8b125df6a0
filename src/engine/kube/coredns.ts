import { cidr4, formatIp4, nthAddress } from '../wire/ip';
import type { DnsModel, ServiceModel } from './model';
import type {
  ConfigMapObject,
  CorefileConfig,
  KubeObject,
  ServiceObject,
  WorkloadObject,
} from './objects';

/**
 * The cluster DNS as kubeadm installs it (docs/DNS.md): the kube-system/kube-dns Service on the
 * 10th address of the service CIDR (10.96.0.10), ports dns 53/UDP, dns-tcp 53/TCP and metrics
 * 9153/TCP, selecting `k8s-app: kube-dns`; the `coredns` Deployment (2 replicas) behind it; and
 * the `coredns` ConfigMap with kubeadm's Corefile.
 *
 * It appears only when the scenario asks for it, like the `kubernetes` Service
 * (kubernetes-service.ts): when the manifests declare any of the three (the ConfigMap, the
 * Deployment or the Service) in kube-system. The pieces they leave out are added; what they
 * declare is kept as written (docs/DEFAULTS.md).
 */

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.1';

/** kubeadm's Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go), cluster domain cluster.local. */
export const KUBEADM_COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

/** What kubeadm's Corefile reads as (used when the scenario declares no coredns ConfigMap). */
const KUBEADM_CONFIG: Omit<CorefileConfig, 'source'> = {
  port: 53,
  kubernetesZones: ['cluster.local', 'in-addr.arpa', 'ip6.arpa'],
  pods: 'insecure',
  ttl: 30,
  forward: ['/etc/resolv.conf'],
  cache: 30,
  plugins: [
    'errors',
    'health',
    'ready',
    'kubernetes',
    'prometheus',
    'forward',
    'cache',
    'loop',
    'reload',
    'loadbalance',
  ],
};

const inKubeSystem = (o: KubeObject, kind: string, name: string) =>
  o.kind === kind && o.meta.namespace === 'kube-system' && o.meta.name === name;

function declared(objects: readonly KubeObject[]) {
  return {
    configMap: objects.find((o): o is ConfigMapObject => inKubeSystem(o, 'ConfigMap', 'coredns')),
    deployment: objects.find((o) => inKubeSystem(o, 'Deployment', 'coredns')),
    service: objects.find((o): o is ServiceObject => inKubeSystem(o, 'Service', 'kube-dns')),
  };
}

/** The objects kubeadm's DNS addon would add, for the ones the manifests leave out. */
export function coreDnsObjects(
  objects: readonly KubeObject[],
  serviceCIDR: string,
): { enabled: boolean; objects: KubeObject[] } {
  const d = declared(objects);
  const first = d.configMap ?? d.deployment ?? d.service;
  if (!first) return { enabled: false, objects: [] };
  const source = first.meta.source;
  const labels = { 'k8s-app': 'kube-dns' };
  const meta = (name: string, extra: Record<string, string> = {}) => ({
    name,
    namespace: 'kube-system',
    labels: { ...labels, ...extra },
    annotations: {},
    source,
  });
  const out: KubeObject[] = [];
  if (!d.service) {
    const port = (name: string, protocol: 'TCP' | 'UDP', n: number) => ({
      name,
      protocol,
      port: n,
      targetPort: n,
      source,
    });
    out.push({
      kind: 'Service',
      meta: meta('kube-dns', { 'kubernetes.io/name': 'CoreDNS' }),
      type: 'ClusterIP',
      selector: labels,
      clusterIP: formatIp4(nthAddress(cidr4(serviceCIDR), 10)),
      ports: [port('dns', 'UDP', 53), port('dns-tcp', 'TCP', 53), port('metrics', 'TCP', 9153)],
      externalIPs: [],
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      loadBalancerSourceRanges: [],
      loadBalancerIngress: [],
    });
  }
  if (!d.deployment) {
    const deployment: WorkloadObject = {
      kind: 'Deployment',
      meta: meta('coredns'),
      replicas: 2,
      selector: labels,
      template: {
        labels,
        spec: {
          nodeSelector: {},
          hostNetwork: false,
          dnsPolicy: 'Default',
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    };
    out.push(deployment);
  }
  return { enabled: true, objects: out };
}

/** The cluster DNS as the Corefile configures it, served on the kube-dns Service's ClusterIP. */
export function dnsModel(
  objects: readonly KubeObject[],
  services: readonly ServiceModel[],
): DnsModel {
  const d = declared(objects);
  const conf = d.configMap?.corefile ?? KUBEADM_CONFIG;
  const svc = services.find((s) => s.namespace === 'kube-system' && s.name === 'kube-dns');
  const zones = conf.kubernetesZones;
  const forwardZone = zones.find((z) => !z.endsWith('.arpa')) ?? 'cluster.local';
  return {
    clusterIP: svc?.clusterIP ?? null,
    domain: forwardZone === '.' ? 'cluster.local' : forwardZone.replace(/\.$/, ''),
    reverseZones: zones.filter((z) => z.endsWith('.arpa')),
    pods: conf.pods,
    ttl: conf.ttl,
    forward: conf.forward,
    cache: conf.cache,
  };
}
