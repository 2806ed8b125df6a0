import { isScalar, type Node } from 'yaml';
import type { ObjectMeta } from '../engine/kube/objects';
import type { Fields } from './context';
import { labelProblem, subdomainProblem } from './validate';

/** The object's position: its `kind:` key, where a reader looks for the object. */
function kindLine(obj: Fields) {
  const pair = obj.node.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
  return obj.ctx.pos((pair?.key as Node | undefined) ?? obj.node);
}

/** metadata of an object; undefined when it has no usable name. */
export function readMeta(obj: Fields, clusterScoped: boolean): ObjectMeta | undefined {
  const m = obj.map('metadata', true);
  if (!m) return undefined;
  const name = m.str('name', true);
  const namespace = clusterScoped ? '' : (m.str('namespace') ?? 'default');
  const labels = m.stringMap('labels');
  const annotations = m.stringMap('annotations');
  if (name === undefined) return undefined;
  const bad = subdomainProblem(name);
  if (bad) {
    m.invalid('name', name, bad);
    return undefined;
  }
  if (namespace && labelProblem(namespace))
    m.invalid('namespace', namespace, labelProblem(namespace)!);
  return { name, namespace, labels, annotations, source: kindLine(obj) };
}
