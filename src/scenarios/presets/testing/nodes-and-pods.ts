/** YAML documents for `counts.length` nodes with `counts[i]` nginx pods pinned to node i. */
export function nodesAndPods(counts: number[]): string[] {
  const docs: string[] = [];
  counts.forEach((n, i) => {
    docs.push(`apiVersion: v1\nkind: Node\nmetadata: { name: node-${i + 1} }\n`);
    for (let k = 0; k < n; k++)
      docs.push(`apiVersion: v1
kind: Pod
metadata: { name: p${i + 1}-${k} }
spec:
  nodeName: node-${i + 1}
  containers: [{ name: c, image: nginx, ports: [{ containerPort: 80 }] }]
`);
  });
  return docs;
}
