import { isMap, LineCounter, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../engine/diagnostics';
import type { KubeObject } from '../engine/kube/objects';
import { Ctx, Fields } from './context';
import { CALICO_API_VERSIONS, readBGPConfiguration, readBGPPeer, readIPPool } from './calico';
import { readConfigMap, readNode, readServiceCIDR, readUnderlay } from './cluster-kinds';
import { readEndpointSlice, readEndpoints } from './endpoints';
import { readIngress, readIngressClass } from './ingress';
import { readLab } from './lab';
import { METALLB_API_VERSIONS, readAdvertisement, readIPAddressPool } from './metallb';
import { readMeta } from './meta';
import { readService } from './service';
import { readPod, readWorkload } from './workloads';

export interface ManifestFile {
  name: string;
  text: string;
}

export interface ParsedManifests {
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

interface KindInfo {
  apiVersions: string[];
  clusterScoped: boolean;
  read: (obj: Fields, meta: NonNullable<ReturnType<typeof readMeta>>) => KubeObject | undefined;
}

const KINDS: Record<string, KindInfo> = {
  Node: { apiVersions: ['v1'], clusterScoped: true, read: readNode },
  Pod: { apiVersions: ['v1'], clusterScoped: false, read: readPod },
  Deployment: {
    apiVersions: ['apps/v1'],
    clusterScoped: false,
    read: (o, m) => readWorkload(o, m, 'Deployment'),
  },
  ReplicaSet: {
    apiVersions: ['apps/v1'],
    clusterScoped: false,
    read: (o, m) => readWorkload(o, m, 'ReplicaSet'),
  },
  StatefulSet: {
    apiVersions: ['apps/v1'],
    clusterScoped: false,
    read: (o, m) => readWorkload(o, m, 'StatefulSet'),
  },
  DaemonSet: {
    apiVersions: ['apps/v1'],
    clusterScoped: false,
    read: (o, m) => readWorkload(o, m, 'DaemonSet'),
  },
  Service: { apiVersions: ['v1'], clusterScoped: false, read: readService },
  Endpoints: { apiVersions: ['v1'], clusterScoped: false, read: readEndpoints },
  EndpointSlice: {
    apiVersions: ['discovery.k8s.io/v1'],
    clusterScoped: false,
    read: readEndpointSlice,
  },
  ConfigMap: { apiVersions: ['v1'], clusterScoped: false, read: readConfigMap },
  ServiceCIDR: {
    apiVersions: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1'],
    clusterScoped: true,
    read: readServiceCIDR,
  },
  Ingress: { apiVersions: ['networking.k8s.io/v1'], clusterScoped: false, read: readIngress },
  IngressClass: {
    apiVersions: ['networking.k8s.io/v1'],
    clusterScoped: true,
    read: readIngressClass,
  },
  Underlay: { apiVersions: ['packetwalk.dev/v1alpha1'], clusterScoped: true, read: readUnderlay },
  Lab: { apiVersions: ['packetwalk.dev/v1alpha1'], clusterScoped: true, read: readLab },
  IPPool: { apiVersions: CALICO_API_VERSIONS, clusterScoped: true, read: readIPPool },
  BGPConfiguration: {
    apiVersions: CALICO_API_VERSIONS,
    clusterScoped: true,
    read: readBGPConfiguration,
  },
  BGPPeer: { apiVersions: CALICO_API_VERSIONS, clusterScoped: true, read: readBGPPeer },
  IPAddressPool: {
    apiVersions: METALLB_API_VERSIONS,
    clusterScoped: false,
    read: readIPAddressPool,
  },
  L2Advertisement: {
    apiVersions: METALLB_API_VERSIONS,
    clusterScoped: false,
    read: (o, m) => readAdvertisement(o, m, 'L2Advertisement'),
  },
  BGPAdvertisement: {
    apiVersions: METALLB_API_VERSIONS,
    clusterScoped: false,
    read: (o, m) => readAdvertisement(o, m, 'BGPAdvertisement'),
  },
};

/** One object's mapping: check apiVersion/kind, read its metadata and body. */
function readObject(ctx: Ctx, node: YAMLMap, path: string): KubeObject | undefined {
  const obj = new Fields(ctx, node, path);
  const kind = obj.str('kind', true);
  const apiVersion = obj.str('apiVersion', true);
  if (kind === undefined || apiVersion === undefined) return undefined;
  const info = KINDS[kind];
  if (!info) {
    ctx.report(
      obj.posOf('kind'),
      'warning',
      'PW1003',
      `kind ${kind} is not modelled by Packetwalk yet; it is ignored`,
    );
    return undefined;
  }
  if (!info.apiVersions.includes(apiVersion)) {
    ctx.report(
      obj.posOf('apiVersion'),
      'error',
      'PW1004',
      `no matches for kind "${kind}" in version "${apiVersion}" (use ${info.apiVersions[0]})`,
    );
    return undefined;
  }
  const meta = readMeta(obj, info.clusterScoped);
  return meta ? info.read(obj, meta) : undefined;
}

function parseFile(file: ManifestFile, out: KubeObject[], diagnostics: Diagnostic[]) {
  const lines = new LineCounter();
  const ctx = new Ctx(file.name, lines, file.text);
  const docs = parseAllDocuments(file.text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
  });
  // A stream that is not YAML at all comes back as an empty-document list with errors.
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    for (const e of doc.errors) {
      const at = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
      let message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      if (e.code === 'DUPLICATE_KEY') {
        const key = (/^[^:\n]*/.exec(file.text.slice(e.pos[0])) ?? [''])[0].trim();
        message = `duplicate key "${key}": map keys must be unique`;
      }
      ctx.report(
        { file: file.name, line: at.line, col: at.col },
        'error',
        e.code === 'DUPLICATE_KEY' ? 'PW1005' : 'PW1001',
        message,
      );
    }
    if (doc.errors.length > 0) continue;
    const root = doc.contents as Node | null;
    if (root === null) continue; // an empty document (a trailing ---, comments only)
    if (!isMap(root)) {
      ctx.report(
        ctx.pos(root),
        'error',
        'PW1002',
        'a manifest must be a mapping with apiVersion, kind and metadata',
      );
      continue;
    }
    const top = new Fields(ctx, root, '');
    if (top.str('kind') === 'List' || top.str('kind')?.endsWith('List')) {
      const items = top.list('items');
      items.forEach((item) => {
        const o = readObject(ctx, item.node, item.path);
        if (o) out.push(o);
      });
      continue;
    }
    const o = readObject(ctx, root, '');
    if (o) out.push(o);
  }
  diagnostics.push(...ctx.diagnostics);
}

/** Reports objects declared twice (the apiserver would answer "already exists"). */
function checkDuplicates(objects: KubeObject[], diagnostics: Diagnostic[]): KubeObject[] {
  const seen = new Map<string, KubeObject>();
  return objects.filter((o) => {
    const key = `${o.kind}/${o.meta.namespace}/${o.meta.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      return true;
    }
    const where = `${first.meta.source.file}:${first.meta.source.line}`;
    diagnostics.push({
      ...o.meta.source,
      severity: 'error',
      code: 'PW1006',
      message: `${o.kind} "${o.meta.namespace ? `${o.meta.namespace}/` : ''}${o.meta.name}" already exists (first defined at ${where})`,
    });
    return false;
  });
}

/** YAML files → validated objects and every problem found, each pinned to its line. Never throws. */
export function parseManifests(files: readonly ManifestFile[]): ParsedManifests {
  const objects: KubeObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) parseFile(f, objects, diagnostics);
  return { objects: checkDuplicates(objects, diagnostics), diagnostics };
}
