import type {
  IngressClassObject,
  KubeObject,
  ObjectMeta,
  ServiceObject,
  WorkloadObject,
} from './objects';

/**
 * The ingress-nginx controller as its official deploy manifest installs it
 * (deploy/static/provider/baremetal/deploy.yaml, controller v1.11): the
 * ingress-nginx/ingress-nginx-controller Deployment (one replica, container `controller`
 * listening on http 80, https 443 and webhook 8443), the ingress-nginx-controller Service of
 * type NodePort (http 80 → http, https 443 → https), the ingress-nginx-controller-admission
 * Service (443 → webhook) and the IngressClass `nginx` (controller k8s.io/ingress-nginx).
 *
 * It appears only when the scenario asks for it, like CoreDNS (coredns.ts): when the manifests
 * declare the controller's Deployment or Service in the ingress-nginx namespace, or an
 * IngressClass for k8s.io/ingress-nginx. What they leave out is added; what they declare is
 * kept as written (docs/DEFAULTS.md, docs/INGRESS.md).
 */

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const CONTROLLER_NAME = 'ingress-nginx-controller';
export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
export const INGRESS_CLASS = 'nginx';
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.2';

const LABELS = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
};

const isIn = (o: KubeObject, kind: string, name: string) =>
  o.kind === kind && o.meta.namespace === INGRESS_NAMESPACE && o.meta.name === name;

export function declaredController(objects: readonly KubeObject[]) {
  return {
    deployment: objects.find(
      (o): o is WorkloadObject => o.kind === 'Deployment' && isIn(o, 'Deployment', CONTROLLER_NAME),
    ),
    service: objects.find((o): o is ServiceObject => isIn(o, 'Service', CONTROLLER_NAME)),
    classes: objects.filter((o): o is IngressClassObject => o.kind === 'IngressClass'),
  };
}

/** The objects the deploy manifest would add, for the ones the manifests leave out. */
export function ingressNginxObjects(objects: readonly KubeObject[]): {
  enabled: boolean;
  objects: KubeObject[];
} {
  const d = declaredController(objects);
  const ourClass = d.classes.find((c) => c.controller === CONTROLLER_CLASS);
  const first = d.deployment ?? d.service ?? ourClass;
  if (!first) return { enabled: false, objects: [] };
  const source = first.meta.source;
  const meta = (name: string, namespace = INGRESS_NAMESPACE): ObjectMeta => ({
    name,
    namespace,
    labels: { ...LABELS },
    annotations: {},
    source,
  });
  const out: KubeObject[] = [];
  const svc = (name: string, type: ServiceObject['type'], ports: ServiceObject['ports']) =>
    ({
      kind: 'Service',
      meta: meta(name),
      type,
      selector: { ...LABELS },
      ports,
      externalIPs: [],
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      loadBalancerSourceRanges: [],
      loadBalancerIngress: [],
    }) satisfies ServiceObject;
  if (!d.service)
    out.push(
      svc(CONTROLLER_NAME, 'NodePort', [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', source },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https', source },
      ]),
    );
  if (!objects.some((o) => isIn(o, 'Service', `${CONTROLLER_NAME}-admission`)))
    out.push(
      svc(`${CONTROLLER_NAME}-admission`, 'ClusterIP', [
        { name: 'https-webhook', protocol: 'TCP', port: 443, targetPort: 'webhook', source },
      ]),
    );
  if (!d.deployment)
    out.push({
      kind: 'Deployment',
      meta: meta(CONTROLLER_NAME),
      replicas: 1,
      selector: { ...LABELS },
      template: {
        labels: { ...LABELS },
        spec: {
          nodeSelector: {},
          hostNetwork: false,
          dnsPolicy: 'ClusterFirst',
          containers: [
            {
              name: 'controller',
              image: CONTROLLER_IMAGE,
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, protocol: 'TCP' },
                { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    });
  if (!ourClass)
    out.push({
      kind: 'IngressClass',
      meta: meta(INGRESS_CLASS, ''),
      controller: CONTROLLER_CLASS,
      isDefault: false,
    });
  return { enabled: true, objects: out };
}
