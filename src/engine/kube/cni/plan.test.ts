import { describe, expect, it } from 'vitest';
import type { NetworkModel, NodeModel } from '../model';
import { cniDiagnostics, MESH_NODE_LIMIT } from './plan';

const at = { file: 'calico.yaml', line: 7, col: 3 };
const net = (mesh: boolean) =>
  ({ cni: 'calico', calico: { mesh, source: at } }) as unknown as NetworkModel;
const nodes = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `node-${i + 1}` }) as NodeModel);

describe("the seed's compass: full mesh below ~100 nodes, route reflectors beyond", () => {
  it('says nothing for a small mesh, or for route reflectors at any size', () => {
    expect(cniDiagnostics(net(true), nodes(MESH_NODE_LIMIT - 1))).toEqual([]);
    expect(cniDiagnostics(net(false), nodes(150))).toEqual([]);
  });

  it('points a 100-node mesh at route reflectors, with the session count, on the IPPool line', () => {
    const [d] = cniDiagnostics(net(true), nodes(100));
    expect(d).toMatchObject({ ...at, code: 'PW2033', severity: 'info' });
    expect(d!.message).toContain('4950 sessions (99 on every node)');
    expect(d!.message).toContain('route reflectors');
  });
});
